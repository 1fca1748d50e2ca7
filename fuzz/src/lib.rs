//! What both fuzz targets check for one answer body (see README.md for the list).
//!
//! Everything is an `assert!`: libFuzzer reports a failed assertion like any crash, with
//! the input that caused it in `artifacts/<target>/`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

pub mod shape;

use std::sync::OnceLock;

use fapi_session::core::envelope::{self, ClientUpdate, Endpoint, Reading, Reply};
use fapi_session::core::json::{self, Kind};
use fapi_session::core::state::{ClientChange, Op, State, Status, FUTURE_TOLERANCE_MS};
use fapi_session::core::wire::ClientDoc;
use fapi_session::core::ErrorKind;

/// A real signed-in answer of `fapi-mock` (two active sessions).
pub const GOOD: &str = include_str!("../../tests/data/hostile/base/current.json");

const NOW: u64 = 1_795_983_600_000;

fn reply<'a>(
    status: u16,
    body: &'a [u8],
    retry_after: Option<&'a str>,
    date: Option<&'a str>,
) -> Reply<'a> {
    Reply {
        status,
        body,
        retry_after,
        date,
    }
}

/// A state that has loaded [`GOOD`].
fn loaded() -> State {
    let mut state = State::new(Default::default());
    let (ticket, _) = state.begin(Op::Load, "load");
    let (_, error) = state.complete(ticket, Ok(reply(200, GOOD.as_bytes(), None, None)), NOW);
    assert!(error.is_none(), "the good answer must load: {error:?}");
    assert!(state.is_signed_in());
    state
}

fn good_client() -> &'static ClientDoc {
    static GOOD_CLIENT: OnceLock<ClientDoc> = OnceLock::new();
    GOOD_CLIENT.get_or_init(|| loaded().client().cloned().unwrap())
}

/// Checks every invariant for one answer body.
pub fn check(body: &[u8]) {
    reader_agrees_with_json_parse(body);
    for endpoint in [
        Endpoint::GetClient,
        Endpoint::PutClient,
        Endpoint::DeleteClient,
        Endpoint::Other,
        Endpoint::Any,
    ] {
        for status in [200, 422] {
            let reading = envelope::read(endpoint, reply(status, body, None, None), NOW);
            reading_is_consistent(endpoint, status, &reading);
            // Taking over the cached client's identical sessions reads exactly the same.
            let after = envelope::read_after(
                endpoint,
                reply(status, body, None, None),
                NOW,
                Some(good_client()),
            );
            assert_eq!(after, reading, "read_after differs from read");
            if let ClientUpdate::Set(Some(_)) = reading.update {
                applied_answers_are_json(body);
            }
        }
    }
    for (op, status) in [
        (Op::Refresh, 200),
        (Op::Refresh, 503),
        (Op::Create, 201),
        (Op::Destroy, 200),
    ] {
        apply_after_good_load(op, status, body);
    }
    // The headers the core reads, as arbitrary text (the first line of the body).
    let line = std::str::from_utf8(body)
        .unwrap_or("")
        .lines()
        .next()
        .unwrap_or("");
    let reading = envelope::read(
        Endpoint::GetClient,
        reply(429, body, Some(line), Some(line)),
        NOW,
    );
    let retry_after = reading.error.as_ref().and_then(|e| e.retry_after);
    assert!(
        retry_after.is_none_or(|s| s >= 0.0 && !s.is_nan()),
        "{retry_after:?}"
    );
    let mut state = loaded();
    let (ticket, _) = state.begin(Op::Refresh, "refresh");
    state.complete(ticket, Ok(reply(200, body, None, Some(line))), NOW);
    let _ = state.expiry_deadline();
    // An answer the app hands over (applyResponse): a failure leaves the state as it was.
    let mut state = loaded();
    let version = state.version();
    let (change, error) = state.piggyback(body, NOW);
    if let Some(error) = error {
        assert!(!change.changed && state.version() == version, "{error:?}");
        assert!(state.is_signed_in() && state.error().is_none());
        assert!(error.status.is_none(), "no HTTP status for an app's answer");
    }
}

fn endpoint(op: Op) -> Endpoint {
    match op {
        Op::Load | Op::Refresh => Endpoint::GetClient,
        Op::Create => Endpoint::PutClient,
        Op::Destroy => Endpoint::DeleteClient,
        Op::SignIn | Op::SignOut | Op::SetActive => Endpoint::Other,
        Op::Request => Endpoint::Any,
    }
}

fn reading_is_consistent(endpoint: Endpoint, status: u16, reading: &Reading) {
    let ok = (200..300).contains(&status);
    if let Some(error) = &reading.error {
        assert!(
            matches!(error.kind, ErrorKind::Parse | ErrorKind::Http),
            "{error:?}"
        );
        assert_eq!(error.status, Some(status));
        if ok {
            assert_eq!(
                reading.update,
                ClientUpdate::Keep,
                "a failed 2xx changes nothing"
            );
        }
    } else {
        assert!(ok, "a {status} must fail");
    }
    if endpoint == Endpoint::DeleteClient && ok && reading.error.is_none() {
        assert_eq!(
            reading.update,
            ClientUpdate::Set(None),
            "DELETE ends the client"
        );
    }
    if let ClientUpdate::Set(Some(doc)) = &reading.update {
        client_is_valid(doc);
    }
}

/// An answer whose client the core applies is JSON that `JSON.parse` accepts: the page
/// would otherwise be unable to read what the manager shows.
fn applied_answers_are_json(body: &[u8]) {
    let text = std::str::from_utf8(body).expect("an applied answer is UTF-8");
    assert!(
        json::parse(text).is_ok(),
        "applied an answer that is not JSON"
    );
    if let Err(e) = serde_json::from_str::<serde_json::Value>(text) {
        assert!(
            serde_deviation(&e, text),
            "applied an answer JSON.parse refuses: {e}"
        );
    }
}

/// What the core promises about any client it keeps.
fn client_is_valid(doc: &ClientDoc) {
    for (i, s) in doc.sessions.iter().enumerate() {
        assert!(
            doc.sessions[i + 1..].iter().all(|t| t.id != s.id),
            "duplicate id {}",
            s.id
        );
        json_object(&s.shell);
        if let Some(user) = &s.user {
            json_object(&user.text);
        }
    }
    json_object(&doc.shell);
    // A last_active_session_id that names no session leaves no session active.
    if let Some(wanted) = &doc.last_active_session_id {
        if doc.sessions.iter().all(|s| &s.id != wanted) {
            assert_eq!(
                doc.active, None,
                "a dangling last active id makes no session active"
            );
        }
    }
    let expected = doc
        .sessions
        .iter()
        .position(|s| Some(&s.id) == doc.last_active_session_id.as_ref() && s.status.is_current());
    assert_eq!(doc.active, expected, "active index");
}

/// The text must be a JSON object JavaScript's `JSON.parse` accepts (the browser layer
/// parses shells with it).
fn json_object(text: &str) {
    assert_eq!(
        json::parse(text).map(|d| d.root().kind()),
        Ok(Kind::Object),
        "{text:.200}"
    );
    if let Err(e) = serde_json::from_str::<serde_json::Value>(text) {
        assert!(
            serde_deviation(&e, text),
            "JSON.parse would refuse a shell: {e}: {text:.200}"
        );
    }
}

/// Where serde_json (the oracle here) differs from `JSON.parse`, which accepts lone
/// surrogate escapes and out-of-range numbers (as ±Infinity), and has no depth limit.
fn serde_deviation(e: &serde_json::Error, text: &str) -> bool {
    let message = e.to_string();
    message.contains("surrogate")
        || (message.contains("hex escape") && text.to_ascii_lowercase().contains("\\ud"))
        || message.contains("number out of range")
        || message.contains("recursion limit exceeded")
}

/// The core's reader accepts exactly what `JSON.parse` accepts (up to its depth cap) and
/// reads the same values.
fn reader_agrees_with_json_parse(body: &[u8]) {
    let Ok(text) = std::str::from_utf8(body) else {
        return;
    };
    match (
        json::parse(text),
        serde_json::from_str::<serde_json::Value>(text),
    ) {
        (Ok(ours), Ok(theirs)) => same_value(ours.root(), &theirs),
        (Ok(_), Err(e)) => assert!(
            serde_deviation(&e, text),
            "the core accepts what JSON.parse refuses: {e}"
        ),
        (Err(e), Ok(_)) => assert_eq!(
            e.what, "nested too deeply",
            "the core refuses valid JSON: {e}"
        ),
        (Err(_), Err(_)) => {}
    }
}

fn same_value(ours: json::Value<'_>, theirs: &serde_json::Value) {
    use serde_json::Value as V;
    match theirs {
        V::Null => assert!(ours.is_null()),
        V::Bool(b) => assert_eq!(ours.text(), if *b { "true" } else { "false" }),
        V::String(s) => assert_eq!(ours.as_str().as_deref(), Some(s.as_str())),
        V::Number(n) => {
            let (a, b) = (ours.as_f64().unwrap(), n.as_f64().unwrap());
            let close = a == b
                || (a - b).abs() <= 1e-300
                || (a - b).abs() <= 1e-12 * a.abs().max(b.abs())
                || (a.is_infinite() && b.abs() > 1e307 && a.signum() == b.signum());
            assert!(close, "{} reads as {a}, JSON.parse says {b}", ours.text());
        }
        V::Array(items) => {
            let mine: Vec<_> = ours.items().unwrap().collect();
            assert_eq!(mine.len(), items.len());
            for (m, t) in mine.into_iter().zip(items) {
                same_value(m, t);
            }
        }
        V::Object(map) => {
            // Last one wins, as in JSON.parse and serde_json.
            let mine: std::collections::BTreeMap<String, json::Value<'_>> = ours
                .members()
                .unwrap()
                .map(|(k, v)| (k.decoded().unwrap().into_owned(), v))
                .collect();
            assert_eq!(mine.len(), map.len(), "distinct keys");
            for (key, value) in map {
                same_value(*mine.get(key).unwrap(), value);
            }
        }
    }
}

/// A signed-in state takes the answer to `op`; then a good answer.
fn apply_after_good_load(op: Op, status: u16, body: &[u8]) {
    let mut state = loaded();
    let before = state.client().cloned();
    let version = state.version();
    let reading = envelope::read(endpoint(op), reply(status, body, None, None), NOW);
    let (ticket, _) = state.begin(op, "fuzz");
    let (change, error) = state.complete(ticket, Ok(reply(status, body, None, None)), NOW);
    assert!(state.version() >= version, "version only grows");
    assert_eq!(state.version() > version, change.changed);
    assert_eq!(state.status(), Status::Ready, "a good load stays ready");
    // A client about the same client, older than the cached one, is not applied
    // (State::is_older); an error the answer reports still counts.
    let older = matches!((&reading.update, &before), (ClientUpdate::Set(Some(new)), Some(old))
        if new.id == old.id && matches!((old.updated_at, new.updated_at), (Some(o), Some(n)) if n < o));
    match &reading.update {
        _ if older => assert_eq!(
            state.client(),
            before.as_ref(),
            "an older client is ignored"
        ),
        ClientUpdate::Keep => {
            assert_eq!(state.client(), before.as_ref(), "the cached client stays");
            assert_eq!(change.client, ClientChange::Same);
        }
        ClientUpdate::Set(doc) => assert_eq!(state.client(), doc.as_ref()),
    }
    assert_eq!(
        error.as_ref().map(|e| (e.kind, e.status)),
        reading.error.as_ref().map(|e| (e.kind, e.status))
    );
    if error.is_some() {
        assert!(
            state.error().is_some() && change.changed,
            "an error is news"
        );
    }
    if let Some(client) = state.client() {
        client_is_valid(client);
    }
    if state.is_signed_in() {
        assert!(state.session().is_some_and(|s| s.status.is_signed_in()));
    }
    // The next good answer is taken, unless the cached client is the same one, newer (but
    // not beyond the tolerance for clocks ahead: one answer must not freeze the client).
    let version = state.version();
    let (ticket, _) = state.begin(Op::Refresh, "refresh");
    let (_, error) = state.complete(
        ticket,
        Ok(reply(200, format!("{GOOD}\n").as_bytes(), None, None)),
        NOW,
    );
    assert!(
        error.is_none() && state.error().is_none(),
        "the good answer after: {error:?}"
    );
    assert!(state.version() >= version);
    let good = good_client();
    let newer = state.client().is_some_and(|c| {
        c.id == good.id
            && matches!((c.updated_at, good.updated_at),
                (Some(c), Some(g)) if c > g && c <= NOW + FUTURE_TOLERANCE_MS)
    });
    assert!(
        newer || state.client() == Some(good),
        "the good answer is applied"
    );
}
