//! A JSON-ish answer built from fuzz input with `arbitrary`, biased to the Frontend API's
//! shape: an envelope around a client with sessions, statuses, timestamps and users, whose
//! every field may be missing, null, of another type, duplicated or escaped, and whose
//! text may finally be cut or spliced. [`Answer::text`] serialises it.

use arbitrary::Arbitrary;

/// Strings the core decides on, and a few others.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Word {
    Client,
    Session,
    User,
    Active,
    Pending,
    Ended,
    Revoked,
    Expired,
    Abandoned,
    Replaced,
    Removed,
    Sess1,
    Sess2,
    Client1,
    User1,
    Empty,
}

impl Word {
    fn as_str(self) -> &'static str {
        match self {
            Self::Client => "client",
            Self::Session => "session",
            Self::User => "user",
            Self::Active => "active",
            Self::Pending => "pending",
            Self::Ended => "ended",
            Self::Revoked => "revoked",
            Self::Expired => "expired",
            Self::Abandoned => "abandoned",
            Self::Replaced => "replaced",
            Self::Removed => "removed",
            Self::Sess1 => "sess_1",
            Self::Sess2 => "sess_2",
            Self::Client1 => "client_1",
            Self::User1 => "user_1",
            Self::Empty => "",
        }
    }
}

/// A string value.
#[derive(Arbitrary, Debug)]
pub enum Str {
    Word(Word),
    /// The word with every character as a `\u` escape.
    Escaped(Word),
    /// A lone or paired surrogate escape, then a word.
    Surrogate(u16, Word),
    Any(String),
}

/// A number, in the forms timestamps take and the ones they must survive.
#[derive(Arbitrary, Debug)]
pub enum Num {
    Millis(u32),
    Seconds(u32),
    Int(i64),
    Float(f64),
    Exponent(i8, i32),
    Raw(RawNum),
    /// Digits, a point and many zeros.
    Long(u16, u8),
}

#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum RawNum {
    MinusZero,
    Huge,
    Tiny,
    Max,
    Nines,
    ExtremeExponent,
}

/// Any JSON value, kept small.
#[derive(Arbitrary, Debug)]
pub enum Any {
    Null,
    Bool(bool),
    Num(Num),
    Str(Str),
    Array(Vec<Any>),
    Object(Vec<(Str, Any)>),
    /// Nesting of this depth (mod 160: around the reader's cap of 128).
    Deep(u8),
}

/// A field of type `T`: what a hostile server may put in its place.
#[derive(Arbitrary, Debug)]
pub enum Field<T> {
    Absent,
    Null,
    Value(T),
    Wrong(Any),
    /// Twice: a wrong value first, the real one last (or the other way round).
    Twice(Any, T, bool),
}

#[derive(Arbitrary, Debug)]
pub struct User {
    id: Field<Str>,
    extra: Vec<(Str, Any)>,
}

#[derive(Arbitrary, Debug)]
pub struct Session {
    object: Field<Str>,
    id: Field<Str>,
    status: Field<Str>,
    expire_at: Field<Num>,
    abandon_at: Field<Num>,
    user: Field<User>,
    extra: Vec<(Str, Any)>,
}

#[derive(Arbitrary, Debug)]
pub struct Client {
    object: Field<Str>,
    id: Field<Str>,
    sessions: Field<Vec<Session>>,
    last_active_session_id: Field<Str>,
    updated_at: Field<Num>,
    extra: Vec<(Str, Any)>,
}

#[derive(Arbitrary, Debug)]
pub struct ClerkError {
    code: Field<Str>,
    message: Field<Str>,
    long_message: Field<Str>,
}

#[derive(Arbitrary, Debug)]
pub struct Envelope {
    response: Field<Client>,
    client: Field<Client>,
    errors: Field<Vec<ClerkError>>,
    clerk_trace_id: Field<Str>,
    extra: Vec<(Str, Any)>,
    /// Escape the envelope's keys.
    escape_keys: bool,
}

/// What finally happens to the text.
#[derive(Arbitrary, Debug)]
pub enum Damage {
    None,
    Truncate(u16),
    Insert(u16, u8),
    Whitespace(Ws),
}

#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Ws {
    Json,
    Nbsp,
    Bom,
    FormFeed,
}

/// One answer.
#[derive(Arbitrary, Debug)]
pub struct Answer {
    envelope: Envelope,
    damage: Damage,
}

fn escape_all(word: &str) -> String {
    word.chars()
        .map(|c| format!("\\u{:04x}", u32::from(c)))
        .collect()
}

fn push_str(out: &mut String, s: &Str) {
    out.push('"');
    match s {
        Str::Word(w) => out.push_str(w.as_str()),
        Str::Escaped(w) => out.push_str(&escape_all(w.as_str())),
        Str::Surrogate(u, w) => {
            out.push_str(&format!("\\u{:04x}", 0xD800 + (u % 0x800)));
            out.push_str(w.as_str());
        }
        Str::Any(text) => {
            // A JSON string with this content (serde_json escapes what must be).
            let quoted = serde_json::to_string(text).unwrap_or_default();
            out.push_str(quoted.trim_matches('"'));
        }
    }
    out.push('"');
}

fn push_num(out: &mut String, n: &Num) {
    let text = match n {
        Num::Millis(x) => (1_700_000_000_000u64 + u64::from(*x)).to_string(),
        Num::Seconds(x) => (1_700_000_000u64 + u64::from(*x % 100_000_000)).to_string(),
        Num::Int(x) => x.to_string(),
        Num::Float(x) if x.is_finite() => format!("{x:e}"),
        Num::Float(_) => "0.5".into(),
        Num::Exponent(m, e) => format!("{m}.5e{e}"),
        Num::Raw(raw) => match raw {
            RawNum::MinusZero => "-0".into(),
            RawNum::Huge => "1e400".into(),
            RawNum::Tiny => "1e-400".into(),
            RawNum::Max => "1.7976931348623157e308".into(),
            RawNum::Nines => "99999999999999".into(),
            RawNum::ExtremeExponent => "1.55e-99999999999".into(),
        },
        Num::Long(x, zeros) => format!("{x}.{}", "0".repeat(usize::from(*zeros) * 4)),
    };
    out.push_str(&text);
}

fn push_any(out: &mut String, v: &Any, depth: usize) {
    if depth > 8 {
        out.push_str("null");
        return;
    }
    match v {
        Any::Null => out.push_str("null"),
        Any::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Any::Num(n) => push_num(out, n),
        Any::Str(s) => push_str(out, s),
        Any::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                push_any(out, item, depth + 1);
            }
            out.push(']');
        }
        Any::Object(members) => {
            out.push('{');
            for (i, (k, item)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                push_str(out, k);
                out.push(':');
                push_any(out, item, depth + 1);
            }
            out.push('}');
        }
        Any::Deep(n) => {
            let n = usize::from(*n) % 160;
            out.push_str(&"[".repeat(n));
            out.push('1');
            out.push_str(&"]".repeat(n));
        }
    }
}

/// Writes `{` members `}`: each member a closure that writes the value.
struct Obj<'a> {
    out: &'a mut String,
    first: bool,
    escape: bool,
}

impl<'a> Obj<'a> {
    fn new(out: &'a mut String, escape: bool) -> Self {
        out.push('{');
        Self {
            out,
            first: true,
            escape,
        }
    }

    fn key(&mut self, key: &str) {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        self.out.push('"');
        if self.escape {
            self.out.push_str(&escape_all(key));
        } else {
            self.out.push_str(key);
        }
        self.out.push_str("\":");
    }

    fn field<T>(&mut self, key: &str, field: &Field<T>, write: impl Fn(&mut String, &T)) {
        match field {
            Field::Absent => {}
            Field::Null => {
                self.key(key);
                self.out.push_str("null");
            }
            Field::Value(v) => {
                self.key(key);
                write(self.out, v);
            }
            Field::Wrong(v) => {
                self.key(key);
                push_any(self.out, v, 0);
            }
            Field::Twice(wrong, v, wrong_first) => {
                for first in [true, false] {
                    self.key(key);
                    if first == *wrong_first {
                        push_any(self.out, wrong, 0);
                    } else {
                        write(self.out, v);
                    }
                }
            }
        }
    }

    fn extra(&mut self, extra: &[(Str, Any)]) {
        for (k, v) in extra {
            if !self.first {
                self.out.push(',');
            }
            self.first = false;
            push_str(self.out, k);
            self.out.push(':');
            push_any(self.out, v, 0);
        }
    }

    fn close(self) {
        self.out.push('}');
    }
}

fn push_user(out: &mut String, u: &User) {
    let mut o = Obj::new(out, false);
    o.field("id", &u.id, push_str);
    o.extra(&u.extra);
    o.close();
}

fn push_session(out: &mut String, s: &Session) {
    let mut o = Obj::new(out, false);
    o.field("object", &s.object, push_str);
    o.field("id", &s.id, push_str);
    o.field("status", &s.status, push_str);
    o.field("expire_at", &s.expire_at, push_num);
    o.field("abandon_at", &s.abandon_at, push_num);
    o.field("user", &s.user, push_user);
    o.extra(&s.extra);
    o.close();
}

fn push_client(out: &mut String, c: &Client) {
    let mut o = Obj::new(out, false);
    o.field("object", &c.object, push_str);
    o.field("id", &c.id, push_str);
    o.field("sessions", &c.sessions, |out, list: &Vec<Session>| {
        out.push('[');
        for (i, s) in list.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_session(out, s);
        }
        out.push(']');
    });
    o.field(
        "last_active_session_id",
        &c.last_active_session_id,
        push_str,
    );
    o.field("updated_at", &c.updated_at, push_num);
    o.extra(&c.extra);
    o.close();
}

fn push_errors(out: &mut String, errors: &[ClerkError]) {
    out.push('[');
    for (i, e) in errors.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let mut o = Obj::new(out, false);
        o.field("code", &e.code, push_str);
        o.field("message", &e.message, push_str);
        o.field("long_message", &e.long_message, push_str);
        o.close();
    }
    out.push(']');
}

impl Answer {
    /// The answer's body.
    pub fn text(&self) -> Vec<u8> {
        let e = &self.envelope;
        let mut out = String::new();
        let mut o = Obj::new(&mut out, e.escape_keys);
        o.field("response", &e.response, push_client);
        o.field("client", &e.client, push_client);
        o.field("errors", &e.errors, |out, v: &Vec<ClerkError>| {
            push_errors(out, v)
        });
        o.field("clerk_trace_id", &e.clerk_trace_id, push_str);
        o.extra(&e.extra);
        o.close();
        let mut bytes = out.into_bytes();
        match self.damage {
            Damage::None => {}
            Damage::Truncate(at) => bytes.truncate(usize::from(at)),
            Damage::Insert(at, b) => {
                let at = usize::from(at).min(bytes.len());
                bytes.insert(at, b);
            }
            Damage::Whitespace(ws) => {
                let ws: &[u8] = match ws {
                    Ws::Json => b" \r\n\t",
                    Ws::Nbsp => "\u{a0}".as_bytes(),
                    Ws::Bom => "\u{feff}".as_bytes(),
                    Ws::FormFeed => b"\x0c",
                };
                bytes.splice(0..0, ws.iter().copied());
                bytes.extend_from_slice(ws);
            }
        }
        bytes
    }
}
