//! Fault injection for `/v1/*`: delays, synthetic errors, raw bodies, dropped connections.
//!
//! Faults are queued by `POST /__mock/faults` and consumed first-in first-out: a request
//! takes the oldest pending fault that matches its effective method and path, and that
//! fault's `count` goes down by one (it leaves the queue at zero).

use std::collections::{BTreeMap, VecDeque};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine as _;
use http_body::Frame;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::errors::ApiError;
use crate::request_log::is_logged_path;
use crate::AppState;

/// A fault as posted to `/__mock/faults`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultSpec {
    /// Effective method to match (after `_method` override); any when absent.
    pub method: Option<String>,
    /// Exact path to match; any `/v1/*` path when absent.
    pub path: Option<String>,
    /// How many requests this fault applies to (default 1).
    pub count: Option<u32>,
    /// Wait this long before answering (or before running the real handler).
    pub delay_ms: Option<u64>,
    /// Status to answer with (or to rewrite the real answer's status to).
    pub status: Option<u16>,
    /// `Retry-After` header value (a string or a number).
    pub retry_after: Option<Value>,
    /// Raw body to answer with.
    pub body: Option<String>,
    /// Raw body to answer with, base64 (standard alphabet, padded): for bodies that are
    /// not UTF-8. Not together with `body`.
    pub body_base64: Option<String>,
    /// `Content-Type` of `body` (default `application/json`).
    pub content_type: Option<String>,
    /// Extra headers.
    pub headers: Option<BTreeMap<String, String>>,
    /// Close the connection without an answer.
    pub drop: Option<bool>,
    /// Run the real handler (after the delay) and then apply the other alterations.
    /// Default: true when none of `status`, `body`, `drop` is given.
    pub pass_through: Option<bool>,
}

/// A validated, queued fault.
#[derive(Debug, Clone)]
pub struct Fault {
    /// Id answered at creation.
    pub id: u64,
    method: Option<Method>,
    path: Option<String>,
    remaining: u32,
    delay: Duration,
    status: Option<StatusCode>,
    body: Option<Bytes>,
    headers: Vec<(HeaderName, HeaderValue)>,
    drop: bool,
    pass_through: bool,
}

/// What `GET /__mock/faults` lists.
#[derive(Debug, Serialize)]
pub struct FaultSummary {
    /// Fault id.
    pub id: u64,
    /// Method matched, if any.
    pub method: Option<String>,
    /// Path matched, if any.
    pub path: Option<String>,
    /// Requests it still applies to.
    pub remaining: u32,
}

fn invalid(long_message: &str) -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "invalid_fault",
        "invalid fault",
        long_message,
    )
}

fn header_value(name: &str, value: &str) -> Result<HeaderValue, ApiError> {
    HeaderValue::from_str(value).map_err(|_| invalid(&format!("bad value for header {name}")))
}

impl Fault {
    /// Validates a spec (method, status, header names and values).
    pub fn from_spec(id: u64, spec: FaultSpec) -> Result<Self, ApiError> {
        let method = spec
            .method
            .map(|m| Method::from_bytes(m.to_ascii_uppercase().as_bytes()))
            .transpose()
            .map_err(|_| invalid("bad method"))?;
        let status = spec
            .status
            .filter(|s| (200..=599).contains(s))
            .map(StatusCode::from_u16)
            .transpose()
            .ok()
            .flatten();
        if spec.status.is_some() && status.is_none() {
            return Err(invalid("status must be between 200 and 599"));
        }
        let mut headers = Vec::new();
        if let Some(retry_after) = spec.retry_after {
            let text = match retry_after {
                Value::String(s) => s,
                other => other.to_string(),
            };
            headers.push((header::RETRY_AFTER, header_value("Retry-After", &text)?));
        }
        if let Some(ct) = &spec.content_type {
            headers.push((header::CONTENT_TYPE, header_value("Content-Type", ct)?));
        } else if spec.body.is_some() || spec.body_base64.is_some() {
            headers.push((
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ));
        }
        for (name, value) in spec.headers.unwrap_or_default() {
            let parsed = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| invalid(&format!("bad header name {name}")))?;
            headers.push((parsed, header_value(&name, &value)?));
        }
        let body = match (spec.body, spec.body_base64) {
            (Some(_), Some(_)) => return Err(invalid("give body or body_base64, not both")),
            (Some(text), None) => Some(Bytes::from(text)),
            (None, Some(encoded)) => Some(Bytes::from(
                base64::engine::general_purpose::STANDARD
                    .decode(encoded)
                    .map_err(|_| invalid("body_base64 is not base64"))?,
            )),
            (None, None) => None,
        };
        let drop = spec.drop.unwrap_or(false);
        let alters = status.is_some() || body.is_some() || drop;
        Ok(Self {
            id,
            method,
            path: spec.path,
            remaining: spec.count.unwrap_or(1),
            delay: Duration::from_millis(spec.delay_ms.unwrap_or(0)),
            status,
            body,
            headers,
            drop,
            pass_through: spec.pass_through.unwrap_or(!alters),
        })
    }

    fn matches(&self, method: &Method, path: &str) -> bool {
        self.remaining > 0
            && self.method.as_ref().is_none_or(|m| m == method)
            && self.path.as_deref().is_none_or(|p| p == path)
    }

    /// Applies the fault to `request`: waits, then answers (or lets the handler answer),
    /// alters the answer, or drops the connection.
    async fn apply(self, request: Request, next: Next) -> Response {
        if !self.delay.is_zero() {
            tokio::time::sleep(self.delay).await;
        }
        let mut response = if self.pass_through {
            next.run(request).await
        } else if self.drop {
            Response::new(Body::empty())
        } else {
            let status = self.status.unwrap_or(StatusCode::OK);
            match &self.body {
                None => ApiError::for_status(status).to_response(),
                Some(_) => Response::new(Body::empty()),
            }
        };
        if let Some(status) = self.status {
            *response.status_mut() = status;
        }
        if let Some(body) = self.body {
            response.headers_mut().remove(header::CONTENT_LENGTH);
            *response.body_mut() = Body::from(body);
        }
        for (name, value) in self.headers {
            response.headers_mut().insert(name, value);
        }
        if self.drop {
            response.headers_mut().remove(header::CONTENT_LENGTH);
            *response.body_mut() = Body::new(FailingBody);
        }
        response
    }
}

/// A body whose first read fails: hyper then aborts the connection without a complete answer.
struct FailingBody;

impl http_body::Body for FailingBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        Poll::Ready(Some(Err(std::io::Error::other(
            "fapi-mock fault: connection dropped",
        ))))
    }
}

/// Pending faults.
#[derive(Debug, Default)]
pub struct FaultQueue {
    next_id: u64,
    faults: VecDeque<Fault>,
}

impl FaultQueue {
    /// Validates and queues a fault; answers its id.
    pub fn add(&mut self, spec: FaultSpec) -> Result<u64, ApiError> {
        let id = self.next_id + 1;
        let fault = Fault::from_spec(id, spec)?;
        self.next_id = id;
        if fault.remaining > 0 {
            self.faults.push_back(fault);
        }
        Ok(id)
    }

    /// Consumes one use of the oldest fault matching the request.
    pub fn take(&mut self, method: &Method, path: &str) -> Option<Fault> {
        let index = self.faults.iter().position(|f| f.matches(method, path))?;
        let fault = self.faults.get_mut(index)?;
        fault.remaining -= 1;
        let taken = fault.clone();
        if fault.remaining == 0 {
            self.faults.remove(index);
        }
        Some(taken)
    }

    /// The pending faults.
    pub fn list(&self) -> Vec<FaultSummary> {
        self.faults
            .iter()
            .map(|f| FaultSummary {
                id: f.id,
                method: f.method.as_ref().map(Method::to_string),
                path: f.path.clone(),
                remaining: f.remaining,
            })
            .collect()
    }

    /// Forgets every pending fault.
    pub fn clear(&mut self) {
        self.faults.clear();
    }
}

/// Middleware for `/v1/*`: logs the request and applies the first matching fault.
pub async fn observe(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !is_logged_path(request.uri().path()) {
        return next.run(request).await;
    }
    let fault = state
        .faults()
        .lock()
        .take(request.method(), request.uri().path());
    let dropped = fault.as_ref().is_some_and(|f| f.drop);
    let seq = {
        let mut log = state.log().lock();
        let seq = log.begin(&request, false);
        if let Some(entry) = log.entry_mut(seq) {
            entry.fault = fault.is_some();
            entry.fault_id = fault.as_ref().map(|f| f.id);
        }
        seq
    };
    let response = match fault {
        Some(fault) => fault.apply(request, next).await,
        None => next.run(request).await,
    };
    if let Some(entry) = state.log().lock().entry_mut(seq) {
        entry.status = (!dropped).then_some(response.status().as_u16());
        entry.dropped = dropped;
    }
    response
}
