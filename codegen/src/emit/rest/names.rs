//! Rust names for upstream names: deterministic, keyword-safe and
//! collision-free within their scope.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};
use quote::format_ident;

/// An identifier, raw (`r#type`) when it is a Rust keyword; `self`-like
/// keywords that cannot be raw get a trailing underscore.
pub fn ident(name: &str) -> Ident {
    if syn::parse_str::<Ident>(name).is_ok() {
        Ident::new(name, Span::call_site())
    } else if matches!(name, "self" | "Self" | "super" | "crate" | "_") {
        format_ident!("{name}_")
    } else {
        Ident::new_raw(name, Span::call_site())
    }
}

/// Only ASCII letters, digits and `_` survive; anything else separates words.
/// An acronym with a plural `s` (`APIs`) is one word, not `AP` + `Is`.
fn words(name: &str) -> String {
    let spaced: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    spaced
        .split(' ')
        .map(|word| match word.strip_suffix('s') {
            Some(stem) if stem.len() > 1 && stem.chars().all(|c| c.is_ascii_uppercase()) => {
                word.to_ascii_lowercase()
            }
            _ => word.to_owned(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A type name (`APIKey` → `ApiKey`, `user APIs` → `UserApis`).
pub fn type_name(name: &str) -> String {
    let mut out = words(name).to_upper_camel_case();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'T');
    }
    out
}

/// A field, parameter, method or module name (`X-SFTPGO-MTIME` →
/// `x_sftpgo_mtime`).
pub fn snake(name: &str) -> String {
    let mut out = words(name).to_snake_case();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
        out.insert(0, 'v');
    }
    out
}

/// An enum variant for a wire value (`ssh-commands` → `SshCommands`,
/// `*` → `Star`, `12` → `V12`).
pub fn variant_name(value: &str) -> String {
    let spelled: String = value
        .chars()
        .map(|c| match c {
            '*' => " star ".to_owned(),
            '+' => " plus ".to_owned(),
            c => c.to_string(),
        })
        .collect();
    let mut out = words(&spelled).to_upper_camel_case();
    if out.is_empty() {
        out = "Empty".to_owned();
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    out
}

/// Hands out names unique within one scope: a taken name gets `_2`, `_3`
/// (snake case) or `2`, `3` (type case) appended.
#[derive(Debug, Default)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// A scope where `reserved` are already taken.
    pub fn with(reserved: &[&str]) -> Self {
        Scope {
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// `wanted`, or the first free numbered form of it.
    pub fn claim(&mut self, wanted: String) -> String {
        if self.taken.insert(wanted.clone()) {
            return wanted;
        }
        let sep = if wanted.contains('_') || wanted.starts_with(|c: char| c.is_lowercase()) {
            "_"
        } else {
            ""
        };
        (2..)
            .map(|n| format!("{wanted}{sep}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .expect("some number is free")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(type_name("APIKey"), "ApiKey");
        assert_eq!(type_name("user APIs"), "UserApis");
        assert_eq!(snake("user APIs"), "user_apis");
        assert_eq!(snake("IP Lists"), "ip_lists");
        assert_eq!(snake("X-SFTPGO-MTIME"), "x_sftpgo_mtime");
        assert_eq!(snake("output-file"), "output_file");
        assert_eq!(snake("2fa"), "v_2fa");
        assert_eq!(variant_name("*"), "Star");
        assert_eq!(variant_name("ssh-commands"), "SshCommands");
        assert_eq!(variant_name("12"), "V12");
        assert_eq!(variant_name(""), "Empty");
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("self").to_string(), "self_");
    }

    #[test]
    fn scopes_number_collisions() {
        let mut s = Scope::with(&["body"]);
        assert_eq!(s.claim("body".into()), "body_2");
        assert_eq!(s.claim("name".into()), "name");
        assert_eq!(s.claim("name".into()), "name_2");
        let mut t = Scope::default();
        assert_eq!(t.claim("User".into()), "User");
        assert_eq!(t.claim("User".into()), "User2");
    }
}
