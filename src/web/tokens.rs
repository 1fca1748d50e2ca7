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

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use super::dom::{self, Channel, Listener, Timer};
use super::error::to_js;
use super::flow;
use super::manager::Inner;
use super::transport::{Call, Exchange};
use crate::core::envelope::{self, Reply};
use crate::core::policy;
use crate::core::state::Op;
use crate::core::time::Millis;
use crate::core::token::{self, Key, Tokens};
use crate::core::Error;

type Shared = Rc<RefCell<Inner>>;

/// The manager's token state: the cache, the requests in flight, the refresh-ahead timer
/// and the channel to the other tabs.
#[derive(Default)]
pub struct TokenState {
    cache: Tokens,
    flights: Vec<(Key, Promise)>,
    ahead: Option<(Millis, Timer)>,
    channel: Option<(Channel, Option<Listener>)>,
    /// Keep the active session's token in a first-party `__session` cookie.
    cookie: bool,
    /// What the cookie holds now (so it is written only when that changes).
    in_cookie: Option<String>,
}

impl TokenState {
    /// Tokens stale `leeway_ms` before their `exp`; `cookie`: the `sessionCookie` option.
    pub fn new(leeway_ms: u32, cookie: bool) -> Self {
        Self {
            cache: Tokens::new(leeway_ms),
            cookie,
            ..Self::default()
        }
    }
}

/// The active session's id, if the user is signed in.
fn active(inner: &Inner) -> Option<String> {
    inner
        .state
        .is_signed_in()
        .then(|| inner.state.session().map(|s| s.id.clone()))
        .flatten()
}

/// `getToken({ template, skipCache })`.
pub fn get(rc: &Shared, template: String, skip_cache: bool) -> Promise {
    let mut guard = rc.borrow_mut();
    let inner = &mut *guard;
    if inner.disposed {
        return Promise::reject(&flow::aborted());
    }
    open_channel(inner);
    let Some(session) = active(inner) else {
        return Promise::resolve(&JsValue::NULL);
    };
    let key = Key { session, template };
    if !skip_cache {
        if let Some(jwt) = inner.tokens.cache.fresh(&key, dom::now()) {
            arm(inner);
            return Promise::resolve(&JsValue::from_str(&jwt));
        }
        if let Some((_, flight)) = inner.tokens.flights.iter().find(|(k, _)| k == &key) {
            return flight.clone();
        }
    }
    start(inner, key, !skip_cache)
}

/// Sends the request for `key`; `shared`: later calls for the key join it.
fn start(inner: &mut Inner, key: Key, shared: bool) -> Promise {
    let Some(rc) = inner.me.upgrade() else {
        return Promise::reject(&flow::aborted());
    };
    let task_key = key.clone();
    let promise = future_to_promise(async move {
        let result = fetch(&rc, &task_key).await;
        let mut inner = rc.borrow_mut();
        inner.tokens.flights.retain(|(k, _)| k != &task_key);
        arm(&mut inner);
        result
    });
    if shared {
        inner.tokens.flights.push((key, promise.clone()));
    }
    promise
}

/// The token's path (`/v1/client/sessions/{id}/tokens[/{template}]`).
fn path(key: &Key) -> String {
    let mut path = ["/v1/client/sessions/", &key.session, "/tokens"].concat();
    if !key.template.is_empty() {
        path.push('/');
        path.push_str(&key.template);
    }
    path
}

/// Asks for the token of `key` until it comes, fails for good, or the session is gone.
async fn fetch(rc: &Shared, key: &Key) -> Result<JsValue, JsValue> {
    let call = Call::new("POST", &path(key), None);
    let mut retry = 0;
    loop {
        let (exchange, id, config) = {
            let mut inner = rc.borrow_mut();
            if inner.disposed {
                return Err(flow::aborted());
            }
            let exchange = Exchange::new().map_err(|e| to_js(&e))?;
            let id = inner.next_id();
            inner.in_flight.push((id, exchange.controller.clone()));
            (exchange, id, inner.config.clone())
        };
        let answer = super::access::send(rc, &exchange, &config, &call).await;
        let outcome = {
            let mut inner = rc.borrow_mut();
            inner.in_flight.retain(|(i, _)| *i != id);
            if inner.disposed {
                return Err(flow::aborted());
            }
            let now = dom::now();
            let read = answer.and_then(|a| {
                let reply = Reply {
                    status: a.status,
                    body: &a.body,
                    retry_after: a.retry_after.as_deref(),
                    date: a.date.as_deref(),
                };
                envelope::read_token(reply, now)
            });
            match read {
                Ok(jwt) => Ok(keep(&mut inner, key, jwt)),
                Err(e) => Err(e),
            }
        };
        let error = match outcome {
            Ok(jwt) => return Ok(jwt.map_or(JsValue::NULL, |j| JsValue::from_str(&j))),
            Err(error) => error,
        };
        if matches!(error.status, Some(401 | 404)) {
            // The session may have ended elsewhere: ask for the client; `null` if the
            // session is gone, the error if it is still there.
            let _ = JsFuture::from(flow::read(rc, Op::Refresh, "token")).await;
            let still = active(&rc.borrow()).is_some_and(|s| s == key.session);
            if still {
                return Err(to_js(&error));
            }
            return Ok(JsValue::NULL);
        }
        let delay = {
            let inner = rc.borrow();
            policy::retryable(&error, true)
                .then(|| {
                    inner
                        .config
                        .retry
                        .delay(retry, &error, js_sys::Math::random())
                })
                .flatten()
        };
        match delay {
            Some(ms) => {
                flow::wait(rc, ms).await;
                retry += 1;
            }
            None => return Err(to_js(&error)),
        }
    }
}

/// A minted token for `key`: kept and shared if its session is still signed in, discarded
/// (`None`: `getToken()` answers `null`) if the session ended meanwhile.
fn keep(inner: &mut Inner, key: &Key, jwt: String) -> Option<String> {
    if !inner.state.has_current_session(&key.session) {
        return None;
    }
    let stored = inner.tokens.cache.store(
        key,
        &jwt,
        inner.state.skew_ms(),
        dom::now(),
        js_sys::Math::random(),
    );
    if stored {
        if let (Some(client), Some((channel, _))) = (inner.state.client(), &inner.tokens.channel) {
            channel
                .sender()
                .post(&token::share_message(&client.id, &key.template, &jwt));
        }
        if key.template.is_empty() && active(inner).as_ref() == Some(&key.session) {
            write_cookie(inner, Some(&jwt));
        }
    }
    Some(jwt)
}

/// A token another tab minted: adopted when it is for this tab's client and active session.
fn adopt(inner: &mut Inner, message: &str) {
    let Some((client, template, jwt)) = token::read_share(message) else {
        return;
    };
    let Some(session) = active(inner) else {
        return;
    };
    let ours = inner.state.client().is_some_and(|c| c.id == client)
        && token::claims(jwt).and_then(|c| c.sid).as_ref() == Some(&session);
    if !ours {
        return;
    }
    let key = Key {
        session,
        template: template.to_owned(),
    };
    let stored = inner.tokens.cache.store(
        &key,
        jwt,
        inner.state.skew_ms(),
        dom::now(),
        js_sys::Math::random(),
    );
    if stored && key.template.is_empty() {
        write_cookie(inner, Some(jwt));
    }
    arm(inner);
}

/// Opens the channel to the other tabs (once; on the first `subscribe()` or `getToken()`).
pub fn open_channel(inner: &mut Inner) {
    if inner.tokens.channel.is_some() || inner.disposed {
        return;
    }
    let Some(channel) = Channel::open(&token::channel_name(&inner.config.base)) else {
        return;
    };
    let me = inner.me.clone();
    let listener = channel.on_message(move |data| {
        if let Some(rc) = me.upgrade() {
            adopt(&mut rc.borrow_mut(), &data);
        }
    });
    inner.tokens.channel = Some((channel, listener));
}

/// After the client changed: tokens of sessions that are no longer signed in are
/// forgotten, the active session's `last_active_token` seeds the cache, the cookie follows
/// the active session, and the refresh-ahead timer is re-armed.
pub fn after_change(inner: &mut Inner) {
    let state = &inner.state;
    inner.tokens.cache.retain(|s| state.has_current_session(s));
    let seed = state
        .is_signed_in()
        .then(|| state.session())
        .flatten()
        .and_then(|s| Some((s.id.clone(), s.token.clone()?)));
    let mut cookie = None;
    if let Some((session, jwt)) = seed {
        let key = Key {
            session,
            template: String::new(),
        };
        let skew = inner.state.skew_ms();
        inner
            .tokens
            .cache
            .store(&key, &jwt, skew, dom::now(), js_sys::Math::random());
        cookie = inner.tokens.cache.peek(&key, dom::now()).map(str::to_owned);
    }
    write_cookie(inner, cookie.as_deref());
    arm(inner);
}

/// Arms the timer for the moment the active session's next used token is due for a
/// successor (disarms it when there is none).
fn arm(inner: &mut Inner) {
    let due = match active(inner) {
        Some(session) if !inner.disposed => inner.tokens.cache.next_refresh(&session),
        _ => None,
    };
    if due.is_some() && inner.tokens.ahead.as_ref().map(|(d, _)| *d) == due {
        return;
    }
    inner.tokens.ahead = due.map(|at| {
        let me = inner.me.clone();
        let wait = at.saturating_sub(dom::now()).min(dom::MAX_TIMEOUT_MS);
        let timer = Timer::new(wait, move || {
            if let Some(rc) = me.upgrade() {
                refresh_ahead(&rc);
            }
        });
        (at, timer)
    });
}

/// The refresh-ahead timer fired: while the page is visible, ask for the successors of the
/// active session's used tokens that are due (and not asked for already).
fn refresh_ahead(rc: &Shared) {
    let mut guard = rc.borrow_mut();
    let inner = &mut *guard;
    inner.tokens.ahead = None;
    let Some(session) = active(inner) else {
        return;
    };
    if dom::hidden() || inner.disposed {
        // A hidden tab sends nothing; its next getToken() asks if the token went stale.
        return;
    }
    for key in inner.tokens.cache.due(&session, dom::now()) {
        if !inner.tokens.flights.iter().any(|(k, _)| k == &key) {
            let _ = start(inner, key, true);
        }
    }
}

/// Writes (or, with `None`, removes) the `__session` cookie, when `sessionCookie` is on.
fn write_cookie(inner: &mut Inner, jwt: Option<&str>) {
    if !inner.tokens.cookie || inner.tokens.in_cookie.as_deref() == jwt {
        return;
    }
    let Some(document) = dom::document() else {
        return;
    };
    let secure = dom::location_protocol().is_some_and(|p| p == "https:");
    let max_age = jwt
        .and_then(token::claims)
        .and_then(|c| c.exp)
        .map_or(0, |exp| {
            exp.saturating_sub(dom::now().saturating_add_signed(inner.state.skew_ms())) / 1000
        });
    let value = [
        "__session=",
        jwt.unwrap_or(""),
        "; Path=/; SameSite=Lax; Max-Age=",
        &crate::core::error::decimal(max_age),
        if secure { "; Secure" } else { "" },
    ]
    .concat();
    let _ = js_sys::Reflect::set(&document, &"cookie".into(), &value.into());
    inner.tokens.in_cookie = jwt.map(str::to_owned);
}

/// Forgets every token (sign-out of this browser, `destroy()`, `dispose()`): requests in
/// flight answer `null` when they come back.
pub fn forget(inner: &mut Inner) {
    inner.tokens.cache.clear();
    inner.tokens.ahead = None;
    write_cookie(inner, None);
}

/// `dispose()`: forgets everything and closes the channel.
pub fn dispose(inner: &mut Inner) {
    forget(inner);
    inner.tokens.flights.clear();
    inner.tokens.channel = None;
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
