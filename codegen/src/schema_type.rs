//! The type expressions HTTP inventories use for parameters, fields, bodies
//! and responses: one short string per type, so inventories and their diffs
//! stay readable.
//!
//! ```text
//! string  string(date-time)  integer(int64)  number  boolean  any
//! [T]     array of T
//! {T}     map from string keys to T (`additionalProperties`)
//! #Name   the named type `Name` of the inventory
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};

/// A parsed type expression. Inventories hold it in its text form (serde
/// reads and writes exactly that text), so their files stay readable.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum SchemaType {
    /// A string, with its `format` (`date-time`, `binary`, `password`, ...).
    String(Option<String>),
    /// An integer, with its `format` (`int32`, `int64`).
    Integer(Option<String>),
    /// A number, with its `format` (`float`, `double`).
    Number(Option<String>),
    /// A boolean.
    Boolean,
    /// Any JSON value.
    Any,
    /// An array.
    Array(Box<SchemaType>),
    /// A map with string keys.
    Map(Box<SchemaType>),
    /// A named type of the inventory.
    Ref(String),
}

impl SchemaType {
    /// Parses a type expression; `None` when it is not one.
    pub fn parse(text: &str) -> Option<SchemaType> {
        let text = text.trim();
        if let Some(inner) = text.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
            return Some(SchemaType::Array(Box::new(Self::parse(inner)?)));
        }
        if let Some(inner) = text.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
            return Some(SchemaType::Map(Box::new(Self::parse(inner)?)));
        }
        if let Some(name) = text.strip_prefix('#') {
            return (!name.is_empty()).then(|| SchemaType::Ref(name.to_owned()));
        }
        let (base, format) = match text.split_once('(') {
            Some((base, rest)) => (base, Some(rest.strip_suffix(')')?.to_owned())),
            None => (text, None),
        };
        match base {
            "string" => Some(SchemaType::String(format)),
            "integer" => Some(SchemaType::Integer(format)),
            "number" => Some(SchemaType::Number(format)),
            "boolean" if format.is_none() => Some(SchemaType::Boolean),
            "any" if format.is_none() => Some(SchemaType::Any),
            _ => None,
        }
    }

    /// Whether this is a binary string (`format: binary`): a file or stream.
    pub fn is_binary(&self) -> bool {
        matches!(self, SchemaType::String(Some(f)) if f == "binary")
    }

    /// Every named type this expression mentions.
    pub fn refs(&self) -> Vec<&str> {
        match self {
            SchemaType::Ref(name) => vec![name],
            SchemaType::Array(inner) | SchemaType::Map(inner) => inner.refs(),
            _ => Vec::new(),
        }
    }
}

impl fmt::Display for SchemaType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scalar = |f: &mut fmt::Formatter<'_>, base: &str, format: &Option<String>| match format
        {
            Some(format) => write!(f, "{base}({format})"),
            None => f.write_str(base),
        };
        match self {
            SchemaType::String(format) => scalar(f, "string", format),
            SchemaType::Integer(format) => scalar(f, "integer", format),
            SchemaType::Number(format) => scalar(f, "number", format),
            SchemaType::Boolean => f.write_str("boolean"),
            SchemaType::Any => f.write_str("any"),
            SchemaType::Array(inner) => write!(f, "[{inner}]"),
            SchemaType::Map(inner) => write!(f, "{{{inner}}}"),
            SchemaType::Ref(name) => write!(f, "#{name}"),
        }
    }
}

impl TryFrom<String> for SchemaType {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        SchemaType::parse(&value).ok_or_else(|| format!("bad type expression {value:?}"))
    }
}

impl From<SchemaType> for String {
    fn from(value: SchemaType) -> Self {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for text in [
            "string",
            "string(date-time)",
            "integer(int64)",
            "number",
            "boolean",
            "any",
            "[#User]",
            "{[#Permission]}",
            "[[string(binary)]]",
        ] {
            let parsed = SchemaType::parse(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(parsed.to_string(), text);
        }
        assert_eq!(SchemaType::parse("#"), None);
        assert_eq!(SchemaType::parse("boolean(x)"), None);
        assert_eq!(SchemaType::parse("object"), None);
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn format() -> impl Strategy<Value = Option<String>> {
        prop::option::of("[a-z][a-z0-9-]{0,10}")
    }

    fn schema_type() -> impl Strategy<Value = SchemaType> {
        let leaf = prop_oneof![
            format().prop_map(SchemaType::String),
            format().prop_map(SchemaType::Integer),
            format().prop_map(SchemaType::Number),
            Just(SchemaType::Boolean),
            Just(SchemaType::Any),
            "[A-Za-z][A-Za-z0-9_]{0,12}".prop_map(SchemaType::Ref),
        ];
        leaf.prop_recursive(4, 16, 1, |inner| {
            prop_oneof![
                inner.clone().prop_map(|t| SchemaType::Array(Box::new(t))),
                inner.prop_map(|t| SchemaType::Map(Box::new(t))),
            ]
        })
    }

    proptest! {
        #[test]
        fn display_then_parse_is_identity(t in schema_type()) {
            prop_assert_eq!(SchemaType::parse(&t.to_string()), Some(t));
        }

        #[test]
        fn parse_never_panics(text in ".{0,40}") {
            let _ = SchemaType::parse(&text);
        }
    }
}
