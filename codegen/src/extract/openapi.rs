//! The OpenAPI 3.0 frontend: a spec file → inventory of HTTP operations and
//! their types. Shared by every panel that publishes a spec (SFTPGo, IONOS).
//!
//! The spec is parsed with the `openapiv3` crate; YAML is read with
//! `serde_norway`. Panel-specific spec bugs are fixed before reading by the
//! named functions in [`crate::fixups`], never here.

mod schemas;

use std::fmt;
use std::path::Path;

use heck::ToUpperCamelCase;
use openapiv3::{
    OpenAPI, Operation as SpecOperation, Parameter, ParameterSchemaOrContent, PathItem,
    ReferenceOr, RequestBody, Response, StatusCode,
};
use sha2::{Digest, Sha256};

use crate::model::{
    Extractor, HttpBody, HttpContent, HttpHeader, HttpMethod, HttpResponse, Inventory, Operation,
    Param, ParamLocation, Protocol, ResponseStatus, Source, FORMAT_VERSION,
};
use crate::schema_type::SchemaType;
use schemas::Types;

/// Extractor name recorded in inventories.
pub const EXTRACTOR_NAME: &str = "openapi";

/// Bumped when the extractor's output for the same input changes.
pub const EXTRACTOR_VERSION: &str = "1";

/// The group of operations without a tag.
pub const UNTAGGED: &str = "default";

/// Facts about the spec that the caller knows and the file does not say.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SpecMeta {
    /// Panel name (`sftpgo`).
    pub panel: String,
    /// The version the spec describes; `None` takes the spec's `info.version`.
    pub upstream_version: Option<String>,
    /// Public repository (`owner/name`).
    pub repository: Option<String>,
    /// Release tag, if the spec comes from one.
    pub tag: Option<String>,
    /// Commit id.
    pub commit: Option<String>,
    /// The spec's path inside its repository (`openapi/openapi.yaml`).
    pub path_in_repository: String,
}

/// Why a spec could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtractError(pub String);

impl ExtractError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        ExtractError(message.into())
    }
}

impl fmt::Display for ExtractError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ExtractError {}

/// Parses a spec (YAML or JSON text).
pub fn parse(text: &str) -> Result<OpenAPI, ExtractError> {
    serde_norway::from_str(text)
        .map_err(|e| ExtractError::new(format!("not an OpenAPI 3.0 document: {e}")))
}

/// Reads the spec file at `path` into an inventory; `fixups` runs the panel's
/// named spec fixes first.
pub fn extract_file(
    path: &Path,
    meta: SpecMeta,
    fixups: &[crate::fixups::Fixup],
) -> Result<Inventory, ExtractError> {
    let bytes =
        std::fs::read(path).map_err(|e| ExtractError::new(format!("{}: {e}", path.display())))?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| ExtractError::new(format!("{}: not UTF-8", path.display())))?;
    let mut spec = parse(text)?;
    crate::fixups::apply(&mut spec, fixups).map_err(ExtractError)?;
    extract(&spec, &bytes, meta)
}

/// Turns a parsed spec into an inventory; `raw` is the file's bytes, for the
/// provenance hash (the SHA-256 of the file itself, comparable with
/// `sha256sum`).
pub fn extract(spec: &OpenAPI, raw: &[u8], meta: SpecMeta) -> Result<Inventory, ExtractError> {
    let mut types = Types::new(spec);
    types.components()?;
    let global_security = security_names(spec.security.as_deref().unwrap_or_default());
    let mut operations = Vec::new();
    for (path, item) in &spec.paths.paths {
        let ReferenceOr::Item(item) = item else {
            return Err(ExtractError::new(format!(
                "{path}: path item $ref is not supported"
            )));
        };
        for (method, op) in item.iter() {
            operations.push(operation(
                spec,
                &mut types,
                path,
                item,
                method,
                op,
                &global_security,
            )?);
        }
    }
    operations.sort_by(|a, b| a.name.cmp(&b.name));
    if let Some(pair) = operations.windows(2).find(|w| w[0].name == w[1].name) {
        return Err(ExtractError::new(format!(
            "two operations are named {} ({} and {})",
            pair[0].name, pair[0].source_location, pair[1].source_location
        )));
    }
    Ok(Inventory {
        format: FORMAT_VERSION,
        panel: meta.panel,
        upstream_version: meta
            .upstream_version
            .unwrap_or_else(|| spec.info.version.clone()),
        source: Source {
            repository: meta.repository,
            tag: meta.tag,
            commit: meta.commit,
            root: meta.path_in_repository.clone(),
            sha256: hex(&Sha256::digest(raw)),
            files: vec![meta.path_in_repository],
        },
        extractor: Extractor {
            name: EXTRACTOR_NAME.to_owned(),
            version: EXTRACTOR_VERSION.to_owned(),
        },
        operations,
        types: types.defs,
        forms: std::collections::BTreeMap::new(),
        answer_secrets: std::collections::BTreeMap::new(),
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The first line of a description, trimmed; `None` when empty.
pub(crate) fn one_line(text: &str) -> Option<String> {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    Some(line.to_owned())
}

/// A stable operation name for an operation without `operationId`: method and
/// path in snake case (`POST /user/file-actions/copy` →
/// `post_user_file_actions_copy`).
pub fn derived_name(method: &str, path: &str) -> String {
    let mut name = method.to_ascii_lowercase();
    for part in path.split('/').filter(|p| !p.is_empty()) {
        let part: String = part
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect();
        let part = part.trim_matches('_');
        if !part.is_empty() {
            name.push('_');
            name.push_str(part);
        }
    }
    name
}

fn security_names(requirements: &[openapiv3::SecurityRequirement]) -> Vec<String> {
    let mut names = Vec::new();
    for requirement in requirements {
        for name in requirement.keys() {
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
    }
    names
}

fn operation<'a>(
    spec: &'a OpenAPI,
    types: &mut Types<'a>,
    path: &str,
    item: &'a PathItem,
    method: &str,
    op: &'a SpecOperation,
    global_security: &[String],
) -> Result<Operation, ExtractError> {
    let location = format!("{} {path}", method.to_ascii_uppercase());
    // openapiv3 yields only the eight path-item methods; anything else
    // would be a new OpenAPI version the emitters do not know.
    let http_method = HttpMethod::parse(&method.to_ascii_uppercase())
        .ok_or_else(|| ExtractError::new(format!("{location}: unknown HTTP method")))?;
    let name = op
        .operation_id
        .clone()
        .unwrap_or_else(|| derived_name(method, path));
    let hint = name.to_upper_camel_case();

    // Path-level parameters apply unless the operation redefines them.
    let mut specs: Vec<&'a Parameter> = Vec::new();
    for p in item.parameters.iter().chain(&op.parameters) {
        let p = resolve_parameter(spec, p, &location)?;
        let data = p.parameter_data_ref();
        specs.retain(|q: &&Parameter| {
            let d = q.parameter_data_ref();
            !(d.name == data.name && location_of(q) == location_of(p))
        });
        specs.push(p);
    }
    let mut params = Vec::new();
    for p in specs {
        let data = p.parameter_data_ref();
        let param_hint = format!("{hint}{}", data.name.to_upper_camel_case());
        let here = format!("{location} parameter {}", data.name);
        let (ty, default) = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                let default = match schema {
                    ReferenceOr::Item(s) => s.schema_data.default.as_ref().map(|v| v.to_string()),
                    ReferenceOr::Reference { .. } => None,
                };
                (types.type_of(schema, &param_hint, &here)?, default)
            }
            ParameterSchemaOrContent::Content(_) => {
                return Err(ExtractError::new(format!(
                    "{here}: content parameters are not supported"
                )))
            }
        };
        let is_array = matches!(ty, crate::schema_type::SchemaType::Array(_));
        let explode = match p {
            Parameter::Query { .. } if is_array => Some(data.explode.unwrap_or(true)),
            _ => None,
        };
        params.push(Param {
            name: data.name.clone(),
            ty: Some(ty.to_string()),
            required: data.required,
            default,
            by_ref: false,
            location: Some(location_of(p)),
            explode,
            summary: data.description.as_deref().and_then(one_line),
        });
    }

    let mut request_bodies = Vec::new();
    if let Some(body) = &op.request_body {
        let body = resolve_request_body(spec, body, &location)?;
        for (i, (content_type, media)) in body.content.iter().enumerate() {
            let ty = match &media.schema {
                Some(schema) => Some(types.type_of(
                    schema,
                    &format!("{hint}Request"),
                    &format!("{location} request body {i}"),
                )?),
                None => None,
            };
            request_bodies.push(HttpBody {
                content_type: content_type.clone(),
                ty,
                required: body.required,
            });
        }
    }

    let mut responses = Vec::new();
    let declared = op
        .responses
        .responses
        .iter()
        .map(|(status, r)| (response_status(status), r))
        .chain(
            op.responses
                .default
                .iter()
                .map(|r| (Ok(ResponseStatus::Default), r)),
        );
    for (status, response) in declared {
        let status = status.map_err(|e| ExtractError::new(format!("{location}: {e}")))?;
        let response = resolve_response(spec, response, &location)?;
        let success = status.is_success();
        let body_hint = if success {
            format!("{hint}Output")
        } else {
            format!("{hint}Error")
        };
        let mut content = Vec::new();
        for (content_type, media) in &response.content {
            let ty = match &media.schema {
                Some(schema) => Some(types.type_of(
                    schema,
                    &body_hint,
                    &format!("{location} response {status}"),
                )?),
                None => None,
            };
            content.push(HttpContent {
                content_type: content_type.clone(),
                ty,
            });
        }
        let mut headers = Vec::new();
        for (header_name, header) in &response.headers {
            let header = match header {
                ReferenceOr::Item(h) => h,
                ReferenceOr::Reference { reference } => {
                    return Err(ExtractError::new(format!(
                        "{location}: header $ref {reference} is not supported"
                    )))
                }
            };
            let ty = match &header.format {
                ParameterSchemaOrContent::Schema(schema) => types.type_of(
                    schema,
                    &format!("{hint}{}", header_name.to_upper_camel_case()),
                    &location,
                )?,
                ParameterSchemaOrContent::Content(_) => SchemaType::String(None),
            };
            headers.push(HttpHeader {
                name: header_name.clone(),
                ty,
                summary: header.description.as_deref().and_then(one_line),
            });
        }
        responses.push(HttpResponse {
            status,
            summary: one_line(&response.description),
            content,
            headers,
        });
    }

    let servers = if op.servers.is_empty() {
        &item.servers
    } else {
        &op.servers
    };
    Ok(Operation {
        name,
        summary: op
            .summary
            .as_deref()
            .and_then(one_line)
            .or_else(|| op.description.as_deref().and_then(one_line)),
        source_location: location,
        group: op
            .tags
            .first()
            .cloned()
            .unwrap_or_else(|| UNTAGGED.to_owned()),
        params,
        returns: None,
        protocol: Protocol::Http {
            method: http_method,
            path: path.to_owned(),
            server: servers.first().map(|s| s.url.clone()),
            security: match &op.security {
                Some(requirements) => security_names(requirements),
                None => global_security.to_vec(),
            },
            request_bodies,
            responses,
            deprecated: op.deprecated,
        },
    })
}

/// A response key of the spec; a code outside 100–599 or a range other
/// than `1XX`–`5XX` is an error, not a status the emitters would guess at.
fn response_status(status: &StatusCode) -> Result<ResponseStatus, String> {
    let parsed = match status {
        StatusCode::Code(code) => Some(*code)
            .filter(|c| (100..600).contains(c))
            .map(ResponseStatus::Code),
        StatusCode::Range(range) => u8::try_from(*range)
            .ok()
            .filter(|r| (1..=5).contains(r))
            .map(ResponseStatus::Range),
    };
    parsed.ok_or_else(|| format!("response status {status} is no HTTP status"))
}

fn location_of(p: &Parameter) -> ParamLocation {
    match p {
        Parameter::Query { .. } => ParamLocation::Query,
        Parameter::Header { .. } => ParamLocation::Header,
        Parameter::Path { .. } => ParamLocation::Path,
        Parameter::Cookie { .. } => ParamLocation::Cookie,
    }
}

fn component_name<'r>(reference: &'r str, kind: &str) -> Option<&'r str> {
    reference
        .strip_prefix("#/components/")?
        .strip_prefix(kind)?
        .strip_prefix('/')
}

fn resolve_parameter<'a>(
    spec: &'a OpenAPI,
    p: &'a ReferenceOr<Parameter>,
    location: &str,
) -> Result<&'a Parameter, ExtractError> {
    match p {
        ReferenceOr::Item(p) => Ok(p),
        ReferenceOr::Reference { reference } => component_name(reference, "parameters")
            .and_then(|name| spec.components.as_ref()?.parameters.get(name))
            .and_then(ReferenceOr::as_item)
            .ok_or_else(|| ExtractError::new(format!("{location}: cannot resolve {reference}"))),
    }
}

fn resolve_request_body<'a>(
    spec: &'a OpenAPI,
    b: &'a ReferenceOr<RequestBody>,
    location: &str,
) -> Result<&'a RequestBody, ExtractError> {
    match b {
        ReferenceOr::Item(b) => Ok(b),
        ReferenceOr::Reference { reference } => component_name(reference, "requestBodies")
            .and_then(|name| spec.components.as_ref()?.request_bodies.get(name))
            .and_then(ReferenceOr::as_item)
            .ok_or_else(|| ExtractError::new(format!("{location}: cannot resolve {reference}"))),
    }
}

fn resolve_response<'a>(
    spec: &'a OpenAPI,
    r: &'a ReferenceOr<Response>,
    location: &str,
) -> Result<&'a Response, ExtractError> {
    match r {
        ReferenceOr::Item(r) => Ok(r),
        ReferenceOr::Reference { reference } => component_name(reference, "responses")
            .and_then(|name| spec.components.as_ref()?.responses.get(name))
            .and_then(ReferenceOr::as_item)
            .ok_or_else(|| ExtractError::new(format!("{location}: cannot resolve {reference}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_names_are_snake_case_method_and_path() {
        assert_eq!(
            derived_name("post", "/user/file-actions/copy"),
            "post_user_file_actions_copy"
        );
        assert_eq!(
            derived_name("GET", "/shares/{id}/files"),
            "get_shares_id_files"
        );
    }

    #[test]
    fn one_line_takes_the_first_non_empty_line() {
        assert_eq!(
            one_line("\n  Users list.\nMore.").as_deref(),
            Some("Users list.")
        );
        assert_eq!(one_line("  \n"), None);
    }
}
