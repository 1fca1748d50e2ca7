//! Cross-tab decisions, natively: which changes are announced to the site's other tabs,
//! what counts as a nudge, what a hidden tab does with one, and when a nudge may send a GET.
#![cfg(not(target_arch = "wasm32"))]

use fapi_session::core::crosstab::{self, Identity, Nudges, MESSAGE};
use fapi_session::core::envelope::Reply;
use fapi_session::core::state::{Op, State};
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

fn body(client: &str, session: Option<(&str, &str)>, token: &str, updated_at: u64) -> String {
    let (sessions, last) = match session {
        Some((id, status)) => (
            format!(
                r#"[{{"object":"session","id":"{id}","status":"{status}","expire_at":1800000000000,"abandon_at":1800000000000,"user":{{"id":"user_1","object":"user"}},"last_active_token":{{"object":"token","jwt":"{token}"}}}}]"#
            ),
            format!("\"{id}\""),
        ),
        None => ("[]".to_string(), "null".to_string()),
    };
    format!(
        r#"{{"response":{{"object":"client","id":"{client}","sessions":{sessions},"last_active_session_id":{last},"updated_at":{updated_at}}},"client":null}}"#
    )
}

/// Applies `body` as the answer to `op` sent for `cause`; returns whether the identity
/// moved and whether the change would be announced (as the browser layer decides it).
fn apply(state: &mut State, op: Op, cause: &'static str, status: u16, body: &str) -> (bool, bool) {
    let before = Identity::of(state);
    let (ticket, _) = state.begin(op, cause);
    let (change, _) = state.complete(ticket, Ok(reply(status, body)), NOW);
    let after = Identity::of(state);
    let announced =
        change.changed && crosstab::announces(state.cause(), before.as_ref(), after.as_ref());
    (before != after, announced)
}

/// A state after a first load of `client_1` with `session` (id, status), token `t1`.
fn loaded(session: Option<(&str, &str)>) -> State {
    let mut state = State::new(Default::default());
    apply(
        &mut state,
        Op::Load,
        "load",
        200,
        &body("client_1", session, "t1", 1),
    );
    state
}

const ACTIVE: Option<(&str, &str)> = Some(("sess_1", "active"));

#[test]
fn a_first_read_only_learns_and_is_not_announced() {
    for (op, cause) in [(Op::Load, "load"), (Op::Refresh, "refresh")] {
        let mut state = State::new(Default::default());
        let signed_in = body("client_1", ACTIVE, "t1", 1);
        assert_eq!(
            apply(&mut state, op, cause, 200, &signed_in),
            (true, false),
            "{cause}"
        );
    }
}

#[test]
fn a_destroy_or_create_before_anything_was_known_is_announced() {
    // A sign-out page that calls destroy() without loading first.
    let mut state = State::new(Default::default());
    let none = r#"{"response":null,"client":null}"#;
    assert_eq!(
        apply(&mut state, Op::Destroy, "destroy", 200, none),
        (true, true)
    );
    let mut state = State::new(Default::default());
    assert_eq!(
        apply(
            &mut state,
            Op::Create,
            "create",
            200,
            &body("client_9", None, "", 1)
        ),
        (true, true)
    );
}

#[test]
fn a_refresh_that_signs_in_or_out_is_announced() {
    let mut state = loaded(None);
    let signed_in = body("client_1", ACTIVE, "t1", 2);
    assert_eq!(
        apply(&mut state, Op::Refresh, "refresh", 200, &signed_in),
        (true, true)
    );
    let ended = body("client_1", Some(("sess_1", "ended")), "t1", 3);
    assert_eq!(
        apply(&mut state, Op::Refresh, "refresh", 200, &ended),
        (true, true)
    );
}

#[test]
fn churn_without_a_change_of_who_is_signed_in_is_not_announced() {
    let mut state = loaded(ACTIVE);
    // A new token and a newer updated_at: a change for listeners, not news for other tabs.
    let churn = body("client_1", ACTIVE, "t2", 2);
    let before = state.version();
    assert_eq!(
        apply(&mut state, Op::Refresh, "refresh", 200, &churn),
        (false, false)
    );
    assert_eq!(state.version(), before + 1, "the snapshot did change");
}

#[test]
fn revalidations_and_nudges_never_announce_so_tabs_cannot_set_each_other_off() {
    for cause in [
        "focus",
        "visible",
        "online",
        "pageshow",
        "expiry",
        "broadcast",
    ] {
        let mut state = loaded(None);
        let signed_in = body("client_1", ACTIVE, "t1", 2);
        assert_eq!(
            apply(&mut state, Op::Refresh, cause, 200, &signed_in),
            (true, false),
            "{cause}"
        );
        assert!(!crosstab::announces_cause(cause), "{cause}");
    }
}

#[test]
fn create_and_destroy_are_announced() {
    let mut state = loaded(ACTIVE);
    assert_eq!(
        apply(
            &mut state,
            Op::Create,
            "create",
            200,
            &body("client_2", None, "", 5)
        ),
        (true, true),
        "a new client"
    );
    assert_eq!(
        apply(
            &mut state,
            Op::Destroy,
            "destroy",
            200,
            r#"{"response":null,"client":null}"#
        ),
        (true, true),
        "no client"
    );
}

#[test]
fn a_failed_request_is_not_announced() {
    let mut state = loaded(ACTIVE);
    let error = r#"{"errors":[{"code":"internal","message":"boom"}]}"#;
    assert_eq!(
        apply(&mut state, Op::Destroy, "destroy", 500, error),
        (false, false)
    );
    assert_eq!(state.error().map(|e| e.kind), Some(ErrorKind::Http));
}

#[test]
fn only_the_exact_message_is_a_nudge_and_channels_are_per_origin() {
    assert!(crosstab::is_nudge(Some(MESSAGE)));
    for other in [
        None,
        Some(""),
        Some("changed"),
        Some("fapi-session:changed "),
        Some("FAPI-SESSION:CHANGED"),
    ] {
        assert!(!crosstab::is_nudge(other), "{other:?}");
    }
    let a = crosstab::channel_name("https://clerk.a.example");
    let b = crosstab::channel_name("https://clerk.b.example");
    assert_ne!(a, b);
    assert!(a.ends_with("https://clerk.a.example"));
}

#[test]
fn a_hidden_tab_keeps_one_nudge_for_when_it_becomes_visible() {
    let mut nudges = Nudges::default();
    assert!(nudges.receive(false, false), "visible, idle: refresh now");
    assert!(
        !nudges.visible(false),
        "nothing waits after a nudge acted on"
    );
    assert!(!nudges.read_settled());
    assert!(!nudges.receive(true, false), "hidden: not now");
    assert!(!nudges.receive(true, false));
    assert!(nudges.visible(false), "one refresh on becoming visible");
    assert!(!nudges.visible(false), "and only one");
}

#[test]
fn a_nudge_during_a_get_owes_one_more_get_after_it() {
    let mut nudges = Nudges::default();
    assert!(!nudges.receive(false, true), "a GET is in flight: not now");
    assert!(!nudges.receive(false, true));
    assert!(nudges.read_settled(), "one more GET when it settles");
    assert!(!nudges.read_settled(), "only one");
    // Hidden, then visible while a GET is in flight: after that GET.
    assert!(!nudges.receive(true, false));
    assert!(!nudges.visible(true));
    assert!(nudges.read_settled());
}

#[test]
fn a_nudge_skips_the_throttle_but_restarts_it_and_waits_for_the_first_load() {
    assert!(
        !State::new(Default::default()).admit_nudge(NOW),
        "not before the first load"
    );
    let mut state = loaded(None);
    assert!(state.admit_revalidation(NOW, 5000));
    assert!(!state.admit_revalidation(NOW + 1000, 5000), "throttled");
    assert!(state.admit_nudge(NOW + 1000), "a nudge is not throttled");
    assert!(
        !state.admit_revalidation(NOW + 5500, 5000),
        "the window restarted at the nudge"
    );
    assert!(state.admit_revalidation(NOW + 6000, 5000));
}

#[test]
fn a_nudge_is_held_back_while_the_breaker_is_open() {
    let mut state = loaded(None);
    let failure = fapi_session::core::Error::new(ErrorKind::Network, "down");
    for retry in 0..5 {
        let (ticket, _) = state.begin(Op::Refresh, "refresh");
        let (_, error) = state.complete(ticket, Err(failure.clone()), NOW);
        let error = error.unwrap_or_else(|| failure.clone());
        state.plan_retry(Op::Refresh, retry, &error, NOW, 0.5);
    }
    assert!(state.reads_blocked(NOW).is_some(), "the breaker is open");
    assert!(!state.admit_nudge(NOW + 1000));
}

#[test]
fn an_applied_sign_in_is_announced_and_an_unchanged_one_is_not() {
    let mut state = loaded(None);
    let answer = |updated_at| {
        let client = body("client_1", ACTIVE, "t1", updated_at);
        // The client of a sign-in answer is piggybacked beside its `response`.
        client
            .replacen(
                r#"{"response":"#,
                r#"{"response":{"object":"sign_in_attempt"},"client":"#,
                1,
            )
            .replacen(r#","client":null}"#, "}", 1)
    };
    for (updated_at, expected) in [(2, true), (2, false)] {
        let before = Identity::of(&state);
        let (change, error) = state.piggyback(answer(updated_at).as_bytes(), NOW);
        assert!(error.is_none());
        let after = Identity::of(&state);
        assert_eq!(
            change.changed && crosstab::announces(state.cause(), before.as_ref(), after.as_ref()),
            expected
        );
    }
    assert!(crosstab::announces_cause("piggyback"));
}
