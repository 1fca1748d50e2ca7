//! Session tokens: RS256, verifiable against `GET /.well-known/jwks.json`, Clerk's claims,
//! templates, and the lifetime set through the control plane.

mod common;

use std::time::Duration;

use common::{control_server, jwks_key, server, verify_token, Client};
use fapi_mock::{Config, Dialect};
use serde_json::{json, Value};

const ORIGIN: &str = "http://localhost:5173";

async fn mint(c: &mut Client, path: &str, form: &str) -> String {
    let resp = c.form("POST", path, form).await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    let body = resp.json();
    assert_eq!(body["object"], "token");
    body["jwt"].as_str().expect("jwt").to_owned()
}

#[tokio::test]
async fn a_token_verifies_against_the_key_set_with_clerks_claims() {
    let srv = server(Config::default()).await;
    let mut c = Client::new(srv.addr);
    c.origin = Some(ORIGIN.into());
    let sign_in = c.sign_in("ada", "ada-password-1").await.json();
    let sid = sign_in["response"]["created_session_id"].as_str().unwrap();
    let user_id = sign_in["client"]["sessions"][0]["user"]["id"]
        .as_str()
        .unwrap();

    let set = c.req("GET", "/.well-known/jwks.json").await;
    assert_eq!(set.header("access-control-allow-origin"), Some(ORIGIN));
    let jwk = &set.json()["keys"][0];
    assert_eq!(jwk["kty"], "RSA");
    assert_eq!(jwk["alg"], "RS256");
    assert_eq!(jwk["use"], "sig");
    assert_eq!(jwk["e"], "AQAB");
    assert!(jwk["n"].as_str().unwrap().len() >= 342, "2048-bit modulus");
    let (key, kid) = jwks_key(&mut c).await;
    assert!(kid.starts_with("ins_"), "{kid}");

    // The body clerk-js sends (and its forced variant) is accepted.
    let path = format!("/v1/client/sessions/{sid}/tokens");
    for form in ["organization_id=&tab_state=focused", "debug=skip_cache", ""] {
        let jwt = mint(&mut c, &path, form).await;
        let claims = verify_token(&jwt, &key, &kid, &srv.base_url()).expect("verifies");
        assert_eq!(claims["sid"], sid);
        assert_eq!(claims["sub"], user_id);
        assert_eq!(claims["azp"], ORIGIN);
        assert_eq!(claims["v"], 2);
        let iat = claims["iat"].as_i64().unwrap();
        assert_eq!(claims["exp"].as_i64().unwrap() - iat, 60);
        assert_eq!(claims["nbf"].as_i64().unwrap(), iat - 10);
        assert!(claims["jti"].as_str().unwrap().len() >= 16);
        assert!(claims.get("template").is_none());
    }

    // No Origin, no azp; every token is new.
    c.origin = None;
    let a = mint(&mut c, &path, "").await;
    let b = mint(&mut c, &path, "").await;
    assert_ne!(a, b);
    let claims = verify_token(&a, &key, &kid, &srv.base_url()).unwrap();
    assert!(claims.get("azp").is_none(), "{claims}");

    // Another server of the process signs with the same key; a forged token fails.
    let other = server(Config::default()).await;
    let mut c2 = Client::new(other.addr);
    assert_eq!(jwks_key(&mut c2).await.1, kid);
    let mut claims = common::jwt_claims(&a);
    claims["sub"] = json!("user_someone_else");
    let payload = {
        use base64::Engine as _;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(claims.to_string())
    };
    let parts: Vec<&str> = a.split('.').collect();
    let forged = format!("{}.{payload}.{}", parts[0], parts[2]);
    assert!(verify_token(&forged, &key, &kid, &srv.base_url()).is_err());
}

#[tokio::test]
async fn a_template_token_names_its_template() {
    let srv = server(Config::default()).await;
    let mut c = Client::new(srv.addr);
    let sid = c.signed_in("boss", "boss-password-1").await;
    let (key, kid) = jwks_key(&mut c).await;
    let jwt = mint(
        &mut c,
        &format!("/v1/client/sessions/{sid}/tokens/supabase"),
        "",
    )
    .await;
    let claims = verify_token(&jwt, &key, &kid, &srv.base_url()).unwrap();
    assert_eq!(claims["template"], "supabase");
    assert_eq!(claims["sid"], sid.as_str());

    // Unknown session: 404; a signed-out one: 401; both Clerk errors.
    c.req("POST", "/v1/client/sessions/sess_nope/tokens/supabase")
        .await
        .assert_error(404, "resource_not_found");
    c.req("POST", &format!("/v1/client/sessions/{sid}/end"))
        .await;
    c.req(
        "POST",
        &format!("/v1/client/sessions/{sid}/tokens/supabase"),
    )
    .await
    .assert_error(401, "signed_out");
}

#[tokio::test]
async fn last_active_token_is_a_real_token() {
    let srv = control_server(Dialect::Current).await;
    let mut c = Client::new(srv.addr);
    c.origin = Some(ORIGIN.into());
    let (key, kid) = jwks_key(&mut c).await;
    let sign_in = c.sign_in("ada", "ada-password-1").await.json();
    let created = c
        .json("POST", "/__mock/sessions", &json!({"identifier": "boss"}))
        .await
        .json();
    let client = c.current().await;
    let sessions = client["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 2);
    assert_eq!(sessions[1]["id"], created["id"]);
    for session in sessions {
        let jwt = session["last_active_token"]["jwt"].as_str().unwrap();
        let claims = verify_token(jwt, &key, &kid, &srv.base_url()).expect("verifies");
        assert_eq!(claims["sid"], session["id"]);
        assert_eq!(claims["sub"], session["user"]["id"]);
        assert_eq!(claims["azp"], ORIGIN);
    }
    assert_eq!(
        sign_in["client"]["sessions"][0]["last_active_token"],
        sessions[0]["last_active_token"]
    );
}

#[tokio::test]
async fn token_lifetime_through_the_control_plane() {
    let srv = control_server(Dialect::Current).await;
    let mut c = Client::new(srv.addr);
    assert_eq!(
        c.req("GET", "/__mock/config").await.json(),
        json!({"token_lifetime_secs": 60})
    );
    let set = c
        .json("POST", "/__mock/config", &json!({"token_lifetime_secs": 2}))
        .await;
    assert_eq!(set.status, 200);
    assert_eq!(set.json(), json!({"token_lifetime_secs": 2}));
    c.json(
        "POST",
        "/__mock/config",
        &json!({"token_lifetime_secs": -1}),
    )
    .await
    .assert_error(422, "form_param_format_invalid");
    c.json("POST", "/__mock/config", &json!({"token_lifetimes": 1}))
        .await
        .assert_error(400, "malformed_request");

    let (key, kid) = jwks_key(&mut c).await;
    let sid = c.signed_in("ada", "ada-password-1").await;
    let last_active = c.current().await["sessions"][0]["last_active_token"]["jwt"].clone();
    let jwt = mint(&mut c, &format!("/v1/client/sessions/{sid}/tokens"), "").await;
    for token in [jwt.as_str(), last_active.as_str().unwrap()] {
        let claims: Value = verify_token(token, &key, &kid, &srv.base_url()).expect("fresh");
        assert_eq!(
            claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
            2
        );
    }
    tokio::time::sleep(Duration::from_millis(3100)).await;
    let expired = verify_token(&jwt, &key, &kid, &srv.base_url()).unwrap_err();
    assert_eq!(
        *expired.kind(),
        jsonwebtoken::errors::ErrorKind::ExpiredSignature
    );

    // Reset restores the default.
    c.req("POST", "/__mock/reset").await;
    assert_eq!(
        c.req("GET", "/__mock/config").await.json(),
        json!({"token_lifetime_secs": 60})
    );
}
