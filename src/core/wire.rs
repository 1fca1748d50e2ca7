//! The Frontend API's objects as the core needs them.
//!
//! The core reads only what it decides on (ids, statuses, times, which session is active)
//! and keeps every object's JSON text so the browser layer can hand it to `JSON.parse`
//! untouched: unknown fields pass through. Each object is kept as a *shell*, its text with
//! the child that has an identity of its own punched out (a client's `sessions` array
//! becomes `[]`, a session's `user` becomes `null`), so an unchanged child can be reused
//! by the browser layer without parsing it again.

use std::borrow::Cow;

use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

use super::error::Error;
use super::session::{self, SessionStatus};
use super::time::{self, Millis};

/// A client as cached by the core.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientDoc {
    /// `id`.
    pub id: String,
    /// The client's JSON with `sessions` replaced by `[]` (or unchanged when it had none).
    pub shell: String,
    /// Whether `shell` had its `sessions` punched out (the browser layer fills them in).
    pub has_sessions: bool,
    /// `last_active_session_id`.
    pub last_active_session_id: Option<String>,
    /// `updated_at`, normalised.
    pub updated_at: Option<Millis>,
    /// `sessions`, in wire order.
    pub sessions: Vec<SessionDoc>,
    /// Index in `sessions` of the active session.
    pub active: Option<usize>,
}

/// A session as cached by the core.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionDoc {
    /// `id`.
    pub id: String,
    /// `status`.
    pub status: SessionStatus,
    /// `expire_at`, normalised: the absolute lifetime limit.
    pub expire_at: Option<Millis>,
    /// `abandon_at`, normalised: the inactivity limit.
    pub abandon_at: Option<Millis>,
    /// The session's JSON with `user` replaced by `null`.
    pub shell: String,
    /// The session's user, when it has one.
    pub user: Option<UserDoc>,
}

/// A user as cached by the core.
#[derive(Debug, Clone, PartialEq)]
pub struct UserDoc {
    /// `id`, when given.
    pub id: Option<String>,
    /// The user's JSON exactly as sent.
    pub text: String,
}

#[derive(Deserialize)]
struct ClientWire<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(default, borrow)]
    object: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    sessions: Option<&'a RawValue>,
    #[serde(default, borrow)]
    last_active_session_id: Option<Cow<'a, str>>,
    #[serde(default)]
    updated_at: Option<f64>,
}

#[derive(Deserialize)]
struct SessionWire<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(borrow)]
    status: Cow<'a, str>,
    #[serde(default)]
    expire_at: Option<f64>,
    #[serde(default)]
    abandon_at: Option<f64>,
    #[serde(default, borrow)]
    user: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct UserWire<'a> {
    #[serde(default, borrow)]
    id: Option<Cow<'a, str>>,
}

/// Deserializes a field that is present (even as `null`) to `Some(raw)`, so that a missing
/// field (`None` through `#[serde(default)]`) and an explicit `null` can be told apart.
pub(crate) fn present<'de, D>(d: D) -> Result<Option<&'de RawValue>, D::Error>
where
    D: Deserializer<'de>,
{
    <&'de RawValue>::deserialize(d).map(Some)
}

/// Whether a raw JSON value is an object (serde would also read a struct from an array).
fn is_object(raw: &RawValue) -> bool {
    raw.get().trim_start().starts_with('{')
}

/// Whether a raw JSON value is `null`.
pub(crate) fn is_null(raw: &RawValue) -> bool {
    raw.get().trim() == "null"
}

/// `parent` with `child` (a sub-slice of it) replaced by `fill`.
fn punch(parent: &str, child: &str, fill: &str) -> Option<String> {
    let start = (child.as_ptr() as usize).checked_sub(parent.as_ptr() as usize)?;
    let end = start.checked_add(child.len())?;
    let head = parent.get(..start)?;
    let tail = parent.get(end..)?;
    Some([head, fill, tail].concat())
}

fn bad(what: impl std::fmt::Display) -> Error {
    Error::parse(200, what)
}

/// Reads a client object from its raw JSON.
///
/// Strict on what the core decides on, transparent on the rest: ids must be strings,
/// `sessions` an array of objects with distinct ids, `last_active_session_id` must name
/// one of them, timestamps must be numbers; any other field may hold anything.
pub fn parse_client(raw: &RawValue) -> Result<ClientDoc, Error> {
    if !is_object(raw) {
        return Err(bad("the client is not an object"));
    }
    let text = raw.get();
    let wire: ClientWire<'_> =
        serde_json::from_str(text).map_err(|e| bad(format!("client: {e}")))?;
    if let Some(object) = &wire.object {
        if object != "client" {
            return Err(bad(format!("expected a client, got object \"{object}\"")));
        }
    }
    let (shell, has_sessions, sessions) = match wire.sessions.filter(|s| !is_null(s)) {
        None => (text.to_owned(), false, Vec::new()),
        Some(list) => {
            let items: Vec<&RawValue> = serde_json::from_str(list.get())
                .map_err(|e| bad(format!("client.sessions: {e}")))?;
            let shell = punch(text, list.get(), "[]").ok_or_else(|| bad("client.sessions"))?;
            let sessions = items
                .into_iter()
                .map(parse_session)
                .collect::<Result<Vec<_>, _>>()?;
            (shell, true, sessions)
        }
    };
    for (i, s) in sessions.iter().enumerate() {
        if sessions.iter().skip(i + 1).any(|t| t.id == s.id) {
            return Err(bad(format!("duplicate session id {}", s.id)));
        }
    }
    let last_active_session_id = wire.last_active_session_id.map(Cow::into_owned);
    if let Some(wanted) = &last_active_session_id {
        if !sessions.iter().any(|s| &s.id == wanted) {
            return Err(bad(format!(
                "last_active_session_id {wanted} names no session of the client"
            )));
        }
    }
    let active = session::active_index(
        last_active_session_id.as_deref(),
        sessions.iter().map(|s| (s.id.as_str(), &s.status)),
    );
    Ok(ClientDoc {
        id: wire.id.into_owned(),
        shell,
        has_sessions,
        last_active_session_id,
        updated_at: wire.updated_at.and_then(time::normalize),
        sessions,
        active,
    })
}

fn parse_session(raw: &RawValue) -> Result<SessionDoc, Error> {
    if !is_object(raw) {
        return Err(bad("a session is not an object"));
    }
    let text = raw.get();
    let wire: SessionWire<'_> =
        serde_json::from_str(text).map_err(|e| bad(format!("session: {e}")))?;
    let (shell, user) = match wire.user.filter(|u| !is_null(u)) {
        None => (text.to_owned(), None),
        Some(user) => {
            if !is_object(user) {
                return Err(bad(format!("session {}: user is not an object", wire.id)));
            }
            let parsed: UserWire<'_> = serde_json::from_str(user.get())
                .map_err(|e| bad(format!("session {}: user: {e}", wire.id)))?;
            let shell = punch(text, user.get(), "null").ok_or_else(|| bad("session.user"))?;
            let doc = UserDoc {
                id: parsed.id.map(Cow::into_owned),
                text: user.get().to_owned(),
            };
            (shell, Some(doc))
        }
    };
    Ok(SessionDoc {
        id: wire.id.into_owned(),
        status: SessionStatus::parse(&wire.status),
        expire_at: wire.expire_at.and_then(time::normalize),
        abandon_at: wire.abandon_at.and_then(time::normalize),
        shell,
        user,
    })
}
