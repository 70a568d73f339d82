//! One call to a COREmanager function: `func` plus named parameters.
//!
//! Values whose parameter name marks them as secret (passwords, keys,
//! `authinfo`, the session id) are held as [`Secret`]s, so a request can be
//! logged or shown with `{:?}` without leaking them.

use std::fmt;

use crate::{Error, Result, Secret};

/// A parameter value: plain text, or a secret that is never shown.
#[derive(Clone, PartialEq, Eq)]
pub enum ParamValue {
    /// Shown as is.
    Plain(String),
    /// Shown as `[redacted]`.
    Secret(Secret),
}

impl ParamValue {
    /// The value as sent on the wire.
    pub fn expose(&self) -> &str {
        match self {
            ParamValue::Plain(s) => s,
            ParamValue::Secret(s) => s.expose(),
        }
    }
}

impl fmt::Debug for ParamValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamValue::Plain(s) => fmt::Debug::fmt(s, f),
            ParamValue::Secret(_) => f.write_str("[redacted]"),
        }
    }
}

/// Parameter names whose values are always secret.
const SECRET_NAMES: &[&str] = &["auth", "authinfo", "key", "passwd", "confirm", "session"];

/// Substrings that make any parameter name secret (`password`, `db_password`,
/// `ftp_passwd`, `api_key`, `secret`, `token`).
const SECRET_PARTS: &[&str] = &["passw", "secret", "token", "_key", "key_"];

/// Whether a parameter of this name carries a secret.
pub fn is_secret_param(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    SECRET_NAMES.contains(&lower.as_str()) || SECRET_PARTS.iter().any(|p| lower.contains(p))
}

/// Parameters the web interface adds that mean nothing to the API (the vendor's
/// guide says to drop them when turning a log line into a call).
pub const INTERFACE_PARAMS: &[&str] = &["sfrom", "clicked_button", "operafake", "progressid"];

/// Parameters the client sets itself; a caller's value for them is refused,
/// because it would fight the configured authentication or output format.
pub const RESERVED_PARAMS: &[&str] = &["func", "out", "auth", "authinfo"];

/// A function call: the function name and its parameters in order.
#[derive(Clone, PartialEq, Eq)]
pub struct Request {
    func: String,
    params: Vec<(String, ParamValue)>,
}

impl Request {
    /// A call of `func` without parameters.
    pub fn new(func: impl Into<String>) -> Self {
        Request {
            func: func.into(),
            params: Vec::new(),
        }
    }

    /// Adds a parameter; a secret-looking name ([`is_secret_param`]) makes the
    /// value a [`Secret`]. A later value for the same name replaces the earlier.
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.set(name, value);
        self
    }

    /// Adds a parameter whose value is always secret.
    pub fn secret(mut self, name: impl Into<String>, value: impl Into<Secret>) -> Self {
        self.set_value(name.into(), ParamValue::Secret(value.into()));
        self
    }

    /// Sets a parameter in place (see [`Request::param`]).
    pub fn set(&mut self, name: impl Into<String>, value: impl Into<String>) {
        let name = name.into();
        let value = value.into();
        let value = if is_secret_param(&name) {
            ParamValue::Secret(Secret::new(value))
        } else {
            ParamValue::Plain(value)
        };
        self.set_value(name, value);
    }

    fn set_value(&mut self, name: String, value: ParamValue) {
        match self.params.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => self.params.push((name, value)),
        }
    }

    /// Adds several parameters (see [`Request::param`]).
    pub fn extend(mut self, params: &[(&str, &str)]) -> Self {
        for (name, value) in params {
            self.set(*name, *value);
        }
        self
    }

    /// `elid`: the element a form or action works on.
    pub fn elid(self, elid: impl Into<String>) -> Self {
        self.param("elid", elid)
    }

    /// `elid` for a group operation: several elements joined with `", "`, as
    /// the panel expects.
    pub fn elids<I, S>(self, elids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let joined: Vec<String> = elids.into_iter().map(|s| s.as_ref().to_owned()).collect();
        self.param("elid", joined.join(", "))
    }

    /// `plid`: the parent list of a nested list or form.
    pub fn plid(self, plid: impl Into<String>) -> Self {
        self.param("plid", plid)
    }

    /// `sok=ok`: apply a form instead of only reading it.
    pub fn submit(self) -> Self {
        self.param("sok", "ok")
    }

    /// The function name.
    pub fn func(&self) -> &str {
        &self.func
    }

    /// The parameters in order.
    pub fn params(&self) -> &[(String, ParamValue)] {
        &self.params
    }

    /// A parameter's value, if set.
    pub fn get(&self, name: &str) -> Option<&ParamValue> {
        self.params.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// Refuses parameters the client owns ([`RESERVED_PARAMS`]) and an empty
    /// function name.
    pub fn validate(&self) -> Result<()> {
        if self.func.is_empty() {
            return Err(Error::config("empty function name"));
        }
        if let Some((name, _)) = self
            .params
            .iter()
            .find(|(n, _)| RESERVED_PARAMS.contains(&n.as_str()))
        {
            return Err(Error::config(format!(
                "parameter {name:?} is set by the client (authentication and output format are configured on the builder)"
            )));
        }
        Ok(())
    }

    /// `func=…&k=v&…`, form-encoded, secrets included: for the one place that
    /// must send or print the call as the user asked.
    pub fn to_query(&self) -> String {
        let mut out = String::new();
        push_pair(&mut out, "func", &self.func);
        for (name, value) in &self.params {
            push_pair(&mut out, name, value.expose());
        }
        out
    }

    /// Turns a panel log line `… INFO Request [ip][user] 'a=b&…'` into a call,
    /// dropping what only the web interface sends ([`INTERFACE_PARAMS`]),
    /// parameters equal to `*` and empty parameters. Values are
    /// percent-decoded as the log has them encoded.
    pub fn from_log_line(line: &str) -> Result<Self> {
        let bad = |why: &str| Error::config(format!("not a COREmanager request log line: {why}"));
        let at = line
            .find("Request [")
            .ok_or_else(|| bad("no `Request [`"))?;
        let rest = &line[at + "Request ".len()..];
        let open = rest.find('\'').ok_or_else(|| bad("no quoted query"))?;
        let query = &rest[open + 1..];
        let query = query
            .rfind('\'')
            .map(|close| &query[..close])
            .ok_or_else(|| bad("the quoted query is not closed"))?;
        let mut func = None;
        let mut request = Request::new(String::new());
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let name = percent_decode(name);
            let value = percent_decode(value);
            if name.is_empty()
                || value.is_empty()
                || value == "*"
                || INTERFACE_PARAMS.contains(&name.as_str())
            {
                continue;
            }
            if name == "func" {
                func = Some(value);
            } else {
                request.set(name, value);
            }
        }
        request.func = func.ok_or_else(|| bad("no func= in the query"))?;
        Ok(request)
    }
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        map.entry(&"func", &self.func);
        for (name, value) in &self.params {
            map.entry(name, value);
        }
        map.finish()
    }
}

fn push_pair(out: &mut String, name: &str, value: &str) {
    if !out.is_empty() {
        out.push('&');
    }
    form_encode_into(out, name);
    out.push('=');
    form_encode_into(out, value);
}

/// `application/x-www-form-urlencoded` encoding of one name or value.
pub fn form_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    form_encode_into(&mut out, text);
    out
}

fn form_encode_into(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in text.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 15) as usize] as char);
            }
        }
    }
}

/// Decodes `%XX` escapes and `+` (a space in form encoding); a malformed
/// escape is kept as written, invalid UTF-8 is replaced.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => match (
                bytes.get(i + 1).and_then(|&c| hex(c)),
                bytes.get(i + 2).and_then(|&c| hex(c)),
            ) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}
