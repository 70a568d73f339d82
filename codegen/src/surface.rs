//! A crate's public API as text, one line per item, for snapshot review.
//!
//! Regenerating after a panel upgrade changes this listing exactly where the
//! API changed, so `cargo insta review` shows the upgrade's effect on users.
//! The listing follows `mod` declarations from `src/lib.rs` and tags items in
//! feature-gated modules with their feature.

use std::fs;
use std::path::Path;

use quote::ToTokens;

/// Lists the public items of the crate whose `src/lib.rs` is under `crate_dir`.
pub fn list(crate_dir: &Path) -> Result<String, String> {
    let mut lines = Vec::new();
    visit_file(
        &crate_dir.join("src").join("lib.rs"),
        "crate",
        None,
        &mut lines,
    )?;
    lines.sort();
    lines.dedup();
    let mut out = lines.join("\n");
    out.push('\n');
    Ok(out)
}

/// Visits one module file. Its `mod x;` children live next to it when it is
/// `lib.rs` or `mod.rs`, else in the directory named after it (Rust's rules).
fn visit_file(
    full: &Path,
    path: &str,
    feature: Option<&str>,
    lines: &mut Vec<String>,
) -> Result<(), String> {
    let text = fs::read_to_string(full).map_err(|e| format!("{}: {e}", full.display()))?;
    let parsed = syn::parse_file(&text).map_err(|e| format!("{}: {e}", full.display()))?;
    let parent = full.parent().unwrap_or(Path::new("."));
    let children = match full.file_name().and_then(|n| n.to_str()) {
        Some("lib.rs" | "mod.rs") => parent.to_owned(),
        _ => parent.join(full.file_stem().unwrap_or_default()),
    };
    visit_items(&children, &parsed.items, path, feature, lines)
}

/// The file of `mod name;` declared in a module whose children live in `dir`:
/// `dir/name.rs`, else `dir/name/mod.rs`.
fn module_file(dir: &Path, name: &str) -> std::path::PathBuf {
    let flat = dir.join(format!("{name}.rs"));
    if flat.is_file() {
        flat
    } else {
        dir.join(name).join("mod.rs")
    }
}

fn visit_items(
    dir: &Path,
    items: &[syn::Item],
    path: &str,
    feature: Option<&str>,
    lines: &mut Vec<String>,
) -> Result<(), String> {
    for item in items {
        // An item's own `#[cfg(feature = "x")]` (typed records) tags it too.
        let own = match item {
            syn::Item::Struct(s) => cfg_feature(&s.attrs),
            syn::Item::Enum(e) => cfg_feature(&e.attrs),
            syn::Item::Macro(m) => cfg_feature(&m.attrs),
            _ => None,
        };
        let here = own.as_deref().or(feature);
        let tag = |line: String| match here {
            Some(f) => format!("[{f}] {line}"),
            None => line,
        };
        match item {
            syn::Item::Mod(m) => {
                let child_feature = cfg_feature(&m.attrs);
                let feature = child_feature.as_deref().or(feature);
                let child_path = format!("{path}::{}", m.ident);
                if is_pub(&m.vis) {
                    lines.push(tag(format!("pub mod {child_path}")));
                }
                match &m.content {
                    Some((_, inner)) => visit_items(dir, inner, &child_path, feature, lines)?,
                    None => visit_file(
                        &module_file(dir, &m.ident.to_string()),
                        &child_path,
                        feature,
                        lines,
                    )?,
                }
            }
            syn::Item::Impl(imp) if imp.trait_.is_none() => {
                let self_ty = one_line(imp.self_ty.to_token_stream());
                for it in &imp.items {
                    if let syn::ImplItem::Fn(f) = it {
                        if is_pub(&f.vis) {
                            lines.push(tag(format!(
                                "impl {self_ty} {{ pub {} }}",
                                signature(&f.sig)
                            )));
                        }
                    }
                }
            }
            syn::Item::Impl(imp) => {
                let (_, trait_path, _) = imp.trait_.as_ref().expect("guarded above");
                lines.push(tag(format!(
                    "impl {} for {}",
                    one_line(trait_path.to_token_stream()),
                    one_line(imp.self_ty.to_token_stream())
                )));
            }
            syn::Item::Fn(f) if is_pub(&f.vis) => {
                lines.push(tag(format!("pub {}", signature(&f.sig))))
            }
            syn::Item::Struct(s) if is_pub(&s.vis) => {
                lines.push(tag(format!(
                    "pub struct {path}::{}{}",
                    s.ident,
                    one_line(s.generics.to_token_stream())
                )));
                for field in &s.fields {
                    if let (Some(name), true) = (&field.ident, is_pub(&field.vis)) {
                        lines.push(tag(format!(
                            "pub {path}::{}.{name}: {}",
                            s.ident,
                            one_line(field.ty.to_token_stream())
                        )));
                    }
                }
            }
            syn::Item::Enum(e) if is_pub(&e.vis) => {
                let variants: Vec<String> =
                    e.variants.iter().map(|v| v.ident.to_string()).collect();
                lines.push(tag(format!(
                    "pub enum {path}::{} {{ {} }}",
                    e.ident,
                    variants.join(", ")
                )));
            }
            syn::Item::Const(c) if is_pub(&c.vis) => lines.push(tag(format!(
                "pub const {path}::{}: {}",
                c.ident,
                one_line(c.ty.to_token_stream())
            ))),
            syn::Item::Type(t) if is_pub(&t.vis) => lines.push(tag(format!(
                "pub type {path}::{} = {}",
                t.ident,
                one_line(t.ty.to_token_stream())
            ))),
            syn::Item::Use(u) if is_pub(&u.vis) => lines.push(tag(format!(
                "pub use {}",
                one_line(u.tree.to_token_stream())
            ))),
            // Typed records and their option enums are declared through
            // panelkit_core macros whose bodies are a struct and an enum.
            syn::Item::Macro(m) if macro_named(m, "ispconfig_options") => {
                if let Ok(e) = m.mac.parse_body::<syn::ItemEnum>() {
                    let mut variants: Vec<String> =
                        e.variants.iter().map(|v| v.ident.to_string()).collect();
                    variants.push("Unknown(String)".to_owned());
                    lines.push(tag(format!(
                        "pub enum {path}::{} {{ {} }}",
                        e.ident,
                        variants.join(", ")
                    )));
                }
            }
            syn::Item::Macro(m) if macro_named(m, "ispconfig_record") => {
                if let Ok(s) = m.mac.parse_body::<syn::ItemStruct>() {
                    lines.push(tag(format!("pub struct {path}::{}", s.ident)));
                    for field in &s.fields {
                        if let Some(name) = &field.ident {
                            lines.push(tag(format!(
                                "pub {path}::{}.{name}: {}",
                                s.ident,
                                one_line(field.ty.to_token_stream())
                            )));
                        }
                    }
                    lines.push(tag(format!(
                        "pub {path}::{}.other: BTreeMap<String, Value>",
                        s.ident
                    )));
                }
            }
            syn::Item::Trait(t) if is_pub(&t.vis) => {
                lines.push(tag(format!("pub trait {path}::{}", t.ident)))
            }
            _ => {}
        }
    }
    Ok(())
}

fn macro_named(m: &syn::ItemMacro, name: &str) -> bool {
    m.mac.path.segments.last().is_some_and(|s| s.ident == name)
}

fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

/// The feature of `#[cfg(feature = "x")]`, if the item has one.
fn cfg_feature(attrs: &[syn::Attribute]) -> Option<String> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("cfg"))
        .find_map(|a| {
            let nv: syn::MetaNameValue = a.parse_args().ok()?;
            if !nv.path.is_ident("feature") {
                return None;
            }
            match nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            }
        })
}

/// A function signature printed the way rustfmt would, on one line.
fn signature(sig: &syn::Signature) -> String {
    let item: syn::ItemFn = syn::ItemFn {
        attrs: Vec::new(),
        vis: syn::Visibility::Inherited,
        sig: sig.clone(),
        block: Box::new(syn::parse_quote!({})),
    };
    let printed = prettyplease::unparse(&syn::File {
        shebang: None,
        attrs: Vec::new(),
        items: vec![syn::Item::Fn(item)],
    });
    let joined = printed.split_whitespace().collect::<Vec<_>>().join(" ");
    joined
        .trim_end_matches("{}")
        .trim()
        .replace("( ", "(")
        .replace(", )", ")")
        .replace(",)", ")")
}

/// Tokens printed on one line with Rust-like spacing.
fn one_line(tokens: proc_macro2::TokenStream) -> String {
    let text = tokens.to_string();
    text.replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" ::", "::")
        .replace(" < ", "<")
        .replace("< ", "<")
        .replace(" <", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
        .replace("& ", "&")
        .replace("{ ", "{")
        .replace(" }", "}")
}
