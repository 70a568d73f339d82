//! `releases.rs` of the generated ISPConfig crate: every committed release's
//! remote methods, so a client can tell which releases a panel matches.

use proc_macro2::TokenStream;
use quote::quote;

use crate::inventories::Release;

/// The module's inner doc.
pub(super) const DOC: &str =
    "The ISPConfig releases panelkit has inventories of, oldest first, each
with its remote methods: compare them with what a panel's
`get_function_list` answers to tell which releases it can be.";

/// The module's tokens. A release whose methods are the crate's own uses
/// [`METHODS`](crate) and every other distinct list is written once, so the
/// usual case — most releases serving the same methods — costs nothing.
pub(super) fn module(releases: &[Release], current: &[String]) -> TokenStream {
    let mut lists: Vec<&[String]> = Vec::new();
    let entries: Vec<TokenStream> = releases
        .iter()
        .map(|release| {
            let version = &release.version;
            let methods = if release.operations.as_slice() == current {
                quote! { crate::METHODS }
            } else {
                let index = match lists
                    .iter()
                    .position(|l| *l == release.operations.as_slice())
                {
                    Some(index) => index,
                    None => {
                        lists.push(&release.operations);
                        lists.len() - 1
                    }
                };
                let name = quote::format_ident!("METHODS_{index}");
                quote! { #name }
            };
            quote! { Release { version: #version, methods: #methods } }
        })
        .collect();
    let consts = lists.iter().enumerate().map(|(index, methods)| {
        let name = quote::format_ident!("METHODS_{index}");
        quote! {
            /// A release's methods, where they differ from the crate's own.
            const #name: &[&str] = &[#(#methods),*];
        }
    });
    quote! {
        #(#consts)*

        /// One release of the panel.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub struct Release {
            /// Its version (`3.2.10`).
            pub version: &'static str,
            /// Its remote methods, sorted.
            pub methods: &'static [&'static str],
        }

        /// Every committed release, oldest first.
        pub const RELEASES: &[Release] = &[#(#entries),*];

        /// The releases whose remote methods are exactly `functions` (a
        /// panel's `get_function_list` answer; names no release has, such as
        /// PHP's `__construct`, are left out of the comparison), oldest first.
        pub fn matching(functions: &[&str]) -> Vec<&'static str> {
            let known = |name: &&str| RELEASES.iter().any(|r| r.methods.contains(name));
            let mut offered: Vec<&str> = functions.iter().copied().filter(known).collect();
            offered.sort_unstable();
            offered.dedup();
            RELEASES
                .iter()
                .filter(|release| release.methods == offered.as_slice())
                .map(|release| release.version)
                .collect()
        }
    }
}
