//! The `/v1/client…` API over real HTTP: dialects, cookies, sign-in, sessions, method override.

mod common;

use common::{control_server, jwt_claims, server, Client};
use fapi_mock::{Config, Dialect};
use serde_json::{json, Value};

const DAY_MS: i64 = 24 * 3600 * 1000;

/// Asserts the object has exactly these keys (in any order: `Value` sorts them).
fn assert_keys(v: &Value, expected: &[&str]) {
    let mut actual: Vec<&str> = v
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected = expected.to_vec();
    actual.sort_unstable();
    expected.sort_unstable();
    assert_eq!(actual, expected);
}

#[tokio::test]
async fn no_cookie_and_unknown_cookie_read_null() {
    let srv = server(Config::default()).await;
    let mut c = Client::new(srv.addr);
    let resp = c.req("GET", "/v1/client").await;
    assert_eq!(resp.status, 200);
    assert_eq!(resp.header("content-type"), Some("application/json"));
    assert_eq!(resp.json(), json!({"response": null, "client": null}));
    c.cookie = Some("not-a-known-cookie".into());
    assert_eq!(
        c.req("GET", "/v1/client").await.json(),
        json!({"response": null, "client": null})
    );
}

#[tokio::test]
async fn cookie_lifecycle_current_dialect() {
    let srv = server(Config::default()).await;
    let mut c = Client::new(srv.addr);
    let put = c.req("PUT", "/v1/client").await;
    assert_eq!(put.status, 200);
    let set = put.set_cookie().expect("Set-Cookie").to_owned();
    for part in [
        "__client=",
        "HttpOnly",
        "SameSite=Lax",
        "Path=/",
        "Max-Age=",
    ] {
        assert!(set.contains(part), "{set}");
    }
    assert!(!set.contains("Secure"), "{set}");
    // Fixed key order on the wire.
    assert!(
        put.text()
            .starts_with(r#"{"response":{"object":"client","id":"client_"#),
        "{}",
        put.text()
    );
    let body = put.json();
    assert!(body["client"].is_null());
    let client = &body["response"];
    assert_keys(
        client,
        &[
            "object",
            "id",
            "sessions",
            "sign_in",
            "sign_up",
            "last_active_session_id",
            "cookie_expires_at",
            "captcha_bypass",
            "created_at",
            "updated_at",
        ],
    );
    let id = client["id"].as_str().unwrap();
    assert!(id.starts_with("client_") && id.len() == 7 + 27, "{id}");
    assert!(
        client["created_at"].as_i64().unwrap() > 1_000_000_000_000,
        "ms"
    );

    // GET reads the same client, byte for byte, twice.
    let first = c.req("GET", "/v1/client").await;
    let second = c.req("GET", "/v1/client").await;
    assert_eq!(first.body, second.body);
    assert_eq!(&first.json()["response"], client);

    // A second PUT replaces the client and the cookie; the old cookie is forgotten.
    let old_cookie = c.cookie.clone();
    let replaced = c.req("PUT", "/v1/client").await.json();
    assert_ne!(replaced["response"]["id"], client["id"]);
    let mut old = Client::new(srv.addr);
    old.cookie = old_cookie;
    assert!(old.current().await.is_null());

    // DELETE answers the client with its sessions ended and clears the cookie.
    let sid = c.signed_in("ada", "ada-password-1").await;
    let del = c.req("DELETE", "/v1/client").await;
    assert_eq!(del.status, 200);
    assert!(del.set_cookie().unwrap().contains("Max-Age=0"));
    let body = del.json();
    assert!(body["client"].is_null());
    assert_eq!(body["response"]["sessions"][0]["id"], sid.as_str());
    assert_eq!(body["response"]["sessions"][0]["status"], "ended");
    assert!(body["response"]["last_active_session_id"].is_null());
    assert!(c.cookie.is_none());
    assert!(c.current().await.is_null());

    // Deleting again: nothing to delete.
    c.req("DELETE", "/v1/client")
        .await
        .assert_error(404, "resource_not_found");
}

#[tokio::test]
async fn secure_cookie_behind_https() {
    let srv = server(Config::default()).await;
    let mut c = Client::new(srv.addr);
    let resp = c
        .send("PUT", "/v1/client", &[("x-forwarded-proto", "https")], b"")
        .await
        .unwrap();
    assert!(resp.set_cookie().unwrap().ends_with("; Secure"));
}

#[tokio::test]
async fn seed_dialect_shapes() {
    let srv = server(Config {
        dialect: Dialect::Seed,
        ..Config::default()
    })
    .await;
    let mut c = Client::new(srv.addr);
    let sid = c.signed_in("boss@clerk.dev", "boss-password-1").await;
    let client = c.current().await;
    assert_keys(
        &client,
        &[
            "object",
            "id",
            "sessions",
            "sign_in_attempt",
            "sign_up_attempt",
            "last_active_session_id",
            "created_at",
            "updated_at",
        ],
    );
    let created = client["created_at"].as_i64().unwrap();
    assert!(
        (1_000_000_000..10_000_000_000).contains(&created),
        "seconds"
    );
    let session = &client["sessions"][0];
    assert_eq!(session["id"], sid.as_str());
    assert_keys(
        session,
        &[
            "object",
            "id",
            "status",
            "expire_at",
            "abandon_at",
            "last_active_at",
            "user",
            "created_at",
            "updated_at",
        ],
    );
    assert_eq!(
        session["expire_at"].as_i64().unwrap() - session["last_active_at"].as_i64().unwrap(),
        7 * 24 * 3600
    );
    let user = &session["user"];
    assert_eq!(user["first_name"], "Boss");
    assert_eq!(user["username"], "boss");
    assert_eq!(user["gender"], "");
    assert_eq!(
        user["email_addresses"][0]["email_address"],
        "boss@clerk.dev"
    );
    assert!(user.get("web3_wallets").is_none());

    let del = c.req("DELETE", "/v1/client").await;
    assert_eq!(del.status, 200);
    assert!(del.body.is_empty(), "{:?}", del.text());
    assert!(del.set_cookie().unwrap().contains("Max-Age=0"));
}

#[tokio::test]
async fn current_dialect_session_and_user_shapes() {
    let srv = server(Config::default()).await;
    let mut c = Client::new(srv.addr);
    let resp = c.sign_in("ada@example.com", "ada-password-1").await;
    assert_eq!(resp.status, 200);
    assert!(resp.set_cookie().is_some(), "sign-in creates the client");
    let body = resp.json();
    let sign_in = &body["response"];
    assert_eq!(sign_in["object"], "sign_in_attempt");
    assert_eq!(sign_in["status"], "complete");
    assert!(sign_in["id"].as_str().unwrap().starts_with("sia_"));
    let sid = sign_in["created_session_id"].as_str().unwrap();
    let client = &body["client"];
    assert_eq!(client["last_active_session_id"], sid);
    assert!(client["sign_in"].is_null());
    assert_eq!(client["captcha_bypass"], false);
    assert!(client["cookie_expires_at"].as_i64().unwrap() > client["created_at"].as_i64().unwrap());
    let session = &client["sessions"][0];
    assert!(sid.starts_with("sess_") && sid.len() == 5 + 27);
    assert_eq!(session["status"], "active");
    let last_active = session["last_active_at"].as_i64().unwrap();
    assert_eq!(
        session["expire_at"].as_i64().unwrap() - last_active,
        7 * DAY_MS
    );
    assert_eq!(
        session["abandon_at"].as_i64().unwrap() - last_active,
        30 * DAY_MS
    );
    assert_eq!(client["updated_at"].as_i64().unwrap(), last_active);
    for key in [
        "last_active_organization_id",
        "actor",
        "tasks",
        "public_user_data",
        "factor_verification_age",
    ] {
        assert!(session.get(key).is_some(), "{key}");
    }
    assert_eq!(session["last_active_token"]["object"], "token");
    let claims = jwt_claims(session["last_active_token"]["jwt"].as_str().unwrap());
    assert_eq!(claims["sid"], sid);
    assert_eq!(claims["sub"], session["user"]["id"]);
    assert!(claims["exp"].as_i64().unwrap() > claims["iat"].as_i64().unwrap());
    assert_eq!(claims["iat"].as_i64().unwrap(), last_active / 1000);
    let user = &session["user"];
    for key in [
        "web3_wallets",
        "passkeys",
        "organization_memberships",
        "external_accounts",
        "saml_accounts",
        "enterprise_accounts",
    ] {
        assert_eq!(user[key], json!([]), "{key}");
    }
    assert_eq!(
        user["email_addresses"][0]["id"],
        user["primary_email_address_id"]
    );
    assert!(user["email_addresses"][0]["id"]
        .as_str()
        .unwrap()
        .starts_with("idn_"));
    assert!(user["id"].as_str().unwrap().starts_with("user_"));
    assert_eq!(session["public_user_data"]["identifier"], "ada@example.com");

    // No state change between two reads: identical bytes, token included.
    let a = c.req("GET", "/v1/client").await;
    let b = c.req("GET", "/v1/client").await;
    assert_eq!(a.body, b.body);
    assert_eq!(a.json()["response"], *client);
}

#[tokio::test]
async fn sign_in_errors() {
    let srv = server(Config::default()).await;
    let mut c = Client::new(srv.addr);
    let wrong = c.sign_in("boss@clerk.dev", "nope").await;
    let body = wrong.assert_error(422, "form_password_incorrect");
    assert_eq!(body["errors"][0]["meta"]["param_name"], "password");
    assert!(wrong.set_cookie().is_none());
    let unknown = c.sign_in("nobody@example.com", "x").await;
    unknown.assert_error(422, "form_identifier_not_found");
    let missing = c
        .form(
            "POST",
            "/v1/client/sign_ins",
            "strategy=password&identifier=ada",
        )
        .await;
    let body = missing.assert_error(422, "form_param_missing");
    assert_eq!(body["errors"][0]["meta"]["param_name"], "password");
    c.form("POST", "/v1/client/sign_ins", "")
        .await
        .assert_error(422, "form_param_missing");
    c.send(
        "POST",
        "/v1/client/sign_ins",
        &[("content-type", "application/json")],
        b"{not json",
    )
    .await
    .unwrap()
    .assert_error(400, "malformed_request");
    assert!(c.cookie.is_none());
    c.req("GET", "/v1/nothing-here")
        .await
        .assert_error(404, "resource_not_found");
    c.req("PATCH", "/v1/client/sign_ins")
        .await
        .assert_error(405, "request_method_not_allowed");
}

/// clerk-js 6.40's sign-in body: no `strategy`; a password means the password strategy.
#[tokio::test]
async fn sign_in_without_strategy_as_clerk_js_posts_it() {
    let srv = server(Config::default()).await;
    let mut c = Client::new(srv.addr);
    let resp = c
        .form(
            "POST",
            "/v1/client/sign_ins?__clerk_api_version=2026-08-20&_clerk_js_version=6.40.0",
            "identifier=ada%40example.com&password=ada-password-1&locale=en-US&timezone=UTC",
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    assert_eq!(c.current().await["sessions"][0]["user"]["username"], "ada");
    let body = c
        .form("POST", "/v1/client/sign_ins", "identifier=ada&locale=en-US")
        .await
        .assert_error(422, "form_param_missing");
    assert_eq!(body["errors"][0]["meta"]["param_name"], "strategy");
    c.form(
        "POST",
        "/v1/client/sign_ins",
        "identifier=ada&password=nope",
    )
    .await
    .assert_error(422, "form_password_incorrect");
}

#[tokio::test]
async fn sign_in_with_json_body_and_existing_client() {
    let srv = server(Config::default()).await;
    let mut c = Client::new(srv.addr);
    c.req("PUT", "/v1/client").await;
    let cookie = c.cookie.clone();
    let resp = c
        .json(
            "POST",
            "/v1/client/sign_ins",
            &json!({"strategy": "password", "identifier": "boss", "password": "boss-password-1"}),
        )
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    assert!(resp.set_cookie().is_none(), "the client is kept");
    assert_eq!(c.cookie, cookie);
    assert_eq!(c.current().await["sessions"][0]["user"]["username"], "boss");
}

#[tokio::test]
async fn method_override_for_every_verb() {
    let srv = server(Config::default()).await;
    let mut c = Client::new(srv.addr);
    let put = c.form("POST", "/v1/client?_method=PUT", "").await;
    assert_eq!(put.status, 200);
    assert!(c.cookie.is_some());
    let sid = c.signed_in("ada", "ada-password-1").await;
    let signed_out = c
        .form("POST", "/v1/client/sessions?_method=DELETE", "")
        .await;
    assert_eq!(signed_out.status, 200);
    assert_eq!(
        signed_out.json()["response"]["sessions"][0]["id"],
        sid.as_str()
    );
    let del = c.req("POST", "/v1/client?_method=delete").await;
    assert_eq!(del.status, 200);
    assert!(c.cookie.is_none());
    // PATCH override reaches the router as PATCH (not allowed here).
    c.req("POST", "/v1/client/sign_ins?_method=PATCH")
        .await
        .assert_error(405, "request_method_not_allowed");
}

#[tokio::test]
async fn session_end_remove_touch_and_sign_out_all() {
    let srv = server(Config::default()).await;
    let mut c = Client::new(srv.addr);
    let boss = c.signed_in("boss", "boss-password-1").await;
    let ada = c.signed_in("ada", "ada-password-1").await;
    let before = c.current().await;
    assert_eq!(before["last_active_session_id"], ada.as_str());

    // touch: last_active_at/updated_at move, token re-minted, becomes last active.
    let touched = c
        .req("POST", &format!("/v1/client/sessions/{boss}/touch"))
        .await;
    assert_eq!(touched.status, 200);
    let body = touched.json();
    assert_eq!(body["response"]["id"], boss.as_str());
    assert_eq!(body["response"]["status"], "active");
    assert_eq!(body["client"]["last_active_session_id"], boss.as_str());
    let old = &before["sessions"][0];
    assert!(body["response"]["last_active_at"].as_i64() >= old["last_active_at"].as_i64());
    assert_eq!(
        body["response"]["last_active_at"],
        body["response"]["updated_at"]
    );
    assert_ne!(
        body["response"]["last_active_token"]["jwt"],
        old["last_active_token"]["jwt"]
    );
    assert_eq!(body["response"]["expire_at"], old["expire_at"]);

    // end: ended; the other signed-in session becomes the last active one.
    let ended = c
        .req("POST", &format!("/v1/client/sessions/{boss}/end"))
        .await
        .json();
    assert_eq!(ended["response"]["status"], "ended");
    assert!(ended["response"]["last_active_token"].is_null());
    assert_eq!(ended["client"]["last_active_session_id"], ada.as_str());

    // remove: removed; no signed-in session is left.
    let removed = c
        .req("POST", &format!("/v1/client/sessions/{ada}/remove"))
        .await
        .json();
    assert_eq!(removed["response"]["status"], "removed");
    assert!(removed["client"]["last_active_session_id"].is_null());

    c.req("POST", "/v1/client/sessions/sess_unknown/end")
        .await
        .assert_error(404, "resource_not_found");

    // sign out all: every signed-in session ends, the client and its cookie stay.
    let third = c.signed_in("ada", "ada-password-1").await;
    let all = c.req("DELETE", "/v1/client/sessions").await;
    assert_eq!(all.status, 200);
    assert!(all.set_cookie().is_none());
    let body = all.json();
    assert!(body["client"].is_null());
    let statuses: Vec<&str> = body["response"]["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["ended", "removed", "ended"]);
    assert!(body["response"]["last_active_session_id"].is_null());
    assert_eq!(c.current().await["sessions"][2]["id"], third.as_str());

    let mut stranger = Client::new(srv.addr);
    stranger
        .req("DELETE", "/v1/client/sessions")
        .await
        .assert_error(404, "resource_not_found");
}

#[tokio::test]
async fn session_tokens_endpoint() {
    let srv = server(Config::default()).await;
    let mut c = Client::new(srv.addr);
    let sid = c.signed_in("ada", "ada-password-1").await;
    let before = c.req("GET", "/v1/client").await;
    let token = c
        .req("POST", &format!("/v1/client/sessions/{sid}/tokens"))
        .await
        .json();
    assert_eq!(token["object"], "token");
    assert_eq!(
        jwt_claims(token["jwt"].as_str().unwrap())["sid"],
        sid.as_str()
    );
    let templated = c
        .req(
            "POST",
            &format!("/v1/client/sessions/{sid}/tokens/supabase"),
        )
        .await;
    assert_eq!(templated.status, 200);
    // Minting a token is not a state change.
    assert_eq!(c.req("GET", "/v1/client").await.body, before.body);
    c.req("POST", &format!("/v1/client/sessions/{sid}/end"))
        .await;
    c.req("POST", &format!("/v1/client/sessions/{sid}/tokens"))
        .await
        .assert_error(401, "signed_out");
}

#[tokio::test]
async fn expiry_and_abandonment_follow_the_clock() {
    let srv = control_server(Dialect::Current).await;
    let mut c = Client::new(srv.addr);
    let sid = c.signed_in("ada", "ada-password-1").await;
    let path = format!("/__mock/sessions/{sid}");
    let expired = c.json("POST", &path, &json!({"expire_in_ms": -1})).await;
    assert_eq!(expired.status, 200);
    assert_eq!(expired.json()["status"], "expired");
    let client = c.current().await;
    assert_eq!(client["sessions"][0]["status"], "expired");
    assert_eq!(client["last_active_session_id"], sid.as_str());
    assert!(client["sessions"][0]["last_active_token"].is_null());

    let revived = c
        .json(
            "POST",
            &path,
            &json!({"expire_in_ms": 60_000, "abandon_in_ms": -5}),
        )
        .await
        .json();
    assert_eq!(revived["status"], "abandoned");
    let back = c
        .json("POST", &path, &json!({"abandon_in_ms": 60_000}))
        .await
        .json();
    assert_eq!(back["status"], "active");
    let revoked = c
        .json("POST", &path, &json!({"status": "revoked"}))
        .await
        .json();
    assert_eq!(revoked["status"], "revoked");
    assert_eq!(c.current().await["sessions"][0]["status"], "revoked");
}
