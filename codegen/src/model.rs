//! The inventory: the contract between extractors and emitters.
//!
//! One JSON document per panel version, pretty-printed with sorted keys (maps are
//! `BTreeMap`s, lists keep their upstream order) so that diffs review well.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The inventory format version; bump it when the shape of this model changes.
/// 2: ISPConfig form definitions ([`Inventory::forms`]) and the form link of
/// SOAP operations ([`Protocol::Soap`]'s `form`); format-1 inventories still load.
pub const FORMAT_VERSION: u32 = 2;

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
    /// Form definitions that operations read or write records through
    /// (ISPConfig `*.tform.php`), by path relative to the checkout root.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub forms: BTreeMap<String, Form>,
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
        /// The form the method reads or writes its records through, when it
        /// uses one (a key of [`Inventory::forms`]).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        form: Option<FormLink>,
    },
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
    },
    /// A closed set of string values.
    Enum {
        /// Where it is defined upstream.
        source_location: String,
        /// The values.
        values: Vec<String>,
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
}

/// How an operation goes through a form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormLink {
    /// The form (a key of [`Inventory::forms`]).
    pub form: String,
    /// What the method does with records of the form, each once, in order.
    pub access: Vec<FormAccess>,
    /// Forms the method uses instead under a condition (ISPConfig's
    /// `client_add` takes the reseller form when `limit_client` is set).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<AlternativeForm>,
}

/// What an operation does with a form's records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FormAccess {
    /// Answers with what the form's reader returns (a record, or a list of them).
    Read,
    /// Inserts its `params` through the form.
    Insert,
    /// Updates a record with its `params` through the form.
    Update,
    /// Deletes a record through the form.
    Delete,
}

/// A form used instead of the main one under a condition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlternativeForm {
    /// The form (a key of [`Inventory::forms`]).
    pub form: String,
    /// The upstream condition choosing it, as written.
    pub when: String,
}

/// A form definition: the record a group of operations reads and writes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Form {
    /// The form's own name (`$form["name"]`), when it states a literal one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Database table of its records.
    pub db_table: String,
    /// The table's primary key column (not one of the fields).
    pub db_table_idx: String,
    /// Fields by name.
    pub fields: BTreeMap<String, FormField>,
}

/// One field of a form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormField {
    /// The tab that holds it.
    pub tab: String,
    /// It exists only under a condition (its tab or field is added inside an
    /// `if`, or the form's code decides at run time).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub conditional: bool,
    /// Stored datatype as upstream names it (`INTEGER`, `VARCHAR`, `DOUBLE`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub datatype: Option<String>,
    /// Form control (`TEXT`, `SELECT`, `CHECKBOX`, `RADIO`, `PASSWORD`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formtype: Option<String>,
    /// The form's default (applied by the panel's own UI, not by remote inserts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<FieldDefault>,
    /// Option keys of a `SELECT`/`RADIO`/`MULTIPLE`, or `[off, on]` of a
    /// `CHECKBOX`, when the form lists them literally.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<String>>,
    /// Validators in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub validators: Vec<Validator>,
}

/// A field's default.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldDefault {
    /// A literal (string, number, boolean, null or literal array), as JSON.
    Literal(serde_json::Value),
    /// Computed at run time (an expression, a variable, a call); not recorded.
    NotLiteral,
}

/// A validator of a form field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Validator {
    /// Validator type (`NOTEMPTY`, `REGEX`, `ISINT`, `UNIQUE`, `CUSTOM`, …),
    /// when literal.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Language key of the error message, when literal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errmsg: Option<String>,
    /// The regular expression of a `REGEX` validator, when literal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regex: Option<String>,
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
