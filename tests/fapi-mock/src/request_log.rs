//! The log of requests to `/v1/*`, read by tests through `GET /__mock/log`.

use axum::extract::Request;
use axum::http::{header, StatusCode};
use serde::Serialize;

use crate::credentials::{authorization_token, client_cookie};
use crate::ids::now_ms;
use crate::method_override::RawMethod;
use crate::proxy_path::RawPath;
use crate::AppState;

/// One logged request.
#[derive(Debug, Clone, Serialize)]
pub struct LogEntry {
    /// Arrival order, from 1, never reused (not even after a clear).
    pub seq: u64,
    /// Effective method, after `?_method=` override.
    pub method: String,
    /// Method on the wire.
    pub raw_method: String,
    /// Path without the query (and without the proxy prefix).
    pub path: String,
    /// Path on the wire, with the proxy prefix if it came through it.
    pub raw_path: String,
    /// Raw query string, or `null`.
    pub query: Option<String>,
    /// Whether a `__client` cookie was sent.
    pub has_cookie: bool,
    /// Whether an `Authorization` header (a native client token) was sent.
    pub has_authorization: bool,
    /// The `Origin` header.
    pub origin: Option<String>,
    /// Status answered; `null` while in flight or when the connection was dropped.
    pub status: Option<u16>,
    /// Arrival time, ms since the epoch.
    pub at_ms: i64,
    /// Whether a fault was applied.
    pub fault: bool,
    /// Id of the applied fault.
    pub fault_id: Option<u64>,
    /// Whether the connection was dropped without an answer.
    pub dropped: bool,
    /// Whether this is a CORS preflight (only listed with `?include_preflight=true`).
    pub preflight: bool,
}

/// All entries since the last clear.
#[derive(Debug, Default)]
pub struct RequestLog {
    next_seq: u64,
    entries: Vec<LogEntry>,
}

impl RequestLog {
    /// Appends an entry for `request`; answers its `seq`.
    pub fn begin(&mut self, request: &Request, preflight: bool) -> u64 {
        self.next_seq += 1;
        let seq = self.next_seq;
        let raw = request
            .extensions()
            .get::<RawMethod>()
            .map_or_else(|| request.method().clone(), |m| m.0.clone());
        self.entries.push(LogEntry {
            seq,
            method: request.method().to_string(),
            raw_method: raw.to_string(),
            path: request.uri().path().to_owned(),
            raw_path: request
                .extensions()
                .get::<RawPath>()
                .map_or_else(|| request.uri().path().to_owned(), |p| p.0.clone()),
            query: request.uri().query().map(str::to_owned),
            has_cookie: client_cookie(request.headers()).is_some(),
            has_authorization: authorization_token(request.headers()).is_some(),
            origin: request
                .headers()
                .get(header::ORIGIN)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            status: None,
            at_ms: now_ms(),
            fault: false,
            fault_id: None,
            dropped: false,
            preflight,
        });
        seq
    }

    /// The entry `seq`, if it is still there.
    pub fn entry_mut(&mut self, seq: u64) -> Option<&mut LogEntry> {
        self.entries.iter_mut().rev().find(|e| e.seq == seq)
    }

    /// Entries in arrival order; preflights only when asked for.
    pub fn entries(&self, include_preflight: bool) -> Vec<LogEntry> {
        self.entries
            .iter()
            .filter(|e| include_preflight || !e.preflight)
            .cloned()
            .collect()
    }

    /// Forgets every entry (sequence numbers keep increasing).
    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

/// Whether requests to `path` are logged and subject to faults.
pub fn is_logged_path(path: &str) -> bool {
    path == "/v1" || path.starts_with("/v1/")
}

/// Logs a preflight to a `/v1/*` path with the status answered.
pub fn record_preflight(state: &AppState, request: &Request, status: StatusCode) {
    if !is_logged_path(request.uri().path()) {
        return;
    }
    let mut log = state.log().lock();
    let seq = log.begin(request, true);
    if let Some(entry) = log.entry_mut(seq) {
        entry.status = Some(status.as_u16());
    }
}
