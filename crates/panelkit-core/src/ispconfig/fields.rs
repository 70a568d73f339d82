//! Field codecs for the typed ISPConfig records the generator emits from the
//! panel's form definitions (`*.tform.php`).
//!
//! The panel answers with database rows: every value a string (`"1"`,
//! `"y"`), `NULL` as nil, and `""` for an empty number. Records therefore
//! decode **leniently** — a number from `"1"` or `1`, a flag from the form's
//! own strings, `""` and nil as "absent" (`None`) for numbers and flags — and
//! encode **strictly**: numbers as numbers, flags as exactly the strings the
//! form stores (`"y"`/`"n"`, or `"Y"`/`"N"` on the DNS forms), `None` left
//! out. Leaving a field out is what the panel itself does with an empty one:
//! an update keeps the stored value, an insert writes it empty.
//!
//! Each codec module (`int`, `float`, `text`, `secret`, the flag spellings,
//! `option`) has `take`/`put` for the records that
//! [`ispconfig_record!`](crate::ispconfig_record) declares, and the scalar
//! ones also `serialize`/`deserialize` for `#[serde(with = "...")]` on your
//! own structs. [`ispconfig_options!`](crate::ispconfig_options) makes an
//! option-set enum with an `Unknown(String)` variant.
//!
//! Records are declared through a macro rather than `#[derive(Deserialize)]`
//! because serde's derive with `flatten` and per-field `with` is large: on
//! the generated ISPConfig crate it made `cargo check` several times slower
//! than the macro, which expands to one call per field.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::Serializer;

use crate::soap::Value;
use crate::Secret;

/// A scalar as any deserializer hands it over.
#[derive(Clone, Debug, PartialEq)]
enum Raw {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, number, boolean or nil")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Raw, E> {
        Ok(Raw::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Raw, E> {
        Ok(Raw::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Raw, E> {
        i64::try_from(v)
            .map(Raw::Int)
            .map_err(|_| E::custom(format!("{v} is out of range")))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Raw, E> {
        Ok(Raw::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Raw, E> {
        Ok(Raw::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Raw, E> {
        Ok(Raw::Str(v))
    }
    fn visit_unit<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_none<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Raw, D::Error> {
        d.deserialize_any(RawVisitor)
    }
}

fn raw<'de, D: Deserializer<'de>>(d: D) -> Result<Raw, D::Error> {
    d.deserialize_any(RawVisitor)
}

impl Raw {
    fn from_value(v: Value) -> Result<Raw, String> {
        Ok(match v {
            Value::Null => Raw::Null,
            Value::Bool(b) => Raw::Bool(b),
            Value::Int(i) => Raw::Int(i),
            Value::Float(f) => Raw::Float(f),
            Value::String(s) => Raw::Str(s),
            Value::List(_) => return Err("expected a scalar, got a list".to_owned()),
            Value::Map(_) => return Err("expected a scalar, got a map".to_owned()),
        })
    }
}

/// Removes `key` from a record's entries and reads it with `read`; the error
/// names the field.
fn take_with<T>(
    entries: &mut Vec<(String, Value)>,
    key: &str,
    read: fn(Raw) -> Result<Option<T>, String>,
) -> Result<Option<T>, String> {
    let Some(at) = entries.iter().position(|(k, _)| k == key) else {
        return Ok(None);
    };
    let (_, value) = entries.remove(at);
    Raw::from_value(value)
        .and_then(read)
        .map_err(|e| format!("{key}: {e}"))
}

fn int_of(raw: Raw) -> Result<Option<i64>, String> {
    match raw {
        Raw::Null => Ok(None),
        Raw::Int(i) => Ok(Some(i)),
        Raw::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(Some(f as i64)),
        Raw::Str(s) if s.trim().is_empty() => Ok(None),
        Raw::Str(s) => s
            .trim()
            .parse::<i64>()
            .map(Some)
            .map_err(|_| format!("expected an integer, got {s:?}")),
        other => Err(format!("expected an integer, got {other:?}")),
    }
}

fn float_of(raw: Raw) -> Result<Option<f64>, String> {
    match raw {
        Raw::Null => Ok(None),
        Raw::Int(i) => Ok(Some(i as f64)),
        Raw::Float(f) => Ok(Some(f)),
        Raw::Str(s) if s.trim().is_empty() => Ok(None),
        Raw::Str(s) => s
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .map(Some)
            .ok_or_else(|| format!("expected a number, got {s:?}")),
        other => Err(format!("expected a number, got {other:?}")),
    }
}

/// `INTEGER` fields: `i64` from a number or a numeric string; `""` and nil
/// are `None`; a float only when it is a whole number.
pub mod int {
    use super::*;

    /// The secrecy class of its fields (none).
    pub const SECRECY: Option<Secrecy> = None;

    /// Writes the number (or nothing: use with `skip_serializing_if`).
    pub fn serialize<S: Serializer>(v: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(i) => s.serialize_i64(*i),
            None => s.serialize_none(),
        }
    }

    /// Reads leniently.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
        int_of(raw(d)?).map_err(de::Error::custom)
    }

    /// Takes the field out of a record's entries, leniently.
    pub fn take(entries: &mut Vec<(String, Value)>, key: &str) -> Result<Option<i64>, String> {
        take_with(entries, key, int_of)
    }

    /// Adds the field to a record's entries (nothing for `None`).
    pub fn put(out: &mut Vec<(String, Value)>, key: &str, v: &Option<i64>) {
        if let Some(i) = v {
            out.push((key.to_owned(), Value::Int(*i)));
        }
    }
}

/// `DOUBLE` and `CURRENCY` fields: `f64` from a number or a numeric string;
/// `""` and nil are `None`.
pub mod float {
    use super::*;

    /// The secrecy class of its fields (none).
    pub const SECRECY: Option<Secrecy> = None;

    /// Writes the number (or nothing: use with `skip_serializing_if`).
    pub fn serialize<S: Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(f) => s.serialize_f64(*f),
            None => s.serialize_none(),
        }
    }

    /// Reads leniently.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
        float_of(raw(d)?).map_err(de::Error::custom)
    }

    /// Takes the field out of a record's entries, leniently.
    pub fn take(entries: &mut Vec<(String, Value)>, key: &str) -> Result<Option<f64>, String> {
        take_with(entries, key, float_of)
    }

    /// Adds the field to a record's entries (nothing for `None`).
    pub fn put(out: &mut Vec<(String, Value)>, key: &str, v: &Option<f64>) {
        if let Some(f) = v {
            out.push((key.to_owned(), Value::Float(*f)));
        }
    }
}

/// Text fields (`VARCHAR`, `TEXT`, dates): a string, also from a number
/// (as PHP prints it); nil is `None`, `""` stays `Some("")`.
pub mod text {
    use super::*;

    /// The secrecy class of its fields (none).
    pub const SECRECY: Option<Secrecy> = None;

    /// Writes the string (or nothing: use with `skip_serializing_if`).
    pub fn serialize<S: Serializer>(v: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(t) => s.serialize_str(t),
            None => s.serialize_none(),
        }
    }

    /// Reads leniently.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        text_of(raw(d)?).map_err(de::Error::custom)
    }

    /// Takes the field out of a record's entries, leniently.
    pub fn take(entries: &mut Vec<(String, Value)>, key: &str) -> Result<Option<String>, String> {
        take_with(entries, key, text_of)
    }

    /// Adds the field to a record's entries (nothing for `None`).
    pub fn put(out: &mut Vec<(String, Value)>, key: &str, v: &Option<String>) {
        if let Some(t) = v {
            out.push((key.to_owned(), Value::String(t.clone())));
        }
    }
}

fn text_of(raw: Raw) -> Result<Option<String>, String> {
    match raw {
        Raw::Null => Ok(None),
        Raw::Str(s) => Ok(Some(s)),
        Raw::Int(i) => Ok(Some(i.to_string())),
        Raw::Float(f) => Ok(Some(f.to_string())),
        Raw::Bool(b) => Err(format!("expected text, got the boolean {b}")),
    }
}

/// Secret text fields: like [`text`], kept as a [`Secret`] so a record's
/// `Debug` never shows it. Records use it for the readable secrets (private
/// keys, plaintext credentials), each field naming its [`Secrecy`] class.
pub mod secret {
    use super::*;

    /// The secrecy class of a field that names none: a plaintext
    /// credential, the most common readable secret.
    pub const SECRECY: Option<Secrecy> = Some(Secrecy::Credential);

    /// Writes the secret's text (or nothing: use with `skip_serializing_if`).
    pub fn serialize<S: Serializer>(v: &Option<Secret>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(t) => s.serialize_str(t.expose()),
            None => s.serialize_none(),
        }
    }

    /// Reads leniently.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Secret>, D::Error> {
        Ok(text_of(raw(d)?)
            .map_err(de::Error::custom)?
            .map(Secret::from))
    }

    /// Takes the field out of a record's entries, leniently.
    pub fn take(entries: &mut Vec<(String, Value)>, key: &str) -> Result<Option<Secret>, String> {
        Ok(take_with(entries, key, text_of)?.map(Secret::from))
    }

    /// Adds the field to a record's entries (nothing for `None`).
    pub fn put(out: &mut Vec<(String, Value)>, key: &str, v: &Option<Secret>) {
        if let Some(t) = v {
            out.push((key.to_owned(), Value::String(t.expose().to_owned())));
        }
    }
}

/// `PASSWORD` fields of records: **write-only**. A read drops the stored
/// value (a hash), because the panel hashes whatever an update sends: a
/// record that carried the hash back would replace the password with a hash
/// of its hash. Left `None`, the update keeps the stored password; set it to
/// send a new one.
pub mod password {
    use super::*;

    /// The secrecy class of its fields.
    pub const SECRECY: Option<Secrecy> = Some(Secrecy::Password);

    /// Removes the field from a record's entries and forgets it.
    pub fn take(entries: &mut Vec<(String, Value)>, key: &str) -> Result<Option<Secret>, String> {
        entries.retain(|(k, _)| k != key);
        Ok(None)
    }

    /// Adds a new password to a record's entries (nothing for `None`).
    pub fn put(out: &mut Vec<(String, Value)>, key: &str, v: &Option<Secret>) {
        secret::put(out, key, v)
    }
}

/// Reads a flag stored as `off`/`on`: those strings (any case), a boolean,
/// or 0/1; `""` and nil are `None`.
fn flag_of(raw: Raw, off: &str, on: &str) -> Result<Option<bool>, String> {
    match raw {
        Raw::Null => Ok(None),
        Raw::Bool(b) => Ok(Some(b)),
        Raw::Int(0) => Ok(Some(false)),
        Raw::Int(1) => Ok(Some(true)),
        Raw::Str(s) if s.is_empty() => Ok(None),
        Raw::Str(s) if s.eq_ignore_ascii_case(on) => Ok(Some(true)),
        Raw::Str(s) if s.eq_ignore_ascii_case(off) => Ok(Some(false)),
        other => Err(format!("expected {on:?} or {off:?}, got {other:?}")),
    }
}

macro_rules! flag_codec {
    ($(#[$doc:meta])* $name:ident, $off:literal, $on:literal) => {
        $(#[$doc])*
        pub mod $name {
            use super::*;

            /// The secrecy class of its fields (none).
            pub const SECRECY: Option<Secrecy> = None;
            /// The stored string for `false`.
            pub const OFF: &str = $off;
            /// The stored string for `true`.
            pub const ON: &str = $on;

            /// Writes exactly the form's string (or nothing: use with `skip_serializing_if`).
            pub fn serialize<S: Serializer>(v: &Option<bool>, s: S) -> Result<S::Ok, S::Error> {
                match v {
                    Some(true) => s.serialize_str(ON),
                    Some(false) => s.serialize_str(OFF),
                    None => s.serialize_none(),
                }
            }

            /// Reads leniently.
            pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
                flag_of(raw(d)?, OFF, ON).map_err(de::Error::custom)
            }

            /// Takes the field out of a record's entries, leniently.
            pub fn take(entries: &mut Vec<(String, Value)>, key: &str) -> Result<Option<bool>, String> {
                take_with(entries, key, |raw| flag_of(raw, OFF, ON))
            }

            /// Adds the field to a record's entries as the form's string (nothing for `None`).
            pub fn put(out: &mut Vec<(String, Value)>, key: &str, v: &Option<bool>) {
                if let Some(b) = v {
                    out.push((key.to_owned(), Value::from(if *b { ON } else { OFF })));
                }
            }
        }
    };
}

flag_codec!(
    /// Flags stored as `"y"`/`"n"` (most forms).
    yn, "n", "y"
);
flag_codec!(
    /// Flags stored as `"Y"`/`"N"` (the DNS forms).
    yn_upper, "N", "Y"
);
flag_codec!(
    /// Flags stored as `"yes"`/`"no"`.
    yes_no, "no", "yes"
);
flag_codec!(
    /// Flags stored as `"Yes"`/`"No"`.
    yes_no_title, "No", "Yes"
);
flag_codec!(
    /// Flags stored as `"1"`/`"0"`.
    one_zero, "0", "1"
);

/// What kind of secret a field holds, from the inventory: the form type
/// (`PASSWORD`) or a named fixup citing where the panel hands it out.
///
/// Every class is kept as a [`Secret`] (never shown by `Debug`) and is
/// redacted from what is displayed; they differ in what a read does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Secrecy {
    /// A password the panel hashes: write-only, a read drops the stored hash
    /// (sending it back would make the hash the new password).
    Password,
    /// Private key material (`ssl_key`, `dkim_private`, `id_rsa`): readable
    /// on request, never displayed, and never sent back on a
    /// read-merge-write unless the caller set it.
    Key,
    /// A plaintext secret the panel itself needs to log in elsewhere
    /// (`source_password`, `relayhost_password`): readable, shown only on
    /// explicit request.
    Credential,
}

/// One field of a typed record's form, as the generator read it from the
/// form definition: wire name, secrecy class, the form's default and
/// whether the panel refuses the field empty.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldInfo {
    /// The field's name on the wire (`pm_max_children`).
    pub name: &'static str,
    /// What kind of secret it holds, if any.
    pub secrecy: Option<Secrecy>,
    /// The form's literal default as the text the panel would store (`None`
    /// when the form has none or computes it at run time). The panel's UI
    /// applies it; its remote API does not.
    pub default: Option<&'static str>,
    /// Whether the panel's validation refuses the field empty: a `NOTEMPTY`
    /// validator, or a `REGEX` one whose pattern does not match `""`.
    pub required: bool,
    /// The error-message key of the validator that makes it required
    /// (`web_php_options_notempty`), for errors that name the panel's check.
    pub check: Option<&'static str>,
}

/// What every typed record made by
/// [`ispconfig_record!`](crate::ispconfig_record) offers generically: its
/// form's fields, conversion to and from [`Value`], and a field-wise merge.
///
/// A record with only some fields set is a partial change: encoding leaves
/// the `None` fields out, so an update (or [`FormRecord::merge`]) keeps them.
pub trait FormRecord:
    Clone + fmt::Debug + Default + PartialEq + TryFrom<Value, Error = String> + Into<Value>
{
    /// The form's fields in declaration order (the table's key first).
    const FIELDS: &'static [FieldInfo];

    /// The record as a SOAP map: the fields that are `Some`, then `other`.
    fn to_value(&self) -> Value;

    /// Applies `changes` on top: each field `changes` sets replaces this
    /// record's, the others stay; its unknown fields are added or replace
    /// those of the same name.
    fn merge(&mut self, changes: Self);

    /// The form's field `name`, if it has one.
    fn field(name: &str) -> Option<&'static FieldInfo> {
        Self::FIELDS.iter().find(|f| f.name == name)
    }

    /// The record with its secrets, for serde: a record's own `Serialize`
    /// masks them (see [`displayed`]); `serde_json::to_string(&r.reveal())`
    /// writes them as they are.
    fn reveal(&self) -> Revealed<'_, Self> {
        Revealed(self)
    }

    /// Whether field `name` of the form holds a secret of any class.
    fn is_secret(name: &str) -> bool {
        Self::field(name).is_some_and(|f| f.secrecy.is_some())
    }
}

/// A typed record whose serde output shows its secrets
/// ([`FormRecord::reveal`]).
#[derive(Clone, Copy, Debug)]
pub struct Revealed<'a, T>(&'a T);

impl<T: FormRecord> serde::Serialize for Revealed<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serde::Serialize::serialize(&self.0.to_value(), s)
    }
}

thread_local! {
    /// Whether typed records' `Serialize` writes secrets as they are (see
    /// [`revealing`]).
    static REVEALING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` with every typed record's `Serialize` on this thread writing
/// its secrets as they are, as [`FormRecord::reveal`] does for one record:
/// for a caller that serializes nested answers (`Vec<Option<T>>`) and runs
/// its own redaction step on the result (`panelctl`, which masks unless
/// `--show-secrets`). Serialization is synchronous, so the switch covers
/// exactly what `f` serializes.
pub fn revealing<R>(f: impl FnOnce() -> R) -> R {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            REVEALING.with(|r| r.set(self.0));
        }
    }
    let _restore = Restore(REVEALING.with(|r| r.replace(true)));
    f()
}

/// What a typed record's `Serialize` writes: its value with every secret
/// masked by [`crate::redact`] — the form's classified fields (any class,
/// a new password included), and in `other` whatever the conservative rule
/// or a private key block gives away (`id_rsa` on a client). Inside
/// [`revealing`], the value as it is.
pub fn displayed<T: FormRecord>(record: &T) -> Value {
    let mut value = record.to_value();
    if REVEALING.with(std::cell::Cell::get) {
        return value;
    }
    let classified = T::FIELDS
        .iter()
        .filter(|f| f.secrecy.is_some())
        .map(|f| f.name);
    crate::redact::Redactor::new(classified).soap(&mut value);
    value
}

/// An option-set enum made by [`ispconfig_options!`](crate::ispconfig_options).
pub trait OptionValue: Sized {
    /// The enum value of a stored string (`Unknown` for unlisted ones).
    fn from_text(text: &str) -> Self;
    /// The stored string.
    fn as_text(&self) -> &str;
}

/// Option-set fields: read from a string or a number, never failing on a
/// value the form does not list (it becomes `Unknown`); nil is `None`.
pub mod option {
    use super::*;

    /// The secrecy class of its fields (none).
    pub const SECRECY: Option<Secrecy> = None;

    /// Takes the field out of a record's entries, leniently.
    pub fn take<T: OptionValue>(
        entries: &mut Vec<(String, Value)>,
        key: &str,
    ) -> Result<Option<T>, String> {
        Ok(take_with(entries, key, text_of)?.map(|t| T::from_text(&t)))
    }

    /// Adds the field to a record's entries as its string (nothing for `None`).
    pub fn put<T: OptionValue>(out: &mut Vec<(String, Value)>, key: &str, v: &Option<T>) {
        if let Some(o) = v {
            out.push((key.to_owned(), Value::from(o.as_text())));
        }
    }
}

/// What an option-set enum's `Deserialize` reads: a string or a number.
pub fn option_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match text_of(raw(d)?).map_err(de::Error::custom)? {
        Some(s) => Ok(s),
        None => Err(de::Error::custom("expected an option, got nil")),
    }
}

/// A record's entries: a map, or PHP's empty array (an empty record).
pub fn record_entries(value: Value) -> Result<Vec<(String, Value)>, String> {
    match value {
        Value::Map(entries) => Ok(entries),
        Value::List(items) if items.is_empty() => Ok(Vec::new()),
        other => Err(format!("expected a record (a map), got {}", kind(&other))),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "nil",
        Value::Bool(_) => "a boolean",
        Value::Int(_) => "an integer",
        Value::Float(_) => "a float",
        Value::String(_) => "a string",
        Value::List(_) => "a list",
        Value::Map(_) => "a map",
    }
}

/// Declares an enum for the options of a `SELECT`/`RADIO` field, with an
/// `Unknown(String)` variant for values the form does not list, `as_str`,
/// `From<&str>`, [`OptionValue`], and serde that reads strings or numbers and
/// writes the option's string.
#[macro_export]
macro_rules! ispconfig_options {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $value:literal,)* }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        $vis enum $name {
            $($(#[$vmeta])* $variant,)*
            /// A value the form does not list.
            Unknown(String),
        }

        impl $name {
            /// The stored string.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $value,)*
                    $name::Unknown(s) => s,
                }
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $($value => $name::$variant,)*
                    other => $name::Unknown(other.to_owned()),
                }
            }
        }

        impl $crate::ispconfig::fields::OptionValue for $name {
            fn from_text(text: &str) -> Self {
                $name::from(text)
            }
            fn as_text(&self) -> &str {
                self.as_str()
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::ispconfig::fields::option_text(d).map(|s| $name::from(s.as_str()))
            }
        }
    };
}

/// Declares a typed record: a struct of `Option` fields, each with its codec
/// module and wire name (`#[field(int, "ttl")]`), then optionally, in this
/// order, its secrecy class (`secrecy = Key`, else the codec's), the form's
/// default (`default = "3600"`) and the check that makes it required
/// (`required = "ttl_error_empty"`, or `required = true` when the check has
/// no message key) — the [`FieldInfo`] of the field — plus `other`, the fields
/// the form does not define, kept as they came. It implements
/// `From<&Record>`/`From<Record>` for [`Value`] (a map: the fields that are
/// `Some`, in declaration order, then `other`), `TryFrom<Value>`,
/// [`FormRecord`] (the form's fields, a field-wise merge), and serde
/// through [`Value`], so `from_value::<Record>(answer)` works and a record
/// goes wherever a generated method takes `impl Into<Value>`.
#[macro_export]
macro_rules! ispconfig_record {
    (@secrecy $codec:ident) => { $crate::ispconfig::fields::$codec::SECRECY };
    (@secrecy $codec:ident $class:ident) => { Some($crate::ispconfig::fields::Secrecy::$class) };
    (@some) => { None };
    (@some $value:literal) => { Some($value) };
    (@required) => { false };
    (@required $check:tt) => { true };
    (@check) => { None };
    (@check true) => { None };
    (@check $check:literal) => { Some($check) };
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(
                #[field(
                    $codec:ident, $wire:literal
                    $(, secrecy = $secrecy:ident)?
                    $(, default = $default:literal)?
                    $(, required = $check:tt)?
                )]
                $(#[$fmeta:meta])*
                pub $field:ident: Option<$ty:ty>,
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq)]
        #[non_exhaustive]
        pub struct $name {
            $($(#[$fmeta])* pub $field: Option<$ty>,)*
            /// Fields the form does not define (`sys_userid`, …), kept as they
            /// came so that a read-merge-write loses nothing.
            pub other: std::collections::BTreeMap<String, $crate::soap::Value>,
        }

        impl From<&$name> for $crate::soap::Value {
            fn from(record: &$name) -> Self {
                let mut out = Vec::with_capacity(record.other.len() + 8);
                $($crate::ispconfig::fields::$codec::put(&mut out, $wire, &record.$field);)*
                for (k, v) in &record.other {
                    out.push((k.clone(), v.clone()));
                }
                $crate::soap::Value::Map(out)
            }
        }

        impl $crate::ispconfig::fields::FormRecord for $name {
            const FIELDS: &'static [$crate::ispconfig::fields::FieldInfo] = &[
                $($crate::ispconfig::fields::FieldInfo {
                    name: $wire,
                    secrecy: $crate::ispconfig_record!(@secrecy $codec $($secrecy)?),
                    default: $crate::ispconfig_record!(@some $($default)?),
                    required: $crate::ispconfig_record!(@required $($check)?),
                    check: $crate::ispconfig_record!(@check $($check)?),
                },)*
            ];

            fn to_value(&self) -> $crate::soap::Value {
                $crate::soap::Value::from(self)
            }

            fn merge(&mut self, changes: Self) {
                $(if changes.$field.is_some() {
                    self.$field = changes.$field;
                })*
                self.other.extend(changes.other);
            }
        }

        impl From<$name> for $crate::soap::Value {
            fn from(record: $name) -> Self {
                $crate::soap::Value::from(&record)
            }
        }

        impl TryFrom<$crate::soap::Value> for $name {
            type Error = String;
            fn try_from(value: $crate::soap::Value) -> Result<Self, String> {
                let mut entries = $crate::ispconfig::fields::record_entries(value)?;
                let mut record = $name::default();
                $(record.$field = $crate::ispconfig::fields::$codec::take(&mut entries, $wire)?;)*
                record.other = entries.into_iter().collect();
                Ok(record)
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let shown = $crate::ispconfig::fields::displayed::<$name>(self);
                $crate::__private::serde::Serialize::serialize(&shown, s)
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let value = <$crate::soap::Value as $crate::__private::serde::Deserialize>::deserialize(d)?;
                $name::try_from(value).map_err(<D::Error as $crate::__private::serde::de::Error>::custom)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde::{Deserialize, Serialize};

    use crate::soap::{from_value, to_value, Value};

    crate::ispconfig_options! {
        /// Test options.
        pub enum Php { Fpm = "php-fpm", Empty = "", }
    }

    crate::ispconfig_record! {
        /// A test record.
        pub struct Rec {
            #[field(int, "ttl", default = "3600", required = "ttl_error_empty")]
            /// Integer.
            pub ttl: Option<i64>,
            #[field(float, "price")]
            pub price: Option<f64>,
            #[field(text, "name")]
            pub name: Option<String>,
            #[field(yn_upper, "active")]
            pub active: Option<bool>,
            #[field(password, "password")]
            pub password: Option<crate::Secret>,
            #[field(option, "php")]
            pub php: Option<Php>,
            #[field(text, "type", required = true)]
            pub r#type: Option<String>,
            #[field(secret, "ssl_key", secrecy = Key)]
            pub ssl_key: Option<crate::Secret>,
        }
    }

    /// The serde codecs, for hand-written structs.
    #[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
    #[serde(default)]
    struct Own {
        #[serde(skip_serializing_if = "Option::is_none", with = "super::int")]
        ttl: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none", with = "super::yn")]
        active: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none", with = "super::float")]
        price: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none", with = "super::text")]
        name: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none", with = "super::secret")]
        password: Option<crate::Secret>,
        php: Option<Php>,
    }

    fn map(entries: &[(&str, Value)]) -> Value {
        Value::Map(
            entries
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
        )
    }

    fn s(v: &str) -> Value {
        Value::String(v.to_owned())
    }

    #[test]
    fn database_rows_decode_leniently_and_encode_strictly() {
        let row = map(&[
            ("ttl", s("3600")),
            ("price", s("1.5")),
            ("name", s("www")),
            ("active", s("Y")),
            ("password", s("$6$x")),
            ("php", s("php-fpm")),
            ("type", s("A")),
            ("sys_userid", s("1")),
            ("serial", Value::Null),
        ]);
        let rec: Rec = from_value(row).unwrap();
        assert_eq!(rec.ttl, Some(3600));
        assert_eq!(rec.price, Some(1.5));
        assert_eq!(rec.active, Some(true));
        assert_eq!(rec.php, Some(Php::Fpm));
        assert_eq!(rec.r#type.as_deref(), Some("A"));
        assert_eq!(rec.other["sys_userid"], s("1"));
        assert_eq!(rec.password, None, "a stored password is never read back");
        let back = Value::from(&rec);
        assert_eq!(back.get("ttl"), Some(&Value::Int(3600)));
        assert_eq!(back.get("active"), Some(&s("Y")));
        assert_eq!(back.get("password"), None, "so it is never sent back");
        let mut new = rec.clone();
        new.password = Some(crate::Secret::new("n3w"));
        assert!(!format!("{new:?}").contains("n3w"), "redacted");
        assert_eq!(Value::from(&new).get("password"), Some(&s("n3w")));
        assert_eq!(back.get("type"), Some(&s("A")));
        assert_eq!(
            back.get("serial"),
            Some(&Value::Null),
            "unknown fields kept as they are"
        );
        // serde goes through the same Value, secrets masked unless revealed.
        assert_eq!(to_value(&rec).unwrap().get("ttl"), Some(&Value::Int(3600)));
        let mut keyed = new.clone();
        keyed.ssl_key = Some(crate::Secret::new(
            "-----BEGIN PRIVATE KEY-----\nK3y\n-----END PRIVATE KEY-----",
        ));
        keyed.other.insert(
            "id_rsa".into(),
            s("-----BEGIN OPENSSH PRIVATE KEY-----\nRsa\n-----END OPENSSH PRIVATE KEY-----"),
        );
        let json = serde_json::to_string(&keyed).unwrap();
        for secret in ["n3w", "K3y", "Rsa"] {
            assert!(!json.contains(secret), "{secret} in {json}");
            assert!(!format!("{keyed:?}").contains(secret), "Debug");
        }
        use super::FormRecord;
        let json = serde_json::to_string(&keyed.reveal()).unwrap();
        assert!(
            json.contains("n3w") && json.contains("K3y") && json.contains("Rsa"),
            "{json}"
        );
        // Nested answers revealed in a scope, masked again after it.
        let nested = vec![Some(keyed.clone()), None];
        let json = super::revealing(|| serde_json::to_string(&nested)).unwrap();
        assert!(json.contains("K3y") && json.contains("Rsa"), "{json}");
        assert!(!serde_json::to_string(&nested).unwrap().contains("K3y"));
    }

    #[test]
    fn empty_numbers_and_flags_are_absent_and_left_out() {
        let rec: Rec =
            from_value(map(&[("ttl", s("")), ("active", s("")), ("name", s(""))])).unwrap();
        assert_eq!(
            (rec.ttl, rec.active, rec.name.as_deref()),
            (None, None, Some(""))
        );
        let back = Value::from(rec);
        assert_eq!(back.get("ttl"), None);
        assert_eq!(back.get("name"), Some(&s("")));
        // PHP's empty array is an empty record.
        assert_eq!(
            from_value::<Rec>(Value::List(vec![])).unwrap(),
            Rec::default()
        );
    }

    #[test]
    fn wrong_values_are_errors_naming_the_field_not_panics() {
        for (field, v) in [
            ("ttl", s("ten")),
            ("active", s("maybe")),
            ("ttl", Value::Bool(true)),
            ("name", Value::Bool(true)),
            ("price", Value::List(vec![])),
        ] {
            let err = from_value::<Rec>(map(&[(field, v.clone())])).unwrap_err();
            let text = err.to_string();
            assert!(
                text.contains("expected") && text.contains(field),
                "{field} {v:?}: {err}"
            );
        }
        assert!(from_value::<Rec>(s("x")).is_err());
    }

    #[test]
    fn unlisted_options_are_unknown() {
        let rec: Rec = from_value(map(&[("php", s("hhvm"))])).unwrap();
        assert_eq!(rec.php, Some(Php::Unknown("hhvm".into())));
        assert_eq!(Value::from(&rec).get("php"), Some(&s("hhvm")));
        let rec: Rec = from_value(map(&[("php", Value::Int(7))])).unwrap();
        assert_eq!(rec.php.as_ref().map(Php::as_str), Some("7"));
    }

    #[test]
    fn serde_codecs_for_hand_written_structs() {
        let own: Own = from_value(map(&[
            ("ttl", s("60")),
            ("active", s("y")),
            ("price", s("")),
            ("name", Value::Int(5)),
            ("password", s("pw")),
            ("php", s("")),
        ]))
        .unwrap();
        assert_eq!(
            (own.ttl, own.active, own.price),
            (Some(60), Some(true), None)
        );
        assert_eq!(own.name.as_deref(), Some("5"));
        assert_eq!(own.php, Some(Php::Empty));
        let back = to_value(&own).unwrap();
        assert_eq!(back.get("active"), Some(&s("y")));
        assert_eq!(back.get("ttl"), Some(&Value::Int(60)));
        assert_eq!(back.get("price"), None);
        assert!(from_value::<Own>(map(&[("ttl", s("x"))])).is_err());
    }

    #[test]
    fn form_record_lists_fields_and_merges_field_wise() {
        use super::FormRecord;
        let names: Vec<&str> = Rec::FIELDS.iter().map(|f| f.name).collect();
        assert_eq!(
            names,
            ["ttl", "price", "name", "active", "password", "php", "type", "ssl_key"]
        );
        assert!(Rec::is_secret("password") && Rec::is_secret("ssl_key"));
        assert!(!Rec::is_secret("name") && !Rec::is_secret("nonesuch"));
        assert_eq!(
            Rec::field("ttl"),
            Some(&super::FieldInfo {
                name: "ttl",
                secrecy: None,
                default: Some("3600"),
                required: true,
                check: Some("ttl_error_empty"),
            })
        );
        let secrecy = |n| Rec::field(n).and_then(|f| f.secrecy);
        assert_eq!(secrecy("password"), Some(super::Secrecy::Password));
        assert_eq!(secrecy("ssl_key"), Some(super::Secrecy::Key));
        let ty = Rec::field("type").unwrap();
        assert!(ty.required && ty.check.is_none() && ty.default.is_none());
        assert!(!Rec::field("name").unwrap().required);
        assert_eq!(Rec::field("nonesuch"), None);
        let mut stored: Rec = from_value(map(&[
            ("ttl", s("3600")),
            ("name", s("www")),
            ("sys_userid", s("1")),
        ]))
        .unwrap();
        let changes = Rec {
            ttl: Some(60),
            other: [("x".to_owned(), s("y"))].into_iter().collect(),
            ..Rec::default()
        };
        stored.merge(changes);
        assert_eq!(stored.ttl, Some(60));
        assert_eq!(stored.name.as_deref(), Some("www"), "not set: kept");
        assert_eq!(stored.other["sys_userid"], s("1"));
        assert_eq!(stored.other["x"], s("y"));
        assert_eq!(stored.to_value(), Value::from(&stored));
    }

    proptest! {
        #[test]
        fn integers_round_trip_from_strings_and_numbers(n in any::<i64>(), as_string in any::<bool>()) {
            let v = if as_string { s(&n.to_string()) } else { Value::Int(n) };
            let rec: Rec = from_value(map(&[("ttl", v)])).unwrap();
            prop_assert_eq!(rec.ttl, Some(n));
            let back = Value::from(&rec);
            prop_assert_eq!(back.get("ttl"), Some(&Value::Int(n)));
        }

        #[test]
        fn floats_round_trip(f in -1.0e12f64..1.0e12) {
            let rec: Rec = from_value(map(&[("price", s(&f.to_string()))])).unwrap();
            prop_assert_eq!(rec.price, Some(f));
        }

        #[test]
        fn text_and_unknown_fields_survive(name in ".{0,20}", key in "[a-z_]{1,12}", other in ".{0,20}") {
            prop_assume!(!["ttl", "price", "name", "active", "password", "php", "type", "ssl_key"].contains(&key.as_str()));
            let row = map(&[("name", s(&name)), (key.as_str(), s(&other))]);
            let rec: Rec = from_value(row.clone()).unwrap();
            let back = Value::from(&rec);
            prop_assert_eq!(&back, &row);
            let again: Rec = from_value(back).unwrap();
            prop_assert_eq!(again, rec);
        }

        #[test]
        fn any_value_decodes_or_errors_without_panicking(text in ".{0,12}", i in any::<i64>(), f in any::<f64>(), b in any::<bool>()) {
            for v in [s(&text), Value::Int(i), Value::Float(f), Value::Bool(b), Value::Null, Value::List(vec![]), map(&[("x", Value::Null)])] {
                for field in ["ttl", "price", "name", "active", "password", "php", "type", "ssl_key"] {
                    let _ = from_value::<Rec>(map(&[(field, v.clone())]));
                    let _ = from_value::<Own>(map(&[(field, v.clone())]));
                }
                let _ = from_value::<Rec>(v);
            }
        }

        #[test]
        fn flags_round_trip(on in any::<bool>()) {
            let stored = if on { "Y" } else { "N" };
            let rec: Rec = from_value(map(&[("active", s(stored))])).unwrap();
            prop_assert_eq!(rec.active, Some(on));
            let back = Value::from(&rec);
            prop_assert_eq!(back.get("active"), Some(&s(stored)));
        }
    }
}
