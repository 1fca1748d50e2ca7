//! The kind of Clerk instance the mock plays: `production` (the client is named by the
//! `__client` cookie) or `development` (by a dev browser; see [`dev_browser`](crate::dev_browser)).

/// Which instance the mock is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Instance {
    /// A development instance: every client route wants a dev browser JWT.
    Development,
    /// A production instance.
    #[default]
    Production,
}

impl Instance {
    /// Parses `development` or `production`.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "development" => Some(Self::Development),
            "production" => Some(Self::Production),
            _ => None,
        }
    }

    /// The wire name, as in `display_config.instance_environment_type`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Development => "development",
            Self::Production => "production",
        }
    }
}
