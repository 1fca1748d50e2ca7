//! Minting the session tokens found in `last_active_token` and answered by `/tokens`.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;

/// The HS256 secret the mock signs its session tokens with.
pub const MOCK_JWT_SECRET: &[u8] = b"fapi-mock-insecure-test-secret";

/// The `iss` claim of every token.
pub const ISSUER: &str = "https://fapi-mock.invalid";

/// Lifetime of a session token, in seconds (Clerk's are about 60 s).
pub const TOKEN_LIFETIME_SECS: i64 = 60;

#[derive(Serialize)]
struct Header {
    alg: &'static str,
    typ: &'static str,
    kid: &'static str,
}

#[derive(Serialize)]
struct Claims<'a> {
    exp: i64,
    iat: i64,
    iss: &'static str,
    jti: &'a str,
    nbf: i64,
    sid: &'a str,
    sub: &'a str,
}

/// A HS256 JWT for `session_id` / `user_id`, issued at `now_ms` and living
/// [`TOKEN_LIFETIME_SECS`]; claims `exp`, `iat`, `iss`, `jti`, `nbf`, `sid`, `sub` (times in seconds).
pub fn mint(session_id: &str, user_id: &str, now_ms: i64) -> String {
    let iat = now_ms.div_euclid(1000);
    // A unique id, so that every minted token differs even within one second.
    let jti = crate::ids::random_base62(20);
    let header = Header {
        alg: "HS256",
        typ: "JWT",
        kid: "ins_fapimock",
    };
    let claims = Claims {
        exp: iat + TOKEN_LIFETIME_SECS,
        iat,
        iss: ISSUER,
        jti: &jti,
        nbf: iat - 10,
        sid: session_id,
        sub: user_id,
    };
    let signing_input = format!("{}.{}", encode_json(&header), encode_json(&claims));
    let signature = match Hmac::<Sha256>::new_from_slice(MOCK_JWT_SECRET) {
        Ok(mut mac) => {
            mac.update(signing_input.as_bytes());
            URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
        }
        // HMAC accepts keys of any length; this branch cannot be taken.
        Err(_) => String::new(),
    };
    format!("{signing_input}.{signature}")
}

fn encode_json(value: &impl Serialize) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_has_three_parts_and_the_claims() {
        let jwt = mint("sess_x", "user_y", 1_700_000_000_123);
        let parts: Vec<&str> = jwt.split('.').collect();
        assert_eq!(parts.len(), 3);
        let claims: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
        assert_eq!(claims["sid"], "sess_x");
        assert_eq!(claims["sub"], "user_y");
        assert_eq!(claims["iat"], 1_700_000_000);
        assert_eq!(claims["exp"], 1_700_000_060);
        let mut mac = Hmac::<Sha256>::new_from_slice(MOCK_JWT_SECRET).unwrap();
        mac.update(format!("{}.{}", parts[0], parts[1]).as_bytes());
        mac.verify_slice(&URL_SAFE_NO_PAD.decode(parts[2]).unwrap())
            .unwrap();
    }
}
