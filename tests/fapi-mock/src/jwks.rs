//! The RSA key session tokens are signed with, and its public half as a JSON Web Key Set at
//! `GET /.well-known/jwks.json` (where backends fetch it to verify tokens, as with Clerk).
//!
//! One 2048-bit key per process, generated on first use ([`warm_up`] starts that in a
//! background thread so that the first sign-in does not wait for it). Key generation and
//! signing are slow in unoptimized builds (seconds and ~90 ms) unless `rsa`, `crypto-bigint`
//! and `crypto-primes` get `opt-level = 3` in the workspace's `[profile.dev.package.*]`.

use std::sync::OnceLock;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::traits::PublicKeyParts;
use rsa::Generate;
use serde::Serialize;

use crate::errors::ApiError;
use crate::json;

/// Path of the key set.
pub const JWKS_PATH: &str = "/.well-known/jwks.json";

/// The process's signing key.
pub struct SigningKey {
    /// Key id, in the tokens' header (`kid`) and in the key set.
    pub kid: String,
    encoding: EncodingKey,
    jwk: Jwk,
}

/// One public RSA key as a JWK (`JWKS.rsa.PublicKey` in the OpenAPI spec).
#[derive(Debug, Clone, Serialize)]
pub struct Jwk {
    /// Key id.
    pub kid: String,
    /// `RS256`.
    pub alg: &'static str,
    /// `sig`.
    #[serde(rename = "use")]
    pub use_: &'static str,
    /// `RSA`.
    pub kty: &'static str,
    /// Modulus, base64url without padding.
    pub n: String,
    /// Public exponent, base64url without padding.
    pub e: String,
}

/// `{"keys": [...]}`.
#[derive(Serialize)]
struct KeySet<'a> {
    keys: [&'a Jwk; 1],
}

static KEY: OnceLock<SigningKey> = OnceLock::new();

impl SigningKey {
    fn generate() -> Self {
        let private = rsa::PrivateKey::generate();
        // Encoding a freshly generated key cannot fail; an empty DER would only make signing fail.
        let der = private
            .to_pkcs1_der()
            .map(|d| d.as_bytes().to_vec())
            .unwrap_or_default();
        let kid = crate::ids::new_id("ins");
        let jwk = Jwk {
            kid: kid.clone(),
            alg: "RS256",
            use_: "sig",
            kty: "RSA",
            n: URL_SAFE_NO_PAD.encode(private.n_bytes()),
            e: URL_SAFE_NO_PAD.encode(private.e_bytes()),
        };
        Self {
            kid,
            encoding: EncodingKey::from_rsa_der(&der),
            jwk,
        }
    }

    /// The key, generated on the first call (later calls wait for it).
    pub fn global() -> &'static Self {
        KEY.get_or_init(Self::generate)
    }

    /// The public key as a JWK.
    pub fn jwk(&self) -> &Jwk {
        &self.jwk
    }

    /// Signs `claims` as an RS256 JWT with this key's `kid`.
    pub fn sign(&self, claims: &impl Serialize) -> String {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(self.kid.clone());
        // Signing serializable claims with a valid key does not fail.
        jsonwebtoken::encode(&header, claims, &self.encoding).unwrap_or_default()
    }
}

/// Starts generating the key in a background thread, if it is not there yet.
pub fn warm_up() {
    if KEY.get().is_none() {
        std::thread::spawn(SigningKey::global);
    }
}

/// `GET /.well-known/jwks.json`: the public key set.
pub async fn get_jwks() -> Response {
    let Ok(key) = tokio::task::spawn_blocking(SigningKey::global).await else {
        return ApiError::for_status(StatusCode::INTERNAL_SERVER_ERROR).to_response();
    };
    let mut response = json::ok(&KeySet { keys: [key.jwk()] });
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=60"),
    );
    response
}
