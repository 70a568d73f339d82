//! The inventory: the contract between extractors and emitters.
//!
//! One JSON document per panel version, pretty-printed with sorted keys (maps are
//! `BTreeMap`s, lists keep their upstream order) so that diffs review well.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::schema_type::SchemaType;

/// The inventory format version; bump it when the shape of this model changes.
/// 2: ISPConfig form definitions ([`Inventory::forms`]) and the form link of
/// SOAP operations ([`Protocol::Soap`]'s `form`); format-1 inventories still load.
/// 3: secrecy classes of form fields ([`FormField::secrecy`]) and of the
/// fields answers carry outside any form ([`Inventory::answer_secrets`]);
/// older inventories still load (without them, only `PASSWORD` fields are
/// secret).
pub const FORMAT_VERSION: u32 = 3;

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
    /// Secret fields that a method's answer carries outside any form (a
    /// table column no form defines, keys of configuration sections), by
    /// method name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub answer_secrets: BTreeMap<String, Vec<AnswerSecret>>,
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
    /// Declared type, if upstream declares one: a PHP type hint for SOAP
    /// operations (`?string`, `array`), a [`crate::schema_type`] expression
    /// for HTTP ones. It stays text because one field holds both languages
    /// (a PHP `int` is no type expression); [`Inventory::from_json`] checks
    /// that HTTP ones parse, and [`Param::schema_type`] gives them parsed.
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
    /// Where an HTTP parameter travels; absent for RPC parameters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<ParamLocation>,
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
        /// The form the method reads or writes its records through, when it
        /// uses one (a key of [`Inventory::forms`]).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        form: Option<FormLink>,
        /// The permission checks the call makes: each function name the
        /// method's body passes to `checkPerm()` (itself, or another:
        /// `client_get_by_groupid` checks `client_get_id`; the method's own
        /// name when the body builds the name at run time), with the remote
        /// users' function groups that allow it. Empty for methods that check
        /// nothing (`login`).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        permissions: Vec<PermissionCheck>,
        /// The faults the call can raise: each `throw new SoapFault(code,
        /// message)` / `$this->server->fault(code, message)` of its body and
        /// of the methods it calls on `$this`, in source order, each once.
        /// Over JSON (`remote/json.php`) only the message arrives, so the
        /// client finds the code again from these.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        faults: Vec<FaultThrow>,
    },
    /// An HTTP operation from an OpenAPI document. Types are
    /// [`crate::schema_type`] expressions.
    Http {
        /// HTTP method (upper case in inventories).
        method: HttpMethod,
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
    /// A COREmanager-family function (ISPmanager, BILLmanager, ...): `func=NAME`
    /// with named parameters.
    Coremanager {
        /// Manager the function belongs to (`ispmgr`, `billmgr`, ...).
        manager: String,
        /// What kind of document the function works with.
        function_type: FunctionType,
        /// Access levels that may call it, as upstream lists them
        /// (`admin`, `reseller`, `user`, `admin+`, ...).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        access: Vec<String>,
        /// Columns of a list function's rows, in upstream order.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        columns: Vec<Column>,
        /// For functions taking `elid`: the list function (and its column)
        /// whose elements it names, e.g. `webdomain:name`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        elid_of: Option<String>,
        /// For functions taking `plid`: the parent list function (and column).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        plid_of: Option<String>,
    },
}

/// One `checkPerm()` of an ISPConfig remote method.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PermissionCheck {
    /// The function name checked (`client_get_id`).
    pub function: String,
    /// The labels of the `$function_list` entries that list it, in
    /// `interface/web/*/lib/remote.conf.php` glob order: ticking any one of
    /// them for a remote user (System → Remote Users) allows the check.
    pub groups: Vec<String>,
}

/// One fault an ISPConfig remote method can raise.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultThrow {
    /// The fault code (`no_client_found`, `permission_denied`).
    pub code: String,
    /// The message as written upstream: literal text and the PHP
    /// expressions concatenated or interpolated into it.
    pub message: Vec<MessagePart>,
}

/// A piece of a fault message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum MessagePart {
    /// Literal text.
    Text(String),
    /// A PHP expression whose value is inserted at run time (`$id`).
    Expr(String),
}

/// Kind of a COREmanager function, as `mgrctl -i` and the generated API
/// reference state it. Unknown kinds are kept as written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum FunctionType {
    /// Returns rows (`elem`).
    List,
    /// Shows an object's fields; applies them with `sok=ok`.
    Form,
    /// Does something to one element and answers ok.
    Action,
    /// Does something to several elements (`elid` joined with `", "`).
    Group,
    /// Returns a report.
    Report,
    /// Anything else, as upstream names it.
    Other(String),
}

impl FunctionType {
    /// The name used in inventories.
    pub fn as_str(&self) -> &str {
        match self {
            FunctionType::List => "list",
            FunctionType::Form => "form",
            FunctionType::Action => "action",
            FunctionType::Group => "group",
            FunctionType::Report => "report",
            FunctionType::Other(other) => other,
        }
    }
}

impl From<String> for FunctionType {
    fn from(value: String) -> Self {
        match value.trim().to_ascii_lowercase().as_str() {
            "list" => FunctionType::List,
            "form" => FunctionType::Form,
            "action" => FunctionType::Action,
            "group" | "group operation" | "groupaction" => FunctionType::Group,
            "report" => FunctionType::Report,
            _ => FunctionType::Other(value),
        }
    }
}

impl From<FunctionType> for String {
    fn from(value: FunctionType) -> Self {
        value.as_str().to_owned()
    }
}

/// A column of a COREmanager list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    /// Column (element) name.
    pub name: String,
    /// Its label, when upstream gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
}

/// A request body for one content type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpBody {
    /// Content type (`application/json`, `multipart/form-data`, `text/*`).
    pub content_type: String,
    /// The body's type, when a schema is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ty: Option<SchemaType>,
    /// Whether the body must be sent.
    pub required: bool,
}

/// One declared response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpResponse {
    /// Status code, a range (`4XX`) or `default`.
    pub status: ResponseStatus,
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
    pub ty: Option<SchemaType>,
}

/// A declared response header.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpHeader {
    /// Header name as upstream spells it (`Location`, `X-Object-ID`).
    pub name: String,
    /// Its type.
    pub ty: SchemaType,
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
        ty: SchemaType,
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
        variants: Vec<SchemaType>,
        /// One-line summary.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        summary: Option<String>,
    },
}

/// A field of a record type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// Declared type ([`crate::schema_type`] expression: only HTTP
    /// inventories name record types).
    pub ty: SchemaType,
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
    /// What kind of secret it holds, and where that was read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secrecy: Option<Secrecy>,
}

/// A secret field's class and the source of that classification.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Secrecy {
    /// The class.
    pub class: SecrecyClass,
    /// Where it comes from: `formtype PASSWORD`, or the named fixup and the
    /// upstream file and line it cites.
    pub source: String,
}

/// What kind of secret a field holds (`panelkit_core::ispconfig::fields::Secrecy`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SecrecyClass {
    /// A password the panel hashes: write-only.
    Password,
    /// Private key material: never displayed, never sent back unless set.
    Key,
    /// A plaintext secret the panel needs: shown only on request.
    Credential,
}

/// A secret field a method's answer carries outside any form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerSecret {
    /// The field's name (a key of the answer's records or sections).
    pub field: String,
    /// Its class.
    pub class: SecrecyClass,
    /// Where it comes from: the named fixup and the upstream file it cites.
    pub source: String,
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

/// Where an HTTP parameter travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ParamLocation {
    /// A segment of the path template (`/users/{username}`).
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
    /// A cookie.
    Cookie,
}

impl ParamLocation {
    /// The name inventories and OpenAPI use (`query`).
    pub fn as_str(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        }
    }
}

impl fmt::Display for ParamLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An HTTP method, as OpenAPI allows them on a path item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum HttpMethod {
    /// `GET`.
    Get,
    /// `PUT`.
    Put,
    /// `POST`.
    Post,
    /// `DELETE`.
    Delete,
    /// `OPTIONS`.
    Options,
    /// `HEAD`.
    Head,
    /// `PATCH`.
    Patch,
    /// `TRACE`.
    Trace,
}

impl HttpMethod {
    /// The upper-case name, as sent on the wire and written in inventories
    /// (also the name of `reqwest::Method`'s constant).
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
    }

    /// Reads an upper-case name; `None` for anything else, so extractors
    /// refuse methods the emitters do not know instead of guessing.
    pub fn parse(name: &str) -> Option<HttpMethod> {
        Some(match name {
            "GET" => HttpMethod::Get,
            "PUT" => HttpMethod::Put,
            "POST" => HttpMethod::Post,
            "DELETE" => HttpMethod::Delete,
            "OPTIONS" => HttpMethod::Options,
            "HEAD" => HttpMethod::Head,
            "PATCH" => HttpMethod::Patch,
            "TRACE" => HttpMethod::Trace,
            _ => return None,
        })
    }
}

impl fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The status a response is declared for: OpenAPI keys responses by a code,
/// a class of codes or `default`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum ResponseStatus {
    /// One code (`200`, `404`), 100–599.
    Code(u16),
    /// A class of codes by its first digit (`4` for `4XX`), 1–5.
    Range(u8),
    /// Every status no other response names.
    Default,
}

impl ResponseStatus {
    /// Whether it declares a success: a 2xx code or the `2XX` class.
    pub fn is_success(self) -> bool {
        match self {
            ResponseStatus::Code(code) => (200..300).contains(&code),
            ResponseStatus::Range(class) => class == 2,
            ResponseStatus::Default => false,
        }
    }

    /// Reads `200`, `4XX` or `default`; `None` for anything else.
    pub fn parse(text: &str) -> Option<ResponseStatus> {
        if text == "default" {
            return Some(ResponseStatus::Default);
        }
        if let Some(class) = text.strip_suffix("XX") {
            return match class.as_bytes() {
                [digit @ b'1'..=b'5'] => Some(ResponseStatus::Range(digit - b'0')),
                _ => None,
            };
        }
        // Exactly three digits: `0200` or `+200` would not write back the same.
        if text.len() != 3 || !text.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let code: u16 = text.parse().ok()?;
        (100..600)
            .contains(&code)
            .then_some(ResponseStatus::Code(code))
    }
}

impl fmt::Display for ResponseStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResponseStatus::Code(code) => write!(f, "{code}"),
            ResponseStatus::Range(class) => write!(f, "{class}XX"),
            ResponseStatus::Default => f.write_str("default"),
        }
    }
}

impl TryFrom<String> for ResponseStatus {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        ResponseStatus::parse(&value).ok_or_else(|| {
            format!(
                "bad response status {value:?}: expected a code, a range like `4XX`, or `default`"
            )
        })
    }
}

impl From<ResponseStatus> for String {
    fn from(value: ResponseStatus) -> Self {
        value.to_string()
    }
}

impl Param {
    /// The declared type of an HTTP parameter, parsed (`None`: undeclared).
    /// Meaningless for SOAP parameters, whose types are PHP type hints.
    pub fn schema_type(&self) -> Result<Option<SchemaType>, String> {
        self.ty
            .as_deref()
            .map(|ty| {
                SchemaType::parse(ty)
                    .ok_or_else(|| format!("parameter {}: bad type expression {ty:?}", self.name))
            })
            .transpose()
    }
}

/// An inventory that does not load.
#[derive(Debug)]
pub enum LoadError {
    /// Not JSON, or a part outside any operation does not fit the model.
    Json(serde_json::Error),
    /// An operation does not fit the model (an unknown parameter location,
    /// HTTP method or status, a bad type expression).
    Operation {
        /// The operation's name (its index when even that is unreadable).
        operation: String,
        /// What is wrong.
        message: String,
    },
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Json(e) => write!(f, "{e}"),
            LoadError::Operation { operation, message } => {
                write!(f, "operation {operation}: {message}")
            }
        }
    }
}

impl std::error::Error for LoadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            LoadError::Json(e) => Some(e),
            LoadError::Operation { .. } => None,
        }
    }
}

/// Finds the operation that makes `text` fail to load, so the error names it
/// rather than a line and column of a file of 100 000 lines. Only called
/// after the typed load failed, so the happy path parses once.
fn failing_operation(text: &str, error: serde_json::Error) -> LoadError {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else {
        return LoadError::Json(error);
    };
    let Some(operations) = value.get("operations").and_then(|o| o.as_array()) else {
        return LoadError::Json(error);
    };
    for (index, op) in operations.iter().enumerate() {
        if let Err(e) = Operation::deserialize(op) {
            let operation = op
                .get("name")
                .and_then(|n| n.as_str())
                .map_or_else(|| format!("#{index}"), str::to_owned);
            return LoadError::Operation {
                operation,
                message: e.to_string(),
            };
        }
    }
    LoadError::Json(error)
}

impl Inventory {
    /// Reads an inventory from JSON text. Fails with the operation's name
    /// when an operation does not fit the model (an unknown location, method
    /// or status; an HTTP parameter type that is no type expression).
    pub fn from_json(text: &str) -> Result<Self, LoadError> {
        let inventory: Inventory =
            serde_json::from_str(text).map_err(|e| failing_operation(text, e))?;
        for op in &inventory.operations {
            if matches!(op.protocol, Protocol::Http { .. }) {
                for p in &op.params {
                    p.schema_type().map_err(|message| LoadError::Operation {
                        operation: op.name.clone(),
                        message,
                    })?;
                }
            }
        }
        Ok(inventory)
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
