//! Resilience in headless Chromium against `fapi-mock`: ordering, retries and backoff,
//! Retry-After, the circuit breaker, offline pauses, revalidation, expiry with clock skew,
//! and disposal in the middle of it all.
#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use fapi_session::web::manager::ClientManager;
use js_sys::{Function, Object};
use support::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const BOSS: (&str, &str) = ("boss@clerk.dev", "boss-password-1");

fn with(options: &[(&str, f64)]) -> ClientManager {
    let extra: Vec<(&str, JsValue)> = options
        .iter()
        .map(|(k, v)| (*k, JsValue::from(*v)))
        .collect();
    manager_with(&extra).unwrap()
}

/// Runs a snippet of JS with `arg` bound (for browser state tests cannot reach otherwise).
fn js(body: &str, arg: &JsValue) -> JsValue {
    Function::new_with_args("arg", body)
        .call1(&JsValue::NULL, arg)
        .unwrap()
}

fn dispatch_on_window(kind: &str) {
    js("globalThis.dispatchEvent(new Event(arg))", &kind.into());
}

fn set_online(online: bool) {
    js(
        "Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => arg })",
        &JsValue::from_bool(online),
    );
}

fn set_hidden(hidden: bool) {
    js(
        "Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => arg ? 'hidden' : 'visible' })",
        &JsValue::from_bool(hidden),
    );
}

fn at_ms(entry: &JsValue) -> f64 {
    get(entry, "at_ms").as_f64().unwrap()
}

async fn gets() -> Vec<JsValue> {
    log()
        .await
        .into_iter()
        .filter(|e| text(e, "method") == "GET" && text(e, "path") == "/v1/client")
        .collect()
}

/// Waits (polling) until the local clock passes `t` (ms since the epoch).
async fn until_time(t: f64) {
    assert!(wait_for(60_000, || async move { js_sys::Date::now() > t }).await);
}

#[wasm_bindgen_test]
async fn late_read_after_destroy_is_discarded() {
    reset().await;
    sign_in(BOSS.0, BOSS.1).await;
    let m = manager();
    ok(m.load()).await;
    fault(r#"{"method":"GET","path":"/v1/client","delay_ms":400,"pass_through":true}"#).await;
    let late = m.refresh();
    let destroyed = ok(m.destroy()).await;
    assert!(get(&destroyed, "client").is_null());
    let after = ok(late).await;
    assert!(
        get(&after, "client").is_null(),
        "the late GET must not bring the client back"
    );
    assert!(get(&m.get_snapshot(), "client").is_null());
}

#[wasm_bindgen_test]
async fn an_older_answer_never_replaces_a_newer_client() {
    reset().await;
    let signed = sign_in(BOSS.0, BOSS.1).await;
    let m = manager();
    let first = ok(m.load()).await;
    let old_body = format!(
        r#"{{"response":{},"client":null}}"#,
        String::from(js_sys::JSON::stringify(&get(&signed, "client")).unwrap())
    );
    let sid = text(&get(&first, "session"), "id");
    control(&format!("sessions/{sid}"), r#"{"expire_in_ms":86400000}"#).await;
    let newer = ok(m.refresh()).await;
    assert!(!Object::is(&newer, &first), "the server's change arrived");
    let (listener, seen) = recorder();
    m.subscribe(listener);
    let spec = Object::new();
    js_sys::Reflect::set(&spec, &"path".into(), &"/v1/client".into()).unwrap();
    js_sys::Reflect::set(&spec, &"body".into(), &old_body.into()).unwrap();
    fault(&String::from(js_sys::JSON::stringify(&spec).unwrap())).await;
    let after = ok(m.refresh()).await;
    assert!(Object::is(&after, &newer), "older updated_at: ignored");
    assert_eq!(seen.length(), 0);
}

#[wasm_bindgen_test]
async fn server_errors_are_retried_with_backoff() {
    reset().await;
    let m = with(&[("retryBaseMs", 200.0)]);
    let (listener, seen) = recorder();
    m.subscribe(listener);
    fault(r#"{"method":"GET","path":"/v1/client","status":503,"count":2}"#).await;
    let snap = ok(m.load()).await;
    assert_eq!(text(&snap, "status"), "ready");
    assert!(get(&snap, "error").is_null());
    assert!(get(&snap, "nextRetryAt").is_null());
    let sent = gets().await;
    assert_eq!(sent.len(), 3, "two failures, then the answer");
    // Equal jitter: the wait is at least half the step (200 ms, then 400 ms).
    assert!(at_ms(&sent[1]) - at_ms(&sent[0]) >= 100.0);
    assert!(at_ms(&sent[2]) - at_ms(&sent[1]) >= 200.0);
    let retrying: Vec<JsValue> = seen
        .iter()
        .filter(|s| !get(s, "nextRetryAt").is_null())
        .collect();
    assert_eq!(retrying.len(), 2, "each failure announced its retry");
    assert_eq!(text(&get(&retrying[0], "error"), "kind"), "http");
}

#[wasm_bindgen_test]
async fn retry_after_is_honoured() {
    reset().await;
    let m = with(&[("retryBaseMs", 10.0)]);
    fault(r#"{"method":"GET","path":"/v1/client","status":429,"retry_after":"2"}"#).await;
    ok(m.load()).await;
    let sent = gets().await;
    assert_eq!(sent.len(), 2);
    assert!(
        at_ms(&sent[1]) - at_ms(&sent[0]) >= 2000.0,
        "waited for Retry-After"
    );
}

#[wasm_bindgen_test]
async fn the_breaker_bounds_requests_under_persistent_failure() {
    reset().await;
    let m = with(&[("retryBaseMs", 10.0), ("maxRetries", 4.0)]);
    fault(r#"{"method":"GET","path":"/v1/client","status":503,"count":20}"#).await;
    let error = rejected(m.load()).await;
    assert_eq!(get(&error, "status").as_f64(), Some(503.0));
    assert_eq!(gets().await.len(), 5, "1 + maxRetries");
    for _ in 0..15 {
        let again = rejected(m.refresh()).await;
        assert_eq!(get(&again, "status").as_f64(), Some(503.0));
    }
    assert_eq!(gets().await.len(), 5, "the open breaker sends nothing");
    assert_eq!(text(&m.get_snapshot(), "status"), "error");
}

#[wasm_bindgen_test]
async fn retries_pause_offline_and_resume_online() {
    reset().await;
    let m = with(&[("retryBaseMs", 50.0)]);
    let (listener, seen) = recorder();
    m.subscribe(listener);
    set_online(false);
    fault(r#"{"method":"GET","path":"/v1/client","status":503}"#).await;
    let pending = m.load();
    let announced = wait_for(5000, || {
        let seen = seen.clone();
        async move { seen.iter().any(|s| !get(&s, "nextRetryAt").is_null()) }
    })
    .await;
    assert!(announced);
    let retry_at = seen
        .iter()
        .find_map(|s| get(&s, "nextRetryAt").as_f64())
        .unwrap();
    until_time(retry_at + 300.0).await;
    assert_eq!(gets().await.len(), 1, "no retry while offline");
    set_online(true);
    dispatch_on_window("online");
    let snap = ok(pending).await;
    assert_eq!(text(&snap, "status"), "ready");
    assert_eq!(gets().await.len(), 2, "one request on online");
}

#[wasm_bindgen_test]
async fn focus_revalidates_once_per_window_and_never_while_hidden() {
    reset().await;
    let m = with(&[("revalidateThrottleMs", 400.0)]);
    let (listener, _seen) = recorder();
    m.subscribe(listener);
    ok(m.load()).await;
    let start = js_sys::Date::now();
    dispatch_on_window("focus");
    dispatch_on_window("focus");
    assert!(wait_for(5000, || async { gets().await.len() == 2 }).await);
    until_time(start + 450.0).await;
    assert_eq!(gets().await.len(), 2, "the second focus was throttled");
    set_hidden(true);
    js(
        "document.dispatchEvent(new Event('visibilitychange'))",
        &JsValue::NULL,
    );
    dispatch_on_window("focus");
    // Absence check: the event handler decides synchronously; give a request the time of
    // a local round trip to show up in the log.
    tick(200).await;
    assert_eq!(gets().await.len(), 2, "nothing while hidden");
    set_hidden(false);
    js(
        "document.dispatchEvent(new Event('visibilitychange'))",
        &JsValue::NULL,
    );
    assert!(wait_for(5000, || async { gets().await.len() == 3 }).await);
    // Without subscribers there is no revalidation at all.
    let unsubscribed = with(&[("revalidateThrottleMs", 0.0)]);
    ok(unsubscribed.load()).await;
    m.dispose();
    let before = gets().await.len();
    dispatch_on_window("focus");
    tick(200).await;
    assert_eq!(gets().await.len(), before);
}

#[wasm_bindgen_test]
async fn expiry_signs_out_on_time() {
    reset().await;
    sign_in(BOSS.0, BOSS.1).await;
    let m = manager();
    let first = ok(m.load()).await;
    let sid = text(&get(&first, "session"), "id");
    control(&format!("sessions/{sid}"), r#"{"expire_in_ms":1500}"#).await;
    ok(m.refresh()).await;
    let (listener, seen) = recorder();
    m.subscribe(listener);
    let signed_out = wait_for(10_000, || async {
        get(&m.get_snapshot(), "isSignedIn") == JsValue::FALSE
    })
    .await;
    assert!(signed_out);
    let causes: Vec<String> = seen.iter().map(|s| text(&s, "cause")).collect();
    assert_eq!(causes.first().map(String::as_str), Some("expiry"));
    // The refresh at expiry hears the server's verdict.
    assert!(
        wait_for(5000, || async {
            get(&m.get_snapshot(), "session").is_null()
        })
        .await
    );
}

#[wasm_bindgen_test]
async fn expiry_offline_keeps_the_data_but_not_the_claim() {
    reset().await;
    sign_in(BOSS.0, BOSS.1).await;
    let m = with(&[("maxRetries", 0.0)]);
    let first = ok(m.load()).await;
    let sid = text(&get(&first, "session"), "id");
    control(&format!("sessions/{sid}"), r#"{"expire_in_ms":1000}"#).await;
    let fresh = ok(m.refresh()).await;
    fault(r#"{"method":"GET","path":"/v1/client","drop":true,"count":4}"#).await;
    assert!(
        wait_for(10_000, || async {
            get(&m.get_snapshot(), "isSignedIn") == JsValue::FALSE
        })
        .await
    );
    let snap = m.get_snapshot();
    assert!(
        Object::is(&get(&snap, "client"), &get(&fresh, "client")),
        "data kept"
    );
    assert!(!get(&snap, "session").is_null());
    reset().await;
}

#[wasm_bindgen_test]
async fn expiry_is_corrected_for_the_server_clock() {
    reset().await;
    sign_in(BOSS.0, BOSS.1).await;
    let m = manager();
    let first = ok(m.load()).await;
    let sid = text(&get(&first, "session"), "id");
    // The server's clock runs an hour ahead: its expire_at is an hour and a bit away by
    // our clock's reading, but only a bit away in truth.
    control(&format!("sessions/{sid}"), r#"{"expire_in_ms":3601500}"#).await;
    let ahead = js(
        "return new Date(Date.now() + 3600000).toUTCString()",
        &JsValue::NULL,
    );
    let spec = format!(
        r#"{{"method":"GET","path":"/v1/client","pass_through":true,"headers":{{"Date":"{}"}}}}"#,
        ahead.as_string().unwrap()
    );
    fault(&spec).await;
    ok(m.refresh()).await;
    let (listener, seen) = recorder();
    m.subscribe(listener);
    let expired = wait_for(10_000, || {
        let seen = seen.clone();
        async move { seen.iter().any(|s| text(&s, "cause") == "expiry") }
    })
    .await;
    assert!(expired, "the deadline was moved by the measured skew");
}

#[wasm_bindgen_test]
async fn dispose_in_the_middle_of_a_retry_leaves_nothing_behind() {
    reset().await;
    let m = with(&[("retryBaseMs", 300.0)]);
    let (listener, seen) = recorder();
    m.subscribe(listener);
    fault(r#"{"method":"GET","path":"/v1/client","status":503,"count":5}"#).await;
    let pending = m.load();
    let waiting = wait_for(5000, || {
        let seen = seen.clone();
        async move { seen.iter().any(|s| !get(&s, "nextRetryAt").is_null()) }
    })
    .await;
    assert!(waiting);
    let retry_at = get(&m.get_snapshot(), "nextRetryAt").as_f64().unwrap();
    m.dispose();
    assert_eq!(text(&rejected(pending).await, "kind"), "aborted");
    until_time(retry_at + 300.0).await;
    assert_eq!(gets().await.len(), 1, "no request after dispose");
}

#[wasm_bindgen_test]
async fn an_applied_answer_wins_over_the_first_load_in_flight() {
    reset().await;
    let m = std::rc::Rc::new(manager());
    // The first load leaves before the sign-in (no cookie yet) and answers after it.
    fault(r#"{"method":"GET","path":"/v1/client","delay_ms":400,"pass_through":true}"#).await;
    let loading = m.load();
    let answer = sign_in(BOSS.0, BOSS.1).await;
    let body = String::from(js_sys::JSON::stringify(&answer).unwrap());
    // A listener that re-enters the manager while it is notified (applies the same answer
    // again, reads the snapshot): no borrow is held while listeners run.
    let inner = m.clone();
    let again = body.clone();
    let reentered = std::rc::Rc::new(std::cell::Cell::new(0));
    let count = reentered.clone();
    let listener = wasm_bindgen::closure::Closure::<dyn FnMut(JsValue)>::new(move |_| {
        let snap = inner.apply_response(&again).unwrap();
        assert!(Object::is(&snap, &inner.get_snapshot()));
        count.set(count.get() + 1);
    });
    m.subscribe(listener.as_ref().clone().into());
    let applied = m.apply_response(&body).unwrap();
    assert_eq!(text(&applied, "cause"), "piggyback");
    assert!(get(&applied, "isSignedIn").as_bool().unwrap());
    let loaded = ok(loading).await;
    assert!(
        get(&loaded, "isSignedIn").as_bool().unwrap(),
        "the load's older answer (no client) is discarded"
    );
    assert!(Object::is(&loaded, &m.get_snapshot()));
    assert!(reentered.get() >= 1, "the listener ran and re-entered");
    m.dispose();
    drop(listener);
}
