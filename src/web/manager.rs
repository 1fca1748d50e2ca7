//! The exported class. The package's JS entry wraps it (binding methods, caching the
//! snapshot for reads); this is where requests are started and answers applied.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use web_sys::AbortController;

use super::error::to_js;
use super::events::{notify, Listeners, Source};
use super::snapshot::Objects;
use super::transport::Exchange;
use crate::core::config::{self, Config, Credentials};
use crate::core::envelope::Reply;
use crate::core::state::{Change, Op, State, Status};
use crate::core::{Error, ErrorKind};

/// Reads `options[key]`: `None` when absent or `undefined`.
fn option(options: &JsValue, key: &str) -> Option<JsValue> {
    js_sys::Reflect::get(options, &JsValue::from_str(key))
        .ok()
        .filter(|v| !v.is_undefined())
}

/// Checks the options JavaScript passed (camelCase keys; unknown keys are the JS entry's).
fn read_options(options: JsValue) -> Result<Config, Error> {
    if !options.is_object() {
        return Err(Error::config("options must be an object with frontendApi"));
    }
    let frontend_api = option(&options, "frontendApi")
        .ok_or_else(|| Error::config("options.frontendApi is required"))?
        .as_string()
        .ok_or_else(|| Error::config("options.frontendApi must be a string"))?;
    let credentials = match option(&options, "credentials") {
        None => Credentials::default(),
        Some(v) => Credentials::parse(&v.as_string().unwrap_or_default())?,
    };
    let method_override = match option(&options, "methodOverride") {
        None => true,
        Some(v) => v
            .as_bool()
            .ok_or_else(|| Error::config("options.methodOverride must be a boolean"))?,
    };
    let timeout_ms = match option(&options, "timeoutMs").map(|v| v.as_f64()) {
        None => config::DEFAULT_TIMEOUT_MS,
        Some(Some(ms)) if ms.is_finite() && ms >= 1.0 && ms <= f64::from(i32::MAX) => ms as u32,
        Some(_) => {
            return Err(Error::config(
                "options.timeoutMs must be a positive number of milliseconds",
            ))
        }
    };
    Ok(Config {
        origin: config::parse_origin(&frontend_api)?,
        credentials,
        method_override,
        timeout_ms,
    })
}

struct Inner {
    config: Config,
    state: State,
    objects: Objects,
    /// The `FapiError` for `state.error()`, or `null`.
    error: JsValue,
    snapshot: JsValue,
    listeners: Listeners,
    sink: Option<Function>,
    /// The GET in flight, shared by every `load()`/`refresh()` that comes meanwhile.
    reading: Option<Promise>,
    /// The last mutation: the next one waits for it (mutations run in call order).
    mutating: Option<Promise>,
    /// Requests in flight, for `dispose()`.
    in_flight: Vec<(u64, AbortController)>,
    next_request: u64,
    disposed: bool,
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
    /// Brings the JS objects and the snapshot in line with a change of the core's state.
    fn absorb(&mut self, change: &Change) {
        if !change.changed {
            return;
        }
        self.objects.apply(&change.client, &self.state);
        if self.state.error().is_none() {
            self.error = JsValue::NULL;
        }
        self.snapshot = self.objects.snapshot(&self.state, &self.error);
    }
}

fn aborted() -> JsValue {
    to_js(&Error::new(ErrorKind::Aborted, "the manager was disposed"))
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
        let config = read_options(options).map_err(|e| to_js(&e))?;
        let state = State::new();
        let objects = Objects::default();
        let snapshot = objects.snapshot(&state, &JsValue::NULL);
        Ok(Self {
            inner: Rc::new(RefCell::new(Inner {
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
                next_request: 0,
                disposed: false,
            })),
        })
    }

    /// The first `GET /v1/client`; later calls resolve with the loaded state, or join the
    /// request in flight.
    pub fn load(&self) -> Promise {
        self.read(Op::Load)
    }

    /// `GET /v1/client` now, joining a GET already in flight.
    pub fn refresh(&self) -> Promise {
        self.read(Op::Refresh)
    }

    /// `PUT /v1/client`: a new client replaces the current one.
    pub fn create(&self) -> Promise {
        self.mutate(Op::Create)
    }

    /// `DELETE /v1/client`: afterwards there is no client, session or user.
    pub fn destroy(&self) -> Promise {
        self.mutate(Op::Destroy)
    }

    /// The current snapshot: the same object until something changes.
    #[wasm_bindgen(js_name = getSnapshot)]
    pub fn get_snapshot(&self) -> JsValue {
        self.inner.borrow().snapshot.clone()
    }

    /// Adds a listener, called with the new snapshot after every change; returns the id
    /// to pass to `unsubscribe`.
    pub fn subscribe(&self, listener: Function) -> u32 {
        let mut inner = self.inner.borrow_mut();
        if inner.disposed {
            return 0;
        }
        inner.listeners.add(listener)
    }

    /// Removes a listener; `false` if it was already removed. Idempotent.
    pub fn unsubscribe(&self, id: u32) -> bool {
        self.inner.borrow_mut().listeners.remove(id)
    }

    /// How many listeners are subscribed (for leak checks).
    #[wasm_bindgen(getter, js_name = listenerCount)]
    pub fn listener_count(&self) -> usize {
        self.inner.borrow().listeners.len()
    }

    /// Stops everything: requests in flight are aborted (their promises reject with kind
    /// `aborted`), listeners are dropped, later calls reject. Idempotent.
    pub fn dispose(&self) {
        let in_flight = {
            let mut inner = self.inner.borrow_mut();
            inner.disposed = true;
            inner.listeners.clear();
            inner.sink = None;
            inner.reading = None;
            inner.mutating = None;
            std::mem::take(&mut inner.in_flight)
        };
        for (_, controller) in in_flight {
            controller.abort();
        }
    }

    fn read(&self, op: Op) -> Promise {
        let mut inner = self.inner.borrow_mut();
        if inner.disposed {
            return Promise::reject(&aborted());
        }
        if let Some(reading) = &inner.reading {
            return reading.clone();
        }
        if op == Op::Load && inner.state.status() == Status::Ready {
            return Promise::resolve(&inner.snapshot);
        }
        let rc = self.inner.clone();
        let promise = future_to_promise(async move {
            let result = run(&rc, op).await;
            rc.borrow_mut().reading = None;
            result
        });
        inner.reading = Some(promise.clone());
        promise
    }

    fn mutate(&self, op: Op) -> Promise {
        let mut inner = self.inner.borrow_mut();
        if inner.disposed {
            return Promise::reject(&aborted());
        }
        let previous = inner.mutating.take();
        let rc = self.inner.clone();
        let promise = future_to_promise(async move {
            if let Some(previous) = previous {
                // Its outcome is its caller's business; we only wait our turn.
                let _ = JsFuture::from(previous).await;
            }
            run(&rc, op).await
        });
        inner.mutating = Some(promise.clone());
        promise
    }
}

/// Sends one request for `op` and applies its answer; resolves with the snapshot or
/// rejects with a `FapiError`.
async fn run(rc: &Rc<RefCell<Inner>>, op: Op) -> Result<JsValue, JsValue> {
    let (ticket, id, exchange, config, changed) = {
        let mut inner = rc.borrow_mut();
        if inner.disposed {
            return Err(aborted());
        }
        let exchange = Exchange::new().map_err(|e| to_js(&e))?;
        let (ticket, change) = inner.state.begin(op);
        inner.absorb(&change);
        inner.next_request += 1;
        let id = inner.next_request;
        inner.in_flight.push((id, exchange.controller.clone()));
        (ticket, id, exchange, inner.config.clone(), change.changed)
    };
    if changed {
        notify(rc);
    }
    let answer = exchange.send(&config, op).await;
    let (changed, result) = {
        let mut inner = rc.borrow_mut();
        inner.in_flight.retain(|(i, _)| *i != id);
        if inner.disposed {
            return Err(aborted());
        }
        let reply = answer.as_ref().map_err(Clone::clone).map(|a| Reply {
            status: a.status,
            body: &a.body,
            retry_after: a.retry_after.as_deref(),
            date: a.date.as_deref(),
        });
        let now = js_sys::Date::now();
        let now = if now.is_finite() && now > 0.0 {
            now as u64
        } else {
            0
        };
        let (change, error) = inner.state.complete(ticket, reply, now);
        let error = error.map(|e| {
            let js = to_js(&e);
            if change.changed {
                inner.error = js.clone();
            }
            js
        });
        inner.absorb(&change);
        let result = match error {
            Some(js) => Err(js),
            None => Ok(inner.snapshot.clone()),
        };
        (change.changed, result)
    };
    if changed {
        notify(rc);
    }
    result
}
