//! Clerk-format error answers: `{"errors":[{code,message,long_message,meta}],"meta":{},"clerk_trace_id"}`.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::ids;

/// Name of the response header carrying the trace id of an error.
pub const TRACE_HEADER: &str = "x-clerk-trace-id";

/// An error answered in Clerk's format.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Machine-readable code such as `resource_not_found`.
    pub code: String,
    /// Short message.
    pub message: String,
    /// Long message.
    pub long_message: String,
    /// The error's `meta` object (for example `{"param_name": "password"}`).
    pub meta: Map<String, Value>,
}

#[derive(Serialize)]
struct ErrorItem<'a> {
    code: &'a str,
    message: &'a str,
    long_message: &'a str,
    meta: &'a Map<String, Value>,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    errors: [ErrorItem<'a>; 1],
    meta: Map<String, Value>,
    clerk_trace_id: &'a str,
}

impl ApiError {
    /// An error with the given status, code and messages and an empty `meta`.
    pub fn new(status: StatusCode, code: &str, message: &str, long_message: &str) -> Self {
        Self {
            status,
            code: code.to_owned(),
            message: message.to_owned(),
            long_message: long_message.to_owned(),
            meta: Map::new(),
        }
    }

    /// Adds `meta.param_name`.
    pub fn with_param(mut self, param_name: &str) -> Self {
        self.meta
            .insert("param_name".into(), Value::String(param_name.to_owned()));
        self
    }

    /// 404 `resource_not_found`.
    pub fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "resource_not_found",
            "not found",
            "The requested resource was not found.",
        )
    }

    /// 422 `form_identifier_not_found`.
    pub fn identifier_not_found() -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "form_identifier_not_found",
            "Couldn't find your account.",
            "Couldn't find your account.",
        )
        .with_param("identifier")
    }

    /// 422 `form_password_incorrect`.
    pub fn password_incorrect() -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "form_password_incorrect",
            "Password is incorrect. Try again, or use another method.",
            "Password is incorrect. Try again, or use another method.",
        )
        .with_param("password")
    }

    /// 422 `form_param_missing` for `param`.
    pub fn param_missing(param: &str) -> Self {
        let message = format!("{param} is missing");
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "form_param_missing",
            "is missing",
            &message,
        )
        .with_param(param)
    }

    /// 422 `form_param_format_invalid` for `param`.
    pub fn param_invalid(param: &str, long_message: &str) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "form_param_format_invalid",
            "is invalid",
            long_message,
        )
        .with_param(param)
    }

    /// 400 `malformed_request` (an unreadable body).
    pub fn malformed(long_message: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "malformed_request",
            "malformed request",
            long_message,
        )
    }

    /// 405 `request_method_not_allowed`.
    pub fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "request_method_not_allowed",
            "method not allowed",
            "The HTTP method is not supported by this endpoint.",
        )
    }

    /// The error a fault with only a `status` answers: a plausible code for that status.
    pub fn for_status(status: StatusCode) -> Self {
        let (code, message) = match status.as_u16() {
            400 => ("bad_request", "bad request"),
            401 => ("authentication_invalid", "unauthorized"),
            403 => ("authorization_invalid", "forbidden"),
            404 => ("resource_not_found", "not found"),
            409 => ("conflict", "conflict"),
            422 => ("form_param_format_invalid", "unprocessable"),
            429 => ("too_many_requests", "Too many requests, retry later"),
            500..=599 => ("internal_clerk_error", "Oops, an unexpected error occurred"),
            _ => ("unexpected_error", "unexpected error"),
        };
        Self::new(status, code, message, message)
    }

    /// The error body and a fresh trace id, as a response.
    pub fn to_response(&self) -> Response {
        let trace = ids::trace_id();
        let body = ErrorBody {
            errors: [ErrorItem {
                code: &self.code,
                message: &self.message,
                long_message: &self.long_message,
                meta: &self.meta,
            }],
            meta: Map::new(),
            clerk_trace_id: &trace,
        };
        let mut response = crate::json::response(self.status, &body);
        if let Ok(value) = HeaderValue::from_str(&trace) {
            response.headers_mut().insert(TRACE_HEADER, value);
        }
        response
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.to_response()
    }
}
