//! The one redaction step for what is *displayed*: dynamic answers (SOAP
//! [`Value`]s, JSON documents) before they are printed, logged or put into
//! `Debug`.
//!
//! A library caller who asks for data gets it whole (a backup tool may need
//! a site's `ssl_key`); this module decides what a person sees. It hides
//! - by **name**: the fields a panel's inventory classifies as secret (passed
//!   in, e.g. `panelkit_ispconfig::records::SECRET_FIELDS`), and a
//!   conservative rule for any panel: names containing `password`, `passwd`,
//!   `secret` or `token`, and `id_rsa`, `dkim_private`, `authinfo`,
//!   `api_key`/`apikey`;
//! - by **content**: any PEM or OpenSSH private key block, whatever its
//!   field is called (a `*_key` field holding one included), becomes
//!   [`PRIVATE_KEY_MASK`];
//! - inside **ini text** (ISPConfig's server configuration sections as one
//!   string): `name=value` lines whose name is secret.
//!
//! Masking keeps the shape: a secret field stays, with [`MASK`] as its value
//! (empty values stay empty, so "not set" remains visible).

use std::collections::BTreeSet;

#[cfg(feature = "soap")]
use crate::soap::Value;

/// What a secret value is replaced with.
pub const MASK: &str = "<redacted>";
/// What a private key block is replaced with.
pub const PRIVATE_KEY_MASK: &str = "<redacted private key>";

/// Names every panel treats as secret (compared case-insensitively).
const SECRET_NAMES: &[&str] = &["id_rsa", "dkim_private", "authinfo", "api_key", "apikey"];
/// Name parts that make a field secret (compared case-insensitively).
const SECRET_PARTS: &[&str] = &["password", "passwd", "secret", "token"];

/// Redacts dynamic values: the conservative rule plus a panel's classified
/// field names.
#[derive(Clone, Debug, Default)]
pub struct Redactor {
    names: BTreeSet<String>,
}

impl Redactor {
    /// The conservative rule plus `classified`, the names a panel's
    /// inventory marks secret.
    pub fn new<'a>(classified: impl IntoIterator<Item = &'a str>) -> Self {
        Redactor {
            names: classified
                .into_iter()
                .map(str::to_ascii_lowercase)
                .collect(),
        }
    }

    /// Whether a field called `name` holds a secret.
    pub fn is_secret_name(&self, name: &str) -> bool {
        let lower = name.to_ascii_lowercase();
        self.names.contains(&lower)
            || SECRET_NAMES.contains(&lower.as_str())
            || SECRET_PARTS.iter().any(|p| lower.contains(p))
    }

    /// Redacts a JSON document in place; returns the names of the fields it
    /// masked (sorted, once each), for saying what `--show-secrets` reveals.
    pub fn json(&self, value: &mut serde_json::Value) -> BTreeSet<String> {
        let mut hidden = BTreeSet::new();
        self.json_at(value, None, &mut hidden);
        hidden
    }

    fn json_at(
        &self,
        value: &mut serde_json::Value,
        name: Option<&str>,
        hidden: &mut BTreeSet<String>,
    ) {
        use serde_json::Value as J;
        match value {
            J::Object(map) => {
                for (k, v) in map.iter_mut() {
                    self.json_at(v, Some(k), hidden);
                }
            }
            J::Array(items) => {
                for v in items {
                    self.json_at(v, name, hidden);
                }
            }
            J::String(s) => {
                if let Some(masked) = self.scalar(name, s, hidden) {
                    *s = masked;
                }
            }
            J::Number(n) => {
                if self.secret_field(name, hidden) {
                    let _ = n;
                    *value = J::String(MASK.to_owned());
                }
            }
            J::Null | J::Bool(_) => {}
        }
    }

    /// Redacts a SOAP value in place; returns the names of the fields it
    /// masked.
    #[cfg(feature = "soap")]
    pub fn soap(&self, value: &mut Value) -> BTreeSet<String> {
        let mut hidden = BTreeSet::new();
        self.soap_at(value, None, &mut hidden);
        hidden
    }

    #[cfg(feature = "soap")]
    fn soap_at(&self, value: &mut Value, name: Option<&str>, hidden: &mut BTreeSet<String>) {
        match value {
            Value::Map(entries) => {
                for (k, v) in entries.iter_mut() {
                    self.soap_at(v, Some(k), hidden);
                }
            }
            Value::List(items) => {
                for v in items {
                    self.soap_at(v, name, hidden);
                }
            }
            Value::String(s) => {
                if let Some(masked) = self.scalar(name, s, hidden) {
                    *s = masked;
                }
            }
            Value::Int(_) | Value::Float(_) => {
                if self.secret_field(name, hidden) {
                    *value = Value::String(MASK.to_owned());
                }
            }
            Value::Null | Value::Bool(_) => {}
        }
    }

    /// Whether the field `name` is secret, recording it when it is.
    fn secret_field(&self, name: Option<&str>, hidden: &mut BTreeSet<String>) -> bool {
        match name {
            Some(n) if self.is_secret_name(n) => {
                hidden.insert(n.to_owned());
                true
            }
            _ => false,
        }
    }

    /// The masked text of a string field, or `None` when it shows as is.
    fn scalar(
        &self,
        name: Option<&str>,
        text: &str,
        hidden: &mut BTreeSet<String>,
    ) -> Option<String> {
        if !text.is_empty() && self.secret_field(name, hidden) {
            return Some(if has_private_key(text) {
                PRIVATE_KEY_MASK.to_owned()
            } else {
                MASK.to_owned()
            });
        }
        let mut out = None;
        if has_private_key(text) {
            hidden.insert(name.unwrap_or("(a value)").to_owned());
            out = Some(mask_private_keys(text));
        }
        let current = out.as_deref().unwrap_or(text);
        if current.contains('\n') {
            if let Some(ini) = self.ini(current, hidden) {
                out = Some(ini);
            }
        }
        out
    }

    /// Masks `name = value` lines of ini text whose name is secret; `None`
    /// when there are none.
    pub fn ini_text(&self, text: &str) -> Option<String> {
        self.ini(text, &mut BTreeSet::new())
    }

    fn ini(&self, text: &str, hidden: &mut BTreeSet<String>) -> Option<String> {
        let mut changed = false;
        let lines: Vec<String> = text
            .split('\n')
            .map(|line| {
                let Some((key, value)) = line.split_once('=') else {
                    return line.to_owned();
                };
                let name = key.trim();
                let plain = !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
                if plain && !value.trim().is_empty() && self.is_secret_name(name) {
                    changed = true;
                    hidden.insert(name.to_owned());
                    format!("{key}={MASK}")
                } else {
                    line.to_owned()
                }
            })
            .collect();
        changed.then(|| lines.join("\n"))
    }
}

/// Every form in which the secrets a request carried could come back in an
/// echo of that request: as sent, form-/URL-encoded, JSON-escaped or
/// XML-escaped (how a client puts it into a request), each of those as it is or XML/HTML-
/// escaped (how a SOAP body carries it, how an error page reflects it) —
/// with quotes escaped, or only `&`, `<` and `>` as in element text.
/// Secrets shorter than four characters are skipped.
pub fn sent_forms<S: AsRef<str>>(secrets: &[S]) -> Vec<String> {
    let mut forms = BTreeSet::new();
    for secret in secrets {
        let s = secret.as_ref();
        if s.chars().count() < 4 {
            continue;
        }
        let mut sent = vec![
            s.to_owned(),
            url_encode(s, true),
            url_encode(s, false),
            url_encode(s, false).to_ascii_lowercase_hex(),
        ];
        if let Ok(json) = serde_json::to_string(s) {
            sent.push(json[1..json.len() - 1].to_owned());
        }
        // A SOAP body carries it as XML text.
        sent.push(xml_text_escape(s));
        sent.push(xml_escape(s));
        for form in sent {
            forms.insert(xml_escape(&form));
            forms.insert(xml_text_escape(&form));
            forms.insert(form);
        }
    }
    // Longest first, so a form that contains another is replaced whole.
    let mut forms: Vec<String> = forms.into_iter().collect();
    forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
    forms
}

/// Percent-encodes all but unreserved characters (`+` for a space in form
/// style).
fn url_encode(s: &str, form: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(b as char)
            }
            b' ' if form => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Lower-case hex digits in `%XX` escapes (some servers echo them so).
trait LowerHex {
    fn to_ascii_lowercase_hex(&self) -> String;
}

impl LowerHex for String {
    fn to_ascii_lowercase_hex(&self) -> String {
        let mut out = String::with_capacity(self.len());
        let mut rest = self.as_str();
        while let Some(at) = rest.find('%') {
            out.push_str(&rest[..at]);
            let esc = rest.get(at..at + 3).unwrap_or(&rest[at..]);
            out.push_str(&esc.to_ascii_lowercase());
            rest = &rest[at + esc.len()..];
        }
        out.push_str(rest);
        out
    }
}

fn xml_escape(s: &str) -> String {
    xml_text_escape(s)
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// Escaping for XML element text (what ext/soap and most encoders do).
fn xml_text_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// `text` without any of `forms` (see [`sent_forms`]) nor a private key
/// block; a text cut short (ending in `…`) also loses a trailing prefix
/// (four characters or more) of one of them.
pub fn scrub_text(text: &str, forms: &[String]) -> String {
    let mut out = mask_private_keys(text);
    for form in forms {
        if out.contains(form.as_str()) {
            out = out.replace(form.as_str(), MASK);
        }
    }
    if let Some(cut) = out.strip_suffix('…') {
        for form in forms {
            let prefix_cut = (4..form.len())
                .rev()
                .filter(|n| form.is_char_boundary(*n))
                .find(|n| cut.ends_with(&form[..*n]));
            if let Some(n) = prefix_cut {
                out = format!("{}{MASK}…", &cut[..cut.len() - n]);
                break;
            }
        }
    }
    out
}

/// The secrets a SOAP call carries: its first parameter when it is a
/// string (the session id; `login`'s user name), `login`'s password, every
/// string under a secret-looking name, and every private key block.
#[cfg(feature = "soap")]
pub fn soap_call_secrets(method: &str, params: &[Value]) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(Value::String(first)) = params.first() {
        out.push(first.clone());
    }
    if method == "login" {
        if let Some(Value::String(password)) = params.get(1) {
            out.push(password.clone());
        }
    }
    let redactor = Redactor::default();
    fn walk(r: &Redactor, v: &Value, name: Option<&str>, out: &mut Vec<String>) {
        match v {
            Value::String(s) if name.is_some_and(|n| r.is_secret_name(n)) || has_private_key(s) => {
                out.push(s.clone())
            }
            Value::Map(entries) => entries.iter().for_each(|(k, v)| walk(r, v, Some(k), out)),
            Value::List(items) => items.iter().for_each(|v| walk(r, v, name, out)),
            _ => {}
        }
    }
    for p in params {
        walk(&redactor, p, None, &mut out);
    }
    out
}

/// The secrets an HTTP request carries, for scrubbing an error that may echo
/// it: the values of sensitive headers (`Authorization` whole, its Basic
/// credentials decoded — `user:password` and the password — or its Bearer
/// token; API keys, cookies, XSRF tokens), the URL's password and the values
/// of secret-named query parameters, and in a JSON or form-encoded `body`
/// every string under a secret-looking name and every private key block.
pub fn http_request_secrets(
    headers: &[(String, String)],
    url: &str,
    body: Option<&[u8]>,
) -> Vec<String> {
    use base64::Engine as _;
    let redactor = Redactor::default();
    let mut out = Vec::new();
    for (name, value) in headers {
        if !crate::http::is_sensitive_header(name) {
            continue;
        }
        out.push(value.clone());
        let (scheme, rest) = value.split_once(' ').unwrap_or(("", value.as_str()));
        let rest = rest.trim();
        if scheme.eq_ignore_ascii_case("basic") {
            out.push(rest.to_owned());
            if let Some(pair) = base64::engine::general_purpose::STANDARD
                .decode(rest)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
            {
                if let Some((_, password)) = pair.split_once(':') {
                    out.push(password.to_owned());
                }
                out.push(pair);
            }
        } else if !scheme.is_empty() {
            out.push(rest.to_owned());
        }
        if name.eq_ignore_ascii_case("cookie") {
            out.extend(
                value
                    .split(';')
                    .filter_map(|c| c.split_once('=').map(|(_, v)| v.trim().to_owned())),
            );
        }
    }
    if let Ok(parsed) = reqwest::Url::parse(url) {
        if let Some(password) = parsed.password() {
            out.push(password.to_owned());
        }
        for (name, value) in parsed.query_pairs() {
            if redactor.is_secret_name(&name) || crate::http::is_sensitive_header(&name) {
                out.push(value.into_owned());
            }
        }
    }
    if let Some(body) = body {
        if let Ok(json) = serde_json::from_slice::<serde_json::Value>(body) {
            json_secrets(&redactor, &json, None, &mut out);
        } else if let Ok(text) = std::str::from_utf8(body) {
            for pair in text.split('&') {
                let Some((name, value)) = pair.split_once('=') else {
                    continue;
                };
                let decode = |s: &str| {
                    let s = s.replace('+', " ");
                    percent_decode(&s)
                };
                if redactor.is_secret_name(&decode(name)) {
                    out.push(decode(value));
                }
            }
        }
    }
    out.retain(|s| !s.is_empty());
    out
}

/// Strings under secret-looking names, and private key blocks, in a JSON
/// document.
fn json_secrets(
    redactor: &Redactor,
    value: &serde_json::Value,
    name: Option<&str>,
    out: &mut Vec<String>,
) {
    use serde_json::Value as J;
    match value {
        J::String(s) if name.is_some_and(|n| redactor.is_secret_name(n)) || has_private_key(s) => {
            out.push(s.clone())
        }
        J::Object(map) => map
            .iter()
            .for_each(|(k, v)| json_secrets(redactor, v, Some(k), out)),
        J::Array(items) => items
            .iter()
            .for_each(|v| json_secrets(redactor, v, name, out)),
        _ => {}
    }
}

/// Decodes `%XX` escapes (invalid ones stay as they are).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Whether `text` holds the start of a PEM or OpenSSH private key block.
pub fn has_private_key(text: &str) -> bool {
    private_key_blocks(text).next().is_some()
}

/// `text` with every private key block (from its `-----BEGIN … PRIVATE
/// KEY-----` line to the matching `END` line, or to the end when that is
/// missing) replaced by [`PRIVATE_KEY_MASK`].
pub fn mask_private_keys(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end) in private_key_blocks(text) {
        out.push_str(&text[at..start]);
        out.push_str(PRIVATE_KEY_MASK);
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

/// Byte ranges of the private key blocks in `text`.
fn private_key_blocks(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    const BEGIN: &str = "-----BEGIN ";
    let mut from = 0;
    std::iter::from_fn(move || {
        while let Some(found) = text[from..].find(BEGIN) {
            let start = from + found;
            let label_at = start + BEGIN.len();
            let Some(label_len) = text[label_at..].find("-----") else {
                from = text.len();
                return None;
            };
            let label = &text[label_at..label_at + label_len];
            if !label.contains("PRIVATE KEY") || label.contains('\n') {
                from = label_at;
                continue;
            }
            let end_marker = format!("-----END {label}-----");
            let end = match text[label_at..].find(&end_marker) {
                Some(e) => label_at + e + end_marker.len(),
                None => text.len(),
            };
            from = end;
            return Some((start, end));
        }
        None
    })
}

// The property tests plant secrets in SOAP value trees (and their JSON
// mirror), so they need the codec; `full`, the default, has it.
#[cfg(all(test, feature = "soap"))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const KEY: &str = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----";

    fn redactor() -> Redactor {
        Redactor::new(["ssl_key", "source_password", "relayhost_password"])
    }

    /// The names secrets are planted under: the inventory's classes passed
    /// to [`redactor`] and the conservative rule's.
    struct SecretNames;

    impl SecretNames {
        const ALL: &'static [&'static str] = &[
            "ssl_key",
            "source_password",
            "relayhost_password",
            "id_rsa",
            "dkim_private",
            "password",
            "backup_password",
            "api_token",
            "client_secret",
            "authinfo",
            "API_KEY",
        ];
    }

    #[test]
    fn names_by_rule_and_by_inventory() {
        let r = redactor();
        for n in [
            "password",
            "DB_PASSWORD",
            "client_secret",
            "api_token",
            "id_rsa",
            "ssl_key",
            "authinfo",
        ] {
            assert!(r.is_secret_name(n), "{n}");
        }
        for n in ["domain", "ssl_cert", "key", "username"] {
            assert!(!r.is_secret_name(n), "{n}");
        }
    }

    #[test]
    fn soap_answers_lose_secrets_keep_shape() {
        let mut v = Value::Map(vec![
            ("domain".into(), Value::from("example.com")),
            ("id_rsa".into(), Value::from(KEY)),
            ("password".into(), Value::from("")),
            (
                "ssl_cert".into(),
                Value::from("-----BEGIN CERTIFICATE-----\nMII\n-----END CERTIFICATE-----"),
            ),
            ("notes".into(), Value::from(format!("see {KEY} here"))),
            (
                "config".into(),
                Value::from("[mail]\nrelayhost=smtp\nrelayhost_password=Hunter2\n"),
            ),
        ]);
        let hidden = redactor().soap(&mut v);
        assert_eq!(v.get("domain"), Some(&Value::from("example.com")));
        assert_eq!(v.get("id_rsa"), Some(&Value::from(PRIVATE_KEY_MASK)));
        assert_eq!(
            v.get("password"),
            Some(&Value::from("")),
            "empty stays empty"
        );
        assert!(matches!(v.get("ssl_cert"), Some(Value::String(s)) if s.contains("CERTIFICATE")));
        assert_eq!(
            v.get("notes"),
            Some(&Value::from(format!("see {PRIVATE_KEY_MASK} here")))
        );
        assert_eq!(
            v.get("config"),
            Some(&Value::from(format!(
                "[mail]\nrelayhost=smtp\nrelayhost_password={MASK}\n"
            )))
        );
        assert_eq!(
            hidden.into_iter().collect::<Vec<_>>(),
            ["id_rsa", "notes", "relayhost_password"]
        );
    }

    #[test]
    fn json_documents_and_numbers() {
        let mut v = serde_json::json!({"list": [{"token": 12345, "n": 1}], "key": KEY});
        redactor().json(&mut v);
        assert_eq!(v["list"][0]["token"], MASK);
        assert_eq!(v["list"][0]["n"], 1);
        assert_eq!(v["key"], PRIVATE_KEY_MASK);
    }

    #[test]
    fn echoed_requests_lose_the_secrets_they_carried() {
        let secrets = [
            "EchoSecret42",
            "p&ss <wörd>",
            "0123456789abcdef0123456789abcdef",
        ];
        let pages = [
            "<html>Bad request: <ns1:login><param0>u</param0><param1>EchoSecret42</param1>"
                .to_owned(),
            "You sent: func=auth&username=root&password=p%26ss+%3Cw%C3%B6rd%3E&out=xml".to_owned(),
            "You sent: password=p%26ss%20%3cw%c3%b6rd%3e".to_owned(),
            "<pre>&lt;param1&gt;p&amp;ss &lt;wörd&gt;&lt;/param1&gt;</pre>".to_owned(),
            format!(
                "{{\"echo\": {}}}",
                serde_json::to_string("p&ss <wörd>").unwrap()
            ),
            format!(
                "{}0123456789abcdef0123456789abcdef",
                "x".repeat(EXCERPT_PAD)
            ),
        ];
        for page in pages {
            let e =
                crate::Error::unexpected(Some(400), "HTML page", page.as_bytes()).scrub(&secrets);
            let shown = format!("{e} {e:?}");
            for (secret, needle) in [
                ("EchoSecret42", "EchoSec"),
                ("p&ss", "ss+%3C"),
                ("p&ss", "%3cw"),
                ("p&ss", "&lt;w"),
                ("p&ss", "ss <w"),
                ("session", "0123456789ab"),
            ] {
                assert!(!shown.contains(needle), "{secret} survives in {shown}");
            }
            let crate::Error::UnexpectedResponse { excerpt, .. } = &e else {
                unreachable!()
            };
            assert!(
                excerpt.chars().count() <= crate::error::EXCERPT_CHARS + 1,
                "bounded"
            );
        }
    }

    /// Puts a secret across the excerpt's cut.
    const EXCERPT_PAD: usize = crate::error::EXCERPT_CHARS - 10;

    #[test]
    fn an_unterminated_block_is_masked_to_the_end() {
        let text = "a -----BEGIN RSA PRIVATE KEY-----\nMIIE";
        assert_eq!(mask_private_keys(text), format!("a {PRIVATE_KEY_MASK}"));
    }

    fn value_tree(
        leaf: impl Strategy<Value = Value> + Clone + 'static,
    ) -> impl Strategy<Value = Value> {
        leaf.prop_recursive(3, 24, 5, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::List),
                prop::collection::vec(("[a-z_]{1,10}", inner), 0..5).prop_map(Value::Map),
            ]
        })
    }

    /// Inserts `entry` into the `at`-th map of `tree` (depth first, modulo
    /// the number of maps); a tree without maps is wrapped in one.
    fn plant_at(tree: &mut Value, at: usize, entry: (String, Value)) {
        fn maps(v: &Value) -> usize {
            match v {
                Value::Map(e) => 1 + e.iter().map(|(_, v)| maps(v)).sum::<usize>(),
                Value::List(items) => items.iter().map(maps).sum(),
                _ => 0,
            }
        }
        fn insert(v: &mut Value, at: &mut usize, entry: &mut Option<(String, Value)>) {
            match v {
                Value::Map(e) => {
                    if *at == 0 {
                        if let Some(entry) = entry.take() {
                            e.push(entry);
                        }
                        return;
                    }
                    *at -= 1;
                    e.iter_mut().for_each(|(_, v)| insert(v, at, entry));
                }
                Value::List(items) => items.iter_mut().for_each(|v| insert(v, at, entry)),
                _ => {}
            }
        }
        let count = maps(tree);
        if count == 0 {
            *tree = Value::Map(vec![("wrapped".into(), tree.clone()), entry]);
            return;
        }
        insert(tree, &mut (at % count), &mut Some(entry));
    }

    proptest! {
        /// Secrets under classified names and private key blocks under any
        /// other name, planted at random depths of random records (several
        /// of each), never survive redaction, in Debug or as JSON.
        #[test]
        fn no_secret_planted_anywhere_survives(
            mut tree in value_tree(prop_oneof![
                "[a-zA-Z0-9 .=\n-]{0,20}".prop_map(Value::from),
                any::<i64>().prop_map(Value::Int),
            ]),
            plants in prop::collection::vec((
                any::<usize>(),
                prop::sample::select(SecretNames::ALL.to_vec()),
                "[A-Za-z0-9+/]{12,24}",
            ), 1..5),
            keys in prop::collection::vec((
                any::<usize>(),
                "[a-z]{3,8}",
                "[A-Za-z0-9+/]{16,40}",
                prop::sample::select(vec!["OPENSSH PRIVATE KEY", "RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY"]),
            ), 1..4),
        ) {
            for (at, name, secret) in &plants {
                plant_at(&mut tree, *at, ((*name).to_owned(), Value::from(secret.clone())));
            }
            for (at, other, body, label) in &keys {
                let pem = format!("-----BEGIN {label}-----\n{body}\n-----END {label}-----\n");
                plant_at(&mut tree, *at, (format!("k{other}"), Value::from(pem)));
            }
            let json = serde_json::to_value(&tree).unwrap();
            let mut redacted = tree.clone();
            redactor().soap(&mut redacted);
            let mut json_redacted = json.clone();
            redactor().json(&mut json_redacted);
            for shown in [format!("{redacted:?}"), json_redacted.to_string()] {
                for (_, _, secret) in &plants {
                    prop_assert!(!shown.contains(secret.as_str()), "{secret} in {shown}");
                }
                for (_, _, body, _) in &keys {
                    prop_assert!(!shown.contains(body.as_str()), "{body} in {shown}");
                }
            }
        }

        /// Secrets planted in classified fields and private key blocks
        /// planted in any other field never survive redaction.
        #[test]
        fn no_planted_secret_survives(
            tree in value_tree(prop_oneof![
                "[a-zA-Z0-9 .=\n-]{0,20}".prop_map(Value::from),
                any::<i64>().prop_map(Value::Int),
                Just(Value::Null),
            ]),
            name in prop::sample::select(vec!["ssl_key", "source_password", "relayhost_password", "id_rsa", "dkim_private", "password", "api_token", "client_secret"]),
            other in "[a-z]{3,8}",
            secret in "[A-Za-z0-9+/]{12,24}",
            key_body in "[A-Za-z0-9+/]{12,40}",
            label in prop::sample::select(vec!["OPENSSH PRIVATE KEY", "RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY"]),
            prefix in "[a-z ]{0,10}",
        ) {
            let pem = format!("{prefix}-----BEGIN {label}-----\n{key_body}\n-----END {label}-----\n");
            let ini = format!("[mail]\n{name}={secret}\n");
            let plant = |v: Value| -> Value {
                Value::Map(vec![
                    (name.to_owned(), Value::from(secret.clone())),
                    (format!("x{other}"), Value::from(pem.clone())),
                    ("config".to_owned(), Value::from(ini.clone())),
                    ("rest".to_owned(), v),
                ])
            };
            let mut v = Value::List(vec![plant(tree.clone()), tree]);
            redactor().soap(&mut v);
            let shown = format!("{v:?}");
            prop_assert!(!shown.contains(&secret), "{shown}");
            prop_assert!(!shown.contains(&key_body), "{shown}");
            let mut j = serde_json::to_value(&v).unwrap();
            // Again from JSON, with the secrets planted afresh.
            j[0][name] = serde_json::Value::from(secret.clone());
            j[0]["other"] = serde_json::Value::from(pem.clone());
            redactor().json(&mut j);
            let shown = j.to_string();
            prop_assert!(!shown.contains(&secret), "{shown}");
            prop_assert!(!shown.contains(&key_body), "{shown}");
        }
    }
}
