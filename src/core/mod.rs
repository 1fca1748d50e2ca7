//! The pure core: everything that decides, nothing that touches the browser.
//!
//! Data flows one way: an answer's bytes go through [`envelope`] (which uses [`wire`] to
//! read clients) into [`state`], which decides what changed and, through [`sharing`],
//! which JS objects the browser layer may reuse.

pub mod base64;
pub mod config;
pub mod crosstab;
pub mod envelope;
pub mod error;
pub mod instance;
pub mod json;
pub mod policy;
pub mod session;
pub mod sharing;
pub mod sort;
pub mod state;
pub mod time;
pub mod token;
pub mod wire;

pub use error::{Error, ErrorKind};
