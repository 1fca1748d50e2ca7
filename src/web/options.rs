//! Reading the options object JavaScript passes (camelCase keys). Unknown keys are left
//! to the JS entry (`wasm`, for instance).

use wasm_bindgen::JsValue;

use crate::core::config::{self, Config, Credentials, Revalidation};
use crate::core::error::{decimal, msg};
use crate::core::instance;
use crate::core::policy::RetryPolicy;
use crate::core::Error;

/// `options[key]`: `None` when absent or `undefined`.
fn option(options: &JsValue, key: &str) -> Option<JsValue> {
    js_sys::Reflect::get(options, &JsValue::from_str(key))
        .ok()
        .filter(|v| !v.is_undefined())
}

fn boolean(options: &JsValue, key: &str, default: bool) -> Result<bool, Error> {
    match option(options, key) {
        None => Ok(default),
        Some(v) => v
            .as_bool()
            .ok_or_else(|| Error::config(msg(&["options.", key, " must be a boolean"]))),
    }
}

/// A whole number of milliseconds (or a count) in `min..=max`.
fn whole(options: &JsValue, key: &str, default: u32, min: u32, max: u32) -> Result<u32, Error> {
    match option(options, key).map(|v| v.as_f64()) {
        None => Ok(default),
        Some(Some(n)) if n.is_finite() && n >= f64::from(min) && n <= f64::from(max) => {
            Ok(n as u32)
        }
        Some(_) => Err(Error::config(msg(&[
            "options.",
            key,
            " must be a number from ",
            &decimal(u64::from(min)),
            " to ",
            &decimal(u64::from(max)),
        ]))),
    }
}

/// Checks the options; every failure is a `config` error naming the option.
pub fn read(options: &JsValue) -> Result<Config, Error> {
    if !options.is_object() {
        return Err(Error::config(
            "options must be an object with frontendApi, publishableKey or proxyUrl",
        ));
    }
    let text = |key: &str| -> Result<Option<String>, Error> {
        option(options, key)
            .map(|v| {
                v.as_string()
                    .ok_or_else(|| Error::config(msg(&["options.", key, " must be a string"])))
            })
            .transpose()
    };
    let (base, instance) = instance::locate(
        text("frontendApi")?.as_deref(),
        text("publishableKey")?.as_deref(),
        text("proxyUrl")?.as_deref(),
    )?;
    let native = option(options, "clientToken").is_some();
    let credentials = match option(options, "credentials") {
        None => Credentials::default(),
        Some(v) => Credentials::parse(&v.as_string().unwrap_or_default())?,
    };
    let max = i32::MAX as u32;
    let retry_defaults = RetryPolicy::default();
    let revalidate_defaults = Revalidation::default();
    Ok(Config {
        base,
        instance,
        native,
        // Cookie-less mode sends no cookie: the client token is the credential.
        credentials: if native {
            Credentials::Omit
        } else {
            credentials
        },
        method_override: boolean(options, "methodOverride", true)?,
        timeout_ms: whole(options, "timeoutMs", config::DEFAULT_TIMEOUT_MS, 1, max)?,
        retry: RetryPolicy {
            max_retries: whole(options, "maxRetries", retry_defaults.max_retries, 0, 20)?,
            base_ms: whole(options, "retryBaseMs", retry_defaults.base_ms, 1, max)?,
            cap_ms: whole(options, "retryCapMs", retry_defaults.cap_ms, 1, max)?,
        },
        revalidate: Revalidation {
            focus: boolean(options, "revalidateOnFocus", revalidate_defaults.focus)?,
            visible: boolean(options, "revalidateOnVisible", revalidate_defaults.visible)?,
            online: boolean(options, "revalidateOnOnline", revalidate_defaults.online)?,
            pageshow: boolean(
                options,
                "revalidateOnPageShow",
                revalidate_defaults.pageshow,
            )?,
            broadcast: boolean(
                options,
                "revalidateOnBroadcast",
                revalidate_defaults.broadcast,
            )?,
            throttle_ms: whole(
                options,
                "revalidateThrottleMs",
                revalidate_defaults.throttle_ms,
                0,
                max,
            )?,
        },
        token_leeway_ms: whole(
            options,
            "tokenLeewayMs",
            crate::core::token::DEFAULT_LEEWAY_MS,
            0,
            max,
        )?,
        session_cookie: boolean(options, "sessionCookie", false)?,
    })
}
