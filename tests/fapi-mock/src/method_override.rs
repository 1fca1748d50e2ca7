//! `POST <path>?_method=PUT|DELETE|PATCH`: Clerk's SDK sends every mutation as a POST (no CORS
//! preflight); the API treats it as the method named.

use axum::extract::Request;
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;

/// The method the request arrived with, before any override (a request extension).
#[derive(Debug, Clone)]
pub struct RawMethod(pub Method);

/// The method named by `_method` in a query string, if it is one that may override POST.
pub fn override_in_query(query: &str) -> Option<Method> {
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "_method")
        .and_then(|(_, v)| match v.to_ascii_uppercase().as_str() {
            "PUT" => Some(Method::PUT),
            "DELETE" => Some(Method::DELETE),
            "PATCH" => Some(Method::PATCH),
            _ => None,
        })
}

/// Middleware: rewrites the method of an overridden POST and records the raw one.
pub async fn method_override(mut request: Request, next: Next) -> Response {
    let raw = request.method().clone();
    if raw == Method::POST {
        if let Some(method) = request.uri().query().and_then(override_in_query) {
            *request.method_mut() = method;
        }
    }
    request.extensions_mut().insert(RawMethod(raw));
    next.run(request).await
}
