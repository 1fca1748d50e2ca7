//! Structural sharing: which parts of a new client are the same as the cached ones, so
//! the browser layer reuses their JS objects (memoized UI does not re-render) and parses
//! only what changed.
//!
//! Parts are compared by their JSON text. The Frontend API serialises deterministically,
//! so equal content is equal text; a server that reorders keys costs a rebuild, never a
//! wrong answer.

use super::sort;
use super::wire::{ClientDoc, SessionDoc};

/// How to obtain one session of the new client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionPart {
    /// Reuse the old client's session at this index, as it is.
    Reuse(usize),
    /// Build it from the new shell; its user as said.
    Build(UserPart),
}

/// How to obtain a new session's user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserPart {
    /// The session has no user.
    Absent,
    /// Reuse the user of the old client's session at this index.
    Reuse(usize),
    /// Parse it from the new text.
    Build,
}

/// The recipe for the new client's objects: one part per session, in the new order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// One entry per session of the new client.
    pub sessions: Vec<SessionPart>,
}

/// Compares a new client with the cached one. `None`: equal in content, nothing to do.
pub fn plan(old: Option<&ClientDoc>, new: &ClientDoc) -> Option<Plan> {
    let Some(old) = old else {
        return Some(fresh(new));
    };
    if old.shell == new.shell && old.has_sessions == new.has_sessions && same_sessions(old, new) {
        return None;
    }
    let mut index = None;
    let sessions = new
        .sessions
        .iter()
        .enumerate()
        .map(|(at, s)| {
            let previous = find(&old.sessions, &mut index, at, &s.id);
            match previous {
                Some((i, o)) if o.shell == s.shell && o.user == s.user => SessionPart::Reuse(i),
                _ => SessionPart::Build(user_part(old, previous.map(|(i, _)| i), s)),
            }
        })
        .collect();
    Some(Plan { sessions })
}

/// The old sessions' ids, sorted, for lookups when sessions moved.
struct Index<'a>(Vec<sort::Id<'a>>);

impl<'a> Index<'a> {
    fn new(old: &'a [SessionDoc]) -> Self {
        Self(sort::sorted_ids(old.iter().map(|s| s.id.as_str())))
    }

    fn get(&self, id: &str) -> Option<usize> {
        let at = self.0.binary_search_by(|(k, _)| (*k).cmp(id)).ok()?;
        self.0.get(at).map(|&(_, i)| i)
    }
}

/// The old session with this id: first at the same position (sessions rarely move), else
/// through the sorted index, built on first need. No hash map: it would cost more wasm.
fn find<'a>(
    old: &'a [SessionDoc],
    index: &mut Option<Index<'a>>,
    at: usize,
    id: &str,
) -> Option<(usize, &'a SessionDoc)> {
    if let Some(o) = old.get(at).filter(|o| o.id == id) {
        return Some((at, o));
    }
    let i = index.get_or_insert_with(|| Index::new(old)).get(id)?;
    old.get(i).map(|o| (i, o))
}

fn fresh(new: &ClientDoc) -> Plan {
    let sessions = new
        .sessions
        .iter()
        .map(|s| {
            SessionPart::Build(if s.user.is_some() {
                UserPart::Build
            } else {
                UserPart::Absent
            })
        })
        .collect();
    Plan { sessions }
}

fn same_sessions(old: &ClientDoc, new: &ClientDoc) -> bool {
    old.sessions.len() == new.sessions.len()
        && old
            .sessions
            .iter()
            .zip(&new.sessions)
            .all(|(a, b)| a.shell == b.shell && a.user == b.user)
}

/// Up to this many old sessions, a changed session's user is looked for among all of them.
const SCAN_LIMIT: usize = 64;

/// The user of a changed session: reuse the same session's old user when equal, else any
/// old session's equal user (the same person in a new session), else build.
fn user_part(old: &ClientDoc, same_session: Option<usize>, new: &SessionDoc) -> UserPart {
    let Some(user) = &new.user else {
        return UserPart::Absent;
    };
    let equal = |i: usize| {
        old.sessions
            .get(i)
            .and_then(|s| s.user.as_ref())
            .is_some_and(|u| u == user)
    };
    if let Some(i) = same_session.filter(|&i| equal(i)) {
        return UserPart::Reuse(i);
    }
    if old.sessions.len() > SCAN_LIMIT {
        // Keeps hostile answers linear; real clients have a handful of sessions.
        return UserPart::Build;
    }
    (0..old.sessions.len())
        .find(|&i| equal(i))
        .map_or(UserPart::Build, UserPart::Reuse)
}
