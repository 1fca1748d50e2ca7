//! Tabs keep each other current. When this tab learns that who is signed in changed through
//! its own doing (a `refresh()`, `create()`, `destroy()` or `applyResponse()` that moved the
//! client, the active session or the signed-in state), it tells the other tabs of its origin (and other
//! managers of the same Frontend API in the page); they ask the server themselves. The
//! message carries no state: a tab trusts only the Frontend API, so a forged or stale
//! message costs at most one GET.
//!
//! What is decided here: which changes are announced ([`announces`]), what a message looks
//! like ([`MESSAGE`], [`is_nudge`]), the channel's name ([`channel_name`]) and what a tab
//! does with a nudge it cannot act on at once ([`Nudges`]).

use super::state::{State, Status};

/// The only message sent: "something changed, ask the server".
pub const MESSAGE: &str = "fapi-session:changed";

/// The `BroadcastChannel` name for a Frontend API origin: tabs talking to another Frontend
/// API (another app on the same origin) are not disturbed.
pub fn channel_name(origin: &str) -> String {
    ["fapi-session ", origin].concat()
}

/// Whether a message's data is a nudge (anything else on the channel is ignored).
pub fn is_nudge(data: Option<&str>) -> bool {
    data == Some(MESSAGE)
}

/// Who is signed in, as far as other tabs care: the client, its active session and
/// whether that session counts as signed in. Token refreshes, `last_active_at` and other
/// churn are not part of it, so they are never announced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identity {
    client: Option<String>,
    session: Option<String>,
    signed_in: bool,
}

impl Identity {
    /// The identity `state` holds now, or `None` while it is not known (before the first
    /// good answer).
    pub fn of(state: &State) -> Option<Self> {
        (state.status() == Status::Ready).then(|| Self {
            client: state.client().map(|c| c.id.clone()),
            session: state.session().map(|s| s.id.clone()),
            signed_in: state.is_signed_in(),
        })
    }
}

/// Whether a change made for `cause`, from `before` (`None`: not known yet) to `after`, is
/// news for the other tabs. Only this tab's own requests count: never the first load, a
/// revalidation, or a refresh a nudge caused (so two tabs cannot set each other off).
/// - `refresh()`: when who is signed in moved (a `refresh()` that is the first read
///   moves nothing: it only learns).
/// - `create()`, `destroy()`, `applyResponse()` (cause `"piggyback"`) and the session calls
///   (`signIn()`, `signOut()`, `setActive()`, `request()`): when it moved, or
///   was not known before (a sign-out page that calls `destroy()` without loading first
///   still tells the others).
pub fn announces(cause: Option<&str>, before: Option<&Identity>, after: Option<&Identity>) -> bool {
    match cause {
        Some(cause) if announces_cause(cause) => match before {
            // Not known before: a mutation tells, a first read only learns.
            None => cause != "refresh",
            Some(_) => before != after,
        },
        _ => false,
    }
}

/// Whether a change made for `cause` may be announced at all (see [`announces`]): the
/// browser layer takes the identity before a request only then.
pub fn announces_cause(cause: &str) -> bool {
    matches!(
        cause,
        "refresh"
            | "create"
            | "destroy"
            | "piggyback"
            | "signIn"
            | "signOut"
            | "setActive"
            | "request"
    )
}

/// What a tab does with nudges it cannot act on at once. A nudge that comes while the page
/// is hidden waits for it to become visible (one GET then, however many came, and none
/// from tabs nobody is looking at). A nudge that comes while a GET is in flight cannot be
/// answered by that GET (it may have left before the other tab's change): one more GET
/// follows when it settles.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Nudges {
    hidden: bool,
    after_read: bool,
}

impl Nudges {
    /// A nudge came. `hidden`: the page is hidden; `reading`: a GET is in flight. Whether
    /// to refresh now.
    pub fn receive(&mut self, hidden: bool, reading: bool) -> bool {
        if hidden {
            self.hidden = true;
            false
        } else if reading {
            self.after_read = true;
            false
        } else {
            true
        }
    }

    /// The page became visible (`reading`: a GET is in flight). Whether to refresh now for
    /// a nudge that waited.
    pub fn visible(&mut self, reading: bool) -> bool {
        let waited = std::mem::take(&mut self.hidden);
        waited && self.receive(false, reading)
    }

    /// A GET settled. Whether to refresh again for a nudge that came during it; forgets it.
    pub fn read_settled(&mut self) -> bool {
        std::mem::take(&mut self.after_read)
    }
}
