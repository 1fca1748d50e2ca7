//! Checks a JSON value against an OpenAPI 3.0 schema of `fixtures/fapi-openapi-subset.json`:
//! `$ref`, `type`, `nullable`, `enum`, `properties`, `required`, `additionalProperties`,
//! `items`, `allOf`, `oneOf`, `minimum`, `maximum` (what those schemas use).

use serde_json::Value;

/// The fixture's `components.schemas`.
pub fn schemas() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/fapi-openapi-subset.json"
    );
    let text = std::fs::read_to_string(path).expect("fixture");
    let doc: Value = serde_json::from_str(&text).expect("fixture JSON");
    doc["components"]["schemas"].clone()
}

/// Every way `value` breaks schema `name`, as `path: problem` lines (empty when it conforms).
pub fn violations(value: &Value, name: &str) -> Vec<String> {
    let schemas = schemas();
    let mut out = Vec::new();
    check(&schemas, value, &schemas[name], "$", &mut out);
    out
}

fn resolve<'s>(schemas: &'s Value, schema: &'s Value) -> &'s Value {
    match schema["$ref"].as_str() {
        Some(r) => &schemas[r.rsplit('/').next().unwrap_or_default()],
        None => schema,
    }
}

fn type_matches(ty: &str, value: &Value) -> bool {
    match ty {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        _ => true,
    }
}

fn check(schemas: &Value, value: &Value, schema: &Value, path: &str, out: &mut Vec<String>) {
    let schema = resolve(schemas, schema);
    assert!(!schema.is_null(), "{path}: unknown schema");
    if value.is_null() {
        if schema["nullable"] != true {
            out.push(format!("{path}: null but not nullable"));
        }
        return;
    }
    if let Some(ty) = schema["type"].as_str() {
        if !type_matches(ty, value) {
            out.push(format!("{path}: {value} is not of type {ty}"));
            return;
        }
    }
    if let Some(allowed) = schema["enum"].as_array() {
        if !allowed.contains(value) {
            out.push(format!("{path}: {value} not in {allowed:?}"));
        }
    }
    if let Some(min) = schema["minimum"].as_f64() {
        if value.as_f64().is_some_and(|v| v < min) {
            out.push(format!("{path}: {value} < {min}"));
        }
    }
    if let Some(max) = schema["maximum"].as_f64() {
        if value.as_f64().is_some_and(|v| v > max) {
            out.push(format!("{path}: {value} > {max}"));
        }
    }
    for part in schema["allOf"].as_array().into_iter().flatten() {
        check(schemas, value, part, path, out);
    }
    if let Some(options) = schema["oneOf"].as_array() {
        let matching = options
            .iter()
            .filter(|option| {
                let mut errors = Vec::new();
                check(schemas, value, option, path, &mut errors);
                errors.is_empty()
            })
            .count();
        if matching != 1 {
            out.push(format!("{path}: matches {matching} of the oneOf schemas"));
        }
    }
    if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
        for (i, item) in array.iter().enumerate() {
            check(schemas, item, items, &format!("{path}[{i}]"), out);
        }
    }
    let Some(object) = value.as_object() else {
        return;
    };
    for required in schema["required"].as_array().into_iter().flatten() {
        let key = required.as_str().unwrap_or_default();
        if !object.contains_key(key) {
            out.push(format!("{path}: missing required {key}"));
        }
    }
    let properties = schema["properties"].as_object();
    for (key, item) in object {
        let child = format!("{path}.{key}");
        match properties.and_then(|p| p.get(key)) {
            Some(property) => check(schemas, item, property, &child, out),
            None if schema["additionalProperties"] == false => {
                out.push(format!(
                    "{child}: not allowed (additionalProperties: false)"
                ));
            }
            None => {
                if let Some(extra) = schema.get("additionalProperties").filter(|s| s.is_object()) {
                    check(schemas, item, extra, &child, out);
                }
            }
        }
    }
}
