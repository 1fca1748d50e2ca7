//! The core's behaviour, natively: both dialects, every status, structural sharing, and
//! malformed answers that must leave the cached client alone.
#![cfg(not(target_arch = "wasm32"))]

use fapi_session::core::envelope::Reply;
use fapi_session::core::sharing::{SessionPart, UserPart};
use fapi_session::core::state::{ClientChange, Op, State, Status};
use fapi_session::core::ErrorKind;

const NOW: u64 = 1_700_000_000_000;

fn ok(body: &str) -> Reply<'_> {
    Reply {
        status: 200,
        body: body.as_bytes(),
        retry_after: None,
        date: None,
    }
}

fn user(id: &str, name: &str) -> String {
    format!(
        r#"{{"id":"{id}","object":"user","first_name":"{name}","public_metadata":{{"x":[1,2]}},"updated_at":1700000000000}}"#
    )
}

fn session(id: &str, status: &str, user: &str) -> String {
    format!(
        r#"{{"object":"session","id":"{id}","status":"{status}","expire_at":1700600000000,"abandon_at":1702000000000,"last_active_at":1700000000000,"user":{user},"last_active_token":{{"object":"token","jwt":"a.b.c"}}}}"#
    )
}

fn client(sessions: &[String], last_active: Option<&str>, updated_at: u64) -> String {
    let last = last_active.map_or("null".to_string(), |s| format!("\"{s}\""));
    format!(
        r#"{{"object":"client","id":"client_1","sessions":[{}],"sign_in":null,"sign_up":null,"last_active_session_id":{last},"cookie_expires_at":null,"captcha_bypass":false,"created_at":1700000000000,"updated_at":{updated_at}}}"#,
        sessions.join(",")
    )
}

fn envelope(response: &str) -> String {
    format!(r#"{{"response":{response},"client":null}}"#)
}

fn load(state: &mut State, body: &str) -> (ClientChange, Option<fapi_session::core::Error>) {
    let (ticket, _) = state.begin(Op::Load, Op::Load.cause());
    let (change, error) = state.complete(ticket, Ok(ok(body)), NOW);
    (change.client, error)
}

fn signed_in_body() -> String {
    let s = session("sess_1", "active", &user("user_1", "Ada"));
    envelope(&client(&[s], Some("sess_1"), 1))
}

#[test]
fn first_load_goes_idle_loading_ready() {
    let mut state = State::new(Default::default());
    assert_eq!(state.status(), Status::Idle);
    let (ticket, change) = state.begin(Op::Load, Op::Load.cause());
    assert!(change.changed);
    assert_eq!(state.status(), Status::Loading);
    let (change, error) = state.complete(ticket, Ok(ok(&signed_in_body())), NOW);
    assert!(error.is_none());
    assert!(change.changed);
    assert_eq!(state.status(), Status::Ready);
    assert!(state.is_signed_in());
    assert_eq!(state.session().unwrap().id, "sess_1");
    assert_eq!(state.version(), 2);
}

#[test]
fn no_cookie_means_no_client() {
    let mut state = State::new(Default::default());
    let (change, error) = load(&mut state, r#"{"response":null,"client":null}"#);
    assert!(error.is_none());
    assert_eq!(change, ClientChange::Same);
    assert_eq!(state.status(), Status::Ready);
    assert!(state.client().is_none());
    assert!(!state.is_signed_in());
}

#[test]
fn seed_dialect_is_read() {
    let seed = r#"{"response":{"object":"client","id":"client_1sCBzTaRqTlV6sLUtguJPrHQYKf","sessions":[{"object":"session","id":"sess_1sCBzm5mh3K5DjPmyH4bruWMSi1","status":"active","expire_at":1620971755,"abandon_at":1622958955,"last_active_at":1620366955,"user":{"id":"user_1n5AY2RXJyBGhGLAhdEffaOCpFJ","object":"user","first_name":"Boss"},"created_at":1620366955,"updated_at":1620366955}],"sign_in_attempt":null,"sign_up_attempt":null,"last_active_session_id":"sess_1sCBzm5mh3K5DjPmyH4bruWMSi1","created_at":1620366953,"updated_at":1620366955},"client":null}"#;
    let mut state = State::new(Default::default());
    let (_, error) = load(&mut state, seed);
    assert!(error.is_none(), "{error:?}");
    let s = state.session().unwrap();
    assert_eq!(s.expire_at, Some(1_620_971_755_000), "seconds normalised");
    assert_eq!(state.client().unwrap().updated_at, Some(1_620_366_955_000));
    assert!(
        state.client().unwrap().shell.contains("sign_in_attempt"),
        "unknown keys kept"
    );
}

#[test]
fn delete_with_empty_body_or_envelope_clears() {
    for body in [
        "",
        r#"{"response":{"object":"client","id":"client_1","sessions":[]},"client":null}"#,
    ] {
        let mut state = State::new(Default::default());
        load(&mut state, &signed_in_body());
        let (ticket, _) = state.begin(Op::Destroy, Op::Destroy.cause());
        let (change, error) = state.complete(ticket, Ok(ok(body)), NOW);
        assert!(error.is_none(), "{body}: {error:?}");
        assert_eq!(change.client, ClientChange::Cleared);
        assert!(state.client().is_none());
        assert!(!state.is_signed_in());
    }
}

#[test]
fn every_status_decides_signed_in() {
    for (status, current, signed_in) in [
        ("active", true, true),
        ("pending", true, false),
        ("ended", false, false),
        ("removed", false, false),
        ("revoked", false, false),
        ("expired", false, false),
        ("abandoned", false, false),
        ("replaced", false, false),
        ("from_the_future", false, false),
    ] {
        let s = session("sess_1", status, &user("user_1", "Ada"));
        let mut state = State::new(Default::default());
        let (_, error) = load(&mut state, &envelope(&client(&[s], Some("sess_1"), 1)));
        assert!(error.is_none(), "{status}");
        assert_eq!(state.session().is_some(), current, "{status}");
        assert_eq!(state.is_signed_in(), signed_in, "{status}");
    }
}

#[test]
fn identical_answer_is_no_change() {
    let mut state = State::new(Default::default());
    load(&mut state, &signed_in_body());
    let version = state.version();
    let (ticket, change) = state.begin(Op::Refresh, Op::Refresh.cause());
    assert!(!change.changed);
    let (change, _) = state.complete(ticket, Ok(ok(&signed_in_body())), NOW);
    assert!(!change.changed);
    assert_eq!(state.version(), version);
    // Equal content with different whitespace in the envelope is no change either.
    let spaced = format!(
        " {} ",
        signed_in_body().replacen("\"client\":null", "\"client\" : null", 1)
    );
    let (ticket, _) = state.begin(Op::Refresh, Op::Refresh.cause());
    let (change, _) = state.complete(ticket, Ok(ok(&spaced)), NOW);
    assert!(!change.changed);
}

#[test]
fn unchanged_parts_are_reused() {
    let ada = user("user_1", "Ada");
    let bob = user("user_2", "Bob");
    let before = client(
        &[
            session("sess_1", "active", &ada),
            session("sess_2", "active", &bob),
        ],
        Some("sess_1"),
        1,
    );
    let mut state = State::new(Default::default());
    load(&mut state, &envelope(&before));
    // sess_2 signs out; sess_1 untouched; a new session for Ada appears first.
    let after = client(
        &[
            session("sess_3", "active", &ada),
            session("sess_1", "active", &ada),
            session("sess_2", "ended", &bob),
        ],
        Some("sess_3"),
        2,
    );
    let (ticket, _) = state.begin(Op::Refresh, Op::Refresh.cause());
    let (change, error) = state.complete(ticket, Ok(ok(&envelope(&after))), NOW);
    assert!(error.is_none());
    let ClientChange::Rebuilt(plan) = change.client else {
        panic!("expected a rebuild, got {:?}", change.client);
    };
    assert_eq!(
        plan.sessions,
        vec![
            SessionPart::Build(UserPart::Reuse(0)),
            SessionPart::Reuse(0),
            SessionPart::Build(UserPart::Reuse(1)),
        ]
    );
    assert_eq!(state.session().unwrap().id, "sess_3");
}

#[test]
fn changed_user_is_rebuilt() {
    let mut state = State::new(Default::default());
    load(&mut state, &signed_in_body());
    let s = session("sess_1", "active", &user("user_1", "Ada L."));
    let (ticket, _) = state.begin(Op::Refresh, Op::Refresh.cause());
    let (change, _) = state.complete(
        ticket,
        Ok(ok(&envelope(&client(&[s], Some("sess_1"), 2)))),
        NOW,
    );
    let ClientChange::Rebuilt(plan) = change.client else {
        panic!("expected a rebuild");
    };
    assert_eq!(plan.sessions, vec![SessionPart::Build(UserPart::Build)]);
}

#[test]
fn malformed_answers_keep_the_cached_client() {
    let good_session = session("sess_1", "active", &user("user_1", "Ada"));
    let cases: Vec<(String, &str)> = vec![
        ("{".into(), "truncated"),
        ("<html><body>502 Bad Gateway</body></html>".into(), "HTML"),
        ("".into(), "empty"),
        ("[]".into(), "array"),
        ("null".into(), "null"),
        (r#"{"foo":1}"#.into(), "neither field"),
        (
            envelope(r#"{"object":"client","id":"c","sessions":{}}"#),
            "sessions not array",
        ),
        (
            envelope(r#"{"object":"client","id":"c","sessions":"x"}"#),
            "sessions string",
        ),
        (
            envelope(r#"{"object":"client","id":7,"sessions":[]}"#),
            "id number",
        ),
        (envelope(r#"{"object":"client","sessions":[]}"#), "no id"),
        (
            envelope(r#"{"object":"session","id":"c","sessions":[]}"#),
            "wrong object",
        ),
        (envelope(r#"["client"]"#), "client array"),
        (
            envelope(&client(
                &[good_session.clone(), good_session.clone()],
                Some("sess_1"),
                1,
            )),
            "duplicate ids",
        ),
        (envelope(&client(&["1".into()], None, 1)), "session number"),
        (
            envelope(&client(&[r#"{"id":"s","status":3}"#.into()], None, 1)),
            "status number",
        ),
        (
            envelope(&client(&[r#"{"id":"s"}"#.into()], None, 1)),
            "no status",
        ),
        (
            envelope(&client(
                &[r#"{"id":"s","status":"active","user":[1]}"#.into()],
                None,
                1,
            )),
            "user array",
        ),
        (
            envelope(&client(
                &[r#"{"id":"s","status":"active","expire_at":"soon"}"#.into()],
                None,
                1,
            )),
            "time string",
        ),
        (
            r#"{"errors":[{"code":"x","message":"y"}]}"#.into(),
            "200 with errors",
        ),
    ];
    for (body, name) in cases {
        let mut state = State::new(Default::default());
        load(&mut state, &signed_in_body());
        let version = state.version();
        let (ticket, _) = state.begin(Op::Refresh, Op::Refresh.cause());
        let (change, error) = state.complete(ticket, Ok(ok(&body)), NOW);
        let error = error.unwrap_or_else(|| panic!("{name}: no error"));
        assert!(
            matches!(error.kind, ErrorKind::Parse | ErrorKind::Http),
            "{name}: {error:?}"
        );
        assert_eq!(error.status, Some(200), "{name}");
        assert!(change.changed, "{name}: the error is news");
        assert_eq!(change.client, ClientChange::Same, "{name}");
        assert_eq!(state.version(), version + 1, "{name}");
        assert_eq!(state.status(), Status::Ready, "{name}");
        assert!(state.is_signed_in(), "{name}: cached client kept");
        assert!(state.error().is_some(), "{name}");
        // The next good answer clears the error.
        let (ticket, _) = state.begin(Op::Refresh, Op::Refresh.cause());
        let (change, error) = state.complete(ticket, Ok(ok(&signed_in_body())), NOW);
        assert!(error.is_none(), "{name}");
        assert!(change.changed, "{name}: clearing the error is a change");
        assert!(state.error().is_none(), "{name}");
    }
}

#[test]
fn graceful_readings() {
    // Missing or null sessions read as none; absurd timestamps read as absent.
    for body in [
        envelope(r#"{"object":"client","id":"c"}"#),
        envelope(r#"{"object":"client","id":"c","sessions":null,"last_active_session_id":null}"#),
    ] {
        let mut state = State::new(Default::default());
        let (_, error) = load(&mut state, &body);
        assert!(error.is_none(), "{body}");
        assert!(state.client().unwrap().sessions.is_empty());
    }
    let s = r#"{"id":"s","status":"active","expire_at":-5,"abandon_at":1e300,"user":null}"#;
    let mut state = State::new(Default::default());
    let (_, error) = load(&mut state, &envelope(&client(&[s.into()], Some("s"), 1)));
    assert!(error.is_none());
    let session = state.session().unwrap();
    assert_eq!((session.expire_at, session.abandon_at), (None, None));
    assert!(session.user.is_none());
}

#[test]
fn a_dangling_last_active_id_means_no_active_session() {
    // As Clerk's SDK reads it: the client is applied, nobody is signed in, nothing is an error.
    let kept = session("sess_1", "active", &user("user_1", "Ada"));
    for last in ["sess_404", "", "SESS_1"] {
        let mut state = State::new(Default::default());
        load(&mut state, &signed_in_body());
        let (ticket, _) = state.begin(Op::Refresh, Op::Refresh.cause());
        let body = envelope(&client(std::slice::from_ref(&kept), Some(last), 2));
        let (change, error) = state.complete(ticket, Ok(ok(&body)), NOW);
        assert!(error.is_none(), "{last:?}: {error:?}");
        assert!(change.changed, "{last:?}");
        assert!(!state.is_signed_in(), "{last:?}");
        assert!(state.session().is_none(), "{last:?}");
        let doc = state.client().unwrap();
        assert_eq!(doc.sessions.len(), 1, "{last:?}: the sessions are kept");
        assert_eq!(doc.active, None, "{last:?}");
        assert_eq!(doc.last_active_session_id.as_deref(), Some(last));
    }
}

#[test]
fn first_load_failure_is_error_status() {
    let mut state = State::new(Default::default());
    let (ticket, _) = state.begin(Op::Load, Op::Load.cause());
    let reply = Reply {
        status: 503,
        body: br#"{"errors":[{"code":"service_unavailable","message":"down","long_message":"We are down","meta":{}}],"clerk_trace_id":"abc"}"#,
        retry_after: Some("7"),
        date: None,
    };
    let (change, error) = state.complete(ticket, Ok(reply), NOW);
    let error = error.unwrap();
    assert!(change.changed);
    assert_eq!(state.status(), Status::Error);
    assert_eq!(error.kind, ErrorKind::Http);
    assert_eq!(error.status, Some(503));
    assert_eq!(error.code.as_deref(), Some("service_unavailable"));
    assert_eq!(error.message, "We are down");
    assert_eq!(error.trace_id.as_deref(), Some("abc"));
    assert_eq!(error.retry_after, Some(7.0));
    assert!(error.errors_json.unwrap().contains("\"meta\":{}"));
}

#[test]
fn error_answer_piggyback_is_applied() {
    let mut state = State::new(Default::default());
    load(&mut state, r#"{"response":null,"client":null}"#);
    let s = session("sess_1", "active", &user("user_1", "Ada"));
    let body = format!(
        r#"{{"errors":[{{"code":"form_password_incorrect","message":"bad"}}],"client":{}}}"#,
        client(&[s], Some("sess_1"), 1)
    );
    let (ticket, _) = state.begin(Op::Create, Op::Create.cause());
    let reply = Reply {
        status: 422,
        body: body.as_bytes(),
        retry_after: None,
        date: None,
    };
    let (change, error) = state.complete(ticket, Ok(reply), NOW);
    assert_eq!(
        error.unwrap().code.as_deref(),
        Some("form_password_incorrect")
    );
    assert!(matches!(change.client, ClientChange::Rebuilt(_)));
    assert!(state.is_signed_in());
}

#[test]
fn stale_read_after_mutation_is_discarded() {
    let mut state = State::new(Default::default());
    load(&mut state, &signed_in_body());
    let (read, _) = state.begin(Op::Refresh, Op::Refresh.cause());
    let (destroy, _) = state.begin(Op::Destroy, Op::Destroy.cause());
    state.complete(destroy, Ok(ok("")), NOW);
    assert!(state.client().is_none());
    let version = state.version();
    let (change, error) = state.complete(read, Ok(ok(&signed_in_body())), NOW);
    assert!(!change.changed && error.is_none());
    assert!(
        state.client().is_none(),
        "the late GET must not resurrect the client"
    );
    assert_eq!(state.version(), version);
}

#[test]
fn aborted_changes_nothing() {
    let mut state = State::new(Default::default());
    load(&mut state, &signed_in_body());
    let version = state.version();
    let (ticket, _) = state.begin(Op::Refresh, Op::Refresh.cause());
    let aborted = fapi_session::core::Error::new(ErrorKind::Aborted, "disposed");
    let (change, error) = state.complete(ticket, Err(aborted), NOW);
    assert!(!change.changed);
    assert_eq!(error.unwrap().kind, ErrorKind::Aborted);
    assert_eq!(state.version(), version);
    assert!(state.error().is_none());
}

#[test]
fn deep_nesting_and_huge_bodies_do_not_crash() {
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let body = envelope(&client(
        &[format!(
            r#"{{"id":"s","status":"active","user":{{"id":"u","x":{deep}}}}}"#
        )],
        Some("s"),
        1,
    ));
    let mut state = State::new(Default::default());
    let (_, error) = load(&mut state, &body);
    assert_eq!(error.map(|e| e.kind), Some(ErrorKind::Parse));
    let big = "x".repeat(10 * 1024 * 1024);
    let body = envelope(&format!(
        r#"{{"object":"client","id":"c","note":"{big}","sessions":[]}}"#
    ));
    let mut state = State::new(Default::default());
    let (_, error) = load(&mut state, &body);
    assert!(error.is_none());
}

fn session_expiring(expire_at: u64) -> String {
    let s = format!(
        r#"{{"object":"session","id":"sess_1","status":"active","expire_at":{expire_at},"abandon_at":{},"user":{}}}"#,
        expire_at + 1_000_000,
        user("user_1", "Ada")
    );
    envelope(&client(&[s], Some("sess_1"), 1))
}

#[test]
fn expiry_drops_the_claim_but_keeps_the_data() {
    let mut state = State::new(Default::default());
    load(&mut state, &session_expiring(NOW + 1000));
    assert_eq!(state.expiry_deadline(), Some(NOW + 1000));
    assert!(!state.expire(NOW + 999).changed, "not yet");
    let change = state.expire(NOW + 1000);
    assert!(change.changed);
    assert_eq!(state.cause(), Some("expiry"));
    assert!(!state.is_signed_in());
    assert!(state.session().is_some(), "the data stays");
    assert!(!state.expire(NOW + 2000).changed, "once");
    // The server speaks again (same answer): its word stands.
    let (ticket, _) = state.begin(Op::Refresh, "expiry");
    let (change, _) = state.complete(ticket, Ok(ok(&session_expiring(NOW + 1000))), NOW + 2000);
    assert!(change.changed);
    assert!(state.is_signed_in());
}

#[test]
fn expiry_is_corrected_by_the_date_header() {
    let mut state = State::new(Default::default());
    let body = session_expiring(NOW + 3_600_000 + 1000);
    let (ticket, _) = state.begin(Op::Load, "load");
    // 2023-11-14T22:13:20Z is NOW; the server says an hour later.
    let reply = Reply {
        status: 200,
        body: body.as_bytes(),
        retry_after: None,
        date: Some("Tue, 14 Nov 2023 23:13:20 GMT"),
    };
    state.complete(ticket, Ok(reply), NOW);
    assert_eq!(state.expiry_deadline(), Some(NOW + 1000));
}

#[test]
fn an_older_client_is_ignored() {
    let mut state = State::new(Default::default());
    let newer = envelope(&client(&[], None, 2000));
    load(&mut state, &newer);
    let version = state.version();
    let (ticket, _) = state.begin(Op::Refresh, "refresh");
    let older = envelope(&client(&[], None, 1000));
    let (change, error) = state.complete(ticket, Ok(ok(&older)), NOW);
    assert!(!change.changed && error.is_none());
    assert_eq!(state.version(), version);
    assert_eq!(
        state.client().unwrap().updated_at,
        Some(2_000_000),
        "seconds normalised"
    );
}

#[test]
fn retries_then_the_breaker() {
    let mut state = State::new(Default::default());
    let mut e = fapi_session::core::Error::new(ErrorKind::Http, "down");
    e.status = Some(503);
    let delays: Vec<Option<u64>> = (0..5)
        .map(|i| state.plan_retry(Op::Refresh, i, &e, NOW, 0.0))
        .collect();
    assert_eq!(delays, [Some(250), Some(500), Some(1000), Some(2000), None]);
    assert_eq!(state.reads_blocked(NOW), Some(NOW + 30_000));
    assert!(
        !state.admit_revalidation(NOW, 0),
        "no revalidation while open"
    );
    // Mutations are retried only when the server said 429.
    assert_eq!(state.plan_retry(Op::Destroy, 0, &e, NOW, 0.0), None);
    e.status = Some(429);
    assert_eq!(state.plan_retry(Op::Destroy, 0, &e, NOW, 0.0), Some(250));
}

/// A sign-in answer as the Frontend API sends it: the sign-in as `response`, the client
/// piggybacked.
fn sign_in_answer(client: &str) -> String {
    format!(
        r#"{{"response":{{"object":"sign_in_attempt","status":"complete","created_session_id":"sess_1"}},"client":{client}}}"#
    )
}

#[test]
fn a_piggybacked_client_is_applied_without_a_request() {
    let mut state = State::new(Default::default());
    let signed_in = client(
        &[session("sess_1", "active", &user("user_1", "Ada"))],
        Some("sess_1"),
        1,
    );
    let (change, error) = state.piggyback(sign_in_answer(&signed_in).as_bytes(), NOW);
    assert!(error.is_none());
    assert!(change.changed);
    assert!(matches!(change.client, ClientChange::Rebuilt(_)));
    assert_eq!(state.status(), Status::Ready, "the newest state is known");
    assert_eq!(state.cause(), Some("piggyback"));
    assert!(state.is_signed_in());
    // The same client again is no change.
    let version = state.version();
    let (change, error) = state.piggyback(sign_in_answer(&signed_in).as_bytes(), NOW);
    assert!(!change.changed && error.is_none());
    assert_eq!(state.version(), version);
}

#[test]
fn a_piggyback_discards_older_gets_and_is_itself_ordered() {
    let mut state = State::new(Default::default());
    load(&mut state, &envelope(&client(&[], None, 2000)));
    let (read, _) = state.begin(Op::Refresh, "refresh");
    let signed_in = client(
        &[session("sess_1", "active", &user("user_1", "Ada"))],
        Some("sess_1"),
        3000,
    );
    state.piggyback(sign_in_answer(&signed_in).as_bytes(), NOW);
    assert!(state.is_signed_in());
    // The GET left before the sign-in: its answer (signed out) is older news.
    let (change, _) = state.complete(read, Ok(ok(&envelope(&client(&[], None, 2000)))), NOW);
    assert!(!change.changed);
    assert!(
        state.is_signed_in(),
        "the late GET must not undo the sign-in"
    );
    // A piggybacked client older than the cached one is ignored.
    let version = state.version();
    let (change, error) = state.piggyback(sign_in_answer(&client(&[], None, 1000)).as_bytes(), NOW);
    assert!(!change.changed && error.is_none());
    assert_eq!(state.version(), version);
    assert!(state.is_signed_in());
}

#[test]
fn a_piggyback_without_a_client_or_unreadable_changes_nothing() {
    let mut state = State::new(Default::default());
    load(&mut state, &signed_in_body());
    let version = state.version();
    for nothing in [
        r#"{"response":{"object":"sign_in_attempt"},"client":null}"#,
        r#"{"response":{"object":"sign_in_attempt"}}"#,
    ] {
        let (change, error) = state.piggyback(nothing.as_bytes(), NOW);
        assert!(!change.changed && error.is_none(), "{nothing}");
    }
    let incorrect = r#"[{"code":"form_password_incorrect","message":"Password is incorrect."}]"#;
    for (bad, kind) in [
        ("not json".to_string(), ErrorKind::Parse),
        (
            r#"{"response":null,"client":{"id":7}}"#.to_string(),
            ErrorKind::Parse,
        ),
        // Not an envelope at all: what a Response object or an ArrayBuffer becomes.
        ("{}".to_string(), ErrorKind::Parse),
        (r#"{"0":123,"1":34}"#.to_string(), ErrorKind::Parse),
        (format!(r#"{{"errors":{incorrect}}}"#), ErrorKind::Http),
        (
            format!(r#"{{"errors":{incorrect},"client":null}}"#),
            ErrorKind::Http,
        ),
        (
            format!(r#"{{"errors":{incorrect},"response":{{"object":"sign_in_attempt"}}}}"#),
            ErrorKind::Http,
        ),
    ] {
        let (change, error) = state.piggyback(bad.as_bytes(), NOW);
        assert!(!change.changed, "{bad}");
        let error = error.unwrap_or_else(|| panic!("{bad}: no error"));
        assert_eq!(error.kind, kind, "{bad}");
        assert_eq!(error.status, None, "{bad}: the manager saw no HTTP status");
    }
    assert_eq!(state.version(), version);
    assert!(state.is_signed_in(), "the cached client stays");
    assert!(
        state.error().is_none(),
        "the app's own call: not the manager's error"
    );
}

#[test]
fn a_sign_out_answer_carries_the_client_as_its_response() {
    let mut state = State::new(Default::default());
    load(&mut state, &signed_in_body());
    assert!(state.is_signed_in());
    // DELETE /v1/client/sessions: the client, its sessions ended, as `response`.
    let ended = client(
        &[session("sess_1", "ended", &user("user_1", "Ada"))],
        None,
        2,
    );
    let answer = format!(r#"{{"response":{ended},"client":null}}"#);
    let (change, error) = state.piggyback(answer.as_bytes(), NOW);
    assert!(error.is_none() && change.changed);
    assert!(!state.is_signed_in());
    assert_eq!(state.cause(), Some("piggyback"));
    // A `response` that is not a client (a sign-in attempt) is not taken for one.
    let version = state.version();
    let (change, error) = state.piggyback(
        br#"{"response":{"object":"sign_in_attempt","id":"sia_1"},"client":null}"#,
        NOW,
    );
    assert!(!change.changed && error.is_none());
    assert_eq!(state.version(), version);
}

#[test]
fn after_a_piggyback_an_empty_get_body_is_not_taken_for_an_identical_answer() {
    let mut state = State::new(Default::default());
    load(&mut state, &signed_in_body());
    let answer = sign_in_answer(&client(
        &[session("sess_1", "active", &user("user_1", "Ada"))],
        Some("sess_1"),
        5,
    ));
    state.piggyback(answer.as_bytes(), NOW);
    let (ticket, _) = state.begin(Op::Refresh, "refresh");
    let (change, error) = state.complete(ticket, Ok(ok("")), NOW);
    assert_eq!(error.map(|e| e.kind), Some(ErrorKind::Parse));
    assert!(change.changed, "the failure is reported in the snapshot");
    assert!(state.is_signed_in(), "the cached client stays");
}
