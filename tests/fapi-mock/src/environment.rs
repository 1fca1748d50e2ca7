//! `GET /v1/environment` (and `PATCH`, which clerk-js sends as `POST ?_method=PATCH`): the
//! instance's settings as a `Client.Environment` of the OpenAPI spec, every required field
//! present. What the mock can do is what it says: password sign-in with an email address or a
//! username, several sessions per client, no organizations, billing or captcha.
//!
//! `display_config.instance_environment_type` follows `--instance`; its URLs point at the
//! app: the request's `Origin`, or the mock's own `http://HOST` without one.

use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::Response;
use serde_json::{json, Value};

use crate::instance::Instance;
use crate::{json, AppState};

/// The `auth_config` id.
pub const AUTH_CONFIG_ID: &str = "aac_2fapimockAuthConfig00000000";
/// The `display_config` id.
pub const DISPLAY_CONFIG_ID: &str = "display_config_2fapimockDisplay000000";

/// A `UserSettings.Attribute`.
fn attribute(
    enabled: bool,
    required: bool,
    first_factors: &[&str],
    verifications: &[&str],
) -> Value {
    json!({
        "enabled": enabled,
        "required": required,
        "used_for_first_factor": !first_factors.is_empty(),
        "first_factors": first_factors,
        "used_for_second_factor": false,
        "second_factors": [],
        "verifications": verifications,
        "verify_at_sign_up": !verifications.is_empty(),
    })
}

/// `{"enabled": false}`.
fn off() -> Value {
    json!({ "enabled": false })
}

fn auth_config(instance: Instance) -> Value {
    json!({
        "object": "auth_config",
        "id": AUTH_CONFIG_ID,
        "first_name": "on",
        "last_name": "on",
        "email_address": "required",
        "phone_number": "off",
        "username": "on",
        "password": "required",
        "identification_requirements": [["email_address"], ["username"]],
        "identification_strategies": ["email_address", "username"],
        "first_factors": ["password"],
        "second_factors": [],
        "email_address_verification_strategies": ["email_code"],
        "single_session_mode": false,
        "enhanced_email_deliverability": false,
        "test_mode": false,
        "url_based_session_syncing": instance == Instance::Development,
        "claimed_at": null,
        "reverification": false,
    })
}

/// The URLs of `display_config`, all under `app`.
fn display_urls(app: &str) -> Value {
    let sign_in = format!("{app}/sign-in");
    let home = format!("{app}/");
    json!({
        "home_url": home,
        "sign_in_url": sign_in,
        "sign_up_url": format!("{app}/sign-up"),
        "user_profile_url": format!("{app}/user"),
        "waitlist_url": format!("{app}/waitlist"),
        "after_sign_in_url": home,
        "after_sign_up_url": home,
        "after_sign_out_one_url": format!("{sign_in}/choose"),
        "after_sign_out_all_url": sign_in,
        "after_switch_session_url": home,
        "after_join_waitlist_url": home,
        "organization_profile_url": format!("{app}/organization"),
        "create_organization_url": format!("{app}/create-organization"),
        "after_leave_organization_url": home,
        "after_create_organization_url": home,
        "logo_link_url": home,
    })
}

fn display_config(instance: Instance, app: &str) -> Value {
    let mut config = json!({
        "object": "display_config",
        "id": DISPLAY_CONFIG_ID,
        "instance_environment_type": instance.as_str(),
        "application_name": "fapi-mock",
        "theme": {
            "general": {
                "color": "#6c47ff",
                "background_color": "#ffffff",
                "font_color": "#151515",
                "font_family": "",
                "label_font_weight": "600",
                "padding": "1em",
                "border_radius": "0.5em",
                "box_shadow": "0 2px 8px rgba(0, 0, 0, 0.2)",
            },
            "buttons": { "font_color": "#ffffff", "font_family": "", "font_weight": "600" },
            "accounts": { "background_color": "#ffffff" },
        },
        "preferred_sign_in_strategy": "password",
        "logo_image_url": null,
        "favicon_image_url": null,
        "support_email": null,
        "branded": false,
        "experimental_force_oauth_first": false,
        "clerk_js_version": null,
        "show_devmode_warning": instance == Instance::Development,
        "google_one_tap_client_id": null,
        "help_url": null,
        "privacy_policy_url": null,
        "terms_url": null,
        "logo_url": null,
        "favicon_url": null,
        "logo_image": null,
        "favicon_image": null,
        "captcha_public_key": null,
        "captcha_widget_type": null,
        "captcha_public_key_invisible": null,
        "captcha_provider": null,
        "captcha_oauth_bypass": [],
        "captcha_heartbeat": false,
    });
    if let (Value::Object(config), Value::Object(urls)) = (&mut config, display_urls(app)) {
        config.extend(urls);
    }
    config
}

fn user_settings() -> Value {
    let none: &[&str] = &[];
    json!({
        "attributes": {
            "email_address": attribute(true, true, &["email_code"], &["email_code"]),
            "phone_number": attribute(false, false, none, none),
            "username": attribute(true, false, none, none),
            "web3_wallet": attribute(false, false, none, none),
            "first_name": attribute(true, false, none, none),
            "last_name": attribute(true, false, none, none),
            "password": attribute(true, true, none, none),
            "authenticator_app": attribute(false, false, none, none),
            "ticket": attribute(true, false, &["ticket"], none),
            "backup_code": attribute(false, false, none, none),
            "passkey": attribute(false, false, none, none),
        },
        "social": {},
        "saml": off(),
        "enterprise_sso": off(),
        "sign_in": { "second_factor": { "required": false } },
        "sign_up": {
            "captcha_enabled": false,
            "captcha_widget_type": "smart",
            "custom_action_required": false,
            "progressive": true,
            "mode": "public",
            "legal_consent_enabled": false,
        },
        "restrictions": {
            "allowlist": off(),
            "blocklist": off(),
            "allowlist_blocklist_disabled_on_sign_in": off(),
            "block_email_subaddresses": off(),
            "block_disposable_email_domains": off(),
        },
        "password_settings": {
            "disable_hibp": true,
            "min_length": 8,
            "max_length": 72,
            "require_special_char": false,
            "require_numbers": false,
            "require_uppercase": false,
            "require_lowercase": false,
            "show_zxcvbn": false,
            "min_zxcvbn_strength": 0,
            "enforce_hibp_on_sign_in": false,
            "allowed_special_characters": "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
        },
        "username_settings": {
            "min_length": 3,
            "max_length": 64,
            "allow_extended_special_characters": false,
        },
        "actions": {
            "delete_self": true,
            "create_organization": false,
            "create_organizations_limit": null,
        },
        "attack_protection": {
            "user_lockout": { "enabled": true, "max_attempts": 100, "duration_in_minutes": 60 },
            "pii": off(),
            "email_link": { "require_same_client": false },
            "enumeration_protection": off(),
        },
        "passkey_settings": { "allow_autofill": true, "show_sign_in_button": true },
    })
}

/// The whole environment for `instance`, its URLs under `app` (an origin, no trailing `/`).
pub fn environment(instance: Instance, app: &str) -> Value {
    json!({
        "auth_config": auth_config(instance),
        "display_config": display_config(instance, app),
        "user_settings": user_settings(),
        "organization_settings": {
            "enabled": false,
            "max_allowed_memberships": 5,
            "actions": { "admin_delete": true },
            "domains": { "enabled": false, "enrollment_modes": [], "default_role": "org:member" },
            "creator_role": "org:admin",
        },
        "fraud_settings": {
            "object": "fraud_settings",
            "native": { "device_attestation_mode": "disabled" },
        },
        "commerce_settings": {
            "billing": {
                "enabled": false,
                "stripe_publishable_key": null,
                "has_paid_user_plans": false,
                "has_paid_org_plans": false,
                "user": { "enabled": false, "has_paid_plans": false },
                "organization": { "enabled": false, "has_paid_plans": false },
            },
        },
        "api_keys_settings": off(),
        "client_debug_mode": false,
        "maintenance_mode": false,
    })
}

/// The app's origin for a request: its `Origin`, else `http(s)://HOST`.
fn app_origin(headers: &HeaderMap) -> String {
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(origin) = text(header::ORIGIN).filter(|o| *o != "null") {
        return origin.trim_end_matches('/').to_owned();
    }
    let scheme = if crate::credentials::is_https(headers) {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{}", text(header::HOST).unwrap_or("localhost"))
}

/// `GET|PATCH /v1/environment`.
pub async fn get_environment(State(state): State<AppState>, headers: HeaderMap) -> Response {
    json::ok(&environment(state.config().instance, &app_origin(&headers)))
}
