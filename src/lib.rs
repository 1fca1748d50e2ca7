//! # fapi-session
//!
//! A browser session manager for a Clerk-style Frontend API, compiled to WebAssembly.
//!
//! The crate has two layers:
//!
//! - [`core`]: pure Rust. Wire types, envelope and error parsing, active-session selection,
//!   change detection with structural-sharing decisions and the state machine. It never
//!   touches JavaScript and is tested natively with `cargo test` and fuzzed.
//! - `web` (only on `wasm32`): the thin browser binding. Fetch, timers, events and the
//!   exported `ClientManager` class.

pub mod core;

#[cfg(target_arch = "wasm32")]
pub mod web;
