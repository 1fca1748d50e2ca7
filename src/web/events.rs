//! Listeners: registered by id, called outside any borrow of the manager's state.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Function;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/objects.js")]
extern "C" {
    #[wasm_bindgen(js_name = callListener)]
    fn call_listener(listener: &Function, snapshot: &JsValue);
}

/// The subscribed listeners, in subscription order.
#[derive(Default)]
pub struct Listeners {
    next_id: u32,
    list: Vec<(u32, Function)>,
}

impl Listeners {
    /// Adds a listener; returns its id for [`Listeners::remove`].
    pub fn add(&mut self, listener: Function) -> u32 {
        self.next_id = self.next_id.wrapping_add(1);
        self.list.push((self.next_id, listener));
        self.next_id
    }

    /// Removes a listener; `false` if it was already gone.
    pub fn remove(&mut self, id: u32) -> bool {
        let before = self.list.len();
        self.list.retain(|(i, _)| *i != id);
        self.list.len() != before
    }

    /// Whether the listener is still subscribed.
    pub fn contains(&self, id: u32) -> bool {
        self.list.iter().any(|(i, _)| *i == id)
    }

    /// How many listeners there are.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Drops them all.
    pub fn clear(&mut self) {
        self.list.clear();
    }

    fn copy(&self) -> Vec<(u32, Function)> {
        self.list.clone()
    }
}

/// What [`notify`] needs from the state it lives in.
pub trait Source {
    /// The listeners.
    fn listeners(&self) -> &Listeners;
    /// The current snapshot.
    fn snapshot(&self) -> JsValue;
    /// The current snapshot's version.
    fn version(&self) -> u64;
    /// A function that hears of every change before the listeners (the JS wrapper's cache).
    fn sink(&self) -> Option<Function>;
}

/// Calls every listener with the current snapshot. The listener list is copied and the
/// borrow dropped first, so listeners may call back into the manager; a listener removed
/// during the round is skipped, and if a listener causes a newer change (whose own round
/// reaches everyone) the rest of this round, now stale, is dropped.
pub fn notify<S: Source>(state: &Rc<RefCell<S>>) {
    let (list, snapshot, version, sink) = {
        let s = state.borrow();
        (s.listeners().copy(), s.snapshot(), s.version(), s.sink())
    };
    if let Some(sink) = sink {
        call_listener(&sink, &snapshot);
    }
    for (id, listener) in list {
        let still_due = {
            let s = state.borrow();
            s.listeners().contains(id) && s.version() == version
        };
        if still_due {
            call_listener(&listener, &snapshot);
        }
    }
}
