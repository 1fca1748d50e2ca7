//! The test control plane under `/__mock/` (served only with `--control`).
//!
//! | route | body | answer |
//! |---|---|---|
//! | `POST /__mock/reset` | | 204; clients, sessions, faults and log cleared, settings back to their defaults |
//! | `POST /__mock/sessions` | `{"client_id"?, "identifier"}` | 200 new active session |
//! | `POST /__mock/sessions/{id}` | `{"status"?, "expire_in_ms"?, "abandon_in_ms"?}` | 200 session |
//! | `POST /__mock/faults` | see [`FaultSpec`] | 200 `{"id": N}` |
//! | `GET /__mock/faults` | | pending faults |
//! | `DELETE /__mock/faults` | | 204 |
//! | `GET /__mock/log[?include_preflight=true]` | | array of [`LogEntry`](crate::request_log::LogEntry) |
//! | `DELETE /__mock/log` | | 204 |
//! | `GET /__mock/clients/current` | | the caller's client (see [`peek_token`]) or `null` |
//! | `GET /__mock/clients/{id}` | | the client or 404 |
//! | `GET /__mock/config` | | [`Settings`] in force |
//! | `POST /__mock/config` | `{"token_lifetime_secs"?}` | 200 [`Settings`] in force |
//! | `GET /__mock/dev_browsers` | | array of [`DevBrowser`] |
//! | `POST /__mock/dev_browsers/rotate` | `{"id"?}` (none: all) | 200 `{"rotating": N}` |
//! | `DELETE /__mock/dev_browsers` | | 204; every dev browser JWT answers 401 from now on |

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::credentials::peek_token;
use crate::dev_browser::DevBrowser;
use crate::dialect::Renderer;
use crate::errors::ApiError;
use crate::faults::FaultSpec;
use crate::ids::now_ms;
use crate::json;
use crate::session_token::TokenContext;
use crate::state::{SessionPatch, SessionStatus};
use crate::AppState;

/// Largest fault definition accepted (raw bodies can be big).
pub const FAULT_BODY_LIMIT: usize = 16 << 20;

/// The control-plane routes, to be nested at `/__mock`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/reset", post(reset))
        .route("/sessions", post(create_session))
        .route("/sessions/{id}", post(patch_session))
        .route(
            "/faults",
            post(add_fault)
                .get(list_faults)
                .delete(clear_faults)
                .layer(DefaultBodyLimit::max(FAULT_BODY_LIMIT)),
        )
        .route("/log", get(get_log).delete(clear_log))
        .route("/clients/current", get(current_client))
        .route("/clients/{id}", get(client_by_id))
        .route("/config", get(get_config).post(set_config))
        .route(
            "/dev_browsers",
            get(list_dev_browsers).delete(clear_dev_browsers),
        )
        .route("/dev_browsers/rotate", post(rotate_dev_browsers))
}

fn parse<T: DeserializeOwned + Default>(body: &[u8]) -> Result<T, ApiError> {
    if body.trim_ascii().is_empty() {
        return Ok(T::default());
    }
    serde_json::from_slice(body).map_err(|e| ApiError::malformed(&e.to_string()))
}

fn result(r: Result<Response, ApiError>) -> Response {
    r.unwrap_or_else(IntoResponse::into_response)
}

async fn reset(State(state): State<AppState>) -> StatusCode {
    state.reset();
    StatusCode::NO_CONTENT
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct NewSession {
    client_id: Option<String>,
    identifier: Option<String>,
}

/// Adds an active session to a client, as if the user signed in elsewhere.
async fn create_session(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Response {
    let caller_token = peek_token(&state, &headers, &uri);
    result((|| {
        let spec: NewSession = parse(&body)?;
        let identifier = spec
            .identifier
            .ok_or_else(|| ApiError::param_missing("identifier"))?;
        let now = now_ms();
        let tokens = TokenContext::from_request(&state, &headers);
        let mut store = state.store().lock();
        let client_id = match spec.client_id {
            Some(id) => id,
            None => caller_token
                .and_then(|t| store.client_by_token(&t).map(|c| c.id.clone()))
                .ok_or_else(|| ApiError::param_missing("client_id"))?,
        };
        let session_id = store.add_session(&client_id, &identifier, now, &tokens.minter())?;
        session_response(&state, &store, &session_id, now)
    })())
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PatchSpec {
    status: Option<String>,
    expire_in_ms: Option<i64>,
    abandon_in_ms: Option<i64>,
}

/// Changes a session's status and/or deadlines.
async fn patch_session(
    State(state): State<AppState>,
    Path(session_id): Path<String>,
    body: Bytes,
) -> Response {
    result((|| {
        let spec: PatchSpec = parse(&body)?;
        let status = spec
            .status
            .map(|s| {
                SessionStatus::parse(&s).ok_or_else(|| {
                    ApiError::param_invalid("status", &format!("unknown session status {s}"))
                })
            })
            .transpose()?;
        let patch = SessionPatch {
            status,
            expire_in_ms: spec.expire_in_ms,
            abandon_in_ms: spec.abandon_in_ms,
        };
        let now = now_ms();
        let mut store = state.store().lock();
        store.patch_session(&session_id, patch, now)?;
        session_response(&state, &store, &session_id, now)
    })())
}

fn session_response(
    state: &AppState,
    store: &crate::state::Store,
    session_id: &str,
    now: i64,
) -> Result<Response, ApiError> {
    let session = store
        .find_session(session_id)
        .ok_or_else(ApiError::not_found)?;
    let r = Renderer {
        dialect: state.config().dialect,
        store,
        now,
    };
    Ok(json::ok(&r.session(session)))
}

#[derive(serde::Serialize)]
struct Created {
    id: u64,
}

async fn add_fault(State(state): State<AppState>, body: Bytes) -> Response {
    result((|| {
        let spec: FaultSpec = parse(&body)?;
        let id = state.faults().lock().add(spec)?;
        Ok(json::ok(&Created { id }))
    })())
}

async fn list_faults(State(state): State<AppState>) -> Response {
    json::ok(&state.faults().lock().list())
}

async fn clear_faults(State(state): State<AppState>) -> StatusCode {
    state.faults().lock().clear();
    StatusCode::NO_CONTENT
}

async fn get_log(State(state): State<AppState>, uri: Uri) -> Response {
    let include_preflight = form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
        .any(|(k, v)| k == "include_preflight" && matches!(&*v, "true" | "1"));
    json::ok(&state.log().lock().entries(include_preflight))
}

async fn clear_log(State(state): State<AppState>) -> StatusCode {
    state.log().lock().clear();
    StatusCode::NO_CONTENT
}

async fn current_client(State(state): State<AppState>, headers: HeaderMap, uri: Uri) -> Response {
    let token = peek_token(&state, &headers, &uri);
    client_json(&state, |store| {
        token.as_deref().and_then(|t| store.client_by_token(t))
    })
    .unwrap_or_else(|| json::ok(&()))
}

async fn client_by_id(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    client_json(&state, |store| store.client(&id))
        .unwrap_or_else(|| ApiError::not_found().into_response())
}

fn client_json(
    state: &AppState,
    find: impl for<'s> FnOnce(&'s crate::state::Store) -> Option<&'s crate::state::Client>,
) -> Option<Response> {
    let store = state.store().lock();
    let client = find(&store)?;
    let r = Renderer {
        dialect: state.config().dialect,
        store: &store,
        now: now_ms(),
    };
    Some(json::ok(&r.client(client)))
}

/// Longest token lifetime `POST /__mock/config` accepts: a year.
pub const MAX_TOKEN_LIFETIME_SECS: i64 = 365 * 24 * 3600;

/// Runtime settings (`GET|POST /__mock/config`); `POST /__mock/reset` restores the defaults.
#[derive(Debug, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// `exp - iat` of session tokens minted from now on, 0 to a year (default 60).
    pub token_lifetime_secs: Option<i64>,
}

fn settings(state: &AppState) -> Settings {
    Settings {
        token_lifetime_secs: Some(state.token_lifetime_secs()),
    }
}

async fn get_config(State(state): State<AppState>) -> Response {
    json::ok(&settings(&state))
}

async fn set_config(State(state): State<AppState>, body: Bytes) -> Response {
    result((|| {
        let spec: Settings = parse(&body)?;
        if let Some(secs) = spec.token_lifetime_secs {
            if !(0..=MAX_TOKEN_LIFETIME_SECS).contains(&secs) {
                return Err(ApiError::param_invalid(
                    "token_lifetime_secs",
                    "token_lifetime_secs must be between 0 and a year (31536000).",
                ));
            }
            state.set_token_lifetime_secs(secs);
        }
        Ok(json::ok(&settings(&state)))
    })())
}

async fn list_dev_browsers(State(state): State<AppState>) -> Response {
    let browsers: Vec<DevBrowser> = state.dev_browsers().lock().list().to_vec();
    json::ok(&browsers)
}

async fn clear_dev_browsers(State(state): State<AppState>) -> StatusCode {
    state.dev_browsers().lock().clear();
    StatusCode::NO_CONTENT
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RotateSpec {
    id: Option<String>,
}

#[derive(serde::Serialize)]
struct Rotating {
    rotating: usize,
}

/// Asks for a rotation: the next request with the dev browser's JWT gets a new one in
/// `Clerk-Db-Jwt` (404 for an unknown id).
async fn rotate_dev_browsers(State(state): State<AppState>, body: Bytes) -> Response {
    result((|| {
        let spec: RotateSpec = parse(&body)?;
        let rotating = state
            .dev_browsers()
            .lock()
            .request_rotation(spec.id.as_deref());
        if spec.id.is_some() && rotating == 0 {
            return Err(ApiError::not_found());
        }
        Ok(json::ok(&Rotating { rotating }))
    })())
}
