//! Reading an answer with the cached client at hand (`envelope::read_after`, which takes
//! over byte-identical sessions instead of reading them again) must give exactly what a
//! fresh read gives: checked on every body of the hostile corpus and the real answers, with
//! each real answer as the cached client, and on answers where one session of many moved.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

use fapi_session::core::envelope::{self, ClientUpdate, Endpoint, Reply};
use fapi_session::core::wire::ClientDoc;

const NOW: u64 = 1_795_983_600_000;

fn reply(body: &[u8]) -> Reply<'_> {
    Reply {
        status: 200,
        body,
        retry_after: None,
        date: None,
    }
}

fn client_of(body: &[u8]) -> ClientDoc {
    match envelope::read(Endpoint::GetClient, reply(body), NOW).update {
        ClientUpdate::Set(Some(doc)) => doc,
        other => panic!("not a client answer: {other:?}"),
    }
}

fn bodies() -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/hostile");
    let mut out = Vec::new();
    for dir in ["cases", "base"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            out.push((path.display().to_string(), std::fs::read(&path).unwrap()));
        }
    }
    assert!(out.len() > 300, "the corpus is there");
    out
}

#[test]
fn reading_after_a_cached_client_equals_a_fresh_read_on_the_whole_corpus() {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/hostile/base");
    let cached: Vec<ClientDoc> = ["current.json", "seed.json"]
        .iter()
        .map(|f| client_of(&std::fs::read(base.join(f)).unwrap()))
        .collect();
    for (name, body) in bodies() {
        for endpoint in [Endpoint::GetClient, Endpoint::PutClient, Endpoint::Other] {
            let fresh = envelope::read(endpoint, reply(&body), NOW);
            for previous in &cached {
                let after = envelope::read_after(endpoint, reply(&body), NOW, Some(previous));
                assert_eq!(after, fresh, "{name} ({endpoint:?})");
            }
        }
    }
}

/// A client answer with `n` sessions, session `moved` (if any) changed in `how`.
fn answer(n: usize, moved: Option<usize>, how: &str) -> String {
    let sessions: Vec<String> = (0..n)
        .map(|i| {
            let (status, last_active, name) = match (moved == Some(i), how) {
                (true, "status") => ("ended", 1000, "Ada"),
                (true, "activity") => ("active", 2000, "Ada"),
                (true, "user") => ("active", 1000, "Eve"),
                _ => ("active", 1000, "Ada"),
            };
            format!(
                r#"{{"object":"session","id":"sess_{i}","status":"{status}","expire_at":1900000000000,"abandon_at":1900000000000,"last_active_at":{last_active},"user":{{"id":"user_{i}","object":"user","first_name":"{name}","email_addresses":[{{"id":"idn_{i}","email_address":"u{i}@example.com"}}]}},"last_active_token":{{"object":"token","jwt":"a.b.c"}}}}"#
            )
        })
        .collect();
    format!(
        r#"{{"response":{{"object":"client","id":"client_1","sessions":[{}],"last_active_session_id":"sess_0","updated_at":1}},"client":null}}"#,
        sessions.join(",")
    )
}

/// Asserts that reading `body` after `cached` equals a fresh read.
fn same_as_fresh(body: &str, cached: &ClientDoc, what: &str) {
    let fresh = envelope::read(Endpoint::GetClient, reply(body.as_bytes()), NOW);
    let after = envelope::read_after(
        Endpoint::GetClient,
        reply(body.as_bytes()),
        NOW,
        Some(cached),
    );
    assert_eq!(after, fresh, "{what}");
}

#[test]
fn one_moved_session_of_many_reads_as_a_fresh_read_does() {
    let cached = client_of(answer(20, None, "").as_bytes());
    for how in ["status", "activity", "user"] {
        for moved in [0, 7, 19] {
            same_as_fresh(
                &answer(20, Some(moved), how),
                &cached,
                &format!("session {moved} moved ({how})"),
            );
        }
    }
    // Fewer and more sessions than cached.
    same_as_fresh(&answer(5, None, ""), &cached, "fewer");
    same_as_fresh(&answer(30, None, ""), &cached, "more");
}

#[test]
fn a_session_is_not_taken_over_when_only_its_user_or_shell_matches() {
    // Same shell, another user of the same length: read again, not taken over.
    let cached = client_of(answer(3, None, "").as_bytes());
    let other_user = answer(3, Some(1), "user");
    let doc = client_of(other_user.as_bytes());
    let after = match envelope::read_after(
        Endpoint::GetClient,
        reply(other_user.as_bytes()),
        NOW,
        Some(&cached),
    )
    .update
    {
        ClientUpdate::Set(Some(d)) => d,
        other => panic!("{other:?}"),
    };
    assert_eq!(after, doc);
    assert_ne!(after.sessions[1], cached.sessions[1]);
    assert_eq!(after.sessions[0], cached.sessions[0]);
}
