//! Tabs keeping each other current, in headless Chromium against `fapi-mock`. Two managers
//! in one page talk over the same `BroadcastChannel` as two tabs of a site do (a channel
//! object never hears its own messages, another object of the same name does), and they
//! share the browser's cookie, as tabs do.
//!
//! Absence is shown without sleeping: a spy channel records every message on the channel;
//! after the action, a marker is posted from the page and awaited at the spy. Messages
//! posted from one page reach a channel in posting order, so when the marker has arrived,
//! any announcement the action made has arrived before it.
#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use fapi_session::web::manager::ClientManager;
use js_sys::{Array, Function};
use support::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const BOSS: (&str, &str) = ("boss@clerk.dev", "boss-password-1");
const NUDGE: &str = "fapi-session:changed";

/// A manager with cross-tab nudges on (the default; `support` turns them off).
/// Focus, `online` and `pageshow` revalidation are off, so every GET in these tests is a
/// nudge's or the test's own.
fn tab(extra: &[(&str, JsValue)]) -> ClientManager {
    let mut options = vec![
        ("revalidateOnBroadcast", JsValue::TRUE),
        ("revalidateOnFocus", JsValue::FALSE),
        ("revalidateOnOnline", JsValue::FALSE),
        ("revalidateOnPageShow", JsValue::FALSE),
    ];
    options.extend(extra.iter().cloned());
    manager_with(&options).unwrap()
}

fn js(body: &str, arg: &JsValue) -> JsValue {
    Function::new_with_args("arg", body)
        .call1(&JsValue::NULL, arg)
        .unwrap()
}

fn channel_name() -> String {
    format!("fapi-session {}", mock())
}

/// Every message on the manager's channel from now on: `{ seen: [data...], post(data) }`.
/// `post` sends from a second channel object, so the spy hears it.
fn spy() -> JsValue {
    js(
        "const spy = new BroadcastChannel(arg), poster = new BroadcastChannel(arg), seen = [];
         spy.onmessage = (e) => seen.push(e.data);
         return { seen, post: (d) => poster.postMessage(d), close: () => { spy.close(); poster.close(); } };",
        &channel_name().into(),
    )
}

/// The messages the spy heard, up to the marker it then posts (which it waits for).
async fn heard_until_marker(spy: &JsValue, marker: &str) -> Vec<String> {
    let post: Function = get(spy, "post").into();
    post.call1(&JsValue::NULL, &marker.into()).unwrap();
    let seen: Array = get(spy, "seen").unchecked_into();
    let arrived = wait_for(5000, || {
        let seen = seen.clone();
        async move { seen.includes(&marker.into(), 0) }
    })
    .await;
    assert!(
        arrived,
        "the marker {marker} reached the spy: heard {:?}",
        seen.iter().collect::<Vec<_>>()
    );
    let all: Vec<String> = seen.iter().filter_map(|v| v.as_string()).collect();
    let at = all.iter().position(|m| m == marker).unwrap();
    let before = all[..at].to_vec();
    seen.set_length(0);
    before
}

fn close(spy: &JsValue) {
    let close: Function = get(spy, "close").into();
    close.call0(&JsValue::NULL).unwrap();
}

/// A reset mock (signed in as Boss when `signed_in`) and a fresh spy.
async fn start(signed_in: bool) -> JsValue {
    reset().await;
    if signed_in {
        sign_in(BOSS.0, BOSS.1).await;
    }
    spy()
}

/// A subscribed, loaded tab, the changes its listener sees from now on, and the
/// subscription's id.
async fn watched(extra: &[(&str, JsValue)]) -> (ClientManager, Array, u32) {
    let m = tab(extra);
    let (listener, seen) = recorder();
    let id = m.subscribe(listener);
    ok(m.load()).await;
    seen.set_length(0);
    (m, seen, id)
}

/// Whether `m` has a GET in flight, read without sending one: after a load, `load()`
/// answers from the cache with a new promise each time, but joins a GET in flight (the same
/// promise twice). A nudge starts its GET in the message handler, so after a marker barrier
/// a manager that reacted either has its GET in flight (this) or already in the mock's log
/// (`gets()`): the two together show that it did not.
fn reading(m: &ClientManager) -> bool {
    js_sys::Object::is(&m.load(), &m.load())
}

async fn gets() -> usize {
    count("GET", "/v1/client").await
}

fn signed_in(m: &ClientManager) -> bool {
    get(&m.get_snapshot(), "isSignedIn").as_bool().unwrap()
}

#[wasm_bindgen_test]
async fn a_sign_out_in_one_tab_signs_out_the_other_and_is_not_echoed() {
    let spy = start(true).await;
    let a = tab(&[]);
    ok(a.load()).await;
    let (b, seen, _) = watched(&[]).await;
    assert!(signed_in(&a) && signed_in(&b));
    assert!(
        heard_until_marker(&spy, "m1").await.is_empty(),
        "loads are not announced"
    );
    let before = gets().await;

    ok(a.destroy()).await;
    assert!(!signed_in(&a));
    assert!(
        wait_for(5000, || async { seen.length() == 1 }).await,
        "the other tab heard and refreshed"
    );
    let change = seen.get(0);
    assert_eq!(text(&change, "cause"), "broadcast");
    assert!(get(&change, "client").is_null(), "signed out, no client");
    assert_eq!(gets().await, before + 1, "one GET, from the other tab");
    assert_eq!(
        heard_until_marker(&spy, "m2").await,
        vec![NUDGE.to_string()],
        "one announcement (the destroy), none echoed by the tab that refreshed"
    );
    a.dispose();
    b.dispose();
    close(&spy);
}

#[wasm_bindgen_test]
async fn a_sign_in_seen_by_refresh_reaches_the_other_tab() {
    let spy = start(false).await;
    let a = tab(&[]);
    ok(a.load()).await;
    let (b, seen, _) = watched(&[]).await;
    assert!(!signed_in(&b));
    // A sign-in form posts to the Frontend API; the app then refreshes its manager.
    sign_in(BOSS.0, BOSS.1).await;
    ok(a.refresh()).await;
    assert!(signed_in(&a));
    assert!(wait_for(5000, || async { seen.length() == 1 }).await);
    assert_eq!(text(&seen.get(0), "cause"), "broadcast");
    assert!(
        signed_in(&b),
        "the other tab shows the user without a focus or a reload"
    );
    assert_eq!(
        heard_until_marker(&spy, "m1").await,
        vec![NUDGE.to_string()]
    );
    a.dispose();
    b.dispose();
    close(&spy);
}

#[wasm_bindgen_test]
async fn churn_is_not_announced() {
    let spy = start(true).await;
    let a = tab(&[]);
    let first = ok(a.load()).await;
    let sid = text(&get(&first, "session"), "id");
    // The server moves the session on (new expiry, new last_active_at): a change for this
    // tab's listeners, but the same user in the same session.
    control(&format!("sessions/{sid}"), r#"{"expire_in_ms":86400000}"#).await;
    let after = ok(a.refresh()).await;
    assert!(!js_sys::Object::is(&after, &first), "the snapshot changed");
    assert!(heard_until_marker(&spy, "m1").await.is_empty());
    a.dispose();
    close(&spy);
}

#[wasm_bindgen_test]
async fn a_hidden_tab_refreshes_when_it_becomes_visible_once() {
    let spy = start(true).await;
    let a = tab(&[]);
    ok(a.load()).await;
    // The other tab's own visibility revalidation is off: only the waiting nudge may act.
    let (b, seen, _) = watched(&[("revalidateOnVisible", JsValue::FALSE)]).await;
    let set_hidden = |hidden: bool| {
        js(
            "Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => arg ? 'hidden' : 'visible' });
             document.dispatchEvent(new Event('visibilitychange'));",
            &JsValue::from_bool(hidden),
        );
    };
    set_hidden(true);
    let before = gets().await;
    ok(a.destroy()).await;
    // The nudge reached this page's channels (b's among them) before the marker did.
    assert_eq!(
        heard_until_marker(&spy, "m1").await,
        vec![NUDGE.to_string()]
    );
    assert!(
        !reading(&b) && gets().await == before,
        "no GET from a hidden tab"
    );
    assert!(signed_in(&b), "still the old picture while hidden");
    set_hidden(false);
    assert!(wait_for(5000, || async { seen.length() == 1 }).await);
    assert_eq!(text(&seen.get(0), "cause"), "broadcast");
    assert!(!signed_in(&b));
    assert_eq!(gets().await, before + 1);
    // Only once: becoming visible again asks nothing more.
    set_hidden(true);
    set_hidden(false);
    assert!(!reading(&b) && gets().await == before + 1);
    a.dispose();
    b.dispose();
    close(&spy);
}

#[wasm_bindgen_test]
async fn switched_off_a_manager_neither_announces_nor_listens() {
    let spy = start(true).await;
    let (quiet, seen, _) = watched(&[("revalidateOnBroadcast", JsValue::FALSE)]).await;
    let loud = tab(&[]);
    ok(loud.load()).await;
    let before = gets().await;
    ok(loud.destroy()).await;
    assert_eq!(
        heard_until_marker(&spy, "m1").await,
        vec![NUDGE.to_string()]
    );
    assert!(
        !reading(&quiet) && gets().await == before,
        "the quiet manager did not refresh"
    );
    assert_eq!(seen.length(), 0);
    assert!(signed_in(&quiet));
    // Its own sign-out is not announced either.
    sign_in(BOSS.0, BOSS.1).await;
    ok(quiet.refresh()).await;
    ok(quiet.destroy()).await;
    assert!(heard_until_marker(&spy, "m2").await.is_empty());
    // A wrong type is a config error naming the option.
    let error = manager_with(&[("revalidateOnBroadcast", JsValue::from(1))])
        .err()
        .unwrap();
    assert_eq!(text(&error, "kind"), "config");
    assert!(text(&error, "message").contains("revalidateOnBroadcast"));
    quiet.dispose();
    loud.dispose();
    close(&spy);
}

#[wasm_bindgen_test]
async fn foreign_messages_and_unsubscribed_or_disposed_managers_do_nothing() {
    let spy = start(true).await;
    let (listening, _, id) = watched(&[]).await;
    let before = gets().await;
    let post: Function = get(&spy, "post").into();
    for junk in [
        JsValue::from("hello"),
        JsValue::from(42),
        js("return { type: arg }", &NUDGE.into()),
    ] {
        post.call1(&JsValue::NULL, &junk).unwrap();
    }
    heard_until_marker(&spy, "m1").await;
    assert!(
        !reading(&listening) && gets().await == before,
        "only the exact nudge counts"
    );
    // Unsubscribed: nothing listens.
    listening.unsubscribe(id);
    post.call1(&JsValue::NULL, &NUDGE.into()).unwrap();
    heard_until_marker(&spy, "m2").await;
    assert!(!reading(&listening) && gets().await == before);
    // Subscribed again: it listens again.
    let (listener, _) = recorder();
    listening.subscribe(listener);
    post.call1(&JsValue::NULL, &NUDGE.into()).unwrap();
    heard_until_marker(&spy, "m3").await;
    assert!(wait_for(5000, || async { gets().await == before + 1 }).await);
    listening.dispose();
    // Disposed while subscribed: the channel is closed.
    let (disposed, _, _) = watched(&[]).await;
    disposed.dispose();
    let before = gets().await;
    post.call1(&JsValue::NULL, &NUDGE.into()).unwrap();
    heard_until_marker(&spy, "m4").await;
    assert_eq!(gets().await, before);
    close(&spy);
}

#[wasm_bindgen_test]
async fn a_nudge_during_a_get_is_answered_by_one_more_get_after_it() {
    let spy = start(true).await;
    let a = tab(&[]);
    ok(a.load()).await;
    let (b, seen, _) = watched(&[]).await;
    // The other tab's GET left before the sign-out: the server answers it with the client
    // as it was then (a canned body, delivered late).
    let then = js(
        "return JSON.stringify({ method: 'GET', path: '/v1/client', delay_ms: 300, body: JSON.stringify({ response: arg, client: null }) })",
        &get(&b.get_snapshot(), "client"),
    );
    fault(&then.as_string().unwrap()).await;
    let before = gets().await;
    let late = b.refresh();
    ok(a.destroy()).await;
    assert_eq!(
        heard_until_marker(&spy, "m1").await,
        vec![NUDGE.to_string()]
    );
    let answered = ok(late).await;
    assert!(
        get(&answered, "isSignedIn").as_bool().unwrap(),
        "the GET in flight answered with the old picture"
    );
    assert!(
        wait_for(5000, || async { !signed_in(&b) }).await,
        "one more GET after it brought the sign-out"
    );
    let last = seen.get(seen.length() - 1);
    assert_eq!(text(&last, "cause"), "broadcast");
    assert_eq!(gets().await, before + 2);
    assert!(!reading(&b));
    a.dispose();
    b.dispose();
    close(&spy);
}

#[wasm_bindgen_test]
async fn a_destroy_without_a_load_still_tells_the_other_tabs() {
    let spy = start(true).await;
    let (b, seen, _) = watched(&[]).await;
    assert!(signed_in(&b));
    // A sign-out page: no load(), no subscriber, just destroy().
    let logout = tab(&[]);
    ok(logout.destroy()).await;
    assert_eq!(
        heard_until_marker(&spy, "m1").await,
        vec![NUDGE.to_string()]
    );
    assert!(wait_for(5000, || async { !signed_in(&b) }).await);
    assert_eq!(text(&seen.get(0), "cause"), "broadcast");
    // And a refresh() that is a tab's first read only learns: no announcement.
    let learner = tab(&[]);
    ok(learner.refresh()).await;
    assert!(heard_until_marker(&spy, "m2").await.is_empty());
    logout.dispose();
    learner.dispose();
    b.dispose();
    close(&spy);
}

#[wasm_bindgen_test]
async fn without_broadcast_channel_the_manager_works_alone() {
    let spy = start(true).await;
    // An older browser: no BroadcastChannel at all (restored below).
    js(
        "globalThis.__savedChannel = globalThis.BroadcastChannel; delete globalThis.BroadcastChannel;",
        &JsValue::NULL,
    );
    let (m, seen, _) = watched(&[]).await;
    assert!(signed_in(&m));
    let destroyed = ok(m.destroy()).await;
    assert!(get(&destroyed, "client").is_null());
    assert_eq!(seen.length(), 1, "its own listeners still hear");
    js(
        "globalThis.BroadcastChannel = globalThis.__savedChannel; delete globalThis.__savedChannel;",
        &JsValue::NULL,
    );
    assert!(
        heard_until_marker(&spy, "m1").await.is_empty(),
        "nothing could be announced"
    );
    m.dispose();
    close(&spy);
}

#[wasm_bindgen_test]
async fn an_applied_sign_in_answer_updates_at_once_and_reaches_the_other_tab() {
    let spy = start(false).await;
    let (a, seen_a, _) = watched(&[]).await;
    let (b, seen_b, _) = watched(&[]).await;
    assert!(!signed_in(&a));
    let gets_before = gets().await;
    // The app's own sign-in form: the answer piggybacks the client.
    let answer = sign_in(BOSS.0, BOSS.1).await;
    let body = String::from(js_sys::JSON::stringify(&answer).unwrap());
    let snap = a.apply_response(&body).unwrap();
    assert!(get(&snap, "isSignedIn").as_bool().unwrap());
    assert_eq!(text(&snap, "cause"), "piggyback");
    assert_eq!(seen_a.length(), 1, "its listener heard once, synchronously");
    assert_eq!(gets().await, gets_before, "no request for it");
    // The other tab asks the server.
    assert!(wait_for(5000, || async { signed_in(&b) }).await);
    assert_eq!(text(&seen_b.get(0), "cause"), "broadcast");
    assert_eq!(
        heard_until_marker(&spy, "m1").await,
        vec![NUDGE.to_string()]
    );
    // The same answer again: nothing new, nothing announced.
    let again = a.apply_response(&body).unwrap();
    assert!(js_sys::Object::is(&again, &snap));
    assert!(heard_until_marker(&spy, "m2").await.is_empty());
    // Unreadable: a typed error, the state kept.
    let error = a.apply_response("<html>").err().unwrap();
    assert_eq!(text(&error, "kind"), "parse");
    assert!(js_sys::Object::is(&a.get_snapshot(), &snap));
    a.dispose();
    let error = a.apply_response(&body).err().unwrap();
    assert_eq!(text(&error, "kind"), "aborted");
    b.dispose();
    close(&spy);
}
