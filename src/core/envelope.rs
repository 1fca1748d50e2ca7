//! `{"response": ..., "client": ...}` and Clerk error bodies, read into typed results.

use super::error::{decimal, msg, Error, ErrorKind};
use super::json::{self, Kind, Value};
use super::time;
use super::wire::{self, ClientDoc};

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
    /// Any path the app named (`request()`): as [`Endpoint::Other`], but an answer that is
    /// no envelope at all (`GET /v1/environment` answers the bare object) is no error.
    Any,
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

/// The envelope's members this reader uses (`response` is `Some(null)` when present as
/// `null`, `None` when missing).
struct Envelope<'a> {
    response: Option<Value<'a>>,
    client: Option<Value<'a>>,
    errors: Option<Value<'a>>,
    trace_id: Option<String>,
}

/// Whether `value` is a client object (`"object": "client"`).
fn is_client(value: Value<'_>) -> bool {
    value
        .get("object")
        .and_then(|o| o.as_str())
        .is_some_and(|o| o == "client")
}

fn non_null(value: Option<Value<'_>>) -> Option<Value<'_>> {
    value.filter(|v| !v.is_null())
}

/// Reads an answer to a request sent to `endpoint`. `now` (ms since the epoch) resolves a
/// `Retry-After` given as an HTTP date when the answer has no `Date` header.
pub fn read(endpoint: Endpoint, reply: Reply<'_>, now: time::Millis) -> Reading {
    read_after(endpoint, reply, now, None)
}

/// [`read`], given the cached client: its sessions that the answer repeats byte for byte
/// are taken over instead of read again ([`wire::parse_client_after`]).
pub fn read_after(
    endpoint: Endpoint,
    reply: Reply<'_>,
    now: time::Millis,
    previous: Option<&ClientDoc>,
) -> Reading {
    let ok = (200..300).contains(&reply.status);
    let document = parse_document(reply);
    let envelope = match &document {
        Ok(Some(document)) => envelope_of(document, reply.status).map(Some),
        Ok(None) => Ok(None),
        Err(e) => Err(e.clone()),
    };
    if !ok {
        return read_failure(reply, envelope.ok().flatten(), now, previous);
    }
    let envelope = match envelope {
        Ok(Some(e)) => e,
        Ok(None) if endpoint == Endpoint::DeleteClient => return success(Some(None)),
        Ok(None) => return failure(Error::parse(reply.status, "empty body where JSON was due")),
        Err(e) => return failure(e),
    };
    let has_client = non_null(envelope.client).is_some();
    if let Some(errors) = non_null(envelope.errors) {
        // An `errors` answer with no client to apply is a failure; from an app's own call
        // (`Other`) a `response` beside the errors does not change that.
        let unanswered = match endpoint {
            Endpoint::Other | Endpoint::Any => !has_client,
            _ => envelope.response.is_none() && envelope.client.is_none(),
        };
        if unanswered {
            let mut error = Error::new(ErrorKind::Http, "the server answered with errors");
            error.status = Some(reply.status);
            fill_errors(&mut error, errors, envelope.trace_id);
            return failure(error);
        }
    }
    let piggyback = non_null(envelope.client);
    let update = match endpoint {
        Endpoint::DeleteClient => Some(None),
        Endpoint::GetClient | Endpoint::PutClient => match (piggyback, envelope.response) {
            (Some(client), _) => Some(Some(client)),
            (None, Some(response)) if response.is_null() => {
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
        Endpoint::Other | Endpoint::Any => match (piggyback, envelope.response) {
            (Some(client), _) => Some(Some(client)),
            // Sign-out answers (`DELETE /v1/client/sessions`) carry the client as their
            // `response`, with `client: null`.
            (None, Some(response)) if is_client(response) => Some(Some(response)),
            (None, Some(_)) => None,
            (None, None) if envelope.client.is_some() || endpoint == Endpoint::Any => None,
            (None, None) => {
                return failure(Error::parse(
                    reply.status,
                    "not a Frontend API answer: neither `response` nor `client`",
                ))
            }
        },
    };
    match update {
        None => success(None),
        Some(None) => success(Some(None)),
        Some(Some(raw)) => match wire::parse_client_after(raw, previous) {
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

/// `Ok(None)` for an empty body, `Ok(Some)` for a JSON document, `Err` otherwise.
fn parse_document(reply: Reply<'_>) -> Result<Option<json::Document<'_>>, Error> {
    let text = std::str::from_utf8(reply.body)
        .map_err(|_| Error::parse(reply.status, "the body is not UTF-8"))?;
    // JSON's own whitespace only: `str::trim` would also drop Unicode spaces and a BOM,
    // which `JSON.parse` refuses.
    let trimmed = text.trim_matches([' ', '\t', '\n', '\r']);
    if trimmed.is_empty() {
        return Ok(None);
    }
    if trimmed.starts_with('<') {
        return Err(Error::parse(reply.status, "an HTML page, not JSON"));
    }
    json::parse(trimmed)
        .map(Some)
        .map_err(|e| Error::parse(reply.status, &e.describe()))
}

/// The envelope's members, if the document is an object.
fn envelope_of<'a>(document: &'a json::Document<'a>, status: u16) -> Result<Envelope<'a>, Error> {
    let document = document.root();
    if document.kind() != Kind::Object {
        return Err(Error::parse(status, "not a JSON object"));
    }
    let mut envelope = Envelope {
        response: None,
        client: None,
        errors: None,
        trace_id: None,
    };
    for (key, value) in document.members().into_iter().flatten() {
        if key.is("response") {
            envelope.response = Some(value);
        } else if key.is("client") {
            envelope.client = Some(value);
        } else if key.is("errors") {
            envelope.errors = Some(value);
        } else if key.is("clerk_trace_id") {
            envelope.trace_id = value.as_str().map(|s| s.into_owned());
        }
    }
    Ok(envelope)
}

fn read_failure(
    reply: Reply<'_>,
    envelope: Option<Envelope<'_>>,
    now: time::Millis,
    previous: Option<&ClientDoc>,
) -> Reading {
    // A piggybacked client on an error answer is still the newest state. If it cannot be
    // read, the HTTP error is what the caller needs to hear about.
    let update = envelope
        .as_ref()
        .and_then(|e| non_null(e.client))
        .and_then(|client| wire::parse_client_after(client, previous).ok())
        .map_or(ClientUpdate::Keep, |doc| ClientUpdate::Set(Some(doc)));
    Reading {
        update,
        error: Some(http_error(reply, envelope, now)),
    }
}

/// Copies a Clerk `errors` array into `error`: the raw array for JavaScript, the first
/// item's code and message for quick checks. A malformed array is dropped, not fatal: the
/// status already says the request failed.
fn fill_errors(error: &mut Error, errors: Value<'_>, trace_id: Option<String>) {
    error.trace_id = trace_id;
    let Some(mut items) = errors.items() else {
        return;
    };
    if !items.all(|i| i.kind() == Kind::Object) {
        return;
    }
    error.errors_json = Some(errors.text().to_owned());
    let Some(first) = errors.items().and_then(|mut i| i.next()) else {
        return;
    };
    error.code = first
        .get("code")
        .and_then(|c| c.as_str())
        .map(|c| c.into_owned());
    let message = first
        .get("long_message")
        .or_else(|| first.get("message"))
        .and_then(|m| m.as_str());
    if let Some(message) = message {
        error.message = message.into_owned();
    }
}

/// Reads the answer of `POST /v1/client/sessions/{id}/tokens[/{template}]`: a bare
/// `{"object":"token","jwt":"..."}`, no envelope. A non-2xx status is an `http` error with
/// what the server said (Clerk's `errors`, `Retry-After`); anything else is a `parse` error.
pub fn read_token(reply: Reply<'_>, now: time::Millis) -> Result<String, Error> {
    read_field(reply, "jwt", now)
}

/// Reads a bare JSON object answer's string field `name` (a token's `jwt`, a dev browser's
/// `id`): a non-2xx status is an `http` error with what the server said, anything else
/// but a non-empty string there a `parse` error.
pub fn read_field(reply: Reply<'_>, name: &str, now: time::Millis) -> Result<String, Error> {
    if !(200..300).contains(&reply.status) {
        return Err(failure_of(reply, now));
    }
    let document =
        parse_document(reply)?.ok_or_else(|| Error::parse(reply.status, "an empty answer"))?;
    let root = document.root();
    let value = (root.kind() == Kind::Object)
        .then(|| root.get(name))
        .flatten()
        .and_then(|j| j.as_str())
        .filter(|j| !j.is_empty());
    match value {
        Some(value) => Ok(value.into_owned()),
        None => Err(Error::parse(
            reply.status,
            &["an answer without `", name, "`"].concat(),
        )),
    }
}

/// The `http` error a non-2xx answer is: its status, `Retry-After`, and Clerk's `errors` and
/// trace id when the body has them (a piggybacked client is not read).
pub fn failure_of(reply: Reply<'_>, now: time::Millis) -> Error {
    let document = parse_document(reply);
    let envelope = match &document {
        Ok(Some(document)) => envelope_of(document, reply.status).ok(),
        _ => None,
    };
    http_error(reply, envelope, now)
}

fn http_error(reply: Reply<'_>, envelope: Option<Envelope<'_>>, now: time::Millis) -> Error {
    let mut error = Error::new(
        ErrorKind::Http,
        msg(&["HTTP ", &decimal(u64::from(reply.status))]),
    );
    error.status = Some(reply.status);
    error.retry_after = reply
        .retry_after
        .and_then(|v| time::retry_after_seconds(v, reply.date, now));
    if let Some(envelope) = envelope {
        match non_null(envelope.errors) {
            Some(errors) => fill_errors(&mut error, errors, envelope.trace_id),
            None => error.trace_id = envelope.trace_id,
        }
    }
    error
}
