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
//! Each module here is a `#[serde(with = "...")]` codec for an `Option<T>`
//! field; [`options!`](crate::ispconfig_options) makes an option-set enum
//! with an `Unknown(String)` variant; [`record!`](crate::ispconfig_record)
//! adds the `Value` conversions to a record type.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Serialize, Serializer};

use crate::soap::{to_value, Value};
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

/// `INTEGER` fields: `i64` from a number or a numeric string; `""` and nil
/// are `None`; a float only when it is a whole number.
pub mod int {
    use super::*;

    /// Writes the number (or nothing: use with `skip_serializing_if`).
    pub fn serialize<S: Serializer>(v: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(i) => s.serialize_i64(*i),
            None => s.serialize_none(),
        }
    }

    /// Reads leniently.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
        match raw(d)? {
            Raw::Null => Ok(None),
            Raw::Int(i) => Ok(Some(i)),
            Raw::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(Some(f as i64)),
            Raw::Str(s) if s.trim().is_empty() => Ok(None),
            Raw::Str(s) => s
                .trim()
                .parse::<i64>()
                .map(Some)
                .map_err(|_| de::Error::custom(format!("expected an integer, got {s:?}"))),
            other => Err(de::Error::custom(format!(
                "expected an integer, got {other:?}"
            ))),
        }
    }
}

/// `DOUBLE` and `CURRENCY` fields: `f64` from a number or a numeric string;
/// `""` and nil are `None`.
pub mod float {
    use super::*;

    /// Writes the number (or nothing: use with `skip_serializing_if`).
    pub fn serialize<S: Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(f) => s.serialize_f64(*f),
            None => s.serialize_none(),
        }
    }

    /// Reads leniently.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
        match raw(d)? {
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
                .ok_or_else(|| de::Error::custom(format!("expected a number, got {s:?}"))),
            other => Err(de::Error::custom(format!(
                "expected a number, got {other:?}"
            ))),
        }
    }
}

/// Text fields (`VARCHAR`, `TEXT`, dates): a string, also from a number
/// (as PHP prints it); nil is `None`, `""` stays `Some("")`.
pub mod text {
    use super::*;

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

/// `PASSWORD` fields: like [`text`], kept as a [`Secret`] so a record's
/// `Debug` never shows it.
pub mod secret {
    use super::*;

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

/// Option-set enums made by [`options!`](crate::ispconfig_options): read
/// from a string or a number, never failing on a value the form does not
/// list (it becomes `Unknown`).
pub fn option_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match text_of(raw(d)?).map_err(de::Error::custom)? {
        Some(s) => Ok(s),
        None => Err(de::Error::custom("expected an option, got nil")),
    }
}

/// A record as a [`Value`] map, for sending. Records are structs of strings,
/// numbers, booleans and a string-keyed map, which always serialize; should
/// one ever fail, the answer is `Value::Null` (never a panic), which the
/// panel rejects loudly.
pub fn record_value<T: Serialize>(record: &T) -> Value {
    to_value(record).unwrap_or(Value::Null)
}

/// Declares an enum for the options of a `SELECT`/`RADIO` field, with an
/// `Unknown(String)` variant for values the form does not list, `as_str`,
/// `From<&str>`, and serde that reads strings or numbers and writes the
/// option's string.
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

/// Adds `From<Record> for Value` and `From<&Record> for Value` to a record
/// type, so a record goes wherever a generated method takes `impl Into<Value>`.
#[macro_export]
macro_rules! ispconfig_record {
    ($($name:ident),* $(,)?) => {
        $(
            impl From<$name> for $crate::soap::Value {
                fn from(record: $name) -> Self {
                    $crate::ispconfig::fields::record_value(&record)
                }
            }

            impl From<&$name> for $crate::soap::Value {
                fn from(record: &$name) -> Self {
                    $crate::ispconfig::fields::record_value(record)
                }
            }
        )*
    };
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;
    use serde::{Deserialize, Serialize};

    use crate::soap::{from_value, Value};

    crate::ispconfig_options! {
        /// Test options.
        pub enum Php { Fpm = "php-fpm", Empty = "", }
    }

    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    #[serde(default)]
    struct Rec {
        #[serde(skip_serializing_if = "Option::is_none", with = "super::int")]
        ttl: Option<i64>,
        #[serde(skip_serializing_if = "Option::is_none", with = "super::float")]
        price: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none", with = "super::text")]
        name: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none", with = "super::yn_upper")]
        active: Option<bool>,
        #[serde(skip_serializing_if = "Option::is_none", with = "super::secret")]
        password: Option<crate::Secret>,
        #[serde(skip_serializing_if = "Option::is_none")]
        php: Option<Php>,
        #[serde(flatten)]
        other: BTreeMap<String, Value>,
    }
    crate::ispconfig_record!(Rec);

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
            ("sys_userid", s("1")),
            ("serial", Value::Null),
        ]);
        let rec: Rec = from_value(row).unwrap();
        assert_eq!(rec.ttl, Some(3600));
        assert_eq!(rec.price, Some(1.5));
        assert_eq!(rec.active, Some(true));
        assert_eq!(rec.php, Some(Php::Fpm));
        assert_eq!(rec.other["sys_userid"], s("1"));
        assert!(!format!("{rec:?}").contains("$6$x"), "password redacted");
        let back = Value::from(&rec);
        assert_eq!(back.get("ttl"), Some(&Value::Int(3600)));
        assert_eq!(back.get("active"), Some(&s("Y")));
        assert_eq!(back.get("password"), Some(&s("$6$x")));
        assert_eq!(
            back.get("serial"),
            Some(&Value::Null),
            "unknown fields kept as they are"
        );
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
    }

    #[test]
    fn wrong_values_are_errors_not_panics() {
        for (field, v) in [
            ("ttl", s("ten")),
            ("active", s("maybe")),
            ("ttl", Value::Bool(true)),
            ("name", Value::Bool(true)),
        ] {
            let err = from_value::<Rec>(map(&[(field, v.clone())])).unwrap_err();
            assert!(err.to_string().contains("expected"), "{field} {v:?}: {err}");
        }
    }

    #[test]
    fn unlisted_options_are_unknown() {
        let rec: Rec = from_value(map(&[("php", s("hhvm"))])).unwrap();
        assert_eq!(rec.php, Some(Php::Unknown("hhvm".into())));
        assert_eq!(Value::from(&rec).get("php"), Some(&s("hhvm")));
        let rec: Rec = from_value(map(&[("php", Value::Int(7))])).unwrap();
        assert_eq!(rec.php.as_ref().map(Php::as_str), Some("7"));
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
            prop_assume!(!["ttl", "price", "name", "active", "password", "php"].contains(&key.as_str()));
            let row = map(&[("name", s(&name)), (key.as_str(), s(&other))]);
            let rec: Rec = from_value(row).unwrap();
            let back = Value::from(&rec);
            prop_assert_eq!(back.get("name"), Some(&s(&name)));
            prop_assert_eq!(back.get(&key), Some(&s(&other)));
            let again: Rec = from_value(back).unwrap();
            prop_assert_eq!(again, rec);
        }

        #[test]
        fn any_scalar_decodes_or_errors_without_panicking(text in ".{0,12}", i in any::<i64>(), f in any::<f64>(), b in any::<bool>()) {
            for v in [s(&text), Value::Int(i), Value::Float(f), Value::Bool(b), Value::Null, Value::List(vec![])] {
                for field in ["ttl", "price", "name", "active", "password", "php"] {
                    let _ = from_value::<Rec>(map(&[(field, v.clone())]));
                }
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
