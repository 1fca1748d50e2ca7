//! CORS for credentialed requests from loopback origins and `--allow-origin` ones.
//!
//! An allowed origin is echoed in `Access-Control-Allow-Origin` with
//! `Access-Control-Allow-Credentials: true`; any other origin gets no CORS headers at all.
//! Preflights (`OPTIONS` with `Access-Control-Request-Method`) are answered here, 204, for
//! every path.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;

/// Methods a preflight allows.
pub const ALLOW_METHODS: &str = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
/// Response headers scripts may read.
///
/// `Clerk-Db-Jwt` carries a rotated dev browser JWT, `Authorization` a native client's token.
pub const EXPOSE_HEADERS: &str = "Retry-After, Date, X-Clerk-Trace-Id, Clerk-Db-Jwt, Authorization";
/// How long a browser may cache a preflight, in seconds.
pub const MAX_AGE_SECS: &str = "600";

/// Whether `origin` is `http(s)://127.0.0.1`, `localhost` or `[::1]`, with or without a port.
pub fn is_loopback_origin(origin: &str) -> bool {
    let Some(rest) = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
    else {
        return false;
    };
    let host = if rest.starts_with('[') {
        match rest.find(']') {
            Some(end) => rest.get(..=end).unwrap_or(""),
            None => return false,
        }
    } else {
        rest.split(':').next().unwrap_or("")
    };
    let after = rest.get(host.len()..).unwrap_or("x");
    let port_ok = after.is_empty()
        || after.strip_prefix(':').is_some_and(|p| {
            !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit())
        });
    port_ok && matches!(host, "127.0.0.1" | "localhost" | "[::1]")
}

/// The request's `Origin` if it is allowed.
fn allowed_origin<'h>(state: &AppState, headers: &'h HeaderMap) -> Option<&'h HeaderValue> {
    let value = headers.get(header::ORIGIN)?;
    let origin = value.to_str().ok()?;
    let allowed =
        is_loopback_origin(origin) || state.config().allow_origins.iter().any(|o| o == origin);
    allowed.then_some(value)
}

/// Whether the request is a CORS preflight.
pub fn is_preflight(request: &Request) -> bool {
    request.method() == Method::OPTIONS
        && request
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD)
}

/// Middleware: answers preflights and decorates answers to allowed origins.
pub async fn cors(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let origin = allowed_origin(&state, request.headers()).cloned();
    if is_preflight(&request) {
        crate::request_log::record_preflight(&state, &request, StatusCode::NO_CONTENT);
        let mut response = StatusCode::NO_CONTENT.into_response();
        if let Some(origin) = origin {
            let requested = request
                .headers()
                .get(header::ACCESS_CONTROL_REQUEST_HEADERS)
                .cloned();
            let h = response.headers_mut();
            allow(h, origin);
            h.insert(
                header::ACCESS_CONTROL_ALLOW_METHODS,
                HeaderValue::from_static(ALLOW_METHODS),
            );
            if let Some(requested) = requested {
                h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, requested);
            }
            h.insert(
                header::ACCESS_CONTROL_MAX_AGE,
                HeaderValue::from_static(MAX_AGE_SECS),
            );
        }
        vary(response.headers_mut());
        return response;
    }
    let mut response = next.run(request).await;
    if let Some(origin) = origin {
        let h = response.headers_mut();
        allow(h, origin);
        h.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static(EXPOSE_HEADERS),
        );
    }
    vary(response.headers_mut());
    response
}

fn allow(headers: &mut HeaderMap, origin: HeaderValue) {
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
        HeaderValue::from_static("true"),
    );
}

fn vary(headers: &mut HeaderMap) {
    headers.append(header::VARY, HeaderValue::from_static("Origin"));
}

#[cfg(test)]
mod tests {
    use super::is_loopback_origin;

    #[test]
    fn loopback_origins() {
        for ok in [
            "http://127.0.0.1:5173",
            "http://localhost:8080",
            "https://localhost",
            "http://[::1]:3000",
            "http://127.0.0.1",
        ] {
            assert!(is_loopback_origin(ok), "{ok}");
        }
        for bad in [
            "http://127.0.0.1.evil.com",
            "http://localhost.evil.com:80",
            "http://evil.com",
            "null",
            "http://127.0.0.1:",
            "http://127.0.0.1:80/x",
            "ftp://localhost",
            "http://[::1",
        ] {
            assert!(!is_loopback_origin(bad), "{bad}");
        }
    }
}
