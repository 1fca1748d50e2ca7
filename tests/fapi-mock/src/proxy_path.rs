//! `--proxy-path PREFIX`: the Frontend API (`/v1/*`, the key set) is served under `PREFIX` as
//! well as at the root, as a proxy on the app's own domain would (`proxyUrl` in clerk-js).
//!
//! A middleware strips the prefix before anything else sees the path, so routing, the log's
//! `path` and fault matching work on the unprefixed path; the log's `raw_path` keeps the one
//! on the wire.

use axum::extract::{Request, State};
use axum::http::Uri;
use axum::middleware::Next;
use axum::response::Response;

use crate::routes::is_frontend_api_path;
use crate::AppState;

/// The path a request arrived with, before the proxy prefix was stripped (a request extension).
#[derive(Debug, Clone)]
pub struct RawPath(pub String);

/// `PREFIX` with one leading slash and no trailing one; `None` for an empty prefix or `/`.
pub fn normalize(prefix: &str) -> Option<String> {
    let trimmed = prefix.trim().trim_matches('/');
    (!trimmed.is_empty()).then(|| format!("/{trimmed}"))
}

/// The unprefixed path of `path`, if it is a Frontend API path under `prefix`.
pub fn unprefixed<'p>(prefix: &str, path: &'p str) -> Option<&'p str> {
    path.strip_prefix(prefix)
        .filter(|rest| rest.starts_with('/') && is_frontend_api_path(rest))
}

fn rewrite(uri: &Uri, path: &str) -> Option<Uri> {
    let path_and_query = match uri.query() {
        Some(query) => format!("{path}?{query}"),
        None => path.to_owned(),
    };
    let mut parts = uri.clone().into_parts();
    parts.path_and_query = Some(path_and_query.parse().ok()?);
    Uri::from_parts(parts).ok()
}

/// Middleware: strips the proxy prefix from Frontend API paths.
pub async fn strip_prefix(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let raw = request.uri().path().to_owned();
    let rewritten = state
        .config()
        .proxy_path
        .as_deref()
        .and_then(|prefix| unprefixed(prefix, &raw))
        .and_then(|path| rewrite(request.uri(), path));
    if let Some(uri) = rewritten {
        *request.uri_mut() = uri;
    }
    request.extensions_mut().insert(RawPath(raw));
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes() {
        assert_eq!(normalize("/__clerk/").as_deref(), Some("/__clerk"));
        assert_eq!(normalize("api/clerk").as_deref(), Some("/api/clerk"));
        assert_eq!(normalize("/"), None);
        assert_eq!(
            unprefixed("/__clerk", "/__clerk/v1/client"),
            Some("/v1/client")
        );
        assert_eq!(
            unprefixed("/__clerk", "/__clerk/.well-known/jwks.json"),
            Some("/.well-known/jwks.json")
        );
        assert_eq!(unprefixed("/__clerk", "/__clerk/__mock/log"), None);
        assert_eq!(unprefixed("/__clerk", "/__clerkx/v1/client"), None);
        assert_eq!(unprefixed("/__clerk", "/v1/client"), None);
    }

    #[test]
    fn rewrite_keeps_the_query() {
        let uri: Uri = "/__clerk/v1/client?_is_native=1".parse().unwrap();
        assert_eq!(
            rewrite(&uri, "/v1/client").unwrap().to_string(),
            "/v1/client?_is_native=1"
        );
    }
}
