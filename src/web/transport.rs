//! HTTP to the Frontend API: fetch through gloo-net with the browser's credentials, an
//! `AbortController` per request, a deadline, and the method override that spares a CORS
//! preflight.

use std::cell::Cell;
use std::rc::Rc;

use gloo_net::http::{Method, RequestBuilder};
use web_sys::{AbortController, RequestCache, RequestCredentials};

use super::dom::Timer;
use crate::core::config::{Config, Credentials};
use crate::core::state::Op;
use crate::core::{Error, ErrorKind};

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
    pub async fn send(&self, config: &Config, call: &Call) -> Result<Answer, Error> {
        let timed_out = Rc::new(Cell::new(false));
        let _deadline = {
            let timed_out = timed_out.clone();
            let controller = self.controller.clone();
            Timer::new(u64::from(config.timeout_ms), move || {
                timed_out.set(true);
                controller.abort();
            })
        };
        let classify = |what: &str, e: gloo_net::Error| {
            if timed_out.get() {
                Error::new(
                    ErrorKind::Timeout,
                    format!("no answer within {} ms", config.timeout_ms),
                )
            } else if self.controller.signal().aborted() {
                Error::new(ErrorKind::Aborted, "the request was cancelled")
            } else {
                Error::new(ErrorKind::Network, format!("{what}: {e}"))
            }
        };
        let request = build(config, call, &self.controller)?;
        let response = request
            .send()
            .await
            .map_err(|e| classify("the Frontend API could not be reached", e))?;
        let header = |name: &str| response.headers().get(name);
        let (retry_after, date) = (header("retry-after"), header("date"));
        let body = response
            .binary()
            .await
            .map_err(|e| classify("the answer was cut off", e))?;
        Ok(Answer {
            status: response.status(),
            body,
            retry_after,
            date,
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

fn build(
    config: &Config,
    call: &Call,
    controller: &AbortController,
) -> Result<gloo_net::http::Request, Error> {
    let url = config.url(&call.path);
    let credentials = match config.credentials {
        Credentials::Include => RequestCredentials::Include,
        Credentials::SameOrigin => RequestCredentials::SameOrigin,
        Credentials::Omit => RequestCredentials::Omit,
    };
    let signal = controller.signal();
    let overridden = config.method_override && !matches!(call.method, "GET" | "POST");
    let builder = if overridden {
        // A simple request (POST, form content type): no preflight, which Safari needs
        // for the cookie to be set.
        let join = if call.path.contains('?') { '&' } else { '?' };
        RequestBuilder::new(&format!("{url}{join}_method={}", call.method)).method(Method::POST)
    } else {
        let method = match call.method {
            "POST" => Method::POST,
            "PUT" => Method::PUT,
            "PATCH" => Method::PATCH,
            "DELETE" => Method::DELETE,
            _ => Method::GET,
        };
        RequestBuilder::new(&url).method(method)
    };
    let has_body = call.method != "GET";
    let builder = if has_body {
        builder.header("Content-Type", "application/x-www-form-urlencoded")
    } else {
        builder
    };
    // `no-store`: the client is live state; an answer the HTTP cache kept (a 410 is
    // heuristically cacheable, for instance) must never stand in for the server's.
    let builder = builder
        .credentials(credentials)
        .cache(RequestCache::NoStore)
        .abort_signal(Some(&signal));
    let built = if has_body {
        builder.body(call.form.as_deref().unwrap_or(""))
    } else {
        builder.build()
    };
    built.map_err(|e| Error::config(format!("the request could not be built: {e}")))
}
