//! How a request goes: single flight for reads, call order for mutations, one attempt at
//! a time with the core deciding on retries, waits that `dispose()` can cut short, and
//! the expiry timer.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, spawn_local, JsFuture};

use super::crosstab;
use super::dom::{self, Listener, Timer, MAX_TIMEOUT_MS};
use super::error::to_js;
use super::events::notify;
use super::manager::Inner;
use super::transport::{Answer, Call, Exchange};
use crate::core::state::{Op, Status};
use crate::core::{Error, ErrorKind};

type Shared = Rc<RefCell<Inner>>;

/// The rejection of a call on a disposed manager.
pub fn aborted() -> JsValue {
    to_js(&Error::new(ErrorKind::Aborted, "the manager was disposed"))
}

/// A GET, joined by every read until it settles (retries included). `load()` after a
/// good first load answers from the cache.
pub fn read(rc: &Shared, op: Op, cause: &'static str) -> Promise {
    let mut inner = rc.borrow_mut();
    if inner.disposed {
        return Promise::reject(&aborted());
    }
    if let Some(reading) = &inner.reading {
        return reading.clone();
    }
    if op == Op::Load && inner.state.status() == Status::Ready {
        return Promise::resolve(&inner.snapshot);
    }
    let task = rc.clone();
    let promise = future_to_promise(async move {
        let result = perform(&task, op, &Call::client(op), cause).await;
        task.borrow_mut().reading = None;
        crosstab::after_read(&task);
        result
    });
    inner.reading = Some(promise.clone());
    promise
}

/// A mutation of `/v1/client`, sent after the previous one settled.
pub fn mutate(rc: &Shared, op: Op) -> Promise {
    call(rc, op, Call::client(op))
}

/// A mutation (`op` says which: a client operation or a session call), sent as `call`
/// after the previous one settled. A session call resolves with the answer's text (the
/// JS entry reads its `response`), any other with the snapshot.
pub fn call(rc: &Shared, op: Op, call: Call) -> Promise {
    let mut inner = rc.borrow_mut();
    if inner.disposed {
        return Promise::reject(&aborted());
    }
    let previous = inner.mutating.take();
    let task = rc.clone();
    let promise = future_to_promise(async move {
        if let Some(previous) = previous {
            // Its outcome is its caller's business; we only wait our turn.
            let _ = JsFuture::from(previous).await;
        }
        perform(&task, op, &call, op.cause()).await
    });
    inner.mutating = Some(promise.clone());
    promise
}

/// Starts a read for a browser event (focus, expiry...) whose outcome nobody awaits.
pub fn background_read(rc: &Shared, cause: &'static str) {
    let promise = read(rc, Op::Refresh, cause);
    spawn_local(async move {
        // The snapshot carries the outcome; the rejection is handled here.
        let _ = JsFuture::from(promise).await;
    });
}

enum Attempt {
    Done(Result<JsValue, JsValue>),
    RetryIn(u64),
}

/// Attempts `op` until it succeeds, fails for good, or the manager is disposed.
async fn perform(
    rc: &Shared,
    op: Op,
    call: &Call,
    cause: &'static str,
) -> Result<JsValue, JsValue> {
    let mut retry = 0;
    loop {
        if op.is_read() {
            let inner = rc.borrow();
            if inner.state.reads_blocked(dom::now()).is_some() {
                // The breaker is open: answer with the failure that opened it, no request.
                return Err(if inner.error.is_null() {
                    to_js(&Error::new(
                        ErrorKind::Network,
                        "too many failures; waiting before asking the server again",
                    ))
                } else {
                    inner.error.clone()
                });
            }
        }
        match attempt(rc, op, call, cause, retry).await {
            Attempt::Done(result) => return result,
            Attempt::RetryIn(ms) => {
                wait(rc, ms).await;
                if !dom::online() {
                    wait_online(rc).await;
                }
                if rc.borrow().disposed {
                    return Err(aborted());
                }
                retry += 1;
            }
        }
    }
}

/// One request and the application of its answer.
async fn attempt(rc: &Shared, op: Op, call: &Call, cause: &'static str, retry: u32) -> Attempt {
    let begun = {
        let mut guard = rc.borrow_mut();
        let inner = &mut *guard;
        if inner.disposed {
            return Attempt::Done(Err(aborted()));
        }
        match Exchange::new() {
            Err(e) => Err(e),
            Ok(exchange) => {
                let (ticket, change) = inner.state.begin(op, cause);
                inner.absorb(&change);
                let id = inner.next_id();
                inner.in_flight.push((id, exchange.controller.clone()));
                Ok((
                    ticket,
                    id,
                    exchange,
                    inner.config.clone(),
                    inner.access.clone(),
                    change.changed,
                ))
            }
        }
    };
    let (ticket, id, exchange, config, access, changed) = match begun {
        Ok(begun) => begun,
        Err(e) => return Attempt::Done(Err(to_js(&e))),
    };
    if changed {
        notify(rc);
    }
    let answer = access.send(&exchange, &config, call).await;
    if op == Op::Destroy
        && answer
            .as_ref()
            .is_ok_and(|a| (200..300).contains(&a.status))
    {
        // The client is gone: so is what named it.
        access.forget().await;
    }
    let (changed, announce, outcome) = {
        let mut guard = rc.borrow_mut();
        let inner = &mut *guard;
        inner.in_flight.retain(|(i, _)| *i != id);
        if inner.disposed {
            return Attempt::Done(Err(aborted()));
        }
        let reply = answer.as_ref().map_err(Clone::clone).map(Answer::reply);
        let applied = inner.apply(ticket, reply, Some((op, retry)));
        let outcome = match (applied.retry_in, applied.result, answer) {
            (Some(ms), _, _) => Attempt::RetryIn(ms),
            (None, Ok(_), Ok(answer)) if op.is_session_call() => Attempt::Done(Ok(
                JsValue::from_str(&String::from_utf8_lossy(&answer.body)),
            )),
            (None, result, _) => Attempt::Done(result),
        };
        (applied.changed, applied.announce, outcome)
    };
    super::manager::publish(rc, changed, announce);
    outcome
}

/// A retry waiting for its time or for `online`; [`Waker::wake`] ends the wait early.
pub struct Waker {
    id: u64,
    resolve: Function,
    _timer: Option<Timer>,
    _online: Option<Listener>,
}

impl Waker {
    /// Ends the wait now.
    pub fn wake(self) {
        let _ = self.resolve.call0(&JsValue::NULL);
    }
}

async fn park(rc: &Shared, arm: impl FnOnce(Function) -> (Option<Timer>, Option<Listener>)) {
    let mut resolve = None;
    let promise = Promise::new(&mut |res, _| resolve = Some(res));
    let Some(resolve) = resolve else {
        return;
    };
    let id = {
        let mut inner = rc.borrow_mut();
        if inner.disposed {
            return;
        }
        let id = inner.next_id();
        let (timer, online) = arm(resolve.clone());
        inner.wakers.push(Waker {
            id,
            resolve,
            _timer: timer,
            _online: online,
        });
        id
    };
    let _ = JsFuture::from(promise).await;
    rc.borrow_mut().wakers.retain(|w| w.id != id);
}

/// Waits `ms` (or until `dispose()`).
async fn wait(rc: &Shared, ms: u64) {
    park(rc, |resolve| {
        let timer = Timer::new(ms, move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
        (Some(timer), None)
    })
    .await;
}

/// Waits for the `online` event (or `dispose()`): retries pause while offline.
async fn wait_online(rc: &Shared) {
    park(rc, |resolve| {
        let listener = dom::global_target().and_then(|target| {
            Listener::new(&target, "online", move |_| {
                let _ = resolve.call0(&JsValue::NULL);
            })
        });
        (None, listener)
    })
    .await;
}

/// Arms (or disarms) the timer for the active session's `expire_at`/`abandon_at`. When it
/// fires, the snapshot stops claiming the session and a refresh asks the server.
pub fn schedule_expiry(inner: &mut Inner) {
    let now = dom::now();
    let deadline = inner
        .state
        .expiry_deadline()
        .filter(|&d| d > now && inner.state.is_signed_in() && !inner.disposed);
    if deadline.is_some() && inner.expiry.as_ref().map(|(d, _)| *d) == deadline {
        // Armed for this moment already: most changes do not move the deadline.
        return;
    }
    inner.expiry = deadline.map(|d| {
        let me = inner.me.clone();
        let wait = (d - now).min(MAX_TIMEOUT_MS);
        let timer = Timer::new(wait, move || {
            let Some(rc) = me.upgrade() else {
                return;
            };
            let change = {
                let mut inner = rc.borrow_mut();
                // This timer has fired: forget it, so a re-arm for the same deadline works.
                inner.expiry = None;
                let change = inner.state.expire(dom::now());
                if change.changed {
                    inner.absorb(&change);
                } else {
                    // Woken early (a long deadline is re-armed in steps): arm again.
                    schedule_expiry(&mut inner);
                }
                change
            };
            if change.changed {
                notify(&rc);
                background_read(&rc, "expiry");
            }
        });
        (d, timer)
    });
}
