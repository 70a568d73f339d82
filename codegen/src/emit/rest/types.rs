//! `src/types.rs`: records as serde structs (lenient: every field defaults,
//! unknown fields are ignored, optional fields are skipped when `None`),
//! string enums through `panelkit_core::string_enum!`, aliases, and `oneOf`
//! unions that pick the alternative whose fields the answer has.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::names::{ident, snake, variant_name, Scope};
use super::{doc_text, docs, Ctx, SECRET_NAMES};
use crate::emit::{rust_file_with_doc, EmitError};
use crate::model::{Field, TypeDef};
use crate::schema_type::SchemaType;

pub(super) fn types_rs(ctx: &Ctx) -> Result<String, EmitError> {
    let union_members = union_members(ctx)?;
    let mut items = Vec::new();
    for (name, def) in &ctx.inv.types {
        items.push(type_def(
            ctx,
            name,
            def,
            union_members.contains(name.as_str()),
        )?);
    }
    let tokens = quote! {
        #![allow(unused_imports)]
        use panelkit_core::Secret;
        use serde::{Deserialize, Serialize};

        #(#items)*
    };
    let doc = format!(
        "Types of the {} API, one per schema of the spec (inline schemas get names\n\
         from where they appear). Each is compiled only with a feature whose\n\
         operations use it.",
        ctx.target.title
    );
    rust_file_with_doc(&ctx.target.inventory_path, &doc, tokens)
}

/// Records that are alternatives of a `oneOf`: they get a `FIELDS` list.
fn union_members<'a>(ctx: &Ctx<'a>) -> Result<BTreeSet<&'a str>, EmitError> {
    let mut out = BTreeSet::new();
    for def in ctx.inv.types.values() {
        if let TypeDef::OneOf { variants, .. } = def {
            for v in variants {
                if let SchemaType::Ref(r) = v {
                    if let Some((key, TypeDef::Record { .. })) = ctx.inv.types.get_key_value(r) {
                        out.insert(key.as_str());
                    }
                }
            }
        }
    }
    Ok(out)
}

fn summary_lines(summary: &Option<String>, fallback: String) -> Vec<String> {
    vec![format!(
        " {}",
        summary.as_deref().map(doc_text).unwrap_or(fallback)
    )]
}

fn type_def(
    ctx: &Ctx,
    name: &str,
    def: &TypeDef,
    in_union: bool,
) -> Result<TokenStream, EmitError> {
    let cfg = ctx.type_cfg(name);
    let rust = format_ident!("{}", ctx.rust_type_name(name)?);
    match def {
        TypeDef::Record {
            source_location,
            fields,
            summary,
            ..
        } => {
            let mut lines = summary_lines(summary, format!("The `{name}` schema."));
            lines.push(String::new());
            lines.push(format!(" Upstream: `{source_location}`."));
            let doc = docs(&lines);
            let mut scope = Scope::default();
            let mut out_fields = Vec::new();
            for (wire, field) in fields {
                out_fields.push(record_field(ctx, name, wire, field, &mut scope)?);
            }
            let fields_const = in_union.then(|| {
                let wires = fields.keys();
                quote! {
                    #cfg
                    impl #rust {
                        /// The field names this type declares (for `oneOf` decoding).
                        pub const FIELDS: &'static [&'static str] = &[#(#wires),*];
                    }
                }
            });
            Ok(quote! {
                #doc
                #cfg
                #[derive(Clone, Debug, Default, Serialize, Deserialize)]
                #[serde(default)]
                pub struct #rust {
                    #(#out_fields)*
                }
                #fields_const
            })
        }
        TypeDef::Enum {
            source_location,
            values,
            summary,
        } => {
            let mut lines = summary_lines(summary, format!("The `{name}` values."));
            lines.push(String::new());
            lines.push(format!(" Upstream: `{source_location}`."));
            let doc = docs(&lines);
            let mut scope = Scope::with(&["Unknown"]);
            let variants = values.iter().map(|value| {
                let variant = format_ident!("{}", scope.claim(variant_name(value)));
                let vdoc = format!(" `{value}`");
                quote! { #[doc = #vdoc] #variant = #value, }
            });
            Ok(quote! {
                #cfg
                panelkit_core::string_enum! {
                    #doc
                    pub enum #rust {
                        #(#variants)*
                    }
                }
            })
        }
        TypeDef::Alias {
            source_location,
            ty,
            values,
            summary,
        } => {
            let mut lines = summary_lines(summary, format!("The `{name}` schema."));
            if !values.is_empty() {
                lines.push(String::new());
                lines.push(format!(" Allowed values: {}.", values.join(", ")));
            }
            lines.push(String::new());
            lines.push(format!(" Upstream: `{source_location}`."));
            let doc = docs(&lines);
            let target = ctx.rust_type(ty)?;
            Ok(quote! {
                #doc
                #cfg
                pub type #rust = #target;
            })
        }
        TypeDef::OneOf {
            source_location,
            variants,
            summary,
        } => one_of(ctx, name, &rust, &cfg, source_location, variants, summary),
    }
}

/// How a record field is emitted: its type (secrets as `password`
/// strings), whether it is a plain value or an `Option`, whether it is
/// boxed.
pub(super) struct FieldShape {
    /// The field's type.
    pub(super) ty: SchemaType,
    /// A plain value (required, with a default to fall back on) rather
    /// than an `Option`.
    pub(super) plain: bool,
    /// Boxed (a recursive record).
    pub(super) boxed: bool,
}

pub(super) fn field_shape(
    ctx: &Ctx,
    record: &str,
    wire: &str,
    field: &Field,
) -> Result<FieldShape, EmitError> {
    let mut ty = field.ty.clone();
    let secret = matches!(ty, SchemaType::String(_))
        && (SECRET_NAMES.contains(&wire)
            || ctx
                .target
                .secret_fields
                .iter()
                .any(|f| *f == format!("{record}.{wire}")));
    if secret {
        ty = SchemaType::String(Some("password".to_owned()));
    }
    // Required fields are plain values when they have a default to fall back
    // on (a lenient decode of a server that leaves one out); secrets and
    // unions have none.
    let plain = field.required
        && !field.nullable
        && !ctx.is_one_of(&ty)
        && !matches!(&ty, SchemaType::String(Some(f)) if f == "password");
    let boxed = boxed(ctx, record, &ty);
    Ok(FieldShape { ty, plain, boxed })
}

fn record_field(
    ctx: &Ctx,
    record: &str,
    wire: &str,
    field: &Field,
    scope: &mut Scope,
) -> Result<TokenStream, EmitError> {
    let rust_name = scope.claim(snake(wire));
    let field_ident = ident(&rust_name);
    let FieldShape { ty, plain, boxed } = field_shape(ctx, record, wire, field)?;
    let mut rust = ctx.rust_type(&ty)?;
    if boxed {
        rust = quote! { Box<#rust> };
    }
    let mut serde_attrs = Vec::new();
    if rust_name.trim_start_matches("r#") != wire {
        serde_attrs.push(quote! { rename = #wire });
    }
    let field_ty = if plain {
        rust
    } else {
        serde_attrs.push(quote! { skip_serializing_if = "Option::is_none" });
        quote! { Option<#rust> }
    };
    let serde = (!serde_attrs.is_empty()).then(|| quote! { #[serde(#(#serde_attrs),*)] });
    let doc = docs(&[format!(
        " {}",
        field
            .summary
            .as_deref()
            .map(doc_text)
            .unwrap_or_else(|| format!("`{wire}`."))
    )]);
    Ok(quote! {
        #doc
        #serde
        pub #field_ident: #field_ty,
    })
}

/// A field is boxed when its type is a record that contains the field's own
/// record again through plain (not `Vec`/map) fields: a recursive type.
fn boxed(ctx: &Ctx, record: &str, ty: &SchemaType) -> bool {
    let SchemaType::Ref(start) = ty else {
        return false;
    };
    let mut stack = vec![start.clone()];
    let mut seen = BTreeSet::new();
    while let Some(name) = stack.pop() {
        if name == record {
            return true;
        }
        if !seen.insert(name.clone()) {
            continue;
        }
        match ctx.inv.types.get(&name) {
            Some(TypeDef::Record { fields, .. }) => {
                for f in fields.values() {
                    if let SchemaType::Ref(next) = &f.ty {
                        stack.push(next.clone());
                    }
                }
            }
            Some(TypeDef::Alias {
                ty: SchemaType::Ref(next),
                ..
            }) => stack.push(next.clone()),
            Some(TypeDef::OneOf { variants, .. }) => {
                for v in variants {
                    if let SchemaType::Ref(next) = v {
                        stack.push(next.clone());
                    }
                }
            }
            _ => {}
        }
    }
    false
}

fn one_of(
    ctx: &Ctx,
    name: &str,
    rust: &proc_macro2::Ident,
    cfg: &TokenStream,
    source_location: &str,
    variants: &[SchemaType],
    summary: &Option<String>,
) -> Result<TokenStream, EmitError> {
    let mut lines = summary_lines(summary, format!("One of several shapes (`{name}`)."));
    lines.push(String::new());
    lines.push(
        " Decoding tries first the alternative that declares most of the answer's fields."
            .to_owned(),
    );
    lines.push(String::new());
    lines.push(format!(" Upstream: `{source_location}`."));
    let doc = docs(&lines);
    let mut scope = Scope::default();
    let mut idents = Vec::new();
    let mut types = Vec::new();
    let mut fields = Vec::new();
    for (i, ty) in variants.iter().enumerate() {
        let variant = match ty {
            SchemaType::Ref(r) => ctx.rust_type_name(r)?.to_owned(),
            _ => format!("V{i}"),
        };
        idents.push(format_ident!("{}", scope.claim(variant)));
        fields.push(match ty {
            SchemaType::Ref(r) if matches!(ctx.inv.types.get(r), Some(TypeDef::Record { .. })) => {
                let t = ctx.rust_type(ty)?;
                quote! { #t::FIELDS }
            }
            _ => quote! { &[] },
        });
        types.push(ctx.rust_type(ty)?);
    }
    let variant_docs = variants.iter().map(|v| format!(" `{v}`"));
    let indexes = (0..idents.len()).map(proc_macro2::Literal::usize_unsuffixed);
    let expected = format!(
        "{name}: the answer matches none of {}",
        variants
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(quote! {
        #doc
        #cfg
        #[derive(Clone, Debug)]
        pub enum #rust {
            #( #[doc = #variant_docs] #idents(#types), )*
        }

        #cfg
        impl Serialize for #rust {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #( Self::#idents(value) => value.serialize(serializer), )*
                }
            }
        }

        #cfg
        impl<'de> Deserialize<'de> for #rust {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = serde_json::Value::deserialize(deserializer)?;
                for i in panelkit_core::openapi::one_of_order(&value, &[#(#fields),*]) {
                    match i {
                        #( #indexes => {
                            if let Ok(v) = <#types>::deserialize(&value) {
                                return Ok(Self::#idents(v));
                            }
                        } )*
                        _ => {}
                    }
                }
                Err(serde::de::Error::custom(#expected))
            }
        }
    })
}
