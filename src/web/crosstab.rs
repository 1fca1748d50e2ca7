//! The browser side of [`crate::core::crosstab`]: one `BroadcastChannel` per manager, named
//! after the Frontend API's origin. While anything is subscribed, a nudge from another tab
//! refreshes (cause `'broadcast'`), or, if the page is hidden, the next time it becomes
//! visible. After this tab's own request changes who is signed in, [`announce`] tells the
//! others.

use std::cell::RefCell;
use std::rc::Rc;

use super::dom::{self, Channel, Listener};
use super::flow;
use super::manager::Inner;
use crate::core::crosstab::{self, MESSAGE};

/// Opens the manager's channel if it is not open yet (and the platform has one).
fn ensure_channel(inner: &mut Inner) {
    if inner.channel.is_none() && !inner.disposed {
        inner.channel = Channel::open(&crosstab::channel_name(&inner.config.origin));
    }
}

/// Attaches the nudge listeners (kept in `inner.revalidation`, so they go with the last
/// subscriber). Nothing when `revalidateOnBroadcast` is off.
pub fn attach(inner: &mut Inner) {
    if !inner.config.revalidate.broadcast {
        return;
    }
    ensure_channel(inner);
    let Some(channel) = inner.channel.as_ref() else {
        return;
    };
    let me = inner.me.clone();
    let on_message = Listener::new(channel.target(), "message", move |event| {
        let data = js_sys::Reflect::get(&event, &"data".into())
            .ok()
            .and_then(|d| d.as_string());
        if !crosstab::is_nudge(data.as_deref()) {
            return;
        }
        if let Some(rc) = me.upgrade() {
            let now = rc.borrow_mut().nudges.receive(dom::hidden());
            if now {
                refresh(&rc);
            }
        }
    });
    inner.revalidation.extend(on_message);
    let me = inner.me.clone();
    let document = dom::document().map(web_sys::EventTarget::from);
    let on_visible = document.and_then(|document| {
        Listener::new(&document, "visibilitychange", move |_| {
            if dom::hidden() {
                return;
            }
            if let Some(rc) = me.upgrade() {
                let waiting = rc.borrow_mut().nudges.take_pending();
                if waiting {
                    refresh(&rc);
                }
            }
        })
    });
    inner.revalidation.extend(on_visible);
}

/// A refresh for a nudge, unless the manager is disposed, not loaded yet or holding back.
fn refresh(rc: &Rc<RefCell<Inner>>) {
    let admitted = {
        let mut inner = rc.borrow_mut();
        !inner.disposed && inner.state.admit_nudge(dom::now())
    };
    if admitted {
        flow::background_read(rc, "broadcast");
    }
}

/// Tells the site's other tabs that who is signed in changed. Call without a borrow held.
pub fn announce(rc: &Rc<RefCell<Inner>>) {
    let sender = {
        let mut inner = rc.borrow_mut();
        if !inner.config.revalidate.broadcast {
            return;
        }
        ensure_channel(&mut inner);
        inner.channel.as_ref().map(Channel::sender)
    };
    if let Some(sender) = sender {
        sender.post(MESSAGE);
    }
}
