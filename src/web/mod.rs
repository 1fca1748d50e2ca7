//! The browser binding.
