//! Where the Frontend API is, and what kind of instance answers there: read from a
//! publishable key (`pk_test_…`/`pk_live_…`), a proxy URL on the app's own domain, or an
//! origin, and checked before anything is sent.

use super::base64::{self, Alphabet};
use super::config;
use super::error::Error;

/// The kind of Frontend API instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Kind {
    /// A production instance: the client lives in the `__client` cookie on the API's domain.
    #[default]
    Production,
    /// A development instance: on another site than the app, so no cookie can carry the
    /// client; a dev browser JWT does (`POST /v1/dev_browser`).
    Development,
}

/// Host suffixes of development Frontend APIs.
const DEVELOPMENT_HOSTS: [&str; 4] = [
    ".accounts.dev",
    ".lcl.dev",
    ".accountsstage.dev",
    ".clerk.accounts.dev",
];

/// A publishable key read: the Frontend API's base URL and the instance kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    /// `https://<host>` (or `http://` for a loopback host, as `frontendApi` allows).
    pub base: String,
    /// `pk_test_` or a development host: a development instance.
    pub kind: Kind,
}

/// Reads a publishable key: `pk_test_` or `pk_live_`, then the standard base64 of
/// `<frontend api host>$`.
pub fn publishable_key(raw: &str) -> Result<Key, Error> {
    let refuse = |why: &str| {
        Error::config(
            [
                "options.publishableKey must be a key like pk_live_Y2xlcmsuZXhhbXBsZS5jb20k (",
                why,
                ")",
            ]
            .concat(),
        )
    };
    let (test, encoded) = match (raw.strip_prefix("pk_test_"), raw.strip_prefix("pk_live_")) {
        (Some(rest), _) => (true, rest),
        (None, Some(rest)) => (false, rest),
        _ => return Err(refuse("it must start with pk_test_ or pk_live_")),
    };
    let decoded =
        base64::decode(encoded, Alphabet::Standard).ok_or_else(|| refuse("not base64"))?;
    let text = std::str::from_utf8(&decoded).map_err(|_| refuse("not text"))?;
    let host = text
        .strip_suffix('$')
        .filter(|h| !h.is_empty() && !h.contains('$'))
        .ok_or_else(|| refuse("it does not name a Frontend API host"))?;
    let scheme = if config::is_loopback(host_name(host)) {
        "http://"
    } else {
        "https://"
    };
    let base = config::parse_origin(&[scheme, host].concat())
        .map_err(|_| refuse("its Frontend API host is not a host name"))?;
    let development = test
        || DEVELOPMENT_HOSTS
            .iter()
            .any(|suffix| host_name(host).ends_with(suffix));
    Ok(Key {
        base,
        kind: if development {
            Kind::Development
        } else {
            Kind::Production
        },
    })
}

/// Where requests go and to what kind of instance, from the three options that can say
/// it: `proxyUrl` (the base, with the instance kind from `publishableKey` if given),
/// `publishableKey`, or `frontendApi` (a production instance unless its host is a
/// development host). `frontendApi` beside either of the others is a conflict.
pub fn locate(
    frontend_api: Option<&str>,
    publishable_key: Option<&str>,
    proxy_url: Option<&str>,
) -> Result<(String, Kind), Error> {
    let key = publishable_key.map(self::publishable_key).transpose()?;
    match (frontend_api, key, proxy_url) {
        (Some(_), Some(_), _) => Err(Error::config(
            "options.frontendApi and options.publishableKey both name the Frontend API: give one",
        )),
        (Some(_), None, Some(_)) => Err(Error::config(
            "options.frontendApi and options.proxyUrl both say where requests go: give one",
        )),
        (None, key, Some(proxy)) => Ok((
            self::proxy_url(proxy)?,
            key.map_or(Kind::Production, |k| k.kind),
        )),
        (None, Some(key), None) => Ok((key.base, key.kind)),
        (Some(api), None, None) => {
            let base = config::parse_origin(api)?;
            let host = base.split("://").nth(1).map_or("", host_name);
            let kind = if DEVELOPMENT_HOSTS.iter().any(|s| host.ends_with(s)) {
                Kind::Development
            } else {
                Kind::Production
            };
            Ok((base, kind))
        }
        (None, None, None) => Err(Error::config(
            "one of options.frontendApi, options.publishableKey or options.proxyUrl is required",
        )),
    }
}

/// The host of `host[:port]` (`[::1]` kept whole).
fn host_name(authority: &str) -> &str {
    if authority.starts_with('[') {
        return authority.split(']').next().map_or(authority, |h| {
            authority
                .get(..h.len().saturating_add(1))
                .unwrap_or(authority)
        });
    }
    authority.split(':').next().unwrap_or(authority)
}

/// Checks `proxyUrl`: an absolute URL with a path (`https://app.example.com/__clerk`), https
/// or http to a loopback host; no query, fragment or user name. Returns it without a
/// trailing slash: requests go to `<proxyUrl>/v1/...`.
pub fn proxy_url(raw: &str) -> Result<String, Error> {
    let refuse = |why: &str| {
        Error::config(
            [
                "options.proxyUrl must be a URL with a path like https://app.example.com/__clerk (",
                why,
                "), not \"",
                raw,
                "\"",
            ]
            .concat(),
        )
    };
    let trimmed = raw.trim();
    let after_scheme = trimmed
        .find("://")
        .map(|i| i.saturating_add(3))
        .ok_or_else(|| refuse("no scheme"))?;
    let rest = trimmed.get(after_scheme..).unwrap_or("");
    let path_at = rest.find('/').ok_or_else(|| refuse("no path"))?;
    let origin_end = after_scheme.saturating_add(path_at);
    let (origin, path) = (
        trimmed.get(..origin_end).unwrap_or(""),
        trimmed.get(origin_end..).unwrap_or(""),
    );
    let origin = config::parse_origin(origin).map_err(|e| {
        let mut e = e;
        e.message = e.message.replacen("frontendApi", "options.proxyUrl", 1);
        e
    })?;
    let path = path.trim_end_matches('/');
    if path.is_empty() {
        return Err(refuse("no path"));
    }
    let allowed = |b: u8| b.is_ascii_alphanumeric() || b"/-._~%!$&'()*+,;=:@".contains(&b);
    if !path.bytes().all(allowed) || path.contains("//") {
        return Err(refuse("only a plain path is allowed after the host"));
    }
    Ok([origin.as_str(), path].concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(prefix: &str, host: &str) -> String {
        const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let bytes = [host, "$"].concat().into_bytes();
        let mut out = String::from(prefix);
        for chunk in bytes.chunks(3) {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
            for i in 0..=chunk.len() {
                out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
            }
            for _ in chunk.len()..3 {
                out.push('=');
            }
        }
        out
    }

    #[test]
    fn keys_name_the_api_and_the_instance() {
        let live = publishable_key(&key("pk_live_", "clerk.example.com")).unwrap();
        assert_eq!(live.base, "https://clerk.example.com");
        assert_eq!(live.kind, Kind::Production);
        let test = publishable_key(&key("pk_test_", "clerk.example.com")).unwrap();
        assert_eq!(test.kind, Kind::Development);
        let dev_host =
            publishable_key(&key("pk_live_", "happy-cat-12.clerk.accounts.dev")).unwrap();
        assert_eq!(dev_host.kind, Kind::Development);
        let local = publishable_key(&key("pk_test_", "127.0.0.1:4123")).unwrap();
        assert_eq!(
            local.base, "http://127.0.0.1:4123",
            "loopback: plain http, as frontendApi"
        );
        // Clerk's real keys have no padding; both forms are read.
        let unpadded = key("pk_live_", "clerk.example.com")
            .trim_end_matches('=')
            .to_owned();
        assert_eq!(publishable_key(&unpadded).unwrap(), live);
    }

    #[test]
    fn malformed_keys_are_config_errors_naming_the_option() {
        for bad in [
            String::new(),
            "sk_live_abc".into(),
            "pk_live_".into(),
            "pk_live_!!!".into(),
            key("pk_live_", ""),
            key("pk_live_", "a$b"),
            key("pk_live_", "exa mple.com"),
            key("pk_live_", "example.com/path"),
            "pk_live_Y2xlcmsuZXhhbXBsZS5jb20".into(), // no '$'
        ] {
            let error = publishable_key(&bad).unwrap_err();
            assert_eq!(error.kind, crate::core::ErrorKind::Config, "{bad}");
            assert!(
                error.message.contains("options.publishableKey"),
                "{bad}: {}",
                error.message
            );
        }
    }

    #[test]
    fn one_place_to_send_requests() {
        let live = key("pk_live_", "clerk.example.com");
        let test = key("pk_test_", "clerk.example.com");
        assert_eq!(
            locate(Some("https://clerk.example.com"), None, None).unwrap(),
            ("https://clerk.example.com".into(), Kind::Production)
        );
        assert_eq!(
            locate(Some("https://fun-cat-1.clerk.accounts.dev"), None, None)
                .unwrap()
                .1,
            Kind::Development
        );
        assert_eq!(
            locate(None, Some(&live), None).unwrap(),
            ("https://clerk.example.com".into(), Kind::Production)
        );
        assert_eq!(
            locate(None, Some(&test), Some("https://app.example.com/__clerk")).unwrap(),
            ("https://app.example.com/__clerk".into(), Kind::Development),
            "a proxy with a development key: the proxy's URL, the key's kind"
        );
        for (api, key, proxy, named) in [
            (
                Some("https://a.example"),
                Some(live.as_str()),
                None,
                "options.publishableKey",
            ),
            (
                Some("https://a.example"),
                None,
                Some("https://a.example/p"),
                "options.proxyUrl",
            ),
            (None, None, None, "options.frontendApi"),
            (None, Some("pk_nope"), None, "options.publishableKey"),
        ] {
            let error = locate(api, key, proxy).unwrap_err();
            assert!(error.message.contains(named), "{}", error.message);
        }
    }

    #[test]
    fn proxy_urls_need_a_path_and_https_off_loopback() {
        assert_eq!(
            proxy_url("https://app.example.com/__clerk/").unwrap(),
            "https://app.example.com/__clerk"
        );
        assert_eq!(
            proxy_url("http://localhost:5173/api/clerk").unwrap(),
            "http://localhost:5173/api/clerk"
        );
        for bad in [
            "https://app.example.com",
            "https://app.example.com/",
            "http://app.example.com/__clerk",
            "/__clerk",
            "https://app.example.com/__clerk?x=1",
            "https://app.example.com/__clerk#x",
            "https://user@app.example.com/__clerk",
            "https://app.example.com/a b",
        ] {
            let error = proxy_url(bad).unwrap_err();
            assert!(
                error.message.contains("options.proxyUrl"),
                "{bad}: {}",
                error.message
            );
        }
    }
}
