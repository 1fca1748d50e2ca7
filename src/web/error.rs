//! `FapiError`: the core's [`Error`] as an instance of the JS class in `js/fapi_error.js`.

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::core::Error;

#[wasm_bindgen(module = "/js/fapi_error.js")]
extern "C" {
    /// The JS `FapiError` class.
    #[wasm_bindgen(js_name = FapiError)]
    pub type JsFapiError;

    #[wasm_bindgen(constructor, js_class = "FapiError")]
    fn new(message: &str, details: &Object) -> JsFapiError;
}

#[wasm_bindgen(module = "/js/objects.js")]
extern "C" {
    #[wasm_bindgen(js_name = parseErrors)]
    fn parse_errors(text: Option<&str>) -> JsValue;
}

fn set(target: &Object, key: &str, value: &JsValue) {
    // Setting a property on a fresh plain object cannot fail.
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

/// Builds the JS `FapiError` for `error`.
pub fn to_js(error: &Error) -> JsValue {
    let details = Object::new();
    set(&details, "kind", &error.kind.as_str().into());
    if let Some(status) = error.status {
        set(&details, "status", &status.into());
    }
    if let Some(code) = &error.code {
        set(&details, "code", &code.as_str().into());
    }
    set(
        &details,
        "errors",
        &parse_errors(error.errors_json.as_deref()),
    );
    if let Some(trace) = &error.trace_id {
        set(&details, "traceId", &trace.as_str().into());
    }
    if let Some(secs) = error.retry_after {
        set(&details, "retryAfter", &secs.into());
    }
    JsFapiError::new(&error.message, &details).into()
}
