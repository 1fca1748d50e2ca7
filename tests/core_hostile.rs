//! The hostile corpus (`tests/data/hostile/`) through the native core: for every bad
//! answer, a signed-in state refreshed with it reaches the manifest's outcome (a typed
//! error, or the documented graceful reading), keeps the last good client on errors, and
//! takes the next good answer.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "data/hostile/generate.rs"]
#[allow(dead_code)]
mod generate;
#[path = "data/hostile/large.rs"]
mod large;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use fapi_session::core::envelope::Reply;
use fapi_session::core::state::{ClientChange, Op, State, Status};
use fapi_session::core::ErrorKind;
use serde_json::{json, Map, Value};

const NOW: u64 = 1_795_983_600_000;

/// Every group of the manifest has a test below; this list keeps them in step.
const GROUPS: &[&str] = &[
    "truncated",
    "syntax",
    "not-json",
    "encoding",
    "envelope",
    "client",
    "session",
    "timestamps",
    "user",
    "duplicate-keys",
    "errors-200",
    "http",
    "status-and-type",
    "large",
];

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/hostile")
}

/// One manifest entry.
struct Entry {
    name: String,
    group: String,
    file: Option<String>,
    generator: Option<String>,
    status: u16,
    expect: String,
    check: Option<Map<String, Value>>,
    known_bug: Option<String>,
}

fn manifest() -> Vec<Entry> {
    let text = std::fs::read_to_string(dir().join("manifest.json")).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    doc["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| Entry {
            name: c["name"].as_str().unwrap().to_owned(),
            group: c["group"].as_str().unwrap().to_owned(),
            file: c.get("file").and_then(Value::as_str).map(str::to_owned),
            generator: c
                .get("generator")
                .and_then(Value::as_str)
                .map(str::to_owned),
            status: u16::try_from(c["status"].as_u64().unwrap()).unwrap(),
            expect: c["expect"].as_str().unwrap().to_owned(),
            check: c.get("check").and_then(Value::as_object).cloned(),
            known_bug: c
                .get("known_bug")
                .and_then(Value::as_str)
                .map(str::to_owned),
        })
        .collect()
}

fn body(entry: &Entry) -> Vec<u8> {
    match (&entry.file, &entry.generator) {
        (Some(file), None) => std::fs::read(dir().join(file)).unwrap(),
        (None, Some(id)) => large::body(id, generate::BASE).unwrap(),
        _ => panic!("{}: needs exactly one of file and generator", entry.name),
    }
}

/// The good answer: the base with a trailing newline, so that no case is byte-identical
/// to it (which would take the core's identical-answer shortcut and read nothing).
fn good() -> String {
    format!("{}\n", generate::BASE)
}

fn reply(status: u16, body: &[u8]) -> Reply<'_> {
    Reply {
        status,
        body,
        retry_after: None,
        date: None,
    }
}

fn refresh(
    state: &mut State,
    status: u16,
    body: &[u8],
) -> (ClientChange, Option<fapi_session::core::Error>, bool) {
    let (ticket, _) = state.begin(Op::Refresh, Op::Refresh.cause());
    let (change, error) = state.complete(ticket, Ok(reply(status, body)), NOW);
    (change.client, error, change.changed)
}

fn signed_in() -> State {
    let mut state = State::new(Default::default());
    let good = good();
    let (ticket, _) = state.begin(Op::Load, Op::Load.cause());
    let (_, error) = state.complete(ticket, Ok(reply(200, good.as_bytes())), NOW);
    assert!(error.is_none(), "the base answer must load: {error:?}");
    assert!(state.is_signed_in());
    state
}

/// What the state shows, under the manifest's check names.
fn observe(state: &State, key: &str) -> Value {
    let session = state.session();
    match key {
        "client" => json!(state.client().map(|c| c.id.clone())),
        "sessions" => json!(state.client().map_or(0, |c| c.sessions.len())),
        "session" => json!(session.map(|s| s.id.clone())),
        "signed_in" => json!(state.is_signed_in()),
        "user" => json!(session.and_then(|s| s.user.as_ref()).and_then(|u| {
            // The core's reader: serde_json refuses the lone surrogates some cases hold.
            let document = fapi_session::core::json::parse(&u.text).ok()?;
            let id = document.root().get("id")?.as_str()?.into_owned();
            Some(id)
        })),
        "has_user" => json!(session.is_some_and(|s| s.user.is_some())),
        "expire_at" => json!(session.and_then(|s| s.expire_at)),
        "abandon_at" => json!(session.and_then(|s| s.abandon_at)),
        "updated_at" => json!(state.client().and_then(|c| c.updated_at)),
        other => panic!("unknown check {other}"),
    }
}

/// Runs one case; `Err` says what went wrong.
fn run(entry: &Entry) -> Result<(), String> {
    let fail = |what: String| Err(format!("{}: {what}", entry.name));
    let body = body(entry);
    let mut state = signed_in();
    let before = state.client().cloned();
    let version = state.version();
    let (change, error, changed) = refresh(&mut state, entry.status, &body);
    if let Some(kind) = entry.expect.strip_prefix("error:") {
        let Some(error) = error else {
            return fail(format!("no error; expected {kind}"));
        };
        let wanted = match kind {
            "parse" => ErrorKind::Parse,
            "http" => ErrorKind::Http,
            other => return fail(format!("unknown error kind {other}")),
        };
        if error.kind != wanted || error.status != Some(entry.status) {
            return fail(format!(
                "expected {kind} with status {}, got {error:?}",
                entry.status
            ));
        }
        if change != ClientChange::Same || state.client().cloned() != before {
            return fail("the cached client changed".into());
        }
        if !changed || state.version() != version + 1 || state.error() != Some(&error) {
            return fail("the error is not news in the state".into());
        }
        if state.status() != Status::Ready || !state.is_signed_in() {
            return fail(format!("not ready and signed in: {:?}", state.status()));
        }
    } else if entry.expect.starts_with("graceful:") {
        if let Some(error) = error {
            return fail(format!("expected a graceful reading, got {error:?}"));
        }
        if state.error().is_some() || state.status() != Status::Ready {
            return fail("an error stays in the state".into());
        }
        for (key, wanted) in entry.check.iter().flatten() {
            let seen = observe(&state, key);
            if &seen != wanted {
                return fail(format!("check {key}: expected {wanted}, saw {seen}"));
            }
        }
    } else {
        return fail(format!("unknown outcome {}", entry.expect));
    }
    // The next good answer is taken as usual.
    let good = good();
    let (_, error, _) = refresh(&mut state, 200, good.as_bytes());
    if error.is_some() || state.error().is_some() {
        return fail(format!("the next good answer failed: {error:?}"));
    }
    if state.client() != signed_in().client() || !state.is_signed_in() {
        return fail(format!(
            "the next good answer did not restore the good client (client {:?})",
            state.client().map(|c| &c.id)
        ));
    }
    Ok(())
}

/// Runs every case of `group` that has no known bug; fails naming each failing case.
fn run_group(group: &str) {
    let entries: Vec<Entry> = manifest()
        .into_iter()
        .filter(|e| e.group == group)
        .collect();
    assert!(!entries.is_empty(), "no case in group {group}");
    let failures: Vec<String> = entries
        .iter()
        .filter(|e| e.known_bug.is_none())
        .filter_map(|e| run(e).err())
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases in {group} failed:\n{}",
        failures.len(),
        entries.len(),
        failures.join("\n")
    );
}

#[test]
fn truncated() {
    run_group("truncated");
}

#[test]
fn syntax() {
    run_group("syntax");
}

#[test]
fn not_json() {
    run_group("not-json");
}

#[test]
fn encoding() {
    run_group("encoding");
}

#[test]
fn envelope() {
    run_group("envelope");
}

#[test]
fn client() {
    run_group("client");
}

#[test]
fn session() {
    run_group("session");
}

#[test]
fn timestamps() {
    run_group("timestamps");
}

#[test]
fn user() {
    run_group("user");
}

#[test]
fn duplicate_keys() {
    run_group("duplicate-keys");
}

#[test]
fn errors_200() {
    run_group("errors-200");
}

#[test]
fn http() {
    run_group("http");
}

#[test]
fn status_and_type() {
    run_group("status-and-type");
}

#[test]
fn large() {
    run_group("large");
}

#[test]
fn at_least_200_cases_in_known_groups() {
    let entries = manifest();
    let runnable = entries.iter().filter(|e| e.known_bug.is_none()).count();
    assert!(runnable >= 200, "only {runnable} runnable cases");
    let groups: BTreeSet<&str> = entries.iter().map(|e| e.group.as_str()).collect();
    assert_eq!(
        groups,
        GROUPS.iter().copied().collect(),
        "a group without a test"
    );
    let browser = std::fs::read_to_string(dir().join("../../web_hostile.rs")).unwrap();
    for group in GROUPS {
        assert!(
            browser.contains(&format!("run_group(\"{group}\")")),
            "tests/web_hostile.rs has no test for {group}"
        );
    }
    let names: BTreeSet<&str> = entries.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names.len(), entries.len(), "case names must be unique");
    for e in &entries {
        if let Some(id) = &e.generator {
            assert!(
                large::IDS.contains(&id.as_str()),
                "{}: unknown generator {id}",
                e.name
            );
        }
        assert!(
            e.expect.starts_with("graceful:") == e.check.is_some(),
            "{}: graceful readings (only) have a check",
            e.name
        );
    }
    for id in large::IDS {
        assert!(large::body(id, generate::BASE).is_some(), "{id}");
    }
}

/// The committed files are exactly what `generate.rs` makes. With
/// `HOSTILE_REGENERATE=1` it writes them instead.
#[test]
fn corpus_is_generated() {
    let cases = generate::cases();
    let mut wanted: Vec<(String, Vec<u8>)> = vec![
        (
            "manifest.json".into(),
            generate::manifest(&cases).into_bytes(),
        ),
        ("corpus.rs".into(), generate::corpus_rs(&cases).into_bytes()),
    ];
    for c in &cases {
        if let (Some(file), generate::Source::File(bytes)) = (generate::file_name(c), &c.source) {
            assert!(
                bytes.len() < 100_000,
                "{}: over 100 KB, make it a generator",
                c.name
            );
            wanted.push((file, bytes.clone()));
        }
    }
    let on_disk: BTreeSet<String> = std::fs::read_dir(dir().join("cases"))
        .map(|d| {
            d.map(|f| format!("cases/{}", f.unwrap().file_name().to_string_lossy()))
                .collect()
        })
        .unwrap_or_default();
    let expected: BTreeSet<String> = wanted
        .iter()
        .map(|(f, _)| f.clone())
        .filter(|f| f.starts_with("cases/"))
        .collect();
    if std::env::var_os("HOSTILE_REGENERATE").is_some() {
        std::fs::create_dir_all(dir().join("cases")).unwrap();
        for stale in on_disk.difference(&expected) {
            std::fs::remove_file(dir().join(stale)).unwrap();
        }
        for (file, bytes) in &wanted {
            std::fs::write(dir().join(file), bytes).unwrap();
        }
        return;
    }
    let stale: Vec<_> = on_disk.symmetric_difference(&expected).collect();
    assert!(
        stale.is_empty(),
        "cases/ differs from the generator: {stale:?} (HOSTILE_REGENERATE=1)"
    );
    for (file, bytes) in &wanted {
        let found = std::fs::read(dir().join(file)).unwrap_or_default();
        assert!(&found == bytes, "{file} differs from the generator (HOSTILE_REGENERATE=1 cargo test --test core_hostile corpus_is_generated)");
    }
}

/// The cases marked `known_bug`: each states the right outcome and fails until the
/// defect is fixed, so a bug recorded in the corpus keeps the run red until it is mended
/// (none are left). A case that takes more than 20 s counts as hanging.
#[test]
fn known_bugs() {
    let mut failures = Vec::new();
    for entry in manifest().into_iter().filter(|e| e.known_bug.is_some()) {
        let name = entry.name.clone();
        let bug = entry.known_bug.clone().unwrap_or_default();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(run(&entry));
        });
        match rx.recv_timeout(Duration::from_secs(20)) {
            Ok(Ok(())) => {}
            Ok(Err(e)) => failures.push(format!("{e}\n    known bug: {bug}")),
            Err(_) => failures.push(format!(
                "{name}: still running after 20 s\n    known bug: {bug}"
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} known bugs:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
