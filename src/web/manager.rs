//! The exported class. The package's JS entry wraps it (binding methods, caching the
//! snapshot for reads); the request flow is in [`super::flow`].

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use web_sys::AbortController;

use super::access::Access;
use super::crosstab;
use super::dom::{Channel, Listener, Timer};
use super::error::to_js;
use super::events::{Listeners, Source};
use super::flow::{self, Waker};
use super::options;
use super::revalidate;
use super::snapshot::Objects;
use super::tokens::{self, Tokens};
use super::transport::{self, Call};
use crate::core::config::Config;
use crate::core::crosstab::{self as decide, Identity, Nudges};
use crate::core::envelope::Reply;
use crate::core::state::{Change, Op, State, Ticket};
use crate::core::Error;

/// The manager's state, shared by the class, its requests in flight and its timers.
pub struct Inner {
    /// This cell, for closures that must not keep it alive.
    pub me: Weak<RefCell<Inner>>,
    /// The checked options.
    pub config: Config,
    /// The core's state machine.
    pub state: State,
    /// The client's JS objects.
    pub objects: Objects,
    /// The `FapiError` for `state.error()`, or `null`.
    pub error: JsValue,
    /// The current snapshot.
    pub snapshot: JsValue,
    /// Subscribers.
    pub listeners: Listeners,
    /// The JS wrapper's snapshot cache, told first.
    pub sink: Option<Function>,
    /// The GET in flight (retries included), shared by every read that comes meanwhile.
    pub reading: Option<Promise>,
    /// The last mutation: the next one waits for it (mutations run in call order).
    pub mutating: Option<Promise>,
    /// Requests in flight, for `dispose()`.
    pub in_flight: Vec<(u64, AbortController)>,
    /// Ids for `in_flight` and `wakers`.
    pub next_id: u64,
    /// Retries waiting for their time or for `online`.
    pub wakers: Vec<Waker>,
    /// Fires when the active session's lifetime runs out: the deadline it is armed for
    /// (local ms) and the timer.
    pub expiry: Option<(u64, Timer)>,
    /// Browser events that trigger revalidation, attached while anything is subscribed.
    pub revalidation: Vec<Listener>,
    /// The channel to the site's other tabs, opened when first needed.
    pub channel: Option<Channel>,
    /// Nudges from other tabs waiting for the page to become visible.
    pub nudges: Nudges,
    /// Session tokens (`getToken()`): a service that reads this state only through
    /// [`TokenHost`].
    pub tokens: Tokens,
    /// How requests name the client: cookie, dev browser or client token.
    pub access: Access,
    /// Set by `dispose()`.
    pub disposed: bool,
}

impl Source for Inner {
    fn listeners(&self) -> &Listeners {
        &self.listeners
    }
    fn snapshot(&self) -> JsValue {
        self.snapshot.clone()
    }
    fn version(&self) -> u64 {
        self.state.version()
    }
    fn sink(&self) -> Option<Function> {
        self.sink.clone()
    }
}

impl Inner {
    /// Brings the JS objects, the snapshot and the expiry timer in line with a change of
    /// the core's state.
    pub fn absorb(&mut self, change: &Change) {
        if !change.changed {
            return;
        }
        self.objects.apply(&change.client, &self.state);
        if self.state.error().is_none() {
            self.error = JsValue::NULL;
        }
        self.snapshot = self.objects.snapshot(&self.state, &self.error);
        flow::schedule_expiry(self);
        self.tokens.after_change(&self.state);
    }

    /// Applies an answer (or the transport's failure) to the state, plans a retry when
    /// `retry` (the operation and its attempt number) is given and the failure deserves one,
    /// and brings the snapshot in line. The caller notifies when `changed`.
    pub fn apply(
        &mut self,
        ticket: Ticket,
        answer: Result<Reply<'_>, Error>,
        retry: Option<(Op, u32)>,
    ) -> Applied {
        let now = super::dom::now();
        let before = self.identity_for(ticket.cause());
        let (change, error) = self.state.complete(ticket, answer, now);
        let announce = self.announces(&change, before);
        let mut retry_in = None;
        let error = error.map(|e| {
            let js = to_js(&e);
            if change.changed {
                self.error = js.clone();
            }
            if let Some((op, attempt)) = retry {
                retry_in = self
                    .state
                    .plan_retry(op, attempt, &e, now, js_sys::Math::random());
            }
            js
        });
        self.absorb(&change);
        Applied {
            changed: change.changed,
            announce,
            result: error.map_or_else(|| Ok(self.snapshot.clone()), Err),
            retry_in,
        }
    }

    /// Applies the client piggybacked on an answer the app got itself (`applyResponse`).
    /// A malformed envelope is an error and changes nothing.
    pub fn piggyback(&mut self, body: &[u8]) -> Applied {
        let before = self.identity_for("piggyback");
        let (change, error) = self.state.piggyback(body, super::dom::now());
        let announce = self.announces(&change, before);
        self.absorb(&change);
        Applied {
            changed: change.changed,
            announce,
            result: error.map_or_else(|| Ok(self.snapshot.clone()), |e| Err(to_js(&e))),
            retry_in: None,
        }
    }

    /// Who is signed in before a change made for `cause`, when such a change may be
    /// announced to other tabs (`Some(None)`: not known yet).
    fn identity_for(&self, cause: &str) -> Option<Option<Identity>> {
        (self.config.revalidate.broadcast && decide::announces_cause(cause))
            .then(|| Identity::of(&self.state))
    }

    /// Whether `change`, from the identity `before` (see [`Self::identity_for`]), is news for
    /// other tabs.
    fn announces(&self, change: &Change, before: Option<Option<Identity>>) -> bool {
        change.changed
            && before.is_some_and(|before| {
                let after = Identity::of(&self.state);
                decide::announces(self.state.cause(), before.as_ref(), after.as_ref())
            })
    }

    /// A fresh id.
    pub fn next_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }
}

/// What the token service reads of the manager: its core state, and a refresh.
struct TokenHost(Weak<RefCell<Inner>>);

impl tokens::Host for TokenHost {
    fn with_state(&self, f: &mut dyn FnMut(&State)) {
        // Never while the state is being changed (a borrow would fail): the service is
        // only called back from its own tasks, timers and channel.
        if let Some(inner) = self.0.upgrade() {
            if let Ok(inner) = inner.try_borrow() {
                f(&inner.state);
            }
        }
    }

    fn refresh(&self) -> Promise {
        match self.0.upgrade() {
            Some(inner) => flow::read(&inner, Op::Refresh, "token"),
            None => Promise::resolve(&JsValue::UNDEFINED),
        }
    }
}

/// After an answer was applied (and the borrow dropped): tells the other tabs when who is
/// signed in changed (first: one of this tab's listeners may dispose the manager), then
/// this tab's listeners when anything changed.
pub fn publish(rc: &Rc<RefCell<Inner>>, changed: bool, announce: bool) {
    if announce {
        crosstab::announce(rc);
    }
    if changed {
        super::events::notify(rc);
    }
}

/// What [`Inner::apply`] did.
pub struct Applied {
    /// Whether the snapshot changed (listeners must hear of it).
    pub changed: bool,
    /// Whether who is signed in changed through this tab's own request: the caller tells
    /// the other tabs ([`super::crosstab::announce`]) before notifying.
    pub announce: bool,
    /// The snapshot, or the `FapiError` the caller's promise rejects with.
    pub result: Result<JsValue, JsValue>,
    /// When a retry was planned: the wait in ms.
    pub retry_in: Option<u64>,
}

/// The raw manager class (`RawClientManager`). Use the package's `ClientManager`, which
/// wraps it; this one's methods must be called on the instance.
#[wasm_bindgen(js_name = RawClientManager)]
pub struct ClientManager {
    inner: Rc<RefCell<Inner>>,
}

#[wasm_bindgen(js_class = RawClientManager)]
impl ClientManager {
    /// Checks the options; never touches the network or `window`. Throws a `FapiError`
    /// of kind `config` for bad options. `sink`, if given, hears of every change before
    /// the listeners.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue, sink: Option<Function>) -> Result<ClientManager, JsValue> {
        let config = options::read(&options).map_err(|e| to_js(&e))?;
        let state = State::new(config.retry);
        let client_token = js_sys::Reflect::get(&options, &"clientToken".into())
            .ok()
            .filter(|v| !v.is_undefined());
        let access = Access::new(&config, client_token).map_err(|e| to_js(&e))?;
        let objects = Objects::default();
        let snapshot = objects.snapshot(&state, &JsValue::NULL);
        let inner = Rc::new_cyclic(|me: &Weak<RefCell<Inner>>| {
            let host = Box::new(TokenHost(me.clone()));
            let tokens = Tokens::new(config.clone(), access.clone(), host);
            RefCell::new(Inner {
                me: me.clone(),
                config,
                state,
                objects,
                error: JsValue::NULL,
                snapshot,
                listeners: Listeners::default(),
                sink,
                reading: None,
                mutating: None,
                in_flight: Vec::new(),
                next_id: 0,
                wakers: Vec::new(),
                expiry: None,
                revalidation: Vec::new(),
                channel: None,
                nudges: Nudges::default(),
                tokens,
                access,
                disposed: false,
            })
        });
        Ok(Self { inner })
    }

    /// The first `GET /v1/client`; later calls resolve with the loaded state, or join the
    /// request in flight.
    pub fn load(&self) -> Promise {
        flow::read(&self.inner, Op::Load, "load")
    }

    /// `GET /v1/client` now, joining a GET already in flight (or its retries).
    pub fn refresh(&self) -> Promise {
        flow::read(&self.inner, Op::Refresh, "refresh")
    }

    /// `PUT /v1/client`: a new client replaces the current one.
    pub fn create(&self) -> Promise {
        flow::mutate(&self.inner, Op::Create)
    }

    /// `DELETE /v1/client`: afterwards there is no client, session or user.
    pub fn destroy(&self) -> Promise {
        flow::mutate(&self.inner, Op::Destroy)
    }

    /// A session call, after the mutations before it: `op` is `signIn`, `signOut`,
    /// `setActive` or `request`; `method` and `path` (`/v1/...`) are sent as given with
    /// the form-encoded `form`. The answer's client is applied (cause `op`); resolves with
    /// the answer's text, rejects with a `FapiError`. The JS entry builds the calls.
    pub fn send(
        &self,
        op: &str,
        method: &str,
        path: &str,
        form: Option<String>,
    ) -> Result<Promise, JsValue> {
        let op = match op {
            "signIn" => Op::SignIn,
            "signOut" => Op::SignOut,
            "setActive" => Op::SetActive,
            _ => Op::Request,
        };
        let method = transport::method(method).ok_or_else(|| {
            to_js(&Error::config(
                "request: method must be GET, POST, PUT, PATCH or DELETE",
            ))
        })?;
        if !path.starts_with("/v1/") || path.contains(['#', ' ']) {
            return Err(to_js(&Error::config(
                "request: path must be a Frontend API path starting with /v1/",
            )));
        }
        if method == "GET" && form.is_some() {
            return Err(to_js(&Error::config("request: a GET has no body")));
        }
        Ok(flow::call(&self.inner, op, Call::new(method, path, form)))
    }

    /// The active session's token (`template` empty: the default one), from the cache
    /// while fresh unless `skip_cache`; `null` when nobody is signed in.
    #[wasm_bindgen(js_name = getToken)]
    pub fn get_token(&self, template: String, skip_cache: bool) -> Result<Promise, JsValue> {
        tokens::check_template(&template).map_err(|e| to_js(&e))?;
        let inner = self.inner.borrow();
        if inner.disposed {
            return Ok(Promise::reject(&flow::aborted()));
        }
        Ok(inner.tokens.get(&inner.state, template, skip_cache))
    }

    /// Applies the client piggybacked on a Frontend API answer the app got itself (a
    /// sign-in, say): `text` is the answer's JSON (`{"response": ..., "client": ...}`).
    /// Returns the snapshot; throws a `FapiError` (kind `parse` or `http`) for an envelope
    /// it cannot read, and of kind `aborted` after `dispose()`.
    #[wasm_bindgen(js_name = applyResponse)]
    pub fn apply_response(&self, text: &str) -> Result<JsValue, JsValue> {
        let applied = {
            let mut inner = self.inner.borrow_mut();
            if inner.disposed {
                return Err(flow::aborted());
            }
            inner.piggyback(text.as_bytes())
        };
        publish(&self.inner, applied.changed, applied.announce);
        applied.result
    }

    /// The current snapshot: the same object until something changes.
    #[wasm_bindgen(js_name = getSnapshot)]
    pub fn get_snapshot(&self) -> JsValue {
        self.inner.borrow().snapshot.clone()
    }

    /// Adds a listener, called with the new snapshot after every change; returns the id
    /// to pass to `unsubscribe`. The first listener attaches the revalidation events.
    pub fn subscribe(&self, listener: Function) -> u32 {
        let mut inner = self.inner.borrow_mut();
        if inner.disposed {
            return 0;
        }
        let id = inner.listeners.add(listener);
        if inner.revalidation.is_empty() {
            revalidate::attach(&mut inner);
            crosstab::attach(&mut inner);
        }
        inner.tokens.open_channel();
        id
    }

    /// Removes a listener; `false` if it was already removed. Idempotent. The last one
    /// detaches the revalidation events.
    pub fn unsubscribe(&self, id: u32) -> bool {
        let mut inner = self.inner.borrow_mut();
        let removed = inner.listeners.remove(id);
        if inner.listeners.is_empty() {
            crosstab::detach(&mut inner);
        }
        removed
    }

    /// Benchmarks only (cargo feature `bench`, never in the published build): applies
    /// `body` as the answer to a refresh, synchronously, through the same path as a real
    /// answer (parse, change detection, snapshot, listeners). Returns the snapshot.
    #[cfg(feature = "bench")]
    #[wasm_bindgen(js_name = benchApplyAnswer)]
    pub fn bench_apply_answer(&self, status: u16, body: &[u8]) -> JsValue {
        let applied = {
            let mut inner = self.inner.borrow_mut();
            let (ticket, _) = inner.state.begin(Op::Refresh, "refresh");
            let reply = crate::core::envelope::Reply {
                status,
                body,
                retry_after: None,
                date: None,
            };
            inner.apply(ticket, Ok(reply), None)
        };
        publish(&self.inner, applied.changed, applied.announce);
        self.get_snapshot()
    }

    /// How many listeners are subscribed (for leak checks).
    #[wasm_bindgen(getter, js_name = listenerCount)]
    pub fn listener_count(&self) -> usize {
        self.inner.borrow().listeners.len()
    }

    /// Stops everything: requests in flight are aborted and waiting retries woken (their
    /// promises reject with kind `aborted`), timers and browser listeners are removed,
    /// listeners are dropped, later calls reject. Idempotent.
    pub fn dispose(&self) {
        let (in_flight, wakers, tokens) = {
            let mut inner = self.inner.borrow_mut();
            inner.disposed = true;
            inner.listeners.clear();
            inner.sink = None;
            inner.reading = None;
            inner.mutating = None;
            inner.expiry = None;
            crosstab::detach(&mut inner);
            (
                std::mem::take(&mut inner.in_flight),
                std::mem::take(&mut inner.wakers),
                inner.tokens.clone(),
            )
        };
        tokens.dispose();
        for (_, controller) in in_flight {
            controller.abort();
        }
        for waker in wakers {
            waker.wake();
        }
    }
}
