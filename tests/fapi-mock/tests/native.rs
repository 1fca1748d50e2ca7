//! Native apps (`_is_native=1`): the client token in the `Authorization` header both ways,
//! no cookie; on either instance; and the CORS that lets a page do the same.

mod common;

use common::{control_server, dev_server, server, Client};
use fapi_mock::{Config, Dialect};

#[tokio::test]
async fn the_client_token_travels_in_authorization() {
    let srv = control_server(Dialect::Current).await;
    let mut c = Client::new(srv.addr);
    c.native = true;

    // No token yet: no client, no header.
    let empty = c.req("GET", "/v1/client").await;
    assert!(empty.json()["response"].is_null());
    assert!(empty.header("authorization").is_none());

    let put = c.req("PUT", "/v1/client").await;
    assert_eq!(put.status, 200);
    assert!(put.set_cookie().is_none(), "no cookie for native clients");
    let token = put
        .header("authorization")
        .expect("Authorization")
        .to_owned();
    assert_eq!(token.len(), 40);
    let client_id = put.json()["response"]["id"].clone();

    c.authorization = Some(token.clone());
    let get = c.req("GET", "/v1/client").await;
    assert_eq!(get.json()["response"]["id"], client_id);
    assert_eq!(get.header("authorization"), Some(token.as_str()));
    c.authorization = Some(format!("Bearer {token}"));
    assert_eq!(c.current().await["id"], client_id);

    // Sign-in, session routes and tokens use the header's client.
    let sign_in = c.sign_in("ada", "ada-password-1").await;
    assert_eq!(sign_in.header("authorization"), Some(token.as_str()));
    assert_eq!(sign_in.json()["client"]["id"], client_id);
    let sid = sign_in.json()["response"]["created_session_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let touched = c
        .req("POST", &format!("/v1/client/sessions/{sid}/touch"))
        .await;
    assert_eq!(touched.status, 200);
    assert_eq!(touched.header("authorization"), Some(token.as_str()));
    assert_eq!(
        c.req("POST", &format!("/v1/client/sessions/{sid}/tokens"))
            .await
            .status,
        200
    );

    // Without `_is_native` the header is not read (a browser would send the cookie).
    c.native = false;
    assert!(c.current().await.is_null());
    c.native = true;

    // The log says what was sent; the control plane reads the header too.
    let log = c.req("GET", "/__mock/log").await.json();
    let last = log.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["has_authorization"], true);
    assert_eq!(last["has_cookie"], false);
    assert_eq!(
        c.req("GET", "/__mock/clients/current?_is_native=1")
            .await
            .json()["id"],
        client_id
    );

    // DELETE: the client is gone and no token is answered.
    let del = c.req("DELETE", "/v1/client").await;
    assert_eq!(del.status, 200);
    assert!(del.header("authorization").is_none());
    assert!(del.set_cookie().is_none());
    assert!(c.current().await.is_null());
}

#[tokio::test]
async fn a_native_sign_in_without_a_token_makes_a_client() {
    let srv = server(Config::default()).await;
    let mut c = Client::new(srv.addr);
    c.native = true;
    let resp = c.sign_in("boss", "boss-password-1").await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    assert!(resp.set_cookie().is_none());
    c.authorization = Some(resp.header("authorization").expect("token").to_owned());
    assert_eq!(c.current().await["sessions"][0]["user"]["username"], "boss");
}

#[tokio::test]
async fn native_requests_need_no_dev_browser() {
    let srv = dev_server().await;
    let mut c = Client::new(srv.addr);
    c.native = true;
    let put = c.req("PUT", "/v1/client").await;
    assert_eq!(put.status, 200, "{}", put.text());
    c.authorization = put.header("authorization").map(str::to_owned);
    assert_eq!(c.current().await["id"], put.json()["response"]["id"]);
}

#[tokio::test]
async fn cors_lets_pages_send_and_read_the_headers() {
    let srv = server(Config::default()).await;
    let mut c = Client::new(srv.addr);
    c.origin = Some("http://127.0.0.1:5173".into());
    let preflight = c
        .send(
            "OPTIONS",
            "/v1/client?_is_native=1",
            &[
                ("access-control-request-method", "GET"),
                ("access-control-request-headers", "authorization"),
            ],
            b"",
        )
        .await
        .unwrap();
    assert_eq!(preflight.status, 204);
    assert_eq!(
        preflight.header("access-control-allow-headers"),
        Some("authorization")
    );
    c.native = true;
    let answer = c.req("PUT", "/v1/client").await;
    let exposed: Vec<&str> = answer
        .header("access-control-expose-headers")
        .unwrap()
        .split(", ")
        .collect();
    for name in [
        "Authorization",
        "Clerk-Db-Jwt",
        "Retry-After",
        "X-Clerk-Trace-Id",
    ] {
        assert!(exposed.contains(&name), "{exposed:?}");
    }
}
