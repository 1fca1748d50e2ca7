//! Proof that the browser test pipeline works end to end: headless Chromium, a test page
//! served by wasm-bindgen-test-runner on one port, the mock Frontend API (`fapi-mock`) on
//! another, so every request is cross-origin as in production, and the HttpOnly `__client`
//! cookie carried by `credentials: 'include'`.
//!
//! Run by `scripts/browser-tests.sh`, which starts the mock and exports `FAPI_MOCK_URL`
//! (read here at compile time).
#![cfg(target_arch = "wasm32")]

use gloo_net::http::{Request, RequestBuilder};
use serde_json::Value;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::RequestCredentials;

wasm_bindgen_test_configure!(run_in_browser);

type TestResult = Result<(), JsValue>;

fn fail(message: String) -> JsValue {
    JsValue::from_str(&message)
}

fn mock_url() -> Result<&'static str, JsValue> {
    option_env!("FAPI_MOCK_URL")
        .map(|url| url.trim_end_matches('/'))
        .ok_or_else(|| {
            fail("FAPI_MOCK_URL was not set at compile time: run scripts/browser-tests.sh".into())
        })
}

/// Sends a request; fails on a network error or a non-2xx status. Returns the body
/// parsed as JSON (an empty body, as the seed dialect's DELETE answers, reads as `null`).
async fn send(builder: RequestBuilder, what: &str) -> Result<Value, JsValue> {
    let response = builder
        .send()
        .await
        .map_err(|e| fail(format!("{what}: request failed: {e}")))?;
    let status = response.status();
    let text = response
        .text()
        .await
        .map_err(|e| fail(format!("{what}: reading the body failed: {e}")))?;
    if !(200..300).contains(&status) {
        return Err(fail(format!("{what}: HTTP {status}: {text}")));
    }
    if text.trim().is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_str(&text).map_err(|e| fail(format!("{what}: body is not JSON ({e}): {text}")))
}

/// `{method} /v1/client` with the given credentials mode; answers the id of the client
/// in the envelope's `response`, or `None` when `response` is `null`.
async fn client_id(
    method: fn(&str) -> RequestBuilder,
    credentials: RequestCredentials,
    what: &str,
) -> Result<Option<String>, JsValue> {
    let url = format!("{}/v1/client", mock_url()?);
    let body = send(method(&url).credentials(credentials), what).await?;
    match body.get("response") {
        Some(Value::Null) => Ok(None),
        Some(client) => client
            .get("id")
            .and_then(Value::as_str)
            .map(|id| Some(id.to_owned()))
            .ok_or_else(|| fail(format!("{what}: response has no string id: {body}"))),
        None => Err(fail(format!("{what}: no `response` key in {body}"))),
    }
}

async fn reset_mock() -> TestResult {
    let url = format!("{}/__mock/reset", mock_url()?);
    send(Request::post(&url), "POST /__mock/reset").await?;
    Ok(())
}

fn page_origin() -> Result<String, JsValue> {
    let location = js_sys::Reflect::get(&js_sys::global(), &"location".into())?;
    js_sys::Reflect::get(&location, &"origin".into())?
        .as_string()
        .ok_or_else(|| fail("location.origin is not a string".into()))
}

const INCLUDE: RequestCredentials = RequestCredentials::Include;

#[wasm_bindgen_test]
async fn cookie_round_trip_across_origins() -> TestResult {
    let origin = page_origin()?;
    assert_ne!(
        origin,
        mock_url()?,
        "the test page must be cross-origin to the mock"
    );
    reset_mock().await?;

    let created = client_id(Request::put, INCLUDE, "PUT /v1/client").await?;
    assert!(created.is_some(), "PUT /v1/client answered no client");

    let fetched = client_id(Request::get, INCLUDE, "GET /v1/client").await?;
    assert_eq!(
        fetched, created,
        "the __client cookie set by PUT must identify the same client on GET"
    );

    let url = format!("{}/v1/client", mock_url()?);
    send(
        Request::delete(&url).credentials(INCLUDE),
        "DELETE /v1/client",
    )
    .await?;
    let after = client_id(Request::get, INCLUDE, "GET after DELETE").await?;
    assert_eq!(after, None, "GET after DELETE must answer response: null");
    Ok(())
}

#[wasm_bindgen_test]
async fn request_without_credentials_has_no_client() -> TestResult {
    reset_mock().await?;
    let created = client_id(Request::put, INCLUDE, "PUT /v1/client").await?;
    assert!(created.is_some(), "PUT /v1/client answered no client");

    // The cookie now exists, but a request that omits credentials does not send it.
    let anonymous = client_id(Request::get, RequestCredentials::Omit, "GET (omit)").await?;
    assert_eq!(
        anonymous, None,
        "a request without the cookie must get response: null"
    );

    // With credentials the same client is found: the cookie is what identifies it.
    let with_cookie = client_id(Request::get, INCLUDE, "GET (include)").await?;
    assert_eq!(with_cookie, created);
    Ok(())
}
