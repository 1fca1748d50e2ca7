//! HTTP to the Frontend API: `fetch` with the browser's credentials, an
//! `AbortController` per request, a deadline, and the method override that spares a CORS
//! preflight. The request is made by one small JS function (`js/objects.js`, `send`)
//! instead of gloo-net's builder and web-sys's `Request`/`RequestInit`/`Headers`
//! bindings: fewer imports and no formatting of its error type (issue #10).

use std::cell::Cell;
use std::rc::Rc;

use js_sys::{Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, Response};

use super::dom::Timer;
use crate::core::config::{Config, Credentials};
use crate::core::envelope::Reply;
use crate::core::error::{decimal, msg};
use crate::core::state::Op;
use crate::core::{Error, ErrorKind};

#[wasm_bindgen(module = "/js/objects.js")]
extern "C" {
    /// `fetch(url, { method, credentials, cache: 'no-store', signal })`, with `form` as a
    /// form-encoded body when it is not `undefined`.
    #[wasm_bindgen(js_name = send)]
    fn fetch_call(
        url: &str,
        method: &str,
        form: Option<&str>,
        credentials: &str,
        authorization: Option<&str>,
        signal: &AbortSignal,
    ) -> Promise;
}

/// `name: message` of a thrown JS error (as gloo-net wrote it), else its text.
fn describe(e: &JsValue) -> String {
    match e.dyn_ref::<js_sys::Error>() {
        Some(e) => msg(&[&String::from(e.name()), ": ", &String::from(e.message())]),
        None => e.as_string().unwrap_or_else(|| "unknown error".to_owned()),
    }
}

/// An answer, owned.
pub struct Answer {
    /// Status code.
    pub status: u16,
    /// Body bytes.
    pub body: Vec<u8>,
    /// `Retry-After`.
    pub retry_after: Option<String>,
    /// `Date`.
    pub date: Option<String>,
    /// `Clerk-Db-Jwt`: a development instance's new dev browser JWT.
    pub db_jwt: Option<String>,
    /// `Authorization`: cookie-less mode's current client token.
    pub authorization: Option<String>,
}

impl Answer {
    /// The answer as the core reads it.
    pub fn reply(&self) -> Reply<'_> {
        Reply {
            status: self.status,
            body: &self.body,
            retry_after: self.retry_after.as_deref(),
            date: self.date.as_deref(),
        }
    }
}

/// What a request carries to name its client, besides the browser's cookies
/// ([`super::access`] decides).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Grant {
    /// A development instance's dev browser JWT (the `__clerk_db_jwt` query parameter).
    pub db_jwt: Option<String>,
    /// Cookie-less mode (`_is_native=1`).
    pub native: bool,
    /// Cookie-less mode's client token (the `Authorization` header), once there is one.
    pub authorization: Option<String>,
}

impl Grant {
    /// A development instance's request.
    pub fn dev_browser(jwt: String) -> Self {
        Self {
            db_jwt: Some(jwt),
            ..Self::default()
        }
    }

    /// A cookie-less request, with the client token if there is one yet.
    pub fn native(token: Option<String>) -> Self {
        Self {
            native: true,
            authorization: token,
            ..Self::default()
        }
    }
}

/// What a request needs to be sent.
pub struct Exchange {
    /// The controller that cancels it (kept by the manager for `dispose()`).
    pub controller: AbortController,
}

impl Exchange {
    /// A fresh exchange; fails only where `AbortController` does not exist.
    pub fn new() -> Result<Self, Error> {
        let controller = AbortController::new()
            .map_err(|_| Error::config("AbortController is not available in this environment"))?;
        Ok(Self { controller })
    }

    /// Sends `call` and reads the whole answer, within `config.timeout_ms`.
    pub async fn send(&self, config: &Config, call: &Call, grant: &Grant) -> Result<Answer, Error> {
        let timed_out = Rc::new(Cell::new(false));
        let _deadline = {
            let timed_out = timed_out.clone();
            let controller = self.controller.clone();
            Timer::new(u64::from(config.timeout_ms), move || {
                timed_out.set(true);
                controller.abort();
            })
        };
        let classify = |what: &str, e: JsValue| {
            if timed_out.get() {
                Error::new(
                    ErrorKind::Timeout,
                    msg(&[
                        "no answer within ",
                        &decimal(u64::from(config.timeout_ms)),
                        " ms",
                    ]),
                )
            } else if self.controller.signal().aborted() {
                Error::new(ErrorKind::Aborted, "the request was cancelled")
            } else {
                Error::new(ErrorKind::Network, msg(&[what, ": ", &describe(&e)]))
            }
        };
        let response: Response = JsFuture::from(send(config, call, grant, &self.controller))
            .await
            .map_err(|e| classify("the Frontend API could not be reached", e))?
            .unchecked_into();
        let header = |name: &str| response.headers().get(name).ok().flatten();
        let (retry_after, date) = (header("retry-after"), header("date"));
        // What names the client is read back only where it travels in headers.
        let db_jwt = grant.db_jwt.as_ref().and_then(|_| header("clerk-db-jwt"));
        let authorization = grant.native.then(|| header("authorization")).flatten();
        let buffer = match response.array_buffer() {
            Ok(promise) => JsFuture::from(promise).await,
            Err(e) => Err(e),
        }
        .map_err(|e| classify("the answer was cut off", e))?;
        let body = Uint8Array::new(&buffer).to_vec();
        Ok(Answer {
            status: response.status(),
            body,
            retry_after,
            date,
            db_jwt,
            authorization,
        })
    }
}

/// A request to the Frontend API: a method as the API means it, a path under the origin
/// (`/v1/...`, possibly with a query) and a form-encoded body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// `GET`, `POST`, `PUT`, `PATCH` or `DELETE`.
    pub method: &'static str,
    /// The path and query, e.g. `/v1/client/sessions/sess_1/touch`.
    pub path: String,
    /// The `application/x-www-form-urlencoded` body, if any.
    pub form: Option<String>,
}

impl Call {
    /// The `/v1/client` request of a client operation (load, refresh, create, destroy).
    pub fn client(op: Op) -> Self {
        let method = match op {
            Op::Create => "PUT",
            Op::Destroy => "DELETE",
            _ => "GET",
        };
        Self::new(method, "/v1/client", None)
    }

    /// A request for `path`.
    pub fn new(method: &'static str, path: &str, form: Option<String>) -> Self {
        Self {
            method,
            path: path.to_owned(),
            form,
        }
    }
}

/// A method the API accepts, by name (`None` for any other).
pub fn method(name: &str) -> Option<&'static str> {
    ["GET", "POST", "PUT", "PATCH", "DELETE"]
        .into_iter()
        .find(|m| *m == name)
}

/// Starts the `fetch` of `call`.
fn send(config: &Config, call: &Call, grant: &Grant, controller: &AbortController) -> Promise {
    let mut url = config.url(&call.path);
    let mut join = if call.path.contains('?') { "&" } else { "?" };
    if let Some(jwt) = &grant.db_jwt {
        url = msg(&[&url, join, "__clerk_db_jwt=", jwt]);
        join = "&";
    }
    if grant.native {
        url = msg(&[&url, join, "_is_native=1"]);
        join = "&";
    }
    let credentials = match config.credentials {
        Credentials::Include => "include",
        Credentials::SameOrigin => "same-origin",
        Credentials::Omit => "omit",
    };
    let overridden = config.method_override && !matches!(call.method, "GET" | "POST");
    let (url, method) = if overridden {
        // A simple request (POST, form content type): no preflight, which Safari needs
        // for the cookie to be set.
        (msg(&[&url, join, "_method=", call.method]), "POST")
    } else {
        (url, call.method)
    };
    // Every method but GET sends a form body (empty when the call has none). `no-store`
    // (in `send`): the client is live state; an answer the HTTP cache kept (a 410 is
    // heuristically cacheable, for instance) must never stand in for the server's.
    let form = (call.method != "GET").then(|| call.form.as_deref().unwrap_or(""));
    fetch_call(
        &url,
        method,
        form,
        credentials,
        grant.authorization.as_deref(),
        &controller.signal(),
    )
}
