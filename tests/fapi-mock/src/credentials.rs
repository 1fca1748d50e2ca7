//! How a request names its client, and how an answer hands the client's token back.
//!
//! A client is named by its client token ([`Client::token`]), an opaque random string:
//!
//! * a browser on a production instance sends it as the `__client` cookie, and gets it in
//!   `Set-Cookie` when a client is made (cleared when it is deleted);
//! * a native app (`_is_native=1` in the query, on either instance) sends it in the
//!   `Authorization` header (bare or `Bearer …`), and every answer carries the current
//!   client's token in the `Authorization` header; no cookie is read or set;
//! * a browser on a development instance sends a dev browser JWT as the `__clerk_db_jwt`
//!   query parameter; the dev browser holds the token (see [`crate::dev_browser`]). Without a
//!   valid JWT every `/v1/*` route but `/v1/dev_browser` and `/v1/environment` answers 401
//!   `dev_browser_unauthenticated`.
//!
//! The [`identify`] middleware works this out once per `/v1/*` request and hands handlers a
//! [`Caller`]; handlers that make or delete the client say so with [`created`] / [`deleted`].

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::dev_browser;
use crate::ids::now_ms;
use crate::instance::Instance;
use crate::state::{Client, COOKIE_LIFETIME_MS};
use crate::AppState;

/// Name of the cookie that names the client.
pub const CLIENT_COOKIE: &str = "__client";
/// Query parameter that makes a request native.
pub const NATIVE_PARAM: &str = "_is_native";
/// Routes that need no client credential on any instance.
pub const CREDENTIAL_FREE_PATHS: [&str; 2] = ["/v1/dev_browser", "/v1/environment"];

/// How the caller names its client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transport {
    /// The `__client` cookie.
    Cookie,
    /// The `Authorization` header (`_is_native=1`).
    Native,
    /// The dev browser with this id.
    DevBrowser(String),
}

/// Who is calling: how, and the client token it names (if any).
#[derive(Debug, Clone)]
pub struct Caller {
    /// How the client is named.
    pub transport: Transport,
    /// The client token presented (or held by the dev browser).
    pub token: Option<String>,
}

impl Caller {
    /// The client token, for the store's lookups.
    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }
}

/// What a handler did to the caller's client (a response extension read by [`identify`]).
#[derive(Debug, Clone)]
pub enum ClientChange {
    /// A new client now stands for the caller.
    Created {
        /// Its id.
        id: String,
        /// Its token.
        token: String,
    },
    /// The caller's client was deleted.
    Deleted,
}

/// Marks `response` as having made `client` the caller's client.
pub fn created(mut response: Response, client: &Client) -> Response {
    response.extensions_mut().insert(ClientChange::Created {
        id: client.id.clone(),
        token: client.token.clone(),
    });
    response
}

/// Marks `response` as having deleted the caller's client.
pub fn deleted(mut response: Response) -> Response {
    response.extensions_mut().insert(ClientChange::Deleted);
    response
}

/// The `__client` cookie of a request, if any.
pub fn client_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == CLIENT_COOKIE)
        .map(|(_, value)| value.trim_matches('"').to_owned())
}

/// The client token of an `Authorization` header (`TOKEN` or `Bearer TOKEN`), if any.
pub fn authorization_token(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let token = match value.split_once(char::is_whitespace) {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => rest.trim(),
        _ if value.eq_ignore_ascii_case("bearer") => "",
        _ => value,
    };
    (!token.is_empty()).then(|| token.to_owned())
}

fn query_param(uri: &Uri, name: &str) -> Option<String> {
    form_urlencoded::parse(uri.query()?.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// Whether the request asks for native mode (`_is_native=1` or `true`).
pub fn is_native(uri: &Uri) -> bool {
    query_param(uri, NATIVE_PARAM).is_some_and(|v| matches!(v.as_str(), "1" | "true"))
}

/// Whether the request came over https (per `X-Forwarded-Proto`).
pub fn is_https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

/// The `Set-Cookie` value for `value` (`None` clears the cookie with `Max-Age=0`); `Secure`
/// when the request came over https.
pub fn set_cookie_header(value: Option<&str>, secure: bool) -> HeaderValue {
    let (value, max_age) = match value {
        Some(v) => (v, COOKIE_LIFETIME_MS / 1000),
        None => ("", 0),
    };
    let cookie = format!(
        "{CLIENT_COOKIE}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{}",
        if secure { "; Secure" } else { "" }
    );
    HeaderValue::from_str(&cookie).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The client token a request names, without side effects (no rotation): for the control
/// plane, which answers "the caller's client" for any transport.
pub fn peek_token(state: &AppState, headers: &HeaderMap, uri: &Uri) -> Option<String> {
    if is_native(uri) {
        return authorization_token(headers);
    }
    if state.config().instance == Instance::Development {
        let jwt = query_param(uri, dev_browser::QUERY_PARAM)?;
        let client_id = state
            .dev_browsers()
            .lock()
            .lookup(&jwt)?
            .client_id
            .clone()?;
        return state
            .store()
            .lock()
            .client(&client_id)
            .map(|c| c.token.clone());
    }
    client_cookie(headers)
}

/// Whether [`identify`] looks at requests to `path`.
fn needs_credentials(path: &str) -> bool {
    path.starts_with("/v1/") && !CREDENTIAL_FREE_PATHS.contains(&path)
}

/// Middleware for `/v1/*`: works out the [`Caller`] (or answers 401 on a development
/// instance without a valid dev browser), runs the handler, then hands the client token back
/// the caller's way and adds a rotated dev browser JWT.
pub async fn identify(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    if !needs_credentials(request.uri().path()) {
        return next.run(request).await;
    }
    let headers = request.headers();
    let mut rotated_jwt = None;
    let caller = if is_native(request.uri()) {
        Caller {
            transport: Transport::Native,
            token: authorization_token(headers),
        }
    } else if state.config().instance == Instance::Development {
        let jwt = query_param(request.uri(), dev_browser::QUERY_PARAM).unwrap_or_default();
        let auth = match state.dev_browsers().lock().authenticate(&jwt, now_ms()) {
            Ok(auth) => auth,
            Err(e) => return e.into_response(),
        };
        rotated_jwt = auth.rotated_jwt;
        let token = auth
            .client_id
            .and_then(|id| state.store().lock().client(&id).map(|c| c.token.clone()));
        Caller {
            transport: Transport::DevBrowser(auth.id),
            token,
        }
    } else {
        Caller {
            transport: Transport::Cookie,
            token: client_cookie(headers),
        }
    };
    let secure = is_https(headers);
    request.extensions_mut().insert(caller.clone());
    let mut response = next.run(request).await;
    let change = response.extensions_mut().remove::<ClientChange>();
    hand_back(&state, &caller, change, secure, &mut response);
    if let Some(value) = rotated_jwt.and_then(|jwt| HeaderValue::from_str(&jwt).ok()) {
        response
            .headers_mut()
            .insert(dev_browser::ROTATION_HEADER, value);
    }
    response
}

/// Hands the caller's (possibly new) client token back the way it came.
fn hand_back(
    state: &AppState,
    caller: &Caller,
    change: Option<ClientChange>,
    secure: bool,
    response: &mut Response,
) {
    match (&caller.transport, change) {
        (Transport::Cookie, Some(ClientChange::Created { token, .. })) => {
            let cookie = set_cookie_header(Some(&token), secure);
            response.headers_mut().append(header::SET_COOKIE, cookie);
        }
        (Transport::Cookie, Some(ClientChange::Deleted)) => {
            let cookie = set_cookie_header(None, secure);
            response.headers_mut().append(header::SET_COOKIE, cookie);
        }
        (Transport::Cookie, None) => {}
        (Transport::Native, change) => {
            let token = match change {
                Some(ClientChange::Created { token, .. }) => Some(token),
                Some(ClientChange::Deleted) => None,
                None => caller
                    .token
                    .clone()
                    .filter(|t| state.store().lock().client_by_token(t).is_some()),
            };
            if let Some(value) = token.and_then(|t| HeaderValue::from_str(&t).ok()) {
                response.headers_mut().insert(header::AUTHORIZATION, value);
            }
        }
        (Transport::DevBrowser(id), Some(ClientChange::Created { id: client_id, .. })) => {
            state.dev_browsers().lock().attach(id, Some(client_id));
        }
        (Transport::DevBrowser(id), Some(ClientChange::Deleted)) => {
            state.dev_browsers().lock().attach(id, None);
        }
        (Transport::DevBrowser(_), None) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorization_values() {
        let mut headers = HeaderMap::new();
        assert_eq!(authorization_token(&headers), None);
        for (value, token) in [
            ("abc", Some("abc")),
            ("Bearer abc", Some("abc")),
            ("bearer  abc ", Some("abc")),
            ("Bearer ", None),
            ("", None),
        ] {
            headers.insert(header::AUTHORIZATION, HeaderValue::from_static(value));
            assert_eq!(authorization_token(&headers).as_deref(), token, "{value:?}");
        }
    }

    #[test]
    fn native_flag() {
        for (uri, native) in [
            ("/v1/client?_is_native=1", true),
            ("/v1/client?a=b&_is_native=true", true),
            ("/v1/client?_is_native=0", false),
            ("/v1/client", false),
        ] {
            assert_eq!(is_native(&uri.parse().unwrap()), native, "{uri}");
        }
    }
}
