//! The SOAP emitter: an ISPConfig inventory → the `panelkit-ispconfig` crate.
//!
//! Each method is thin: it collects its positional arguments and hands them to
//! `panelkit_core::ispconfig::Session::call`, which adds the session id and does
//! everything else. Methods are grouped in one module per upstream group (the
//! remote.d file), each behind a cargo feature of the same name.

use std::collections::BTreeMap;

use heck::ToSnakeCase;
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

mod crud;
mod permissions;
mod records;
mod releases;
mod remote_methods;
mod requirement;

use super::{header, rust_file, rust_file_with_doc, EmitError, GeneratedFile};
use crate::model::{FormAccess, Inventory, Operation, Param, Protocol};
use records::RecordNames;

/// Where and how to emit.
#[derive(Clone, Debug)]
pub struct Target {
    /// Crate directory relative to the workspace root (`crates/panelkit-ispconfig`).
    pub crate_dir: String,
    /// Crate name (`panelkit-ispconfig`).
    pub crate_name: String,
    /// Inventory path relative to the workspace root, for headers and docs.
    pub inventory_path: String,
    /// Every committed release, oldest first (the current one included):
    /// methods the oldest lacks say which release brought them, and the
    /// crate lists each release's methods (`releases.rs`). Empty: neither.
    pub releases: Vec<crate::inventories::Release>,
}

/// Which committed release brought each method the oldest one lacks.
struct Since<'a> {
    introduced: BTreeMap<String, String>,
    oldest: Option<&'a str>,
}

/// The group whose methods live on the base `remoting` class; always compiled.
const BASE_GROUP: &str = "remoting";

/// Methods whose upstream form the client runtime takes over: the caller never
/// handles the session id or passes credentials per call.
const RUNTIME_OWNED: &[&str] = &["login", "logout"];

/// Emits every file of the crate.
pub fn emit(inventory: &Inventory, target: &Target) -> Result<Vec<GeneratedFile>, EmitError> {
    let mut groups: BTreeMap<&str, Vec<&Operation>> = BTreeMap::new();
    for op in &inventory.operations {
        if !matches!(op.protocol, Protocol::Soap { .. }) {
            return Err(EmitError(format!("{}: not a SOAP operation", op.name)));
        }
        groups.entry(op.group.as_str()).or_default().push(op);
    }
    let names = records::names(inventory)?;
    let since = Since {
        introduced: crate::inventories::introduced_in(&target.releases),
        oldest: target.releases.first().map(|r| r.version.as_str()),
    };
    let mut files = vec![
        GeneratedFile {
            path: format!("{}/Cargo.toml", target.crate_dir),
            contents: cargo_toml(inventory, target, &groups),
        },
        GeneratedFile {
            path: format!("{}/src/lib.rs", target.crate_dir),
            contents: lib_rs(inventory, target, &groups, &names)?,
        },
    ];
    files.push(GeneratedFile {
        path: format!("{}/src/releases.rs", target.crate_dir),
        contents: rust_file_with_doc(
            &target.inventory_path,
            releases::DOC,
            releases::module(&target.releases, &sorted_names(inventory)),
        )?,
    });
    files.push(GeneratedFile {
        path: format!("{}/src/remote_methods.rs", target.crate_dir),
        contents: rust_file_with_doc(
            &target.inventory_path,
            remote_methods::DOC,
            remote_methods::module(inventory)?,
        )?,
    });
    files.push(GeneratedFile {
        path: format!("{}/src/permissions.rs", target.crate_dir),
        contents: rust_file_with_doc(
            &target.inventory_path,
            permissions::DOC,
            permissions::module(inventory),
        )?,
    });
    if !names.is_empty() {
        files.push(GeneratedFile {
            path: format!("{}/src/records.rs", target.crate_dir),
            contents: format!(
                "{}{}",
                header("//", &target.inventory_path),
                records::module(inventory, &names)?
            ),
        });
        files.push(GeneratedFile {
            path: format!("{}/src/crud.rs", target.crate_dir),
            contents: rust_file_with_doc(
                &target.inventory_path,
                crud::DOC,
                crud::module(inventory, &names)?,
            )?,
        });
    }
    for (group, ops) in &groups {
        if matches!(
            module_name(group).as_str(),
            "permissions" | "releases" | "remote_methods"
        ) {
            return Err(EmitError(format!(
                "group {group:?} would share its module with the permission table"
            )));
        }
        if matches!(module_name(group).as_str(), "records" | "crud") && !names.is_empty() {
            return Err(EmitError(format!(
                "group {group:?} would share its module with the typed records"
            )));
        }
        let tokens = group_module(inventory, ops, &names, &since)?;
        files.push(GeneratedFile {
            path: format!("{}/src/{}.rs", target.crate_dir, module_name(group)),
            contents: rust_file(&target.inventory_path, tokens)?,
        });
    }
    Ok(files)
}

fn feature_groups<'a>(
    groups: &'a BTreeMap<&str, Vec<&Operation>>,
) -> impl Iterator<Item = &'a str> + 'a {
    groups.keys().copied().filter(|g| *g != BASE_GROUP)
}

fn cargo_toml(
    inventory: &Inventory,
    target: &Target,
    groups: &BTreeMap<&str, Vec<&Operation>>,
) -> String {
    let mut out = header("#", &target.inventory_path);
    out.push_str(&format!(
        "[package]\nname = \"{}\"\nversion = \"0.1.0\"\nedition.workspace = true\nlicense.workspace = true\n\
         description = \"Typed async client for {} {} (every remote method), generated by panelkit\"\n\n\
         [dependencies]\n{}\n\
         [dev-dependencies]\ntokio = {{ workspace = true, features = [\"rt-multi-thread\", \"macros\"] }}\nserde_json.workspace = true\n\n",
        target.crate_name,
        "ISPConfig",
        inventory.upstream_version,
        super::core_dependency(&inventory.panel),
    ));
    out.push_str("# One feature per API group (the upstream remote.d file); `full` has them all.\n[features]\n");
    out.push_str("default = [\"full\"]\n");
    let all: Vec<String> = feature_groups(groups)
        .map(|g| format!("\"{}\"", feature_name(g)))
        .collect();
    out.push_str(&format!("full = [{}]\n", all.join(", ")));
    for group in feature_groups(groups) {
        out.push_str(&format!("{} = []\n", feature_name(group)));
    }
    out.push_str(super::DOCS_RS_METADATA);
    out
}

fn lib_rs(
    inventory: &Inventory,
    target: &Target,
    groups: &BTreeMap<&str, Vec<&Operation>>,
    records: &RecordNames,
) -> Result<String, EmitError> {
    let version = &inventory.upstream_version;
    let crate_doc = format!(
        "Typed async client for the ISPConfig {version} remote API: all {} methods, generated from\n\
         `{}`.\n\n\
         Build a [`Client`] with [`Client::builder`]; login is lazy and the session id is handled\n\
         for you. Methods are named as upstream and grouped by upstream file, one cargo feature\n\
         per group (`full`, on by default, enables all). Arguments and answers are dynamic\n\
         [`Value`]s; [`from_value`] turns an answer into your own serde types.\n{}",
        inventory.operations.len(),
        target.inventory_path,
        super::runtime_doc(
            &target.crate_name,
            "let ispc = panelkit_ispconfig::Client::builder()\n    \
             .url(\"https://panel.example.com:8080/remote/index.php\")\n    \
             .credentials(\"remote_user\", \"secret\")\n    \
             .build()?;\n\
             let zone_id = ispc.dns_zone_get_id(\"example.com\").await?;\n\
             println!(\"{zone_id:?}\");",
        )
    );
    let mods = groups.keys().map(|group| {
        let module = format_ident!("{}", module_name(group));
        let doc = format!(" Methods of the upstream `{group}` group.");
        if *group == BASE_GROUP {
            quote! { #[doc = #doc] mod #module; }
        } else {
            let feature = feature_name(group);
            quote! { #[doc = #doc] #[cfg(feature = #feature)] mod #module; }
        }
    });
    let names = sorted_names(inventory);
    let runtime_docs: BTreeMap<&str, String> = inventory
        .operations
        .iter()
        .filter(|op| RUNTIME_OWNED.contains(&op.name.as_str()))
        .map(|op| {
            (
                op.name.as_str(),
                format!(
                    " Upstream: `{}` at `{}`.",
                    signature(op),
                    op.source_location
                ),
            )
        })
        .collect();
    let records_mod = (!records.is_empty()).then(|| {
        quote! {
            /// Typed records of the panel's forms (`*.tform.php`), one per form a
            /// method reads or writes through; each is behind the features of the
            /// groups that use it. Decode an answer with [`from_value`], pass a
            /// record wherever a method takes `impl Into<Value>`.
            pub mod records;
            pub mod crud;
        }
    });
    let login_src = runtime_docs.get("login").cloned().unwrap_or_default();
    let logout_src = runtime_docs.get("logout").cloned().unwrap_or_default();
    let tokens = quote! {
        #![warn(missing_docs)]
        #![allow(clippy::too_many_arguments)]

        pub use panelkit_core::ispconfig::{ClientBuilder, Session, Transport};
        pub use panelkit_core::soap::{from_value, to_value, Value};
        pub use panelkit_core::{Error, Result, Secret};

        #(#mods)*
        #records_mod

        pub mod permissions;
        pub mod releases;
        pub mod remote_methods;

        /// The ISPConfig version this crate was generated from.
        pub const UPSTREAM_VERSION: &str = #version;

        /// Every remote method of that version, sorted; compare with
        /// [`Client::list_functions`] to see what a panel adds or lacks.
        pub const METHODS: &[&str] = &[#(#names),*];

        /// A client for one panel. Cheap to clone; clones share the session.
        #[derive(Clone, Debug)]
        pub struct Client {
            session: Session,
        }

        impl From<Session> for Client {
            fn from(session: Session) -> Self {
                Client { session }
            }
        }

        impl Client {
            /// Starts configuring a client: `.url(..)`, `.credentials(..)`, TLS options, `.build()`.
            /// A `…/remote/json.php` URL or `.transport(Transport::Json)` picks the JSON
            /// transport; the method table it needs is installed here.
            pub fn builder() -> ClientBuilder<Client> {
                ClientBuilder::new().remote_methods(remote_methods::REMOTE_METHODS)
            }

            /// The session runtime underneath.
            pub fn session(&self) -> &Session {
                &self.session
            }

            /// Calls any remote method by name; `params` follow the session id.
            /// The escape hatch for methods a panel has that this crate lacks (over
            /// SOAP; JSON sends parameters by name, so it knows only this crate's methods).
            pub async fn raw_call(&self, method: &str, params: Vec<Value>) -> Result<Value> {
                self.session.call(method, params).await
            }

            /// The panel's method names (`get_function_list`), without `__construct`.
            pub async fn list_functions(&self) -> Result<Vec<String>> {
                self.session.list_functions().await
            }

            /// Logs in now with the configured remote user; otherwise the first call does.
            ///
            #[doc = #login_src]
            pub async fn login(&self) -> Result<()> {
                self.session.login().await
            }

            /// Ends the session on the panel; the next call logs in again.
            ///
            #[doc = #logout_src]
            pub async fn logout(&self) -> Result<()> {
                self.session.logout().await
            }
        }

    };
    rust_file_with_doc(&target.inventory_path, &crate_doc, tokens)
}

fn group_module(
    inventory: &Inventory,
    ops: &[&Operation],
    names: &RecordNames,
    since: &Since,
) -> Result<TokenStream, EmitError> {
    let methods = ops
        .iter()
        .filter(|op| !RUNTIME_OWNED.contains(&op.name.as_str()))
        .map(|op| method(inventory, op, names, since))
        .collect::<Result<Vec<_>, _>>()?;
    let uses_positional = ops
        .iter()
        .any(|op| !optional_tail(caller_params(op)).is_empty());
    let positional = uses_positional.then(|| quote! { use panelkit_core::ispconfig::positional; });
    Ok(quote! {
        #positional
        use crate::{Client, Result, Value};

        impl Client {
            #(#methods)*
        }
    })
}

/// Parameters the caller passes: all but the session id.
fn caller_params(op: &Operation) -> &[Param] {
    match &op.protocol {
        Protocol::Soap { session: true, .. } if !op.params.is_empty() => &op.params[1..],
        _ => &op.params,
    }
}

/// The trailing run of parameters that have defaults: those are optional in
/// Rust. A defaulted parameter followed by a required one is required.
fn optional_tail(params: &[Param]) -> &[Param] {
    let first_optional = params
        .iter()
        .rposition(|p| p.default.is_none())
        .map_or(0, |i| i + 1);
    &params[first_optional..]
}

fn method(
    inventory: &Inventory,
    op: &Operation,
    names: &RecordNames,
    since: &Since,
) -> Result<TokenStream, EmitError> {
    let params = caller_params(op);
    let optional = optional_tail(params);
    let required = &params[..params.len() - optional.len()];
    let name = ident(&op.name);
    let wire_name = &op.name;

    let required_idents: Vec<Ident> = required
        .iter()
        .map(|p| ident(&p.name.to_snake_case()))
        .collect();
    let optional_idents: Vec<Ident> = optional
        .iter()
        .map(|p| ident(&p.name.to_snake_case()))
        .collect();
    let defaults = optional
        .iter()
        .map(|p| {
            let literal = p.default.as_deref().unwrap_or_default();
            php_default(literal).ok_or_else(|| {
                EmitError(format!(
                    "{}: cannot express PHP default `{literal}` of ${}",
                    op.name, p.name
                ))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;

    let args = if optional.is_empty() {
        quote! { vec![#(#required_idents.into()),*] }
    } else {
        quote! { positional(vec![#(#required_idents.into()),*], [#((#optional_idents, || #defaults)),*]) }
    };

    let doc = method_doc(inventory, op, names, since);
    Ok(quote! {
        #(#[doc = #doc])*
        pub async fn #name(&self #(, #required_idents: impl Into<Value>)* #(, #optional_idents: Option<Value>)*) -> Result<Value> {
            self.session.call(#wire_name, #args).await
        }
    })
}

fn method_doc(
    inventory: &Inventory,
    op: &Operation,
    names: &RecordNames,
    since: &Since,
) -> Vec<String> {
    let mut lines = Vec::new();
    match &op.summary {
        Some(summary) => lines.push(format!(" {summary}")),
        None => lines.push(format!(" Calls the remote method `{}`.", op.name)),
    }
    lines.push(String::new());
    lines.push(format!(
        " Upstream: `{}` at `{}` (ISPConfig {}).",
        signature(op),
        op.source_location,
        inventory.upstream_version
    ));
    if let Some(returns) = &op.returns {
        lines.push(format!(" Upstream return type: `{returns}`."));
    }
    if let (Some(version), Some(oldest)) = (since.introduced.get(&op.name), since.oldest) {
        lines.push(format!(
            " Since ISPConfig {version}: panels older than that (back to {oldest}) answer \
             `invalid_method`."
        ));
    }
    let (shadowed, form): (&[_], _) = match &op.protocol {
        Protocol::Soap { shadowed, form, .. } => (shadowed, form),
        _ => (&[], &None),
    };
    for s in shadowed {
        lines.push(format!(
            " Also declared at `{}` ({}): {}.",
            s.source_location, s.class, s.reason
        ));
    }
    if let Some(link) = form {
        lines.extend(record_doc(op, link, names));
    }
    lines.extend(arguments_doc(op));
    lines
}

/// The `# Arguments` list: each caller parameter with what upstream says of
/// it (summary, declared type, default); `None` for an optional one means
/// the upstream default.
fn arguments_doc(op: &Operation) -> Vec<String> {
    let params = caller_params(op);
    if params.is_empty() {
        return Vec::new();
    }
    let optional = optional_tail(params).len();
    let mut lines = vec![String::new(), " # Arguments".to_owned(), String::new()];
    for (i, p) in params.iter().enumerate() {
        let mut facts = Vec::new();
        if let Some(ty) = &p.ty {
            facts.push(format!("PHP type `{ty}`"));
        }
        if i >= params.len() - optional {
            let default = p.default.as_deref().unwrap_or("null");
            facts.push(format!(
                "optional: `None` sends the upstream default `{default}`"
            ));
        }
        let mut line = format!(" - `{}`", p.name.to_snake_case());
        if let Some(summary) = &p.summary {
            line.push_str(&format!(": {summary}"));
        }
        if !facts.is_empty() {
            line.push_str(&format!(" ({})", facts.join("; ")));
        }
        if p.summary.is_none() && facts.is_empty() {
            line.push_str(&format!(": upstream `${}`.", p.name));
        }
        lines.push(line);
    }
    lines
}

/// Which record the method's `params` and answer are, and the form file.
fn record_doc(op: &Operation, link: &crate::model::FormLink, names: &RecordNames) -> Vec<String> {
    let Some(name) = names.get(&link.form) else {
        return Vec::new();
    };
    let record = format!("[`records::{name}`](crate::records::{name})");
    let mut lines = vec![String::new()];
    let writes = link
        .access
        .iter()
        .any(|a| matches!(a, FormAccess::Insert | FormAccess::Update));
    let has_params = caller_params(op).iter().any(|p| p.name == "params");
    if writes && has_params {
        lines.push(format!(
            " `params` is a {record} (form `{}`): pass the record or `&record`.",
            link.form
        ));
    } else if writes {
        lines.push(format!(
            " Writes a {record} through the form `{}`.",
            link.form
        ));
    }
    if link.access.contains(&FormAccess::Read) {
        lines.push(format!(
            " The answer for an id > 0 is a {record} (form `{}`): `from_value::<records::{name}>(answer)`.",
            link.form
        ));
    }
    if link.access == [FormAccess::Delete] {
        lines.push(format!(
            " Deletes a {record} through the form `{}`.",
            link.form
        ));
    }
    for alt in &link.alternatives {
        let alt_name = names.get(&alt.form).unwrap_or("?");
        lines.push(format!(
            " When `{}`, the panel uses `{}` instead ([`records::{alt_name}`](crate::records::{alt_name})).",
            alt.when, alt.form
        ));
    }
    lines
}

/// `name(a, b = null)` as upstream declares it, session id included.
fn signature(op: &Operation) -> String {
    let params: Vec<String> = op
        .params
        .iter()
        .map(|p| match &p.default {
            Some(d) => format!("{} = {d}", p.name),
            None => p.name.clone(),
        })
        .collect();
    format!("{}({})", op.name, params.join(", "))
}

/// A PHP default literal as a `Value` expression; `None` for literals we cannot
/// express faithfully (the emitter then refuses, loudly).
fn php_default(literal: &str) -> Option<TokenStream> {
    let lit = literal.trim();
    let lower = lit.to_ascii_lowercase();
    match lower.as_str() {
        "null" => return Some(quote! { Value::Null }),
        "true" => return Some(quote! { Value::Bool(true) }),
        "false" => return Some(quote! { Value::Bool(false) }),
        "array()" | "[]" => return Some(quote! { Value::List(Vec::new()) }),
        _ => {}
    }
    if let Ok(i) = lit.parse::<i64>() {
        return Some(quote! { Value::Int(#i) });
    }
    if let Ok(f) = lit.parse::<f64>() {
        if f.is_finite() {
            return Some(quote! { Value::Float(#f) });
        }
    }
    let unquoted = lit
        .strip_prefix('\'')
        .and_then(|s| s.strip_suffix('\''))
        .map(|s| s.replace("\\'", "'").replace("\\\\", "\\"))
        .or_else(|| {
            lit.strip_prefix('"')
                .and_then(|s| s.strip_suffix('"'))
                .filter(|s| !s.contains('$') && !s.contains('\\'))
                .map(str::to_owned)
        })?;
    Some(quote! { Value::String(#unquoted.to_owned()) })
}

/// Module (and file) name of a group.
fn module_name(group: &str) -> String {
    let name = group.to_snake_case();
    if syn::parse_str::<Ident>(&name).is_ok() {
        name
    } else {
        format!("{name}_")
    }
}

/// Cargo feature name of a group.
fn feature_name(group: &str) -> String {
    group.to_snake_case()
}

/// An identifier, escaped when it is a Rust keyword.
fn ident(name: &str) -> Ident {
    if syn::parse_str::<Ident>(name).is_ok() {
        Ident::new(name, Span::call_site())
    } else if matches!(name, "self" | "Self" | "super" | "crate") {
        format_ident!("{name}_")
    } else {
        Ident::new_raw(name, Span::call_site())
    }
}

/// The inventory's method names, sorted, as `METHODS` lists them.
fn sorted_names(inventory: &Inventory) -> Vec<String> {
    let mut names: Vec<String> = inventory
        .operations
        .iter()
        .map(|op| op.name.clone())
        .collect();
    names.sort_unstable();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn php_defaults() {
        assert_eq!(
            php_default("null").unwrap().to_string(),
            quote! { Value::Null }.to_string()
        );
        assert_eq!(
            php_default("FALSE").unwrap().to_string(),
            quote! { Value::Bool(false) }.to_string()
        );
        assert_eq!(
            php_default("-1").unwrap().to_string(),
            quote! { Value::Int(-1i64) }.to_string()
        );
        assert_eq!(
            php_default("''").unwrap().to_string(),
            quote! { Value::String("".to_owned()) }.to_string()
        );
        assert!(php_default("array('a' => 1)").is_none());
        assert!(php_default("SOME_CONST").is_none());
    }

    #[test]
    fn keyword_identifiers_are_escaped() {
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("self").to_string(), "self_");
        assert_eq!(module_name("type"), "type_");
    }
}
