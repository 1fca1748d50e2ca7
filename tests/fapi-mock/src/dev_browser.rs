//! Dev browsers: how a development instance names its client. The API lives on another site
//! than the app, so no cookie can carry the client; instead `POST /v1/dev_browser` (no
//! credentials) answers `{"id": JWT}`, and every client route wants that JWT in the
//! `__clerk_db_jwt` query parameter. A dev browser owns at most one client.
//!
//! The JWT is HS256, signed with a secret made when the server starts, with claims `dev` (the
//! dev browser's `dvb_…` id), `iat` and `jti`. An unknown, forged or retired JWT answers 401
//! `dev_browser_unauthenticated`.
//!
//! Rotation (`POST /__mock/dev_browsers/rotate`): the next request with the dev browser's JWT
//! gets a new one in the `Clerk-Db-Jwt` answer header. The old JWT keeps working (each answer
//! to it carries the header again) until the new one is first used; then it is retired.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::errors::ApiError;
use crate::ids::{new_id, now_ms, random_base62};
use crate::instance::Instance;
use crate::{json, AppState};

/// Query parameter carrying the dev browser JWT.
pub const QUERY_PARAM: &str = "__clerk_db_jwt";
/// Answer header carrying a rotated dev browser JWT.
pub const ROTATION_HEADER: &str = "clerk-db-jwt";

/// One dev browser.
#[derive(Debug, Clone, Serialize)]
pub struct DevBrowser {
    /// `dvb_…` id (the JWT's `dev` claim).
    pub id: String,
    /// The JWT in force.
    pub jwt: String,
    /// The JWT before the last rotation, accepted until `jwt` is first used.
    pub previous_jwt: Option<String>,
    /// The client it owns.
    pub client_id: Option<String>,
    /// Whether the next request rotates the JWT.
    pub rotation_pending: bool,
    /// Creation time (ms).
    pub created_at: i64,
}

/// A request's dev browser, once its JWT is accepted.
#[derive(Debug, Clone)]
pub struct Authenticated {
    /// The dev browser's id.
    pub id: String,
    /// The client it owns.
    pub client_id: Option<String>,
    /// A JWT to answer in `Clerk-Db-Jwt` (rotated now, or earlier and not yet used).
    pub rotated_jwt: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct Claims {
    dev: String,
    iat: i64,
    jti: String,
}

/// Every dev browser of a server, and the key their JWTs are signed with.
pub struct DevBrowsers {
    encoding: EncodingKey,
    decoding: DecodingKey,
    browsers: Vec<DevBrowser>,
}

impl std::fmt::Debug for DevBrowsers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DevBrowsers")
            .field("browsers", &self.browsers)
            .finish_non_exhaustive()
    }
}

impl Default for DevBrowsers {
    fn default() -> Self {
        let secret = random_base62(43);
        // A non-empty secret is always accepted; an empty one would only fail every check.
        let encoding = EncodingKey::from_secret(secret.as_bytes())
            .unwrap_or_else(|_| EncodingKey::from_rsa_der(&[]));
        let decoding = DecodingKey::from_secret(secret.as_bytes())
            .unwrap_or_else(|_| DecodingKey::from_rsa_der(&[]));
        Self {
            encoding,
            decoding,
            browsers: Vec::new(),
        }
    }
}

/// 401 `dev_browser_unauthenticated`.
pub fn unauthenticated() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "dev_browser_unauthenticated",
        "Browser unauthenticated",
        "Unable to authenticate this browser for your development instance. Create a dev \
         browser with POST /v1/dev_browser and send its JWT as the __clerk_db_jwt query parameter.",
    )
}

fn mint(key: &EncodingKey, id: &str, now_ms: i64) -> String {
    let claims = Claims {
        dev: id.to_owned(),
        iat: now_ms.div_euclid(1000),
        jti: random_base62(16),
    };
    // HS256 over serializable claims does not fail.
    jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, key).unwrap_or_default()
}

impl DevBrowsers {
    /// The dev browser id a JWT signed by this server names, if the signature holds.
    fn id_of(&self, jwt: &str) -> Option<String> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_required_spec_claims::<&str>(&[]);
        validation.validate_exp = false;
        jsonwebtoken::decode::<Claims>(jwt, &self.decoding, &validation)
            .ok()
            .map(|data| data.claims.dev)
    }

    /// A new dev browser with no client; answers its JWT.
    pub fn create(&mut self, now: i64) -> String {
        let id = new_id("dvb");
        let jwt = mint(&self.encoding, &id, now);
        self.browsers.push(DevBrowser {
            id,
            jwt: jwt.clone(),
            previous_jwt: None,
            client_id: None,
            rotation_pending: false,
            created_at: now,
        });
        jwt
    }

    /// The dev browser a JWT (current or not yet retired) designates, without side effects.
    pub fn lookup(&self, jwt: &str) -> Option<&DevBrowser> {
        let id = self.id_of(jwt)?;
        self.browsers
            .iter()
            .find(|b| b.id == id && (b.jwt == jwt || b.previous_jwt.as_deref() == Some(jwt)))
    }

    /// Accepts a request's JWT: retires the previous JWT when the current one is used, and
    /// rotates when a rotation is pending.
    pub fn authenticate(&mut self, jwt: &str, now: i64) -> Result<Authenticated, ApiError> {
        let id = self.id_of(jwt).ok_or_else(unauthenticated)?;
        let browser = self
            .browsers
            .iter_mut()
            .find(|b| b.id == id)
            .ok_or_else(unauthenticated)?;
        let rotated_jwt = if browser.jwt == jwt {
            browser.previous_jwt = None;
            browser.rotation_pending.then(|| {
                let new = mint(&self.encoding, &browser.id, now);
                browser.previous_jwt = Some(std::mem::replace(&mut browser.jwt, new.clone()));
                browser.rotation_pending = false;
                new
            })
        } else if browser.previous_jwt.as_deref() == Some(jwt) {
            Some(browser.jwt.clone())
        } else {
            return Err(unauthenticated());
        };
        Ok(Authenticated {
            id: browser.id.clone(),
            client_id: browser.client_id.clone(),
            rotated_jwt,
        })
    }

    /// Makes dev browser `id` own `client_id` (or no client).
    pub fn attach(&mut self, id: &str, client_id: Option<String>) {
        if let Some(browser) = self.browsers.iter_mut().find(|b| b.id == id) {
            browser.client_id = client_id;
        }
    }

    /// Asks for a rotation of dev browser `id`, or of all; answers how many.
    pub fn request_rotation(&mut self, id: Option<&str>) -> usize {
        let mut count = 0;
        for browser in &mut self.browsers {
            if id.is_none_or(|id| id == browser.id) {
                browser.rotation_pending = true;
                count += 1;
            }
        }
        count
    }

    /// Every dev browser.
    pub fn list(&self) -> &[DevBrowser] {
        &self.browsers
    }

    /// Forgets every dev browser: their JWTs answer 401 from now on.
    pub fn clear(&mut self) {
        self.browsers.clear();
    }

    /// Takes every dev browser's client away (the clients are gone after a reset).
    pub fn detach_all(&mut self) {
        for browser in &mut self.browsers {
            browser.client_id = None;
        }
    }
}

#[derive(Serialize)]
struct Created {
    id: String,
}

/// `POST /v1/dev_browser`: `{"id": JWT}` of a new dev browser (development instances only;
/// 404 on production ones).
pub async fn create(State(state): State<AppState>) -> Response {
    if state.config().instance != Instance::Development {
        return ApiError::not_found().into_response();
    }
    let id = state.dev_browsers().lock().create(now_ms());
    json::ok(&Created { id })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotation_hands_the_new_jwt_until_it_is_used() {
        let mut browsers = DevBrowsers::default();
        let old = browsers.create(1_000);
        assert!(browsers
            .authenticate(&old, 1)
            .unwrap()
            .rotated_jwt
            .is_none());
        assert_eq!(browsers.request_rotation(None), 1);
        let new = browsers.authenticate(&old, 2).unwrap().rotated_jwt.unwrap();
        assert_ne!(new, old);
        // Still in grace: the old one works and hands the new one again.
        let again = browsers.authenticate(&old, 3).unwrap().rotated_jwt;
        assert_eq!(again.as_deref(), Some(new.as_str()));
        assert!(browsers
            .authenticate(&new, 4)
            .unwrap()
            .rotated_jwt
            .is_none());
        assert!(browsers.authenticate(&old, 5).is_err(), "retired");
        assert!(browsers.lookup(&old).is_none());
        assert!(browsers.lookup(&new).is_some());
    }

    #[test]
    fn foreign_and_forgotten_jwts_are_refused() {
        let mut browsers = DevBrowsers::default();
        let mut other = DevBrowsers::default();
        let foreign = other.create(1);
        assert_eq!(
            browsers.authenticate(&foreign, 1).unwrap_err().code,
            "dev_browser_unauthenticated"
        );
        assert!(browsers.authenticate("not.a.jwt", 1).is_err());
        let jwt = browsers.create(1);
        browsers.clear();
        assert!(browsers.authenticate(&jwt, 1).is_err());
    }
}
