//! DCImanager 6: the hand-maintained endpoint list
//! (`inventories/dcimanager/endpoints.json`) → checked [`EndpointList`].
//!
//! DCImanager 6 publishes no machine-readable spec, so the list is written
//! from the vendor's documentation, one entry per endpoint, each naming its
//! source. This module reads it and refuses anything inconsistent before it
//! can reach an inventory: unknown services, a version the documentation
//! does not give for the service, a method the panel does not support, path
//! placeholders without a declared parameter (or the reverse), duplicate
//! names or routes, sources that are not in the list's `sources`, unknown
//! types.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use heck::ToUpperCamelCase;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::model::{
    self, Extractor, HttpBody, HttpContent, HttpMethod, HttpResponse, Inventory, Operation, Param,
    ParamLocation, Protocol, ResponseStatus, Source, TypeDef, FORMAT_VERSION,
};
use crate::schema_type::SchemaType;

/// The extractor's name in inventories.
pub const EXTRACTOR_NAME: &str = "dcimanager-endpoints";
/// Bumped when the inventory made from the same list changes.
pub const EXTRACTOR_VERSION: &str = "1";
/// The security scheme of endpoints that need a token (the runtime's
/// `panelkit_core::dcimanager::AUTH_SCHEME`).
pub const AUTH_SCHEME: &str = "ses6";

/// The list's file, relative to the workspace root.
pub const DEFAULT_PATH: &str = "inventories/dcimanager/endpoints.json";

/// Services and the API version the documentation gives for each.
pub const SERVICES: &[(&str, &str)] = &[
    ("auth", "v4"),
    ("dci", "v3"),
    ("eservice", "v3"),
    ("ip", "v3"),
    ("ipmiproxy", "v3"),
    ("ldap", "v4"),
];

/// HTTP methods the panel supports (API guide: GET, POST and DELETE).
pub const METHODS: &[HttpMethod] = &[HttpMethod::Get, HttpMethod::Post, HttpMethod::Delete];

/// Value types an entry may name.
pub const TYPES: &[&str] = &["string", "integer", "boolean", "object", "array", "any"];

/// The whole list.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndpointList {
    /// Always `dcimanager`.
    pub panel: String,
    /// The panel version the list describes.
    pub upstream_version: String,
    /// A note for people editing the file.
    #[serde(default)]
    pub note: Option<String>,
    /// Documentation sources by key.
    pub sources: BTreeMap<String, DocSource>,
    /// The endpoints.
    pub endpoints: Vec<Endpoint>,
}

/// A documentation source.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocSource {
    /// What it is.
    pub title: String,
    /// Where it is: a URL, a file, or a search-index reference.
    pub location: String,
}

/// One endpoint.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Endpoint {
    /// Operation name (snake_case, unique).
    pub name: String,
    /// `auth`, `dci`, `eservice`, `ip`, `ipmiproxy` or `ldap`.
    pub service: String,
    /// `v3` or `v4`.
    pub version: String,
    /// `GET`, `POST` or `DELETE` (another HTTP method is a problem of the
    /// list; a word that is no HTTP method does not load).
    pub method: HttpMethod,
    /// Path below `/api/{service}/{version}`, with `{name}` placeholders.
    pub path: String,
    /// One-line summary.
    pub summary: String,
    /// Whether a token is needed (default true; the `public/*` logins need none).
    #[serde(default = "yes")]
    pub auth: bool,
    /// Whether the answer is a `{"list": [...], "size": N}` page.
    #[serde(default)]
    pub list: bool,
    /// Path parameters, in path order.
    #[serde(default)]
    pub path_params: Vec<Field>,
    /// Query parameters (beyond the list parameters `where`, `orderby`, `limit`).
    #[serde(default)]
    pub query_params: Vec<Field>,
    /// JSON body fields; `Some(vec![])` means an empty object `{}`; `None`
    /// means no body (or, with `body_any`, an undocumented one).
    #[serde(default)]
    pub body: Option<Vec<Field>>,
    /// The body's fields are not documented: any JSON object.
    #[serde(default)]
    pub body_any: bool,
    /// The answer's shape.
    pub response: ResponseShape,
    /// Where the endpoint is documented.
    pub source: SourceRef,
    /// Further sources that document part of the endpoint (say, one names
    /// the command and another shows its path form).
    #[serde(default)]
    pub also: Vec<SourceRef>,
}

fn yes() -> bool {
    true
}

/// A parameter or field.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// Name on the wire.
    pub name: String,
    /// One of [`TYPES`].
    #[serde(rename = "type")]
    pub ty: String,
    /// Whether it must be given (parameters and body fields).
    #[serde(default)]
    pub required: bool,
    /// A password, token or key: kept as a secret.
    #[serde(default)]
    pub secret: bool,
    /// A format note (`YYYY-MM-DD HH:MM:SS`).
    #[serde(default)]
    pub format: Option<String>,
    /// A note.
    #[serde(default)]
    pub note: Option<String>,
    /// A source key, when the field is known from another source than the endpoint.
    #[serde(default)]
    pub source: Option<String>,
}

/// What an endpoint answers.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseShape {
    /// `object`, `list` (items in `list`) or `any` (not documented).
    pub kind: String,
    /// Known fields of the object, or of each list item.
    #[serde(default)]
    pub fields: Vec<Field>,
}

/// Where an endpoint is documented.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceRef {
    /// A key of [`EndpointList::sources`].
    #[serde(rename = "ref")]
    pub reference: String,
    /// The section (heading, example) in that source.
    pub section: String,
    /// The line, for file sources.
    #[serde(default)]
    pub line: Option<u32>,
}

/// `location[:line] (section)` of one source reference.
fn one_location(source: &SourceRef, list: &EndpointList) -> String {
    let location = list
        .sources
        .get(&source.reference)
        .map_or(source.reference.as_str(), |s| s.location.as_str());
    match source.line {
        Some(line) => format!("{location}:{line} ({})", source.section),
        None => format!("{location} ({})", source.section),
    }
}

/// Why a list was refused: every problem found, each naming the endpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListError(pub Vec<String>);

impl fmt::Display for ListError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "endpoint list refused:")?;
        for problem in &self.0 {
            write!(f, "\n  - {problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ListError {}

impl Endpoint {
    /// `METHOD /api/{service}/{version}{path}`.
    pub fn route(&self) -> String {
        format!(
            "{} /api/{}/{}{}",
            self.method, self.service, self.version, self.path
        )
    }

    /// The documentation location, for an inventory's `source_location`.
    pub fn source_location(&self, list: &EndpointList) -> String {
        let mut text = one_location(&self.source, list);
        for also in &self.also {
            text.push_str("; also ");
            text.push_str(&one_location(also, list));
        }
        text
    }

    /// The placeholder names in the path, in order.
    pub fn placeholders(&self) -> Result<Vec<&str>, String> {
        let mut names = Vec::new();
        let mut rest = self.path.as_str();
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            let close = after
                .find('}')
                .ok_or_else(|| format!("unclosed '{{' in {}", self.path))?;
            names.push(&after[..close]);
            rest = &after[close + 1..];
        }
        if rest.contains('}') {
            return Err(format!("stray '}}' in {}", self.path));
        }
        Ok(names)
    }
}

/// Reads and checks a list.
pub fn parse(text: &str) -> Result<EndpointList, ListError> {
    let list: EndpointList = serde_json::from_str(text)
        .map_err(|e| ListError(vec![format!("not a valid list: {e}")]))?;
    let problems = validate(&list);
    if problems.is_empty() {
        Ok(list)
    } else {
        Err(ListError(problems))
    }
}

fn is_snake(name: &str) -> bool {
    !name.is_empty()
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn check_fields(
    what: &str,
    fields: &[Field],
    sources: &BTreeMap<String, DocSource>,
    problems: &mut Vec<String>,
) {
    let mut seen = BTreeSet::new();
    for field in fields {
        if field.name.is_empty() {
            problems.push(format!("{what}: a field without a name"));
        }
        if !seen.insert(field.name.as_str()) {
            problems.push(format!("{what}: field {} twice", field.name));
        }
        if !TYPES.contains(&field.ty.as_str()) {
            problems.push(format!(
                "{what}: field {} has type {:?} (expected one of {TYPES:?})",
                field.name, field.ty
            ));
        }
        if let Some(source) = &field.source {
            if !sources.contains_key(source) {
                problems.push(format!(
                    "{what}: field {} cites unknown source {source:?}",
                    field.name
                ));
            }
        }
    }
}

/// Every problem of a parsed list (empty: the list is fine).
pub fn validate(list: &EndpointList) -> Vec<String> {
    let mut problems = Vec::new();
    if list.panel != "dcimanager" {
        problems.push(format!(
            "panel is {:?}, expected \"dcimanager\"",
            list.panel
        ));
    }
    if list.endpoints.is_empty() {
        problems.push("no endpoints".to_owned());
    }
    let mut names = BTreeSet::new();
    let mut routes = BTreeSet::new();
    for endpoint in &list.endpoints {
        let what = format!("endpoint {:?}", endpoint.name);
        if !is_snake(&endpoint.name) {
            problems.push(format!("{what}: name must be snake_case"));
        }
        if !names.insert(endpoint.name.as_str()) {
            problems.push(format!("{what}: name used twice"));
        }
        match SERVICES.iter().find(|(s, _)| *s == endpoint.service) {
            None => problems.push(format!("{what}: unknown service {:?}", endpoint.service)),
            Some((_, version)) if *version != endpoint.version => problems.push(format!(
                "{what}: service {} is documented at {version}, not {}",
                endpoint.service, endpoint.version
            )),
            Some(_) => {}
        }
        if !METHODS.contains(&endpoint.method) {
            let supported: Vec<&str> = METHODS.iter().map(|m| m.as_str()).collect();
            problems.push(format!(
                "{what}: method \"{}\" (the panel supports {})",
                endpoint.method,
                supported.join(", ")
            ));
        }
        if !endpoint.path.starts_with('/') || endpoint.path.contains(['?', '#', ' ']) {
            problems.push(format!(
                "{what}: path {:?} must start with '/' and hold no query",
                endpoint.path
            ));
        }
        if !routes.insert((endpoint.method, endpoint.route())) {
            problems.push(format!("{what}: route {} listed twice", endpoint.route()));
        }
        match endpoint.placeholders() {
            Err(e) => problems.push(format!("{what}: {e}")),
            Ok(placeholders) => {
                let declared: Vec<&str> = endpoint
                    .path_params
                    .iter()
                    .map(|p| p.name.as_str())
                    .collect();
                if placeholders != declared {
                    problems.push(format!(
                        "{what}: path placeholders {placeholders:?} differ from path_params {declared:?}"
                    ));
                }
            }
        }
        if endpoint.summary.trim().is_empty() || endpoint.summary.contains('\n') {
            problems.push(format!("{what}: summary must be one non-empty line"));
        }
        if endpoint.body.is_some() && endpoint.body_any {
            problems.push(format!("{what}: body and body_any both given"));
        }
        if endpoint.method == HttpMethod::Get && (endpoint.body.is_some() || endpoint.body_any) {
            problems.push(format!("{what}: a GET with a body"));
        }
        check_fields(&what, &endpoint.path_params, &list.sources, &mut problems);
        check_fields(&what, &endpoint.query_params, &list.sources, &mut problems);
        check_fields(
            &what,
            endpoint.body.as_deref().unwrap_or_default(),
            &list.sources,
            &mut problems,
        );
        check_fields(
            &what,
            &endpoint.response.fields,
            &list.sources,
            &mut problems,
        );
        match endpoint.response.kind.as_str() {
            "object" | "list" | "any" => {}
            other => problems.push(format!(
                "{what}: response kind {other:?} (expected object, list or any)"
            )),
        }
        if endpoint.list != (endpoint.response.kind == "list") {
            problems.push(format!(
                "{what}: `list: true` goes with response kind \"list\" and only with it"
            ));
        }
        if endpoint.response.kind == "any" && !endpoint.response.fields.is_empty() {
            problems.push(format!("{what}: response kind \"any\" with fields"));
        }
        for source in std::iter::once(&endpoint.source).chain(&endpoint.also) {
            if !list.sources.contains_key(&source.reference) {
                problems.push(format!(
                    "{what}: cites unknown source {:?}",
                    source.reference
                ));
            }
            if source.section.trim().is_empty() {
                problems.push(format!("{what}: source section is empty"));
            }
        }
    }
    problems
}

/// Endpoints per service, for reports.
pub fn count_by_service(list: &EndpointList) -> BTreeMap<&str, usize> {
    let mut counts: BTreeMap<&str, usize> = SERVICES.iter().map(|(s, _)| (*s, 0)).collect();
    for endpoint in &list.endpoints {
        *counts.entry(endpoint.service.as_str()).or_default() += 1;
    }
    counts
}

/// A list type as an inventory type ([`crate::schema_type`]).
fn type_expr(field: &Field) -> SchemaType {
    match (field.ty.as_str(), field.secret) {
        ("string", true) => SchemaType::String(Some("password".to_owned())),
        ("string", false) => SchemaType::String(None),
        ("integer", _) => SchemaType::Integer(Some("int64".to_owned())),
        ("boolean", _) => SchemaType::Boolean,
        ("object", _) => SchemaType::Map(Box::new(SchemaType::Any)),
        ("array", _) => SchemaType::Array(Box::new(SchemaType::Any)),
        _ => SchemaType::Any,
    }
}

fn record(source_location: &str, fields: &[Field], summary: &str) -> TypeDef {
    TypeDef::Record {
        source_location: source_location.to_owned(),
        fields: fields
            .iter()
            .map(|f| {
                (
                    f.name.clone(),
                    model::Field {
                        ty: type_expr(f),
                        required: f.required,
                        default: None,
                        nullable: false,
                        summary: f.note.clone().or_else(|| f.format.clone()),
                    },
                )
            })
            .collect(),
        summary: Some(summary.to_owned()),
        all_of: Vec::new(),
    }
}

fn param(field: &Field, location: ParamLocation) -> Param {
    Param {
        name: field.name.clone(),
        ty: Some(type_expr(field).to_string()),
        required: field.required || location == ParamLocation::Path,
        location: Some(location),
        summary: field.note.clone(),
        ..Param::default()
    }
}

/// The list parameters every `{"list": ...}` endpoint takes.
fn list_params() -> Vec<Param> {
    [
        ("where", "Filter: `field EQ value` conditions joined by AND (see panelkit_core::dcimanager::Where)."),
        ("orderby", "Order: `field asc` or `field desc`."),
        ("limit", "Page: `offset,count`."),
    ]
    .into_iter()
    .map(|(name, summary)| Param {
        name: name.to_owned(),
        ty: Some("string".to_owned()),
        required: false,
        location: Some(ParamLocation::Query),
        summary: Some(summary.to_owned()),
        ..Param::default()
    })
    .collect()
}

/// The inventory of a checked list. `raw` is the list file's bytes and
/// `path` its path relative to the workspace root (provenance).
pub fn to_inventory(list: &EndpointList, raw: &[u8], path: &str) -> Inventory {
    let mut types = BTreeMap::new();
    let mut operations = Vec::new();
    for endpoint in &list.endpoints {
        let location = endpoint.source_location(list);
        let camel = endpoint.name.to_upper_camel_case();
        let mut params: Vec<Param> = endpoint
            .path_params
            .iter()
            .map(|f| param(f, ParamLocation::Path))
            .chain(
                endpoint
                    .query_params
                    .iter()
                    .map(|f| param(f, ParamLocation::Query)),
            )
            .collect();
        if endpoint.list {
            params.extend(list_params());
        }
        let request_bodies = match (&endpoint.body, endpoint.body_any) {
            (Some(fields), _) => {
                let name = format!("{camel}Body");
                types.insert(
                    name.clone(),
                    record(&location, fields, &format!("Body of {}.", endpoint.route())),
                );
                vec![HttpBody {
                    content_type: "application/json".to_owned(),
                    ty: Some(SchemaType::Ref(name)),
                    required: true,
                }]
            }
            (None, true) => vec![HttpBody {
                content_type: "application/json".to_owned(),
                ty: Some(SchemaType::Map(Box::new(SchemaType::Any))),
                required: true,
            }],
            (None, false) => Vec::new(),
        };
        let answer_ty = match endpoint.response.kind.as_str() {
            "object" => {
                let name = format!("{camel}Answer");
                types.insert(
                    name.clone(),
                    record(
                        &location,
                        &endpoint.response.fields,
                        &format!("Answer of {}.", endpoint.route()),
                    ),
                );
                SchemaType::Ref(name)
            }
            "list" => {
                let item = format!("{camel}Item");
                types.insert(
                    item.clone(),
                    record(
                        &location,
                        &endpoint.response.fields,
                        &format!("One item of {}.", endpoint.route()),
                    ),
                );
                let page = format!("{camel}Page");
                let mut fields = BTreeMap::new();
                fields.insert(
                    "list".to_owned(),
                    model::Field {
                        ty: SchemaType::Array(Box::new(SchemaType::Ref(item.clone()))),
                        required: true,
                        default: None,
                        nullable: false,
                        summary: Some("The items of this page.".to_owned()),
                    },
                );
                fields.insert(
                    "size".to_owned(),
                    model::Field {
                        ty: SchemaType::Integer(Some("int64".to_owned())),
                        required: false,
                        default: None,
                        nullable: false,
                        summary: Some("How many items match in all.".to_owned()),
                    },
                );
                types.insert(
                    page.clone(),
                    TypeDef::Record {
                        source_location: location.clone(),
                        fields,
                        summary: Some(format!("A page of {}.", endpoint.route())),
                        all_of: Vec::new(),
                    },
                );
                SchemaType::Ref(page)
            }
            _ => SchemaType::Any,
        };
        let error = HttpResponse {
            status: ResponseStatus::Default,
            summary: Some("{\"error\": {\"code\", \"msg\", \"value\"}}".to_owned()),
            content: vec![HttpContent {
                content_type: "application/json".to_owned(),
                ty: Some(SchemaType::Any),
            }],
            headers: Vec::new(),
        };
        operations.push(Operation {
            name: endpoint.name.clone(),
            summary: Some(endpoint.summary.clone()),
            source_location: location,
            group: endpoint.service.clone(),
            params,
            returns: None,
            protocol: Protocol::Http {
                method: endpoint.method,
                path: format!(
                    "/api/{}/{}{}",
                    endpoint.service, endpoint.version, endpoint.path
                ),
                server: None,
                security: if endpoint.auth {
                    vec![AUTH_SCHEME.to_owned()]
                } else {
                    Vec::new()
                },
                request_bodies,
                responses: vec![
                    HttpResponse {
                        status: ResponseStatus::Code(200),
                        summary: None,
                        content: vec![HttpContent {
                            content_type: "application/json".to_owned(),
                            ty: Some(answer_ty),
                        }],
                        headers: Vec::new(),
                    },
                    error,
                ],
                deprecated: false,
            },
        });
    }
    operations.sort_by(|a, b| a.name.cmp(&b.name));
    let sha256 = Sha256::digest(raw)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Inventory {
        format: FORMAT_VERSION,
        panel: list.panel.clone(),
        upstream_version: list.upstream_version.clone(),
        source: Source {
            repository: None,
            tag: None,
            commit: None,
            root: path.to_owned(),
            sha256,
            files: vec![path.to_owned()],
        },
        extractor: Extractor {
            name: EXTRACTOR_NAME.to_owned(),
            version: EXTRACTOR_VERSION.to_owned(),
        },
        operations,
        types,
        forms: BTreeMap::new(),
        answer_secrets: BTreeMap::new(),
    }
}

/// Reads, checks and converts the list at `file`; `path` names it in the
/// inventory's provenance (relative to the workspace root).
pub fn extract_file(file: &std::path::Path, path: &str) -> Result<Inventory, ListError> {
    let raw =
        std::fs::read(file).map_err(|e| ListError(vec![format!("{}: {e}", file.display())]))?;
    let text = String::from_utf8(raw.clone())
        .map_err(|_| ListError(vec![format!("{}: not UTF-8", file.display())]))?;
    let list = parse(&text)?;
    Ok(to_inventory(&list, &raw, path))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn committed() -> String {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        std::fs::read_to_string(root.join(DEFAULT_PATH)).expect("committed endpoint list")
    }

    fn minimal(endpoint: serde_json::Value) -> String {
        serde_json::json!({
            "panel": "dcimanager",
            "upstream_version": "6",
            "sources": {"guide": {"title": "t", "location": "l"}},
            "endpoints": [endpoint],
        })
        .to_string()
    }

    fn good() -> serde_json::Value {
        serde_json::json!({
            "name": "server_get", "service": "dci", "version": "v3", "method": "GET",
            "path": "/server/{server_id}", "summary": "One server.",
            "path_params": [{"name": "server_id", "type": "integer", "required": true}],
            "response": {"kind": "any"},
            "source": {"ref": "guide", "section": "s", "line": 1}
        })
    }

    fn problems_with(change: impl FnOnce(&mut serde_json::Value)) -> Vec<String> {
        let mut endpoint = good();
        change(&mut endpoint);
        match parse(&minimal(endpoint)) {
            Ok(_) => Vec::new(),
            Err(ListError(problems)) => problems,
        }
    }

    #[test]
    fn the_committed_list_is_valid() {
        let list = parse(&committed()).unwrap_or_else(|e| panic!("{e}"));
        let counts = count_by_service(&list);
        assert_eq!(counts.values().sum::<usize>(), list.endpoints.len());
        assert!(counts["auth"] >= 4, "the four documented auth endpoints");
        let login = list
            .endpoints
            .iter()
            .find(|e| e.name == "public_token")
            .unwrap();
        assert_eq!(login.route(), "POST /api/auth/v4/public/token");
        assert!(!login.auth);
        assert!(login
            .source_location(&list)
            .starts_with("https://docs.ispsystem.ru/dcimanager-admin/razrabotchiku/rabota-s-api (Авторизация по логину и паролю)"));
    }

    #[test]
    fn further_sources_are_checked_and_named() {
        let problems = problems_with(|e| {
            e["also"] = serde_json::json!([{"ref": "nowhere", "section": "x"}]);
        });
        assert!(
            problems
                .iter()
                .any(|p| p.contains("unknown source \"nowhere\"")),
            "{problems:?}"
        );
        let problems = problems_with(|e| {
            e["also"] = serde_json::json!([{"ref": "guide", "section": " "}]);
        });
        assert!(problems.iter().any(|p| p.contains("section is empty")));
        let mut endpoint = good();
        endpoint["also"] = serde_json::json!([{"ref": "guide", "section": "path form"}]);
        let list = parse(&minimal(endpoint)).unwrap();
        assert_eq!(
            list.endpoints[0].source_location(&list),
            "l:1 (s); also l (path form)"
        );
        // The committed power commands name both of their sources.
        let list = parse(&committed()).unwrap();
        let on = list
            .endpoints
            .iter()
            .find(|e| e.name == "server_power_on")
            .unwrap();
        let location = on.source_location(&list);
        assert!(
            location.contains("server-power-supply-management-logic"),
            "{location}"
        );
        assert!(
            location.contains("also public code on GitHub"),
            "{location}"
        );
    }

    #[test]
    fn the_committed_list_converts() {
        let text = committed();
        let list = parse(&text).unwrap();
        let inventory = to_inventory(&list, text.as_bytes(), DEFAULT_PATH);
        assert_eq!(inventory.operations.len(), list.endpoints.len());
        let login = inventory.operation("public_token").unwrap();
        match &login.protocol {
            Protocol::Http {
                method,
                path,
                security,
                request_bodies,
                ..
            } => {
                assert_eq!(*method, HttpMethod::Post);
                assert_eq!(path, "/api/auth/v4/public/token");
                assert!(security.is_empty());
                assert_eq!(
                    request_bodies[0]
                        .ty
                        .as_ref()
                        .map(ToString::to_string)
                        .as_deref(),
                    Some("#PublicTokenBody")
                );
            }
            other => panic!("{other:?}"),
        }
        match &inventory.types["PublicTokenBody"] {
            TypeDef::Record { fields, .. } => {
                assert_eq!(fields["password"].ty.to_string(), "string(password)");
                assert!(fields["email"].required);
            }
            other => panic!("{other:?}"),
        }
        let servers = inventory.operation("server_list").unwrap();
        assert_eq!(servers.group, "dci");
        let names: Vec<&str> = servers.params.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["where", "orderby", "limit"]);
        assert!(inventory.types.contains_key("ServerListPage"));
        let get = inventory.operation("server_get").unwrap();
        assert_eq!(get.params[0].location, Some(ParamLocation::Path));
        assert!(get.source_location.contains("examples-of-api-use"));
        // Every type expression parses.
        for op in &inventory.operations {
            for p in &op.params {
                let ty = p.ty.as_deref().unwrap();
                assert!(crate::schema_type::SchemaType::parse(ty).is_some(), "{ty}");
            }
        }
        // Deterministic.
        assert_eq!(
            inventory.to_json(),
            to_inventory(&list, text.as_bytes(), DEFAULT_PATH).to_json()
        );
    }

    #[test]
    fn the_committed_inventory_is_current() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let text = committed();
        let fresh = to_inventory(&parse(&text).unwrap(), text.as_bytes(), DEFAULT_PATH);
        let committed = std::fs::read_to_string(root.join("inventories/dcimanager/inventory.json"))
            .expect("committed inventory");
        assert!(
            committed == fresh.to_json(),
            "inventories/dcimanager/inventory.json is stale: run `cargo xtask extract dcimanager`"
        );
    }

    #[test]
    fn a_good_entry_passes() {
        assert!(problems_with(|_| {}).is_empty());
    }

    /// A change to a good entry and the problem it must cause.
    type Case = (&'static str, Box<dyn FnOnce(&mut serde_json::Value)>);

    #[test]
    fn each_rule_bites() {
        let cases: Vec<Case> = vec![
            ("unknown service", Box::new(|e| e["service"] = "vm".into())),
            ("documented at v3", Box::new(|e| e["version"] = "v4".into())),
            ("method \"PUT\"", Box::new(|e| e["method"] = "PUT".into())),
            (
                "differ from path_params",
                Box::new(|e| e["path"] = "/server/{id}".into()),
            ),
            (
                "differ from path_params",
                Box::new(|e| e["path_params"] = serde_json::json!([])),
            ),
            (
                "unclosed",
                Box::new(|e| e["path"] = "/server/{server_id".into()),
            ),
            (
                "must start with '/'",
                Box::new(|e| e["path"] = "server/{server_id}".into()),
            ),
            (
                "hold no query",
                Box::new(|e| e["path"] = "/server/{server_id}?x=1".into()),
            ),
            ("snake_case", Box::new(|e| e["name"] = "ServerGet".into())),
            (
                "unknown source",
                Box::new(|e| e["source"]["ref"] = "blog".into()),
            ),
            (
                "has type",
                Box::new(|e| e["path_params"][0]["type"] = "int".into()),
            ),
            (
                "response kind",
                Box::new(|e| e["response"]["kind"] = "map".into()),
            ),
            ("`list: true`", Box::new(|e| e["list"] = true.into())),
            (
                "a GET with a body",
                Box::new(|e| e["body"] = serde_json::json!([])),
            ),
            ("one non-empty line", Box::new(|e| e["summary"] = "".into())),
            ("not a valid list", Box::new(|e| e["colour"] = "red".into())),
        ];
        for (expected, change) in cases {
            let problems = problems_with(change);
            assert!(
                problems.iter().any(|p| p.contains(expected)),
                "{expected}: {problems:?}"
            );
        }
    }

    #[test]
    fn duplicates_are_refused() {
        let text = serde_json::json!({
            "panel": "dcimanager", "upstream_version": "6",
            "sources": {"guide": {"title": "t", "location": "l"}},
            "endpoints": [good(), good()],
        })
        .to_string();
        let ListError(problems) = parse(&text).unwrap_err();
        assert!(problems.iter().any(|p| p.contains("name used twice")));
        assert!(problems.iter().any(|p| p.contains("listed twice")));
    }

    proptest::proptest! {
        #[test]
        fn never_panics(text in ".{0,400}") {
            let _ = parse(&text);
        }

        #[test]
        fn odd_paths_never_panic(path in "[/{}a-z_]{0,30}") {
            let mut endpoint = good();
            endpoint["path"] = path.into();
            let _ = parse(&minimal(endpoint));
        }
    }
}
