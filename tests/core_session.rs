//! The session calls (sign-in, sign-out, switch, any path) and the tokens endpoint, natively:
//! what their answers change, what they leave alone, and how a token answer is read.
#![cfg(not(target_arch = "wasm32"))]

use fapi_session::core::envelope::{read_token, Reply};
use fapi_session::core::state::{ClientChange, Op, State};
use fapi_session::core::ErrorKind;

const NOW: u64 = 1_700_000_000_000;

fn reply(status: u16, body: &str) -> Reply<'_> {
    Reply {
        status,
        body: body.as_bytes(),
        retry_after: None,
        date: None,
    }
}

fn session(id: &str, status: &str, jwt: &str) -> String {
    format!(
        r#"{{"object":"session","id":"{id}","status":"{status}","user":{{"id":"user_{id}"}},"last_active_token":{{"object":"token","jwt":"{jwt}"}}}}"#
    )
}

fn client(sessions: &[String], last_active: &str, updated_at: u64) -> String {
    format!(
        r#"{{"object":"client","id":"client_1","sessions":[{}],"last_active_session_id":"{last_active}","updated_at":{updated_at}}}"#,
        sessions.join(",")
    )
}

fn signed_in(state: &mut State) {
    let body = format!(
        r#"{{"response":{},"client":null}}"#,
        client(&[session("sess_a", "active", "t.a.1")], "sess_a", 10)
    );
    let (ticket, _) = state.begin(Op::Load, "load");
    let (_, error) = state.complete(ticket, Ok(reply(200, &body)), NOW);
    assert!(error.is_none());
}

fn call(state: &mut State, op: Op, status: u16, body: &str) -> (bool, Option<ErrorKind>) {
    let (ticket, _) = state.begin(op, op.cause());
    let (change, error) = state.complete(ticket, Ok(reply(status, body)), NOW);
    (change.changed, error.map(|e| e.kind))
}

#[test]
fn a_second_sign_in_adds_a_session_and_makes_it_active() {
    let mut state = State::new(Default::default());
    signed_in(&mut state);
    let both = client(
        &[
            session("sess_a", "active", "t.a.1"),
            session("sess_b", "active", "t.b.1"),
        ],
        "sess_b",
        11,
    );
    let body = format!(
        r#"{{"response":{{"object":"sign_in_attempt","status":"complete"}},"client":{both}}}"#
    );
    assert_eq!(call(&mut state, Op::SignIn, 200, &body), (true, None));
    assert_eq!(state.cause(), Some("signIn"));
    assert_eq!(state.session().unwrap().id, "sess_b");
    assert!(state.has_current_session("sess_a"));
    assert!(state.has_current_session("sess_b"));
    assert_eq!(
        state.client().unwrap().sessions[0].token.as_deref(),
        Some("t.a.1"),
        "last_active_token.jwt is kept for the token cache"
    );
}

#[test]
fn a_failed_session_call_is_the_callers_answer_not_the_snapshots() {
    let mut state = State::new(Default::default());
    signed_in(&mut state);
    let version = state.version();
    let wrong = r#"{"errors":[{"code":"form_password_incorrect","message":"Password is incorrect.","long_message":"Password is incorrect. Try again."}],"clerk_trace_id":"t1"}"#;
    let (ticket, _) = state.begin(Op::SignIn, "signIn");
    let (change, error) = state.complete(ticket, Ok(reply(422, wrong)), NOW);
    let error = error.unwrap();
    assert_eq!(error.kind, ErrorKind::Http);
    assert_eq!(error.status, Some(422));
    assert_eq!(error.code.as_deref(), Some("form_password_incorrect"));
    assert_eq!(error.trace_id.as_deref(), Some("t1"));
    assert!(!change.changed);
    assert_eq!(state.version(), version);
    assert!(state.error().is_none(), "snapshot.error stays null");
    assert!(state.is_signed_in());
}

#[test]
fn an_error_answer_with_a_client_still_applies_the_client() {
    let mut state = State::new(Default::default());
    signed_in(&mut state);
    let ended = client(&[session("sess_a", "ended", "t.a.1")], "sess_a", 12);
    let body =
        format!(r#"{{"errors":[{{"code":"session_exists","message":"x"}}],"client":{ended}}}"#);
    assert_eq!(
        call(&mut state, Op::SetActive, 422, &body),
        (true, Some(ErrorKind::Http))
    );
    assert!(!state.is_signed_in());
    assert_eq!(state.cause(), Some("setActive"));
}

#[test]
fn sign_out_of_all_reads_the_client_response() {
    let mut state = State::new(Default::default());
    signed_in(&mut state);
    let ended = client(&[session("sess_a", "ended", "t.a.1")], "sess_a", 12);
    let body = format!(r#"{{"response":{ended},"client":null}}"#);
    assert_eq!(call(&mut state, Op::SignOut, 200, &body), (true, None));
    assert!(!state.is_signed_in());
    assert!(!state.has_current_session("sess_a"));
    assert_eq!(state.cause(), Some("signOut"));
}

#[test]
fn an_older_client_never_rolls_state_back() {
    let mut state = State::new(Default::default());
    signed_in(&mut state);
    let older = client(&[session("sess_a", "ended", "t.a.0")], "sess_a", 9);
    let body = format!(r#"{{"response":{{}},"client":{older}}}"#);
    assert_eq!(call(&mut state, Op::Request, 200, &body), (false, None));
    assert!(state.is_signed_in());
}

#[test]
fn a_session_call_discards_the_get_in_flight() {
    let mut state = State::new(Default::default());
    signed_in(&mut state);
    let (get, _) = state.begin(Op::Refresh, "refresh");
    let both = client(
        &[
            session("sess_a", "active", "t"),
            session("sess_b", "active", "t"),
        ],
        "sess_b",
        11,
    );
    let body = format!(r#"{{"response":{{}},"client":{both}}}"#);
    assert_eq!(call(&mut state, Op::SignIn, 200, &body), (true, None));
    let stale = format!(
        r#"{{"response":{},"client":null}}"#,
        client(&[session("sess_a", "active", "t")], "sess_a", 10)
    );
    let (change, error) = state.complete(get, Ok(reply(200, &stale)), NOW);
    assert!(error.is_none());
    assert_eq!(change.client, ClientChange::Same);
    assert_eq!(state.session().unwrap().id, "sess_b");
}

#[test]
fn a_request_without_a_client_changes_nothing() {
    let mut state = State::new(Default::default());
    signed_in(&mut state);
    let version = state.version();
    let body = r#"{"response":{"object":"environment"},"client":null}"#;
    assert_eq!(call(&mut state, Op::Request, 200, body), (false, None));
    assert_eq!(state.version(), version);
}

#[test]
fn a_request_for_a_bare_object_is_no_error() {
    let mut state = State::new(Default::default());
    signed_in(&mut state);
    let bare = r#"{"object":"environment","auth_config":{}}"#;
    assert_eq!(call(&mut state, Op::Request, 200, bare), (false, None));
    // A session call that is not `request()` still wants an envelope.
    assert_eq!(
        call(&mut state, Op::SetActive, 200, bare),
        (false, Some(ErrorKind::Parse))
    );
}

#[test]
fn token_answers() {
    assert_eq!(
        read_token(reply(200, r#"{"object":"token","jwt":"h.p.s"}"#), NOW).unwrap(),
        "h.p.s"
    );
    for bad in ["", "{}", r#"{"jwt":5}"#, r#"{"jwt":""}"#, "[]", "<html>"] {
        let error = read_token(reply(200, bad), NOW).unwrap_err();
        assert_eq!(error.kind, ErrorKind::Parse, "{bad}");
    }
    let gone =
        r#"{"errors":[{"code":"resource_not_found","message":"not found"}],"clerk_trace_id":"tr"}"#;
    let error = read_token(reply(404, gone), NOW).unwrap_err();
    assert_eq!(error.kind, ErrorKind::Http);
    assert_eq!(error.status, Some(404));
    assert_eq!(error.code.as_deref(), Some("resource_not_found"));
    assert_eq!(error.trace_id.as_deref(), Some("tr"));
    let mut busy = reply(429, "");
    busy.retry_after = Some("3");
    let error = read_token(busy, NOW).unwrap_err();
    assert_eq!((error.status, error.retry_after), (Some(429), Some(3.0)));
}
