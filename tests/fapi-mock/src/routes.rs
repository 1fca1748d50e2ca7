//! The `/v1/client…` endpoints and the router that ties everything together.

use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, Extension, Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::Router;
use serde_json::{Map, Value};

use crate::credentials::{self, Caller};
use crate::dialect::{Dialect, Envelope, Renderer, TokenView};
use crate::errors::ApiError;
use crate::ids::{new_id, now_ms};
use crate::json::{self, param};
use crate::session_token::TokenContext;
use crate::state::{SessionAction, Store};
use crate::{control, dev_browser, environment, jwks, static_files, AppState};

/// Largest accepted request body on the API (the control plane's fault route allows more).
const API_BODY_LIMIT: usize = 1 << 20;

/// Every route: the API, the control plane when enabled, static files or 404 otherwise.
pub fn router(state: AppState) -> Router {
    let mut router = Router::new()
        .route(
            "/v1/client",
            get(get_client)
                .put(put_client)
                .post(put_client)
                .delete(delete_client),
        )
        .route("/v1/client/sessions", delete(sign_out_all))
        .route("/v1/dev_browser", post(dev_browser::create))
        .route(
            "/v1/environment",
            get(environment::get_environment).patch(environment::get_environment),
        )
        .route("/v1/client/sign_ins", post(sign_in))
        .route("/v1/client/sessions/{id}/end", post(end_session))
        .route("/v1/client/sessions/{id}/remove", post(remove_session))
        .route("/v1/client/sessions/{id}/touch", post(touch_session))
        .route("/v1/client/sessions/{id}/tokens", post(session_token))
        .route(
            "/v1/client/sessions/{id}/tokens/{template}",
            post(session_token_template),
        )
        .layer(DefaultBodyLimit::max(API_BODY_LIMIT))
        .route(jwks::JWKS_PATH, get(jwks::get_jwks));
    if state.config().control {
        router = router.nest("/__mock", control::router());
    }
    router
        .fallback(fallback)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
}

fn renderer<'a>(state: &AppState, store: &'a Store, now: i64) -> Renderer<'a> {
    Renderer {
        dialect: state.config().dialect,
        store,
        now,
    }
}

/// `GET /v1/client`: the caller's client, or `null`.
async fn get_client(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Response {
    let store = state.store().lock();
    let r = renderer(&state, &store, now_ms());
    let client = caller
        .token()
        .and_then(|t| store.client_by_token(t))
        .map(|c| r.client(c));
    json::ok(&Envelope {
        response: client,
        client: None::<()>,
    })
}

/// `PUT /v1/client` (and `POST`): a new client replacing the caller's one, its token handed
/// out the caller's way.
async fn put_client(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Response {
    let now = now_ms();
    let mut store = state.store().lock();
    let id = store.replace_client(caller.token(), now);
    let r = renderer(&state, &store, now);
    let Some(client) = store.client(&id) else {
        return ApiError::not_found().into_response();
    };
    let response = json::ok(&Envelope {
        response: r.client(client),
        client: None::<()>,
    });
    credentials::created(response, client)
}

/// `DELETE /v1/client`: deletes the client (and clears the cookie). `seed`: empty 200;
/// `current`: the client with its sessions ended.
async fn delete_client(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Response {
    let now = now_ms();
    let mut store = state.store().lock();
    let client = match store.delete_client(caller.token(), now) {
        Ok(client) => client,
        Err(e) => return e.into_response(),
    };
    let response = match state.config().dialect {
        Dialect::Seed => StatusCode::OK.into_response(),
        Dialect::Current => json::ok(&Envelope {
            response: renderer(&state, &store, now).client(&client),
            client: None::<()>,
        }),
    };
    credentials::deleted(response)
}

/// `DELETE /v1/client/sessions`: ends every session, keeps the client and its cookie;
/// answers `{"response": <client>, "client": null}` as the OpenAPI spec's `Client.DeleteSession`.
async fn sign_out_all(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Response {
    let now = now_ms();
    let mut store = state.store().lock();
    let id = match store.end_all_sessions(caller.token(), now) {
        Ok(id) => id,
        Err(e) => return e.into_response(),
    };
    let r = renderer(&state, &store, now);
    json::ok(&Envelope {
        response: store.client(&id).map(|c| r.client(c)),
        client: None::<()>,
    })
}

/// `POST /v1/client/sign_ins` with `strategy=password&identifier=…&password=…` (form or JSON).
/// Without a `strategy`, a `password` means the password strategy, as on the real API
/// (clerk-js 6.40 posts `identifier`, `password`, `locale`, `timezone` and no strategy).
async fn sign_in(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match sign_in_inner(&state, &caller, &headers, &body) {
        Ok(response) => response,
        Err(e) => e.into_response(),
    }
}

fn sign_in_inner(
    state: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Response, ApiError> {
    let params = json::params(headers, body)?;
    let strategy = match param(&params, "strategy") {
        Some(strategy) => strategy,
        None if param(&params, "password").is_some() => "password".into(),
        None => return Err(ApiError::param_missing("strategy")),
    };
    if strategy != "password" {
        return Err(ApiError::param_invalid(
            "strategy",
            "The mock only supports the `password` strategy.",
        ));
    }
    let identifier = required(&params, "identifier")?;
    let password = required(&params, "password")?;
    let now = now_ms();
    let mut store = state.store().lock();
    let user_id = store.authenticate(&identifier, &password)?;
    let (client_id, created) = store.ensure_client(caller.token(), now);
    let tokens = TokenContext::from_request(state, headers);
    let session_id = store.add_session_for_user(&client_id, &user_id, now, &tokens.minter())?;
    let (Some(client), Some(user)) = (store.client(&client_id), store.user(&user_id)) else {
        return Err(ApiError::not_found());
    };
    let r = renderer(state, &store, now);
    let sign_in_id = new_id("sia");
    let response = json::ok(&Envelope {
        response: r.sign_in(&sign_in_id, &identifier, user, &session_id),
        client: r.client(client),
    });
    Ok(if created {
        credentials::created(response, client)
    } else {
        response
    })
}

fn required<'a>(
    params: &'a Map<String, Value>,
    name: &str,
) -> Result<std::borrow::Cow<'a, str>, ApiError> {
    param(params, name).ok_or_else(|| ApiError::param_missing(name))
}

/// The caller and the request headers (for minting): what the session routes extract.
type Ctx = (State<AppState>, Extension<Caller>, HeaderMap);

async fn end_session(ctx: Ctx, id: Path<String>) -> Response {
    session_action(ctx, id, SessionAction::End)
}

async fn remove_session(ctx: Ctx, id: Path<String>) -> Response {
    session_action(ctx, id, SessionAction::Remove)
}

async fn touch_session(ctx: Ctx, id: Path<String>) -> Response {
    session_action(ctx, id, SessionAction::Touch)
}

/// `POST /v1/client/sessions/{id}/end|remove|touch`: `{"response": <session>, "client": <client>}`.
fn session_action(
    (State(state), Extension(caller), headers): Ctx,
    Path(session_id): Path<String>,
    action: SessionAction,
) -> Response {
    let now = now_ms();
    let tokens = TokenContext::from_request(&state, &headers);
    let mut store = state.store().lock();
    let client_id =
        match store.session_action(caller.token(), &session_id, action, now, &tokens.minter()) {
            Ok(id) => id,
            Err(e) => return e.into_response(),
        };
    let r = renderer(&state, &store, now);
    let Some(client) = store.client(&client_id) else {
        return ApiError::not_found().into_response();
    };
    let Some(session) = client.session(&session_id) else {
        return ApiError::not_found().into_response();
    };
    json::ok(&Envelope {
        response: r.session(session),
        client: r.client(client),
    })
}

/// `POST /v1/client/sessions/{id}/tokens`; the body (`organization_id=&tab_state=focused`,
/// `debug=skip_cache`) is accepted and ignored.
async fn session_token(
    (State(state), Extension(caller), headers): Ctx,
    Path(session_id): Path<String>,
) -> Response {
    mint_session_token(&state, &caller, &headers, &session_id, None)
}

/// `POST /v1/client/sessions/{id}/tokens/{template}`: any template name is accepted and
/// recorded in the token's `template` claim.
async fn session_token_template(
    (State(state), Extension(caller), headers): Ctx,
    Path((session_id, template)): Path<(String, String)>,
) -> Response {
    mint_session_token(&state, &caller, &headers, &session_id, Some(&template))
}

/// A bare, freshly minted `{"object":"token","jwt":…}` for a signed-in session of the
/// caller's client: 404 `resource_not_found` for a session the client does not have, 401
/// `signed_out` for one that is not signed in. The session's `last_active_token` is not
/// changed.
fn mint_session_token(
    state: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    session_id: &str,
    template: Option<&str>,
) -> Response {
    let now = now_ms();
    let store = state.store().lock();
    let Some(session) = caller
        .token()
        .and_then(|t| store.client_by_token(t))
        .and_then(|c| c.session(session_id))
    else {
        return ApiError::not_found().into_response();
    };
    if !session.effective_status(now).is_signed_in() {
        return ApiError::new(
            StatusCode::UNAUTHORIZED,
            "signed_out",
            "Signed out",
            "The session is not signed in.",
        )
        .into_response();
    }
    let tokens = TokenContext::from_request(state, headers);
    let jwt = tokens.mint(&session.id, &session.user_id, template, now);
    json::ok(&TokenView {
        object: "token",
        jwt: &jwt,
    })
}

/// Whether a path belongs to the Frontend API: `/v1/*` and the key set (served under the
/// proxy path too).
pub fn is_frontend_api_path(path: &str) -> bool {
    path == "/v1" || path.starts_with("/v1/") || path == jwks::JWKS_PATH
}

/// Whether a path belongs to the API or the control plane (never served as a static file).
pub fn is_api_path(path: &str) -> bool {
    is_frontend_api_path(path) || path == "/__mock" || path.starts_with("/__mock/")
}

async fn fallback(State(state): State<AppState>, uri: Uri) -> Response {
    if is_api_path(uri.path()) {
        return ApiError::not_found().into_response();
    }
    match &state.config().static_dir {
        Some(dir) => static_files::serve(dir, uri.path()).await,
        None => (StatusCode::NOT_FOUND, Body::from("not found")).into_response(),
    }
}

async fn method_not_allowed() -> Response {
    ApiError::method_not_allowed().into_response()
}
