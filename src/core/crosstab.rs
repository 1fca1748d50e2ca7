//! Tabs of one site keep each other current. When this tab learns that who is signed in
//! changed through its own doing (a `refresh()`, `create()` or `destroy()` whose answer moved
//! the client, the active session or the signed-in state), it tells the site's other tabs;
//! they ask the server themselves. The message carries no state: a tab trusts only the
//! Frontend API, so a forged or stale message costs at most one GET.
//!
//! What is decided here: which changes are announced ([`announces`]), what a message looks
//! like ([`MESSAGE`], [`is_nudge`]), the channel's name ([`channel_name`]) and what a hidden
//! tab does with a nudge ([`Nudges`]).

use super::state::State;

/// The only message sent: "something changed, ask the server".
pub const MESSAGE: &str = "fapi-session:changed";

/// The `BroadcastChannel` name for a Frontend API origin: tabs talking to another Frontend
/// API (another app on the same site) are not disturbed.
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
    /// The identity `state` holds now.
    pub fn of(state: &State) -> Self {
        Self {
            client: state.client().map(|c| c.id.clone()),
            session: state.session().map(|s| s.id.clone()),
            signed_in: state.is_signed_in(),
        }
    }
}

/// Whether a change made for `cause`, from `before` to `after`, is news for the other tabs:
/// only this tab's own requests (not the first load, not a revalidation, and never a
/// change that a nudge caused, so two tabs cannot set each other off), and only when the
/// identity moved.
pub fn announces(cause: Option<&str>, before: &Identity, after: &Identity) -> bool {
    cause.is_some_and(announces_cause) && before != after
}

/// Whether a change made for `cause` may be announced at all (see [`announces`]): the
/// browser layer takes the identity before a request only then.
pub fn announces_cause(cause: &str) -> bool {
    matches!(cause, "refresh" | "create" | "destroy")
}

/// Nudges that came while the page was hidden wait for it to become visible: one GET then,
/// however many came, and none from tabs nobody is looking at.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Nudges {
    pending: bool,
}

impl Nudges {
    /// A nudge came; `hidden`: the page is hidden. Whether to refresh now.
    pub fn receive(&mut self, hidden: bool) -> bool {
        self.pending = hidden;
        !hidden
    }

    /// The page became visible. Whether a nudge was waiting (then refresh now); forgets it.
    pub fn take_pending(&mut self) -> bool {
        std::mem::take(&mut self.pending)
    }
}
