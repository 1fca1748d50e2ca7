//! The in-memory model: clients, their sessions, and the operations the routes perform on them.
//!
//! Times are kept in milliseconds since the epoch; the dialects convert them when rendering.

use crate::errors::ApiError;
use crate::ids::new_id;
use crate::users::{seeded_users, User};

/// A session lives at most this long (`expire_at = now + 7 days`).
pub const SESSION_LIFETIME_MS: i64 = 7 * 24 * 3600 * 1000;
/// A session is abandoned after this long (`abandon_at = now + 30 days`).
pub const SESSION_ABANDON_MS: i64 = 30 * 24 * 3600 * 1000;
/// The `__client` cookie lives this long (`cookie_expires_at`, `Max-Age`).
pub const COOKIE_LIFETIME_MS: i64 = 365 * 24 * 3600 * 1000;

/// Mints the token of session `.0` of user `.1` at time `.2` (ms), for `last_active_token`.
pub type Mint<'a> = &'a dyn Fn(&str, &str, i64) -> String;

/// Status of a session, as on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionStatus {
    /// Signed in.
    Active,
    /// Signed in with unfinished tasks.
    Pending,
    /// Signed out by the user.
    Ended,
    /// Removed from the client.
    Removed,
    /// Revoked by an administrator.
    Revoked,
    /// `expire_at` has passed.
    Expired,
    /// `abandon_at` has passed.
    Abandoned,
    /// Replaced by another session.
    Replaced,
}

impl SessionStatus {
    /// The wire name (`"active"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Pending => "pending",
            Self::Ended => "ended",
            Self::Removed => "removed",
            Self::Revoked => "revoked",
            Self::Expired => "expired",
            Self::Abandoned => "abandoned",
            Self::Replaced => "replaced",
        }
    }

    /// Parses a wire name.
    pub fn parse(name: &str) -> Option<Self> {
        [
            Self::Active,
            Self::Pending,
            Self::Ended,
            Self::Removed,
            Self::Revoked,
            Self::Expired,
            Self::Abandoned,
            Self::Replaced,
        ]
        .into_iter()
        .find(|s| s.as_str() == name)
    }

    /// `active` or `pending`: the user is signed in with this session.
    pub fn is_signed_in(self) -> bool {
        matches!(self, Self::Active | Self::Pending)
    }
}

/// A session of a client.
#[derive(Debug, Clone)]
pub struct Session {
    /// `sess_…` id.
    pub id: String,
    /// The signed-in user's id.
    pub user_id: String,
    /// Stored status; see [`Session::effective_status`] for the reported one.
    pub status: SessionStatus,
    /// Absolute end of life (ms).
    pub expire_at: i64,
    /// Inactivity end of life (ms).
    pub abandon_at: i64,
    /// Last touch (ms).
    pub last_active_at: i64,
    /// Creation time (ms).
    pub created_at: i64,
    /// Last change (ms).
    pub updated_at: i64,
    /// The JWT reported in `last_active_token`, minted at creation and on touch only.
    pub token: String,
}

impl Session {
    fn new(user_id: &str, now: i64, mint: Mint<'_>) -> Self {
        let id = new_id("sess");
        let token = mint(&id, user_id, now);
        Self {
            id,
            user_id: user_id.to_owned(),
            status: SessionStatus::Active,
            expire_at: now + SESSION_LIFETIME_MS,
            abandon_at: now + SESSION_ABANDON_MS,
            last_active_at: now,
            created_at: now,
            updated_at: now,
            token,
        }
    }

    /// The status as reported at `now`: a signed-in session whose `expire_at` has passed is
    /// `expired`, one whose `abandon_at` has passed is `abandoned` (the earlier deadline wins).
    pub fn effective_status(&self, now: i64) -> SessionStatus {
        if !self.status.is_signed_in() {
            return self.status;
        }
        let expired = now >= self.expire_at;
        let abandoned = now >= self.abandon_at;
        match (expired, abandoned) {
            (true, true) if self.abandon_at < self.expire_at => SessionStatus::Abandoned,
            (true, _) => SessionStatus::Expired,
            (false, true) => SessionStatus::Abandoned,
            (false, false) => self.status,
        }
    }

    fn set_status(&mut self, status: SessionStatus, now: i64) {
        self.status = status;
        self.updated_at = now;
    }
}

/// A client (one browser or app), named by its client token.
#[derive(Debug, Clone)]
pub struct Client {
    /// `client_…` id.
    pub id: String,
    /// The client token: an opaque random string that names this client, sent as the
    /// `__client` cookie (browsers), the `Authorization` header (native apps), or held by a dev
    /// browser (development instances).
    pub token: String,
    /// Sessions in creation order (ended ones stay listed with their status).
    pub sessions: Vec<Session>,
    /// The session the client last used.
    pub last_active_session_id: Option<String>,
    /// Creation time (ms).
    pub created_at: i64,
    /// Last change (ms).
    pub updated_at: i64,
    /// When the cookie expires (ms).
    pub cookie_expires_at: i64,
}

impl Client {
    fn new(now: i64) -> Self {
        Self {
            id: new_id("client"),
            token: crate::ids::random_base62(40),
            sessions: Vec::new(),
            last_active_session_id: None,
            created_at: now,
            updated_at: now,
            cookie_expires_at: now + COOKIE_LIFETIME_MS,
        }
    }

    /// The session with this id.
    pub fn session(&self, session_id: &str) -> Option<&Session> {
        self.sessions.iter().find(|s| s.id == session_id)
    }

    fn session_mut(&mut self, session_id: &str) -> Result<&mut Session, ApiError> {
        self.sessions
            .iter_mut()
            .find(|s| s.id == session_id)
            .ok_or_else(ApiError::not_found)
    }

    /// Adds a new active session for `user_id` and makes it the last active one.
    fn add_session(&mut self, user_id: &str, now: i64, mint: Mint<'_>) -> String {
        let session = Session::new(user_id, now, mint);
        let id = session.id.clone();
        self.sessions.push(session);
        self.last_active_session_id = Some(id.clone());
        self.updated_at = now;
        id
    }

    /// Ends every signed-in session and clears `last_active_session_id`.
    fn end_all_sessions(&mut self, now: i64) {
        for session in &mut self.sessions {
            if session.effective_status(now).is_signed_in() {
                session.set_status(SessionStatus::Ended, now);
            }
        }
        self.last_active_session_id = None;
        self.updated_at = now;
    }

    /// After the last active session stopped being signed in: the most recently active other
    /// signed-in session becomes the last active one, or none.
    fn reelect_last_active(&mut self, now: i64) {
        let current_ok = self
            .last_active_session_id
            .as_deref()
            .and_then(|id| self.session(id))
            .is_some_and(|s| s.effective_status(now).is_signed_in());
        if !current_ok {
            self.last_active_session_id = self
                .sessions
                .iter()
                .filter(|s| s.effective_status(now).is_signed_in())
                .max_by_key(|s| s.last_active_at)
                .map(|s| s.id.clone());
        }
    }
}

/// What to do to one session of the current client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionAction {
    /// `POST …/end`: status `ended`.
    End,
    /// `POST …/remove`: status `removed`.
    Remove,
    /// `POST …/touch`: `last_active_at = now`, new token, becomes the last active session.
    Touch,
}

/// Changes made by the control plane to a session.
#[derive(Debug, Clone, Copy, Default)]
pub struct SessionPatch {
    /// New stored status.
    pub status: Option<SessionStatus>,
    /// `expire_at = now + ms`.
    pub expire_in_ms: Option<i64>,
    /// `abandon_at = now + ms`.
    pub abandon_in_ms: Option<i64>,
}

/// All clients, and the seeded users.
#[derive(Debug)]
pub struct Store {
    clients: Vec<Client>,
    users: Vec<User>,
}

impl Default for Store {
    fn default() -> Self {
        Self {
            clients: Vec::new(),
            users: seeded_users(),
        }
    }
}

impl Store {
    /// The seeded users.
    pub fn users(&self) -> &[User] {
        &self.users
    }

    /// The user with this id.
    pub fn user(&self, user_id: &str) -> Option<&User> {
        self.users.iter().find(|u| u.id == user_id)
    }

    /// The user named by an email address or username.
    pub fn find_user(&self, identifier: &str) -> Option<&User> {
        self.users.iter().find(|u| u.matches(identifier))
    }

    /// Forgets every client and session.
    pub fn reset(&mut self) {
        self.clients.clear();
    }

    /// The client named by a client token.
    pub fn client_by_token(&self, token: &str) -> Option<&Client> {
        self.clients.iter().find(|c| c.token == token)
    }

    /// The client with this id.
    pub fn client(&self, client_id: &str) -> Option<&Client> {
        self.clients.iter().find(|c| c.id == client_id)
    }

    /// The session with this id, in whichever client holds it.
    pub fn find_session(&self, session_id: &str) -> Option<&Session> {
        self.clients.iter().find_map(|c| c.session(session_id))
    }

    fn client_mut(&mut self, client_id: &str) -> Result<&mut Client, ApiError> {
        self.clients
            .iter_mut()
            .find(|c| c.id == client_id)
            .ok_or_else(ApiError::not_found)
    }

    fn client_id_by_token(&self, token: Option<&str>) -> Result<String, ApiError> {
        token
            .and_then(|t| self.client_by_token(t))
            .map(|c| c.id.clone())
            .ok_or_else(ApiError::not_found)
    }

    /// Creates a new client, deleting the one named by `old_token` if any; returns its id.
    pub fn replace_client(&mut self, old_token: Option<&str>, now: i64) -> String {
        if let Some(old) = old_token {
            self.clients.retain(|c| c.token != old);
        }
        let client = Client::new(now);
        let id = client.id.clone();
        self.clients.push(client);
        id
    }

    /// The id of the client for `token`, creating one when there is none.
    /// The boolean is true when a client was created (its token must be handed out).
    pub fn ensure_client(&mut self, token: Option<&str>, now: i64) -> (String, bool) {
        match self.client_id_by_token(token) {
            Ok(id) => (id, false),
            Err(_) => (self.replace_client(token, now), true),
        }
    }

    /// Deletes the client for `token`, answering it as it was at the end: signed-in sessions
    /// ended, no last active session. Not found when there is no such client.
    pub fn delete_client(&mut self, token: Option<&str>, now: i64) -> Result<Client, ApiError> {
        let id = self.client_id_by_token(token)?;
        let mut client = self.client_mut(&id)?.clone();
        client.end_all_sessions(now);
        self.clients.retain(|c| c.id != id);
        Ok(client)
    }

    /// Ends all signed-in sessions of the client for `token`, keeping the client; its id.
    pub fn end_all_sessions(&mut self, token: Option<&str>, now: i64) -> Result<String, ApiError> {
        let id = self.client_id_by_token(token)?;
        self.client_mut(&id)?.end_all_sessions(now);
        Ok(id)
    }

    /// Checks a password for the user named by `identifier`; answers the user's id.
    pub fn authenticate(&self, identifier: &str, password: &str) -> Result<String, ApiError> {
        let user = self
            .find_user(identifier)
            .ok_or_else(ApiError::identifier_not_found)?;
        if user.password != password {
            return Err(ApiError::password_incorrect());
        }
        Ok(user.id.clone())
    }

    /// Adds an active session for `user_id` to client `client_id` and makes it the last
    /// active one; answers the new session's id.
    pub fn add_session_for_user(
        &mut self,
        client_id: &str,
        user_id: &str,
        now: i64,
        mint: Mint<'_>,
    ) -> Result<String, ApiError> {
        Ok(self.client_mut(client_id)?.add_session(user_id, now, mint))
    }

    /// Adds an active session for the user named by `identifier` to client `client_id`, as if
    /// the user signed in elsewhere; answers the new session's id.
    pub fn add_session(
        &mut self,
        client_id: &str,
        identifier: &str,
        now: i64,
        mint: Mint<'_>,
    ) -> Result<String, ApiError> {
        let user_id = self
            .find_user(identifier)
            .ok_or_else(ApiError::identifier_not_found)?
            .id
            .clone();
        self.add_session_for_user(client_id, &user_id, now, mint)
    }

    /// Applies `action` to session `session_id` of the client for `token`; answers the
    /// client's id.
    pub fn session_action(
        &mut self,
        token: Option<&str>,
        session_id: &str,
        action: SessionAction,
        now: i64,
        mint: Mint<'_>,
    ) -> Result<String, ApiError> {
        let client_id = self.client_id_by_token(token)?;
        let client = self.client_mut(&client_id)?;
        let session = client.session_mut(session_id)?;
        match action {
            SessionAction::End => session.set_status(SessionStatus::Ended, now),
            SessionAction::Remove => session.set_status(SessionStatus::Removed, now),
            SessionAction::Touch => {
                session.last_active_at = now;
                session.updated_at = now;
                session.token = mint(&session.id, &session.user_id, now);
            }
        }
        if action == SessionAction::Touch {
            client.last_active_session_id = Some(session_id.to_owned());
        } else {
            client.reelect_last_active(now);
        }
        client.updated_at = now;
        Ok(client_id)
    }

    /// Applies a control-plane patch to a session of any client; answers the client's id.
    /// The client's `last_active_session_id` is left alone, so that a revoked or expired
    /// active session shows as such.
    pub fn patch_session(
        &mut self,
        session_id: &str,
        patch: SessionPatch,
        now: i64,
    ) -> Result<String, ApiError> {
        let client = self
            .clients
            .iter_mut()
            .find(|c| c.session(session_id).is_some())
            .ok_or_else(ApiError::not_found)?;
        let session = client.session_mut(session_id)?;
        if let Some(status) = patch.status {
            session.status = status;
        }
        if let Some(ms) = patch.expire_in_ms {
            session.expire_at = now.saturating_add(ms);
        }
        if let Some(ms) = patch.abandon_in_ms {
            session.abandon_at = now.saturating_add(ms);
        }
        session.updated_at = now;
        client.updated_at = now;
        Ok(client.id.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stub_mint(session_id: &str, user_id: &str, now: i64) -> String {
        format!("{session_id}.{user_id}.{now}")
    }

    #[test]
    fn effective_status_follows_the_clock() {
        let mut s = Session::new("user_x", 1_000, &stub_mint);
        assert_eq!(s.effective_status(1_000), SessionStatus::Active);
        assert_eq!(
            s.effective_status(1_000 + SESSION_LIFETIME_MS),
            SessionStatus::Expired
        );
        s.abandon_at = 500;
        assert_eq!(s.effective_status(1_000), SessionStatus::Abandoned);
        s.status = SessionStatus::Revoked;
        assert_eq!(s.effective_status(1_000), SessionStatus::Revoked);
    }

    #[test]
    fn ending_the_active_session_elects_another() {
        let mut store = Store::default();
        let (client_id, _) = store.ensure_client(None, 1);
        let token = store.client(&client_id).unwrap().token.clone();
        let a = store
            .add_session(&client_id, "boss", 2, &stub_mint)
            .unwrap();
        let b = store
            .add_session(&client_id, "ada@example.com", 3, &stub_mint)
            .unwrap();
        store
            .session_action(Some(&token), &b, SessionAction::End, 4, &stub_mint)
            .unwrap();
        let client = store.client(&client_id).unwrap();
        assert_eq!(client.last_active_session_id.as_deref(), Some(a.as_str()));
        assert_eq!(client.updated_at, 4);
    }
}
