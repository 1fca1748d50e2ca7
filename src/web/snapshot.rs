//! The snapshot's JS objects: frozen, built only for what changed, reused otherwise.

use js_sys::Array;
use wasm_bindgen::prelude::*;

use crate::core::sharing::{Plan, SessionPart, UserPart};
use crate::core::state::{ClientChange, State};

#[wasm_bindgen(module = "/js/objects.js")]
extern "C" {
    #[wasm_bindgen(js_name = parseFrozen)]
    fn parse_frozen(text: &str) -> JsValue;
    #[wasm_bindgen(js_name = buildSession)]
    fn build_session(shell: &str, user: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = buildClient)]
    fn build_client(shell: &str, sessions: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = buildSnapshot)]
    #[allow(clippy::too_many_arguments)]
    fn build_snapshot(
        status: &str,
        client: &JsValue,
        session: &JsValue,
        user: &JsValue,
        is_signed_in: bool,
        error: &JsValue,
        version: f64,
        cause: &JsValue,
        next_retry_at: &JsValue,
        sessions: &JsValue,
    ) -> JsValue;
    #[wasm_bindgen(js_name = frozenList)]
    fn frozen_list(items: Array) -> JsValue;
}

/// The JS objects of the cached client, index for index with the core's `ClientDoc`.
pub struct Objects {
    client: Option<JsValue>,
    sessions: Vec<JsValue>,
    /// Each session's user object, `undefined` when it has none.
    users: Vec<JsValue>,
    /// The signed-in (`active` or `pending`) sessions, in the client's order: a frozen
    /// array, the same one while its members are (`undefined` before there is a client).
    current: JsValue,
    /// Indexes in `sessions` of the members of `current`.
    current_at: Vec<usize>,
}

impl Default for Objects {
    fn default() -> Self {
        Self {
            client: None,
            sessions: Vec::new(),
            users: Vec::new(),
            current: JsValue::UNDEFINED,
            current_at: Vec::new(),
        }
    }
}

impl Objects {
    /// Brings the objects in line with `state` after a change.
    pub fn apply(&mut self, change: &ClientChange, state: &State) {
        match change {
            ClientChange::Same => {}
            ClientChange::Cleared => *self = Self::default(),
            ClientChange::Rebuilt(plan) => self.rebuild(plan, state),
        }
    }

    fn rebuild(&mut self, plan: &Plan, state: &State) {
        let Some(doc) = state.client() else {
            *self = Self::default();
            return;
        };
        let mut sessions = Vec::with_capacity(doc.sessions.len());
        let mut users = Vec::with_capacity(doc.sessions.len());
        for (part, session) in plan.sessions.iter().zip(&doc.sessions) {
            let old =
                |list: &Vec<JsValue>, i: usize| list.get(i).cloned().unwrap_or(JsValue::UNDEFINED);
            let (object, user) = match *part {
                SessionPart::Reuse(i) => (old(&self.sessions, i), old(&self.users, i)),
                SessionPart::Build(user_part) => {
                    let user = match (user_part, &session.user) {
                        (UserPart::Reuse(i), _) => old(&self.users, i),
                        (UserPart::Build, Some(u)) => parse_frozen(&u.text),
                        _ => JsValue::UNDEFINED,
                    };
                    (build_session(&session.shell, &user), user)
                }
            };
            sessions.push(object);
            users.push(user);
        }
        let list = if doc.has_sessions {
            sessions.iter().collect::<Array>().into()
        } else {
            JsValue::UNDEFINED
        };
        self.client = Some(build_client(&doc.shell, &list));
        let current_at: Vec<usize> = (0..doc.sessions.len())
            .filter(|&i| doc.sessions.get(i).is_some_and(|s| s.status.is_current()))
            .collect();
        let same = current_at.len() == self.current_at.len()
            && current_at.iter().zip(&self.current_at).all(|(&new, &old)| {
                match (sessions.get(new), self.sessions.get(old)) {
                    (Some(a), Some(b)) => js_sys::Object::is(a, b),
                    _ => false,
                }
            });
        if !same || self.current.is_undefined() {
            let items: Array = current_at.iter().filter_map(|&i| sessions.get(i)).collect();
            self.current = frozen_list(items);
        }
        self.current_at = current_at;
        self.sessions = sessions;
        self.users = users;
    }

    /// The client object, or `null`.
    pub fn client(&self) -> JsValue {
        self.client.clone().unwrap_or(JsValue::NULL)
    }

    /// The active session's object and its user's, or `null`s.
    pub fn active(&self, state: &State) -> (JsValue, JsValue) {
        let index = state.client().and_then(|c| c.active);
        let pick = |list: &Vec<JsValue>| {
            index
                .and_then(|i| list.get(i))
                .filter(|v| !v.is_undefined())
                .cloned()
                .unwrap_or(JsValue::NULL)
        };
        (pick(&self.sessions), pick(&self.users))
    }

    /// The frozen snapshot for `state`, using these objects and `error` (a `FapiError`
    /// or `null`).
    pub fn snapshot(&self, state: &State, error: &JsValue) -> JsValue {
        let (session, user) = self.active(state);
        let cause = state.cause().map_or(JsValue::NULL, JsValue::from_str);
        let next_retry_at = state
            .next_retry_at()
            .map_or(JsValue::NULL, |t| JsValue::from_f64(t as f64));
        build_snapshot(
            state.status().as_str(),
            &self.client(),
            &session,
            &user,
            state.is_signed_in(),
            error,
            state.version() as f64,
            &cause,
            &next_retry_at,
            &self.current,
        )
    }
}
