//! The browser binding: thin by design. It moves bytes between `fetch` and the core, and
//! turns the core's decisions into frozen JS objects and listener calls.

pub mod error;
pub mod events;
pub mod manager;
pub mod snapshot;
pub mod transport;
