//! `GET|PATCH /v1/environment` against the OpenAPI spec's `Client.Environment`, on either
//! instance; the key set against `JWKS`; and the schema fixture against the spec itself.

mod common;

use common::schema::{schemas, violations};
use common::{dev_server, server, Client};
use fapi_mock::Config;
use serde_json::Value;

fn assert_conforms(value: &Value, schema: &str) {
    let problems = violations(value, schema);
    assert!(problems.is_empty(), "{schema}:\n{}", problems.join("\n"));
}

#[tokio::test]
async fn production_environment_follows_the_spec() {
    let srv = server(Config::default()).await;
    let mut c = Client::new(srv.addr);
    c.origin = Some("http://localhost:5173".into());
    let resp = c.req("GET", "/v1/environment").await;
    assert_eq!(resp.status, 200);
    assert_eq!(resp.header("content-type"), Some("application/json"));
    let env = resp.json();
    assert_conforms(&env, "Client.Environment");
    let display = &env["display_config"];
    assert_eq!(display["instance_environment_type"], "production");
    assert_eq!(display["show_devmode_warning"], false);
    assert_eq!(display["home_url"], "http://localhost:5173/");
    assert_eq!(display["sign_in_url"], "http://localhost:5173/sign-in");
    let auth = &env["auth_config"];
    assert_eq!(auth["single_session_mode"], false);
    assert_eq!(auth["password"], "required");
    assert_eq!(auth["first_factors"][0], "password");
    assert_eq!(auth["url_based_session_syncing"], false);
    let attributes = &env["user_settings"]["attributes"];
    assert_eq!(attributes["email_address"]["used_for_first_factor"], true);
    assert_eq!(attributes["password"]["enabled"], true);
    assert_eq!(env["maintenance_mode"], false);

    // No Origin: the mock's own URL; PATCH (clerk-js: POST ?_method=PATCH) answers the same.
    c.origin = None;
    let own = c.req("POST", "/v1/environment?_method=PATCH").await;
    assert_eq!(own.status, 200);
    assert_eq!(
        own.json()["display_config"]["home_url"],
        format!("{}/", srv.base_url())
    );
}

#[tokio::test]
async fn development_environment_needs_no_dev_browser() {
    let srv = dev_server().await;
    let mut c = Client::new(srv.addr);
    for method in ["GET", "PATCH"] {
        let env = c.req(method, "/v1/environment").await;
        assert_eq!(env.status, 200, "{method}");
        let env = env.json();
        assert_conforms(&env, "Client.Environment");
        assert_eq!(
            env["display_config"]["instance_environment_type"],
            "development"
        );
        assert_eq!(env["display_config"]["show_devmode_warning"], true);
        assert_eq!(env["auth_config"]["url_based_session_syncing"], true);
    }
}

#[tokio::test]
async fn the_key_set_follows_the_spec() {
    let srv = server(Config::default()).await;
    let mut c = Client::new(srv.addr);
    assert_conforms(&c.req("GET", "/.well-known/jwks.json").await.json(), "JWKS");
}

#[test]
fn the_validator_sees_what_breaks_the_schema() {
    let env = fapi_mock::environment::environment(fapi_mock::Instance::Production, "http://a");
    assert_conforms(&env, "Client.Environment");
    let mut broken = env.clone();
    broken["auth_config"].as_object_mut().unwrap().remove("id");
    broken["display_config"]["instance_environment_type"] = "testing".into();
    broken["extra"] = true.into();
    broken["user_settings"]["password_settings"]["min_zxcvbn_strength"] = 9.into();
    broken["display_config"]["branded"] = Value::Null;
    let problems = violations(&broken, "Client.Environment");
    assert_eq!(problems.len(), 5, "{problems:#?}");
}

/// The fixture's schemas are the spec's, when the spec is beside the repository (as in the
/// workspace and in CI: `../shared/reference/fapi-openapi.json`).
#[test]
fn the_schema_fixture_matches_the_spec() {
    let spec = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/reference/fapi-openapi.json"
    );
    let Ok(text) = std::fs::read_to_string(spec) else {
        eprintln!("{spec} not found: the fixture is not compared with the spec");
        return;
    };
    let spec: Value = serde_json::from_str(&text).expect("spec JSON");
    let fixture = schemas();
    for (name, schema) in fixture.as_object().unwrap() {
        assert_eq!(
            &spec["components"]["schemas"][name], schema,
            "{name} differs from the spec"
        );
    }
}
