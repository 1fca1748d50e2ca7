//! `getToken()`: the active session's JWT for the app's backend, from the cache of
//! [`crate::core::token`] while it is fresh, else from
//! `POST /v1/client/sessions/{id}/tokens[/{template}]`.
//!
//! One request per (session, template) at a time, joined by every call meanwhile. A token
//! handed out during its lifetime has its successor asked for shortly before it goes
//! stale, while the page is visible; nothing else is ever sent unasked. Minted tokens are
//! shared with the origin's other tabs (a `BroadcastChannel`), which adopt those of their
//! own active session. Tokens live in memory only, except the opt-in `__session` cookie.
//! Nothing here touches the snapshot or calls a listener.
//!
//! [`Tokens`] is a handle the manager owns. It reads the manager's state only through the
//! core's [`State`], handed to it or reached through its [`Host`], and keeps its own
//! requests, waits and timers, which [`Tokens::dispose`] ends.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use web_sys::AbortController;

use super::access::Access;
use super::dom::{self, Channel, Listener, Timer};
use super::error::to_js;
use super::transport::{Call, Exchange};
use crate::core::config::Config;
use crate::core::envelope;
use crate::core::policy;
use crate::core::state::State;
use crate::core::time::Millis;
use crate::core::token::{self, Key, Tokens as Cache};
use crate::core::{Error, ErrorKind};

/// What the token service needs of the manager that owns it.
pub trait Host {
    /// Calls `f` with the manager's current state (not at all once it is gone).
    fn with_state(&self, f: &mut dyn FnMut(&State));
    /// Asks the server for the client (a refresh, cause `'token'`); settles when applied.
    fn refresh(&self) -> Promise;
}

/// The token service of one manager: a cheap handle (clones are the same service).
#[derive(Clone)]
pub struct Tokens(Rc<Service>);

struct Service {
    config: Config,
    access: Access,
    host: Box<dyn Host>,
    me: Weak<Service>,
    state: RefCell<Inner>,
}

#[derive(Default)]
struct Inner {
    cache: Cache,
    flights: Vec<(Key, Promise)>,
    ahead: Option<(Millis, Timer)>,
    channel: Option<(Channel, Option<Listener>)>,
    /// What the `__session` cookie holds now (written only when that changes).
    in_cookie: Option<String>,
    /// Requests in flight, aborted by `dispose()`.
    controllers: Vec<(u64, AbortController)>,
    /// Retries waiting: resolving one ends its wait (`dispose()` resolves them all).
    waits: Vec<(u64, Function, Timer)>,
    next_id: u64,
    disposed: bool,
}

/// The signed-in active session's id in `state`.
fn active(state: &State) -> Option<String> {
    state
        .is_signed_in()
        .then(|| state.session().map(|s| s.id.clone()))
        .flatten()
}

fn aborted() -> Error {
    Error::new(ErrorKind::Aborted, "the manager was disposed")
}

impl Tokens {
    /// The service for a manager with `config`, sending through `access`.
    pub fn new(config: Config, access: Access, host: Box<dyn Host>) -> Self {
        let leeway = config.token_leeway_ms;
        Self(Rc::new_cyclic(|me| Service {
            config,
            access,
            host,
            me: me.clone(),
            state: RefCell::new(Inner {
                cache: Cache::new(leeway),
                ..Inner::default()
            }),
        }))
    }

    /// `getToken({ template, skipCache })`, for the active session of `state`.
    pub fn get(&self, state: &State, template: String, skip_cache: bool) -> Promise {
        let service = &self.0;
        if service.state.borrow().disposed {
            return Promise::reject(&to_js(&aborted()));
        }
        self.open_channel();
        let Some(session) = active(state) else {
            return Promise::resolve(&JsValue::NULL);
        };
        let key = Key { session, template };
        let mut inner = service.state.borrow_mut();
        if !skip_cache {
            if let Some(jwt) = inner.cache.fresh(&key, dom::now()) {
                drop(inner);
                service.arm(state);
                return Promise::resolve(&JsValue::from_str(&jwt));
            }
            if let Some((_, flight)) = inner.flights.iter().find(|(k, _)| k == &key) {
                return flight.clone();
            }
        }
        drop(inner);
        service.start(key, !skip_cache)
    }

    /// After the manager's state changed: tokens of sessions that are no longer signed in
    /// are forgotten, the active session's `last_active_token` seeds the cache, the cookie
    /// follows the active session, and the refresh-ahead timer is re-armed.
    pub fn after_change(&self, state: &State) {
        let service = &self.0;
        let mut cookie = None;
        {
            let mut inner = service.state.borrow_mut();
            inner.cache.retain(|s| state.has_current_session(s));
            let seed = active(state).and_then(|id| {
                let jwt = state.session()?.token.clone()?;
                Some((id, jwt))
            });
            if let Some((session, jwt)) = seed {
                let key = Key {
                    session,
                    template: String::new(),
                };
                let (skew, now) = (state.skew_ms(), dom::now());
                inner
                    .cache
                    .store(&key, &jwt, skew, now, js_sys::Math::random());
                cookie = inner.cache.peek(&key, now).map(str::to_owned);
            }
        }
        service.write_cookie(cookie.as_deref(), state.skew_ms());
        service.arm(state);
    }

    /// Opens the channel to the other tabs (once; on the first `subscribe()` or
    /// `getToken()`), unless disposed.
    pub fn open_channel(&self) {
        let service = &self.0;
        let mut inner = service.state.borrow_mut();
        if inner.channel.is_some() || inner.disposed {
            return;
        }
        let Some(channel) = Channel::open(&token::channel_name(&service.config.base)) else {
            return;
        };
        let me = service.me.clone();
        let listener = channel.on_message(move |data| {
            if let Some(service) = me.upgrade() {
                if token::read_claim(&data).is_some() {
                    service.defer(&data);
                } else {
                    service.adopt(&data);
                }
            }
        });
        inner.channel = Some((channel, listener));
    }

    /// Ends everything: requests in flight are aborted (their calls reject with kind
    /// `aborted`), waits woken, the timer and the channel dropped, the cache and the cookie
    /// forgotten.
    pub fn dispose(&self) {
        let service = &self.0;
        let (controllers, waits) = {
            let mut inner = service.state.borrow_mut();
            inner.disposed = true;
            inner.cache.clear();
            inner.flights.clear();
            inner.ahead = None;
            inner.channel = None;
            (
                std::mem::take(&mut inner.controllers),
                std::mem::take(&mut inner.waits),
            )
        };
        service.write_cookie(None, 0);
        for (_, controller) in controllers {
            controller.abort();
        }
        for (_, resolve, _) in waits {
            let _ = resolve.call0(&JsValue::NULL);
        }
    }
}

impl Service {
    /// Sends the request for `key`; `shared`: later calls for the key join it.
    fn start(&self, key: Key, shared: bool) -> Promise {
        let Some(me) = self.me.upgrade() else {
            return Promise::reject(&to_js(&aborted()));
        };
        let task_key = key.clone();
        let promise = future_to_promise(async move {
            let result = me.fetch(&task_key).await;
            me.state
                .borrow_mut()
                .flights
                .retain(|(k, _)| k != &task_key);
            me.with_state(|state| me.arm(state));
            result
                .map(|jwt| jwt.map_or(JsValue::NULL, |j| JsValue::from_str(&j)))
                .map_err(|e| to_js(&e))
        });
        if shared {
            self.state.borrow_mut().flights.push((key, promise.clone()));
        }
        promise
    }

    fn with_state(&self, mut f: impl FnMut(&State)) {
        self.host.with_state(&mut |state| f(state));
    }

    /// Asks for the token of `key` until it comes, fails for good, or the session is gone.
    async fn fetch(&self, key: &Key) -> Result<Option<String>, Error> {
        let mut path = ["/v1/client/sessions/", &key.session, "/tokens"].concat();
        if !key.template.is_empty() {
            path.push('/');
            path.push_str(&key.template);
        }
        let call = Call::new("POST", &path, None);
        let mut retry = 0;
        loop {
            let exchange = Exchange::new()?;
            let id = {
                let mut inner = self.state.borrow_mut();
                if inner.disposed {
                    return Err(aborted());
                }
                inner.next_id += 1;
                let id = inner.next_id;
                inner.controllers.push((id, exchange.controller.clone()));
                id
            };
            let answer = self.access.send(&exchange, &self.config, &call).await;
            {
                let mut inner = self.state.borrow_mut();
                inner.controllers.retain(|(i, _)| *i != id);
                if inner.disposed {
                    return Err(aborted());
                }
            }
            let read = answer.and_then(|a| envelope::read_token(a.reply(), dom::now()));
            let error = match read {
                Ok(jwt) => return Ok(self.keep(key, jwt)),
                Err(error) => error,
            };
            if matches!(error.status, Some(401 | 404)) {
                // The session may have ended elsewhere: ask for the client; `null` if the
                // session is gone, the error if it is still there.
                let _ = JsFuture::from(self.host.refresh()).await;
                let mut still = false;
                self.with_state(|state| still = active(state).is_some_and(|s| s == key.session));
                return if still { Err(error) } else { Ok(None) };
            }
            let delay = policy::retryable(&error, true)
                .then(|| {
                    self.config
                        .retry
                        .delay(retry, &error, js_sys::Math::random())
                })
                .flatten();
            match delay {
                Some(ms) => {
                    self.wait(ms).await;
                    retry += 1;
                }
                None => return Err(error),
            }
        }
    }

    /// Waits `ms` (or until `dispose()`).
    async fn wait(&self, ms: u64) {
        let mut resolve = None;
        let promise = Promise::new(&mut |res, _| resolve = Some(res));
        let Some(resolve) = resolve else {
            return;
        };
        let id = {
            let mut inner = self.state.borrow_mut();
            if inner.disposed {
                return;
            }
            inner.next_id += 1;
            let id = inner.next_id;
            let wake = resolve.clone();
            let timer = Timer::new(ms, move || {
                let _ = wake.call0(&JsValue::NULL);
            });
            inner.waits.push((id, resolve, timer));
            id
        };
        let _ = JsFuture::from(promise).await;
        self.state.borrow_mut().waits.retain(|(i, _, _)| *i != id);
    }

    /// A minted token for `key`: kept and shared if its session is still signed in,
    /// discarded (`None`: `getToken()` answers `null`) if the session ended meanwhile.
    fn keep(&self, key: &Key, jwt: String) -> Option<String> {
        let mut known = None;
        self.with_state(|state| {
            known = Some((
                state.has_current_session(&key.session),
                active(state).as_ref() == Some(&key.session),
                state.client().map(|c| c.id.clone()),
                state.skew_ms(),
            ));
        });
        let (current, is_active, client, skew) = known?;
        if !current {
            return None;
        }
        let stored = {
            let mut inner = self.state.borrow_mut();
            let stored = inner
                .cache
                .store(key, &jwt, skew, dom::now(), js_sys::Math::random());
            if let (true, Some(client), Some((channel, _))) = (stored, &client, &inner.channel) {
                channel
                    .sender()
                    .post(&token::share_message(client, &key.template, &jwt));
            }
            stored
        };
        if stored && key.template.is_empty() && is_active {
            self.write_cookie(Some(&jwt), skew);
        }
        Some(jwt)
    }

    /// A token another tab minted: adopted when it is for this tab's client and active
    /// session.
    fn adopt(&self, message: &str) {
        let Some((client, template, jwt)) = token::read_share(message) else {
            return;
        };
        self.with_state(|state| {
            let Some(session) = active(state) else {
                return;
            };
            let ours = state.client().is_some_and(|c| c.id == client)
                && token::claims(jwt).and_then(|c| c.sid).as_ref() == Some(&session);
            if !ours {
                return;
            }
            let key = Key {
                session,
                template: template.to_owned(),
            };
            let stored = self.state.borrow_mut().cache.store(
                &key,
                jwt,
                state.skew_ms(),
                dom::now(),
                js_sys::Math::random(),
            );
            if stored && key.template.is_empty() {
                self.write_cookie(Some(jwt), state.skew_ms());
            }
            self.arm(state);
        });
    }

    /// Another tab is asking for a successor this tab would ask for too: wait for it.
    fn defer(&self, message: &str) {
        let Some((client, template, session)) = token::read_claim(message) else {
            return;
        };
        self.with_state(|state| {
            let ours = state.client().is_some_and(|c| c.id == client)
                && active(state).is_some_and(|s| s == session);
            let key = Key {
                session: session.to_owned(),
                template: template.to_owned(),
            };
            if ours && self.state.borrow_mut().cache.defer(&key) {
                self.arm(state);
            }
        });
    }

    /// Arms the timer for the moment the active session's next used token is due for a
    /// successor (disarms it when there is none).
    fn arm(&self, state: &State) {
        let mut inner = self.state.borrow_mut();
        let due = match active(state) {
            Some(session) if !inner.disposed => inner.cache.next_refresh(&session),
            _ => None,
        };
        if due.is_some() && inner.ahead.as_ref().map(|(d, _)| *d) == due {
            return;
        }
        inner.ahead = due.map(|at| {
            let me = self.me.clone();
            let wait = at.saturating_sub(dom::now()).min(dom::MAX_TIMEOUT_MS);
            let timer = Timer::new(wait, move || {
                if let Some(service) = me.upgrade() {
                    service.refresh_ahead();
                }
            });
            (at, timer)
        });
    }

    /// The refresh-ahead timer fired: while the page is visible, ask for the successors of
    /// the active session's used tokens that are due (and not asked for already).
    fn refresh_ahead(&self) {
        self.state.borrow_mut().ahead = None;
        if dom::hidden() {
            // A hidden tab sends nothing; its next getToken() asks if the token went stale.
            return;
        }
        let mut due = Vec::new();
        let mut client = None;
        self.with_state(|state| {
            if let Some(session) = active(state) {
                due = self.state.borrow().cache.due(&session, dom::now());
                client = state.client().map(|c| c.id.clone());
            }
        });
        for key in due {
            let asked = {
                let inner = self.state.borrow();
                if let (Some(client), Some((channel, _))) = (&client, &inner.channel) {
                    // The other tabs wait for this one's token instead of asking too.
                    channel.sender().post(&token::claim_message(
                        client,
                        &key.template,
                        &key.session,
                    ));
                }
                inner.disposed || inner.flights.iter().any(|(k, _)| k == &key)
            };
            if !asked {
                let _ = self.start(key, true);
            }
        }
    }

    /// Writes (or, with `None`, removes) the `__session` cookie, when `sessionCookie` is
    /// on; `skew_ms` puts the token's `exp` on the local clock for its Max-Age.
    fn write_cookie(&self, jwt: Option<&str>, skew_ms: i64) {
        if !self.config.session_cookie || self.state.borrow().in_cookie.as_deref() == jwt {
            return;
        }
        let max_age = jwt
            .and_then(token::claims)
            .and_then(|c| c.exp)
            .map_or(0, |exp| {
                exp.saturating_sub(dom::now().saturating_add_signed(skew_ms)) / 1000
            });
        super::access::write_cookie_js("__session", jwt, max_age as f64);
        self.state.borrow_mut().in_cookie = jwt.map(str::to_owned);
    }
}

/// Checks a template name: letters, digits, `_` and `-` (it goes into the path).
pub fn check_template(template: &str) -> Result<(), Error> {
    if template.is_empty()
        || template
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        Ok(())
    } else {
        Err(Error::config(
            "getToken: template must be letters, digits, '_' or '-'",
        ))
    }
}
