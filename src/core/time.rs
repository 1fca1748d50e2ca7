//! Timestamps on the wire: the seed dialect sends seconds, today's API milliseconds.
//!
//! Everything inside the core works in milliseconds since the Unix epoch. The data handed
//! to JavaScript keeps whatever the server sent; only decisions use the normalised value.

/// Milliseconds since the Unix epoch.
pub type Millis = u64;

/// Below this a timestamp is read as seconds: 1e11 seconds is the year 5138, while 1e11
/// milliseconds is March 1973, long before any client or session existed.
const SECONDS_BELOW: f64 = 1.0e11;

/// Above this (in milliseconds, about the year 5138) a timestamp is absurd and ignored.
const MILLIS_BELOW: f64 = 1.0e14;

/// Normalises a wire timestamp to milliseconds.
///
/// Returns `None` for values that cannot be a real moment: not finite, zero or negative,
/// or beyond the year 5138. Callers treat `None` as "not given".
pub fn normalize(raw: f64) -> Option<Millis> {
    if !raw.is_finite() || raw <= 0.0 {
        return None;
    }
    let ms = if raw < SECONDS_BELOW {
        raw * 1000.0
    } else {
        raw
    };
    if ms >= MILLIS_BELOW {
        return None;
    }
    // In range (0, 1e14): the cast is exact enough and cannot saturate.
    Some(ms.round() as Millis)
}

/// Reads an HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`, the IMF-fixdate form every
/// server sends today) to milliseconds since the epoch.
pub fn parse_http_date(raw: &str) -> Option<Millis> {
    let mut parts = raw.split_ascii_whitespace();
    let _weekday = parts.next()?;
    let day: u64 = parts.next()?.parse().ok()?;
    let month = match parts.next()? {
        "Jan" => 1,
        "Feb" => 2,
        "Mar" => 3,
        "Apr" => 4,
        "May" => 5,
        "Jun" => 6,
        "Jul" => 7,
        "Aug" => 8,
        "Sep" => 9,
        "Oct" => 10,
        "Nov" => 11,
        "Dec" => 12,
        _ => return None,
    };
    let year: u64 = parts.next()?.parse().ok()?;
    let mut hms = parts.next()?.split(':').map(|p| p.parse::<u64>().ok());
    let (h, m, s) = (hms.next()??, hms.next()??, hms.next()??);
    if parts.next()? != "GMT" || hms.next().is_some() {
        return None;
    }
    if !(1970..10_000).contains(&year) || !(1..=31).contains(&day) || h > 23 || m > 59 || s > 60 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some(((days * 24 + h) * 60 + m) * 60_000 + s * 1000)
}

/// Days from 1970-01-01 to the given date (Howard Hinnant's algorithm, for years >= 1970).
fn days_from_civil(year: u64, month: u64, day: u64) -> u64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y / 400;
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Reads `Retry-After` to seconds: a number of seconds, or an HTTP date measured against
/// the answer's `Date` header (else against `now`, ms). Never negative; `None` if unreadable.
pub fn retry_after_seconds(raw: &str, date: Option<&str>, now: Millis) -> Option<f64> {
    let raw = raw.trim();
    if !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_digit()) {
        // delay-seconds is 1*DIGIT; a number too long for u64 is "a very long time".
        return Some(raw.parse::<u64>().map_or(f64::MAX, |s| s as f64));
    }
    let at = parse_http_date(raw)?;
    let base = date.and_then(parse_http_date).unwrap_or(now);
    Some(at.saturating_sub(base) as f64 / 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_and_millis_meet() {
        assert_eq!(normalize(1_620_943_997.0), Some(1_620_943_997_000));
        assert_eq!(normalize(1_700_690_400_000.0), Some(1_700_690_400_000));
    }

    #[test]
    fn nonsense_is_ignored() {
        for bad in [
            0.0,
            -1.0,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            1e20,
            1e14,
        ] {
            assert_eq!(normalize(bad), None, "{bad}");
        }
    }

    #[test]
    fn http_dates() {
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777_000)
        );
        assert_eq!(
            parse_http_date("Sun, 29 Nov 2026 19:51:53 GMT"),
            Some(1_795_981_913_000)
        );
        for bad in [
            "",
            "yesterday",
            "Sun, 06 Nov 1994 08:49:37 PST",
            "Sun, 06 Foo 1994 08:49:37 GMT",
        ] {
            assert_eq!(parse_http_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn retry_after_forms() {
        assert_eq!(retry_after_seconds("2", None, 0), Some(2.0));
        assert_eq!(retry_after_seconds("-2", None, 0), None);
        assert_eq!(
            retry_after_seconds(
                "Sun, 06 Nov 1994 08:49:40 GMT",
                Some("Sun, 06 Nov 1994 08:49:37 GMT"),
                0
            ),
            Some(3.0)
        );
        assert_eq!(
            retry_after_seconds("Sun, 06 Nov 1994 08:49:40 GMT", None, 784_111_779_000),
            Some(1.0)
        );
        assert_eq!(retry_after_seconds("soon", None, 0), None);
    }

    #[test]
    fn fractions_round() {
        assert_eq!(normalize(1.5), Some(1500));
        assert_eq!(normalize(1_700_000_000_000.4), Some(1_700_000_000_000));
    }
}
