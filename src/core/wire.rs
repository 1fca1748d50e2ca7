//! The Frontend API's objects as the core needs them.
//!
//! The core reads only what it decides on (ids, statuses, times, which session is active)
//! and keeps every object's JSON text so the browser layer can hand it to `JSON.parse`
//! untouched: unknown fields pass through. Each object is kept as a *shell*, its text with
//! the child that has an identity of its own punched out (a client's `sessions` array
//! becomes `[]`, a session's `user` becomes `null`), so an unchanged child can be reused
//! by the browser layer without parsing it again.

use super::error::{msg, Error};
use super::json::{Kind, Value};
use super::session::{self, SessionStatus};
use super::sort;
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
    /// Where the user's text starts in the session's text (and `null` in `shell`).
    pub user_at: usize,
    /// `last_active_token.jwt`: the newest session token the server minted for it, which
    /// seeds `getToken()`'s cache. Read leniently: anything else is no token.
    pub token: Option<String>,
}

impl SessionDoc {
    /// Whether `raw` is exactly the text this session was read from (its shell with the
    /// user's text back in place), compared without rebuilding it.
    fn was_read_from(&self, raw: &str) -> bool {
        let Some(user) = &self.user else {
            return raw == self.shell;
        };
        let at = self.user_at;
        let (user, raw) = (user.text.as_bytes(), raw.as_bytes());
        let shell = self.shell.as_bytes();
        let end = at.saturating_add(user.len());
        raw.len() == shell.len().saturating_sub(4).saturating_add(user.len())
            && raw.get(..at) == shell.get(..at)
            && raw.get(at..end) == Some(user)
            && raw.get(end..) == shell.get(at.saturating_add(4)..)
    }
}

/// A user as cached by the core.
#[derive(Debug, Clone, PartialEq)]
pub struct UserDoc {
    /// The user's JSON exactly as sent.
    pub text: String,
}

fn bad(what: &str) -> Error {
    Error::parse(200, what)
}

/// `parent` with `child` (a sub-slice of it) replaced by `fill`.
fn punch(parent: &str, child: &str, fill: &str) -> Option<String> {
    let start = (child.as_ptr() as usize).checked_sub(parent.as_ptr() as usize)?;
    let end = start.checked_add(child.len())?;
    let head = parent.get(..start)?;
    let tail = parent.get(end..)?;
    Some([head, fill, tail].concat())
}

/// A string field: `Ok(None)` when absent or `null`, an error for any other type.
fn opt_string(value: Option<Value<'_>>, what: &str) -> Result<Option<String>, Error> {
    match value {
        None => Ok(None),
        Some(v) if v.is_null() => Ok(None),
        Some(v) => v
            .as_str()
            .map(|s| Some(s.into_owned()))
            .ok_or_else(|| bad(&msg(&[what, " must be a string"]))),
    }
}

fn string(value: Option<Value<'_>>, what: &str) -> Result<String, Error> {
    opt_string(value, what)?.ok_or_else(|| bad(&msg(&[what, " is missing"])))
}

/// A timestamp field: absent, `null` and absurd values read as `None`; other types fail.
fn opt_time(value: Option<Value<'_>>, what: &str) -> Result<Option<Millis>, Error> {
    match value {
        None => Ok(None),
        Some(v) if v.is_null() => Ok(None),
        Some(v) => v
            .as_f64()
            .map(time::normalize)
            .ok_or_else(|| bad(&msg(&[what, " must be a number"]))),
    }
}

/// An object-or-null field: `Ok(None)` when absent or `null`.
fn opt_of_kind<'a>(
    value: Option<Value<'a>>,
    kind: Kind,
    what: &str,
) -> Result<Option<Value<'a>>, Error> {
    match value {
        None => Ok(None),
        Some(v) if v.is_null() => Ok(None),
        Some(v) if v.kind() == kind => Ok(Some(v)),
        Some(_) => Err(bad(&msg(&[what, " has the wrong type"]))),
    }
}

/// The last member of each wanted name, in one pass over the object's members.
fn fields<'a, const N: usize>(object: Value<'a>, names: [&str; N]) -> [Option<Value<'a>>; N] {
    let mut found = [None; N];
    for (key, value) in object.members().into_iter().flatten() {
        if let Some(slot) = names
            .iter()
            .position(|n| key.is(n))
            .and_then(|i| found.get_mut(i))
        {
            *slot = Some(value);
        }
    }
    found
}

/// Reads a client object.
///
/// Strict on what the core decides on, transparent on the rest: ids must be strings,
/// `sessions` an array of objects with distinct ids, `last_active_session_id` a string (one
/// that names no session means no session is active), timestamps must be numbers; any
/// other field may hold anything.
pub fn parse_client(value: Value<'_>) -> Result<ClientDoc, Error> {
    parse_client_after(value, None)
}

/// [`parse_client`], reusing the sessions of `previous` (the cached client) that are
/// byte-identical at the same place in the list: an answer where one session of a hundred
/// moved reads one session, not a hundred. Exact: a session's reading depends on its text
/// alone.
pub fn parse_client_after(
    value: Value<'_>,
    previous: Option<&ClientDoc>,
) -> Result<ClientDoc, Error> {
    if value.kind() != Kind::Object {
        return Err(bad("the client is not an object"));
    }
    let text = value.text();
    let [id, object, sessions, last_active, updated_at] = fields(
        value,
        [
            "id",
            "object",
            "sessions",
            "last_active_session_id",
            "updated_at",
        ],
    );
    if let Some(object) = opt_string(object, "client.object")? {
        if object != "client" {
            return Err(bad(&msg(&[
                "expected a client, got object \"",
                &object,
                "\"",
            ])));
        }
    }
    let id = string(id, "client.id")?;
    let (shell, has_sessions, sessions) =
        match opt_of_kind(sessions, Kind::Array, "client.sessions")? {
            None => (text.to_owned(), false, Vec::new()),
            Some(list) => {
                let shell = punch(text, list.text(), "[]").ok_or_else(|| bad("client.sessions"))?;
                let old = previous.map_or(&[][..], |p| p.sessions.as_slice());
                let sessions = list
                    .items()
                    .into_iter()
                    .flatten()
                    .enumerate()
                    .map(|(i, item)| match old.get(i) {
                        Some(same) if same.was_read_from(item.text()) => Ok(same.clone()),
                        _ => parse_session(item),
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                (shell, true, sessions)
            }
        };
    let ids = sort::sorted_ids(sessions.iter().map(|s| s.id.as_str()));
    if let Some(pair) = ids
        .windows(2)
        .find(|w| w.first().map(|p| p.0) == w.get(1).map(|p| p.0))
    {
        let id = pair.first().map_or("", |p| p.0);
        return Err(bad(&msg(&["duplicate session id ", id])));
    }
    // An id that names no session of the client (ended and dropped elsewhere, say) is read
    // as Clerk's SDK reads it: the client stands, with no active session.
    let last_active_session_id = opt_string(last_active, "client.last_active_session_id")?;
    let active = session::active_index(
        last_active_session_id.as_deref(),
        sessions.iter().map(|s| (s.id.as_str(), &s.status)),
    );
    Ok(ClientDoc {
        id,
        shell,
        has_sessions,
        last_active_session_id,
        updated_at: opt_time(updated_at, "client.updated_at")?,
        sessions,
        active,
    })
}

fn parse_session(value: Value<'_>) -> Result<SessionDoc, Error> {
    if value.kind() != Kind::Object {
        return Err(bad("a session is not an object"));
    }
    let text = value.text();
    let [id, status, expire_at, abandon_at, user, token] = fields(
        value,
        [
            "id",
            "status",
            "expire_at",
            "abandon_at",
            "user",
            "last_active_token",
        ],
    );
    let token = token
        .filter(|t| t.kind() == Kind::Object)
        .and_then(|t| t.get("jwt"))
        .and_then(|j| j.as_str())
        .map(|j| j.into_owned());
    let id = string(id, "session.id")?;
    let status = match status {
        // A string Rust cannot hold (a lone surrogate) is no status this version knows.
        Some(v) if v.kind() == Kind::String && v.as_str().is_none() => {
            SessionStatus::Other(String::new())
        }
        other => SessionStatus::parse(&string(other, "session.status")?),
    };
    let (shell, user, user_at) = match opt_of_kind(user, Kind::Object, "session.user")? {
        None => (text.to_owned(), None, 0),
        Some(user) => {
            let [user_id] = fields(user, ["id"]);
            let shell = punch(text, user.text(), "null").ok_or_else(|| bad("session.user"))?;
            let at = (user.text().as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
            // Checked, not kept: sharing compares the whole text.
            opt_string(user_id, "user.id")?;
            let doc = UserDoc {
                text: user.text().to_owned(),
            };
            (shell, Some(doc), at)
        }
    };
    Ok(SessionDoc {
        status,
        expire_at: opt_time(expire_at, "session.expire_at")?,
        abandon_at: opt_time(abandon_at, "session.abandon_at")?,
        id,
        shell,
        user,
        user_at,
        token,
    })
}
