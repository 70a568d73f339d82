//! `src/types.rs`: records as serde structs (lenient: a required field an
//! answer leaves out decodes as its type's empty value, unknown fields are
//! ignored, optional fields are skipped when `None`; a record with required
//! fields has no `Default` but a `new` taking them, so a body never goes out
//! with a required field silently zeroed),
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
    let absent = absent_needed(ctx);
    let mut items = Vec::new();
    for (name, def) in &ctx.inv.types {
        items.push(type_def(
            ctx,
            name,
            def,
            union_members.contains(name.as_str()),
            absent.contains(name.as_str()),
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

/// Whether a record has a required field: it then has no `Default` (a
/// default would send that field zeroed) and gets a `new` taking them.
pub(super) fn has_required(fields: &std::collections::BTreeMap<String, Field>) -> bool {
    fields.values().any(|f| f.required)
}

/// Whether values of `ty` have a `Default`, which a plain field falls back
/// on when an answer leaves it out.
fn has_default(ctx: &Ctx, ty: &SchemaType, depth: usize) -> bool {
    match ty {
        SchemaType::String(Some(f)) if f == "password" => false,
        SchemaType::Ref(name) => match ctx.inv.types.get(name) {
            Some(TypeDef::Record { fields, .. }) => !has_required(fields),
            Some(TypeDef::Enum { .. }) => true,
            Some(TypeDef::Alias { ty, .. }) => depth < 8 && has_default(ctx, ty, depth + 1),
            Some(TypeDef::OneOf { .. }) | None => false,
        },
        _ => true,
    }
}

/// Records without `Default` that are the type of some plain field: they
/// get a private `absent()` that decoding fills such a field with.
fn absent_needed<'a>(ctx: &Ctx<'a>) -> BTreeSet<&'a str> {
    let mut out = BTreeSet::new();
    for def in ctx.inv.types.values() {
        let TypeDef::Record { fields, .. } = def else {
            continue;
        };
        for field in fields.values() {
            if let SchemaType::Ref(r) = &field.ty {
                if let Some((key, TypeDef::Record { fields, .. })) = ctx.inv.types.get_key_value(r)
                {
                    if field.required && has_required(fields) {
                        out.insert(key.as_str());
                    }
                }
            }
        }
    }
    out
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
    needs_absent: bool,
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
            let required = has_required(fields);
            let mut lines = summary_lines(summary, format!("The `{name}` schema."));
            if required {
                lines.push(String::new());
                lines.push(
                    " `Default` is not implemented: build it with [`new`](Self::new), which \
                     takes every required field. Decoding stays lenient: a required field an \
                     answer leaves out (a partial answer, such as a listing that carries only \
                     ids) decodes as its type's empty value."
                        .to_owned(),
                );
            }
            lines.push(String::new());
            lines.push(format!(" Upstream: `{source_location}`."));
            let doc = docs(&lines);
            let mut scope = Scope::default();
            let mut emitted = Vec::new();
            for (wire, field) in fields {
                emitted.push(record_field(ctx, name, wire, field, &mut scope)?);
            }
            let out_fields = emitted.iter().map(|f| &f.tokens);
            let constructors = if required {
                record_constructors(&rust, &cfg, &emitted, needs_absent)
            } else {
                quote! {}
            };
            let (derive, serde_default) = if required {
                (
                    quote! { #[derive(Clone, Debug, Serialize, Deserialize)] },
                    quote! {},
                )
            } else {
                (
                    quote! { #[derive(Clone, Debug, Default, Serialize, Deserialize)] },
                    quote! { #[serde(default)] },
                )
            };
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
                #derive
                #serde_default
                pub struct #rust {
                    #(#out_fields)*
                }
                #constructors
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

/// One emitted record field and what the record's constructors need of it.
struct RecordField {
    /// The field's declaration.
    tokens: TokenStream,
    /// Its Rust name.
    ident: proc_macro2::Ident,
    /// Required upstream: an argument of `new`.
    required: bool,
    /// `new`'s argument type (the value itself: unboxed, not an `Option`
    /// unless `null` is allowed).
    arg_ty: TokenStream,
    /// How `new` stores the argument `ident` in the field (`None`: as it is).
    store: Option<TokenStream>,
    /// The field's value in `absent()`.
    absent: TokenStream,
}

fn record_field(
    ctx: &Ctx,
    record: &str,
    wire: &str,
    field: &Field,
    scope: &mut Scope,
) -> Result<RecordField, EmitError> {
    let rust_name = scope.claim(snake(wire));
    let field_ident = ident(&rust_name);
    let FieldShape { ty, plain, boxed } = field_shape(ctx, record, wire, field)?;
    let value_ty = ctx.rust_type(&ty)?;
    let mut rust = value_ty.clone();
    if boxed {
        rust = quote! { Box<#rust> };
    }
    let mut serde_attrs = Vec::new();
    if rust_name.trim_start_matches("r#") != wire {
        serde_attrs.push(quote! { rename = #wire });
    }
    // `None`: the argument goes in as it is (field init shorthand).
    let boxed_value = boxed.then(|| quote! { Box::new(#field_ident) });
    let (field_ty, store, absent): (_, Option<TokenStream>, _) = if plain {
        // A required field an answer leaves out decodes as an empty value;
        // callers cannot get one: `new` takes it.
        let absent = if has_default(ctx, &ty, 0) {
            serde_attrs.push(quote! { default });
            quote! { Default::default() }
        } else {
            let (SchemaType::Ref(target), false) = (&ty, boxed) else {
                return Err(EmitError(format!(
                    "{record}.{wire}: a required field of type {ty} has no empty value to decode \
                     a missing one as (not supported yet)"
                )));
            };
            let target = ctx.rust_type_name(target)?;
            let path = format!("{target}::absent");
            serde_attrs.push(quote! { default = #path });
            let target = format_ident!("{}", target);
            quote! { #target::absent() }
        };
        (rust, boxed_value, absent)
    } else {
        serde_attrs.push(quote! { skip_serializing_if = "Option::is_none" });
        let store = if field.nullable {
            boxed.then(|| quote! { #field_ident.map(Box::new) })
        } else {
            let value = boxed_value.unwrap_or_else(|| quote! { #field_ident });
            Some(quote! { Some(#value) })
        };
        (quote! { Option<#rust> }, store, quote! { None })
    };
    let arg_ty = if plain || !field.nullable {
        value_ty
    } else {
        quote! { Option<#value_ty> }
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
    Ok(RecordField {
        tokens: quote! {
            #doc
            #serde
            pub #field_ident: #field_ty,
        },
        ident: field_ident,
        required: field.required,
        arg_ty,
        store,
        absent,
    })
}

/// `new` of a record with required fields, and `absent()` when a plain
/// field of another record needs it for decoding.
fn record_constructors(
    rust: &proc_macro2::Ident,
    cfg: &TokenStream,
    fields: &[RecordField],
    needs_absent: bool,
) -> TokenStream {
    let required: Vec<&RecordField> = fields.iter().filter(|f| f.required).collect();
    let args = required.iter().map(|f| {
        let (name, ty) = (&f.ident, &f.arg_ty);
        quote! { #name: #ty }
    });
    let names = required
        .iter()
        .map(|f| format!("`{}`", f.ident.to_string().trim_start_matches("r#")))
        .collect::<Vec<_>>()
        .join(", ");
    let doc = format!(
        " Builds it from its required fields ({names}), each argument named after its field; \
         the optional fields start as `None`."
    );
    let inits = fields.iter().map(|f| {
        let name = &f.ident;
        if f.required {
            match &f.store {
                Some(store) => quote! { #name: #store, },
                None => quote! { #name, },
            }
        } else {
            quote! { #name: None, }
        }
    });
    let absent = needs_absent.then(|| {
        let inits = fields.iter().map(|f| {
            let (name, value) = (&f.ident, &f.absent);
            quote! { #name: #value, }
        });
        quote! {
            /// What decoding puts in a required field of this type that an
            /// answer leaves out: every required field empty. Private, so
            /// callers cannot build a body with a required field zeroed.
            // Unused where only the features of the records that hold this
            // type as a plain field are off.
            #[allow(dead_code)]
            fn absent() -> Self {
                Self { #(#inits)* }
            }
        }
    });
    // As many arguments as the spec has required fields (clippy's limit is 7).
    let many = (required.len() > 7).then(|| quote! { #[allow(clippy::too_many_arguments)] });
    quote! {
        #cfg
        impl #rust {
            #[doc = #doc]
            #many
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits)* }
            }
            #absent
        }
    }
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
