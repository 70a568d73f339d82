//! `permissions.rs` of the generated ISPConfig crate: which remote-user
//! function groups each method needs, from the inventory's permission checks.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Inventory, Protocol};

/// The module's inner doc.
pub(super) const DOC: &str = "What a remote user (System → Remote Users) must be allowed for each
method: the function names the method passes to `checkPerm()`, each
with the function groups (`interface/web/*/lib/remote.conf.php`)
whose tick allows it. A method fails with `permission_denied` unless
every check is allowed by at least one ticked group.";

/// The module's tokens: one `Check` list per method that checks anything,
/// sorted by method name for a binary search.
pub(super) fn module(inventory: &Inventory) -> TokenStream {
    let mut rows: Vec<(&str, Vec<TokenStream>)> = inventory
        .operations
        .iter()
        .filter_map(|op| match &op.protocol {
            Protocol::Soap { permissions, .. } if !permissions.is_empty() => {
                let checks = permissions.iter().map(|check| {
                    let function = &check.function;
                    let groups = &check.groups;
                    quote! { Check { function: #function, groups: &[#(#groups),*] } }
                });
                Some((op.name.as_str(), checks.collect()))
            }
            _ => None,
        })
        .collect();
    rows.sort_by(|a, b| a.0.cmp(b.0));
    let entries = rows.iter().map(|(name, checks)| {
        quote! { (#name, &[#(#checks),*]) }
    });
    let version = &inventory.upstream_version;
    let doc =
        format!(" Every method's permission checks in ISPConfig {version}, sorted by method.");
    quote! {
        /// One `checkPerm()` of a method.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub struct Check {
            /// The function name checked (`client_get_id`).
            pub function: &'static str,
            /// The function groups that allow it; any one of them is enough.
            pub groups: &'static [&'static str],
        }

        #[doc = #doc]
        pub const CHECKS: &[(&str, &[Check])] = &[#(#entries),*];

        /// The checks `method` makes (empty for an unknown method or one that
        /// checks nothing, such as `login`).
        pub fn checks(method: &str) -> &'static [Check] {
            CHECKS
                .binary_search_by(|(name, _)| (*name).cmp(method))
                .map(|at| CHECKS[at].1)
                .unwrap_or(&[])
        }
    }
}
