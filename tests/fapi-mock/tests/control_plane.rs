//! The `/__mock/` control plane, fault injection, the request log, CORS and static files.

mod common;

use std::time::{Duration, Instant};

use common::{control_server, cors_headers, server, Client};
use fapi_mock::{Config, Dialect};
use serde_json::{json, Value};

async fn add_fault(c: &mut Client, fault: Value) -> u64 {
    let resp = c.json("POST", "/__mock/faults", &fault).await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    resp.json()["id"].as_u64().expect("fault id")
}

async fn log(c: &mut Client) -> Vec<Value> {
    let resp = c.req("GET", "/__mock/log").await;
    assert_eq!(resp.status, 200);
    resp.json().as_array().expect("array").clone()
}

#[tokio::test]
async fn control_plane_is_off_without_the_flag() {
    let srv = server(Config::default()).await;
    let mut c = Client::new(srv.addr);
    for (method, path) in [
        ("POST", "/__mock/reset"),
        ("GET", "/__mock/log"),
        ("POST", "/__mock/faults"),
        ("GET", "/__mock/clients/current"),
    ] {
        assert_eq!(c.req(method, path).await.status, 404, "{method} {path}");
    }
}

#[tokio::test]
async fn reset_clears_clients_faults_and_log() {
    let srv = control_server(Dialect::Current).await;
    let mut c = Client::new(srv.addr);
    c.signed_in("ada", "ada-password-1").await;
    add_fault(&mut c, json!({"path": "/v1/client", "status": 500})).await;
    assert_eq!(c.req("POST", "/__mock/reset").await.status, 204);
    assert!(log(&mut c).await.is_empty());
    assert_eq!(c.req("GET", "/__mock/faults").await.json(), json!([]));
    let resp = c.req("GET", "/v1/client").await;
    assert_eq!(resp.status, 200, "the fault is gone");
    assert!(resp.json()["response"].is_null(), "the client is gone");
}

#[tokio::test]
async fn sessions_created_elsewhere_and_current_client() {
    let srv = control_server(Dialect::Seed).await;
    let mut c = Client::new(srv.addr);
    assert_eq!(
        c.req("GET", "/__mock/clients/current").await.json(),
        Value::Null
    );
    let client_id = c.req("PUT", "/v1/client").await.json()["response"]["id"].clone();
    let before = c.req("GET", "/v1/client").await;
    let created = c
        .json(
            "POST",
            "/__mock/sessions",
            &json!({"client_id": client_id, "identifier": "ada@example.com"}),
        )
        .await;
    assert_eq!(created.status, 200, "{}", created.text());
    let session = created.json();
    assert_eq!(session["object"], "session");
    assert_eq!(session["status"], "active");
    assert_eq!(session["user"]["first_name"], "Ada");
    assert!(
        session["created_at"].as_i64().unwrap() < 10_000_000_000,
        "seed: seconds"
    );
    let after = c.req("GET", "/v1/client").await;
    assert_ne!(after.body, before.body);
    assert_eq!(
        after.json()["response"]["last_active_session_id"],
        session["id"]
    );
    // Without client_id, the cookie's client is used.
    let second = c
        .json("POST", "/__mock/sessions", &json!({"identifier": "boss"}))
        .await
        .json();
    let current = c.req("GET", "/__mock/clients/current").await.json();
    assert_eq!(current["last_active_session_id"], second["id"]);
    assert_eq!(current["sessions"].as_array().unwrap().len(), 2);
    let by_id = c
        .req(
            "GET",
            &format!("/__mock/clients/{}", client_id.as_str().unwrap()),
        )
        .await
        .json();
    assert_eq!(by_id, current);

    // Errors.
    c.json(
        "POST",
        "/__mock/sessions",
        &json!({"client_id": "client_nope", "identifier": "ada"}),
    )
    .await
    .assert_error(404, "resource_not_found");
    c.json("POST", "/__mock/sessions", &json!({"identifier": "nobody"}))
        .await
        .assert_error(422, "form_identifier_not_found");
    c.json(
        "POST",
        "/__mock/sessions/sess_nope",
        &json!({"status": "revoked"}),
    )
    .await
    .assert_error(404, "resource_not_found");
    let sid = second["id"].as_str().unwrap();
    c.json(
        "POST",
        &format!("/__mock/sessions/{sid}"),
        &json!({"status": "weird"}),
    )
    .await
    .assert_error(422, "form_param_format_invalid");
    c.json(
        "POST",
        &format!("/__mock/sessions/{sid}"),
        &json!({"bogus": 1}),
    )
    .await
    .assert_error(400, "malformed_request");
}

#[tokio::test]
async fn patching_a_session_bumps_the_client() {
    let srv = control_server(Dialect::Current).await;
    let mut c = Client::new(srv.addr);
    let sid = c.signed_in("ada", "ada-password-1").await;
    let before = c.current().await;
    for status in ["pending", "replaced", "ended", "removed", "active"] {
        let patched = c
            .json(
                "POST",
                &format!("/__mock/sessions/{sid}"),
                &json!({"status": status}),
            )
            .await
            .json();
        assert_eq!(patched["status"], status);
    }
    let pending = c
        .json(
            "POST",
            &format!("/__mock/sessions/{sid}"),
            &json!({"status": "pending"}),
        )
        .await
        .json();
    assert_eq!(pending["tasks"][0]["key"], "choose-organization");
    let after = c.current().await;
    assert!(after["updated_at"].as_i64() >= before["updated_at"].as_i64());
    assert_eq!(after["sessions"][0]["updated_at"], after["updated_at"]);
    assert_eq!(
        after["sessions"][0]["last_active_token"], before["sessions"][0]["last_active_token"],
        "only creation and touch mint tokens"
    );
}

#[tokio::test]
async fn fault_status_with_retry_after_and_count() {
    let srv = control_server(Dialect::Current).await;
    let mut c = Client::new(srv.addr);
    let id = add_fault(
        &mut c,
        json!({"method": "GET", "path": "/v1/client", "status": 429, "retry_after": "2", "count": 2}),
    )
    .await;
    // Other paths and methods are not affected.
    assert_eq!(c.req("PUT", "/v1/client").await.status, 200);
    for _ in 0..2 {
        let resp = c.req("GET", "/v1/client").await;
        resp.assert_error(429, "too_many_requests");
        assert_eq!(resp.header("retry-after"), Some("2"));
    }
    assert_eq!(
        c.req("GET", "/v1/client").await.status,
        200,
        "count consumed"
    );
    let entries = log(&mut c).await;
    let faulted: Vec<u64> = entries
        .iter()
        .filter(|e| e["fault"] == true)
        .map(|e| e["fault_id"].as_u64().unwrap())
        .collect();
    assert_eq!(faulted, [id, id]);
}

#[tokio::test]
async fn faults_are_consumed_in_order_and_match_the_effective_method() {
    let srv = control_server(Dialect::Current).await;
    let mut c = Client::new(srv.addr);
    add_fault(&mut c, json!({"status": 500})).await;
    add_fault(&mut c, json!({"status": 503, "count": 1})).await;
    add_fault(
        &mut c,
        json!({"method": "DELETE", "path": "/v1/client", "status": 502}),
    )
    .await;
    assert_eq!(
        c.req("GET", "/__mock/faults")
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        3
    );
    c.req("GET", "/v1/client")
        .await
        .assert_error(500, "internal_clerk_error");
    c.req("PUT", "/v1/client")
        .await
        .assert_error(503, "internal_clerk_error");
    assert_eq!(c.req("PUT", "/v1/client").await.status, 200);
    // The DELETE fault matches an overridden POST.
    let resp = c.req("POST", "/v1/client?_method=DELETE").await;
    assert_eq!(resp.status, 502);
    assert!(c.cookie.is_some(), "the real handler did not run");
    assert_eq!(c.req("GET", "/__mock/faults").await.json(), json!([]));
    assert_eq!(c.req("DELETE", "/__mock/faults").await.status, 204);

    // Bad definitions are refused.
    for status in [5000, 101] {
        c.json("POST", "/__mock/faults", &json!({ "status": status }))
            .await
            .assert_error(400, "invalid_fault");
    }
    c.json("POST", "/__mock/faults", &json!({"stauts": 500}))
        .await
        .assert_error(400, "malformed_request");
    c.json(
        "POST",
        "/__mock/faults",
        &json!({"headers": {"bad name": "x"}}),
    )
    .await
    .assert_error(400, "invalid_fault");
}

#[tokio::test]
async fn fault_raw_body_and_headers() {
    let srv = control_server(Dialect::Current).await;
    let mut c = Client::new(srv.addr);
    add_fault(
        &mut c,
        json!({"path": "/v1/client", "body": "<html>bad gateway</html>", "content_type": "text/html",
               "status": 502, "headers": {"x-extra": "1"}}),
    )
    .await;
    let resp = c.req("GET", "/v1/client").await;
    assert_eq!(resp.status, 502);
    assert_eq!(resp.text(), "<html>bad gateway</html>");
    assert_eq!(resp.header("content-type"), Some("text/html"));
    assert_eq!(resp.header("x-extra"), Some("1"));

    add_fault(&mut c, json!({"body": "{\"response\": "})).await;
    let resp = c.req("GET", "/v1/client").await;
    assert_eq!(resp.status, 200);
    assert_eq!(resp.text(), "{\"response\": ");
    assert_eq!(resp.header("content-type"), Some("application/json"));

    // Bytes that are not UTF-8 travel as base64.
    add_fault(&mut c, json!({"body_base64": "/wB7fQ=="})).await;
    let resp = c.req("GET", "/v1/client").await;
    assert_eq!(&resp.body[..], b"\xff\x00{}");
    assert_eq!(resp.header("content-type"), Some("application/json"));
    for bad in [
        json!({"body_base64": "*"}),
        json!({"body": "", "body_base64": ""}),
    ] {
        c.json("POST", "/__mock/faults", &bad)
            .await
            .assert_error(400, "invalid_fault");
    }

    // Big bodies are accepted (up to 16 MB).
    let big = "x".repeat(5 << 20);
    add_fault(&mut c, json!({"body": big})).await;
    assert_eq!(c.req("GET", "/v1/client").await.body.len(), 5 << 20);
}

#[tokio::test]
async fn fault_drop_is_a_transport_error() {
    let srv = control_server(Dialect::Current).await;
    let mut c = Client::new(srv.addr);
    add_fault(&mut c, json!({"path": "/v1/client", "drop": true})).await;
    let result = c.send("GET", "/v1/client", &[], b"").await;
    assert!(
        result.is_err(),
        "expected a transport error, got {result:?}"
    );
    assert_eq!(c.req("GET", "/v1/client").await.status, 200);
    let entries = log(&mut c).await;
    assert_eq!(entries[0]["dropped"], true);
    assert!(entries[0]["status"].is_null());
    assert_eq!(entries[1]["status"], 200);
}

#[tokio::test]
async fn fault_drop_after_the_real_handler_changes_state() {
    let srv = control_server(Dialect::Current).await;
    let mut c = Client::new(srv.addr);
    c.req("PUT", "/v1/client").await;
    add_fault(
        &mut c,
        json!({"path": "/v1/client/sign_ins", "drop": true, "pass_through": true}),
    )
    .await;
    let result = c
        .send(
            "POST",
            "/v1/client/sign_ins",
            &[],
            b"strategy=password&identifier=ada&password=ada-password-1",
        )
        .await;
    assert!(result.is_err());
    assert_eq!(c.current().await["sessions"][0]["status"], "active");
}

#[tokio::test]
async fn fault_status_over_a_real_answer() {
    let srv = control_server(Dialect::Current).await;
    let mut c = Client::new(srv.addr);
    add_fault(
        &mut c,
        json!({"method": "PUT", "status": 500, "pass_through": true}),
    )
    .await;
    let resp = c.req("PUT", "/v1/client").await;
    assert_eq!(resp.status, 500);
    assert_eq!(resp.json()["response"]["object"], "client");
    assert!(c.cookie.is_some(), "the real handler set the cookie");
    assert!(!c.current().await.is_null());
}

#[tokio::test]
async fn fault_delay_passes_through_slowly() {
    let srv = control_server(Dialect::Current).await;
    let mut c = Client::new(srv.addr);
    add_fault(
        &mut c,
        json!({"path": "/v1/client", "method": "PUT", "delay_ms": 300}),
    )
    .await;
    let addr = srv.addr;
    let slow = tokio::spawn(async move {
        let mut other = Client::new(addr);
        let started = Instant::now();
        let resp = other.req("PUT", "/v1/client").await;
        (started.elapsed(), resp.status, other.cookie.is_some())
    });
    // While the slow request is held, the server answers others and logs it in flight.
    loop {
        let entries = log(&mut c).await;
        if let Some(entry) = entries.iter().find(|e| e["method"] == "PUT") {
            assert!(entry["status"].is_null(), "still in flight: {entry}");
            assert_eq!(entry["fault"], true);
            break;
        }
        tokio::task::yield_now().await;
    }
    assert_eq!(c.req("GET", "/v1/client").await.status, 200);
    let (elapsed, status, got_cookie) = slow.await.unwrap();
    assert!(elapsed >= Duration::from_millis(300), "{elapsed:?}");
    assert_eq!(status, 200);
    assert!(got_cookie, "the real handler ran");
    let entries = log(&mut c).await;
    let put = entries.iter().find(|e| e["method"] == "PUT").unwrap();
    assert_eq!(put["status"], 200);
    assert_eq!(put["fault"], true);
}

#[tokio::test]
async fn the_log_records_api_requests_only() {
    let dir = static_dir("log");
    let srv = server(Config {
        control: true,
        static_dir: Some(dir.clone()),
        ..Config::default()
    })
    .await;
    let mut c = Client::new(srv.addr);
    c.origin = Some("http://localhost:5173".into());
    c.req("GET", "/v1/client").await;
    c.req("POST", "/v1/client?_method=PUT").await;
    c.req("GET", "/index.html").await;
    c.send(
        "OPTIONS",
        "/v1/client",
        &[("access-control-request-method", "PUT")],
        b"",
    )
    .await
    .unwrap();
    c.req("GET", "/v1/client").await;
    let entries = log(&mut c).await;
    assert_eq!(entries.len(), 3, "{entries:?}");
    let first = &entries[0];
    assert_eq!(first["method"], "GET");
    assert_eq!(first["raw_method"], "GET");
    assert_eq!(first["path"], "/v1/client");
    assert!(first["query"].is_null());
    assert_eq!(first["has_cookie"], false);
    assert_eq!(first["origin"], "http://localhost:5173");
    assert_eq!(first["status"], 200);
    assert_eq!(first["fault"], false);
    assert_eq!(first["preflight"], false);
    assert!(first["at_ms"].as_i64().unwrap() > 1_000_000_000_000);
    let second = &entries[1];
    assert_eq!(second["method"], "PUT");
    assert_eq!(second["raw_method"], "POST");
    assert_eq!(second["query"], "_method=PUT");
    assert_eq!(entries[2]["has_cookie"], true);
    let seqs: Vec<u64> = entries.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]));

    let with_preflight = c
        .req("GET", "/__mock/log?include_preflight=true")
        .await
        .json();
    let preflights: Vec<&Value> = with_preflight
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["preflight"] == true)
        .collect();
    assert_eq!(preflights.len(), 1);
    assert_eq!(preflights[0]["method"], "OPTIONS");
    assert_eq!(preflights[0]["status"], 204);

    assert_eq!(c.req("DELETE", "/__mock/log").await.status, 204);
    assert!(log(&mut c).await.is_empty());
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn cors_for_loopback_and_allowed_origins_only() {
    let srv = server(Config {
        control: true,
        allow_origins: vec!["https://app.example".into()],
        ..Config::default()
    })
    .await;
    let mut c = Client::new(srv.addr);
    for origin in [
        "http://127.0.0.1:5173",
        "http://localhost:8080",
        "http://[::1]:3000",
        "https://localhost:8443",
        "https://app.example",
    ] {
        c.origin = Some(origin.into());
        let resp = c.req("GET", "/v1/client").await;
        assert_eq!(resp.header("access-control-allow-origin"), Some(origin));
        assert_eq!(
            resp.header("access-control-allow-credentials"),
            Some("true")
        );
        assert_eq!(
            resp.header("access-control-expose-headers"),
            Some("Retry-After, Date, X-Clerk-Trace-Id, Clerk-Db-Jwt, Authorization")
        );
        assert_eq!(resp.header("vary"), Some("Origin"));
        // The control plane too.
        let log = c.req("GET", "/__mock/log").await;
        assert_eq!(log.header("access-control-allow-origin"), Some(origin));
    }
    for origin in [
        "http://evil.example",
        "http://localhost.evil.example",
        "null",
    ] {
        c.origin = Some(origin.into());
        let resp = c.req("GET", "/v1/client").await;
        assert_eq!(resp.status, 200);
        assert!(cors_headers(&resp.headers).is_empty(), "{origin}");
    }
}

#[tokio::test]
async fn preflights() {
    let srv = server(Config {
        control: true,
        ..Config::default()
    })
    .await;
    let mut c = Client::new(srv.addr);
    c.origin = Some("http://127.0.0.1:9999".into());
    for path in [
        "/v1/client",
        "/v1/client/sessions/sess_x/touch",
        "/__mock/faults",
    ] {
        let resp = c
            .send(
                "OPTIONS",
                path,
                &[
                    ("access-control-request-method", "PUT"),
                    ("access-control-request-headers", "content-type,x-custom"),
                ],
                b"",
            )
            .await
            .unwrap();
        assert_eq!(resp.status, 204, "{path}");
        assert_eq!(
            resp.header("access-control-allow-origin"),
            Some("http://127.0.0.1:9999")
        );
        assert_eq!(
            resp.header("access-control-allow-credentials"),
            Some("true")
        );
        assert_eq!(
            resp.header("access-control-allow-methods"),
            Some("GET, POST, PUT, PATCH, DELETE, OPTIONS")
        );
        assert_eq!(
            resp.header("access-control-allow-headers"),
            Some("content-type,x-custom")
        );
        assert!(resp.header("access-control-max-age").is_some());
    }
    c.origin = Some("https://evil.example".into());
    let resp = c
        .send(
            "OPTIONS",
            "/v1/client",
            &[("access-control-request-method", "PUT")],
            b"",
        )
        .await
        .unwrap();
    assert!(cors_headers(&resp.headers).is_empty());
}

/// A fresh directory with a few files for static serving.
fn static_dir(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "fapi-mock-static-{tag}-{}-{}",
        std::process::id(),
        fapi_mock::ids::random_base62(8)
    ));
    std::fs::create_dir_all(dir.join("pkg")).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html><p>demo</p>").unwrap();
    std::fs::write(dir.join("pkg/app.js"), "export const x = 1;").unwrap();
    std::fs::write(dir.join("pkg/app_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    dir
}

#[tokio::test]
async fn static_files_share_the_origin() {
    let dir = static_dir("serve");
    let srv = server(Config {
        static_dir: Some(dir.clone()),
        ..Config::default()
    })
    .await;
    let mut c = Client::new(srv.addr);
    let index = c.req("GET", "/").await;
    assert_eq!(index.status, 200);
    assert_eq!(index.text(), "<!doctype html><p>demo</p>");
    assert!(index
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    let js = c.req("GET", "/pkg/app.js").await;
    assert_eq!(js.header("content-type"), Some("text/javascript"));
    let wasm = c.req("GET", "/pkg/app_bg.wasm").await;
    assert_eq!(wasm.header("content-type"), Some("application/wasm"));
    assert_eq!(&wasm.body[..], b"\0asm\x01\0\0\0");
    assert_eq!(c.req("GET", "/missing.js").await.status, 404);
    assert_eq!(c.req("GET", "/../etc/passwd").await.status, 404);
    assert_eq!(
        c.req("GET", "/v1/client").await.status,
        200,
        "the API still answers"
    );
    assert_eq!(
        c.req("GET", "/__mock/log").await.status,
        404,
        "no control plane"
    );
    let _ = std::fs::remove_dir_all(dir);
}
