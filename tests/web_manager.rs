//! `ClientManager` in headless Chromium against `fapi-mock`, cross-origin with the
//! browser's cookie: every method, events, structural sharing, errors and disposal.
#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use js_sys::{Array, Function, Object};
use support::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const BOSS: (&str, &str) = ("boss@clerk.dev", "boss-password-1");

fn no_retries() -> fapi_session::web::manager::ClientManager {
    manager_with(&[("maxRetries", JsValue::from(0))]).unwrap()
}

fn snapshot_id(snapshot: &JsValue) -> String {
    path(snapshot, &["client", "id"])
        .as_string()
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn load_without_cookie_is_ready_and_empty() {
    reset().await;
    let m = manager();
    let idle = m.get_snapshot();
    assert_eq!(text(&idle, "status"), "idle");
    let (listener, seen) = recorder();
    m.subscribe(listener);
    let snap = ok(m.load()).await;
    assert_eq!(text(&snap, "status"), "ready");
    assert!(get(&snap, "client").is_null());
    assert!(get(&snap, "session").is_null());
    assert_eq!(get(&snap, "isSignedIn"), JsValue::FALSE);
    let statuses: Vec<String> = seen.iter().map(|s| text(&s, "status")).collect();
    assert_eq!(statuses, ["loading", "ready"]);
    assert!(Object::is_frozen(snap.unchecked_ref::<Object>()));
    // A second load() answers from the cache: no request, same snapshot object.
    let before = count("GET", "/v1/client").await;
    let again = ok(m.load()).await;
    assert!(Object::is(&again, &snap));
    assert_eq!(count("GET", "/v1/client").await, before);
}

#[wasm_bindgen_test]
async fn cookie_lifecycle_create_reload_destroy() {
    reset().await;
    let m = manager();
    ok(m.load()).await;
    let created = ok(m.create()).await;
    let id = snapshot_id(&created);
    assert!(id.starts_with("client_"), "{id}");
    assert_eq!(text(&created, "cause"), "create");
    // A new manager (a page reload) finds the same client through the cookie.
    let reloaded = manager();
    assert_eq!(snapshot_id(&ok(reloaded.load()).await), id);
    let destroyed = ok(reloaded.destroy()).await;
    assert!(get(&destroyed, "client").is_null());
    assert!(get(&destroyed, "user").is_null());
    assert_eq!(text(&destroyed, "cause"), "destroy");
    let after = manager();
    assert!(get(&ok(after.load()).await, "client").is_null());
    // Without the override the real methods are sent (with a CORS preflight).
    let plain = manager_with(&[("methodOverride", JsValue::FALSE)]).unwrap();
    ok(plain.create()).await;
    let entries = log().await;
    let last = entries.last().unwrap();
    assert_eq!(text(last, "raw_method"), "PUT");
    ok(plain.destroy()).await;
}

#[wasm_bindgen_test]
async fn sign_in_then_refresh_shows_session_and_user() {
    reset().await;
    let m = manager();
    ok(m.load()).await;
    sign_in(BOSS.0, BOSS.1).await;
    let snap = ok(m.refresh()).await;
    assert_eq!(get(&snap, "isSignedIn"), JsValue::TRUE);
    assert_eq!(text(&get(&snap, "user"), "first_name"), "Boss");
    let session = get(&snap, "session");
    assert_eq!(text(&session, "status"), "active");
    assert!(Object::is(&get(&session, "user"), &get(&snap, "user")));
    assert_eq!(
        text(&get(&snap, "client"), "last_active_session_id"),
        text(&session, "id")
    );
    // Wire shape: snake_case keys kept, frozen all the way down.
    let user = get(&snap, "user");
    assert!(Object::is_frozen(user.unchecked_ref::<Object>()));
    assert!(!get(&user, "email_addresses").is_undefined());
}

#[wasm_bindgen_test]
async fn revocation_on_the_server_signs_out_on_refresh() {
    reset().await;
    let m = manager();
    sign_in(BOSS.0, BOSS.1).await;
    let snap = ok(m.load()).await;
    let sid = text(&get(&snap, "session"), "id");
    control(&format!("sessions/{sid}"), r#"{"status":"revoked"}"#).await;
    let after = ok(m.refresh()).await;
    assert_eq!(get(&after, "isSignedIn"), JsValue::FALSE);
    assert!(get(&after, "session").is_null());
    assert!(!get(&after, "client").is_null(), "the client stays");
}

#[wasm_bindgen_test]
async fn events_once_per_change_and_unchanged_parts_keep_identity() {
    reset().await;
    let m = manager();
    let signed = sign_in(BOSS.0, BOSS.1).await;
    let client_id = path(&signed, &["client", "id"]).as_string().unwrap();
    let first = ok(m.load()).await;
    let (listener, seen) = recorder();
    m.subscribe(listener);
    // Identical answer: no event, same snapshot object.
    let same = ok(m.refresh()).await;
    assert!(Object::is(&same, &first));
    assert_eq!(seen.length(), 0);
    // Someone signs in elsewhere on this client: one event; Boss's session and user keep
    // their identity.
    let body = format!(r#"{{"client_id":"{client_id}","identifier":"ada@example.com"}}"#);
    control("sessions", &body).await;
    let changed = ok(m.refresh()).await;
    assert_eq!(seen.length(), 1);
    assert!(Object::is(&seen.get(0), &changed));
    assert_eq!(text(&get(&changed, "user"), "first_name"), "Ada");
    let boss_before = get(&first, "session");
    let sessions = Array::from(&path(&changed, &["client", "sessions"]));
    let boss_after = sessions
        .iter()
        .find(|s| text(s, "id") == text(&boss_before, "id"))
        .unwrap();
    assert!(
        Object::is(&boss_after, &boss_before),
        "unchanged session reused"
    );
    assert!(Object::is(&get(&boss_after, "user"), &get(&first, "user")));
    assert_eq!(
        get(&changed, "version").as_f64().unwrap(),
        get(&first, "version").as_f64().unwrap() + 1.0
    );
}

#[wasm_bindgen_test]
async fn throwing_listener_does_not_stop_the_others() {
    reset().await;
    let m = manager();
    let thrower = Function::new_with_args("s", "throw new Error('listener bug')");
    m.subscribe(thrower);
    let (listener, seen) = recorder();
    m.subscribe(listener);
    ok(m.load()).await;
    assert_eq!(seen.length(), 2, "loading and ready both delivered");
}

#[wasm_bindgen_test]
async fn unsubscribing_during_an_event() {
    reset().await;
    let m = manager();
    let (late, late_seen) = recorder();
    let ids = Array::new();
    // The first listener unsubscribes itself and the third one on its first call.
    let remover = Function::new_with_args(
        "m, ids",
        "return () => { m.unsubscribe(ids[0]); m.unsubscribe(ids[2]); ids.push('ran'); };",
    );
    let raw = JsValue::from(manager_with(&[]).unwrap());
    // Subscribing through the JS-visible object checks the exported surface too.
    let sub: Function = get(&raw, "subscribe").unchecked_into();
    let remover = remover.call2(&JsValue::NULL, &raw, &ids).unwrap();
    let (middle, middle_seen) = recorder();
    ids.push(&sub.call1(&raw, &remover).unwrap());
    ids.push(&sub.call1(&raw, &middle).unwrap());
    ids.push(&sub.call1(&raw, &late).unwrap());
    let load: Function = get(&raw, "load").unchecked_into();
    ok(load.call0(&raw).unwrap().unchecked_into()).await;
    assert_eq!(middle_seen.length(), 2, "loading and ready");
    assert_eq!(late_seen.length(), 0, "removed during the first event");
    assert_eq!(ids.length(), 4, "the remover ran once");
    assert_eq!(get(&raw, "listenerCount").as_f64(), Some(1.0));
    // Unsubscribing twice is harmless.
    let unsub: Function = get(&raw, "unsubscribe").unchecked_into();
    assert_eq!(unsub.call1(&raw, &ids.get(1)).unwrap(), JsValue::TRUE);
    assert_eq!(unsub.call1(&raw, &ids.get(1)).unwrap(), JsValue::FALSE);
    drop(m);
}

#[wasm_bindgen_test]
async fn listener_may_call_the_manager() {
    reset().await;
    let raw = JsValue::from(manager());
    let calls = Array::new();
    let listener = Function::new_with_args(
        "m, calls",
        "return (s) => { calls.push(m.getSnapshot() === s); if (s.status === 'ready') m.refresh().catch(() => {}); };",
    )
    .call2(&JsValue::NULL, &raw, &calls)
    .unwrap();
    let sub: Function = get(&raw, "subscribe").unchecked_into();
    sub.call1(&raw, &listener).unwrap();
    let load: Function = get(&raw, "load").unchecked_into();
    ok(load.call0(&raw).unwrap().unchecked_into()).await;
    assert_eq!(calls.length(), 2);
    assert!(
        calls.iter().all(|c| c == JsValue::TRUE),
        "getSnapshot inside a listener"
    );
}

#[wasm_bindgen_test]
async fn concurrent_reads_share_one_request() {
    reset().await;
    let m = manager();
    fault(r#"{"method":"GET","path":"/v1/client","delay_ms":100,"pass_through":true}"#).await;
    let a = m.load();
    let b = m.refresh();
    let c = m.refresh();
    let (a, b, c) = (ok(a).await, ok(b).await, ok(c).await);
    assert!(Object::is(&a, &b) && Object::is(&b, &c));
    assert_eq!(count("GET", "/v1/client").await, 1);
}

#[wasm_bindgen_test]
async fn dispose_aborts_the_request_in_flight() {
    reset().await;
    let m = manager();
    fault(r#"{"method":"GET","path":"/v1/client","delay_ms":3000,"pass_through":true}"#).await;
    let (listener, seen) = recorder();
    m.subscribe(listener);
    let pending = m.load();
    assert_eq!(seen.length(), 0, "no event during the call");
    m.dispose();
    let started = js_sys::Date::now();
    let error = rejected(pending).await;
    assert!(js_sys::Date::now() - started < 2000.0, "rejected at once");
    assert_eq!(text(&error, "kind"), "aborted");
    assert_eq!(text(&error, "name"), "FapiError");
    assert_eq!(m.listener_count(), 0);
    assert_eq!(text(&rejected(m.refresh()).await, "kind"), "aborted");
    assert_eq!(text(&rejected(m.create()).await, "kind"), "aborted");
}

#[wasm_bindgen_test]
async fn malformed_answers_keep_the_last_good_client() {
    reset().await;
    let m = manager();
    sign_in(BOSS.0, BOSS.1).await;
    let good = ok(m.load()).await;
    let bodies = [
        (r#"{"response":"#, "application/json"),
        ("<html><body>Bad gateway</body></html>", "text/html"),
        ("", "application/json"),
        (
            r#"{"response":{"object":"client","id":"c","sessions":{}},"client":null}"#,
            "application/json",
        ),
        (
            r#"{"response":{"object":"client","id":5},"client":null}"#,
            "application/json",
        ),
        (r#"{"unexpected":true}"#, "application/json"),
    ];
    for (body, content_type) in bodies {
        let spec = js_sys::JSON::stringify(&{
            let o = Object::new();
            js_sys::Reflect::set(&o, &"path".into(), &"/v1/client".into()).unwrap();
            js_sys::Reflect::set(&o, &"body".into(), &body.into()).unwrap();
            js_sys::Reflect::set(&o, &"content_type".into(), &content_type.into()).unwrap();
            o.into()
        })
        .unwrap();
        fault(&String::from(spec)).await;
        let error = rejected(m.refresh()).await;
        assert_eq!(text(&error, "kind"), "parse", "{body}");
        assert_eq!(get(&error, "status").as_f64(), Some(200.0), "{body}");
        let snap = m.get_snapshot();
        assert_eq!(text(&snap, "status"), "ready", "{body}");
        assert_eq!(get(&snap, "isSignedIn"), JsValue::TRUE, "{body}");
        assert!(
            Object::is(&get(&snap, "client"), &get(&good, "client")),
            "{body}"
        );
        assert!(Object::is(&get(&snap, "error"), &error), "{body}");
    }
    let recovered = ok(m.refresh()).await;
    assert!(get(&recovered, "error").is_null());
    assert!(Object::is(
        &get(&recovered, "client"),
        &get(&good, "client")
    ));
}

#[wasm_bindgen_test]
async fn a_dangling_last_active_id_reads_as_signed_out() {
    // A well-formed answer whose last_active_session_id names no session: applied, with no
    // active session (as Clerk's SDK reads it), and no error recorded.
    reset().await;
    let m = manager();
    sign_in(BOSS.0, BOSS.1).await;
    assert_eq!(get(&ok(m.load()).await, "isSignedIn"), JsValue::TRUE);
    let body = r#"{"response":{"object":"client","id":"client_dangling","sessions":[{"object":"session","id":"sess_kept","status":"active","user":{"id":"user_1","first_name":"Kept"}}],"last_active_session_id":"sess_nowhere","updated_at":1},"client":null}"#;
    let spec = js_sys::JSON::stringify(&{
        let o = Object::new();
        js_sys::Reflect::set(&o, &"path".into(), &"/v1/client".into()).unwrap();
        js_sys::Reflect::set(&o, &"body".into(), &body.into()).unwrap();
        o.into()
    })
    .unwrap();
    fault(&String::from(spec)).await;
    let snap = ok(m.refresh()).await;
    assert!(get(&snap, "error").is_null());
    assert_eq!(text(&snap, "status"), "ready");
    assert_eq!(get(&snap, "isSignedIn"), JsValue::FALSE);
    assert!(get(&snap, "session").is_null());
    assert!(get(&snap, "user").is_null());
    let client = get(&snap, "client");
    assert_eq!(text(&client, "id"), "client_dangling");
    assert_eq!(text(&client, "last_active_session_id"), "sess_nowhere");
    let sessions = Array::from(&get(&client, "sessions"));
    assert_eq!(sessions.length(), 1, "the sessions are kept");
    assert_eq!(text(&sessions.get(0), "id"), "sess_kept");
}

#[wasm_bindgen_test]
async fn clerk_errors_become_fapi_errors() {
    reset().await;
    let m = no_retries();
    fault(r#"{"path":"/v1/client","status":503,"retry_after":"7"}"#).await;
    let error = rejected(m.load()).await;
    assert_eq!(text(&error, "kind"), "http");
    assert_eq!(get(&error, "status").as_f64(), Some(503.0));
    assert_eq!(get(&error, "retryAfter").as_f64(), Some(7.0));
    assert!(!text(&error, "traceId").is_empty(), "clerk_trace_id mapped");
    assert!(!text(&error, "code").is_empty());
    let items = Array::from(&get(&error, "errors"));
    assert!(items.length() >= 1);
    assert_eq!(text(&items.get(0), "code"), text(&error, "code"));
    let snap = m.get_snapshot();
    assert_eq!(
        text(&snap, "status"),
        "error",
        "first load failed, nothing cached"
    );
    assert!(Object::is(&get(&snap, "error"), &error));
    // DELETE with no client: the mock's 404 in Clerk's format.
    let gone = rejected(m.destroy()).await;
    assert_eq!(get(&gone, "status").as_f64(), Some(404.0));
    assert_eq!(text(&gone, "code"), "resource_not_found");
    // The manager still works.
    assert_eq!(text(&ok(m.load()).await, "status"), "ready");
}

#[wasm_bindgen_test]
async fn network_failure_and_timeout() {
    reset().await;
    // Nothing listens on port 9 here: the request never gets an answer.
    let options = Object::new();
    js_sys::Reflect::set(
        &options,
        &"frontendApi".into(),
        &"http://127.0.0.1:9".into(),
    )
    .unwrap();
    js_sys::Reflect::set(&options, &"maxRetries".into(), &JsValue::from(0)).unwrap();
    let down = fapi_session::web::manager::ClientManager::new(options.into(), None).unwrap();
    let error = rejected(down.load()).await;
    assert_eq!(text(&error, "kind"), "network");
    assert_eq!(text(&down.get_snapshot(), "status"), "error");
    // A dropped connection is a network error too. Chromium silently retries a request
    // whose reused keep-alive connection closed before answering, so drop twice.
    let m = no_retries();
    fault(r#"{"path":"/v1/client","drop":true,"count":2}"#).await;
    assert_eq!(text(&rejected(m.load()).await, "kind"), "network");
    // A slow answer past timeoutMs.
    let slow = manager_with(&[
        ("timeoutMs", JsValue::from(150)),
        ("maxRetries", JsValue::from(0)),
    ])
    .unwrap();
    fault(r#"{"path":"/v1/client","delay_ms":3000,"pass_through":true}"#).await;
    let error = rejected(slow.load()).await;
    assert_eq!(text(&error, "kind"), "timeout");
    reset().await;
}

#[wasm_bindgen_test]
fn config_errors_are_refused() {
    for (api, why) in [
        ("http://example.com", "clear text to a remote host"),
        ("example.com", "not absolute"),
        ("https://clerk.example.com/v1?x", "not an origin"),
    ] {
        let options = Object::new();
        js_sys::Reflect::set(&options, &"frontendApi".into(), &api.into()).unwrap();
        let error = match fapi_session::web::manager::ClientManager::new(options.into(), None) {
            Ok(_) => panic!("{why}: accepted {api}"),
            Err(e) => e,
        };
        assert_eq!(text(&error, "kind"), "config", "{why}");
        assert!(error.is_instance_of::<js_sys::Error>(), "{why}");
    }
    for bad in [JsValue::NULL, JsValue::from(3), Object::new().into()] {
        let error = fapi_session::web::manager::ClientManager::new(bad, None)
            .err()
            .unwrap();
        assert_eq!(text(&error, "kind"), "config");
    }
    let bad_timeout = manager_with(&[("timeoutMs", JsValue::from(-1))])
        .err()
        .unwrap();
    assert_eq!(text(&bad_timeout, "kind"), "config");
}
