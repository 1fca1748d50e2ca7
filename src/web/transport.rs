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

    /// Sends the request for `op` and reads the whole answer, within `config.timeout_ms`.
    pub async fn send(&self, config: &Config, op: Op) -> Result<Answer, Error> {
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
        let request = build(config, op, &self.controller)?;
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

fn build(
    config: &Config,
    op: Op,
    controller: &AbortController,
) -> Result<gloo_net::http::Request, Error> {
    let base = config.url("/v1/client");
    let (method, wire_name) = match op {
        Op::Load | Op::Refresh => (Method::GET, None),
        Op::Create => (Method::PUT, Some("PUT")),
        Op::Destroy => (Method::DELETE, Some("DELETE")),
    };
    let credentials = match config.credentials {
        Credentials::Include => RequestCredentials::Include,
        Credentials::SameOrigin => RequestCredentials::SameOrigin,
        Credentials::Omit => RequestCredentials::Omit,
    };
    let signal = controller.signal();
    let builder = match wire_name {
        // A simple request (POST, form content type): no preflight, which Safari needs
        // for the cookie to be set.
        Some(name) if config.method_override => {
            RequestBuilder::new(&format!("{base}?_method={name}"))
                .method(Method::POST)
                .header("Content-Type", "application/x-www-form-urlencoded")
        }
        _ => RequestBuilder::new(&base).method(method),
    };
    // `no-store`: the client is live state; an answer the HTTP cache kept (a 410 is
    // heuristically cacheable, for instance) must never stand in for the server's.
    let builder = builder
        .credentials(credentials)
        .cache(RequestCache::NoStore)
        .abort_signal(Some(&signal));
    let built = if wire_name.is_some() && config.method_override {
        builder.body("")
    } else {
        builder.build()
    };
    built.map_err(|e| Error::config(format!("the request could not be built: {e}")))
}
