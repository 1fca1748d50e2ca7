//! `--proxy-path`: the Frontend API under a path of the app's own origin, as well as at the
//! root; static files beside it.

mod common;

use common::{jwks_key, new_dev_browser, server, verify_token, Client};
use fapi_mock::{Config, Instance};
use serde_json::json;

fn static_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "fapi-mock-proxy-{}-{}",
        std::process::id(),
        fapi_mock::ids::random_base62(8)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html><p>app</p>").unwrap();
    dir
}

#[tokio::test]
async fn the_api_answers_under_the_proxy_path_and_at_the_root() {
    let dir = static_dir();
    let srv = server(Config {
        control: true,
        static_dir: Some(dir.clone()),
        proxy_path: Some("/__clerk".into()),
        ..Config::default()
    })
    .await;
    let mut c = Client::new(srv.addr);
    assert_eq!(c.req("GET", "/").await.text(), "<!doctype html><p>app</p>");

    let put = c.req("POST", "/__clerk/v1/client?_method=PUT").await;
    assert_eq!(put.status, 200);
    assert!(put.set_cookie().unwrap().contains("Path=/"));
    let client_id = put.json()["response"]["id"].clone();
    assert_eq!(c.current().await["id"], client_id, "the root sees it too");
    let sid = c.signed_in("ada", "ada-password-1").await;

    // The key set under the prefix verifies a token minted under it.
    let token = c
        .req("POST", &format!("/__clerk/v1/client/sessions/{sid}/tokens"))
        .await
        .json();
    let set = c.req("GET", "/__clerk/.well-known/jwks.json").await;
    assert_eq!(set.status, 200);
    let (key, kid) = jwks_key(&mut c).await;
    assert_eq!(set.json()["keys"][0]["kid"], kid.as_str());
    verify_token(token["jwt"].as_str().unwrap(), &key, &kid, &srv.base_url()).unwrap();

    // Faults match the unprefixed path; the log keeps both.
    c.json(
        "POST",
        "/__mock/faults",
        &json!({"path": "/v1/client", "status": 503}),
    )
    .await;
    assert_eq!(c.req("GET", "/__clerk/v1/client").await.status, 503);
    let log = c.req("GET", "/__mock/log").await.json();
    let last = log.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["path"], "/v1/client");
    assert_eq!(last["raw_path"], "/__clerk/v1/client");
    assert_eq!(log[0]["raw_path"], "/__clerk/v1/client");

    // Only the Frontend API is under the prefix.
    assert_eq!(c.req("GET", "/__clerk/__mock/log").await.status, 404);
    assert_eq!(c.req("GET", "/__clerk/index.html").await.status, 404);
    assert_eq!(c.req("GET", "/__clerkv1/client").await.status, 404);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn dev_browsers_work_through_the_proxy_path() {
    let srv = server(Config {
        instance: Instance::Development,
        proxy_path: Some("/api/clerk".into()),
        ..Config::default()
    })
    .await;
    let mut c = Client::new(srv.addr);
    let resp = c.req("POST", "/api/clerk/v1/dev_browser").await;
    assert_eq!(resp.status, 200);
    c.dev_browser = Some(resp.json()["id"].as_str().unwrap().to_owned());
    let put = c.req("PUT", "/api/clerk/v1/client").await.json();
    assert_eq!(c.current().await["id"], put["response"]["id"]);
    assert_ne!(
        new_dev_browser(&mut c).await,
        c.dev_browser.clone().unwrap()
    );
}
