//! Handles for things given to the browser: a timer and an event listener. Each removes
//! itself (and frees its closure) when dropped, so nothing outlives the manager.

use wasm_bindgen::prelude::*;
use web_sys::EventTarget;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &js_sys::Function, ms: i32) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

/// The longest single `setTimeout` (about 24.8 days); longer waits are re-armed.
pub const MAX_TIMEOUT_MS: u64 = i32::MAX as u64;

/// A one-shot timer that is cleared, and its closure freed, when dropped.
pub struct Timer {
    id: JsValue,
    _callback: Closure<dyn FnMut()>,
}

impl Timer {
    /// Runs `f` after `ms` milliseconds (at most [`MAX_TIMEOUT_MS`]), unless the timer is
    /// dropped first.
    pub fn new(ms: u64, f: impl FnMut() + 'static) -> Self {
        let callback = Closure::<dyn FnMut()>::new(f);
        let ms = i32::try_from(ms).unwrap_or(i32::MAX);
        let id = set_timeout(callback.as_ref().unchecked_ref(), ms);
        Self {
            id,
            _callback: callback,
        }
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        clear_timeout(&self.id);
    }
}

/// An event listener on a DOM target, removed when dropped.
pub struct Listener {
    target: EventTarget,
    kind: &'static str,
    callback: Closure<dyn FnMut(web_sys::Event)>,
}

impl Listener {
    /// Listens for `kind` events on `target`.
    pub fn new(
        target: &EventTarget,
        kind: &'static str,
        f: impl FnMut(web_sys::Event) + 'static,
    ) -> Option<Self> {
        let callback = Closure::<dyn FnMut(web_sys::Event)>::new(f);
        target
            .add_event_listener_with_callback(kind, callback.as_ref().unchecked_ref())
            .ok()?;
        Some(Self {
            target: target.clone(),
            kind,
            callback,
        })
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self
            .target
            .remove_event_listener_with_callback(self.kind, self.callback.as_ref().unchecked_ref());
    }
}

#[wasm_bindgen]
extern "C" {
    /// `globalThis`, typed loosely: a page or a worker.
    type Global;
    #[wasm_bindgen(method, getter, js_name = navigator)]
    fn navigator(this: &Global) -> JsValue;
    #[wasm_bindgen(method, getter, js_name = document)]
    fn document(this: &Global) -> JsValue;
}

fn global() -> Global {
    js_sys::global().unchecked_into()
}

/// The global scope as an event target (`window` in a page, `self` in a worker).
pub fn global_target() -> Option<EventTarget> {
    js_sys::global().dyn_into::<EventTarget>().ok()
}

/// The page's `document`, if there is one.
pub fn document() -> Option<web_sys::Document> {
    global().document().dyn_into::<web_sys::Document>().ok()
}

/// `location.protocol` (`"https:"`), where there is a location.
pub fn location_protocol() -> Option<String> {
    let location = js_sys::Reflect::get(&js_sys::global(), &"location".into()).ok()?;
    js_sys::Reflect::get(&location, &"protocol".into())
        .ok()?
        .as_string()
}

/// `navigator.onLine`; `true` where unknown.
pub fn online() -> bool {
    let navigator = global().navigator();
    js_sys::Reflect::get(&navigator, &JsValue::from_str("onLine"))
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(true)
}

/// Whether the page is hidden (`document.visibilityState === 'hidden'`).
pub fn hidden() -> bool {
    document().is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Hidden)
}

/// Local time, ms since the epoch.
pub fn now() -> u64 {
    let now = js_sys::Date::now();
    if now.is_finite() && now > 0.0 {
        now as u64
    } else {
        0
    }
}

#[wasm_bindgen]
extern "C" {
    /// `BroadcastChannel`: messages to the other documents of this origin.
    #[wasm_bindgen(extends = EventTarget)]
    #[derive(Clone)]
    type RawChannel;
    #[wasm_bindgen(catch, constructor, js_class = "BroadcastChannel")]
    fn open(name: &str) -> Result<RawChannel, JsValue>;
    #[wasm_bindgen(catch, method, js_name = postMessage)]
    fn post_message(this: &RawChannel, message: &str) -> Result<(), JsValue>;
    #[wasm_bindgen(method)]
    fn close(this: &RawChannel);
}

/// A `BroadcastChannel`, closed when dropped.
pub struct Channel(RawChannel);

impl Channel {
    /// Opens the channel `name`; `None` where the platform has no `BroadcastChannel`. In
    /// Node (tests of apps run there) the channel is `unref()`ed, so an open one does not
    /// keep the process alive.
    pub fn open(name: &str) -> Option<Self> {
        let raw = RawChannel::open(name).ok()?;
        if let Ok(unref) = js_sys::Reflect::get(&raw, &"unref".into()) {
            if let Some(unref) = unref.dyn_ref::<js_sys::Function>() {
                let _ = unref.call0(&raw);
            }
        }
        Some(Self(raw))
    }

    /// A handle that posts to this channel (while it is open), for use without a borrow.
    pub fn sender(&self) -> Sender {
        Sender(self.0.clone())
    }

    /// Calls `f` with every string message that reaches this channel, while the listener
    /// is kept.
    pub fn on_message(&self, mut f: impl FnMut(String) + 'static) -> Option<Listener> {
        Listener::new(&self.0, "message", move |event| {
            let data = js_sys::Reflect::get(&event, &"data".into())
                .ok()
                .and_then(|d| d.as_string());
            if let Some(data) = data {
                f(data);
            }
        })
    }
}

/// Posts to a [`Channel`]; does not keep it open.
pub struct Sender(RawChannel);

impl Sender {
    /// Sends `message` to the channel's other ends; a failure (a closed channel) is ignored.
    pub fn post(&self, message: &str) {
        let _ = self.0.post_message(message);
    }
}

impl Drop for Channel {
    fn drop(&mut self) {
        self.0.close();
    }
}
