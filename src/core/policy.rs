//! Resilience decisions: when to retry, how long to wait, when to stop asking, and when a
//! revalidation is worth a request. Pure: the browser layer supplies the clock and the
//! random numbers, so every decision is tested natively.

use super::error::{Error, ErrorKind};
use super::time::Millis;

/// Retry settings (options `maxRetries`, `retryBaseMs`, `retryCapMs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 disables retrying).
    pub max_retries: u32,
    /// The first backoff step, in ms.
    pub base_ms: u32,
    /// The largest backoff step, in ms (a `Retry-After` may ask for longer, up to
    /// [`MAX_RETRY_AFTER_MS`]).
    pub cap_ms: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 4,
            base_ms: 500,
            cap_ms: 30_000,
        }
    }
}

/// The longest `Retry-After` honoured (10 minutes); longer asks are treated as this.
pub const MAX_RETRY_AFTER_MS: u64 = 600_000;

/// Whether a failed request is worth another attempt: the network or the deadline failed,
/// or the server said it is overloaded (5xx, 429). Reads only, except 429: a server that
/// rate-limits a mutation did not perform it, so repeating it is safe.
pub fn retryable(error: &Error, is_read: bool) -> bool {
    match error.kind {
        ErrorKind::Network | ErrorKind::Timeout => is_read,
        ErrorKind::Http => match error.status {
            Some(429) => true,
            Some(s) if (500..600).contains(&s) => is_read,
            _ => false,
        },
        ErrorKind::Parse | ErrorKind::Aborted | ErrorKind::Config => false,
    }
}

impl RetryPolicy {
    /// The wait before retry number `retry` (0-based) after `error`, or `None` when the
    /// retries are used up. `random` in [0, 1) spreads clients apart ("equal jitter": half
    /// the step is fixed, half random), so the wait is at least half the step.
    pub fn delay(&self, retry: u32, error: &Error, random: f64) -> Option<Millis> {
        if retry >= self.max_retries {
            return None;
        }
        let step = u64::from(self.base_ms)
            .saturating_mul(1u64 << retry.min(30))
            .min(u64::from(self.cap_ms));
        let random = if random.is_finite() {
            random.clamp(0.0, 1.0)
        } else {
            0.5
        };
        let jittered = step / 2 + (step as f64 / 2.0 * random) as u64;
        let asked = error
            .retry_after
            .map(|s| (s * 1000.0).min(MAX_RETRY_AFTER_MS as f64) as u64)
            .unwrap_or(0);
        Some(jittered.max(asked))
    }
}

/// The circuit breaker: after [`Breaker::THRESHOLD`] failed reads in a row (failures
/// worth a retry: network, timeout, 5xx, 429) it opens, and reads fail fast without
/// touching the network until it cools down; then one probe goes out, and a failed probe
/// opens it again. Any good answer closes it.
///
/// The bound: under any mix of faults a manager sends at most 5 GETs in a row, then at
/// most one GET per [`Breaker::COOL_DOWN_MS`] (30 s) until the server answers well.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Breaker {
    failures: u32,
    open_until: Option<Millis>,
}

impl Breaker {
    /// Failed reads in a row that open the breaker.
    pub const THRESHOLD: u32 = 5;
    /// How long the breaker stays open.
    pub const COOL_DOWN_MS: Millis = 30_000;

    /// Counts a failed read at `now`; opens the breaker at the threshold.
    pub fn record_failure(&mut self, now: Millis) {
        self.failures = self.failures.saturating_add(1);
        if self.failures >= Self::THRESHOLD {
            self.open_until = Some(now.saturating_add(Self::COOL_DOWN_MS));
        }
    }

    /// Closes after any good answer.
    pub fn reset(&mut self) {
        *self = Self::default();
    }

    /// Whether a read may be sent now. `None`: yes. `Some(t)`: not before `t`.
    pub fn blocks(&self, now: Millis) -> Option<Millis> {
        self.open_until.filter(|&t| now < t)
    }
}

/// Throttle for revalidation on focus, visibility, `online` and `pageshow`: at most one
/// per window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Throttle {
    last: Option<Millis>,
}

impl Throttle {
    /// Whether an event at `now` may revalidate, given the window; records it if so.
    pub fn admit(&mut self, now: Millis, window_ms: Millis) -> bool {
        match self.last {
            Some(last) if now < last.saturating_add(window_ms) => false,
            _ => {
                self.last = Some(now);
                true
            }
        }
    }

    /// Records a revalidation at `now` that did not ask (a nudge from another tab): the
    /// window starts again.
    pub fn record(&mut self, now: Millis) {
        self.last = Some(now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn http(status: u16) -> Error {
        let mut e = Error::new(ErrorKind::Http, "x");
        e.status = Some(status);
        e
    }

    #[test]
    fn what_is_retried() {
        let net = Error::new(ErrorKind::Network, "x");
        let timeout = Error::new(ErrorKind::Timeout, "x");
        assert!(retryable(&net, true) && retryable(&timeout, true));
        assert!(
            !retryable(&net, false),
            "a mutation may have reached the server"
        );
        assert!(retryable(&http(503), true) && !retryable(&http(503), false));
        assert!(retryable(&http(429), true) && retryable(&http(429), false));
        for status in [400, 401, 404, 422] {
            assert!(!retryable(&http(status), true), "{status}");
        }
        for kind in [ErrorKind::Parse, ErrorKind::Aborted, ErrorKind::Config] {
            assert!(!retryable(&Error::new(kind, "x"), true));
        }
    }

    #[test]
    fn backoff_doubles_with_jitter_and_stops() {
        let p = RetryPolicy::default();
        let e = http(503);
        assert_eq!(p.delay(0, &e, 0.0), Some(250));
        assert_eq!(p.delay(0, &e, 1.0), Some(500));
        assert_eq!(p.delay(1, &e, 0.0), Some(500));
        assert_eq!(p.delay(3, &e, 1.0), Some(4000));
        assert_eq!(p.delay(4, &e, 0.5), None, "retries used up");
        let big = RetryPolicy {
            max_retries: 40,
            ..p
        };
        assert_eq!(big.delay(39, &e, 1.0), Some(30_000), "capped");
        assert_eq!(p.delay(0, &e, f64::NAN), Some(375));
    }

    #[test]
    fn retry_after_is_honoured_and_bounded() {
        let p = RetryPolicy::default();
        let mut e = http(429);
        e.retry_after = Some(2.0);
        assert_eq!(p.delay(0, &e, 0.0), Some(2000));
        e.retry_after = Some(1e12);
        assert_eq!(p.delay(0, &e, 0.0), Some(MAX_RETRY_AFTER_MS));
    }

    #[test]
    fn breaker_opens_after_a_run_of_failures_and_cools_down() {
        let mut b = Breaker::default();
        for _ in 1..Breaker::THRESHOLD {
            b.record_failure(1000);
            assert_eq!(b.blocks(1000), None);
        }
        b.record_failure(1000);
        assert_eq!(b.blocks(1000), Some(31_000));
        assert_eq!(b.blocks(30_999), Some(31_000));
        assert_eq!(b.blocks(31_000), None, "one probe after the cool-down");
        b.record_failure(31_000);
        assert_eq!(b.blocks(31_001), Some(61_000), "a failed probe reopens it");
        b.reset();
        assert_eq!(b.blocks(31_001), None);
        b.record_failure(40_000);
        assert_eq!(b.blocks(40_000), None, "the count starts again");
    }

    #[test]
    fn throttle_admits_once_per_window() {
        let mut t = Throttle::default();
        assert!(t.admit(0, 5000));
        assert!(!t.admit(4999, 5000));
        assert!(t.admit(5000, 5000));
        assert!(!t.admit(5001, 5000));
    }
}
