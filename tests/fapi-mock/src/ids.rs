//! Identifiers in Clerk's style (`client_2abc…`), opaque cookie tokens and trace ids.

/// Length of the random part of an id, as in Clerk's `client_2Y4m…` ids.
const ID_RANDOM_LEN: usize = 27;

/// `len` random base62 characters.
pub fn random_base62(len: usize) -> String {
    (0..len).map(|_| fastrand::alphanumeric()).collect()
}

/// A new id made of `prefix`, an underscore and 27 random base62 characters.
///
/// ```
/// let id = fapi_mock::ids::new_id("sess");
/// assert!(id.starts_with("sess_") && id.len() == 5 + 27);
/// ```
pub fn new_id(prefix: &str) -> String {
    format!("{prefix}_{}", random_base62(ID_RANDOM_LEN))
}

/// A random 32-character lowercase hex string for `clerk_trace_id`.
pub fn trace_id() -> String {
    format!("{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..))
}

/// The current wall-clock time in milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}
