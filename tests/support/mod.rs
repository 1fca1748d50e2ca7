//! Helpers shared by the browser test suites: the mock's URL, its control plane, and
//! reading JS values. Compiled into each suite with `mod support;`.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::future::Future;

use fapi_session::web::manager::ClientManager;
use gloo_net::http::{Request, RequestBuilder};
use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::RequestCredentials;

/// The mock Frontend API's origin, baked in at compile time by `scripts/browser-tests.sh`.
pub fn mock() -> &'static str {
    option_env!("FAPI_MOCK_URL")
        .unwrap_or("http://127.0.0.1:9")
        .trim_end_matches('/')
}

/// `JSON.parse`, with `null` for an empty body.
fn parse(text: &str) -> JsValue {
    if text.trim().is_empty() {
        return JsValue::NULL;
    }
    js_sys::JSON::parse(text).unwrap_or_else(|_| panic!("not JSON: {text}"))
}

async fn send(builder: RequestBuilder, body: Option<String>, what: &str) -> JsValue {
    let request = match body {
        Some(body) => builder
            .header("Content-Type", "application/json")
            .body(body)
            .unwrap(),
        None => builder.build().unwrap(),
    };
    let response = request
        .send()
        .await
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    let status = response.status();
    let text = response.text().await.unwrap();
    assert!(
        (200..300).contains(&status),
        "{what}: HTTP {status}: {text}"
    );
    parse(&text)
}

/// A control-plane call: `POST /__mock/<path>` with a JSON body.
pub async fn control(path: &str, body: &str) -> JsValue {
    send(
        Request::post(&format!("{}/__mock/{path}", mock())),
        Some(body.to_owned()),
        path,
    )
    .await
}

/// Clears the mock's clients, sessions, faults and request log.
pub async fn reset() {
    send(
        Request::post(&format!("{}/__mock/reset", mock())),
        None,
        "reset",
    )
    .await;
}

/// Queues a fault (see the mock's `FaultSpec`).
pub async fn fault(spec: &str) {
    control("faults", spec).await;
}

/// The mock's request log for `/v1/*`.
pub async fn log() -> Vec<JsValue> {
    let value = send(Request::get(&format!("{}/__mock/log", mock())), None, "log").await;
    js_sys::Array::from(&value).iter().collect()
}

/// How many requests with this effective method and path the mock saw.
pub async fn count(method: &str, path: &str) -> usize {
    log()
        .await
        .iter()
        .filter(|e| text(e, "method") == method && text(e, "path") == path)
        .count()
}

/// Signs in as a seeded user through the mock's `sign_ins`, from this page, with the
/// browser's cookie: what a sign-in form does.
pub async fn sign_in(identifier: &str, password: &str) -> JsValue {
    let body = format!("strategy=password&identifier={identifier}&password={password}");
    let request = Request::post(&format!("{}/v1/client/sign_ins", mock()))
        .credentials(RequestCredentials::Include)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body)
        .unwrap();
    let response = request.send().await.unwrap();
    let text = response.text().await.unwrap();
    assert_eq!(response.status(), 200, "sign in: {text}");
    parse(&text)
}

/// `value[key]`.
pub fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// `value[key]` as a string ("" if it is not one).
pub fn text(value: &JsValue, key: &str) -> String {
    get(value, key).as_string().unwrap_or_default()
}

/// `value[a][b]...`.
pub fn path(value: &JsValue, keys: &[&str]) -> JsValue {
    keys.iter().fold(value.clone(), |v, k| get(&v, k))
}

/// A manager for the mock with extra options given as `(key, value)` pairs. Cross-tab
/// nudges are off unless `extra` turns them on: a suite's managers share one page, and a
/// test's sign-out must not make an earlier test's managers send GETs into the next
/// test's request log (`tests/web_crosstab.rs` tests them).
pub fn manager_with(extra: &[(&str, JsValue)]) -> Result<ClientManager, JsValue> {
    let options = Object::new();
    Reflect::set(&options, &"frontendApi".into(), &mock().into()).unwrap();
    Reflect::set(&options, &"revalidateOnBroadcast".into(), &false.into()).unwrap();
    for (k, v) in extra {
        Reflect::set(&options, &JsValue::from_str(k), v).unwrap();
    }
    ClientManager::new(options.into(), None)
}

/// A manager for the mock with default options.
pub fn manager() -> ClientManager {
    manager_with(&[]).unwrap()
}

/// Awaits a promise.
pub async fn settle(promise: Promise) -> Result<JsValue, JsValue> {
    JsFuture::from(promise).await
}

/// Awaits a promise that must resolve.
pub async fn ok(promise: Promise) -> JsValue {
    settle(promise)
        .await
        .unwrap_or_else(|e| panic!("rejected: {} {}", text(&e, "kind"), text(&e, "message")))
}

/// Awaits a promise that must reject; returns the rejection.
pub async fn rejected(promise: Promise) -> JsValue {
    match settle(promise).await {
        Ok(v) => panic!("resolved instead of rejecting: {v:?}"),
        Err(e) => e,
    }
}

/// A listener that records every snapshot it gets; `.1` reads them.
pub fn recorder() -> (js_sys::Function, js_sys::Array) {
    let seen = js_sys::Array::new();
    let f = js_sys::Function::new_with_args("seen", "return (s) => { seen.push(s); };")
        .call1(&JsValue::NULL, &seen)
        .unwrap()
        .unchecked_into::<js_sys::Function>();
    (f, seen)
}

/// Waits until `condition` holds, checking every few milliseconds, for at most `ms`.
pub async fn wait_for<F, Fut>(ms: u32, mut condition: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let start = js_sys::Date::now();
    loop {
        if condition().await {
            return true;
        }
        if js_sys::Date::now() - start > f64::from(ms) {
            return false;
        }
        tick(10).await;
    }
}

/// Yields to the event loop for about `ms` milliseconds (a poll interval, not a wait
/// standing in for a condition).
pub async fn tick(ms: i32) {
    let promise = Promise::new(&mut |resolve, _| {
        let global: Object = js_sys::global();
        let set_timeout: js_sys::Function = get(&global, "setTimeout").unchecked_into();
        set_timeout
            .call2(&JsValue::NULL, &resolve, &JsValue::from(ms))
            .unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}
