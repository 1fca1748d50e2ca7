//! The browser binding: thin by design. It moves bytes between `fetch` and the core, and
//! turns the core's decisions into frozen JS objects, listener calls and timers.

pub mod access;
pub mod crosstab;
pub mod dom;
pub mod error;
pub mod events;
pub mod flow;
pub mod heap;
pub mod manager;
pub mod options;
pub mod revalidate;
pub mod snapshot;
pub mod tokens;
pub mod transport;

/// The module's allocator (see [`heap`]): instead of std's dlmalloc.
#[global_allocator]
static ALLOCATOR: heap::Allocator = heap::Allocator::new();
