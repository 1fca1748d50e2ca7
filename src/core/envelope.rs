//! `{"response": ..., "client": ...}` and Clerk error bodies, read into typed results.

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::error::{Error, ErrorKind};
use super::time;
use super::wire::{self, is_null, present, ClientDoc};

/// Which request an answer belongs to: it decides how the envelope is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// `GET /v1/client`: `response` is the client, or `null` when there is none.
    GetClient,
    /// `PUT /v1/client`: `response` is the new client.
    PutClient,
    /// `DELETE /v1/client`: afterwards there is no client, whatever the body (empty in the
    /// seed dialect, the ended client in today's).
    DeleteClient,
    /// Any other request: only a piggybacked `client` changes the cached client.
    Other,
}

/// An HTTP answer as the transport received it.
#[derive(Debug, Clone, Copy)]
pub struct Reply<'a> {
    /// The status code.
    pub status: u16,
    /// The body, as bytes.
    pub body: &'a [u8],
    /// The `Retry-After` header.
    pub retry_after: Option<&'a str>,
    /// The `Date` header.
    pub date: Option<&'a str>,
}

/// What an answer says about the client.
#[derive(Debug, Clone, PartialEq)]
pub enum ClientUpdate {
    /// Nothing: keep the cached client.
    Keep,
    /// The current client is now this one (`None`: there is no client).
    Set(Option<ClientDoc>),
}

/// The reading of one answer: a client update, and the error if the request failed. Both
/// can be present: an error answer may still carry a piggybacked client.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// What to do with the cached client.
    pub update: ClientUpdate,
    /// Why the request failed, if it did.
    pub error: Option<Error>,
}

#[derive(Deserialize)]
struct EnvelopeWire<'a> {
    #[serde(default, borrow, deserialize_with = "present")]
    response: Option<&'a RawValue>,
    #[serde(default, borrow)]
    client: Option<&'a RawValue>,
    #[serde(default, borrow)]
    errors: Option<&'a RawValue>,
    #[serde(default, borrow)]
    clerk_trace_id: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct ErrorItemWire<'a> {
    #[serde(default, borrow)]
    code: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    message: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    long_message: Option<Cow<'a, str>>,
}

/// Reads an answer to a request sent to `endpoint`. `now` (ms since the epoch) resolves a
/// `Retry-After` given as an HTTP date when the answer has no `Date` header.
pub fn read(endpoint: Endpoint, reply: Reply<'_>, now: time::Millis) -> Reading {
    let ok = (200..300).contains(&reply.status);
    let envelope = parse_envelope(reply);
    if !ok {
        return read_failure(reply, envelope.ok().flatten(), now);
    }
    let envelope = match envelope {
        Ok(Some(e)) => e,
        Ok(None) if endpoint == Endpoint::DeleteClient => return success(Some(None)),
        Ok(None) => return failure(Error::parse(reply.status, "empty body where JSON was due")),
        Err(e) => return failure(e),
    };
    if let Some(errors) = envelope.errors.filter(|e| !is_null(e)) {
        if envelope.response.is_none() && envelope.client.is_none() {
            let mut error = Error::new(ErrorKind::Http, "the server answered with errors");
            error.status = Some(reply.status);
            fill_errors(&mut error, errors, envelope.clerk_trace_id.as_deref());
            return failure(error);
        }
    }
    let piggyback = envelope.client.filter(|c| !is_null(c));
    let update = match endpoint {
        Endpoint::DeleteClient => Some(None),
        Endpoint::GetClient | Endpoint::PutClient => match (piggyback, envelope.response) {
            (Some(client), _) => Some(Some(client)),
            (None, Some(response)) if is_null(response) => {
                if endpoint == Endpoint::PutClient {
                    return failure(Error::parse(reply.status, "PUT answered no client"));
                }
                Some(None)
            }
            (None, Some(response)) => Some(Some(response)),
            (None, None) => {
                return failure(Error::parse(
                    reply.status,
                    "the envelope has neither `response` nor `client`",
                ))
            }
        },
        Endpoint::Other => piggyback.map(Some),
    };
    match update {
        None => success(None),
        Some(None) => success(Some(None)),
        Some(Some(raw)) => match wire::parse_client(raw) {
            Ok(doc) => success(Some(Some(doc))),
            Err(mut e) => {
                e.status = Some(reply.status);
                failure(e)
            }
        },
    }
}

fn success(set: Option<Option<ClientDoc>>) -> Reading {
    Reading {
        update: set.map_or(ClientUpdate::Keep, ClientUpdate::Set),
        error: None,
    }
}

fn failure(error: Error) -> Reading {
    Reading {
        update: ClientUpdate::Keep,
        error: Some(error),
    }
}

/// `Ok(None)` for an empty body, `Ok(Some)` for a JSON object, `Err` otherwise.
fn parse_envelope(reply: Reply<'_>) -> Result<Option<EnvelopeWire<'_>>, Error> {
    let text = std::str::from_utf8(reply.body)
        .map_err(|_| Error::parse(reply.status, "the body is not UTF-8"))?;
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    if nesting_depth(trimmed.as_bytes()) > MAX_DEPTH {
        return Err(Error::parse(reply.status, "JSON nested too deeply"));
    }
    if !trimmed.starts_with('{') {
        let what = if trimmed.starts_with('<') {
            "an HTML page, not JSON"
        } else {
            "not a JSON object"
        };
        return Err(Error::parse(reply.status, what));
    }
    serde_json::from_str(trimmed)
        .map(Some)
        .map_err(|e| Error::parse(reply.status, e))
}

/// How deep an answer may nest. Frontend API objects nest less than ten levels; user
/// metadata may go deeper, but nothing legitimate comes near this. The browser's
/// `JSON.parse` and the snapshot's freezing then never meet a hostile depth.
const MAX_DEPTH: usize = 128;

/// The deepest nesting of arrays and objects in `json`, strings skipped. One pass, no
/// recursion, so a hostile body cannot exhaust the (small) wasm stack here.
fn nesting_depth(json: &[u8]) -> usize {
    let (mut depth, mut max, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for &b in json {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                max = max.max(depth);
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

fn read_failure(
    reply: Reply<'_>,
    envelope: Option<EnvelopeWire<'_>>,
    now: time::Millis,
) -> Reading {
    let mut error = Error::new(ErrorKind::Http, format!("HTTP {}", reply.status));
    error.status = Some(reply.status);
    error.retry_after = reply
        .retry_after
        .and_then(|v| time::retry_after_seconds(v, reply.date, now));
    let mut update = ClientUpdate::Keep;
    if let Some(envelope) = envelope {
        if let Some(errors) = envelope.errors.filter(|e| !is_null(e)) {
            fill_errors(&mut error, errors, envelope.clerk_trace_id.as_deref());
        } else if let Some(trace) = envelope.clerk_trace_id {
            error.trace_id = Some(trace.into_owned());
        }
        // A piggybacked client on an error answer is still the newest state. If it cannot
        // be read, the HTTP error is what the caller needs to hear about.
        if let Some(client) = envelope.client.filter(|c| !is_null(c)) {
            if let Ok(doc) = wire::parse_client(client) {
                update = ClientUpdate::Set(Some(doc));
            }
        }
    }
    Reading {
        update,
        error: Some(error),
    }
}

/// Copies a Clerk `errors` array into `error`: the raw array for JavaScript, the first
/// item's code and message for quick checks. A malformed array is dropped, not fatal: the
/// status already says the request failed.
fn fill_errors(error: &mut Error, errors: &RawValue, trace_id: Option<&str>) {
    error.trace_id = trace_id.map(str::to_owned);
    let Ok(items) = serde_json::from_str::<Vec<&RawValue>>(errors.get()) else {
        return;
    };
    if items.iter().any(|i| !i.get().trim_start().starts_with('{')) {
        return;
    }
    error.errors_json = Some(errors.get().to_owned());
    if let Some(Ok(first)) = items
        .first()
        .map(|i| serde_json::from_str::<ErrorItemWire<'_>>(i.get()))
    {
        error.code = first.code.map(Cow::into_owned);
        if let Some(message) = first.long_message.or(first.message) {
            error.message = message.into_owned();
        }
    }
}
