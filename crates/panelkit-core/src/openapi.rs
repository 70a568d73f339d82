//! Small helpers the OpenAPI-generated crates use, so that generated code
//! stays short and compiles fast:
//!
//! - [`string_enum!`](crate::string_enum): a string enum with an `Unknown(String)`
//!   variant (a value this client does not know decodes instead of failing)
//!   and hand-written serde impls (no derive per enum);
//! - [`one_of_order`]: which `oneOf` alternative an answer most likely is;
//! - serde for [`Secret`] (password fields of generated types).

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::Secret;

#[doc(hidden)]
pub use serde as __serde;

/// Defines a string enum with an `Unknown(String)` variant.
///
/// ```
/// panelkit_core::string_enum! {
///     /// Sort order.
///     pub enum Order {
///         /// Ascending.
///         Asc = "ASC",
///         /// Descending.
///         Desc = "DESC",
///     }
/// }
/// assert_eq!(Order::Asc.as_str(), "ASC");
/// let o: Order = serde_json::from_str("\"sideways\"").unwrap();
/// assert_eq!(o, Order::Unknown("sideways".into()));
/// assert_eq!(serde_json::to_string(&o).unwrap(), "\"sideways\"");
/// ```
///
/// `Default` is `Unknown("")`: what a field the server left out decodes as.
#[macro_export]
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $value:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value this client does not know (or, as the default, none).
            Unknown(::std::string::String),
        }

        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $value, )*
                    Self::Unknown(other) => other,
                }
            }

            /// The variant for a wire value.
            pub fn from_wire(value: &str) -> Self {
                match value {
                    $( $value => Self::$variant, )*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl ::std::default::Default for $name {
            fn default() -> Self {
                Self::Unknown(::std::string::String::new())
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::openapi::__serde::Serialize for $name {
            fn serialize<S: $crate::openapi::__serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::openapi::__serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::openapi::__serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let text: ::std::borrow::Cow<'de, str> =
                    $crate::openapi::__serde::Deserialize::deserialize(deserializer)?;
                ::std::result::Result::Ok(Self::from_wire(&text))
            }
        }
    };
}

/// The order in which to try the alternatives of a `oneOf` for `value`:
/// objects first by how many of their keys an alternative declares (most
/// first), ties in declared order. `known[i]` is alternative `i`'s field
/// names (empty for a non-object alternative).
///
/// Generated types are lenient (unknown fields are ignored, every field is
/// optional), so the first alternative would otherwise accept anything; this
/// is how SFTPGo's `dumpdata` answer decodes as `BackupData`, not as its
/// sibling `ApiResponse`.
pub fn one_of_order(value: &serde_json::Value, known: &[&[&str]]) -> Vec<usize> {
    let keys: Vec<&str> = match value {
        serde_json::Value::Object(map) => map.keys().map(String::as_str).collect(),
        _ => Vec::new(),
    };
    let mut order: Vec<(usize, usize)> = known
        .iter()
        .enumerate()
        .map(|(i, fields)| (i, keys.iter().filter(|k| fields.contains(k)).count()))
        .collect();
    order.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    order.into_iter().map(|(i, _)| i).collect()
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.expose())
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::string_enum! {
        /// Test enum.
        pub enum Perm {
            /// All.
            Star = "*",
            /// List.
            List = "list",
        }
    }

    #[test]
    fn string_enums_round_trip_and_keep_unknown_values() {
        let all: Vec<Perm> = serde_json::from_str(r#"["*","list","new"]"#).unwrap();
        assert_eq!(all, [Perm::Star, Perm::List, Perm::Unknown("new".into())]);
        assert_eq!(
            serde_json::to_string(&all).unwrap(),
            r#"["*","list","new"]"#
        );
        assert!(serde_json::from_str::<Perm>("1").is_err());
        assert_eq!(Perm::default().as_str(), "");
    }

    #[test]
    fn one_of_prefers_the_alternative_that_knows_the_keys() {
        let api: &[&str] = &["message", "error"];
        let backup: &[&str] = &["users", "folders", "version"];
        let dump = serde_json::json!({"users": [], "version": 17});
        assert_eq!(one_of_order(&dump, &[api, backup]), [1, 0]);
        let msg = serde_json::json!({"message": "saved"});
        assert_eq!(one_of_order(&msg, &[api, backup]), [0, 1]);
        assert_eq!(one_of_order(&serde_json::json!({}), &[api, backup]), [0, 1]);
    }

    #[test]
    fn secrets_serialize_as_strings() {
        let s: Secret = serde_json::from_str("\"pw\"").unwrap();
        assert_eq!(s.expose(), "pw");
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"pw\"");
    }
}
