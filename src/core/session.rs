//! What a session's status means, and which session is the active one.

/// A session's `status` on the wire (FIELD-NOTES §1).
///
/// Statuses this version does not know are kept as [`SessionStatus::Other`] and read as
/// "not signed in": the API grows, and an unknown state must never grant a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionStatus {
    /// Signed in.
    Active,
    /// Signed in, with unfinished tasks (for example choosing an organization).
    Pending,
    /// Signed out by the user.
    Ended,
    /// Removed from the client.
    Removed,
    /// Revoked by the server or an administrator.
    Revoked,
    /// Past `expire_at`, the absolute lifetime limit.
    Expired,
    /// Past `abandon_at`, the inactivity limit.
    Abandoned,
    /// Replaced by another session.
    Replaced,
    /// A status this version does not know.
    Other(String),
}

impl SessionStatus {
    /// Reads a wire status.
    pub fn parse(raw: &str) -> Self {
        match raw {
            "active" => Self::Active,
            "pending" => Self::Pending,
            "ended" => Self::Ended,
            "removed" => Self::Removed,
            "revoked" => Self::Revoked,
            "expired" => Self::Expired,
            "abandoned" => Self::Abandoned,
            "replaced" => Self::Replaced,
            other => Self::Other(other.to_owned()),
        }
    }

    /// Whether a session in this status can be the client's active session
    /// (`active` or `pending`).
    pub fn is_current(&self) -> bool {
        matches!(self, Self::Active | Self::Pending)
    }

    /// Whether this status means the user is signed in (`active` only: a `pending`
    /// session still has tasks to finish).
    pub fn is_signed_in(&self) -> bool {
        matches!(self, Self::Active)
    }
}

/// Index of the active session: the entry whose id is `last_active_session_id` and whose
/// status is `active` or `pending`. `None` when there is no such entry.
pub fn active_index<'s, I>(last_active_session_id: Option<&str>, sessions: I) -> Option<usize>
where
    I: IntoIterator<Item = (&'s str, &'s SessionStatus)>,
{
    let wanted = last_active_session_id?;
    sessions
        .into_iter()
        .position(|(id, status)| id == wanted && status.is_current())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [(&str, bool, bool); 8] = [
        ("active", true, true),
        ("pending", true, false),
        ("ended", false, false),
        ("removed", false, false),
        ("revoked", false, false),
        ("expired", false, false),
        ("abandoned", false, false),
        ("replaced", false, false),
    ];

    #[test]
    fn every_status_has_a_meaning() {
        for (raw, current, signed_in) in ALL {
            let status = SessionStatus::parse(raw);
            assert!(!matches!(status, SessionStatus::Other(_)), "{raw}");
            assert_eq!(status.is_current(), current, "{raw}");
            assert_eq!(status.is_signed_in(), signed_in, "{raw}");
        }
    }

    #[test]
    fn unknown_status_never_signs_in() {
        let status = SessionStatus::parse("superuser");
        assert_eq!(status, SessionStatus::Other("superuser".into()));
        assert!(!status.is_current());
        assert!(!status.is_signed_in());
    }

    #[test]
    fn active_is_the_pointed_current_session() {
        let active = SessionStatus::Active;
        let ended = SessionStatus::Ended;
        let list = [("a", &ended), ("b", &active)];
        assert_eq!(active_index(Some("b"), list), Some(1));
        assert_eq!(
            active_index(Some("a"), list),
            None,
            "ended session is not active"
        );
        assert_eq!(active_index(None, list), None);
        assert_eq!(active_index(Some("zzz"), list), None);
    }
}
