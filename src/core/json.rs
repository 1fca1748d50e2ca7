//! A small, strict, zero-copy JSON reader: exactly what the core needs and no more.
//!
//! [`parse`] validates a whole document (RFC 8259, nesting capped at [`MAX_DEPTH`]) once,
//! and records where each shallow container ends (the [`Document`]'s index); the
//! [`Value`]s it hands out are spans of the original text, read on demand, and skipping a
//! container the index knows is a binary search instead of a scan. Nothing is copied until
//! a string with escapes is decoded. This replaces serde_json in the wasm build, where it
//! was the largest single cost in the binary (see BENCHMARKS.md).
//!
//! Duplicate keys resolve as in `JSON.parse`: the last one wins, so the core decides on
//! the same values JavaScript will show.

use std::borrow::Cow;

/// How deep a document may nest. Frontend API objects nest less than ten levels; user
/// metadata may go deeper, but nothing legitimate comes near this.
pub const MAX_DEPTH: usize = 128;

/// Why a document is not JSON this reader accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JsonError {
    /// What is wrong.
    pub what: &'static str,
    /// Byte offset where it was noticed.
    pub at: usize,
}

impl JsonError {
    /// What is wrong and where, e.g. `expected ':' at byte 12`.
    pub fn describe(&self) -> String {
        super::error::msg(&[
            self.what,
            " at byte ",
            &super::error::decimal(self.at as u64),
        ])
    }
}

impl std::fmt::Display for JsonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

/// The kind of a JSON value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `{...}`
    Object,
    /// `[...]`
    Array,
    /// `"..."`
    String,
    /// A number.
    Number,
    /// `true` or `false`.
    Bool,
    /// `null`.
    Null,
}

/// Containers nested deeper than this are not indexed: the core iterates only the
/// envelope, the client, its sessions and their users; deeper values are skipped once.
const INDEX_DEPTH: usize = 6;

/// At most this many containers are indexed (512 KiB), so a hostile answer made of
/// millions of tiny arrays costs scanning time, not memory.
const INDEX_LIMIT: usize = 1 << 16;

/// A validated document.
#[derive(Debug)]
pub struct Document<'a> {
    text: &'a str,
    start: usize,
    end: usize,
    /// `(start, end)` byte offsets of shallow containers, in document order (so sorted by
    /// start).
    index: Vec<(u32, u32)>,
}

impl Document<'_> {
    /// The document's value.
    pub fn root(&self) -> Value<'_> {
        Value {
            text: self.text.get(self.start..self.end).unwrap_or(""),
            offset: self.start,
            index: &self.index,
        }
    }
}

/// A value inside a validated document: its exact text, a sub-slice of the document.
#[derive(Debug, Clone, Copy)]
pub struct Value<'a> {
    text: &'a str,
    /// Where `text` starts in the document.
    offset: usize,
    index: &'a [(u32, u32)],
}

impl PartialEq for Value<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

/// Validates `text` as one JSON value (surrounding whitespace allowed).
pub fn parse(text: &str) -> Result<Document<'_>, JsonError> {
    let bytes = text.as_bytes();
    let start = skip_ws(bytes, 0);
    let mut index = Vec::new();
    let end = validate(bytes, start, &mut index)?;
    if skip_ws(bytes, end) != bytes.len() {
        return Err(JsonError {
            what: "trailing characters after the value",
            at: end,
        });
    }
    if start >= end {
        return Err(err("no value", start));
    }
    Ok(Document {
        text,
        start,
        end,
        index,
    })
}

impl<'a> Value<'a> {
    /// The value's JSON text.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// Its kind.
    pub fn kind(&self) -> Kind {
        match self.text.as_bytes().first() {
            Some(b'{') => Kind::Object,
            Some(b'[') => Kind::Array,
            Some(b'"') => Kind::String,
            Some(b't' | b'f') => Kind::Bool,
            Some(b'n') => Kind::Null,
            _ => Kind::Number,
        }
    }

    /// Whether it is `null`.
    pub fn is_null(&self) -> bool {
        self.kind() == Kind::Null
    }

    /// The members of an object, in order (`None` if it is not an object).
    pub fn members(&self) -> Option<Members<'a>> {
        (self.kind() == Kind::Object).then_some(Members {
            inside: *self,
            pos: 1,
        })
    }

    /// The items of an array (`None` if it is not an array).
    pub fn items(&self) -> Option<Items<'a>> {
        (self.kind() == Kind::Array).then_some(Items {
            inside: *self,
            pos: 1,
        })
    }

    /// The child value at `pos` (relative to this value's text), and where it ends.
    fn child(&self, pos: usize) -> Option<(Value<'a>, usize)> {
        let bytes = self.text.as_bytes();
        let end = match bytes.get(pos)? {
            b'{' | b'[' => self
                .indexed_end(pos)
                .map_or_else(|| skip_value(bytes, pos), Some)?,
            _ => skip_value(bytes, pos)?,
        };
        let value = Value {
            text: self.text.get(pos..end)?,
            offset: self.offset + pos,
            index: self.index,
        };
        Some((value, end))
    }

    /// The end of the container at `pos`, from the document's index, if it is there.
    fn indexed_end(&self, pos: usize) -> Option<usize> {
        let at = u32::try_from(self.offset + pos).ok()?;
        let k = self
            .index
            .binary_search_by_key(&at, |&(start, _)| start)
            .ok()?;
        let (_, end) = *self.index.get(k)?;
        let end = usize::try_from(end).ok()?.checked_sub(self.offset)?;
        (end > pos && end <= self.text.len()).then_some(end)
    }

    /// The last member named `key` of an object (`None` if absent or not an object).
    pub fn get(&self, key: &str) -> Option<Value<'a>> {
        self.members()?
            .filter(|(k, _)| k.is(key))
            .last()
            .map(|(_, v)| v)
    }

    /// The string's content, unescaped (`None` if it is not a string).
    pub fn as_str(&self) -> Option<Cow<'a, str>> {
        if self.kind() != Kind::String {
            return None;
        }
        let inner = self.text.get(1..self.text.len().saturating_sub(1))?;
        unescape(inner)
    }

    /// The number's value, approximately (`None` if it is not a number). Exact for
    /// integers up to 2^53, within a few ulps otherwise: enough for timestamps.
    pub fn as_f64(&self) -> Option<f64> {
        (self.kind() == Kind::Number).then(|| number_value(self.text))
    }
}

/// A key as written in the document (escapes still in).
#[derive(Debug, Clone, Copy)]
pub struct Key<'a> {
    raw: &'a str,
    /// Whether `raw` holds an escape (then it must be decoded to compare).
    escaped: bool,
}

impl Key<'_> {
    /// Whether the key equals `name` once unescaped.
    pub fn is(&self, name: &str) -> bool {
        if self.escaped {
            unescape(self.raw).is_some_and(|k| k == name)
        } else {
            self.raw == name
        }
    }

    /// The key, unescaped (`None` if it holds a lone surrogate).
    pub fn decoded(&self) -> Option<Cow<'_, str>> {
        unescape(self.raw)
    }
}

/// Iterator over an object's members.
pub struct Members<'a> {
    inside: Value<'a>,
    pos: usize,
}

impl<'a> Iterator for Members<'a> {
    type Item = (Key<'a>, Value<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        let text = self.inside.text;
        let bytes = text.as_bytes();
        let mut pos = skip_ws(bytes, self.pos);
        if bytes.get(pos) == Some(&b',') {
            pos = skip_ws(bytes, pos + 1);
        }
        if bytes.get(pos) != Some(&b'"') {
            return None;
        }
        let key_end = skip_string(bytes, pos)?;
        let raw = text.get(pos + 1..key_end.checked_sub(1)?)?;
        pos = skip_ws(bytes, key_end);
        pos = skip_ws(bytes, pos + 1); // the colon
        let (value, end) = self.inside.child(pos)?;
        self.pos = end;
        let escaped = raw.as_bytes().contains(&b'\\');
        Some((Key { raw, escaped }, value))
    }
}

/// Iterator over an array's items.
pub struct Items<'a> {
    inside: Value<'a>,
    pos: usize,
}

impl<'a> Iterator for Items<'a> {
    type Item = Value<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        let bytes = self.inside.text.as_bytes();
        let mut pos = skip_ws(bytes, self.pos);
        if bytes.get(pos) == Some(&b',') {
            pos = skip_ws(bytes, pos + 1);
        }
        if matches!(bytes.get(pos), None | Some(b']')) {
            return None;
        }
        let (value, end) = self.inside.child(pos)?;
        self.pos = end;
        Some(value)
    }
}

fn skip_ws(bytes: &[u8], mut pos: usize) -> usize {
    while matches!(bytes.get(pos), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        pos += 1;
    }
    pos
}

/// End of the string starting at `pos` (already validated).
fn skip_string(bytes: &[u8], pos: usize) -> Option<usize> {
    let mut i = pos + 1;
    loop {
        // Plain bytes in a tight loop; only a quote or a backslash stops it.
        i += bytes
            .get(i..)?
            .iter()
            .position(|&b| b == b'"' || b == b'\\')?;
        if bytes.get(i) == Some(&b'"') {
            return Some(i + 1);
        }
        i += 2;
    }
}

/// End of the value starting at `pos` (already validated): no checks, one pass.
fn skip_value(bytes: &[u8], pos: usize) -> Option<usize> {
    match bytes.get(pos)? {
        b'"' => skip_string(bytes, pos),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut i = pos;
            loop {
                match bytes.get(i)? {
                    b'"' => {
                        i = skip_string(bytes, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
        }
        _ => {
            let mut i = pos;
            while matches!(bytes.get(i), Some(b) if !matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
            {
                i += 1;
            }
            Some(i)
        }
    }
}

fn err(what: &'static str, at: usize) -> JsonError {
    JsonError { what, at }
}

/// Validates the value at `pos`; returns its end. Iterative: the explicit stack holds one
/// byte per open container, capped at [`MAX_DEPTH`].
fn validate(bytes: &[u8], pos: usize, index: &mut Vec<(u32, u32)>) -> Result<usize, JsonError> {
    let mut stack: Vec<u8> = Vec::new();
    // For each open container, its entry in `index` (if it has one).
    let mut entries: Vec<Option<usize>> = Vec::new();
    let mut i = pos;
    loop {
        // A value is expected at i.
        i = skip_ws(bytes, i);
        match bytes.get(i) {
            Some(b'{') | Some(b'[') => {
                let open = bytes.get(i).copied().unwrap_or(b'{');
                if stack.len() >= MAX_DEPTH {
                    return Err(err("nested too deeply", i));
                }
                let start = i;
                stack.push(open);
                i = skip_ws(bytes, i + 1);
                let close = if open == b'{' { b'}' } else { b']' };
                if bytes.get(i) == Some(&close) {
                    // Empty: skipping it is as cheap as looking it up.
                    stack.pop();
                    i += 1;
                } else {
                    let indexed = stack.len() <= INDEX_DEPTH && index.len() < INDEX_LIMIT;
                    let entry = match u32::try_from(start) {
                        Ok(start) if indexed => {
                            index.push((start, 0));
                            Some(index.len() - 1)
                        }
                        _ => None,
                    };
                    entries.push(entry);
                    if open == b'{' {
                        i = object_key(bytes, i)?;
                    }
                    continue;
                }
            }
            Some(b'"') => i = string(bytes, i)?,
            Some(b't') => i = literal(bytes, i, b"true")?,
            Some(b'f') => i = literal(bytes, i, b"false")?,
            Some(b'n') => i = literal(bytes, i, b"null")?,
            Some(b'-' | b'0'..=b'9') => i = number(bytes, i)?,
            Some(_) => return Err(err("unexpected character", i)),
            None => return Err(err("unexpected end", i)),
        }
        // After a value: close containers or move to the next member or item.
        loop {
            let Some(&open) = stack.last() else {
                return Ok(i);
            };
            i = skip_ws(bytes, i);
            let close = if open == b'{' { b'}' } else { b']' };
            match bytes.get(i) {
                Some(b',') => {
                    i = skip_ws(bytes, i + 1);
                    if open == b'{' {
                        i = object_key(bytes, i)?;
                    }
                    break;
                }
                Some(&b) if b == close => {
                    stack.pop();
                    i += 1;
                    if let Some(Some(k)) = entries.pop() {
                        if let (Some(slot), Ok(end)) = (index.get_mut(k), u32::try_from(i)) {
                            slot.1 = end;
                        }
                    }
                }
                Some(_) => return Err(err("expected ',' or a closing bracket", i)),
                None => return Err(err("unexpected end", i)),
            }
        }
    }
}

/// Validates `"key" :` at `pos`; returns the position after the colon.
fn object_key(bytes: &[u8], pos: usize) -> Result<usize, JsonError> {
    if bytes.get(pos) != Some(&b'"') {
        return Err(err("expected a key", pos));
    }
    let i = skip_ws(bytes, string(bytes, pos)?);
    if bytes.get(i) != Some(&b':') {
        return Err(err("expected ':'", i));
    }
    Ok(i + 1)
}

fn literal(bytes: &[u8], pos: usize, word: &[u8]) -> Result<usize, JsonError> {
    match bytes.get(pos..pos + word.len()) {
        Some(found) if found == word => Ok(pos + word.len()),
        _ => Err(err("invalid literal", pos)),
    }
}

fn string(bytes: &[u8], pos: usize) -> Result<usize, JsonError> {
    let mut i = pos + 1;
    loop {
        // Plain bytes in a tight loop (the hot path of a parse): only a quote, a backslash
        // or a control character stops it.
        i += bytes
            .get(i..)
            .and_then(|rest| {
                rest.iter()
                    .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
            })
            .ok_or(err("unterminated string", pos))?;
        match bytes.get(i) {
            Some(b'"') => return Ok(i + 1),
            Some(b'\\') => match bytes.get(i + 1) {
                Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => i += 2,
                Some(b'u') => {
                    let hex = bytes.get(i + 2..i + 6).ok_or(err("bad \\u escape", i))?;
                    if !hex.iter().all(u8::is_ascii_hexdigit) {
                        return Err(err("bad \\u escape", i));
                    }
                    i += 6;
                }
                _ => return Err(err("bad escape", i)),
            },
            // What else stops the scan: a control character.
            _ => return Err(err("control character in string", i)),
        }
    }
}

fn number(bytes: &[u8], pos: usize) -> Result<usize, JsonError> {
    let mut i = pos;
    if bytes.get(i) == Some(&b'-') {
        i += 1;
    }
    let digits = |mut i: usize| {
        let start = i;
        while matches!(bytes.get(i), Some(b'0'..=b'9')) {
            i += 1;
        }
        (i, i - start)
    };
    match bytes.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => i = digits(i).0,
        _ => return Err(err("invalid number", pos)),
    }
    if bytes.get(i) == Some(&b'.') {
        let (end, n) = digits(i + 1);
        if n == 0 {
            return Err(err("invalid number", pos));
        }
        i = end;
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let (end, n) = digits(i);
        if n == 0 {
            return Err(err("invalid number", pos));
        }
        i = end;
    }
    Ok(i)
}

/// The value of a validated number, without the float parser of `std` (which costs
/// kilobytes of wasm): mantissa digits as an integer, then a power of ten.
fn number_value(text: &str) -> f64 {
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa_part, exponent) = match body.find(['e', 'E']) {
        Some(at) => (
            body.get(..at).unwrap_or(""),
            body.get(at + 1..).map_or(0, parse_exponent),
        ),
        None => (body, 0),
    };
    // Only the first SIGNIFICANT digits count (more than an f64 holds); later digits
    // before the point only scale, later digits after it are dropped. Taking them all
    // overflowed the mantissa to infinity (`1700000000000.000…0` with 300 zeros read as
    // NaN), and the scale arithmetic saturates (`1.55e-99999999999` overflowed an i32).
    const SIGNIFICANT: u32 = 19;
    let mut mantissa = 0f64;
    let mut taken = 0u32;
    let mut scale = exponent;
    let mut after_point = false;
    for b in mantissa_part.bytes() {
        match b {
            b'.' => after_point = true,
            b'0'..=b'9' if taken < SIGNIFICANT => {
                mantissa = mantissa * 10.0 + f64::from(b - b'0');
                if mantissa > 0.0 {
                    taken += 1;
                }
                if after_point {
                    scale = scale.saturating_sub(1);
                }
            }
            b'0'..=b'9' if !after_point => scale = scale.saturating_add(1),
            _ => {}
        }
    }
    // Dividing by a power of ten rounds better than multiplying by its inverse; past
    // 1e308 the power itself overflows, so small numbers are divided in two steps.
    let magnitude = scale.unsigned_abs().min(400);
    let power = |k: u32| 10f64.powi(i32::try_from(k).unwrap_or(400));
    let value = if mantissa == 0.0 {
        0.0
    } else if scale < 0 && magnitude > 300 {
        mantissa / 1e300 / power(magnitude - 300)
    } else if scale < 0 {
        mantissa / power(magnitude)
    } else {
        mantissa * power(magnitude)
    };
    if negative {
        -value
    } else {
        value
    }
}

fn parse_exponent(text: &str) -> i32 {
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, text.get(1..).unwrap_or("")),
        Some(b'+') => (false, text.get(1..).unwrap_or("")),
        _ => (false, text),
    };
    let magnitude = digits.bytes().fold(0i32, |acc, b| {
        acc.saturating_mul(10)
            .saturating_add(i32::from(b.wrapping_sub(b'0')))
    });
    if negative {
        -magnitude
    } else {
        magnitude
    }
}

/// Decodes a validated string's content.
///
/// `None` if it holds a lone surrogate (`"\\ud800"`): JavaScript keeps such a string as it
/// is, Rust cannot, and a lossy reading would make different strings compare equal.
fn unescape(raw: &str) -> Option<Cow<'_, str>> {
    if !raw.contains('\\') {
        return Some(Cow::Borrowed(raw));
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('u') => {
                let high = hex4(&mut chars);
                let code = if (0xD800..0xDC00).contains(&high) {
                    let mut lookahead = chars.clone();
                    if lookahead.next() != Some('\\') || lookahead.next() != Some('u') {
                        return None;
                    }
                    let low = hex4(&mut lookahead);
                    if !(0xDC00..0xE000).contains(&low) {
                        return None;
                    }
                    chars = lookahead;
                    0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    high
                };
                // A lone low surrogate is not a char: `from_u32` refuses it.
                out.push(char::from_u32(code)?);
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    Some(Cow::Owned(out))
}

fn hex4(chars: &mut std::str::Chars<'_>) -> u32 {
    (0..4).fold(0, |acc, _| {
        acc * 16 + chars.next().and_then(|c| c.to_digit(16)).unwrap_or(0)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_reads() {
        let document =
            parse(r#" {"a": [1, -2.5e2, true, null], "b": "x\"y\u00e9\ud83d\ude00", "a": {}} "#)
                .unwrap();
        let doc = document.root();
        assert_eq!(doc.kind(), Kind::Object);
        assert_eq!(doc.get("a").unwrap().text(), "{}", "last duplicate wins");
        let b = doc.get("b").unwrap().as_str().unwrap();
        assert_eq!(b, "x\"yé😀");
        let first = doc.members().unwrap().next().unwrap();
        let items: Vec<_> = first.1.items().unwrap().map(|v| v.text()).collect();
        assert_eq!(items, ["1", "-2.5e2", "true", "null"]);
        assert_eq!(parse("-2.5e2").unwrap().root().as_f64(), Some(-250.0));
        assert_eq!(
            parse("1700000000123").unwrap().root().as_f64(),
            Some(1_700_000_000_123.0)
        );
        assert_eq!(parse("1.5").unwrap().root().as_f64(), Some(1.5));
        assert_eq!(parse("[]").unwrap().root().items().unwrap().count(), 0);
        assert_eq!(parse("{}").unwrap().root().members().unwrap().count(), 0);
    }

    #[test]
    fn refuses_what_json_parse_refuses() {
        for bad in [
            "",
            " ",
            "{",
            "}",
            "[1,]",
            "{\"a\":1,}",
            "{\"a\"}",
            "{a:1}",
            "01",
            "1.",
            ".5",
            "-",
            "1e",
            "+1",
            "tru",
            "nul",
            "\"abc",
            "\"\\x\"",
            "\"\\u12g4\"",
            "\"a\u{1}\"",
            "[1 2]",
            "{} {}",
            "NaN",
            "Infinity",
            "'a'",
            "[\"a\":1]",
            "{\"a\":1 \"b\":2}",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn long_and_extreme_numbers_read_like_json_parse() {
        // Found by the hostile corpus and the fuzzer (fuzz/README.md): a long fraction
        // read as NaN, a long integer part as infinity, and an extreme exponent with a
        // fraction overflowed the scale (a panic with overflow checks).
        let zeros = "0".repeat(400);
        let read = |text: &str| parse(text).unwrap().root().as_f64().unwrap();
        assert_eq!(read(&format!("1796588343533.{zeros}")), 1_796_588_343_533.0);
        assert_eq!(read(&format!("0.{zeros}1")), 0.0);
        assert_eq!(read(&format!("1{zeros}")), f64::INFINITY);
        let near = |text: &str, want: f64| {
            let got = read(text);
            assert!((got / want - 1.0).abs() < 1e-12, "{text}: {got}");
        };
        near(&format!("-1{zeros}e-300"), -1e100);
        near(
            &format!("17965883435330000000000000{}", "1".repeat(50)),
            1.796_588_343_533e75,
        );
        near("12345678901234567890123", 1.234_567_890_123_456_8e22);
        assert_eq!(read("1.55e-99999999999"), 0.0);
        near(
            &format!("-0.{}29933600672223473", "0".repeat(295)),
            -2.993_360_067_222_347e-296,
        );
        near("2.5e-310", 2.5e-310);
        assert_eq!(read("1.55e99999999999"), f64::INFINITY);
        assert_eq!(read("-0.5e-2147483648"), -0.0);
    }

    #[test]
    fn depth_is_capped_without_recursion() {
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(parse(&deep).unwrap_err().what, "nested too deeply");
    }
}
