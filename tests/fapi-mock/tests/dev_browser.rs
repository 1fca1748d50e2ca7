//! A development instance: dev browsers name the client (`POST /v1/dev_browser`,
//! `?__clerk_db_jwt=`), 401 `dev_browser_unauthenticated` without one, rotation through
//! `Clerk-Db-Jwt`, and the control plane's dev browser routes.

mod common;

use common::{dev_server, jwt_claims, new_dev_browser, server, Client};
use fapi_mock::Config;
use serde_json::{json, Value};

#[tokio::test]
async fn without_a_valid_dev_browser_every_client_route_is_401() {
    let srv = dev_server().await;
    let mut c = Client::new(srv.addr);
    for (method, path) in [
        ("GET", "/v1/client"),
        ("PUT", "/v1/client"),
        ("POST", "/v1/client?_method=PUT"),
        ("DELETE", "/v1/client/sessions"),
        ("POST", "/v1/client/sign_ins"),
        ("POST", "/v1/client/sessions/sess_x/tokens"),
        ("GET", "/v1/nothing-here"),
    ] {
        c.req(method, path)
            .await
            .assert_error(401, "dev_browser_unauthenticated");
    }
    // A cookie is no credential on a development instance, nor is a forged JWT.
    c.cookie = Some("some-client-token".into());
    c.dev_browser = Some("eyJhbGciOiJIUzI1NiJ9.eyJkZXYiOiJkdmJfeCJ9.c2ln".into());
    c.req("GET", "/v1/client")
        .await
        .assert_error(401, "dev_browser_unauthenticated");
    // What needs no dev browser.
    c.dev_browser = None;
    for path in ["/v1/environment", "/.well-known/jwks.json", "/__mock/log"] {
        assert_eq!(c.req("GET", path).await.status, 200, "{path}");
    }
    // The 401s are logged.
    let log = c.req("GET", "/__mock/log").await.json();
    assert_eq!(log[0]["status"], 401);
    assert_eq!(log[0]["path"], "/v1/client");

    // No dev browsers on a production instance.
    let prod = server(Config::default()).await;
    Client::new(prod.addr)
        .req("POST", "/v1/dev_browser")
        .await
        .assert_error(404, "resource_not_found");
}

#[tokio::test]
async fn a_dev_browser_owns_one_client_without_cookies() {
    let srv = dev_server().await;
    let mut c = Client::new(srv.addr);
    let jwt = new_dev_browser(&mut c).await;
    assert_eq!(jwt.split('.').count(), 3);
    let dev = jwt_claims(&jwt)["dev"].as_str().unwrap().to_owned();
    assert!(dev.starts_with("dvb_"), "{dev}");
    c.dev_browser = Some(jwt.clone());

    assert_eq!(
        c.req("GET", "/v1/client").await.json(),
        json!({"response": null, "client": null})
    );
    let put = c.req("PUT", "/v1/client").await;
    assert_eq!(put.status, 200);
    assert!(
        put.set_cookie().is_none(),
        "no cookie on a development instance"
    );
    assert!(put.header("clerk-db-jwt").is_none());
    let client_id = put.json()["response"]["id"].clone();
    assert!(c.cookie.is_none());
    assert_eq!(c.current().await["id"], client_id);

    // Sign-in and tokens go to the dev browser's client.
    let sid = c.signed_in("ada", "ada-password-1").await;
    let client = c.current().await;
    assert_eq!(client["id"], client_id);
    assert_eq!(client["last_active_session_id"], sid.as_str());
    let token = c
        .req("POST", &format!("/v1/client/sessions/{sid}/tokens"))
        .await;
    assert_eq!(token.status, 200, "{}", token.text());

    // The control plane finds the caller's client through the JWT too.
    assert_eq!(
        c.req("GET", "/__mock/clients/current").await.json()["id"],
        client_id
    );
    let browsers = c.req("GET", "/__mock/dev_browsers").await.json();
    assert_eq!(browsers[0]["id"], dev.as_str());
    assert_eq!(browsers[0]["jwt"], jwt.as_str());
    assert_eq!(browsers[0]["client_id"], client_id);

    // Another dev browser has its own (no) client; a second PUT replaces the client.
    let mut other = Client::new(srv.addr);
    other.dev_browser = Some(new_dev_browser(&mut other).await);
    assert!(other.current().await.is_null());
    let replaced = c.req("PUT", "/v1/client").await.json();
    assert_ne!(replaced["response"]["id"], client_id);
    assert_eq!(c.current().await["id"], replaced["response"]["id"]);

    // DELETE leaves the dev browser without a client.
    let del = c.req("DELETE", "/v1/client").await;
    assert_eq!(del.status, 200);
    assert!(del.set_cookie().is_none());
    assert!(c.current().await.is_null());
    c.req("DELETE", "/v1/client")
        .await
        .assert_error(404, "resource_not_found");

    // A sign-in without a client makes one for the dev browser.
    c.signed_in("boss", "boss-password-1").await;
    assert_eq!(c.current().await["sessions"][0]["user"]["username"], "boss");
}

#[tokio::test]
async fn rotation_hands_a_new_jwt_in_clerk_db_jwt() {
    let srv = dev_server().await;
    let mut c = Client::new(srv.addr);
    c.origin = Some("http://localhost:5173".into());
    let old = new_dev_browser(&mut c).await;
    c.dev_browser = Some(old.clone());
    let client_id = c.req("PUT", "/v1/client").await.json()["response"]["id"].clone();

    let rotate = c
        .json("POST", "/__mock/dev_browsers/rotate", &json!({}))
        .await;
    assert_eq!(rotate.json(), json!({"rotating": 1}));
    let answer = c.req("GET", "/v1/client").await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.json()["response"]["id"], client_id);
    let new = answer
        .header("clerk-db-jwt")
        .expect("Clerk-Db-Jwt")
        .to_owned();
    assert_ne!(new, old);
    assert_eq!(jwt_claims(&new)["dev"], jwt_claims(&old)["dev"]);
    let exposed = answer.header("access-control-expose-headers").unwrap();
    assert!(exposed.contains("Clerk-Db-Jwt"), "{exposed}");

    // Until the new JWT is used, the old one works and gets the new one again.
    let again = c.req("GET", "/v1/client").await;
    assert_eq!(again.header("clerk-db-jwt"), Some(new.as_str()));
    c.dev_browser = Some(new.clone());
    let fresh = c.req("GET", "/v1/client").await;
    assert!(fresh.header("clerk-db-jwt").is_none());
    assert_eq!(fresh.json()["response"]["id"], client_id);
    c.dev_browser = Some(old);
    c.req("GET", "/v1/client")
        .await
        .assert_error(401, "dev_browser_unauthenticated");

    // Rotating an unknown dev browser: 404.
    c.json(
        "POST",
        "/__mock/dev_browsers/rotate",
        &json!({"id": "dvb_nope"}),
    )
    .await
    .assert_error(404, "resource_not_found");
}

#[tokio::test]
async fn forgotten_dev_browsers_need_a_new_one_and_reset_keeps_them() {
    let srv = dev_server().await;
    let mut c = Client::new(srv.addr);
    let jwt = new_dev_browser(&mut c).await;
    c.dev_browser = Some(jwt.clone());
    c.req("PUT", "/v1/client").await;

    // Reset: the dev browser still works, its client is gone.
    assert_eq!(c.req("POST", "/__mock/reset").await.status, 204);
    assert!(c.current().await.is_null());
    let browsers: Value = c.req("GET", "/__mock/dev_browsers").await.json();
    assert!(browsers[0]["client_id"].is_null());

    // Forgetting every dev browser: 401, then a new dev browser, then a retry succeeds.
    c.req("PUT", "/v1/client").await;
    assert_eq!(c.req("DELETE", "/__mock/dev_browsers").await.status, 204);
    c.req("GET", "/v1/client")
        .await
        .assert_error(401, "dev_browser_unauthenticated");
    c.dev_browser = None;
    let renewed = new_dev_browser(&mut c).await;
    assert_ne!(renewed, jwt);
    c.dev_browser = Some(renewed);
    assert!(
        c.current().await.is_null(),
        "a new dev browser has no client"
    );
}
