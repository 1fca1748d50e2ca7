//! Session tokens: the RS256 JWTs in `last_active_token` and answered by
//! `POST /v1/client/sessions/{id}/tokens[/{template}]`, signed with the [`jwks`](crate::jwks)
//! key.
//!
//! Claims, as Clerk's (version 2) tokens: `azp` (the request's `Origin`, omitted without one),
//! `exp`, `iat`, `iss` (the URL the API was reached at), `jti`, `nbf` (`iat - 10`), `sid`,
//! `sub`, `v` (2), and `template` for a token made with a JWT template. Times in seconds;
//! `exp - iat` is the token lifetime (default 60 s, `POST /__mock/config`).

use axum::http::{header, HeaderMap};
use serde::Serialize;

use crate::jwks::SigningKey;
use crate::AppState;

/// Default lifetime of a session token, in seconds (Clerk's live about 60 s).
pub const DEFAULT_LIFETIME_SECS: i64 = 60;

/// `iss` when the request has no usable `Host`.
pub const FALLBACK_ISSUER: &str = "http://fapi-mock.invalid";

/// What the tokens minted for one request share: issuer, authorized party and lifetime.
#[derive(Debug, Clone)]
pub struct TokenContext {
    /// `iss`: `http(s)://HOST` of the request.
    pub issuer: String,
    /// `azp`: the request's `Origin`.
    pub azp: Option<String>,
    /// `exp - iat`, in seconds.
    pub lifetime_secs: i64,
}

#[derive(Serialize)]
struct Claims<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    azp: Option<&'a str>,
    exp: i64,
    iat: i64,
    iss: &'a str,
    jti: &'a str,
    nbf: i64,
    sid: &'a str,
    sub: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    template: Option<&'a str>,
    v: u8,
}

/// The header value as text, if any.
fn header_text(headers: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

impl TokenContext {
    /// The context of a request with these headers (`Host`, `X-Forwarded-Proto`, `Origin`).
    pub fn from_request(state: &AppState, headers: &HeaderMap) -> Self {
        let https = crate::credentials::is_https(headers);
        let issuer = header_text(headers, header::HOST)
            .filter(|h| !h.is_empty())
            .map_or_else(
                || FALLBACK_ISSUER.to_owned(),
                |host| format!("{}://{host}", if https { "https" } else { "http" }),
            );
        Self {
            issuer,
            azp: header_text(headers, header::ORIGIN).map(str::to_owned),
            lifetime_secs: state.token_lifetime_secs(),
        }
    }

    /// A token for `session_id` of `user_id`, issued at `now_ms`; `template` names the JWT
    /// template asked for, if any.
    pub fn mint(
        &self,
        session_id: &str,
        user_id: &str,
        template: Option<&str>,
        now_ms: i64,
    ) -> String {
        let iat = now_ms.div_euclid(1000);
        // A unique id, so that every minted token differs even within one second.
        let jti = crate::ids::random_base62(20);
        SigningKey::global().sign(&Claims {
            azp: self.azp.as_deref(),
            exp: iat.saturating_add(self.lifetime_secs),
            iat,
            iss: &self.issuer,
            jti: &jti,
            nbf: iat - 10,
            sid: session_id,
            sub: user_id,
            template,
            v: 2,
        })
    }

    /// [`Self::mint`] without a template, in the shape the store wants for new sessions and
    /// touches.
    pub fn minter(&self) -> impl Fn(&str, &str, i64) -> String + '_ {
        move |session_id, user_id, now| self.mint(session_id, user_id, None, now)
    }
}
