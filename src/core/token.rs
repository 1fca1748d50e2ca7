//! Session tokens (`getToken()`): what a JWT's claims say, and the cache's decisions.
//!
//! A token is cached per (session, template), fresh until its `exp` (moved onto the local
//! clock by the skew the answers' `Date` headers showed) minus a leeway. A token that was
//! asked for during its lifetime is refreshed a little before it goes stale; one nobody
//! asked for is left to go stale, so an idle tab sends nothing. The browser layer owns
//! the requests, the timer and the channel; everything it decides on is here.

use super::base64::{self, Alphabet};
use super::json::{self, Kind};
use super::time::Millis;

/// What the cache needs from a JWT's payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claims {
    /// `sid`: the session the token was minted for.
    pub sid: Option<String>,
    /// `exp`, in ms since the epoch (the wire has seconds).
    pub exp: Option<Millis>,
}

/// Reads the claims of a compact JWT (`header.payload.signature`). The signature is not
/// checked: the token is the server's own answer, passed on to the app's backend, which
/// verifies it. `None` when it is not a JWT with a JSON object as payload.
pub fn claims(jwt: &str) -> Option<Claims> {
    let mut parts = jwt.split('.');
    let (_header, payload, _signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let bytes = base64::decode(payload, Alphabet::Url)?;
    let text = std::str::from_utf8(&bytes).ok()?;
    let document = json::parse(text).ok()?;
    let root = document.root();
    if root.kind() != Kind::Object {
        return None;
    }
    let exp = root
        .get("exp")
        .and_then(|v| v.as_f64())
        .filter(|s| s.is_finite() && *s > 0.0 && *s < 1.0e11)
        .map(|s| (s * 1000.0) as Millis);
    let sid = root
        .get("sid")
        .and_then(|v| v.as_str())
        .map(|s| s.into_owned());
    Some(Claims { sid, exp })
}

/// Default for `tokenLeewayMs`: a token is stale this long before its `exp`.
pub const DEFAULT_LEEWAY_MS: u32 = 10_000;

/// The resolution of the `Date` header the clock skew is measured with.
const DATE_RESOLUTION_MS: i64 = 1000;

/// At most this long before a used token goes stale, its successor is asked for.
const MAX_AHEAD_MS: Millis = 10_000;

/// Which token: a session's default token (`template` empty) or a template's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    /// The session id.
    pub session: String,
    /// The JWT template's name; empty for the session's default token.
    pub template: String,
}

#[derive(Debug, Clone)]
struct Entry {
    key: Key,
    jwt: String,
    /// Local ms from which the token is no longer handed out.
    stale_at: Millis,
    /// Local ms at which its successor is asked for, if it was used.
    refresh_at: Millis,
    /// Whether `getToken()` handed it out during its lifetime.
    used: bool,
}

/// The token cache of one manager.
#[derive(Debug, Default)]
pub struct Tokens {
    entries: Vec<Entry>,
    leeway_ms: Millis,
}

impl Tokens {
    /// An empty cache whose tokens go stale `leeway_ms` before their `exp`.
    pub fn new(leeway_ms: u32) -> Self {
        Self {
            entries: Vec::new(),
            leeway_ms: Millis::from(leeway_ms),
        }
    }

    /// The cached token for `key` if it is still fresh at `now`; handing it out marks it
    /// used, so that its successor is asked for ahead of time.
    pub fn fresh(&mut self, key: &Key, now: Millis) -> Option<String> {
        let entry = self
            .entries
            .iter_mut()
            .find(|e| &e.key == key && now < e.stale_at)?;
        entry.used = true;
        Some(entry.jwt.clone())
    }

    /// The cached token for `key` if it is fresh at `now`, without marking it used.
    pub fn peek(&self, key: &Key, now: Millis) -> Option<&str> {
        self.entries
            .iter()
            .find(|e| &e.key == key && now < e.stale_at)
            .map(|e| e.jwt.as_str())
    }

    /// Keeps `jwt` for `key`, read with the server's clock `skew_ms` ahead of the local
    /// one. `jitter` in `[0, 1)` spreads the moment its successor is asked for, so that
    /// tabs sharing tokens do not all ask at once. Returns `false` (and keeps nothing)
    /// when the token is no JWT with an `exp`, is already stale, or is older than the one
    /// cached: those are handed to the caller once but never cached.
    pub fn store(&mut self, key: &Key, jwt: &str, skew_ms: i64, now: Millis, jitter: f64) -> bool {
        let old = self.entries.iter().find(|e| &e.key == key);
        if old.is_some_and(|e| e.jwt == jwt) {
            // The same token again (a client answer repeating `last_active_token`).
            return false;
        }
        let Some(exp) = claims(jwt).and_then(|c| c.exp) else {
            return false;
        };
        // `skew_ms` comes from a `Date` header, whole seconds: the server's clock may be up
        // to a second further ahead than measured. A token is never handed out late.
        let skew = skew_ms.saturating_add(DATE_RESOLUTION_MS);
        let stale_at = exp
            .saturating_add_signed(skew.saturating_neg())
            .saturating_sub(self.leeway_ms);
        if stale_at <= now {
            return false;
        }
        if old.is_some_and(|e| e.stale_at > stale_at) {
            return false;
        }
        let ahead = (stale_at - now) / 4;
        let ahead = ahead.min(MAX_AHEAD_MS) as f64 * (0.5 + 0.5 * jitter.clamp(0.0, 1.0));
        let entry = Entry {
            key: key.clone(),
            jwt: jwt.to_owned(),
            stale_at,
            refresh_at: stale_at.saturating_sub(ahead as Millis),
            used: false,
        };
        self.entries.retain(|e| &e.key != key);
        self.entries.push(entry);
        true
    }

    /// Another tab is asking for the successor of `key`'s token: this tab's own renewal
    /// moves halfway to the moment the token goes stale, so the other tab's token (shared
    /// when it comes) is adopted instead, and this tab still renews in time if it never
    /// comes. Returns whether anything moved.
    pub fn defer(&mut self, key: &Key) -> bool {
        let Some(entry) = self.entries.iter_mut().find(|e| &e.key == key) else {
            return false;
        };
        let later = entry.refresh_at + (entry.stale_at.saturating_sub(entry.refresh_at)) / 2;
        let moved = later > entry.refresh_at;
        entry.refresh_at = later;
        moved
    }

    /// The next moment a used token of `session` is due for its successor, if any.
    pub fn next_refresh(&self, session: &str) -> Option<Millis> {
        self.entries
            .iter()
            .filter(|e| e.used && e.key.session == session)
            .map(|e| e.refresh_at)
            .min()
    }

    /// The keys of `session` whose used tokens are due for a successor at `now` (and
    /// not yet stale: a stale one is asked for by the next `getToken()`).
    pub fn due(&self, session: &str, now: Millis) -> Vec<Key> {
        self.entries
            .iter()
            .filter(|e| e.used && e.key.session == session && e.refresh_at <= now)
            .filter(|e| now < e.stale_at)
            .map(|e| e.key.clone())
            .collect()
    }

    /// Forgets the tokens of every session for which `keep` is false (sessions that
    /// ended, or a client that went away). Returns whether anything was forgotten.
    pub fn retain(&mut self, mut keep: impl FnMut(&str) -> bool) -> bool {
        let before = self.entries.len();
        self.entries.retain(|e| keep(&e.key.session));
        self.entries.len() != before
    }

    /// Forgets everything.
    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// Whether nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// The `BroadcastChannel` on which the tabs of one origin share the tokens they mint for
/// the Frontend API at `origin`.
pub fn channel_name(origin: &str) -> String {
    ["fapi-session tokens ", origin].concat()
}

/// A message between the tabs of one origin: `<kind> <client id> <template> <last>` (ids
/// and templates hold no spaces, nor does a JWT).
fn message(kind: &str, client: &str, template: &str, last: &str) -> String {
    [kind, " ", client, " ", template, " ", last].concat()
}

/// A message of `kind` as another tab sent it: (client id, template, last part).
fn read_message<'m>(kind: &str, message: &'m str) -> Option<(&'m str, &'m str, &'m str)> {
    let rest = message.strip_prefix(kind)?.strip_prefix(' ')?;
    let mut parts = rest.splitn(3, ' ');
    let (client, template, last) = (parts.next()?, parts.next()?, parts.next()?);
    (!client.is_empty() && !last.is_empty() && !last.contains(' '))
        .then_some((client, template, last))
}

/// A minted token, shared: `token <client id> <template> <jwt>`.
pub fn share_message(client: &str, template: &str, jwt: &str) -> String {
    message("token", client, template, jwt)
}

/// A shared token as another tab sent it: (client id, template, jwt).
pub fn read_share(message: &str) -> Option<(&str, &str, &str)> {
    read_message("token", message)
}

/// A tab's word that it is asking for the successor of a token of `client`'s `session`
/// (`renewing <client id> <template> <session id>`): the other tabs wait for it
/// ([`Tokens::defer`]) instead of asking too.
pub fn claim_message(client: &str, template: &str, session: &str) -> String {
    message("renewing", client, template, session)
}

/// A claim as another tab sent it: (client id, template, session id).
pub fn read_claim(message: &str) -> Option<(&str, &str, &str)> {
    read_message("renewing", message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(bytes: &[u8]) -> String {
        const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
            for i in 0..=chunk.len() {
                out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
            }
        }
        out
    }

    fn jwt(payload: &str) -> String {
        format!(
            "{}.{}.sig",
            b64(br#"{"alg":"RS256"}"#),
            b64(payload.as_bytes())
        )
    }

    #[test]
    fn base64url_round_trips() {
        for len in 0..40 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            assert_eq!(
                base64::decode(&b64(&bytes), Alphabet::Url),
                Some(bytes),
                "{len}"
            );
        }
        assert_eq!(base64::decode("a+b/", Alphabet::Url), None);
        assert_eq!(base64::decode("a", Alphabet::Url), None);
    }

    #[test]
    fn claims_are_read() {
        let c = claims(&jwt(
            r#"{"sid":"sess_1","exp":1700000060,"iat":1700000000}"#,
        ))
        .unwrap();
        assert_eq!(c.sid.as_deref(), Some("sess_1"));
        assert_eq!(c.exp, Some(1_700_000_060_000));
        for bad in ["", "a.b", "a.b.c.d", "x.!!.y", &jwt("[1]"), &jwt("{")] {
            assert_eq!(claims(bad), None, "{bad}");
        }
        let odd = claims(&jwt(r#"{"exp":"soon","sid":5}"#)).unwrap();
        assert_eq!((odd.exp, odd.sid), (None, None));
    }

    fn key(session: &str) -> Key {
        Key {
            session: session.into(),
            template: String::new(),
        }
    }

    const NOW: Millis = 1_700_000_000_000;

    #[test]
    fn fresh_until_exp_minus_leeway_corrected_for_skew() {
        let mut t = Tokens::new(10_000);
        let token = jwt(r#"{"sid":"s","exp":1700000060}"#);
        // The server's clock is 5 s ahead (to the Date header's second: up to 6 s): exp is
        // 54 s away locally at the earliest, stale after 44 s.
        assert!(t.store(&key("s"), &token, 5_000, NOW, 0.0));
        assert_eq!(t.peek(&key("s"), NOW + 43_999), Some(token.as_str()));
        assert_eq!(t.next_refresh("s"), None, "peeking is no use");
        assert_eq!(t.fresh(&key("s"), NOW + 43_999), Some(token.clone()));
        assert_eq!(t.fresh(&key("s"), NOW + 44_000), None);
        assert_eq!(t.fresh(&key("other"), NOW), None);
    }

    #[test]
    fn only_used_tokens_are_refreshed_ahead() {
        let mut t = Tokens::new(10_000);
        assert!(t.store(&key("s"), &jwt(r#"{"exp":1700000060}"#), 0, NOW, 0.0));
        assert_eq!(
            t.next_refresh("s"),
            None,
            "nobody asked: nothing to refresh"
        );
        t.fresh(&key("s"), NOW + 1);
        // Stale at +49 s (the Date header's second taken off); asked for between 5 and 10 s
        // before (jitter 0: 5 s).
        assert_eq!(t.next_refresh("s"), Some(NOW + 44_000));
        assert!(t.due("s", NOW + 43_999).is_empty());
        assert_eq!(t.due("s", NOW + 44_000), vec![key("s")]);
        assert!(
            t.due("s", NOW + 49_000).is_empty(),
            "stale: the next call asks"
        );
        assert_eq!(t.next_refresh("other"), None);
        // Its successor starts unused.
        assert!(t.store(
            &key("s"),
            &jwt(r#"{"exp":1700000120}"#),
            0,
            NOW + 45_000,
            1.0
        ));
        assert_eq!(t.next_refresh("s"), None);
    }

    #[test]
    fn older_stale_or_unreadable_tokens_are_not_kept() {
        let mut t = Tokens::new(10_000);
        let newer = jwt(r#"{"exp":1700000120}"#);
        assert!(t.store(&key("s"), &newer, 0, NOW, 0.5));
        assert!(!t.store(&key("s"), &jwt(r#"{"exp":1700000060}"#), 0, NOW, 0.5));
        assert!(
            !t.store(&key("s"), &newer, 0, NOW, 0.5),
            "the same token again"
        );
        assert!(!t.store(&key("s"), &jwt(r#"{"exp":1700000005}"#), 0, NOW, 0.5));
        assert!(!t.store(&key("s"), "not a jwt", 0, NOW, 0.5));
        assert_eq!(t.fresh(&key("s"), NOW), Some(newer));
    }

    #[test]
    fn ended_sessions_lose_their_tokens() {
        let mut t = Tokens::new(0);
        let a = jwt(r#"{"exp":1700000060}"#);
        t.store(&key("a"), &a, 0, NOW, 0.0);
        t.store(&key("b"), &a, 0, NOW, 0.0);
        assert!(t.retain(|s| s == "b"));
        assert!(!t.retain(|s| s == "b"));
        assert_eq!(t.fresh(&key("a"), NOW), None);
        assert!(t.fresh(&key("b"), NOW).is_some());
        t.clear();
        assert!(t.is_empty());
    }

    #[test]
    fn a_claim_from_another_tab_defers_the_renewal_but_not_past_staleness() {
        let mut t = Tokens::new(10_000);
        assert!(t.store(&key("s"), &jwt(r#"{"exp":1700000060}"#), 0, NOW, 0.0));
        t.fresh(&key("s"), NOW + 1);
        // Stale at +49 s, renewal at +44 s; deferred halfway: +46.5 s, then +47.75 s.
        assert!(t.defer(&key("s")));
        assert_eq!(t.next_refresh("s"), Some(NOW + 46_500));
        assert!(t.defer(&key("s")));
        assert_eq!(t.next_refresh("s"), Some(NOW + 47_750));
        assert!(!t.defer(&key("other")));
        let m = claim_message("client_1", "", "sess_1");
        assert_eq!(read_claim(&m), Some(("client_1", "", "sess_1")));
        assert_eq!(read_claim(&share_message("c", "", "a.b.c")), None);
        assert_eq!(read_share(&m), None);
    }

    #[test]
    fn share_messages() {
        let m = share_message("client_1", "", "a.b.c");
        assert_eq!(read_share(&m), Some(("client_1", "", "a.b.c")));
        let m = share_message("client_1", "hasura", "a.b.c");
        assert_eq!(read_share(&m), Some(("client_1", "hasura", "a.b.c")));
        for bad in ["", "token ", "token  x y", "nudge", "token c t a b"] {
            assert_eq!(read_share(bad), None, "{bad}");
        }
    }
}
