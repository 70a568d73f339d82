//! The REST emitter: an HTTP inventory (from the OpenAPI frontend or a
//! hand-kept endpoint list) → a typed async client crate over
//! `panelkit_core::rest`. Shared by every REST panel (SFTPGo, IONOS,
//! DCImanager).
//!
//! Layout of the generated crate:
//! - `Cargo.toml`: one feature per group (OpenAPI tag), `full` (default) has all;
//! - `src/lib.rs`: the `Client` (a `RestClient`), its builder, constants;
//! - `src/types.rs`: every named type; each is compiled only when a feature
//!   whose operations reach it is on (`#[cfg(any(feature = ..))]`), so a user
//!   of two tags compiles only their types;
//! - `src/conformance.rs` (feature `conformance`, implies `full`): every
//!   operation callable with minimal valid arguments, for mock-server tests;
//! - `src/<group>.rs`: the group's operations: a `Client` method per
//!   operation taking the required parameters, returning a request builder
//!   (optional parameters as setters; `.await` gives the body,
//!   `send_with_headers` the status and headers too).

mod cargo;
mod conformance;
mod names;
mod operations;
mod types;

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{EmitError, GeneratedFile};
use crate::model::{Inventory, Operation, Param, Protocol, TypeDef};
use crate::schema_type::SchemaType;

pub use names::{snake, type_name, variant_name};

/// Where and how to emit.
#[derive(Clone, Debug)]
pub struct Target {
    /// Crate directory relative to the workspace root (`crates/panelkit-sftpgo`).
    pub crate_dir: String,
    /// Crate name (`panelkit-sftpgo`).
    pub crate_name: String,
    /// Inventory path relative to the workspace root, for headers and docs.
    pub inventory_path: String,
    /// The panel's module in `panelkit_core` that provides `ClientBuilder`
    /// (`sftpgo`).
    pub runtime: String,
    /// The panel's display name (`SFTPGo`).
    pub title: String,
    /// The licence of the upstream spec the crate is generated from, named in
    /// every operation's docs (`AGPL-3.0`).
    pub spec_license: String,
    /// The API prefix the runtime puts before every path (`/api/v2`).
    pub api_prefix: String,
    /// `Type.field` pairs (inventory names) that hold secrets although the
    /// spec does not mark them `format: password`.
    pub secret_fields: Vec<String>,
    /// What the panel's runtime does beyond the plain executor.
    pub support: RuntimeSupport,
    /// The inside of a `#[tokio::main] async fn main()` that builds a client
    /// and makes one call, for the crate docs (compiled as a doc test).
    pub quick_start: String,
}

/// Services a panel's runtime offers that change what is emitted; the
/// default (nothing) emits every parameter, header and status as the spec
/// states them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuntimeSupport {
    /// Parameters the runtime fills from client defaults (IONOS `depth`,
    /// `pretty`, `X-Contract-Number`): they are left out of method
    /// signatures and each operation lists those it declares with
    /// `Request::defaults`.
    pub client_defaults: Vec<String>,
    /// The runtime type that pairs the value of a `202 Accepted` answer with
    /// the request it started (IONOS: `panelkit_core::ionos::Accepted`,
    /// which reads the `Location` header); `None`: 202 is an ordinary status.
    pub accepted: Option<String>,
    /// Further items of the runtime module re-exported at the crate root
    /// (`Accepted`, `WaitOptions`, ...).
    pub exports: Vec<String>,
}

impl RuntimeSupport {
    /// Whether `name` is filled from client defaults.
    pub fn is_client_default(&self, name: &str) -> bool {
        self.client_defaults.iter().any(|d| d == name)
    }
}

/// Field names that always hold secrets when they are strings.
const SECRET_NAMES: &[&str] = &[
    "password",
    "current_password",
    "new_password",
    "access_token",
    "passphrase",
    "secret",
    "api_key",
];

/// Everything the sub-emitters share.
pub(crate) struct Ctx<'a> {
    inv: &'a Inventory,
    target: &'a Target,
    /// Operations by group, groups sorted.
    groups: BTreeMap<&'a str, Vec<&'a Operation>>,
    /// Inventory type name → Rust type name.
    type_names: BTreeMap<&'a str, String>,
    /// Operation name → name of its answer enum, for operations answering
    /// JSON or text.
    answers: BTreeMap<&'a str, String>,
    /// Operation name → name of its request builder (`<Operation>Call`).
    requests: BTreeMap<&'a str, String>,
    /// Inventory type name → features of the groups that reach it.
    type_features: BTreeMap<&'a str, BTreeSet<String>>,
    /// Every group feature.
    features: BTreeSet<String>,
}

/// Emits every file of the crate.
pub fn emit(inventory: &Inventory, target: &Target) -> Result<Vec<GeneratedFile>, EmitError> {
    let ctx = Ctx::new(inventory, target)?;
    let mut files = vec![
        GeneratedFile {
            path: format!("{}/Cargo.toml", target.crate_dir),
            contents: cargo::cargo_toml(&ctx),
        },
        GeneratedFile {
            path: format!("{}/src/lib.rs", target.crate_dir),
            contents: cargo::lib_rs(&ctx)?,
        },
        GeneratedFile {
            path: format!("{}/src/types.rs", target.crate_dir),
            contents: types::types_rs(&ctx)?,
        },
    ];
    files.push(GeneratedFile {
        path: format!("{}/src/conformance.rs", target.crate_dir),
        contents: conformance::conformance_rs(&ctx)?,
    });
    for (group, ops) in &ctx.groups {
        files.push(GeneratedFile {
            path: format!("{}/src/{}.rs", target.crate_dir, module_name(group)),
            contents: operations::group_rs(&ctx, group, ops)?,
        });
    }
    Ok(files)
}

/// Module (and file) name of a group; never `types` or `lib`.
pub fn module_name(group: &str) -> String {
    // A tag of punctuation only (IONOS tags `GET /` with `/`) names the
    // API's root.
    if !group.chars().any(|c| c.is_alphanumeric()) {
        return "root".to_owned();
    }
    match snake(group).as_str() {
        "types" | "lib" | "conformance" => format!("{}_ops", snake(group)),
        name => name.to_owned(),
    }
}

/// Cargo feature of a group.
pub fn feature_name(group: &str) -> String {
    module_name(group)
}

/// The declared type of an HTTP parameter (`None`: undeclared). Checked
/// when the inventory loads; an inventory built in memory may still hold a
/// bad one, which is an error here rather than a panic.
pub(crate) fn param_type(op: &Operation, p: &Param) -> Result<Option<SchemaType>, EmitError> {
    p.schema_type()
        .map_err(|message| EmitError(format!("{}: {message}", op.name)))
}

impl<'a> Ctx<'a> {
    fn new(inv: &'a Inventory, target: &'a Target) -> Result<Self, EmitError> {
        let mut groups: BTreeMap<&str, Vec<&Operation>> = BTreeMap::new();
        for op in &inv.operations {
            if !matches!(op.protocol, Protocol::Http { .. }) {
                return Err(EmitError(format!("{}: not an HTTP operation", op.name)));
            }
            groups.entry(op.group.as_str()).or_default().push(op);
        }
        let mut modules = names::Scope::default();
        for group in groups.keys() {
            let module = module_name(group);
            if modules.claim(module.clone()) != module {
                return Err(EmitError(format!(
                    "two groups map to the module {module}: rename one in the inventory"
                )));
            }
        }
        // Answer types and named types share one namespace: answer types are
        // claimed first, so a spec type never shadows an operation's answer.
        let mut scope = names::Scope::with(&[
            "Client",
            "Result",
            "Error",
            "Secret",
            "ClientBuilder",
            "Download",
            "Multipart",
            "StreamBody",
            "RestClient",
        ]);
        let mut answers = BTreeMap::new();
        for op in &inv.operations {
            if operations::needs_answer_type(op)? {
                let name = scope.claim(format!("{}Response", type_name(&op.name)));
                answers.insert(op.name.as_str(), name);
            }
        }
        let type_names = inv
            .types
            .keys()
            .map(|name| (name.as_str(), scope.claim(type_name(name))))
            .collect();
        // Request builders come after the spec's types, so adding an
        // operation never renames a type callers use.
        let requests = inv
            .operations
            .iter()
            .map(|op| {
                let name = scope.claim(format!("{}Call", type_name(&op.name)));
                (op.name.as_str(), name)
            })
            .collect();
        let features: BTreeSet<String> = groups.keys().map(|g| feature_name(g)).collect();
        let mut ctx = Ctx {
            inv,
            target,
            groups,
            type_names,
            answers,
            requests,
            type_features: BTreeMap::new(),
            features,
        };
        ctx.type_features = ctx.reachability()?;
        Ok(ctx)
    }

    /// For each named type, the features whose operations mention it
    /// directly or through other types.
    fn reachability(&self) -> Result<BTreeMap<&'a str, BTreeSet<String>>, EmitError> {
        let mut out: BTreeMap<&'a str, BTreeSet<String>> = BTreeMap::new();
        for (group, ops) in &self.groups {
            let feature = feature_name(group);
            let mut stack: Vec<String> = Vec::new();
            for op in ops {
                for ty in operation_types(op)? {
                    stack.extend(ty.refs().into_iter().map(str::to_owned));
                }
            }
            let mut seen = BTreeSet::new();
            while let Some(name) = stack.pop() {
                if !seen.insert(name.clone()) {
                    continue;
                }
                let (key, def) = self
                    .inv
                    .types
                    .get_key_value(name.as_str())
                    .ok_or_else(|| EmitError(format!("unknown type #{name}")))?;
                out.entry(key.as_str()).or_default().insert(feature.clone());
                for ty in type_def_types(def) {
                    stack.extend(ty.refs().into_iter().map(str::to_owned));
                }
            }
        }
        Ok(out)
    }

    /// `#[cfg(...)]` for a named type: none when every feature reaches it,
    /// `full` when no operation does.
    fn type_cfg(&self, name: &str) -> TokenStream {
        match self.type_features.get(name) {
            Some(features) if *features == self.features => quote! {},
            Some(features) if features.len() == 1 => {
                let feature = features.iter().next();
                quote! { #[cfg(feature = #feature)] }
            }
            Some(features) => {
                let features = features.iter();
                quote! { #[cfg(any(#(feature = #features),*))] }
            }
            None => quote! { #[cfg(feature = "full")] },
        }
    }

    fn rust_type_name(&self, name: &str) -> Result<&str, EmitError> {
        self.type_names
            .get(name)
            .map(String::as_str)
            .ok_or_else(|| EmitError(format!("unknown type #{name}")))
    }

    /// The Rust type of a value (field, body, answer).
    fn rust_type(&self, ty: &SchemaType) -> Result<TokenStream, EmitError> {
        Ok(match ty {
            SchemaType::String(Some(f)) if f == "password" => quote! { panelkit_core::Secret },
            SchemaType::String(_) => quote! { String },
            SchemaType::Integer(Some(f)) if f == "int32" => quote! { i32 },
            SchemaType::Integer(_) => quote! { i64 },
            SchemaType::Number(Some(f)) if f == "float" => quote! { f32 },
            SchemaType::Number(_) => quote! { f64 },
            SchemaType::Boolean => quote! { bool },
            SchemaType::Any => quote! { serde_json::Value },
            SchemaType::Array(inner) => {
                let inner = self.rust_type(inner)?;
                quote! { Vec<#inner> }
            }
            SchemaType::Map(inner) => {
                let inner = self.rust_type(inner)?;
                quote! { std::collections::BTreeMap<String, #inner> }
            }
            SchemaType::Ref(name) => {
                let ident = format_ident!("{}", self.rust_type_name(name)?);
                quote! { #ident }
            }
        })
    }

    /// Whether `ty` is a `oneOf` type (no `Default`).
    fn is_one_of(&self, ty: &SchemaType) -> bool {
        matches!(ty, SchemaType::Ref(name) if matches!(self.inv.types.get(name), Some(TypeDef::OneOf { .. })))
    }

    /// The doc line that names an operation's upstream source by public
    /// reference: the spec file at its commit (or tag) in its repository,
    /// or, for a hand-kept endpoint list, the vendor page and section the
    /// operation's `source_location` cites.
    fn source_doc(&self, op: &Operation) -> String {
        let source = &self.inv.source;
        let license = &self.target.spec_license;
        let location = doc_text(&op.source_location);
        if self.inv.extractor.name != "openapi" {
            return format!(" Upstream: {location} ({license} data).");
        }
        let revision = source.commit.as_deref().or(source.tag.as_deref());
        let spec = match (&source.repository, revision) {
            (Some(repo), Some(rev)) => {
                format!("<https://github.com/{repo}/blob/{rev}/{}>", source.root)
            }
            (Some(repo), None) => format!("`{}` in {repo}", source.root),
            _ => format!("`{}`", source.root),
        };
        format!(
            " Upstream: `{}` in the {} OpenAPI spec, {spec} ({license} data).",
            op.source_location, self.target.title
        )
    }
}

/// Every type an operation mentions.
fn operation_types(op: &Operation) -> Result<Vec<SchemaType>, EmitError> {
    let mut out = Vec::new();
    for p in &op.params {
        out.extend(param_type(op, p)?);
    }
    if let Protocol::Http {
        request_bodies,
        responses,
        ..
    } = &op.protocol
    {
        out.extend(request_bodies.iter().filter_map(|b| b.ty.clone()));
        for r in responses {
            if r.status.is_success() {
                out.extend(r.content.iter().filter_map(|c| c.ty.clone()));
                out.extend(r.headers.iter().map(|h| h.ty.clone()));
            }
        }
    }
    Ok(out)
}

/// Every type a named type mentions.
fn type_def_types(def: &TypeDef) -> Vec<&SchemaType> {
    match def {
        TypeDef::Record { fields, .. } => fields.values().map(|f| &f.ty).collect(),
        TypeDef::Enum { .. } => Vec::new(),
        TypeDef::Alias { ty, .. } => vec![ty],
        TypeDef::OneOf { variants, .. } => variants.iter().collect(),
    }
}

/// Upstream prose made safe for rustdoc: `[`/`]` escaped (no accidental
/// intra-doc links), `<`/`>` as entities (no stray HTML tags), bare URLs
/// wrapped in `<...>` so they become links.
pub(crate) fn doc_text(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('[', "\\[")
        .replace(']', "\\]")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    escaped
        .split(' ')
        .map(|word| {
            let Some(start) = word.find("https://").or_else(|| word.find("http://")) else {
                return word.to_owned();
            };
            let tail = &word[start..];
            let end = tail.find(['"', '\'', '(', ')']).unwrap_or(tail.len());
            let url = tail[..end].trim_end_matches(['.', ',', ';', ':']);
            format!("{}<{url}>{}", &word[..start], &tail[url.len()..])
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Doc attributes for one-line text (each line becomes `///`).
pub(crate) fn docs(lines: &[String]) -> TokenStream {
    let lines = lines.iter();
    quote! { #(#[doc = #lines])* }
}

#[cfg(test)]
mod tests {
    use super::doc_text;

    #[test]
    fn upstream_prose_is_safe_for_rustdoc() {
        assert_eq!(
            doc_text(r#"value "[**redacted**]""#),
            r#"value "\[**redacted**\]""#
        );
        assert_eq!(
            doc_text("see https://x.org/a#b."),
            "see <https://x.org/a#b>."
        );
        assert_eq!(doc_text("a <b> c"), "a &lt;b&gt; c");
        assert_eq!(
            doc_text(r#"i.e., "http://h/K"."#),
            r#"i.e., "<http://h/K>"."#
        );
    }
}
