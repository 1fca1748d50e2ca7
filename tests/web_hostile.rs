//! The hostile corpus (`tests/data/hostile/`) through the real browser path: each bad
//! answer is served by `fapi-mock` (a `fault` with the case's raw body, status and content
//! type) to a signed-in `ClientManager` in headless Chromium. The refresh must reach the
//! manifest's outcome (a `FapiError` of the kind given, or the documented reading), keep
//! the last good client object on errors (`Object.is`), and a good refresh afterwards works.
//! One test per group of cases; a failure names every failing case.
#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

#[path = "data/hostile/corpus.rs"]
mod corpus;
#[path = "data/hostile/large.rs"]
#[allow(dead_code)]
mod large;

use js_sys::Object;
use serde_json::{json, Value};
use support::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const MANIFEST: &str = include_str!("data/hostile/manifest.json");
const BASE: &str = include_str!("data/hostile/base/current.json");
const BOSS: (&str, &str) = ("boss@clerk.dev", "boss-password-1");

/// Standard base64 with padding, for bodies that are not UTF-8 (the mock's `body_base64`).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &b)| acc | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn body(case: &Value) -> Vec<u8> {
    if let Some(file) = case["file"].as_str() {
        let (_, bytes) = corpus::FILES
            .iter()
            .find(|(f, _)| *f == file)
            .unwrap_or_else(|| panic!("{file} is not in corpus.rs"));
        return bytes.to_vec();
    }
    let id = case["generator"].as_str().unwrap();
    large::body(id, BASE).unwrap_or_else(|| panic!("unknown generator {id}"))
}

/// The fault that serves `case` to the next GET /v1/client.
fn fault_spec(case: &Value) -> String {
    let body = body(case);
    let mut spec = json!({
        "method": "GET",
        "path": "/v1/client",
        "status": case["status"],
        "content_type": case["content_type"],
    });
    match String::from_utf8(body) {
        Ok(text) => spec["body"] = json!(text),
        Err(e) => spec["body_base64"] = json!(base64(e.as_bytes())),
    }
    spec.to_string()
}

/// What the snapshot shows, under the manifest's check names (`None`: native-only check).
fn observe(snapshot: &JsValue, key: &str) -> Option<Value> {
    let client = get(snapshot, "client");
    let present = |v: &JsValue| !v.is_null() && !v.is_undefined();
    // The `id` of an object, `null` for no object or no string id.
    let id = |v: &JsValue| match get(v, "id").as_string() {
        Some(id) if present(v) => Value::String(id),
        _ => Value::Null,
    };
    Some(match key {
        "client" => id(&client),
        "sessions" => {
            let sessions = get(&client, "sessions");
            json!(if present(&client) && js_sys::Array::is_array(&sessions) {
                js_sys::Array::from(&sessions).length()
            } else {
                0
            })
        }
        "session" => id(&get(snapshot, "session")),
        "signed_in" => json!(get(snapshot, "isSignedIn") == JsValue::TRUE),
        "user" => id(&get(snapshot, "user")),
        "has_user" => json!(present(&get(snapshot, "user"))),
        _ => return None,
    })
}

fn error_text(e: &JsValue) -> String {
    format!(
        "{} {:?}: {}",
        text(e, "kind"),
        get(e, "status").as_f64(),
        text(e, "message")
    )
}

/// Runs one case on a fresh manager (the browser already holds a signed-in cookie).
async fn run(case: &Value) -> Result<(), String> {
    let name = case["name"].as_str().unwrap_or_default();
    let fail = |what: String| Err(format!("{name}: {what}"));
    let m = manager_with(&[
        ("maxRetries", JsValue::from(0)),
        ("revalidateOnFocus", JsValue::FALSE),
        ("revalidateOnVisible", JsValue::FALSE),
        ("revalidateOnOnline", JsValue::FALSE),
        ("revalidateOnPageShow", JsValue::FALSE),
    ])
    .unwrap();
    let good = match settle(m.load()).await {
        Ok(s) if get(&s, "isSignedIn") == JsValue::TRUE => s,
        other => return fail(format!("the good load failed: {other:?}")),
    };
    let good_id = path(&good, &["client", "id"]).as_string();
    fault(&fault_spec(case)).await;
    let outcome = settle(m.refresh()).await;
    let snap = m.get_snapshot();
    let expect = case["expect"].as_str().unwrap_or_default();
    if let Some(kind) = expect.strip_prefix("error:") {
        let e = match outcome {
            Err(e) => e,
            Ok(_) => return fail(format!("no error; expected {kind}")),
        };
        let status = case["status"].as_f64();
        if text(&e, "kind") != kind || get(&e, "status").as_f64() != status {
            return fail(format!(
                "expected {kind} {status:?}, got {}",
                error_text(&e)
            ));
        }
        if !Object::is(&get(&snap, "client"), &get(&good, "client")) {
            return fail("the client object changed".into());
        }
        if text(&snap, "status") != "ready" || get(&snap, "isSignedIn") != JsValue::TRUE {
            return fail(format!(
                "not ready and signed in: {}",
                text(&snap, "status")
            ));
        }
        if text(&get(&snap, "error"), "kind") != kind {
            return fail("the snapshot does not carry the error".into());
        }
    } else {
        if let Err(e) = outcome {
            return fail(format!(
                "expected a graceful reading, got {}",
                error_text(&e)
            ));
        }
        if !get(&snap, "error").is_null() || text(&snap, "status") != "ready" {
            return fail("an error stays in the snapshot".into());
        }
        for (key, wanted) in case["check"].as_object().into_iter().flatten() {
            if let Some(seen) = observe(&snap, key) {
                if &seen != wanted {
                    return fail(format!("check {key}: expected {wanted}, saw {seen}"));
                }
            }
        }
    }
    let after = match settle(m.refresh()).await {
        Ok(s) => s,
        Err(e) => return fail(format!("the good refresh failed: {}", error_text(&e))),
    };
    if get(&after, "isSignedIn") != JsValue::TRUE
        || path(&after, &["client", "id"]).as_string() != good_id
        || !get(&after, "error").is_null()
    {
        return fail("the good refresh did not restore the signed-in client".into());
    }
    m.dispose();
    Ok(())
}

/// Runs every case of `group` the browser can serve (no `browser_skip`, no `known_bug`).
async fn run_group(group: &str) {
    reset().await;
    sign_in(BOSS.0, BOSS.1).await;
    let manifest: Value = serde_json::from_str(MANIFEST).unwrap();
    let cases: Vec<&Value> = manifest["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["group"] == group)
        .collect();
    assert!(!cases.is_empty(), "no case in group {group}");
    let mut failures = Vec::new();
    let mut ran = 0;
    for case in &cases {
        if case.get("browser_skip").is_some() || case.get("known_bug").is_some() {
            continue;
        }
        ran += 1;
        if let Err(e) = run(case).await {
            failures.push(e);
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {ran} cases in {group} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(ran > 0, "every case of {group} was skipped");
}

#[wasm_bindgen_test]
async fn hostile_truncated() {
    run_group("truncated").await;
}

#[wasm_bindgen_test]
async fn hostile_syntax() {
    run_group("syntax").await;
}

#[wasm_bindgen_test]
async fn hostile_not_json() {
    run_group("not-json").await;
}

#[wasm_bindgen_test]
async fn hostile_encoding() {
    run_group("encoding").await;
}

#[wasm_bindgen_test]
async fn hostile_envelope() {
    run_group("envelope").await;
}

#[wasm_bindgen_test]
async fn hostile_client() {
    run_group("client").await;
}

#[wasm_bindgen_test]
async fn hostile_session() {
    run_group("session").await;
}

#[wasm_bindgen_test]
async fn hostile_timestamps() {
    run_group("timestamps").await;
}

#[wasm_bindgen_test]
async fn hostile_user() {
    run_group("user").await;
}

#[wasm_bindgen_test]
async fn hostile_duplicate_keys() {
    run_group("duplicate-keys").await;
}

#[wasm_bindgen_test]
async fn hostile_errors_200() {
    run_group("errors-200").await;
}

#[wasm_bindgen_test]
async fn hostile_http() {
    run_group("http").await;
}

#[wasm_bindgen_test]
async fn hostile_status_and_type() {
    run_group("status-and-type").await;
}

#[wasm_bindgen_test]
async fn hostile_large() {
    run_group("large").await;
}
