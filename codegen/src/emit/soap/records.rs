//! Typed records from the inventory's forms: one struct per form that a
//! method links to, each field an `Option` typed from the form's datatype and
//! control, plus an `other` map that keeps every field the form does not
//! define. Records are declared through `panelkit_core::ispconfig_record!`
//! (each field names its codec and wire name); decoding and encoding live in
//! `panelkit_core::ispconfig::fields`, so the generated code is only the
//! declarations and their docs.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToUpperCamelCase;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use super::requirement::{requirement, Requirement};
use super::{feature_name, ident, BASE_GROUP};
use crate::emit::EmitError;
use crate::model::{FieldDefault, Form, FormField, Inventory, Protocol, SecrecyClass};

/// The record type of each linked form, by form path.
#[derive(Clone, Debug, Default)]
pub(super) struct RecordNames(BTreeMap<String, String>);

impl RecordNames {
    /// The record type name of a form.
    pub(super) fn get(&self, form: &str) -> Option<&str> {
        self.0.get(form).map(String::as_str)
    }

    pub(super) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Forms that operations link to (main or alternative), each with the
/// groups of those operations.
fn linked_forms(inventory: &Inventory) -> BTreeMap<&str, BTreeSet<&str>> {
    let mut out: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for op in &inventory.operations {
        let Protocol::Soap {
            form: Some(link), ..
        } = &op.protocol
        else {
            continue;
        };
        for form in std::iter::once(&link.form).chain(link.alternatives.iter().map(|a| &a.form)) {
            out.entry(form.as_str())
                .or_default()
                .insert(op.group.as_str());
        }
    }
    out
}

/// Names every linked form's record after its file (`dns_a.tform.php` →
/// `DnsA`); two forms with one file name get their module as a prefix.
pub(super) fn names(inventory: &Inventory) -> Result<RecordNames, EmitError> {
    let linked = linked_forms(inventory);
    let stem = |path: &str| -> String {
        let file = path.rsplit('/').next().unwrap_or(path);
        file.trim_end_matches(".tform.php").to_upper_camel_case()
    };
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for path in linked.keys() {
        *count.entry(stem(path)).or_default() += 1;
    }
    let mut out = BTreeMap::new();
    let mut taken = BTreeSet::new();
    for path in linked.keys() {
        if !inventory.forms.contains_key(*path) {
            return Err(EmitError(format!(
                "a method links to {path}, which is not in the inventory's forms"
            )));
        }
        let mut name = stem(path);
        if count[&name] > 1 {
            // interface/web/<module>/form/<file>
            let module = path.split('/').nth(2).unwrap_or("form");
            name = format!("{}{name}", module.to_upper_camel_case());
        }
        if name.is_empty() || !taken.insert(name.clone()) {
            return Err(EmitError(format!(
                "{path}: no unique record name ({name:?})"
            )));
        }
        out.insert((*path).to_owned(), name);
    }
    Ok(RecordNames(out))
}

/// How a field is typed.
enum Kind {
    Int,
    Float,
    Text,
    /// A secret: `Password` (write-only) or a readable key or credential.
    Secret(SecrecyClass),
    /// A flag and the codec module of its stored strings.
    Flag(&'static str),
    /// Options, as `(variant, stored string)`.
    Enum(Vec<(String, String)>),
}

/// The flag codec for a pair of stored strings `[off, on]`.
fn flag_codec(off: &str, on: &str) -> Option<&'static str> {
    Some(match (off, on) {
        ("n", "y") => "yn",
        ("N", "Y") => "yn_upper",
        ("no", "yes") => "yes_no",
        ("No", "Yes") => "yes_no_title",
        ("0", "1") => "one_zero",
        _ => return None,
    })
}

/// The secrecy class of a field: the inventory's, else `Password` for a
/// `PASSWORD` control (inventories before format 3 do not classify).
fn secrecy(field: &FormField) -> Option<SecrecyClass> {
    match &field.secrecy {
        Some(s) => Some(s.class),
        None => (field.formtype.as_deref() == Some("PASSWORD")).then_some(SecrecyClass::Password),
    }
}

fn kind(field: &FormField) -> Kind {
    if let Some(class) = secrecy(field) {
        return Kind::Secret(class);
    }
    let formtype = field.formtype.as_deref().unwrap_or("");
    let datatype = field.datatype.as_deref().unwrap_or("");
    let options = field.options.as_deref().unwrap_or(&[]);
    if let ("CHECKBOX", [off, on]) = (formtype, options) {
        if let Some(codec) = flag_codec(off, on) {
            return Kind::Flag(codec);
        }
    }
    if matches!(formtype, "SELECT" | "RADIO") && options.len() == 2 {
        let mut sorted = options.to_vec();
        sorted.sort();
        match sorted
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice()
        {
            ["n", "y"] => return Kind::Flag("yn"),
            ["N", "Y"] => return Kind::Flag("yn_upper"),
            _ => {}
        }
    }
    match datatype {
        "INTEGER" => return Kind::Int,
        "DOUBLE" | "CURRENCY" => return Kind::Float,
        _ => {}
    }
    if matches!(formtype, "SELECT" | "RADIO") && !options.is_empty() {
        return Kind::Enum(variants(options));
    }
    Kind::Text
}

/// Variant names for option strings: `php-fpm` → `PhpFpm`, `*` → `Star`,
/// `` → `Empty`; numbers get a `V` prefix; clashes a numeric suffix.
fn variants(options: &[String]) -> Vec<(String, String)> {
    let mut taken = BTreeSet::new();
    taken.insert("Unknown".to_owned());
    options
        .iter()
        .map(|opt| {
            let spaced: String = opt
                .chars()
                .map(|c| match c {
                    '*' => " star ".to_owned(),
                    '.' => " dot ".to_owned(),
                    '+' => " plus ".to_owned(),
                    c if c.is_ascii_alphanumeric() => c.to_string(),
                    _ => " ".to_owned(),
                })
                .collect();
            let mut base = spaced.to_upper_camel_case();
            if opt.is_empty() {
                base = "Empty".to_owned();
            } else if base.is_empty() {
                base = "Value".to_owned();
            } else if base.starts_with(|c: char| c.is_ascii_digit()) {
                base = format!("V{base}");
            }
            let mut name = base.clone();
            let mut n = 2;
            while !taken.insert(name.clone()) {
                name = format!("{base}{n}");
                n += 1;
            }
            (name, opt.clone())
        })
        .collect()
}

/// The `records` module: every linked form's record.
///
/// Returned as source text: each declaration is a macro invocation, which
/// neither prettyplease nor rustfmt lays out, so the item inside is printed
/// on its own and indented here — the file reads like ordinary structs.
pub(super) fn module(inventory: &Inventory, names: &RecordNames) -> Result<String, EmitError> {
    let linked = linked_forms(inventory);
    let mut decls = Vec::new();
    let mut all_types: BTreeSet<String> = names.0.values().cloned().collect();
    for (path, name) in &names.0 {
        let form = &inventory.forms[path];
        let groups = &linked[path.as_str()];
        let cfg = cfg(groups);
        decls.extend(record(inventory, path, name, form, &cfg, &mut all_types)?);
    }
    let mut out = String::new();
    for decl in decls {
        let item: syn::Item = syn::parse2(decl.item)
            .map_err(|e| EmitError(format!("emitted record does not parse: {e}")))?;
        let printed = prettyplease::unparse(&syn::File {
            shebang: None,
            attrs: Vec::new(),
            items: vec![item],
        });
        out.push('\n');
        out.push_str(&decl.cfg);
        out.push_str(&format!("panelkit_core::{}! {{\n", decl.mac));
        for line in printed.lines() {
            if !line.is_empty() {
                out.push_str("    ");
            }
            out.push_str(line);
            out.push('\n');
        }
        out.push_str("}\n");
    }
    out.push_str(&secret_names(inventory));
    Ok(out)
}

/// `SECRET_FIELDS`: every field name the inventory classifies as secret, in
/// forms and in answers outside forms, for redacting dynamic answers.
fn secret_names(inventory: &Inventory) -> String {
    let mut names: BTreeSet<&str> = BTreeSet::new();
    for form in inventory.forms.values() {
        for (name, field) in &form.fields {
            if secrecy(field).is_some() {
                names.insert(name);
            }
        }
    }
    for secrets in inventory.answer_secrets.values() {
        names.extend(secrets.iter().map(|s| s.field.as_str()));
    }
    let mut out = String::from(
        "\n/// Every field name the inventory classifies as secret (form fields and\n\
         /// fields that answers carry outside any form): what\n\
         /// `panelkit_core::redact` hides in dynamic answers of this panel.\n\
         pub const SECRET_FIELDS: &[&str] = &[\n",
    );
    for name in names {
        out.push_str(&format!("    {name:?},\n"));
    }
    out.push_str("];\n");
    out
}

/// One macro invocation: its cfg line, the macro, and the item inside.
struct Decl {
    cfg: String,
    mac: &'static str,
    item: TokenStream,
}

/// `#[cfg(any(feature = ...))]` for the groups, none when the base group
/// (always compiled) uses the form.
fn cfg(groups: &BTreeSet<&str>) -> String {
    if groups.contains(BASE_GROUP) {
        return String::new();
    }
    let features: Vec<String> = groups
        .iter()
        .map(|g| format!("feature = \"{}\"", feature_name(g)))
        .collect();
    match features.as_slice() {
        [one] => format!("#[cfg({one})]\n"),
        many => format!("#[cfg(any({}))]\n", many.join(", ")),
    }
}

fn record(
    inventory: &Inventory,
    path: &str,
    name: &str,
    form: &Form,
    cfg: &str,
    all_types: &mut BTreeSet<String>,
) -> Result<Vec<Decl>, EmitError> {
    let ty = Ident::new(name, Span::call_site());
    let doc = format!(
        " A record of the form `{path}` (ISPConfig {}): table `{}`, key `{}`.",
        inventory.upstream_version, form.db_table, form.db_table_idx
    );
    let mut enums = Vec::new();
    let mut fields = Vec::new();
    let mut rust_names = BTreeSet::new();
    if !form.fields.contains_key(&form.db_table_idx) {
        let key_doc = format!(
            " `{}`: the table's primary key (not a form field).",
            form.db_table_idx
        );
        let field_ident = field_ident(&form.db_table_idx);
        rust_names.insert(field_ident.to_string());
        let wire = &form.db_table_idx;
        fields.push(quote! {
            #[field(int, #wire)]
            #[doc = #key_doc]
            pub #field_ident: Option<i64>,
        });
    }
    for (fname, field) in &form.fields {
        let field_ident = field_ident(fname);
        if !rust_names.insert(field_ident.to_string()) {
            return Err(EmitError(format!(
                "{path}: two fields are named {field_ident} in Rust"
            )));
        }
        let required = requirement(field);
        let doc = field_doc(fname, field, &required);
        let kind_of = kind(field);
        let (rust_ty, codec) = match &kind_of {
            Kind::Int => (quote! { i64 }, "int"),
            Kind::Float => (quote! { f64 }, "float"),
            Kind::Text => (quote! { String }, "text"),
            Kind::Secret(SecrecyClass::Password) => (quote! { panelkit_core::Secret }, "password"),
            Kind::Secret(_) => (quote! { panelkit_core::Secret }, "secret"),
            Kind::Flag(codec) => (quote! { bool }, *codec),
            Kind::Enum(variants) => {
                let enum_name = unique(all_types, format!("{name}{}", fname.to_upper_camel_case()));
                let enum_ident = Ident::new(&enum_name, Span::call_site());
                let enum_doc = format!(" Options of `{fname}` in `{path}`.");
                let vs = variants.iter().map(|(v, s)| {
                    let v = Ident::new(v, Span::call_site());
                    let d = if s.is_empty() {
                        " The empty string.".to_owned()
                    } else {
                        format!(" `{s}`")
                    };
                    quote! { #[doc = #d] #v = #s, }
                });
                enums.push(Decl {
                    cfg: cfg.to_owned(),
                    mac: "ispconfig_options",
                    item: quote! {
                        #[doc = #enum_doc]
                        pub enum #enum_ident { #(#vs)* }
                    },
                });
                (quote! { #enum_ident }, "option")
            }
        };
        let codec = Ident::new(codec, Span::call_site());
        let mut facts = TokenStream::new();
        match kind_of {
            Kind::Secret(SecrecyClass::Key) => facts.extend(quote! { , secrecy = Key }),
            Kind::Secret(SecrecyClass::Credential) => {
                facts.extend(quote! { , secrecy = Credential })
            }
            _ => {}
        }
        facts.extend(field_facts(field, &required));
        fields.push(quote! {
            #[field(#codec, #fname #facts)]
            #[doc = #doc]
            pub #field_ident: Option<#rust_ty>,
        });
    }
    enums.push(Decl {
        cfg: cfg.to_owned(),
        mac: "ispconfig_record",
        item: quote! {
            #[doc = #doc]
            pub struct #ty {
                #(#fields)*
            }
        },
    });
    Ok(enums)
}

fn unique(taken: &mut BTreeSet<String>, base: String) -> String {
    let mut name = base.clone();
    let mut n = 2;
    while !taken.insert(name.clone()) {
        name = format!("{base}{n}");
        n += 1;
    }
    name
}

/// The Rust identifier of a field (its wire name goes to the macro apart):
/// keywords become raw identifiers, other characters `_`, and `other` (the
/// record's map of unknown fields) becomes `other_field`.
fn field_ident(wire: &str) -> Ident {
    let clean: String = wire
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    let clean = if clean.is_empty() || clean.starts_with(|c: char| c.is_ascii_digit()) {
        format!("f_{clean}")
    } else if clean == "other" {
        "other_field".to_owned()
    } else {
        clean
    };
    ident(&clean)
}

/// The form's default as the text the panel would store: strings as they
/// are, numbers printed, `true` as PHP prints it (`"1"`); `None` for none,
/// `null`, `false`, arrays and run-time defaults.
fn default_text(field: &FormField) -> Option<String> {
    match &field.default {
        Some(FieldDefault::Literal(v)) => match v {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            serde_json::Value::Bool(true) => Some("1".to_owned()),
            _ => None,
        },
        Some(FieldDefault::NotLiteral) | None => None,
    }
}

/// The optional parts of a field's `#[field(...)]` after codec and name
/// (see `panelkit_core::ispconfig_record!`): `default = "..."` and
/// `required = "errmsg key"` (or `true` without a key).
fn field_facts(field: &FormField, required: &Requirement) -> TokenStream {
    let mut out = TokenStream::new();
    if let Some(text) = default_text(field) {
        out.extend(quote! { , default = #text });
    }
    match &required.required_by {
        Some(Some(check)) => out.extend(quote! { , required = #check }),
        Some(None) => out.extend(quote! { , required = true }),
        None => {}
    }
    out
}

/// One line of facts: datatype, control, default, options, validators.
fn field_doc(name: &str, field: &FormField, required: &Requirement) -> String {
    let mut parts = vec![format!(" `{name}`:")];
    if let Some(d) = &field.datatype {
        parts.push(format!("`{d}`"));
    }
    if let Some(f) = &field.formtype {
        parts.push(format!("`{f}`"));
    }
    let mut facts = vec![parts.join(" ")];
    match (secrecy(field), &field.secrecy) {
        (Some(SecrecyClass::Password), _) => {
            // See panelkit_core::ispconfig::fields::password.
            facts.push(
                "write-only (a read leaves it `None`; the panel hashes what it is sent)".to_owned(),
            )
        }
        (Some(class), Some(s)) => {
            let what = match class {
                SecrecyClass::Key => "private key material",
                _ => "a plaintext credential",
            };
            facts.push(format!(
                "{what}, a `Secret` (redacted from `Debug` and serde output; `reveal()` shows it), classified by {}",
                s.source
            ));
        }
        _ => {}
    }
    match &field.default {
        Some(FieldDefault::Literal(v)) => {
            let text = match v {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Null => String::new(),
                other => other.to_string(),
            };
            // Only short one-line defaults fit the one-line doc.
            let printable = !text.contains('`') && !text.chars().any(char::is_control);
            if !text.is_empty() && printable && text.len() <= 40 {
                facts.push(format!("form default `{text}`"));
            }
        }
        Some(FieldDefault::NotLiteral) => {
            facts.push("form default computed at run time".to_owned())
        }
        None => {}
    }
    if !field.validators.is_empty() {
        let v: Vec<String> = field
            .validators
            .iter()
            .map(|v| {
                let kind = v.kind.as_deref().unwrap_or("?");
                match &v.errmsg {
                    Some(e) => format!("`{kind}` ({e})"),
                    None => format!("`{kind}`"),
                }
            })
            .collect();
        facts.push(format!("validators {}", v.join(", ")));
    }
    if required.required_by.is_some() {
        facts.push("the panel refuses it empty".to_owned());
    }
    if !required.undecided.is_empty() {
        facts.push(format!(
            "not treated as required: the pattern{} {} could not be checked against \"\"",
            if required.undecided.len() > 1 {
                "s"
            } else {
                ""
            },
            required.undecided.join(", ")
        ));
    }
    if field.conditional {
        facts.push("only under a condition".to_owned());
    }
    let mut line = facts.join("; ");
    line.push('.');
    line
}
