//! The state machine: what the manager knows, and what each answer changes.
//!
//! The browser layer calls [`State::begin`] when it sends a request and
//! [`State::complete`] with the answer; the returned [`Change`] says whether listeners must
//! hear about it and how to rebuild the client's JS objects.

use super::envelope::{self, ClientUpdate, Endpoint, Reply};
use super::error::{Error, ErrorKind};
use super::sharing::{self, Plan};
use super::time::Millis;
use super::wire::{ClientDoc, SessionDoc};

/// The manager's readiness (`Snapshot.status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Nothing asked yet.
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
    /// `refresh()`: a later GET.
    Refresh,
    /// `create()`: PUT.
    Create,
    /// `destroy()`: DELETE.
    Destroy,
}

impl Op {
    fn endpoint(self) -> Endpoint {
        match self {
            Self::Load | Self::Refresh => Endpoint::GetClient,
            Self::Create => Endpoint::PutClient,
            Self::Destroy => Endpoint::DeleteClient,
        }
    }

    fn is_read(self) -> bool {
        matches!(self, Self::Load | Self::Refresh)
    }

    /// The snapshot's `cause` for a change made by this operation.
    pub fn cause(self) -> &'static str {
        match self {
            Self::Load => "load",
            Self::Refresh => "refresh",
            Self::Create => "create",
            Self::Destroy => "destroy",
        }
    }
}

/// A request in flight, as [`State::begin`] recorded it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ticket {
    op: Op,
    epoch: u64,
}

impl Ticket {
    /// The operation this ticket is for.
    pub fn op(&self) -> Op {
        self.op
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
    status: StatusCell,
    client: Option<ClientDoc>,
    error: Option<Error>,
    version: u64,
    cause: Option<&'static str>,
    /// Bumped whenever a mutation's answer is applied: a read that started before that
    /// answers with older news and is discarded.
    epoch: u64,
    /// The body the cached client was read from, for the identical-answer fast path.
    last_body: Vec<u8>,
}

#[derive(Debug)]
struct StatusCell(Status);

impl Default for StatusCell {
    fn default() -> Self {
        Self(Status::Idle)
    }
}

impl State {
    /// A manager that has asked nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Readiness.
    pub fn status(&self) -> Status {
        self.status.0
    }

    /// The cached client.
    pub fn client(&self) -> Option<&ClientDoc> {
        self.client.as_ref()
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

    /// Whether the user is signed in: the active session's status is `active`.
    pub fn is_signed_in(&self) -> bool {
        self.session().is_some_and(|s| s.status.is_signed_in())
    }

    /// Records that a request for `op` is being sent. The first read moves `idle` to
    /// `loading`, which is a change.
    pub fn begin(&mut self, op: Op) -> (Ticket, Change) {
        let ticket = Ticket {
            op,
            epoch: self.epoch,
        };
        if op.is_read() && self.status.0 == Status::Idle {
            self.status.0 = Status::Loading;
            return (ticket, self.bump(op.cause(), ClientChange::Same));
        }
        (ticket, Change::NONE)
    }

    /// Applies the answer to a request (or the transport's failure). Returns the change and
    /// the error the caller's promise rejects with, if any.
    pub fn complete(
        &mut self,
        ticket: Ticket,
        answer: Result<Reply<'_>, Error>,
        now: Millis,
    ) -> (Change, Option<Error>) {
        let op = ticket.op;
        let reply = match answer {
            Ok(reply) => reply,
            Err(error) => return self.fail(error),
        };
        if op.is_read() && ticket.epoch != self.epoch {
            // Older news than a mutation applied meanwhile: never roll state back.
            return (Change::NONE, None);
        }
        let ok = (200..300).contains(&reply.status);
        if ok && op.is_read() && self.client.is_some() && reply.body == self.last_body.as_slice() {
            return (self.succeed(op, ClientChange::Same), None);
        }
        let reading = envelope::read(op.endpoint(), reply, now);
        let mut client = ClientChange::Same;
        if let ClientUpdate::Set(doc) = reading.update {
            let from_response = ok && matches!(op, Op::Load | Op::Refresh | Op::Create);
            client = self.set_client(doc, if from_response { reply.body } else { &[] });
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
            None => (self.succeed(op, client), None),
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

    fn succeed(&mut self, op: Op, client: ClientChange) -> Change {
        let status_changed = self.status.0 != Status::Ready;
        let error_cleared = self.error.take().is_some();
        self.status.0 = Status::Ready;
        if status_changed || error_cleared || client != ClientChange::Same {
            self.bump(op.cause(), client)
        } else {
            Change::NONE
        }
    }

    fn fail(&mut self, error: Error) -> (Change, Option<Error>) {
        if error.kind == ErrorKind::Aborted {
            // Cancelled by the caller: nothing was learned, nothing changes.
            return (Change::NONE, Some(error));
        }
        if self.status.0 == Status::Loading {
            // A piggybacked client on the failed first load still makes the manager ready.
            self.status.0 = if self.client.is_some() {
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
