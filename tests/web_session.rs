//! The session API in headless Chromium against `fapi-mock`: sign-in (several users on one
//! client), switching, signing out one or all, any path through `request`, and session
//! tokens (cache, single flight, seeding, sign-out, a late answer, a 401, storage).
#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use fapi_session::web::manager::ClientManager;
use js_sys::{Array, Promise};
use support::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const BOSS: (&str, &str) = ("boss@clerk.dev", "boss-password-1");
const ADA: (&str, &str) = ("ada@example.com", "ada-password-1");

/// `signIn` as the JS entry sends it; resolves with the answer's text.
fn sign_in_with(m: &ClientManager, (identifier, password): (&str, &str)) -> Promise {
    let form = format!("strategy=password&identifier={identifier}&password={password}");
    m.send("signIn", "POST", "/v1/client/sign_ins", Some(form))
        .unwrap()
}

fn session_call(m: &ClientManager, op: &str, method: &str, path: &str) -> Promise {
    m.send(op, method, path, None).unwrap()
}

fn sessions(snapshot: &JsValue) -> Vec<String> {
    Array::from(&get(snapshot, "sessions"))
        .iter()
        .map(|s| text(&s, "id"))
        .collect()
}

fn active_id(m: &ClientManager) -> String {
    path(&m.get_snapshot(), &["session", "id"])
        .as_string()
        .unwrap_or_default()
}

/// Runs a JS function body that returns a number.
fn js(body: &str) -> f64 {
    js_sys::Function::new_no_args(body)
        .call0(&JsValue::NULL)
        .unwrap()
        .as_f64()
        .unwrap()
}

/// `document.cookie` of the test page.
fn cookie() -> String {
    js_sys::Function::new_no_args("return document.cookie")
        .call0(&JsValue::NULL)
        .unwrap()
        .as_string()
        .unwrap_or_default()
}

async fn token_posts() -> usize {
    log()
        .await
        .iter()
        .filter(|e| text(e, "method") == "POST" && text(e, "path").contains("/tokens"))
        .count()
}

async fn clear_log() {
    let request = gloo_net::http::Request::delete(&format!("{}/__mock/log", mock()))
        .build()
        .unwrap();
    request.send().await.unwrap();
}

#[wasm_bindgen_test]
async fn sign_in_switch_and_sign_out_one_or_all() {
    reset().await;
    let m = manager();
    ok(m.load()).await;
    let body = ok(sign_in_with(&m, BOSS)).await.as_string().unwrap();
    assert!(
        body.contains("\"response\""),
        "resolves with the answer's text"
    );
    let snap = m.get_snapshot();
    assert_eq!(text(&snap, "cause"), "signIn");
    assert_eq!(get(&snap, "isSignedIn"), JsValue::TRUE);
    assert_eq!(text(&get(&snap, "user"), "first_name"), "Boss");
    let boss = active_id(&m);
    assert_eq!(sessions(&snap), vec![boss.clone()]);
    // A second user on the same client: multi-session, the new one active.
    ok(sign_in_with(&m, ADA)).await;
    let snap = m.get_snapshot();
    let ada = active_id(&m);
    assert_ne!(ada, boss);
    assert_eq!(text(&get(&snap, "user"), "first_name"), "Ada");
    let listed = sessions(&snap);
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert!(listed.contains(&boss) && listed.contains(&ada));
    assert!(js_sys::Object::is_frozen(&get(&snap, "sessions").into()));
    // Switch back.
    let path_touch = format!("/v1/client/sessions/{boss}/touch");
    ok(session_call(&m, "setActive", "POST", &path_touch)).await;
    assert_eq!(active_id(&m), boss);
    assert_eq!(text(&m.get_snapshot(), "cause"), "setActive");
    // End one: the other stays signed in.
    let end = format!("/v1/client/sessions/{boss}/end");
    ok(session_call(&m, "signOut", "POST", &end)).await;
    let snap = m.get_snapshot();
    assert_eq!(text(&snap, "cause"), "signOut");
    assert_eq!(sessions(&snap), vec![ada.clone()]);
    // End all: the client stays, nobody is signed in.
    ok(session_call(&m, "signOut", "DELETE", "/v1/client/sessions")).await;
    let snap = m.get_snapshot();
    assert_eq!(get(&snap, "isSignedIn"), JsValue::FALSE);
    assert!(sessions(&snap).is_empty());
    assert!(!get(&snap, "client").is_null(), "the client stays");
    assert_eq!(count("DELETE", "/v1/client/sessions").await, 1);
}

#[wasm_bindgen_test]
async fn a_wrong_password_rejects_and_leaves_the_snapshot_alone() {
    reset().await;
    let m = manager();
    ok(m.load()).await;
    let before = m.get_snapshot();
    let error = rejected(sign_in_with(&m, (BOSS.0, "nope"))).await;
    assert_eq!(text(&error, "name"), "FapiError");
    assert_eq!(text(&error, "kind"), "http");
    assert_eq!(get(&error, "status").as_f64(), Some(422.0));
    assert_eq!(text(&error, "code"), "form_password_incorrect");
    let after = m.get_snapshot();
    assert!(get(&after, "error").is_null(), "snapshot.error stays null");
    assert_eq!(get(&after, "isSignedIn"), JsValue::FALSE);
    assert_eq!(get(&after, "version"), get(&before, "version"));
}

#[wasm_bindgen_test]
async fn request_applies_a_piggyback_and_rejects_clerk_errors() {
    reset().await;
    let m = manager();
    ok(sign_in_with(&m, BOSS)).await;
    let sid = active_id(&m);
    control(&format!("sessions/{sid}"), r#"{"status":"ended"}"#).await;
    // Any path: the touch answer piggybacks the client, in which the session ended.
    let touch = format!("/v1/client/sessions/{sid}/touch");
    let outcome = settle(session_call(&m, "request", "POST", &touch)).await;
    let snap = m.get_snapshot();
    assert_eq!(get(&snap, "isSignedIn"), JsValue::FALSE, "{outcome:?}");
    assert_eq!(text(&snap, "cause"), "request");
    let error = rejected(session_call(&m, "request", "GET", "/v1/client/nowhere")).await;
    assert_eq!(text(&error, "kind"), "http");
    assert_eq!(get(&error, "status").as_f64(), Some(404.0));
    assert_eq!(text(&error, "code"), "resource_not_found");
    // Paths outside /v1/ and unknown methods are config errors, thrown at once.
    for (method, path) in [("GET", "https://evil.example/v1/x"), ("BREW", "/v1/client")] {
        let error = m.send("request", method, path, None).unwrap_err();
        assert_eq!(text(&error, "kind"), "config", "{method} {path}");
    }
}

#[wasm_bindgen_test]
async fn tokens_are_cached_shared_by_concurrent_calls_and_seeded() {
    reset().await;
    let m = manager();
    assert!(
        ok(m.get_token(String::new(), false).unwrap())
            .await
            .is_null(),
        "nobody signed in"
    );
    ok(sign_in_with(&m, BOSS)).await;
    clear_log().await;
    // The sign-in answer's last_active_token seeds the cache: no request.
    let seeded = ok(m.get_token(String::new(), false).unwrap()).await;
    assert_eq!(seeded.as_string().unwrap().split('.').count(), 3);
    assert_eq!(token_posts().await, 0);
    // Ten concurrent calls for a template: one POST.
    let calls: Vec<Promise> = (0..10)
        .map(|_| m.get_token("hasura".into(), false).unwrap())
        .collect();
    let mut jwts = Vec::new();
    for call in calls {
        jwts.push(ok(call).await.as_string().unwrap());
    }
    assert!(jwts.windows(2).all(|w| w[0] == w[1]));
    assert_eq!(token_posts().await, 1);
    // Within its lifetime: none; skipCache: one more.
    assert_eq!(
        ok(m.get_token("hasura".into(), false).unwrap())
            .await
            .as_string()
            .unwrap(),
        jwts[0]
    );
    assert_eq!(token_posts().await, 1);
    ok(m.get_token("hasura".into(), true).unwrap()).await;
    assert_eq!(token_posts().await, 2);
    // Tokens never touch the snapshot.
    let (listener, seen) = recorder();
    m.subscribe(listener);
    ok(m.get_token(String::new(), true).unwrap()).await;
    assert_eq!(seen.length(), 0);
    // Nothing stored.
    assert_eq!(
        js("return localStorage.length + sessionStorage.length"),
        0.0
    );
    assert!(!cookie().contains("__session"), "{}", cookie());
    m.dispose();
}

#[wasm_bindgen_test]
async fn sign_out_ends_the_tokens_and_a_late_answer_is_discarded() {
    reset().await;
    let m = manager();
    ok(sign_in_with(&m, BOSS)).await;
    let sid = active_id(&m);
    // A token answer held back by the mock while the user signs out.
    fault(&format!(
        r#"{{"path":"/v1/client/sessions/{sid}/tokens","delay_ms":400,"pass_through":true}}"#
    ))
    .await;
    let late = m.get_token(String::new(), true).unwrap();
    ok(session_call(&m, "signOut", "DELETE", "/v1/client/sessions")).await;
    assert!(ok(late).await.is_null(), "the late token is discarded");
    clear_log().await;
    assert!(ok(m.get_token(String::new(), false).unwrap())
        .await
        .is_null());
    assert_eq!(token_posts().await, 0, "no request once signed out");
}

#[wasm_bindgen_test]
async fn a_401_from_the_tokens_endpoint_refreshes_the_client() {
    reset().await;
    let m = manager();
    ok(sign_in_with(&m, BOSS)).await;
    let sid = active_id(&m);
    // Revoked elsewhere: the tokens endpoint answers 401, the refresh shows it.
    control(&format!("sessions/{sid}"), r#"{"status":"revoked"}"#).await;
    clear_log().await;
    assert!(ok(m.get_token(String::new(), true).unwrap())
        .await
        .is_null());
    assert_eq!(
        count("GET", "/v1/client").await,
        1,
        "the client was asked for"
    );
    assert_eq!(get(&m.get_snapshot(), "isSignedIn"), JsValue::FALSE);
    assert_eq!(text(&m.get_snapshot(), "cause"), "token");
}

#[wasm_bindgen_test]
async fn the_session_cookie_is_opt_in() {
    reset().await;
    let m = manager_with(&[("sessionCookie", JsValue::TRUE)]).unwrap();
    ok(sign_in_with(&m, BOSS)).await;
    let jwt = ok(m.get_token(String::new(), false).unwrap())
        .await
        .as_string()
        .unwrap();
    assert!(
        cookie().contains(&format!("__session={jwt}")),
        "{}",
        cookie()
    );
    ok(session_call(&m, "signOut", "DELETE", "/v1/client/sessions")).await;
    assert!(
        !cookie().contains("__session="),
        "removed on sign-out: {}",
        cookie()
    );
    m.dispose();
}

/// Pretends the page is hidden or visible (headless Chromium's pages are always visible).
fn set_hidden(hidden: bool) {
    js_sys::Function::new_with_args(
        "hidden",
        "Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => hidden ? 'hidden' : 'visible' });
         document.dispatchEvent(new Event('visibilitychange'));",
    )
    .call1(&JsValue::NULL, &JsValue::from_bool(hidden))
    .unwrap();
}

#[wasm_bindgen_test]
async fn an_expired_token_is_asked_for_again_and_a_used_one_renewed_ahead() {
    reset().await;
    control("config", r#"{"token_lifetime_secs":2}"#).await;
    let m = manager_with(&[("tokenLeewayMs", JsValue::from(200))]).unwrap();
    ok(sign_in_with(&m, BOSS)).await;
    clear_log().await;
    // Minted and handed to its caller, never asked for again: left to go stale.
    let minted = ok(m.get_token(String::new(), true).unwrap()).await;
    assert_eq!(token_posts().await, 1);
    let stale_at = js_sys::Date::now() + 2000.0;
    assert!(wait_for(4000, || async { js_sys::Date::now() > stale_at }).await);
    assert_eq!(token_posts().await, 1, "an unused token is not renewed");
    // Stale: the next call asks.
    let fresh = ok(m.get_token(String::new(), false).unwrap()).await;
    assert_ne!(fresh, minted);
    assert_eq!(token_posts().await, 2);
    // Handed out from the cache: its successor comes before it goes stale, unasked.
    let cached = ok(m.get_token(String::new(), false).unwrap()).await;
    assert_eq!(cached, fresh);
    let renewed = wait_for(3000, || async {
        ok(m.get_token(String::new(), false).unwrap()).await != fresh
    })
    .await;
    assert!(renewed, "renewed ahead: a later call gets the successor");
    assert_eq!(
        token_posts().await,
        3,
        "one request: the renewal, none for the calls"
    );
    m.dispose();
    reset().await;
}

#[wasm_bindgen_test]
async fn a_hidden_tab_and_an_idle_one_send_no_token_requests() {
    reset().await;
    control("config", r#"{"token_lifetime_secs":2}"#).await;
    let used = manager_with(&[("tokenLeewayMs", JsValue::from(200))]).unwrap();
    let idle = manager_with(&[("tokenLeewayMs", JsValue::from(200))]).unwrap();
    let (listener, _) = recorder();
    idle.subscribe(listener);
    ok(sign_in_with(&used, BOSS)).await;
    ok(idle.load()).await;
    // `used` hands out its token once, then the page is hidden; `idle` never asks.
    ok(used.get_token(String::new(), false).unwrap()).await;
    set_hidden(true);
    clear_log().await;
    let end = js_sys::Date::now() + 3000.0;
    assert!(wait_for(5000, || async { js_sys::Date::now() > end }).await);
    assert_eq!(
        token_posts().await,
        0,
        "past a whole lifetime: nothing sent"
    );
    set_hidden(false);
    // Visible again, the token is stale: the next call asks (one request).
    ok(used.get_token(String::new(), false).unwrap()).await;
    assert_eq!(token_posts().await, 1);
    used.dispose();
    idle.dispose();
    reset().await;
}

#[wasm_bindgen_test]
async fn dispose_aborts_a_token_request_in_flight() {
    reset().await;
    let m = manager();
    ok(sign_in_with(&m, BOSS)).await;
    let sid = active_id(&m);
    fault(&format!(
        r#"{{"path":"/v1/client/sessions/{sid}/tokens","delay_ms":5000,"pass_through":true}}"#
    ))
    .await;
    let pending = m.get_token(String::new(), true).unwrap();
    let started = js_sys::Date::now();
    m.dispose();
    let error = rejected(pending).await;
    assert_eq!(text(&error, "kind"), "aborted");
    assert!(
        js_sys::Date::now() - started < 2000.0,
        "at once, not after the delay"
    );
    assert_eq!(
        text(
            &rejected(m.get_token(String::new(), false).unwrap()).await,
            "kind"
        ),
        "aborted"
    );
}
