//! The generator of the hostile corpus: every bad answer, what to serve it with, and what
//! the manager must make of it.
//!
//! Run natively as part of `tests/core_hostile.rs`, which checks that the committed files
//! (`manifest.json`, `corpus.rs`, `cases/*.body`) are exactly what this generates. After
//! changing it, write them again with
//!
//! ```sh
//! HOSTILE_REGENERATE=1 cargo test -p fapi-session --test core_hostile corpus_is_generated
//! ```
//!
//! Cases derive from real `fapi-mock` answers in `base/` (`current.json`: a client with two
//! active sessions, Boss's and Ada's, Ada's the active one; `seed.json`: the seed dialect),
//! changed by exact text substitution so that everything but the fault stays real.
//! Bodies over ~100 KB are not committed: the manifest names a generator id of
//! [`super::large`] instead, and the runs build them.

use serde_json::{json, Map, Value};

use super::large::{swap, with_client_field, with_user_field, ACTIVE};

/// The real answers the cases start from.
pub const BASE: &str = include_str!("base/current.json");
const SEED: &str = include_str!("base/seed.json");

const CLIENT: &str = "client_Sl325v0JXV3mdEbD9sy04sTYjF3";
/// Boss's session (active, not the last active one).
const S1: &str = "sess_LfEnPOYAliCzbPc2jK08u6BQIc2";
const U1: &str = "user_1n5AY2RXJyBGhGLAhdEffaOCpFJ";
const U2: &str = "user_2AdaLovelace1815AnalyticEng";
/// The active session's head, up to its times.
const S2_HEAD: &str = r#""id":"sess_f84OHpjltimJHPlSm2NZHJHboGu","status":"active","expire_at":1796588343533,"abandon_at":1798575543533,"#;
const S2_STATUS: &str = r#""id":"sess_f84OHpjltimJHPlSm2NZHJHboGu","status":"active""#;
const S2_EXPIRE: &str = r#""expire_at":1796588343533"#;
const S2_ABANDON: &str = r#""abandon_at":1798575543533"#;
const S2_USER: &str = r#""user":{"id":"user_2AdaLovelace1815AnalyticEng""#;
const S2_PUBLIC: &str = r#""public_user_data":{"first_name":"Ada""#;
const ADA_NAME: &str = r#""username":"ada","first_name":"Ada","last_name""#;
const HEAD: &str =
    r#"{"response":{"object":"client","id":"client_Sl325v0JXV3mdEbD9sy04sTYjF3","sessions":["#;
const CLIENT_ID: &str = r#""id":"client_Sl325v0JXV3mdEbD9sy04sTYjF3""#;
const CLIENT_OBJECT: &str = r#"{"response":{"object":"client","#;
const SESSIONS: &str = r#""sessions":["#;
const LAST_ACTIVE: &str = r#""last_active_session_id":"sess_f84OHpjltimJHPlSm2NZHJHboGu""#;
const UPDATED: &str = r#""updated_at":1795983543533},"client":null}"#;
const ENVELOPE_TAIL: &str = r#"},"client":null}"#;

/// Where a case's body comes from.
pub enum Source {
    /// Committed as `cases/<name>.body`.
    File(Vec<u8>),
    /// Built at test time by [`large::body`].
    Generated(&'static str),
}

/// One bad answer.
pub struct Case {
    /// Unique, kebab-case.
    pub name: String,
    /// The group the browser run tests it in (one `#[wasm_bindgen_test]` per group).
    pub group: &'static str,
    /// The body.
    pub source: Source,
    /// HTTP status to serve.
    pub status: u16,
    /// `Content-Type` to serve.
    pub content_type: &'static str,
    /// `error:parse`, `error:http`, or `graceful:<the documented reading>`.
    pub expect: String,
    /// Why: the rule that makes it an error, or how the reading comes about.
    pub why: String,
    /// For graceful readings: what the state must show (see the manifest's `checks`).
    pub check: Option<Map<String, Value>>,
    /// Why the browser run cannot serve it, if it cannot.
    pub browser_skip: Option<&'static str>,
    /// A known defect: the case states the right outcome and is run only by the
    /// `#[ignore]`d test `known_bugs` until fixed.
    pub known_bug: Option<&'static str>,
}

impl Case {
    fn status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }

    fn content_type(mut self, content_type: &'static str) -> Self {
        self.content_type = content_type;
        self
    }

    fn with(mut self, key: &str, value: Value) -> Self {
        if let Some(check) = self.check.as_mut() {
            check.insert(key.to_owned(), value);
        }
        self
    }

    fn without(mut self, key: &str) -> Self {
        if let Some(check) = self.check.as_mut() {
            check.remove(key);
        }
        self
    }

    fn browser_skip(mut self, why: &'static str) -> Self {
        self.browser_skip = Some(why);
        self
    }

    #[allow(dead_code)]
    fn bug(mut self, what: &'static str) -> Self {
        self.known_bug = Some(what);
        self
    }
}

/// The reading of the base answer: Ada's session of two, signed in.
fn base_check() -> Map<String, Value> {
    let Value::Object(map) = json!({
        "client": CLIENT, "sessions": 2, "session": ACTIVE, "signed_in": true, "user": U2,
        "has_user": true,
    }) else {
        unreachable!()
    };
    map
}

fn case(
    group: &'static str,
    name: &str,
    body: impl Into<Vec<u8>>,
    expect: &str,
    why: &str,
) -> Case {
    Case {
        name: name.to_owned(),
        group,
        source: Source::File(body.into()),
        status: 200,
        content_type: "application/json",
        expect: expect.to_owned(),
        why: why.to_owned(),
        check: None,
        browser_skip: None,
        known_bug: None,
    }
}

fn parse(group: &'static str, name: &str, body: impl Into<Vec<u8>>, why: &str) -> Case {
    case(group, name, body, "error:parse", why)
}

fn http(group: &'static str, name: &str, status: u16, body: impl Into<Vec<u8>>, why: &str) -> Case {
    case(group, name, body, "error:http", why).status(status)
}

/// A graceful reading whose state is the base reading, changed as the caller says.
fn graceful(
    group: &'static str,
    name: &str,
    body: impl Into<Vec<u8>>,
    reading: &str,
    why: &str,
) -> Case {
    let mut c = case(group, name, body, &format!("graceful:{reading}"), why);
    c.check = Some(base_check());
    c
}

fn generated(c: Case, id: &'static str) -> Case {
    Case {
        source: Source::Generated(id),
        ..c
    }
}

fn base(from: &str, to: &str) -> String {
    swap(BASE, from, to)
}

/// The active session's head with `field` (`"status":"active"` etc.) replaced.
fn s2(from: &str, to: &str) -> String {
    base(S2_HEAD, &S2_HEAD.replacen(from, to, 1))
}

const WRONG_TYPES: [(&str, &str); 5] = [
    ("number", "5"),
    ("bool", "true"),
    ("array", "[]"),
    ("object", "{}"),
    ("string", r#""x""#),
];

/// Every case, in manifest order.
pub fn cases() -> Vec<Case> {
    let mut all = Vec::new();
    truncated(&mut all);
    syntax(&mut all);
    not_json(&mut all);
    encoding(&mut all);
    envelope(&mut all);
    client(&mut all);
    session(&mut all);
    timestamps(&mut all);
    user(&mut all);
    duplicates(&mut all);
    errors_at_200(&mut all);
    http_errors(&mut all);
    statuses_and_types(&mut all);
    large_cases(&mut all);
    all
}

fn truncated(all: &mut Vec<Case>) {
    let why = "JSON cut off: refused whole (nothing is read from a partial answer)";
    let mut points: Vec<usize> = (1..40).map(|i| i * BASE.len() / 40).collect();
    for anchor in [SESSIONS, S2_EXPIRE, S2_USER, LAST_ACTIVE, r#""jwt":"ey"#] {
        let at = BASE.find(anchor).unwrap_or_default();
        points.extend([at + anchor.len() / 2, at + anchor.len()]);
    }
    points.extend([1, 2, BASE.len() - 2, BASE.len() - 1]);
    points.sort_unstable();
    points.dedup();
    for at in points {
        all.push(parse(
            "truncated",
            &format!("current-cut-at-{at}"),
            &BASE[..at],
            why,
        ));
    }
    for i in 1..10 {
        let at = i * SEED.len() / 10;
        all.push(parse(
            "truncated",
            &format!("seed-cut-at-{at}"),
            &SEED[..at],
            why,
        ));
    }
}

fn syntax(all: &mut Vec<Case>) {
    let g = "syntax";
    let why = "not JSON (RFC 8259): JSON.parse refuses it too";
    let no_client = r#"{"response":null,"client":null}"#;
    let bodies: Vec<(&str, String)> = vec![
        (
            "trailing-comma-in-client",
            base(UPDATED, r#""updated_at":1795983543533,},"client":null}"#),
        ),
        (
            "trailing-comma-in-sessions",
            base(r#"}],"sign_in":null"#, r#"},],"sign_in":null"#),
        ),
        ("line-comment", format!("// hello\n{no_client}")),
        ("block-comment", base(SESSIONS, r#""sessions":/* two */["#)),
        ("single-quotes", "{'response':null,'client':null}".into()),
        ("unquoted-keys", "{response:null,client:null}".into()),
        ("nan-literal", s2(S2_EXPIRE, r#""expire_at":NaN"#)),
        ("infinity-literal", s2(S2_EXPIRE, r#""expire_at":Infinity"#)),
        (
            "minus-infinity-literal",
            s2(S2_EXPIRE, r#""expire_at":-Infinity"#),
        ),
        ("hex-number", s2(S2_EXPIRE, r#""expire_at":0x1A2B"#)),
        (
            "leading-zero",
            s2(S2_EXPIRE, r#""expire_at":01796588343533"#),
        ),
        ("plus-sign", s2(S2_EXPIRE, r#""expire_at":+1796588343533"#)),
        ("bare-fraction", s2(S2_EXPIRE, r#""expire_at":.5"#)),
        (
            "dangling-point",
            s2(S2_EXPIRE, r#""expire_at":1796588343533."#),
        ),
        ("dangling-exponent", s2(S2_EXPIRE, r#""expire_at":1e"#)),
        ("lone-minus", s2(S2_EXPIRE, r#""expire_at":-"#)),
        (
            "raw-tab-in-string",
            base(
                ADA_NAME,
                "\"username\":\"ada\",\"first_name\":\"A\tda\",\"last_name\"",
            ),
        ),
        (
            "raw-newline-in-string",
            base(
                ADA_NAME,
                "\"username\":\"ada\",\"first_name\":\"A\nda\",\"last_name\"",
            ),
        ),
        (
            "raw-nul-in-string",
            base(
                ADA_NAME,
                "\"username\":\"ada\",\"first_name\":\"A\0da\",\"last_name\"",
            ),
        ),
        (
            "bad-escape-x",
            base(
                ADA_NAME,
                r#""username":"ada","first_name":"\x41da","last_name""#,
            ),
        ),
        (
            "bad-escape-quote",
            base(
                ADA_NAME,
                r#""username":"ada","first_name":"\'Ada","last_name""#,
            ),
        ),
        (
            "bad-unicode-escape",
            base(
                ADA_NAME,
                r#""username":"ada","first_name":"\u12g4","last_name""#,
            ),
        ),
        (
            "short-unicode-escape",
            base(
                ADA_NAME,
                r#""username":"ada","first_name":"\u12","last_name""#,
            ),
        ),
        ("missing-colon", base(SESSIONS, r#""sessions" ["#)),
        (
            "missing-comma",
            base(
                r#""sign_in":null,"sign_up":null"#,
                r#""sign_in":null "sign_up":null"#,
            ),
        ),
        ("extra-closing-brace", format!("{BASE}}}")),
        ("two-documents", format!("{BASE}{BASE}")),
        ("trailing-garbage", format!("{BASE} x")),
        ("trailing-nul", format!("{BASE}\0")),
        ("xssi-prefix", format!(")]}}'\n{BASE}")),
        ("while-prefix", format!("while(1);{BASE}")),
        ("jsonp", format!("callback({BASE});")),
        (
            "python-literals",
            r#"{"response":None,"client":None}"#.into(),
        ),
        (
            "capital-true",
            base(r#""captcha_bypass":false"#, r#""captcha_bypass":True"#),
        ),
        (
            "undefined-literal",
            r#"{"response":undefined,"client":null}"#.into(),
        ),
        (
            "number-key",
            r#"{1:null,"response":null,"client":null}"#.into(),
        ),
        ("colon-in-array", base(SESSIONS, r#""sessions":["a":1,"#)),
        (
            "mismatched-brackets",
            base(r#"}],"sign_in":null"#, r#"}},"sign_in":null"#),
        ),
        (
            "unterminated-string",
            BASE.replacen(ENVELOPE_TAIL, r#"},"client":"null}"#, 1),
        ),
        (
            "form-feed-between-tokens",
            base(SESSIONS, "\"sessions\":\u{c}["),
        ),
    ];
    for (name, body) in bodies {
        all.push(parse(g, name, body, why));
    }
    all.push(graceful(
        g,
        "empty-key-and-insignificant-whitespace",
        base(
            CLIENT_OBJECT,
            "{ \"response\" :\r\n\t{\"\":0 , \"object\" : \"client\" ,",
        ),
        "valid JSON, read as usual",
        "an empty key and JSON whitespace are valid JSON",
    ));
    // Leading or trailing whitespace that JSON does not allow: JSON.parse and
    // Response.json() refuse these bodies.
    for (name, ws) in [
        ("nbsp-around", "\u{a0}"),
        ("vertical-tab-around", "\u{b}"),
        ("form-feed-around", "\u{c}"),
        ("line-separator-around", "\u{2028}"),
        ("ideographic-space-around", "\u{3000}"),
    ] {
        all.push(parse(
            g,
            name,
            format!("{ws}{BASE}{ws}"),
            "whitespace JSON does not allow (only space, tab, LF, CR): JSON.parse refuses it",
        ));
    }
}

fn not_json(all: &mut Vec<Case>) {
    let g = "not-json";
    let html = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>";
    let why = "not a JSON object: nothing to read";
    all.push(parse(g, "html-page-200", html, "an HTML page").content_type("text/html"));
    all.push(parse(
        g,
        "html-page-200-as-json",
        html,
        "an HTML page, whatever the content type says",
    ));
    all.push(parse(
        g,
        "html-after-whitespace",
        format!("\n\n  {html}"),
        "an HTML page",
    ));
    all.push(
        parse(g, "xml", r#"<?xml version="1.0"?><client id="c"/>"#, "XML")
            .content_type("application/xml"),
    );
    all.push(parse(g, "plain-text-ok", "OK", why).content_type("text/plain"));
    all.push(parse(
        g,
        "empty-200",
        "",
        "an empty body where JSON was due",
    ));
    all.push(parse(
        g,
        "whitespace-only-200",
        " \r\n\t ",
        "an empty body where JSON was due",
    ));
    for (name, body) in [
        ("top-level-null", "null"),
        ("top-level-array", "[]"),
        (
            "top-level-array-of-client",
            "[{\"response\":null,\"client\":null}]",
        ),
        ("top-level-string", r#""client""#),
        ("top-level-number", "0"),
        ("top-level-true", "true"),
        (
            "top-level-client-string",
            r#""{\"response\":null,\"client\":null}""#,
        ),
    ] {
        all.push(parse(g, name, body, why));
    }
    all.push(parse(
        g,
        "the-bare-client",
        &BASE[12..BASE.len() - ENVELOPE_TAIL.len() + 1],
        "a bare client without the envelope has neither `response` nor `client`",
    ));
}

fn encoding(all: &mut Vec<Case>) {
    let g = "encoding";
    let bytes_in_name = |bytes: &[u8]| {
        let mut out = BASE
            .replacen(
                ADA_NAME,
                r#""username":"ada","first_name":"A@@","last_name""#,
                1,
            )
            .into_bytes();
        let at = out.windows(2).position(|w| w == b"@@").unwrap_or_default();
        out.splice(at..at + 2, bytes.iter().copied());
        out
    };
    for (name, bytes) in [
        ("invalid-utf8-ff", &b"\xff"[..]),
        ("invalid-utf8-lone-continuation", b"\x80"),
        ("invalid-utf8-overlong-slash", b"\xc0\xaf"),
        ("invalid-utf8-truncated-sequence", b"\xe2\x82"),
        ("invalid-utf8-encoded-surrogate", b"\xed\xa0\x80"),
        ("latin1-e-acute", b"\xe9"),
        ("invalid-utf8-beyond-unicode", b"\xf4\x90\x80\x80"),
    ] {
        all.push(parse(
            g,
            name,
            bytes_in_name(bytes),
            "not UTF-8: refused whole (Response.json() would put U+FFFD in)",
        ));
    }
    let mut utf16 = vec![0xff, 0xfe];
    utf16.extend(
        r#"{"response":null,"client":null}"#
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    all.push(parse(g, "utf16le-with-bom", utf16, "UTF-16: not UTF-8"));
    let utf16_no_bom: Vec<u8> =
        r#"{"response":null,"client":null}"#.encode_utf16().flat_map(u16::to_le_bytes).collect();
    all.push(parse(
        g,
        "utf16le-without-bom",
        utf16_no_bom,
        "UTF-16 without BOM: valid UTF-8 with NULs, not JSON",
    ));
    all.push(parse(g, "utf8-bom", format!("\u{feff}{BASE}"), "a byte order mark is not JSON whitespace: refused (JSON.parse refuses it; Response.json() would strip it)"));
    all.push(graceful(
        g,
        "raw-non-ascii-name",
        base(
            ADA_NAME,
            r#""username":"ada","first_name":"Adä 😀 \u00e9","last_name""#,
        ),
        "valid UTF-8 and escapes pass through",
        "names are not decided on",
    ));
    all.push(graceful(
        g,
        "lone-surrogate-in-name",
        base(
            ADA_NAME,
            r#""username":"ada","first_name":"\ud800Ada\udfff","last_name""#,
        ),
        "lone surrogate escapes pass through untouched",
        "JSON.parse keeps lone surrogates; the core never decides on names",
    ));
    all.push(graceful(
        g,
        "nul-escape-in-name",
        base(
            ADA_NAME,
            r#""username":"ada","first_name":"\u0000","last_name""#,
        ),
        "escaped control characters pass through",
        "valid JSON",
    ));
    all.push(
        graceful(
            g,
            "lone-surrogate-status",
            base(S2_STATUS, &S2_STATUS.replace(r#""active""#, r#""\ud800""#)),
            "unknown status reads as signed out",
            "a status is compared as decoded text; a lone surrogate is no known status",
        )
        .with("session", Value::Null)
        .with("signed_in", json!(false))
        .with("user", Value::Null)
        .with("has_user", json!(false)),
    );
    all.push(graceful(
        g,
        "escaped-session-id",
        base(
            r#"{"object":"session","id":"sess_f84OHpjltimJHPlSm2NZHJHboGu""#,
            r#"{"object":"session","id":"sess\u005ff84OHpjltimJHPlSm2NZHJHboGu""#,
        ),
        "escapes in ids decode before comparison",
        "\"sess\\u005f...\" is the same string as \"sess_...\" in JSON.parse too",
    ));
    all.push(parse(
        g,
        "lone-surrogate-ids-distinct-in-js",
        base(S1, "\\ud800").replace(ACTIVE, "\\ud801"),
        "ids holding lone surrogates (U+D800, U+D801) cannot be held as Rust strings, so they cannot be compared as JavaScript compares them: refused (stricter than JS, never wrong)",
    ));
    all.push(
        parse(
            g,
            "lone-surrogate-last-active-names-nothing",
            base(LAST_ACTIVE, r#""last_active_session_id":"\udc00""#).replacen(&format!(r#""id":"{ACTIVE}""#), r#""id":"\ud800""#, 1),
            "last_active_session_id \"\\udc00\" names no session in JavaScript (the active one is \"\\ud800\"): refused, as ids holding lone surrogates are (a lossy reading once made them equal)",
        ),
    );
}

fn envelope(all: &mut Vec<Case>) {
    let g = "envelope";
    let client = &BASE[12..BASE.len() - ENVELOPE_TAIL.len() + 1];
    let neither = "the envelope has neither `response` nor `client`";
    all.push(parse(g, "empty-object", "{}", neither));
    all.push(parse(
        g,
        "only-trace-id",
        r#"{"clerk_trace_id":"abc"}"#,
        neither,
    ));
    all.push(parse(
        g,
        "only-meta",
        r#"{"meta":{"x":1},"object":"client"}"#,
        neither,
    ));
    all.push(parse(
        g,
        "client-null-only",
        r#"{"client":null}"#,
        "`client: null` alone: no `response` to read and no piggyback",
    ));
    all.push(parse(g, "errors-null-only", r#"{"errors":null}"#, neither));
    for (t, v) in WRONG_TYPES {
        all.push(parse(
            g,
            &format!("response-{t}"),
            format!(r#"{{"response":{v},"client":null}}"#),
            "the client is not an object",
        ));
        all.push(parse(
            g,
            &format!("client-{t}"),
            format!(r#"{{"response":null,"client":{v}}}"#),
            "a piggybacked client that is not an object",
        ));
    }
    all.push(parse(
        g,
        "response-sign-in-object",
        format!(
            r#"{{"response":{},"client":null}}"#,
            r#"{"object":"sign_in","id":"sia_1","status":"needs_first_factor"}"#
        ),
        "`response` must be a client (object \"client\" or none)",
    ));
    all.push(parse(g, "response-session-object", format!(r#"{{"response":{{"object":"session","id":"{ACTIVE}","status":"active"}},"client":null}}"#), "`response` must be a client"));
    let signed_out = |c: Case| {
        c.with("client", Value::Null)
            .with("sessions", json!(0))
            .with("session", Value::Null)
            .with("signed_in", json!(false))
            .with("user", Value::Null)
            .with("has_user", json!(false))
    };
    all.push(signed_out(graceful(
        g,
        "no-client",
        r#"{"response":null,"client":null}"#,
        "no client: signed out",
        "what GET /v1/client answers without a cookie",
    )));
    all.push(signed_out(graceful(
        g,
        "response-null-only",
        r#"{"response":null}"#,
        "no client: signed out",
        "`response: null` is the answer; `client` may be absent",
    )));
    all.push(graceful(
        g,
        "client-without-response",
        format!(r#"{{"client":{client}}}"#),
        "the piggybacked client is read",
        "`client` alone is the current client",
    ));
    let s1_active = client.replace(LAST_ACTIVE, &format!(r#""last_active_session_id":"{S1}""#));
    all.push(
        graceful(
            g,
            "client-beats-response",
            format!(r#"{{"response":{client},"client":{s1_active}}}"#),
            "the piggybacked client wins over response",
            "`client`, when present, is the newest state (FIELD-NOTES §1)",
        )
        .with("session", json!(S1))
        .with("user", json!(U1)),
    );
    all.push(graceful(
        g,
        "escaped-envelope-key",
        base(r#"{"response":"#, r#"{"\u0072esponse":"#),
        "escaped keys read like plain ones",
        "\"\\u0072esponse\" is \"response\"",
    ));
    all.push(graceful(g, "extra-envelope-members", base(r#"{"response":"#, r#"{"meta":{"a":[1,{"b":null}]},"errors":null,"clerk_trace_id":7,"object":"envelope","response":"#), "unknown envelope members are ignored", "only `response`, `client`, `errors`, `clerk_trace_id` are read"));
    all.push(parse(
        g,
        "client-array-of-client",
        format!(r#"{{"response":null,"client":[{client}]}}"#),
        "a piggybacked client that is not an object",
    ));
}

fn client(all: &mut Vec<Case>) {
    let g = "client";
    for (t, v) in WRONG_TYPES
        .iter()
        .filter(|(t, _)| *t != "string")
        .chain([("null", "null")].iter())
    {
        all.push(parse(
            g,
            &format!("client-id-{t}"),
            base(CLIENT_ID, &format!(r#""id":{v}"#)),
            "client.id must be a string",
        ));
    }
    all.push(parse(
        g,
        "client-id-missing",
        base(&format!("{CLIENT_ID},"), ""),
        "client.id is required",
    ));
    all.push(
        graceful(
            g,
            "client-id-empty-string",
            base(CLIENT_ID, r#""id":"""#),
            "an empty client id is still an id",
            "ids are opaque strings",
        )
        .with("client", json!("")),
    );
    for (t, v) in [
        ("number", "5"),
        ("bool", "true"),
        ("array", "[]"),
        ("object", "{}"),
    ] {
        all.push(parse(
            g,
            &format!("client-object-{t}"),
            base(r#""object":"client""#, &format!(r#""object":{v}"#)),
            "client.object, when given, must be a string",
        ));
    }
    for other in ["session", "user", "sign_in", "Client", ""] {
        all.push(parse(
            g,
            &format!(
                "client-object-{}",
                if other.is_empty() { "empty" } else { other }
            ),
            base(r#""object":"client""#, &format!(r#""object":"{other}""#)),
            "client.object, when given, must be \"client\"",
        ));
    }
    all.push(graceful(
        g,
        "client-object-null",
        base(r#""object":"client""#, r#""object":null"#),
        "a null or missing `object` is not checked",
        "the object name is only checked when given",
    ));
    all.push(graceful(
        g,
        "client-object-missing",
        base(r#""object":"client","#, ""),
        "a null or missing `object` is not checked",
        "the object name is only checked when given",
    ));
    for (t, v) in [
        ("number", "5"),
        ("bool", "false"),
        ("string", r#""[]""#),
        ("object", "{}"),
    ] {
        all.push(parse(
            g,
            &format!("sessions-{t}"),
            base(SESSIONS, &format!(r#""sessions":{v},"x":["#)),
            "client.sessions must be an array",
        ));
    }
    let no_sessions = |c: Case| {
        c.with("sessions", json!(0))
            .with("session", Value::Null)
            .with("signed_in", json!(false))
            .with("user", Value::Null)
            .with("has_user", json!(false))
    };
    let without_last_active = base(LAST_ACTIVE, r#""last_active_session_id":null"#);
    all.push(no_sessions(graceful(
        g,
        "sessions-null",
        swap(&without_last_active, SESSIONS, r#""sessions":null,"x":["#),
        "missing sessions read as none",
        "a null `sessions` is no sessions",
    )));
    let sessions_start = BASE.find(SESSIONS).unwrap_or_default();
    let sessions_end = BASE.find(r#"],"sign_in":null"#).unwrap_or_default() + 2;
    let cut = format!(
        "{}{}",
        &without_last_active[..sessions_start],
        &without_last_active[sessions_end..]
    );
    all.push(no_sessions(graceful(
        g,
        "sessions-missing",
        cut,
        "missing sessions read as none",
        "an absent `sessions` is no sessions",
    )));
    for (t, v) in [
        ("number", "1"),
        ("string", r#""sess_1""#),
        ("null", "null"),
        ("array", "[]"),
        ("bool", "true"),
    ] {
        all.push(parse(
            g,
            &format!("session-item-{t}"),
            base(SESSIONS, &format!(r#""sessions":[{v},"#)),
            "each session must be an object",
        ));
    }
    let named = format!(r#"["{ACTIVE}"]"#);
    for (t, v) in [
        ("number", "5"),
        ("bool", "true"),
        ("array", named.as_str()),
        ("object", "{}"),
    ] {
        all.push(parse(
            g,
            &format!("last-active-{t}"),
            base(LAST_ACTIVE, &format!(r#""last_active_session_id":{v}"#)),
            "last_active_session_id must be a string",
        ));
    }
    let no_active = |c: Case| {
        c.with("session", Value::Null)
            .with("signed_in", json!(false))
            .with("user", Value::Null)
            .with("has_user", json!(false))
    };
    // An id that names no session is read as Clerk's SDK reads it: the client is applied,
    // with no active session, and nothing is an error (issue #9).
    for (name, named, why) in [
        (
            "last-active-dangling",
            "sess_404",
            "a session the client no longer lists",
        ),
        ("last-active-empty", "", "an empty id names nothing"),
        (
            "last-active-case-differs",
            "SESS_f84OHpjltimJHPlSm2NZHJHboGu",
            "ids compare exactly: a case change names nothing",
        ),
    ] {
        all.push(no_active(graceful(
            g,
            name,
            base(
                LAST_ACTIVE,
                &format!(r#""last_active_session_id":"{named}""#),
            ),
            "a dangling last active id: no active session, sessions kept",
            why,
        )));
    }
    all.push(no_active(graceful(
        g,
        "last-active-null",
        without_last_active.clone(),
        "no last active session: signed out, sessions kept",
        "active sessions without last_active_session_id: none is the active one",
    )));
    all.push(no_active(graceful(
        g,
        "last-active-missing",
        base(&format!("{LAST_ACTIVE},"), ""),
        "no last active session: signed out, sessions kept",
        "as null",
    )));
    all.push(
        graceful(
            g,
            "last-active-other-session",
            base(LAST_ACTIVE, &format!(r#""last_active_session_id":"{S1}""#)),
            "the named session is the active one",
            "Boss's session, also active",
        )
        .with("session", json!(S1))
        .with("user", json!(U1)),
    );
    all.push(graceful(g, "unknown-client-fields", with_client_field(BASE, r#""sign_in":5,"cookie_expires_at":"never","captcha_bypass":[{}],"new_field":{"deep":[1,2,{"x":null}]}"#), "unknown and undecided fields pass through, whatever their type", "the API grows: only ids, sessions, last_active_session_id and updated_at are read"));
}

fn session(all: &mut Vec<Case>) {
    let g = "session";
    let id = format!(r#""id":"{ACTIVE}""#);
    for (t, v) in WRONG_TYPES
        .iter()
        .filter(|(t, _)| *t != "string")
        .chain([("null", "null")].iter())
    {
        all.push(parse(
            g,
            &format!("session-id-{t}"),
            s2(&id, &format!(r#""id":{v}"#)),
            "session.id must be a string",
        ));
        all.push(parse(
            g,
            &format!("session-status-{t}"),
            s2(r#""status":"active""#, &format!(r#""status":{v}"#)),
            "session.status must be a string",
        ));
        if *t != "object" && *t != "null" {
            all.push(parse(
                g,
                &format!("session-user-{t}"),
                base(S2_USER, &format!(r#""user":{v},"u":{{"id":"{U2}""#)),
                "session.user must be an object or null",
            ));
        }
    }
    all.push(parse(
        g,
        "session-user-string",
        base(S2_USER, &format!(r#""user":"{U2}","u":{{"id":"{U2}""#)),
        "session.user must be an object or null",
    ));
    all.push(parse(
        g,
        "session-id-missing",
        s2(&format!("{id},"), ""),
        "session.id is required",
    ));
    all.push(parse(
        g,
        "session-status-missing",
        s2(r#""status":"active","#, ""),
        "session.status is required",
    ));
    let signed_out = |c: Case| {
        c.with("session", Value::Null)
            .with("signed_in", json!(false))
            .with("user", Value::Null)
            .with("has_user", json!(false))
    };
    for (name, status) in [
        ("empty", ""),
        ("uppercase", "ACTIVE"),
        ("unknown", "superuser"),
        ("padded", "active "),
        ("signed_in", "signed_in"),
        ("ended", "ended"),
        ("revoked", "revoked"),
        ("expired", "expired"),
    ] {
        let reading = if ["ended", "revoked", "expired"].contains(&status) {
            "a session that is not current reads as signed out"
        } else {
            "unknown status reads as signed out"
        };
        all.push(signed_out(graceful(g, &format!("session-status-{name}"), s2(r#""status":"active""#, &format!(r#""status":"{status}""#)), reading, "only `active` signs in, only `active`/`pending` can be the active session; an unknown status never grants a session")));
    }
    all.push(
        graceful(
            g,
            "session-status-pending",
            s2(r#""status":"active""#, r#""status":"pending""#),
            "a pending session is the active one but not signed in",
            "`pending` has unfinished tasks",
        )
        .with("signed_in", json!(false)),
    );
    all.push(graceful(
        g,
        "session-status-escaped",
        s2(r#""status":"active""#, r#""status":"\u0061ctive""#),
        "escapes in a status decode before comparison",
        "\"\\u0061ctive\" is \"active\"",
    ));
    let no_user = |c: Case| c.with("user", Value::Null).with("has_user", json!(false));
    let user_start = BASE.find(S2_USER).unwrap_or_default();
    let user_end = BASE.find(&format!(",{S2_PUBLIC}")).unwrap_or_default();
    let user_null = format!("{}\"user\":null{}", &BASE[..user_start], &BASE[user_end..]);
    let user_missing = format!("{}{}", &BASE[..user_start], &BASE[user_end + 1..]);
    all.push(no_user(graceful(
        g,
        "session-user-null",
        user_null,
        "a session without a user is signed in, with user null",
        "the user is not decided on",
    )));
    all.push(no_user(graceful(
        g,
        "session-user-missing",
        user_missing,
        "a session without a user is signed in, with user null",
        "the user is not decided on",
    )));
    all.push(graceful(
        g,
        "unknown-session-fields",
        base(
            S2_HEAD,
            &format!(r#"{S2_HEAD}"last_active_token":7,"actor":[[]],"tasks":"x","#),
        ),
        "unknown and undecided fields pass through, whatever their type",
        "only id, status, expire_at, abandon_at and user are read",
    ));
    all.push(parse(
        g,
        "duplicate-session-ids",
        base(S1, ACTIVE),
        "session ids must be distinct",
    ));
    all.push(parse(
        g,
        "same-session-twice",
        {
            let start = BASE
                .find(r#"{"object":"session","id":"sess_f84"#)
                .unwrap_or_default();
            let end = BASE.find(r#"],"sign_in":null"#).unwrap_or_default();
            let s = &BASE[start..end];
            base(s, &format!("{s},{s}"))
        },
        "session ids must be distinct",
    ));
    all.push(parse(
        g,
        "duplicate-ids-different-status",
        base(S1, ACTIVE).replacen(r#""status":"active""#, r#""status":"ended""#, 1),
        "session ids must be distinct, whatever their status",
    ));
    all.push(parse(
        g,
        "duplicate-ids-among-three",
        base(
            SESSIONS,
            &format!(r#""sessions":[{{"id":"{ACTIVE}","status":"ended"}},"#),
        ),
        "session ids must be distinct",
    ));
}

fn timestamps(all: &mut Vec<Case>) {
    let g = "timestamps";
    for (field, anchor) in [("expire_at", S2_EXPIRE), ("abandon_at", S2_ABANDON)] {
        for (name, v) in [
            ("string", r#""soon""#),
            ("numeric-string", r#""1796588343533""#),
            ("nan-string", r#""NaN""#),
            ("infinity-string", r#""Infinity""#),
            ("bool", "true"),
            ("array", "[1796588343533]"),
            ("object", r#"{"ms":1}"#),
        ] {
            all.push(parse(
                g,
                &format!("{field}-{name}"),
                s2(anchor, &format!(r#""{field}":{v}"#)),
                "timestamps must be numbers (or null)",
            ));
        }
        for (name, v) in [
            ("minus-one", "-1"),
            ("zero", "0"),
            ("minus-zero", "-0"),
            ("1e400", "1e400"),
            ("1e308", "1e308"),
            ("minus-1e400", "-1e400"),
            ("1e14", "1e14"),
            ("twenty-nines", "99999999999999999999"),
            ("1e-400", "1e-400"),
            ("extreme-negative-exponent", "1.55e-99999999999"),
            ("extreme-exponent", "1.5e99999999999"),
            ("null", "null"),
        ] {
            let reading = if v == "null" {
                "a null timestamp reads as absent"
            } else {
                "absurd timestamp read as absent"
            };
            all.push(graceful(g, &format!("{field}-{name}"), s2(anchor, &format!(r#""{field}":{v}"#)), reading, "not finite, not positive, or beyond the year 5138: no moment at all; the session's status decides").with(field, Value::Null));
        }
        all.push(
            graceful(
                g,
                &format!("{field}-missing"),
                s2(&format!("{anchor},"), ""),
                "a missing timestamp reads as absent",
                "not given",
            )
            .with(field, Value::Null),
        );
    }
    let long_zero_fraction = format!(r#""expire_at":1796588343533.{}"#, "0".repeat(320));
    for (name, value, reading, why, ms) in [
        ("expire-at-seconds", r#""expire_at":1796588343"#, "seconds are read as seconds", "below 1e11 a timestamp is seconds (the seed dialect)", 1_796_588_343_000u64),
        ("expire-at-exponent-form", r#""expire_at":1.796588343533E12"#, "any JSON number form is read", "the same instant in exponent form", 1_796_588_343_533),
        ("expire-at-fraction", r#""expire_at":1796588343533.4"#, "fractions of a millisecond round", "", 1_796_588_343_533),
        ("expire-at-long-zero-fraction", long_zero_fraction.as_str(), "a long fraction reads as the same instant", "1796588343533.000... is 1796588343533 in JSON.parse", 1_796_588_343_533),
        ("expire-at-in-the-past", r#""expire_at":1000"#, "a past expire_at does not override the server's status", "the server said active just now; the expiry timer only acts when the server cannot be asked", 1_000_000),
        ("expire-at-year-5000", r#""expire_at":95617584000000"#, "a far-future expire_at is a moment like any other", "below 1e14 ms", 95_617_584_000_000),
    ] {
        all.push(graceful(g, name, s2(S2_EXPIRE, value), reading, why).with("expire_at", json!(ms)));
    }
    for (name, v) in [
        ("string", r#""yesterday""#),
        ("bool", "false"),
        ("array", "[]"),
        ("object", "{}"),
    ] {
        all.push(parse(
            g,
            &format!("updated-at-{name}"),
            base(UPDATED, &format!(r#""updated_at":{v}}},"client":null}}"#)),
            "client.updated_at must be a number (or null)",
        ));
    }
    for (name, v) in [
        ("minus-one", "-1"),
        ("1e400", "1e400"),
        ("1e308", "1e308"),
        ("null", "null"),
    ] {
        all.push(
            graceful(
                g,
                &format!("updated-at-{name}"),
                base(UPDATED, &format!(r#""updated_at":{v}}},"client":null}}"#)),
                "absurd timestamp read as absent",
                "no moment: the answer is not ordered against others",
            )
            .with("updated_at", Value::Null),
        );
    }
    all.push(
        graceful(
            g,
            "updated-at-far-future",
            base(UPDATED, r#""updated_at":99999999999999},"client":null}"#),
            "a far-future updated_at is read; the next answer still applies",
            "year 5138: plausible enough to read, but it must not freeze the client",
        )
        .with("updated_at", json!(99_999_999_999_999u64)),
    );
}

fn user(all: &mut Vec<Case>) {
    let g = "user";
    let listed = format!(r#"["{U2}"]"#);
    for (t, v) in [
        ("number", "5"),
        ("bool", "true"),
        ("array", listed.as_str()),
        ("object", "{}"),
    ] {
        all.push(parse(
            g,
            &format!("user-id-{t}"),
            base(S2_USER, &format!(r#""user":{{"id":{v}"#)),
            "user.id, when given, must be a string",
        ));
    }
    all.push(
        graceful(
            g,
            "user-id-null",
            base(S2_USER, r#""user":{"id":null"#),
            "a user without an id is kept as sent",
            "the id is only used to share unchanged users",
        )
        .with("user", Value::Null),
    );
    all.push(
        graceful(
            g,
            "user-id-missing",
            base(S2_USER, r#""user":{"x_id":"u""#),
            "a user without an id is kept as sent",
            "the id is only used to share unchanged users",
        )
        .with("user", Value::Null),
    );
    all.push(graceful(g, "user-wrong-field-types", base(ADA_NAME, r#""username":"ada","first_name":5,"email_addresses":"none","public_metadata":[null],"last_name""#), "unknown and undecided fields pass through, whatever their type", "only the user's id is read"));
    all.push(
        graceful(
            g,
            "user-empty-object",
            {
                let start = BASE.find(S2_USER).unwrap_or_default();
                let end = BASE.find(&format!(",{S2_PUBLIC}")).unwrap_or_default();
                format!("{}\"user\":{{}}{}", &BASE[..start], &BASE[end..])
            },
            "an empty user is a user without an id",
            "",
        )
        .with("user", Value::Null),
    );
    let nested = |depth: usize| format!(r#""deep":{}1{}"#, "[".repeat(depth), "]".repeat(depth));
    // The user of the active session sits at depth 5 (envelope, client, sessions, session, user).
    all.push(graceful(
        g,
        "nesting-at-the-limit",
        with_user_field(BASE, &nested(128 - 5)),
        "nesting up to 128 levels is read",
        "the reader's cap (json::MAX_DEPTH) is 128 levels",
    ));
    all.push(parse(
        g,
        "nesting-past-the-limit",
        with_user_field(BASE, &nested(128 - 4)),
        "nested deeper than 128 levels (JSON.parse would allow it; nothing legitimate comes near)",
    ));
    all.push(parse(
        g,
        "nesting-1000",
        with_user_field(BASE, &nested(1000)),
        "nested deeper than 128 levels",
    ));
}

fn duplicates(all: &mut Vec<Case>) {
    let g = "duplicate-keys";
    let why = "duplicate keys: the last one wins, as in JSON.parse";
    all.push(graceful(
        g,
        "client-id-twice-last-real",
        base(CLIENT_ID, &format!(r#""id":"client_fake",{CLIENT_ID}"#)),
        "duplicate keys: the last one wins",
        why,
    ));
    all.push(
        graceful(
            g,
            "client-id-twice-last-other",
            base(CLIENT_ID, &format!(r#"{CLIENT_ID},"id":"client_dup""#)),
            "duplicate keys: the last one wins",
            why,
        )
        .with("client", json!("client_dup")),
    );
    all.push(graceful(
        g,
        "sessions-twice-last-real",
        base(SESSIONS, r#""sessions":[],"sessions":["#),
        "duplicate keys: the last one wins",
        why,
    ));
    all.push(
        graceful(
            g,
            "sessions-twice-last-null",
            base(LAST_ACTIVE, &format!(r#""sessions":null,{LAST_ACTIVE}"#)),
            "a dangling last active id: no active session, sessions kept",
            "the last `sessions` (null) wins, so last_active_session_id names no session: none is active",
        )
        .with("sessions", json!(0))
        .with("session", Value::Null)
        .with("signed_in", json!(false))
        .with("user", Value::Null)
        .with("has_user", json!(false)),
    );
    all.push(
        graceful(
            g,
            "status-twice-last-ended",
            s2(
                r#""status":"active""#,
                r#""status":"active","status":"ended""#,
            ),
            "duplicate keys: the last one wins",
            why,
        )
        .with("session", Value::Null)
        .with("signed_in", json!(false))
        .with("user", Value::Null)
        .with("has_user", json!(false)),
    );
    all.push(graceful(
        g,
        "status-twice-last-active",
        s2(
            r#""status":"active""#,
            r#""status":"ended","status":"active""#,
        ),
        "duplicate keys: the last one wins",
        why,
    ));
    all.push(graceful(
        g,
        "last-active-twice-last-real",
        base(
            LAST_ACTIVE,
            &format!(r#""last_active_session_id":"{S1}",{LAST_ACTIVE}"#),
        ),
        "duplicate keys: the last one wins",
        why,
    ));
    all.push(
        graceful(
            g,
            "last-active-twice-last-other",
            base(
                LAST_ACTIVE,
                &format!(r#"{LAST_ACTIVE},"last_active_session_id":"{S1}""#),
            ),
            "duplicate keys: the last one wins",
            why,
        )
        .with("session", json!(S1))
        .with("user", json!(U1)),
    );
    all.push(graceful(
        g,
        "user-twice-last-object",
        base(S2_USER, &format!(r#""user":null,{S2_USER}"#)),
        "duplicate keys: the last one wins",
        why,
    ));
    all.push(
        graceful(
            g,
            "user-twice-last-null",
            base(S2_PUBLIC, &format!(r#""user":null,{S2_PUBLIC}"#)),
            "duplicate keys: the last one wins",
            why,
        )
        .with("user", Value::Null)
        .with("has_user", json!(false)),
    );
    all.push(
        graceful(
            g,
            "user-id-twice",
            base(S2_USER, &format!(r#"{S2_USER},"id":"user_dup""#)),
            "duplicate keys: the last one wins",
            why,
        )
        .with("user", json!("user_dup")),
    );
    all.push(
        graceful(
            g,
            "expire-at-twice-first-bad",
            s2(S2_EXPIRE, &format!(r#""expire_at":"soon",{S2_EXPIRE}"#)),
            "duplicate keys: the last one wins",
            "the earlier value is never read, as in JSON.parse",
        )
        .with("expire_at", json!(1_796_588_343_533u64)),
    );
    all.push(parse(
        g,
        "expire-at-twice-last-bad",
        s2(S2_EXPIRE, &format!(r#"{S2_EXPIRE},"expire_at":"soon""#)),
        "the last value is the one read: timestamps must be numbers",
    ));
    all.push(graceful(
        g,
        "response-twice-last-client",
        base(r#"{"response":"#, r#"{"response":null,"response":"#),
        "duplicate keys: the last one wins",
        why,
    ));
    all.push(
        graceful(
            g,
            "response-twice-last-null",
            BASE.replacen(ENVELOPE_TAIL, r#"},"response":null,"client":null}"#, 1),
            "duplicate keys: the last one wins",
            why,
        )
        .with("client", Value::Null)
        .with("sessions", json!(0))
        .with("session", Value::Null)
        .with("signed_in", json!(false))
        .with("user", Value::Null)
        .with("has_user", json!(false)),
    );
}

fn errors_at_200(all: &mut Vec<Case>) {
    let g = "errors-200";
    let errors = r#"[{"code":"resource_not_found","message":"not found","long_message":"No client","meta":{}}]"#;
    let why = "a 2xx that carries only `errors` is an HTTP error, status kept";
    all.push(http(
        g,
        "errors-only",
        200,
        format!(r#"{{"errors":{errors},"clerk_trace_id":"t1"}}"#),
        why,
    ));
    for (t, v) in [
        ("empty-array", "[]"),
        ("string", r#""boom""#),
        ("number", "5"),
        ("object", r#"{"code":"x"}"#),
        ("array-of-numbers", "[1,2]"),
        ("array-of-null", "[null]"),
    ] {
        all.push(http(
            g,
            &format!("errors-{t}"),
            200,
            format!(r#"{{"errors":{v}}}"#),
            "a 2xx that carries only `errors` is an HTTP error; a malformed array is dropped",
        ));
    }
    all.push(http(
        g,
        "errors-with-wrong-field-types",
        200,
        r#"{"errors":[{"code":5,"message":[],"long_message":{}}],"clerk_trace_id":[]}"#,
        "an HTTP error; fields of the wrong type are left out",
    ));
    let client = &BASE[12..BASE.len() - ENVELOPE_TAIL.len() + 1];
    all.push(graceful(
        g,
        "errors-beside-client",
        format!(r#"{{"errors":{errors},"client":{client}}}"#),
        "errors beside a client: the client is read",
        "`errors` only make a 2xx fail when there is nothing else",
    ));
    all.push(
        graceful(
            g,
            "errors-beside-null-response",
            format!(r#"{{"errors":{errors},"response":null,"client":null}}"#),
            "errors beside `response: null`: no client, errors ignored",
            "`response` is present, so the answer is read as an envelope",
        )
        .with("client", Value::Null)
        .with("sessions", json!(0))
        .with("session", Value::Null)
        .with("signed_in", json!(false))
        .with("user", Value::Null)
        .with("has_user", json!(false)),
    );
}

fn http_errors(all: &mut Vec<Case>) {
    let g = "http";
    let body = |code: &str| {
        format!(
            r#"{{"errors":[{{"code":"{code}","message":"m","long_message":"lm","meta":{{}}}}],"meta":{{}},"clerk_trace_id":"t"}}"#
        )
    };
    for (status, code) in [
        (400, "form_param_missing"),
        (401, "signed_out"),
        (403, "origin_invalid"),
        (404, "resource_not_found"),
        (409, "conflict"),
        (410, "gone"),
        (418, "teapot"),
        (422, "form_password_incorrect"),
        (429, "too_many_requests"),
        (500, "internal_clerk_error"),
        (502, "bad_gateway"),
        (503, "service_unavailable"),
        (504, "gateway_timeout"),
        (599, "network_timeout"),
    ] {
        let c = http(
            g,
            &format!("status-{status}-clerk-errors"),
            status,
            body(code),
            "a non-2xx status is an HTTP error",
        );
        all.push(c);
    }
    let html = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";
    for status in [404, 500, 502, 503, 504] {
        all.push(
            http(
                g,
                &format!("status-{status}-html"),
                status,
                html,
                "a non-2xx status is an HTTP error whatever the body",
            )
            .content_type("text/html"),
        );
    }
    all.push(
        http(
            g,
            "status-500-plain-text",
            500,
            "Internal Server Error",
            "a non-2xx status is an HTTP error whatever the body",
        )
        .content_type("text/plain"),
    );
    all.push(http(
        g,
        "status-503-empty",
        503,
        "",
        "a non-2xx status is an HTTP error whatever the body",
    ));
    all.push(http(
        g,
        "status-500-truncated-json",
        500,
        &body("x")[..30],
        "a non-2xx status is an HTTP error whatever the body",
    ));
    all.push(http(
        g,
        "status-500-invalid-utf8",
        500,
        b"{\"errors\":[{\"code\":\"\xff\"}]}".to_vec(),
        "a non-2xx status is an HTTP error whatever the body",
    ));
    for (t, v) in [
        ("string", r#""boom""#),
        ("number", "5"),
        ("object", "{}"),
        ("numbers", "[1]"),
        ("nulls", "[null]"),
        ("null", "null"),
        ("empty", "[]"),
    ] {
        all.push(http(
            g,
            &format!("status-500-errors-{t}"),
            500,
            format!(r#"{{"errors":{v}}}"#),
            "an HTTP error; a malformed errors array is dropped",
        ));
    }
    all.push(http(
        g,
        "status-500-unreadable-piggyback",
        500,
        format!(
            r#"{{"errors":[],"client":{}}}"#,
            r#"{"object":"client","id":5}"#
        ),
        "an HTTP error; an unreadable piggybacked client is ignored",
    ));
    all.push(http(
        g,
        "status-422-piggyback-array",
        422,
        r#"{"errors":[{"code":"x"}],"client":[]}"#,
        "an HTTP error; an unreadable piggybacked client is ignored",
    ));
    let client = &BASE[12..BASE.len() - ENVELOPE_TAIL.len() + 1];
    let older = swap(
        client,
        r#""captcha_bypass":false,"created_at":1795983543515,"updated_at":1795983543533"#,
        r#""captcha_bypass":false,"created_at":1795983543515,"updated_at":1795983543000"#,
    );
    all.push(
        http(
            g,
            "status-503-older-piggyback",
            503,
            format!(r#"{{"errors":[{{"code":"service_unavailable"}}],"client":{older}}}"#),
            "a 503 is an HTTP error (and retried); its piggybacked client, older than the cached one, is ignored",
        )
        .browser_skip("only the native run caches the base client (same id, later updated_at); in the browser the cached client is the mock's, so this piggyback is another client and is applied, as it should be"),
    );
    all.push(http(
        g,
        "status-400-top-level-array",
        400,
        r#"[{"code":"x"}]"#,
        "a non-2xx status is an HTTP error whatever the body",
    ));
    all.push(http(
        g,
        "status-429-deep",
        429,
        format!("{}{}", "[".repeat(200), "]".repeat(200)),
        "a non-2xx status is an HTTP error whatever the body",
    ));
}

fn statuses_and_types(all: &mut Vec<Case>) {
    let g = "status-and-type";
    for status in [201, 202, 203, 299] {
        all.push(
            graceful(
                g,
                &format!("status-{status}-client"),
                BASE,
                "any 2xx is read like 200",
                "",
            )
            .status(status),
        );
    }
    all.push(
        parse(
            g,
            "status-204-empty",
            "",
            "an empty body where JSON was due",
        )
        .status(204),
    );
    for ct in [
        "text/html",
        "text/plain",
        "application/xml",
        "application/octet-stream",
        "",
        "application/json; charset=utf-16",
        "application/problem+json",
        "image/png",
        "text/html; charset=iso-8859-1",
    ] {
        let name = if ct.is_empty() {
            "empty".to_owned()
        } else {
            ct.replace(['/', ';', ' ', '=', '+'], "-")
        };
        all.push(
            graceful(
                g,
                &format!("content-type-{name}"),
                BASE,
                "the content type is ignored: the body is read as JSON",
                "as Response.json() would",
            )
            .content_type(ct),
        );
    }
    all.push(parse(
        g,
        "json-type-html-body",
        "<html><body>Oops</body></html>",
        "an HTML page, whatever the content type says",
    ));
}

fn large_cases(all: &mut Vec<Case>) {
    let g = "large";
    let nested = "nested deeper than 128 levels (json::MAX_DEPTH), refused without recursion";
    all.push(generated(
        parse(g, "deep-array-10000", "", nested),
        "deep-array-10000",
    ));
    all.push(generated(
        parse(g, "deep-object-10000-in-user", "", nested),
        "deep-object-10000-in-user",
    ));
    all.push(generated(
        parse(g, "unclosed-array-10000", "", nested),
        "unclosed-array-10000",
    ));
    all.push(generated(
        graceful(
            g,
            "long-session-id-1mb",
            "",
            "a 1 MB session id is an id like any other",
            "ids are opaque strings",
        )
        .without("session"),
        "long-session-id-1mb",
    ));
    all.push(generated(
        graceful(
            g,
            "long-first-name-1mb",
            "",
            "long strings pass through",
            "",
        ),
        "long-first-name-1mb",
    ));
    all.push(generated(
        graceful(
            g,
            "long-escaped-string-1mb",
            "",
            "long strings pass through",
            "escapes are decoded only when read",
        ),
        "long-escaped-string-1mb",
    ));
    all.push(generated(
        graceful(
            g,
            "long-key-1mb",
            "",
            "unknown and undecided fields pass through, whatever their type",
            "a 1 MB key",
        ),
        "long-key-1mb",
    ));
    all.push(generated(
        graceful(
            g,
            "long-number-1mb",
            "",
            "absurd timestamp read as absent",
            "a 1 MB number is Infinity in JSON.parse",
        )
        .with("expire_at", Value::Null),
        "long-number-1mb",
    ));
    all.push(generated(
        graceful(
            g,
            "body-10mb-string",
            "",
            "a 10 MB body is read",
            "a 10 MB unknown field",
        ),
        "body-10mb-string",
    ));
    all.push(generated(
        graceful(
            g,
            "body-10mb-whitespace",
            "",
            "a 10 MB body is read",
            "10 MB of JSON whitespace around the base answer",
        ),
        "body-10mb-whitespace",
    ));
    all.push(generated(
        graceful(
            g,
            "body-10mb-array",
            "",
            "a 10 MB body is read",
            "a 10 MB unknown array",
        ),
        "body-10mb-array",
    ));
    all.push(generated(
        parse(g, "body-10mb-truncated", "", "JSON cut off"),
        "body-10mb-truncated",
    ));
    all.push(generated(
        graceful(
            g,
            "sessions-10000",
            "",
            "many sessions are read",
            "10,000 ended sessions before the real two",
        )
        .with("sessions", json!(10_002)),
        "sessions-10000",
    ));
    all.push(generated(
        graceful(
            g,
            "sessions-200000-10mb",
            "",
            "many sessions are read",
            "200,000 ended sessions (10 MB)",
        )
        .with("sessions", json!(200_002)),
        "sessions-200000-10mb",
    ));
}

/// A file name for a case.
pub fn file_name(case: &Case) -> Option<String> {
    match case.source {
        Source::File(_) => Some(format!("cases/{}.body", case.name)),
        Source::Generated(_) => None,
    }
}

/// The manifest's JSON text.
pub fn manifest(cases: &[Case]) -> String {
    let entries: Vec<Value> = cases
        .iter()
        .map(|c| {
            let mut entry = json!({
                "name": c.name,
                "group": c.group,
                "status": c.status,
                "content_type": c.content_type,
                "expect": c.expect,
                "why": c.why,
            });
            let obj = entry.as_object_mut().unwrap();
            match &c.source {
                Source::File(_) => obj.insert("file".into(), json!(file_name(c))),
                Source::Generated(id) => obj.insert("generator".into(), json!(id)),
            };
            if let Some(check) = &c.check {
                obj.insert("check".into(), Value::Object(check.clone()));
            }
            if let Some(skip) = c.browser_skip {
                obj.insert("browser_skip".into(), json!(skip));
            }
            if let Some(bug) = c.known_bug {
                obj.insert("known_bug".into(), json!(bug));
            }
            entry
        })
        .collect();
    let doc = json!({
        "about": "The hostile corpus of issue 6: bad answers to GET /v1/client, each with the status and content type to serve and the outcome the manager must reach. Generated by generate.rs (see its header); do not edit by hand.",
        "outcomes": {
            "error:parse": "the refresh fails with a FapiError of kind parse (status kept); the cached client stays",
            "error:http": "the refresh fails with a FapiError of kind http (status kept); the cached client stays",
            "graceful:<reading>": "the answer is applied without error and reads as described; `check` says what the state shows"
        },
        "checks": {
            "client": "the client's id, or null for no client",
            "sessions": "how many sessions the client has",
            "session": "the active session's id, or null",
            "signed_in": "isSignedIn",
            "user": "the active session's user's id, or null (no user, or a user without id)",
            "has_user": "whether the active session has a user object",
            "expire_at": "native only: the active session's expire_at in ms after normalisation, or null for absent",
            "abandon_at": "native only: as expire_at",
            "updated_at": "native only: the client's updated_at in ms, or null"
        },
        "browser_skip": "why the browser run cannot serve a case (absent: it does)",
        "known_bug": "a defect: the case states the right outcome; the regular runs skip it and the ignored native test known_bugs fails on it until it is fixed",
        "cases": entries,
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap();
    text.push('\n');
    text
}

/// `corpus.rs`: every committed body, embedded for the browser run.
pub fn corpus_rs(cases: &[Case]) -> String {
    let mut out = String::from(
        "// Generated by generate.rs (see its header): every committed body of the hostile\n// corpus, by file name as in manifest.json. Do not edit by hand.\n\n/// `(file, body)` for each committed case.\n#[rustfmt::skip]\npub const FILES: &[(&str, &[u8])] = &[\n",
    );
    for c in cases {
        if let Some(file) = file_name(c) {
            out.push_str(&format!("    (\"{file}\", include_bytes!(\"{file}\")),\n"));
        }
    }
    out.push_str("];\n");
    out
}
