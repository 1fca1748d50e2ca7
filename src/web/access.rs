//! How requests name the client, for each way an app reaches its Frontend API:
//!
//! - **cookie** (a production instance): the Frontend API's `__client` cookie, sent by the
//!   browser (`credentials: 'include'`); nothing to add.
//! - **dev browser** (a development instance, on another site than the app, where browsers
//!   block third-party cookies): before the first request `POST /v1/dev_browser` (no
//!   credentials) answers a JWT, kept in a first-party `__clerk_db_jwt` cookie on the app's
//!   site (a reload keeps the same client) and sent as the `__clerk_db_jwt` query
//!   parameter; an answer's `Clerk-Db-Jwt` header replaces it; a 401
//!   `dev_browser_unauthenticated` gets a new dev browser once, and the request is sent
//!   again once. One `dev_browser` request per page, however many managers or calls ask.
//! - **client token** (cookie-less: iframes, extensions, native shells; `clientToken`):
//!   `_is_native=1` and `Authorization: <client token>`, credentials `'omit'`; an answer's
//!   `Authorization` header replaces the token (the store's `set`); `destroy()` removes it.
//!
//! [`Access::send`] is the one way the manager's requests go out. The handle is all the
//! manager holds of it: this module reads nothing of the manager's state.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::dom;
use super::transport::{Answer, Call, Exchange, Grant};
use crate::core::config::{Config, Credentials};
use crate::core::envelope;
use crate::core::error::msg;
use crate::core::instance::Kind;
use crate::core::{Error, ErrorKind};

/// The first-party cookie (and query parameter) holding the dev browser's JWT.
const DB_JWT: &str = "__clerk_db_jwt";

/// Where the client token of cookie-less mode is kept.
pub enum Store {
    /// In memory, for the page's life (`clientToken: 'memory'`).
    Memory(Option<String>),
    /// The app's `{ get, set, remove }` (each may return a promise).
    Custom(JsValue),
}

/// The manager's way of naming its client: a handle shared by its requests (clones are
/// the same access).
#[derive(Clone)]
pub struct Access(Rc<RefCell<Mode>>);

/// What names the client.
enum Mode {
    /// The browser's cookie for the Frontend API.
    Cookie,
    /// A development instance's dev browser; the JWT as last seen (the cookie wins).
    DevBrowser(Option<String>),
    /// Cookie-less mode.
    Native(Store),
}

impl Access {
    /// The access `config` asks for; `client_token` is the `clientToken` option.
    pub fn new(config: &Config, client_token: Option<JsValue>) -> Result<Self, Error> {
        Mode::new(config, client_token).map(|mode| Self(Rc::new(RefCell::new(mode))))
    }

    /// Sends `call`, naming the client as this access says, and takes in what the answer
    /// says about it (a new dev browser JWT or client token).
    pub async fn send(
        &self,
        exchange: &Exchange,
        config: &Config,
        call: &Call,
    ) -> Result<Answer, Error> {
        let mut renewed = false;
        loop {
            let grant = self.grant(config).await?;
            let answer = exchange.send(config, call, &grant).await?;
            self.learn(&answer).await;
            if !renewed && grant.db_jwt.is_some() && dev_browser_unauthenticated(&answer) {
                // Expired or unknown: a new dev browser, and the request once more.
                renewed = true;
                self.forget_dev_browser(grant.db_jwt.as_deref());
                continue;
            }
            return Ok(answer);
        }
    }
}

impl Mode {
    fn new(config: &Config, client_token: Option<JsValue>) -> Result<Self, Error> {
        if let Some(store) = client_token {
            if store.as_string().as_deref() == Some("memory") {
                return Ok(Self::Native(Store::Memory(None)));
            }
            let has = |name: &str| {
                Reflect::get(&store, &JsValue::from_str(name))
                    .ok()
                    .is_some_and(|f| f.is_function())
            };
            if store.is_object() && has("get") && has("set") && has("remove") {
                return Ok(Self::Native(Store::Custom(store)));
            }
            return Err(Error::config(
                "options.clientToken must be 'memory' or an object with get, set and remove functions",
            ));
        }
        Ok(match config.instance {
            Kind::Development => Self::DevBrowser(None),
            Kind::Production => Self::Cookie,
        })
    }
}

/// A `POST /v1/dev_browser` in flight: the promise settles when it is done, then `outcome`
/// holds its JWT or its failure.
struct Making {
    base: String,
    done: Promise,
    outcome: Rc<RefCell<Option<Result<String, Error>>>>,
}

thread_local! {
    /// `POST /v1/dev_browser` in flight, per Frontend API base: every manager of the page
    /// waits for the same one.
    static MAKING: RefCell<Vec<Making>> = const { RefCell::new(Vec::new()) };
}

impl Access {
    /// What this request must carry.
    async fn grant(&self, config: &Config) -> Result<Grant, Error> {
        let store = {
            let mode = self.0.borrow();
            match &*mode {
                Mode::Cookie => return Ok(Grant::default()),
                Mode::DevBrowser(known) => {
                    // One handed over in the page's URL (after a redirect from a hosted sign-in
                    // page) is the newest; else the cookie (another tab may have renewed it).
                    // The URL is looked at only until a JWT is known (it is taken out of it).
                    let handed = known.is_none().then(|| from_url(DB_JWT)).flatten();
                    let jwt = handed
                        .inspect(|jwt| write_cookie(DB_JWT, Some(jwt)))
                        .or_else(|| read_cookie(DB_JWT))
                        .or_else(|| known.clone());
                    if let Some(jwt) = jwt {
                        return Ok(Grant::dev_browser(jwt));
                    }
                    None
                }
                Mode::Native(Store::Memory(token)) => return Ok(Grant::native(token.clone())),
                Mode::Native(Store::Custom(store)) => Some(store.clone()),
            }
        };
        match store {
            Some(store) => {
                let got = call_store(&store, "get", None).await?;
                Ok(Grant::native(got.as_string().filter(|t| !t.is_empty())))
            }
            None => {
                let jwt = make_dev_browser(config).await?;
                if let Mode::DevBrowser(known) = &mut *self.0.borrow_mut() {
                    *known = Some(jwt.clone());
                }
                write_cookie(DB_JWT, Some(&jwt));
                Ok(Grant::dev_browser(jwt))
            }
        }
    }
}

/// `POST /v1/dev_browser`, once for all the page's managers of this Frontend API.
async fn make_dev_browser(config: &Config) -> Result<String, Error> {
    let base = config.base.clone();
    let flight = MAKING.with(|m| {
        m.borrow()
            .iter()
            .find(|f| f.base == base)
            .map(|f| (f.done.clone(), f.outcome.clone()))
    });
    let (done, outcome) = match flight {
        Some(flight) => flight,
        None => {
            let mut plain = config.clone();
            plain.credentials = Credentials::Omit;
            // Its own exchange: shared by every manager, it outlives any one caller's.
            let own = Exchange::new()?;
            let outcome = Rc::new(RefCell::new(None));
            let (slot, shared) = (outcome.clone(), base.clone());
            let done = wasm_bindgen_futures::future_to_promise(async move {
                let call = Call::new("POST", "/v1/dev_browser", None);
                let answer = own.send(&plain, &call, &Grant::default()).await;
                let read = answer.and_then(|answer| read_dev_browser(&answer));
                *slot.borrow_mut() = Some(read);
                MAKING.with(|m| m.borrow_mut().retain(|f| f.base != shared));
                Ok(JsValue::UNDEFINED)
            });
            MAKING.with(|m| {
                m.borrow_mut().push(Making {
                    base,
                    done: done.clone(),
                    outcome: outcome.clone(),
                })
            });
            (done, outcome)
        }
    };
    let _ = JsFuture::from(done).await;
    let read = outcome.borrow().clone();
    read.unwrap_or_else(|| Err(Error::new(ErrorKind::Aborted, "the request was cancelled")))
}

/// The JWT in a `POST /v1/dev_browser` answer (`{"id": "<jwt>"}`).
fn read_dev_browser(answer: &Answer) -> Result<String, Error> {
    envelope::read_field(answer.reply(), "id", dom::now())
}

/// A 401 whose first Clerk error is `dev_browser_unauthenticated`.
fn dev_browser_unauthenticated(answer: &Answer) -> bool {
    answer.status == 401
        && envelope::failure_of(answer.reply(), dom::now())
            .code
            .is_some_and(|c| c == "dev_browser_unauthenticated")
}

impl Access {
    /// Takes in what an answer says about the client's credential.
    async fn learn(&self, answer: &Answer) {
        let store = {
            let mut mode = self.0.borrow_mut();
            match &mut *mode {
                Mode::DevBrowser(known) => {
                    if let Some(jwt) = answer.db_jwt.as_ref().filter(|j| !j.is_empty()) {
                        *known = Some(jwt.clone());
                        write_cookie(DB_JWT, Some(jwt));
                    }
                    return;
                }
                Mode::Native(Store::Memory(token)) => {
                    if let Some(new) = answer.authorization.as_ref().filter(|t| !t.is_empty()) {
                        *token = Some(new.clone());
                    }
                    return;
                }
                Mode::Native(Store::Custom(store)) => store.clone(),
                Mode::Cookie => return,
            }
        };
        if let Some(new) = answer.authorization.as_ref().filter(|t| !t.is_empty()) {
            // A store that fails to keep it is the app's to report; the answer stands.
            let _ = call_store(&store, "set", Some(new)).await;
        }
    }

    /// Forgets the dev browser (when `seen` is still the current one): the next request makes a
    /// new one.
    fn forget_dev_browser(&self, seen: Option<&str>) {
        if let Mode::DevBrowser(known) = &mut *self.0.borrow_mut() {
            if read_cookie(DB_JWT).as_deref() == seen || read_cookie(DB_JWT).is_none() {
                write_cookie(DB_JWT, None);
            }
            *known = None;
        }
    }

    /// After `destroy()`: the dev browser or the client token is forgotten.
    pub async fn forget(&self) {
        let store = {
            let mut mode = self.0.borrow_mut();
            match &mut *mode {
                Mode::DevBrowser(known) => {
                    *known = None;
                    write_cookie(DB_JWT, None);
                    return;
                }
                Mode::Native(Store::Memory(token)) => {
                    *token = None;
                    return;
                }
                Mode::Native(Store::Custom(store)) => store.clone(),
                Mode::Cookie => return,
            }
        };
        let _ = call_store(&store, "remove", None).await;
    }
}

#[wasm_bindgen(module = "/js/objects.js")]
extern "C" {
    /// `store[name](arg)` as a promise (a thrown error rejects it).
    #[wasm_bindgen(js_name = callStore)]
    fn call_store_js(store: &JsValue, name: &str, arg: Option<&str>) -> Promise;
    /// The page's first-party cookie `name`, if set and not empty.
    #[wasm_bindgen(js_name = readCookie)]
    pub fn read_cookie(name: &str) -> Option<String>;
    /// Writes the page's cookie `name` (Path=/, SameSite=Lax, Secure on https) for
    /// `max_age` seconds; `None` removes it.
    #[wasm_bindgen(js_name = writeCookie)]
    pub fn write_cookie_js(name: &str, value: Option<&str>, max_age: f64);
    /// Takes the query parameter `name` out of the page's URL (`history.replaceState`,
    /// the rest of the address kept) and returns it.
    #[wasm_bindgen(js_name = takeFromUrl)]
    fn from_url(name: &str) -> Option<String>;
}

/// `store[name](arg)`, awaited: a `config` error naming the store's method if it fails.
async fn call_store(store: &JsValue, name: &str, arg: Option<&str>) -> Result<JsValue, Error> {
    JsFuture::from(call_store_js(store, name, arg))
        .await
        .map_err(|e| {
            let why = e
                .dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
                .unwrap_or_default();
            Error::config(msg(&["options.clientToken.", name, "() failed: ", &why]))
        })
}

/// Writes (a year) or removes the dev browser cookie.
fn write_cookie(name: &str, value: Option<&str>) {
    write_cookie_js(name, value, 31_536_000.0);
}
