//! One database row as the panel answers it, and the answer shapes of the
//! panel's read methods turned into `Option` / `Vec`.
//!
//! ISPConfig answers reads through `remoting_lib::getDataRecord`, whose shape
//! depends on the argument: an id > 0 gives one record or nil (absent), `-1`
//! and a filter give a list (possibly empty), and other PHP paths give `false`
//! or an empty array. [`one`] and [`many`] accept every one of those shapes so
//! callers get `Option<Record>` / `Vec<Record>` whatever the panel sent, and
//! reject anything else as [`Error::UnexpectedResponse`].
//!
//! The helpers answer the generated typed records of the panel's forms
//! (`panelkit_ispconfig::records`); a [`Record`] is the dynamic row underneath
//! (every column as the panel sent it, in wire order), which the helpers
//! read-merge-write so that nothing is lost, and which [`Record::typed`] /
//! [`Record::from_typed`] convert to and from the typed records (fields the
//! form does not define travel in the typed record's `other`).

use panelkit_core::ispconfig::fields::FormRecord;
use panelkit_core::soap::Value;
use panelkit_core::{Error, Result};
use serde::ser::{Serialize, SerializeMap, Serializer};

/// One row of a panel table (`dns_rr`, `web_domain`, `mail_user`, ...): every
/// column the panel sent, in its order, as dynamic [`Value`]s (database rows
/// carry numbers as strings: use the typed getters). `Debug` masks its
/// secrets (see [`panelkit_core::redact`]).
#[derive(Clone, Default, PartialEq)]
pub struct Record {
    fields: Vec<(String, Value)>,
}

impl Record {
    /// An empty record.
    pub fn new() -> Self {
        Self::default()
    }

    /// The record in a panel answer: a map, or a typed error naming what came instead.
    pub fn from_value(value: Value) -> Result<Record> {
        match value {
            Value::Map(fields) => Ok(Record { fields }),
            other => Err(shape_error("a record (map)", &other)),
        }
    }

    /// The value of column `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.fields.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Column `key` as text: strings as they are, numbers and booleans in
    /// their decimal / `0`/`1` form; `None` for nil, lists, maps and absent columns.
    pub fn text(&self, key: &str) -> Option<String> {
        self.get(key).and_then(scalar_text)
    }

    /// Column `key` as an integer (`"12"` and `12` alike).
    pub fn int(&self, key: &str) -> Option<i64> {
        self.get(key).and_then(Value::as_i64)
    }

    /// Column `key` as a flag: `y`/`Y`/`1`/true are true, `n`/`N`/`0`/``/false false.
    pub fn flag(&self, key: &str) -> Option<bool> {
        match self.get(key)? {
            Value::Bool(b) => Some(*b),
            Value::Int(i) => Some(*i != 0),
            Value::String(s) => match s.as_str() {
                "y" | "Y" | "1" => Some(true),
                "n" | "N" | "0" | "" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    /// Sets column `key` (replacing its value in place, or appending it).
    pub fn set(&mut self, key: impl Into<String>, value: impl Into<Value>) {
        let key = key.into();
        let value = value.into();
        match self.fields.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => *v = value,
            None => self.fields.push((key, value)),
        }
    }

    /// Sets column `key` only when the record does not have it yet.
    pub fn set_default(&mut self, key: &str, value: impl Into<Value>) {
        if self.get(key).is_none() {
            self.fields.push((key.to_owned(), value.into()));
        }
    }

    /// Removes column `key`, answering its value.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let at = self.fields.iter().position(|(k, _)| k == key)?;
        Some(self.fields.remove(at).1)
    }

    /// Every column, in wire order.
    pub fn fields(&self) -> &[(String, Value)] {
        &self.fields
    }

    /// Whether the record has no columns.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// The record as a SOAP map, for sending.
    pub fn into_value(self) -> Value {
        Value::Map(self.fields)
    }

    /// The row as the typed record `T` of its form (`records::DnsA`,
    /// `records::WebVhostDomain`, ...): lenient as the generated decoders are,
    /// fields the form does not define kept in `T::other`, password fields
    /// dropped (they are write-only). A value the form cannot hold is
    /// [`Error::UnexpectedResponse`] naming the field.
    pub fn typed<T: FormRecord>(&self) -> Result<T> {
        self.clone().into_typed()
    }

    /// Like [`Record::typed`], consuming the row.
    pub fn into_typed<T: FormRecord>(self) -> Result<T> {
        decode(self.into_value())
    }

    /// The typed record as a row: its `Some` fields (strictly encoded) and
    /// its `other` fields.
    pub fn from_typed<T: FormRecord>(typed: &T) -> Record {
        match typed.to_value() {
            Value::Map(fields) => Record { fields },
            _ => Record::new(),
        }
    }

    /// The record as JSON (an object in wire order is not guaranteed:
    /// `serde_json` sorts keys unless its `preserve_order` feature is on).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }
}

impl<K: Into<String>, V: Into<Value>> FromIterator<(K, V)> for Record {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut record = Record::new();
        for (k, v) in iter {
            record.set(k, v);
        }
        record
    }
}

impl From<Record> for Value {
    fn from(record: Record) -> Self {
        record.into_value()
    }
}

/// Shown through the one redaction step: the names ISPConfig's inventory
/// classifies, the conservative rule and private key blocks.
impl std::fmt::Debug for Record {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut shown = Value::Map(self.fields.clone());
        panelkit_core::redact::Redactor::new(
            panelkit_ispconfig::records::SECRET_FIELDS.iter().copied(),
        )
        .soap(&mut shown);
        f.debug_struct("Record").field("fields", &shown).finish()
    }
}

impl Serialize for Record {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.fields.len()))?;
        for (k, v) in &self.fields {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// A scalar as the text MySQL would compare: strings as they are, integers in
/// decimal, booleans as `1`/`0` (PHP's `(string)true` is `1`, `false` is ``),
/// floats as Rust prints them.
pub(crate) fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Int(i) => Some(i.to_string()),
        Value::Bool(true) => Some("1".to_owned()),
        Value::Bool(false) => Some(String::new()),
        Value::Float(f) => Some(f.to_string()),
        Value::Null | Value::List(_) | Value::Map(_) => None,
    }
}

/// The answer of a get-one call (`*_get(id)` with an id > 0): `Some(record)`
/// for a record; `None` for nil (3.2.12p1's answer for an absent id), an empty
/// array (older panels' answer), or `false`. A list holding exactly one
/// record is that record; anything else is an unexpected response.
pub fn one(value: Value) -> Result<Option<Record>> {
    match value {
        Value::Null | Value::Bool(false) => Ok(None),
        Value::Map(fields) if fields.is_empty() => Ok(None),
        Value::Map(fields) => Ok(Some(Record { fields })),
        Value::List(items) if items.is_empty() => Ok(None),
        Value::List(mut items) if items.len() == 1 => one(items.remove(0)),
        other => Err(shape_error("one record, nil or an empty array", &other)),
    }
}

/// The answer of a get-all or filter call (`*_get(-1)`, `*_get({..})`):
/// every record of a list; `[]` for nil, `false` and empty arrays. A PHP
/// array keyed by integers arrives as a map of records and is taken in key
/// order as sent; a single record (a map of scalars) is a one-element list.
pub fn many(value: Value) -> Result<Vec<Record>> {
    match value {
        Value::Null | Value::Bool(false) => Ok(Vec::new()),
        Value::List(items) => items.into_iter().map(Record::from_value).collect(),
        Value::Map(fields) if fields.is_empty() => Ok(Vec::new()),
        Value::Map(fields) => {
            let keyed_rows = fields
                .iter()
                .all(|(k, v)| k.parse::<i64>().is_ok() && matches!(v, Value::Map(_)));
            if keyed_rows {
                fields
                    .into_iter()
                    .map(|(_, v)| Record::from_value(v))
                    .collect()
            } else {
                Ok(vec![Record { fields }])
            }
        }
        other => Err(shape_error(
            "a list of records, nil or an empty array",
            &other,
        )),
    }
}

/// A panel answer as the typed record `T`.
pub(crate) fn decode<T: FormRecord>(value: Value) -> Result<T> {
    let excerpt = format!("{value:?}");
    T::try_from(value).map_err(|e| {
        let name = std::any::type_name::<T>();
        let name = name.rsplit("::").next().unwrap_or(name);
        Error::unexpected(
            None,
            format!("the panel's row is no {name} record: {e}"),
            excerpt.as_bytes(),
        )
    })
}

/// The id the panel answers to an insert: an integer (or a string holding one) > 0.
pub(crate) fn new_id(method: &str, value: Value) -> Result<i64> {
    match value.as_i64() {
        Some(id) if id > 0 => Ok(id),
        _ => Err(shape_error(
            &format!("the new record's id (an integer > 0) from {method}"),
            &value,
        )),
    }
}

/// The affected-rows count an update or delete answers (`false` counts as 0).
pub(crate) fn affected_rows(method: &str, value: Value) -> Result<i64> {
    match value {
        Value::Bool(false) => Ok(0),
        Value::Bool(true) => Ok(1),
        other => other
            .as_i64()
            .ok_or_else(|| shape_error(&format!("an affected-rows count from {method}"), &other)),
    }
}

fn shape_error(expected: &str, got: &Value) -> Error {
    let kind = match got {
        Value::Null => "nil",
        Value::Bool(_) => "a boolean",
        Value::Int(_) => "an integer",
        Value::Float(_) => "a float",
        Value::String(_) => "a string",
        Value::List(_) => "a list",
        Value::Map(_) => "a map",
    };
    let excerpt = format!("{got:?}");
    Error::unexpected(
        None,
        format!("expected {expected}, got {kind}"),
        excerpt.as_bytes(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn row(id: &str) -> Value {
        Value::Map(vec![
            ("id".into(), id.into()),
            ("name".into(), "www".into()),
        ])
    }

    #[test]
    fn one_accepts_every_shape_the_panel_sends() {
        assert_eq!(one(Value::Null).unwrap(), None);
        assert_eq!(one(Value::List(vec![])).unwrap(), None);
        assert_eq!(one(Value::Map(vec![])).unwrap(), None);
        assert_eq!(one(Value::Bool(false)).unwrap(), None);
        assert_eq!(one(row("1")).unwrap().unwrap().int("id"), Some(1));
        assert_eq!(
            one(Value::List(vec![row("2")])).unwrap().unwrap().int("id"),
            Some(2)
        );
        assert!(one(Value::List(vec![row("1"), row("2")])).is_err());
        assert!(matches!(
            one(Value::String("<div>".into())),
            Err(Error::UnexpectedResponse { .. })
        ));
    }

    #[test]
    fn many_accepts_every_shape_the_panel_sends() {
        assert!(many(Value::Null).unwrap().is_empty());
        assert!(many(Value::Bool(false)).unwrap().is_empty());
        assert!(many(Value::List(vec![])).unwrap().is_empty());
        assert!(many(Value::Map(vec![])).unwrap().is_empty());
        assert_eq!(
            many(Value::List(vec![row("1"), row("2")])).unwrap().len(),
            2
        );
        // A single record where a list was expected.
        assert_eq!(many(row("7")).unwrap()[0].int("id"), Some(7));
        // A PHP array keyed by ids.
        let keyed = Value::Map(vec![("3".into(), row("3")), ("9".into(), row("9"))]);
        let ids: Vec<_> = many(keyed).unwrap().iter().map(|r| r.int("id")).collect();
        assert_eq!(ids, [Some(3), Some(9)]);
        assert!(many(Value::List(vec![Value::Int(1)])).is_err());
        assert!(many(Value::String("x".into())).is_err());
    }

    #[test]
    fn getters_are_lenient_like_database_rows() {
        let r: Record = [
            ("id", Value::from("12")),
            ("active", "Y".into()),
            ("n", Value::Int(3)),
            ("off", "n".into()),
        ]
        .into_iter()
        .collect();
        assert_eq!(r.int("id"), Some(12));
        assert_eq!(r.int("n"), Some(3));
        assert_eq!(r.text("n").as_deref(), Some("3"));
        assert_eq!(r.flag("active"), Some(true));
        assert_eq!(r.flag("off"), Some(false));
        assert_eq!(r.flag("missing"), None);
    }

    #[test]
    fn set_replaces_in_place_and_set_default_keeps() {
        let mut r: Record = [("a", 1), ("b", 2)].into_iter().collect();
        r.set("a", 9);
        r.set_default("b", 7);
        r.set_default("c", 3);
        let keys: Vec<_> = r.fields().iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["a", "b", "c"]);
        assert_eq!(r.int("a"), Some(9));
        assert_eq!(r.int("b"), Some(2));
        assert_eq!(r.remove("b"), Some(Value::Int(2)));
        assert_eq!(r.get("b"), None);
    }

    #[test]
    fn insert_and_update_answers() {
        assert_eq!(new_id("m", Value::Int(5)).unwrap(), 5);
        assert_eq!(new_id("m", "6".into()).unwrap(), 6);
        assert!(new_id("m", Value::Bool(false)).is_err());
        assert!(new_id("m", Value::Int(0)).is_err());
        assert_eq!(affected_rows("m", Value::Int(0)).unwrap(), 0);
        assert_eq!(affected_rows("m", Value::Bool(false)).unwrap(), 0);
        assert!(affected_rows("m", "<div>".into()).is_err());
    }

    fn arb_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::Int),
            ".{0,8}".prop_map(Value::String),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::List),
                proptest::collection::vec(("[a-z0-9]{0,3}", inner), 0..4).prop_map(Value::Map),
            ]
        })
    }

    proptest! {
        /// Whatever the panel sends, shape handling answers or errs; it never panics,
        /// and a map of scalars is always exactly one record.
        #[test]
        fn shapes_never_panic(v in arb_value()) {
            let _ = one(v.clone());
            let _ = many(v.clone());
            if let Value::Map(fields) = &v {
                if !fields.is_empty() && fields.iter().all(|(_, x)| !matches!(x, Value::Map(_) | Value::List(_))) {
                    let got = one(v.clone()).unwrap().unwrap();
                    prop_assert_eq!(got.fields(), &fields[..]);
                }
            }
        }
    }
}
