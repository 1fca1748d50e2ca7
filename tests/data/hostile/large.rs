//! Bodies of the hostile corpus too large to commit (over ~100 KB): built at test time
//! from the committed base body, by the native and the browser run alike. The manifest
//! names them by generator id (`"generator": "deep-array-10000"`).

/// One mebibyte.
pub const MB: usize = 1024 * 1024;

/// The active session's id in `base/current.json` (the second session, Ada's).
pub const ACTIVE: &str = "sess_f84OHpjltimJHPlSm2NZHJHboGu";

/// `text` with the only occurrence of `from` replaced by `to`.
///
/// # Panics
/// When `from` does not occur exactly once: the corpus must say what it means.
pub fn swap(text: &str, from: &str, to: &str) -> String {
    assert_eq!(
        text.matches(from).count(),
        1,
        "anchor {from:?} must occur once"
    );
    text.replacen(from, to, 1)
}

/// `base` with `field` added at the start of the client object.
pub fn with_client_field(base: &str, field: &str) -> String {
    swap(
        base,
        r#"{"response":{"object":"client","#,
        &format!(r#"{{"response":{{{field},"object":"client","#),
    )
}

/// `base` with `field` added at the start of the active session's user.
pub fn with_user_field(base: &str, field: &str) -> String {
    swap(
        base,
        r#""user":{"id":"user_2AdaLovelace1815AnalyticEng""#,
        &format!(r#""user":{{{field},"id":"user_2AdaLovelace1815AnalyticEng""#),
    )
}

/// Many ended sessions, each `{"object":"session","id":"sess_NNNNNN","status":"ended"}`,
/// then the base's active session list unchanged: `count` extra sessions.
pub fn many_sessions(base: &str, count: usize) -> String {
    let mut extra = String::with_capacity(count * 56);
    for i in 0..count {
        extra.push_str(&format!(
            r#"{{"object":"session","id":"sess_x{i:09}","status":"ended"}},"#
        ));
    }
    swap(base, r#""sessions":["#, &format!(r#""sessions":[{extra}"#))
}

/// The generator ids this module answers, for the manifest check.
pub const IDS: &[&str] = &[
    "deep-array-10000",
    "deep-object-10000-in-user",
    "unclosed-array-10000",
    "long-session-id-1mb",
    "long-first-name-1mb",
    "long-escaped-string-1mb",
    "long-key-1mb",
    "long-number-1mb",
    "body-10mb-string",
    "body-10mb-whitespace",
    "body-10mb-array",
    "body-10mb-truncated",
    "sessions-10000",
    "sessions-200000-10mb",
];

/// The body for generator `id` from the base body (`base/current.json`), or `None` for an
/// unknown id.
pub fn body(id: &str, base: &str) -> Option<Vec<u8>> {
    let ten = 10 * MB;
    let text = match id {
        "deep-array-10000" => format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)),
        "deep-object-10000-in-user" => with_user_field(
            base,
            &format!(
                r#""public_metadata_x":{}1{}"#,
                r#"{"a":"#.repeat(10_000),
                "}".repeat(10_000)
            ),
        ),
        "unclosed-array-10000" => format!(r#"{{"response":{}"#, "[".repeat(10_000)),
        "long-session-id-1mb" => {
            let long = format!("sess_{}", "x".repeat(MB));
            base.replace(ACTIVE, &long)
        }
        "long-first-name-1mb" => swap(
            base,
            r#""username":"ada","first_name":"Ada","last_name""#,
            &format!(
                r#""username":"ada","first_name":"{}","last_name""#,
                "A".repeat(MB)
            ),
        ),
        "long-escaped-string-1mb" => with_user_field(
            base,
            &format!(r#""bio":"{}""#, r"\u00e9\ud83d\ude00".repeat(MB / 18)),
        ),
        "long-key-1mb" => with_client_field(base, &format!(r#""{}":1"#, "k".repeat(MB))),
        "long-number-1mb" => swap(
            base,
            r#""expire_at":1796588343533"#,
            &format!(r#""expire_at":1{}"#, "0".repeat(MB)),
        ),
        "body-10mb-string" => {
            with_client_field(base, &format!(r#""padding":"{}""#, "x".repeat(ten)))
        }
        "body-10mb-whitespace" => format!("{}{base}{}", " ".repeat(ten / 2), "\n".repeat(ten / 2)),
        "body-10mb-array" => {
            with_client_field(base, &format!(r#""padding":[{}0]"#, "0,".repeat(ten / 2)))
        }
        "body-10mb-truncated" => {
            let full = with_client_field(base, &format!(r#""padding":"{}""#, "x".repeat(ten)));
            full.get(..full.len() - 100).unwrap_or_default().to_owned()
        }
        "sessions-10000" => many_sessions(base, 10_000),
        "sessions-200000-10mb" => many_sessions(base, 200_000),
        _ => return None,
    };
    Some(text.into_bytes())
}
