//! The state machine: what the manager knows, and what each answer changes.
//!
//! The browser layer calls [`State::begin`] when it sends a request and
//! [`State::complete`] with the answer; the returned [`Change`] says whether listeners must
//! hear about it and how to rebuild the client's JS objects. Resilience decisions (retry,
//! breaker, revalidation throttle, expiry) live here too, over [`super::policy`].

use super::envelope::{self, ClientUpdate, Endpoint, Reply};
use super::error::{Error, ErrorKind};
use super::policy::{self, Breaker, RetryPolicy, Throttle};
use super::sharing::{self, Plan};
use super::time::{self, Millis};
use super::wire::{ClientDoc, SessionDoc};

/// How far ahead of the server's clock a cached `updated_at` may be and still order
/// answers (five minutes).
pub const FUTURE_TOLERANCE_MS: Millis = 300_000;

/// The manager's readiness (`Snapshot.status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Status {
    /// Nothing asked yet.
    #[default]
    Idle,
    /// The first load is in flight.
    Loading,
    /// A good answer has been applied (later failures keep this status).
    Ready,
    /// The first load failed and nothing is cached.
    Error,
}

impl Status {
    /// The name JavaScript sees.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Idle => "idle",
            Self::Loading => "loading",
            Self::Ready => "ready",
            Self::Error => "error",
        }
    }
}

/// What the manager is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `load()`: the first GET.
    Load,
    /// `refresh()` or a revalidation: a later GET.
    Refresh,
    /// `create()`: PUT.
    Create,
    /// `destroy()`: DELETE.
    Destroy,
    /// `signIn()`: `POST /v1/client/sign_ins`.
    SignIn,
    /// `signOut()`: `DELETE /v1/client/sessions` or `POST /v1/client/sessions/{id}/end`.
    SignOut,
    /// `setActive()`: `POST /v1/client/sessions/{id}/touch`.
    SetActive,
    /// `request()`: any Frontend API path the app names.
    Request,
}

impl Op {
    fn endpoint(self) -> Endpoint {
        match self {
            Self::Load | Self::Refresh => Endpoint::GetClient,
            Self::Create => Endpoint::PutClient,
            Self::Destroy => Endpoint::DeleteClient,
            Self::SignIn | Self::SignOut | Self::SetActive => Endpoint::Other,
            Self::Request => Endpoint::Any,
        }
    }

    /// Whether this is a session call (sign-in, sign-out, switch, any path): its answer's
    /// piggybacked client is applied, but its failure is the caller's answer, not a fault
    /// of the cached state (a wrong password is no reason to show `snapshot.error`).
    pub fn is_session_call(self) -> bool {
        matches!(self.endpoint(), Endpoint::Other | Endpoint::Any)
    }

    /// Whether this is a GET.
    pub fn is_read(self) -> bool {
        matches!(self, Self::Load | Self::Refresh)
    }

    /// The snapshot's `cause` for a change made by this operation, when the caller asked
    /// for it directly.
    pub fn cause(self) -> &'static str {
        match self {
            Self::Load => "load",
            Self::Refresh => "refresh",
            Self::Create => "create",
            Self::Destroy => "destroy",
            Self::SignIn => "signIn",
            Self::SignOut => "signOut",
            Self::SetActive => "setActive",
            Self::Request => "request",
        }
    }
}

/// A request in flight, as [`State::begin`] recorded it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ticket {
    op: Op,
    cause: &'static str,
    epoch: u64,
}

impl Ticket {
    /// The operation this ticket is for.
    pub fn op(&self) -> Op {
        self.op
    }

    /// Why the request was sent (the snapshot's `cause` if it changes something).
    pub fn cause(&self) -> &'static str {
        self.cause
    }
}

/// What happened to the client's objects in a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientChange {
    /// The client is as it was: keep its JS objects.
    Same,
    /// There is no client any more.
    Cleared,
    /// The client changed: rebuild it following the plan (reusing unchanged parts).
    Rebuilt(Plan),
}

/// The outcome of an event for listeners and the browser layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Whether the snapshot changed (listeners run only then).
    pub changed: bool,
    /// What to do with the client's objects.
    pub client: ClientChange,
}

impl Change {
    const NONE: Change = Change {
        changed: false,
        client: ClientChange::Same,
    };
}

/// Everything the manager knows.
#[derive(Debug, Default)]
pub struct State {
    status: Status,
    client: Option<ClientDoc>,
    error: Option<Error>,
    version: u64,
    cause: Option<&'static str>,
    /// Bumped whenever a mutation's answer is applied: a read that started before that
    /// answers with older news and is discarded.
    epoch: u64,
    /// The body the cached client was read from, for the identical-answer fast path.
    last_body: Vec<u8>,
    /// Server clock minus local clock, from the last answer's `Date` header.
    skew_ms: i64,
    /// The active session's lifetime ran out locally and the server has not spoken since.
    expired_locally: bool,
    /// When the scheduled retry will be sent (local ms).
    next_retry_at: Option<Millis>,
    retry: RetryPolicy,
    breaker: Breaker,
    throttle: Throttle,
}

impl State {
    /// A manager that has asked nothing yet, retrying per `retry`.
    pub fn new(retry: RetryPolicy) -> Self {
        Self {
            retry,
            ..Self::default()
        }
    }

    /// Readiness.
    pub fn status(&self) -> Status {
        self.status
    }

    /// The cached client.
    pub fn client(&self) -> Option<&ClientDoc> {
        self.client.as_ref()
    }

    /// Server clock minus local clock (ms), from the last answer's `Date` header.
    pub fn skew_ms(&self) -> i64 {
        self.skew_ms
    }

    /// Whether `id` names a signed-in (`active` or `pending`) session of the cached client.
    pub fn has_current_session(&self, id: &str) -> bool {
        self.client.as_ref().is_some_and(|c| {
            c.sessions
                .iter()
                .any(|s| s.id == id && s.status.is_current())
        })
    }

    /// The active session, if any.
    pub fn session(&self) -> Option<&SessionDoc> {
        let client = self.client.as_ref()?;
        client.sessions.get(client.active?)
    }

    /// The last failure, cleared by the next good answer.
    pub fn error(&self) -> Option<&Error> {
        self.error.as_ref()
    }

    /// +1 on every change.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// Why the last change happened.
    pub fn cause(&self) -> Option<&'static str> {
        self.cause
    }

    /// When the scheduled retry goes out (local ms since the epoch).
    pub fn next_retry_at(&self) -> Option<Millis> {
        self.next_retry_at
    }

    /// Whether the user is signed in: the active session's status is `active`, and its
    /// lifetime has not run out while the server could not be asked.
    pub fn is_signed_in(&self) -> bool {
        !self.expired_locally && self.session().is_some_and(|s| s.status.is_signed_in())
    }

    /// The local moment the active session's `expire_at` or `abandon_at` comes, corrected
    /// for the server's clock, if it has one.
    pub fn expiry_deadline(&self) -> Option<Millis> {
        let session = self.session()?;
        let at = match (session.expire_at, session.abandon_at) {
            (Some(a), Some(b)) => a.min(b),
            (a, b) => a.or(b)?,
        };
        Some(at.saturating_add_signed(-self.skew_ms))
    }

    /// Called when the expiry deadline has come: the snapshot stops claiming a session
    /// (the data stays) until the server speaks again. A change if it was signed in.
    pub fn expire(&mut self, now: Millis) -> Change {
        let due = self.expiry_deadline().is_some_and(|d| d <= now);
        if !due || self.expired_locally || !self.is_signed_in() {
            return Change::NONE;
        }
        self.expired_locally = true;
        self.bump("expiry", ClientChange::Same)
    }

    /// Records that a request for `op` is being sent because of `cause`. The first read
    /// moves `idle` to `loading`, which is a change.
    pub fn begin(&mut self, op: Op, cause: &'static str) -> (Ticket, Change) {
        let ticket = Ticket {
            op,
            cause,
            epoch: self.epoch,
        };
        if op.is_read() && self.status == Status::Idle {
            self.status = Status::Loading;
            return (ticket, self.bump(cause, ClientChange::Same));
        }
        (ticket, Change::NONE)
    }

    /// Applies the answer to a request (or the transport's failure) at local time `now`.
    /// Returns the change and the error the caller's promise rejects with, if any.
    pub fn complete(
        &mut self,
        ticket: Ticket,
        answer: Result<Reply<'_>, Error>,
        now: Millis,
    ) -> (Change, Option<Error>) {
        let op = ticket.op;
        self.next_retry_at = None;
        let reply = match answer {
            Ok(reply) => reply,
            Err(error) => return self.fail(error),
        };
        if op.is_read() && ticket.epoch != self.epoch {
            // Older news than a mutation applied meanwhile: never roll state back.
            return (Change::NONE, None);
        }
        if let Some(server) = reply.date.and_then(time::parse_http_date) {
            self.skew_ms = i64::try_from(server).unwrap_or(0) - i64::try_from(now).unwrap_or(0);
        }
        let ok = (200..300).contains(&reply.status);
        if ok
            && op.is_read()
            && self.client.is_some()
            && !self.last_body.is_empty()
            && reply.body == self.last_body.as_slice()
        {
            return (self.succeed(ticket.cause, ClientChange::Same), None);
        }
        let reading = envelope::read_after(op.endpoint(), reply, now, self.client.as_ref());
        if op.is_session_call() {
            return self.apply_piggyback(ticket.cause, reading, now);
        }
        let mut client = ClientChange::Same;
        if let ClientUpdate::Set(doc) = reading.update {
            if self.is_older(doc.as_ref(), now) {
                // A late answer about the same client, older than what is cached: its
                // client is ignored; an error it reports still counts.
                return match reading.error {
                    Some(error) => self.fail(error),
                    None => (Change::NONE, None),
                };
            }
            let from_body = ok && op != Op::Destroy;
            client = self.set_client(doc, if from_body { reply.body } else { &[] });
            if !op.is_read() {
                self.epoch += 1;
            }
        }
        match reading.error {
            Some(error) => {
                let (mut change, error) = self.fail(error);
                if client != ClientChange::Same {
                    change.client = client;
                }
                (change, error)
            }
            None => (self.succeed(ticket.cause, client), None),
        }
    }

    /// Applies the envelope of a Frontend API answer that the app got itself (a sign-in,
    /// say) at local time `now`: its piggybacked `client` (or, for sign-out answers, a
    /// client `response`), when there is one, is the newest state (cause `"piggyback"`),
    /// unless it is older than the cached client. Like a mutation's answer it discards the
    /// GETs in flight. An envelope without a client changes nothing; one that cannot be
    /// read (not an envelope, `errors` with no client) is an error and changes nothing
    /// either.
    pub fn piggyback(&mut self, body: &[u8], now: Millis) -> (Change, Option<Error>) {
        let reply = Reply {
            status: 200,
            body,
            retry_after: None,
            date: None,
        };
        let reading = envelope::read_after(Endpoint::Other, reply, now, self.client.as_ref());
        let (change, error) = self.apply_piggyback("piggyback", reading, now);
        // No HTTP status is known here: the app read the answer, not the manager.
        (change, error.map(|e| Error { status: None, ..e }))
    }

    /// An answer to a session call or one the app got itself (`applyResponse`): its client
    /// (piggybacked, or a sign-out's `response`), when there is one and it is not older than
    /// the cached one, is applied and discards the GETs in flight; its error goes back to
    /// the caller and is not recorded.
    fn apply_piggyback(
        &mut self,
        cause: &'static str,
        reading: envelope::Reading,
        now: Millis,
    ) -> (Change, Option<Error>) {
        let mut change = Change::NONE;
        if let ClientUpdate::Set(doc) = reading.update {
            if !self.is_older(doc.as_ref(), now) {
                let client = self.set_client(doc, &[]);
                self.epoch += 1;
                change = self.succeed(cause, client);
            }
        }
        (change, reading.error)
    }

    /// When to retry after `error` on attempt `retry` (0-based), or `None` to give up.
    /// A retryable read failure counts towards the circuit breaker, and an open breaker
    /// ends the retries. Records the retry time for the snapshot (`nextRetryAt`).
    pub fn plan_retry(
        &mut self,
        op: Op,
        retry: u32,
        error: &Error,
        now: Millis,
        random: f64,
    ) -> Option<Millis> {
        if !policy::retryable(error, op.is_read()) {
            return None;
        }
        if op.is_read() {
            self.breaker.record_failure(now);
            if self.breaker.blocks(now).is_some() {
                return None;
            }
        }
        let delay = self.retry.delay(retry, error, random)?;
        self.next_retry_at = Some(now.saturating_add(delay));
        Some(delay)
    }

    /// Whether the circuit breaker holds reads back at `now`: `Some(until)` if so.
    pub fn reads_blocked(&self, now: Millis) -> Option<Millis> {
        self.breaker.blocks(now)
    }

    /// Whether a revalidation (focus, visibility, `online`, `pageshow`) may send a GET:
    /// only after the first load, at most once per `window_ms`, never while the breaker
    /// is open.
    pub fn admit_revalidation(&mut self, now: Millis, window_ms: Millis) -> bool {
        self.may_ask_unprompted(now) && self.throttle.admit(now, window_ms)
    }

    /// Whether the manager may send a GET nobody called for: only after the first load,
    /// never while the breaker is open.
    fn may_ask_unprompted(&self, now: Millis) -> bool {
        matches!(self.status, Status::Ready | Status::Error) && self.breaker.blocks(now).is_none()
    }

    /// Whether a nudge from another tab may send a GET: only after the first load, never
    /// while the breaker is open. The throttle does not apply (the other tab saw a real
    /// change), but the GET counts for it: a focus right after does not repeat it.
    pub fn admit_nudge(&mut self, now: Millis) -> bool {
        let admitted = self.may_ask_unprompted(now);
        if admitted {
            self.throttle.record(now);
        }
        admitted
    }

    /// Whether `doc` is an older state of the cached client (same id, earlier
    /// `updated_at`). A cached `updated_at` more than [`FUTURE_TOLERANCE_MS`] ahead of the
    /// server's clock is not trusted: one bad answer must not freeze the manager forever.
    fn is_older(&self, doc: Option<&ClientDoc>, now: Millis) -> bool {
        let server_now = now.saturating_add_signed(self.skew_ms);
        match (self.client.as_ref(), doc) {
            (Some(old), Some(new)) if old.id == new.id => matches!(
                (old.updated_at, new.updated_at),
                (Some(o), Some(n)) if n < o && o <= server_now.saturating_add(FUTURE_TOLERANCE_MS)
            ),
            _ => false,
        }
    }

    fn set_client(&mut self, doc: Option<ClientDoc>, body: &[u8]) -> ClientChange {
        self.last_body.clear();
        self.last_body.extend_from_slice(body);
        let change = match &doc {
            None if self.client.is_none() => ClientChange::Same,
            None => ClientChange::Cleared,
            Some(new) => match sharing::plan(self.client.as_ref(), new) {
                None => return ClientChange::Same,
                Some(plan) => ClientChange::Rebuilt(plan),
            },
        };
        self.client = doc;
        change
    }

    fn succeed(&mut self, cause: &'static str, client: ClientChange) -> Change {
        let status_changed = self.status != Status::Ready;
        let error_cleared = self.error.take().is_some();
        let unexpired = std::mem::take(&mut self.expired_locally);
        self.status = Status::Ready;
        self.breaker.reset();
        if status_changed || error_cleared || unexpired || client != ClientChange::Same {
            self.bump(cause, client)
        } else {
            Change::NONE
        }
    }

    fn fail(&mut self, error: Error) -> (Change, Option<Error>) {
        if error.kind == ErrorKind::Aborted {
            // Cancelled by the caller: nothing was learned, nothing changes.
            return (Change::NONE, Some(error));
        }
        if self.status == Status::Loading {
            // A piggybacked client on the failed first load still makes the manager ready.
            self.status = if self.client.is_some() {
                Status::Ready
            } else {
                Status::Error
            };
        }
        self.error = Some(error.clone());
        (self.bump("error", ClientChange::Same), Some(error))
    }

    fn bump(&mut self, cause: &'static str, client: ClientChange) -> Change {
        self.version += 1;
        self.cause = Some(cause);
        Change {
            changed: true,
            client,
        }
    }
}
