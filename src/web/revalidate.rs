//! Revalidation: while anything is subscribed, browser events that mean "the user may be
//! back" (focus, the page becoming visible, `online`, `pageshow` from the back/forward
//! cache) refresh the client, throttled, and never while the page is hidden.

use super::dom::{self, Listener};
use super::flow;
use super::manager::Inner;

/// Attaches the enabled event listeners (the handles remove them when dropped).
pub fn attach(inner: &mut Inner) {
    let settings = inner.config.revalidate;
    let window = dom::global_target();
    let document = dom::document().map(web_sys::EventTarget::from);
    let wanted: [(
        bool,
        Option<&web_sys::EventTarget>,
        &'static str,
        &'static str,
    ); 4] = [
        (settings.focus, window.as_ref(), "focus", "focus"),
        (
            settings.visible,
            document.as_ref(),
            "visibilitychange",
            "visible",
        ),
        (settings.online, window.as_ref(), "online", "online"),
        (settings.pageshow, window.as_ref(), "pageshow", "pageshow"),
    ];
    for (enabled, target, kind, cause) in wanted {
        let (true, Some(target)) = (enabled, target) else {
            continue;
        };
        let me = inner.me.clone();
        let throttle = u64::from(settings.throttle_ms);
        let listener = Listener::new(target, kind, move |event| {
            if dom::hidden() || (kind == "pageshow" && !persisted(&event)) {
                return;
            }
            let Some(rc) = me.upgrade() else {
                return;
            };
            let admitted = {
                let mut inner = rc.borrow_mut();
                !inner.disposed && inner.state.admit_revalidation(dom::now(), throttle)
            };
            if admitted {
                flow::background_read(&rc, cause);
            }
        });
        inner.revalidation.extend(listener);
    }
}

/// `event.persisted`: the page came back from the back/forward cache.
fn persisted(event: &web_sys::Event) -> bool {
    js_sys::Reflect::get(event, &"persisted".into())
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}
