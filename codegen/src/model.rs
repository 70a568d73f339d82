//! The inventory: the contract between extractors and emitters.
//!
//! One JSON document per panel version, pretty-printed with sorted keys (maps are
//! `BTreeMap`s, lists keep their upstream order) so that diffs review well.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The inventory format version; bump it when the shape of this model changes.
pub const FORMAT_VERSION: u32 = 1;

/// Everything a generator needs to know about one version of one panel's API.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inventory {
    /// Inventory format version ([`FORMAT_VERSION`]).
    pub format: u32,
    /// Panel name, e.g. `ispconfig`.
    pub panel: String,
    /// The panel version this inventory describes, e.g. `3.2.12p1`.
    pub upstream_version: String,
    /// Where the inventory was extracted from.
    pub source: Source,
    /// Which extractor produced it.
    pub extractor: Extractor,
    /// Every callable operation, in a stable order (by name).
    pub operations: Vec<Operation>,
    /// Named record and enum types, where the upstream states them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub types: BTreeMap<String, TypeDef>,
}

/// Provenance of an inventory.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Public repository the sources came from, if known (`owner/name`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
    /// Release tag, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// Commit id, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// Path of the root the extractor read, relative to the repository, or a
    /// description of the input (a dump file name, a spec file).
    pub root: String,
    /// SHA-256 over the input files the extractor read (sorted by path; each
    /// file contributes its path, a NUL, its bytes and a NUL).
    pub sha256: String,
    /// The input files, relative to the checkout (or dump) root — not to
    /// `root`, since module files live outside it — in the order they were read.
    pub files: Vec<String>,
}

/// The extractor that produced an inventory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Extractor {
    /// Extractor name, e.g. `ispconfig-php`.
    pub name: String,
    /// Extractor version; bumped when its output for the same input changes.
    pub version: String,
}

/// One remote operation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Operation {
    /// Upstream name (SOAP method, COREmanager function, OpenAPI operationId).
    pub name: String,
    /// One-line summary, when the upstream states one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Where it is defined upstream: `path:line`, or `METHOD /path`.
    pub source_location: String,
    /// API area: ISPConfig remote.d file stem, OpenAPI tag, ...
    pub group: String,
    /// Parameters in wire order.
    pub params: Vec<Param>,
    /// What the operation returns, when upstream states it (PHPDoc `@return`, schema).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returns: Option<String>,
    /// Protocol-specific facts.
    pub protocol: Protocol,
}

/// One parameter of an operation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Param {
    /// Upstream parameter name (without PHP's `$`).
    pub name: String,
    /// Declared type, if upstream declares one (PHP type hint, schema type).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ty: Option<String>,
    /// Whether a caller must give it.
    pub required: bool,
    /// The default, as written upstream (a PHP literal such as `null`, `''`,
    /// `array()`, `false`, `-1`), when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// PHP passes this parameter by reference (`&$x`); over SOAP it is still a
    /// plain value.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub by_ref: bool,
    /// Where an HTTP parameter travels (`path`, `query`, `header`, `cookie`);
    /// absent for RPC parameters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// For an array in the query: `true` repeats the name (`a=1&a=2`),
    /// `false` joins the values with commas (`a=1,2`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explode: Option<bool>,
    /// One-line summary of the parameter, when upstream gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
}

/// Protocol-specific facts about an operation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Protocol {
    /// A PHP `SoapServer` RPC method (ISPConfig).
    Soap {
        /// PHP class whose method serves the call.
        class: String,
        /// The first parameter is the session id, which the client supplies.
        session: bool,
        /// Other declarations of the same name that the dispatcher does not
        /// serve, with the reason; empty when the name is declared once.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        shadowed: Vec<Shadowed>,
    },
    /// An HTTP operation from an OpenAPI document. Types are
    /// [`crate::schema_type`] expressions.
    Http {
        /// HTTP method, upper case.
        method: String,
        /// Path template relative to the server (`/users/{username}`).
        path: String,
        /// A server override for this path or operation (`/` for SFTPGo's
        /// `/healthz`); absent when the document's servers apply.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        server: Option<String>,
        /// Security schemes the operation accepts, each alone (empty: none).
        security: Vec<String>,
        /// The request body per content type, in upstream order.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        request_bodies: Vec<HttpBody>,
        /// Responses by status (`200`, `4XX`, `default`), in upstream order.
        responses: Vec<HttpResponse>,
        /// Marked deprecated upstream.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        deprecated: bool,
    },
}

/// A request body for one content type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpBody {
    /// Content type (`application/json`, `multipart/form-data`, `text/*`).
    pub content_type: String,
    /// The body's type, when a schema is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ty: Option<String>,
    /// Whether the body must be sent.
    pub required: bool,
}

/// One declared response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpResponse {
    /// Status code, a range (`4XX`) or `default`.
    pub status: String,
    /// One-line summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Body per content type (empty: no body).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub content: Vec<HttpContent>,
    /// Declared response headers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<HttpHeader>,
}

/// A response body for one content type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpContent {
    /// Content type (`application/json`, `text/csv`, `*/*`).
    pub content_type: String,
    /// The body's type, when a schema is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ty: Option<String>,
}

/// A declared response header.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpHeader {
    /// Header name as upstream spells it (`Location`, `X-Object-ID`).
    pub name: String,
    /// Its type.
    pub ty: String,
    /// One-line summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
}

/// A declaration that lost to another of the same name in the dispatcher.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shadowed {
    /// Where the losing declaration is (`path:line`).
    pub source_location: String,
    /// Its class.
    pub class: String,
    /// Why the dispatcher does not serve it.
    pub reason: String,
}

/// A named type (record or enum).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum TypeDef {
    /// A record with named fields.
    Record {
        /// Where it is defined upstream.
        source_location: String,
        /// Fields by name.
        fields: BTreeMap<String, Field>,
        /// One-line summary.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        summary: Option<String>,
        /// Named types whose fields were merged in (`allOf`), in upstream order.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        all_of: Vec<String>,
    },
    /// A closed set of string values.
    Enum {
        /// Where it is defined upstream.
        source_location: String,
        /// The values.
        values: Vec<String>,
        /// One-line summary.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        summary: Option<String>,
    },
    /// A name for another type expression (an integer enum, an array).
    Alias {
        /// Where it is defined upstream.
        source_location: String,
        /// The type expression.
        ty: String,
        /// Allowed values, when upstream restricts them (integer enums).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        values: Vec<String>,
        /// One-line summary.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        summary: Option<String>,
    },
    /// Exactly one of several types (`oneOf`).
    OneOf {
        /// Where it is defined upstream.
        source_location: String,
        /// The alternatives, type expressions in upstream order.
        variants: Vec<String>,
        /// One-line summary.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        summary: Option<String>,
    },
}

/// A field of a record type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// Declared type as upstream names it.
    pub ty: String,
    /// Whether it must be present.
    pub required: bool,
    /// Default as written upstream.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// `null` is a valid value.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub nullable: bool,
    /// One-line summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
}

impl Inventory {
    /// Reads an inventory from JSON text.
    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// Writes the canonical form: pretty JSON, sorted map keys, trailing newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("inventory serializes");
        text.push('\n');
        text
    }

    /// Looks an operation up by name.
    pub fn operation(&self, name: &str) -> Option<&Operation> {
        self.operations.iter().find(|op| op.name == name)
    }
}
