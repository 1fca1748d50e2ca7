//! Errors as values with a kind. The browser layer turns an [`Error`] into the JS
//! `FapiError` class with the same fields.

/// What went wrong, in the terms a caller can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The request never got an answer (offline, DNS, CORS refusal, connection reset).
    Network,
    /// No answer within `timeoutMs`.
    Timeout,
    /// The server answered with an error status (or a 2xx carrying `errors`).
    Http,
    /// The answer could not be read: not JSON, wrong types, impossible content.
    Parse,
    /// The request was cancelled, by `dispose()` for example.
    Aborted,
    /// The manager was configured wrongly, or cannot run here (no browser).
    Config,
}

impl ErrorKind {
    /// The name JavaScript sees in `FapiError.kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Network => "network",
            Self::Timeout => "timeout",
            Self::Http => "http",
            Self::Parse => "parse",
            Self::Aborted => "aborted",
            Self::Config => "config",
        }
    }
}

/// A failure, with everything the server said about it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    /// The kind of failure.
    pub kind: ErrorKind,
    /// A sentence for people: the first Clerk error's `long_message` (else its `message`)
    /// when the server sent errors.
    pub message: String,
    /// The HTTP status, when an answer came.
    pub status: Option<u16>,
    /// The first Clerk error's `code`, e.g. `form_password_incorrect`.
    pub code: Option<String>,
    /// The Clerk `errors` array exactly as sent (JSON text of an array of objects).
    pub errors_json: Option<String>,
    /// `clerk_trace_id` from the body.
    pub trace_id: Option<String>,
    /// `Retry-After`, in seconds, when the server sent one.
    pub retry_after: Option<f64>,
}

impl Error {
    /// An error of `kind` with a message and nothing else.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            status: None,
            code: None,
            errors_json: None,
            trace_id: None,
            retry_after: None,
        }
    }

    /// A [`ErrorKind::Parse`] error for an answer with status `status`.
    pub fn parse(status: u16, what: &str) -> Self {
        let mut e = Self::new(ErrorKind::Parse, msg(&["unreadable answer: ", what]));
        e.status = Some(status);
        e
    }

    /// A [`ErrorKind::Config`] error.
    pub fn config(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Config, message)
    }
}

/// `parts` joined. Messages are built by concatenation instead of `format!`, so the wasm
/// links none of the formatting machinery (issue #10: about 4 KB gzip with its callers).
pub fn msg(parts: &[&str]) -> String {
    parts.concat()
}

/// `n` in decimal, as `format!("{n}")` writes it.
pub fn decimal(n: u64) -> String {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = n;
    loop {
        at -= 1;
        if let Some(d) = digits.get_mut(at) {
            *d = b'0' + (rest % 10) as u8;
        }
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    digits
        .get(at..)
        .map(|d| d.iter().map(|&b| char::from(b)).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_writes_like_format() {
        for n in [0, 1, 9, 10, 99, 100, 443, 65_535, 1_000_000_007, u64::MAX] {
            assert_eq!(decimal(n), n.to_string());
        }
    }
}
