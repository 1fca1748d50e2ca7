//! Checking the manager's options before anything is sent.

use super::error::{decimal, msg, Error};
use super::policy::RetryPolicy;

/// How requests carry credentials (`RequestInit.credentials`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Credentials {
    /// Send the Frontend API's cookie cross-origin (the default: the client lives there).
    #[default]
    Include,
    /// Only to the page's own origin.
    SameOrigin,
    /// Never.
    Omit,
}

impl Credentials {
    /// Reads the option's value.
    pub fn parse(raw: &str) -> Result<Self, Error> {
        match raw {
            "include" => Ok(Self::Include),
            "same-origin" => Ok(Self::SameOrigin),
            "omit" => Ok(Self::Omit),
            other => Err(Error::config(msg(&[
                "credentials must be 'include', 'same-origin' or 'omit', not '",
                other,
                "'",
            ]))),
        }
    }
}

/// Default for `timeoutMs`.
pub const DEFAULT_TIMEOUT_MS: u32 = 10_000;

/// The manager's options, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Where requests go, without a trailing slash: the Frontend API's origin
    /// (`https://clerk.example.com`) or a proxy on the app's domain
    /// (`https://app.example.com/__clerk`).
    pub base: String,
    /// The kind of instance: a development one keeps the client in a dev browser.
    pub instance: super::instance::Kind,
    /// Cookie-less ("native") mode: the client token travels in the `Authorization`
    /// header (`clientToken`).
    pub native: bool,
    /// Credentials mode.
    pub credentials: Credentials,
    /// Send PUT/DELETE as `POST ?_method=...` (no CORS preflight).
    pub method_override: bool,
    /// Deadline of each request, in milliseconds.
    pub timeout_ms: u32,
    /// Retries with backoff.
    pub retry: RetryPolicy,
    /// Revalidation on browser events.
    pub revalidate: Revalidation,
    /// A session token is stale this long before its `exp` (`tokenLeewayMs`).
    pub token_leeway_ms: u32,
    /// Keep the active session's token in a first-party `__session` cookie
    /// (`sessionCookie`, for server-rendered apps).
    pub session_cookie: bool,
}

/// When the manager refreshes by itself while anything is subscribed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Revalidation {
    /// On `focus` of the window (`revalidateOnFocus`).
    pub focus: bool,
    /// On `visibilitychange` to visible (`revalidateOnVisible`).
    pub visible: bool,
    /// On `online` (`revalidateOnOnline`).
    pub online: bool,
    /// On `pageshow` from the back/forward cache (`revalidateOnPageShow`).
    pub pageshow: bool,
    /// When another tab of the site announces a sign-in, sign-out or new client, and
    /// announce this tab's (`revalidateOnBroadcast`; see [`super::crosstab`]).
    pub broadcast: bool,
    /// At most one revalidation per this many ms (`revalidateThrottleMs`).
    pub throttle_ms: u32,
}

impl Default for Revalidation {
    fn default() -> Self {
        Self {
            focus: true,
            visible: true,
            online: true,
            pageshow: true,
            broadcast: true,
            throttle_ms: 5000,
        }
    }
}

impl Config {
    /// The URL of a Frontend API path (`/v1/client`).
    pub fn url(&self, path: &str) -> String {
        [self.base.as_str(), path].concat()
    }
}

/// Checks `frontendApi`: an absolute `https://` origin, or `http://` to a loopback host
/// (`localhost`, `*.localhost`, `127.0.0.0/8`, `[::1]`). Credentials are never sent in
/// clear text over the network or to a URL with a path, query or user name in it.
pub fn parse_origin(raw: &str) -> Result<String, Error> {
    let refuse = |why: &str| {
        Error::config(msg(&[
            "frontendApi must be an origin like https://clerk.example.com (",
            why,
            "), not \"",
            raw,
            "\"",
        ]))
    };
    let trimmed = raw.trim();
    let (scheme, rest) = trimmed
        .split_once("://")
        .ok_or_else(|| refuse("no scheme"))?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "https" && scheme != "http" {
        return Err(refuse("the scheme must be https"));
    }
    let authority = rest.strip_suffix('/').unwrap_or(rest);
    if authority.is_empty() {
        return Err(refuse("no host"));
    }
    if authority.contains(['/', '?', '#', '@', '\\']) || authority.chars().any(char::is_whitespace)
    {
        return Err(refuse("only scheme, host and port are allowed"));
    }
    let (host, port) = split_host_port(authority).ok_or_else(|| refuse("bad host or port"))?;
    let host = host.to_ascii_lowercase();
    if scheme == "http" && !is_loopback(&host) {
        return Err(refuse(
            "plain http is allowed only to localhost; use https so credentials are never sent in clear text",
        ));
    }
    Ok(match port {
        Some(port) => msg(&[&scheme, "://", &host, ":", &decimal(u64::from(port))]),
        None => msg(&[&scheme, "://", &host]),
    })
}

fn split_host_port(authority: &str) -> Option<(&str, Option<u16>)> {
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let (inside, after) = rest.split_once(']')?;
        if inside.is_empty()
            || !inside
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
        {
            return None;
        }
        let host = authority.get(..inside.len() + 2)?;
        match after {
            "" => (host, None),
            _ => (host, Some(after.strip_prefix(':')?)),
        }
    } else {
        match authority.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    let valid_name = host.starts_with('[')
        || (!host.is_empty()
            && !host.starts_with(['.', '-'])
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-'));
    if !valid_name {
        return None;
    }
    let port = match port {
        None => None,
        Some(p) => Some(p.parse::<u16>().ok().filter(|&p| p != 0)?),
    };
    Some((host, port))
}

/// Whether `host` (lowercase, IPv6 in brackets) is a loopback host: `localhost`,
/// `*.localhost`, `127.0.0.0/8` or `[::1]`.
pub fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host.ends_with(".localhost")
        || host == "[::1]"
        || host.strip_prefix("127.").is_some_and(|rest| {
            let parts: Vec<&str> = rest.split('.').collect();
            parts.len() == 3 && parts.iter().all(|p| p.parse::<u8>().is_ok())
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::ErrorKind;

    #[test]
    fn accepts_origins() {
        for (raw, want) in [
            ("https://clerk.example.com", "https://clerk.example.com"),
            ("https://Clerk.Example.com/", "https://clerk.example.com"),
            (
                "https://clerk.example.com:8443",
                "https://clerk.example.com:8443",
            ),
            ("http://localhost:3000", "http://localhost:3000"),
            ("http://127.0.0.1:8787/", "http://127.0.0.1:8787"),
            ("http://[::1]:9", "http://[::1]:9"),
            ("http://app.localhost", "http://app.localhost"),
        ] {
            assert_eq!(parse_origin(raw).as_deref(), Ok(want), "{raw}");
        }
    }

    #[test]
    fn refuses_the_rest() {
        for raw in [
            "",
            "clerk.example.com",
            "http://example.com",
            "http://127.0.0.1.evil.com",
            "http://localhost.evil.com",
            "ftp://clerk.example.com",
            "https://clerk.example.com/v1",
            "https://user@clerk.example.com",
            "https://clerk.example.com?x=1",
            "https://clerk.example.com:0",
            "https://clerk.example.com:99999",
            "https://",
            "https://[::1",
            "https://exa mple.com",
            "javascript:alert(1)",
        ] {
            let err = parse_origin(raw).expect_err(raw);
            assert_eq!(err.kind, ErrorKind::Config, "{raw}");
        }
    }

    #[test]
    fn credentials_modes() {
        assert_eq!(Credentials::parse("include"), Ok(Credentials::Include));
        assert_eq!(Credentials::parse("omit"), Ok(Credentials::Omit));
        assert_eq!(
            Credentials::parse("same-origin"),
            Ok(Credentials::SameOrigin)
        );
        assert!(Credentials::parse("always").is_err());
    }
}
