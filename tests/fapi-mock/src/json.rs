//! JSON bodies: serializing answers and reading request bodies (JSON or form-urlencoded).

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::errors::ApiError;

/// A response with `status`, `Content-Type: application/json` and `value` serialized.
pub fn response(status: StatusCode, value: &impl Serialize) -> Response {
    match serde_json::to_vec(value) {
        Ok(bytes) => with_content_type(status, bytes, "application/json"),
        Err(_) => with_content_type(
            StatusCode::INTERNAL_SERVER_ERROR,
            b"{\"errors\":[]}".to_vec(),
            "application/json",
        ),
    }
}

/// A 200 JSON response.
pub fn ok(value: &impl Serialize) -> Response {
    response(StatusCode::OK, value)
}

/// A response with the given raw body and content type.
pub fn with_content_type(status: StatusCode, body: Vec<u8>, content_type: &str) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    if let Ok(value) = HeaderValue::from_str(content_type) {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    response
}

/// Reads a request body as a flat map of parameters: JSON objects when the content type says
/// JSON (or the body starts with `{`), form-urlencoded otherwise. An empty body is an empty map.
pub fn params(headers: &HeaderMap, body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    let trimmed = body.trim_ascii();
    if trimmed.is_empty() {
        return Ok(Map::new());
    }
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().contains("json"))
        || trimmed.starts_with(b"{");
    if is_json {
        match serde_json::from_slice::<Value>(trimmed) {
            Ok(Value::Object(map)) => Ok(map),
            Ok(_) => Err(ApiError::malformed(
                "The request body must be a JSON object.",
            )),
            Err(e) => Err(ApiError::malformed(&format!(
                "The request body is not valid JSON: {e}"
            ))),
        }
    } else {
        Ok(form_urlencoded::parse(body)
            .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
            .collect())
    }
}

/// A string parameter, if present, non-empty and a string (numbers are rendered as text).
pub fn param<'a>(params: &'a Map<String, Value>, name: &str) -> Option<std::borrow::Cow<'a, str>> {
    match params.get(name)? {
        Value::String(s) if !s.is_empty() => Some(std::borrow::Cow::Borrowed(s.as_str())),
        Value::Number(n) => Some(std::borrow::Cow::Owned(n.to_string())),
        _ => None,
    }
}
