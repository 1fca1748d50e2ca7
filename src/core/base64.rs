//! Base64 decoding (RFC 4648) for the two places the Frontend API uses it: a publishable
//! key's host (the standard alphabet, padded or not) and a JWT's payload (base64url, never
//! padded).

/// Which alphabet a text is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alphabet {
    /// `+` and `/` (§4), or their URL-safe stand-ins; padding optional.
    Standard,
    /// `-` and `_` only (§5), no padding: a JWT's parts.
    Url,
}

/// Decodes `text`; `None` on a byte outside `alphabet` or a lone trailing sextet.
pub fn decode(text: &str, alphabet: Alphabet) -> Option<Vec<u8>> {
    let text = match alphabet {
        Alphabet::Standard => text.trim_end_matches('='),
        Alphabet::Url => text,
    };
    let standard = alphabet == Alphabet::Standard;
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for byte in text.bytes() {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            b'+' if standard => 62,
            b'/' if standard => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    (bits < 6).then_some(out)
}
