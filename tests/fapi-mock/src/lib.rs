//! `fapi-mock`: an in-memory mock of the Clerk-style Frontend API, for fapi-session's tests
//! and demo.
//!
//! [`app`] builds the whole server as an [`axum::Router`]: the `/v1/client…` API in one of
//! two [`Dialect`]s, as a production or a development [`Instance`] (dev browsers), for
//! browsers (cookie) and native apps (`Authorization`), optionally under a proxy path too;
//! `/v1/environment`; RS256 session tokens and their key set; CORS for loopback origins,
//! `POST ?_method=` overrides, optional static files and, with [`Config::control`], the
//! `/__mock/` control plane (reset, session manipulation, fault injection, request log,
//! settings, dev browsers). [`spawn`] runs it on a local port, which is
//! how the tests use it in-process; the `fapi-mock` binary is a thin CLI around the same.

pub mod cli;
pub mod control;
pub mod cors;
pub mod credentials;
pub mod dev_browser;
pub mod dialect;
pub mod environment;
pub mod errors;
pub mod faults;
pub mod ids;
pub mod instance;
pub mod json;
pub mod jwks;
pub mod method_override;
pub mod proxy_path;
pub mod request_log;
pub mod routes;
pub mod session_token;
pub mod state;
pub mod static_files;
pub mod users;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use axum::Router;
use parking_lot::Mutex;

pub use dialect::Dialect;
pub use instance::Instance;

/// How the server behaves.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Wire dialect of `/v1/*` answers.
    pub dialect: Dialect,
    /// Production (cookie) or development (dev browser) instance.
    pub instance: Instance,
    /// Serve the Frontend API under this path too (`/__clerk`: one leading `/`, no trailing
    /// one; see [`proxy_path::normalize`]).
    pub proxy_path: Option<String>,
    /// Serve the `/__mock/` control plane.
    pub control: bool,
    /// Serve files from this directory at `/`.
    pub static_dir: Option<PathBuf>,
    /// Origins allowed for credentialed CORS besides loopback ones (exact match).
    pub allow_origins: Vec<String>,
}

/// Shared server state: configuration, clients, pending faults and the request log.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    store: Mutex<state::Store>,
    faults: Mutex<faults::FaultQueue>,
    log: Mutex<request_log::RequestLog>,
    dev_browsers: Mutex<dev_browser::DevBrowsers>,
    token_lifetime_secs: AtomicI64,
}

impl AppState {
    /// Fresh state: no clients, the seeded users, no faults, an empty log. Starts generating
    /// the token signing key in the background if no server of this process has yet.
    pub fn new(config: Config) -> Self {
        jwks::warm_up();
        Self {
            inner: Arc::new(Inner {
                config,
                store: Mutex::new(state::Store::default()),
                faults: Mutex::new(faults::FaultQueue::default()),
                log: Mutex::new(request_log::RequestLog::default()),
                dev_browsers: Mutex::new(dev_browser::DevBrowsers::default()),
                token_lifetime_secs: AtomicI64::new(session_token::DEFAULT_LIFETIME_SECS),
            }),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// Clients, sessions and users.
    pub fn store(&self) -> &Mutex<state::Store> {
        &self.inner.store
    }

    /// Pending faults.
    pub fn faults(&self) -> &Mutex<faults::FaultQueue> {
        &self.inner.faults
    }

    /// The request log.
    pub fn log(&self) -> &Mutex<request_log::RequestLog> {
        &self.inner.log
    }

    /// Dev browsers (development instances).
    pub fn dev_browsers(&self) -> &Mutex<dev_browser::DevBrowsers> {
        &self.inner.dev_browsers
    }

    /// Lifetime of newly minted session tokens, in seconds.
    pub fn token_lifetime_secs(&self) -> i64 {
        self.inner.token_lifetime_secs.load(Ordering::Relaxed)
    }

    /// Sets the lifetime of session tokens minted from now on.
    pub fn set_token_lifetime_secs(&self, secs: i64) {
        self.inner
            .token_lifetime_secs
            .store(secs, Ordering::Relaxed);
    }

    /// Clears clients, sessions, faults and the log, and restores the default token lifetime.
    /// Dev browsers stay valid, without their clients.
    pub fn reset(&self) {
        self.set_token_lifetime_secs(session_token::DEFAULT_LIFETIME_SECS);
        self.inner.dev_browsers.lock().detach_all();
        self.inner.store.lock().reset();
        self.inner.faults.lock().clear();
        self.inner.log.lock().clear();
    }
}

/// The whole server for `config`.
pub fn app(config: Config) -> Router {
    app_with_state(AppState::new(config))
}

/// The whole server over existing state (tests can keep a handle on `state`).
pub fn app_with_state(state: AppState) -> Router {
    let inner = routes::router(state.clone());
    // Routing happens inside the fallback service, after the proxy prefix is stripped and the
    // method override has run. Layers run outside in: the last one added first.
    Router::new()
        .fallback_service(inner)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            credentials::identify,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            faults::observe,
        ))
        .layer(axum::middleware::from_fn(method_override::method_override))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            cors::cors,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state,
            proxy_path::strip_prefix,
        ))
}

/// A server running in the background of the current tokio runtime.
pub struct Running {
    /// Where it listens.
    pub addr: SocketAddr,
    /// Its state.
    pub state: AppState,
    /// The serving task; abort it to stop the server.
    pub task: tokio::task::JoinHandle<()>,
}

impl Running {
    /// `http://ADDR`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

/// Binds `addr` (port 0 for any free port) and serves `config` in a background task.
pub async fn spawn(config: Config, addr: SocketAddr) -> std::io::Result<Running> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let state = AppState::new(config);
    let router = app_with_state(state.clone());
    let task = tokio::spawn(async move {
        // Serving only ends on an accept error; nothing useful can be done with it here.
        let _ = axum::serve(listener, router).await;
    });
    Ok(Running { addr, state, task })
}
