//! The browser side of [`crate::core::crosstab`]. While anything is subscribed, the manager
//! keeps a `BroadcastChannel` named after the Frontend API's origin open and listens on it:
//! a nudge refreshes (cause `'broadcast'`), after the GET in flight if there is one, or, if
//! the page is hidden, when it becomes visible. After this tab's own request changes who is
//! signed in, [`announce`] tells the others, through the open channel or a short-lived one.
//! The channel closes with the last subscriber and on `dispose()`.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use super::dom::{self, Channel, Listener};
use super::flow;
use super::manager::Inner;
use crate::core::crosstab::{self, Nudges, MESSAGE};

type Shared = Rc<RefCell<Inner>>;

/// Opens the channel and attaches the nudge listeners (kept in `inner.revalidation`, so
/// they go with the last subscriber). Nothing when `revalidateOnBroadcast` is off or the
/// platform has no `BroadcastChannel`.
pub fn attach(inner: &mut Inner) {
    if !inner.config.revalidate.broadcast || inner.disposed {
        return;
    }
    let Some(channel) = Channel::open(&crosstab::channel_name(&inner.config.base)) else {
        return;
    };
    let me = inner.me.clone();
    let on_message = channel.on_message(move |data| {
        if crosstab::is_nudge(Some(&data)) {
            let hidden = dom::hidden();
            act(&me, |nudges, reading| nudges.receive(hidden, reading));
        }
    });
    inner.revalidation.extend(on_message);
    let me = inner.me.clone();
    let document = dom::document().map(web_sys::EventTarget::from);
    let on_visible = document.and_then(|document| {
        Listener::new(&document, "visibilitychange", move |_| {
            if !dom::hidden() {
                act(&me, Nudges::visible);
            }
        })
    });
    inner.revalidation.extend(on_visible);
    inner.channel = Some(channel);
}

/// Lets `decide` (given whether a GET is in flight) say whether a nudge calls for a refresh
/// now, and sends it; the borrow ends before the request starts.
fn act(me: &Weak<RefCell<Inner>>, decide: impl FnOnce(&mut Nudges, bool) -> bool) {
    let Some(rc) = me.upgrade() else {
        return;
    };
    let now = {
        let mut inner = rc.borrow_mut();
        let reading = inner.reading.is_some();
        decide(&mut inner.nudges, reading)
    };
    if now {
        refresh(&rc);
    }
}

/// Closes the channel (with the last subscriber, and on `dispose()`). Nudges that were
/// waiting are forgotten: without a subscriber nobody renders the state.
pub fn detach(inner: &mut Inner) {
    inner.revalidation.clear();
    inner.channel = None;
    inner.nudges = Default::default();
}

/// A refresh for a nudge, unless the manager is disposed, not loaded yet or holding back
/// (the breaker is open).
pub fn refresh(rc: &Shared) {
    let admitted = {
        let mut inner = rc.borrow_mut();
        !inner.disposed && inner.state.admit_nudge(dom::now())
    };
    if admitted {
        flow::background_read(rc, "broadcast");
    }
}

/// After a GET settled: the refresh owed to a nudge that came while it was in flight.
pub fn after_read(rc: &Shared) {
    let owed = rc.borrow_mut().nudges.read_settled();
    if owed {
        refresh(rc);
    }
}

/// Tells the other tabs that who is signed in changed. Call without a borrow held, before
/// notifying this tab's listeners (one of them may dispose the manager).
pub fn announce(rc: &Shared) {
    let (sender, origin) = {
        let inner = rc.borrow();
        if !inner.config.revalidate.broadcast {
            return;
        }
        (
            inner.channel.as_ref().map(Channel::sender),
            inner.config.base.clone(),
        )
    };
    match sender {
        Some(sender) => sender.post(MESSAGE),
        None => {
            // Nothing subscribed: a channel just for this message. A message posted before
            // `close()` is still delivered.
            if let Some(channel) = Channel::open(&crosstab::channel_name(&origin)) {
                channel.sender().post(MESSAGE);
            }
        }
    }
}
