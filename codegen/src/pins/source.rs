//! What the pins read from the overlay's source, with `syn` (nothing is
//! compiled or run):
//!
//! - the helper → upstream methods table of a panel, `PINS` in
//!   `crates/panelkit/src/<panel>/pins.rs`: `&[("Type::helper", &["method",
//!   ...]), ...]`, string literals only;
//! - the helpers themselves: every `pub async fn` of an inherent `impl`, and
//!   every `pub fn` that answers a stream of pages (its return type names
//!   [`STREAMS`]: `Pages<'_, T>`, `Result<Pages<'_, T>>`, ...; it calls
//!   upstream when polled, so it is audited like an async helper), in the
//!   panel's overlay module, as `Type::name` (`Users::all` on a handler
//!   `impl Users<'_>`). The generic call-by-name escape hatches (`raw_call`,
//!   `call`) wrap no method in particular and are not helpers; neither are
//!   plain `pub fn`s such as the handler accessors (`fn users(&self) ->
//!   Users<'_>`), which send nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use syn::{Expr, ImplItem, Item, Lit, Visibility};

/// Methods that call whatever method the caller names: not audited helpers.
const PASSTHROUGHS: &[&str] = &["raw_call", "call"];

/// The stream types a non-async helper answers: each polls upstream page by
/// page (`panelkit::paging::Pages`, DCImanager's `ListStream`).
const STREAMS: &[&str] = &["Pages", "ListStream"];

/// A panel's helper → methods table, by helper, methods in table order.
pub type Mapping = BTreeMap<String, Vec<String>>;

/// Reads the `PINS` table of the pins file at `path`.
pub fn read_mapping(path: &Path) -> Result<Mapping, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    parse_mapping(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The `PINS` table in Rust source `text`.
pub fn parse_mapping(text: &str) -> Result<Mapping, String> {
    let file = syn::parse_file(text).map_err(|e| e.to_string())?;
    let table = file
        .items
        .iter()
        .find_map(|item| match item {
            Item::Const(c) if c.ident == "PINS" => Some(&*c.expr),
            _ => None,
        })
        .ok_or("no `const PINS` table")?;
    let mut out = Mapping::new();
    for entry in array(table)? {
        let Expr::Tuple(tuple) = entry else {
            return Err("a PINS entry is not a (helper, &[methods]) tuple".into());
        };
        let [helper, methods] = [tuple.elems.first(), tuple.elems.get(1)];
        let (Some(helper), Some(methods), 2) = (helper, methods, tuple.elems.len()) else {
            return Err("a PINS entry is not a (helper, &[methods]) tuple".into());
        };
        let helper = string(helper)?;
        let methods: Vec<String> = array(methods)?.map(string).collect::<Result<_, _>>()?;
        if methods.is_empty() {
            return Err(format!("{helper} pins no method"));
        }
        if out.insert(helper.clone(), methods).is_some() {
            return Err(format!("{helper} is listed twice"));
        }
    }
    Ok(out)
}

/// The elements of `&[...]` (or `[...]`).
fn array(expr: &Expr) -> Result<impl Iterator<Item = &Expr>, String> {
    let expr = match expr {
        Expr::Reference(r) => &*r.expr,
        other => other,
    };
    match expr {
        Expr::Array(a) => Ok(a.elems.iter()),
        _ => Err("expected a `&[...]` array of string literals".into()),
    }
}

fn string(expr: &Expr) -> Result<String, String> {
    match expr {
        Expr::Lit(lit) => match &lit.lit {
            Lit::Str(s) => Ok(s.value()),
            _ => Err("expected a string literal".into()),
        },
        _ => Err("expected a string literal".into()),
    }
}

/// Every helper defined in the `.rs` files under `dir`, as `Type::name`.
pub fn helpers(dir: &Path) -> Result<BTreeSet<String>, String> {
    let mut out = BTreeSet::new();
    let mut files = Vec::new();
    collect_files(dir, &mut files)?;
    for path in files {
        let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let file = syn::parse_file(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        helpers_in(&file.items, &mut out);
    }
    Ok(out)
}

fn collect_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> Result<(), String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            collect_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out.sort();
    Ok(())
}

/// The helpers of `items` and of their inline modules; `#[cfg(test)]`
/// modules hold none.
fn helpers_in(items: &[Item], out: &mut BTreeSet<String>) {
    for item in items {
        match item {
            Item::Impl(imp) if imp.trait_.is_none() => {
                let syn::Type::Path(ty) = &*imp.self_ty else {
                    continue;
                };
                let Some(ty) = ty.path.segments.last() else {
                    continue;
                };
                for item in &imp.items {
                    let ImplItem::Fn(f) = item else { continue };
                    let name = f.sig.ident.to_string();
                    let helper = matches!(f.vis, Visibility::Public(_))
                        && (f.sig.asyncness.is_some() || returns_stream(&f.sig.output))
                        && !PASSTHROUGHS.contains(&name.as_str());
                    if helper {
                        out.insert(format!("{}::{name}", ty.ident));
                    }
                }
            }
            Item::Mod(m) if !is_test(&m.attrs) => {
                if let Some((_, items)) = &m.content {
                    helpers_in(items, out);
                }
            }
            _ => {}
        }
    }
}

/// Whether `output` names one of [`STREAMS`] anywhere in its type, so that
/// `Pages<'_, T>`, `Result<Pages<'_, T>>` and `crate::paging::Pages<..>`
/// all count.
fn returns_stream(output: &syn::ReturnType) -> bool {
    let syn::ReturnType::Type(_, ty) = output else {
        return false;
    };
    names_stream(ty)
}

fn names_stream(ty: &syn::Type) -> bool {
    let syn::Type::Path(path) = ty else {
        return false;
    };
    path.path.segments.iter().any(|segment| {
        STREAMS.contains(&segment.ident.to_string().as_str())
            || match &segment.arguments {
                syn::PathArguments::AngleBracketed(args) => args.args.iter().any(
                    |arg| matches!(arg, syn::GenericArgument::Type(inner) if names_stream(inner)),
                ),
                _ => false,
            }
    })
}

fn is_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.parse_args::<syn::Meta>()
                .is_ok_and(|m| m.path().is_ident("test"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_read_and_bad_entries_named() {
        let m = parse_mapping(
            r#"pub(crate) const PINS: &[(&str, &[&str])] = &[
                ("Dns::zone", &["dns_zone_get"]),
                ("Dns::add", &["dns_a_add", "dns_zone_update"]),
            ];"#,
        )
        .unwrap();
        assert_eq!(m["Dns::add"], ["dns_a_add", "dns_zone_update"]);
        assert_eq!(m.len(), 2);
        let twice = r#"const PINS: &[(&str, &[&str])] = &[("A::b", &["x"]), ("A::b", &["y"])];"#;
        assert!(parse_mapping(twice).unwrap_err().contains("A::b"));
        let computed = r#"const PINS: &[(&str, &[&str])] = &[("A::b", &[X])];"#;
        assert!(parse_mapping(computed).is_err());
        assert!(parse_mapping("const OTHER: u8 = 1;").is_err());
    }

    #[test]
    fn helpers_are_public_async_or_stream_methods_of_inherent_impls() {
        let file = syn::parse_file(
            r#"
            impl Dns<'_> {
                pub async fn zone(&self) {}
                pub fn list_zones(&self) -> Vec<Zone> {}
                pub fn builder() {}
                async fn private(&self) {}
                pub(crate) async fn internal(&self) {}
                fn pages(&self) -> Pages<'_, Zone> {}
            }
            impl<'a> Users<'a> {
                pub fn all(&self) -> Pages<'a, User> {}
                pub fn all_with(&self, o: ListOptions) -> crate::paging::Pages<'a, User> {}
                pub fn checked(&self) -> Result<ListStream<Value>> {}
                pub fn options(&self) -> ListOptions {}
            }
            impl Client {
                pub async fn raw_call(&self) {}
                pub async fn owner_of(&self) {}
                pub fn users(&self) -> Users<'_> {}
                pub fn generated(&self) -> &Inner {}
            }
            impl Trait for X { async fn no(&self) {} fn all(&self) -> Pages<'_, X> {} }
            mod inner { impl Sites { pub async fn site(&self) {} } }
            #[cfg(test)] mod tests { impl T { pub async fn t() {} pub fn p() -> Pages<'static, u8> {} } }
            "#,
        )
        .unwrap();
        let mut out = BTreeSet::new();
        helpers_in(&file.items, &mut out);
        let out: Vec<&str> = out.iter().map(String::as_str).collect();
        assert_eq!(
            out,
            [
                "Client::owner_of",
                "Dns::zone",
                "Sites::site",
                "Users::all",
                "Users::all_with",
                "Users::checked",
            ]
        );
    }
}
