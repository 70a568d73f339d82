//! `src/conformance.rs` (feature `conformance`): every operation callable
//! with minimal valid arguments, for tests that send each one to a mock server
//! validating requests against the spec (prism). Each entry names the
//! operation and the security schemes it accepts, so a harness can pick
//! fitting credentials.

use quote::{format_ident, quote};

use super::operations::operation;
use super::Ctx;
use crate::emit::{rust_file_with_doc, EmitError};
use crate::model::Protocol;

/// The feature that compiles the module.
pub(super) const FEATURE: &str = "conformance";

pub(super) fn conformance_rs(ctx: &Ctx) -> Result<String, EmitError> {
    let mut fns = Vec::new();
    let mut entries = Vec::new();
    for op in &ctx.inv.operations {
        let emitted = operation(ctx, op, &mut Default::default())?;
        let call = emitted.call;
        let fn_name = format_ident!("call_{}", super::names::snake(&op.name));
        let name = &op.name;
        let security: Vec<&String> = match &op.protocol {
            Protocol::Http { security, .. } => security.iter().collect(),
            _ => Vec::new(),
        };
        fns.push(quote! {
            fn #fn_name(client: &Client) -> BoxFuture<'_, Result<()>> {
                Box::pin(async move { #call })
            }
        });
        entries.push(quote! {
            Operation { name: #name, auth: &[#(#security),*], call: #fn_name },
        });
    }
    let tokens = quote! {
        #![allow(unused_imports, clippy::needless_borrows_for_generic_args)]
        use panelkit_core::rest::{BoxFuture, Multipart, StreamBody};
        use crate::types::*;
        use crate::{Client, Result};

        /// One operation and a call of it with minimal valid arguments.
        #[derive(Clone, Copy, Debug)]
        pub struct Operation {
            /// The operation id.
            pub name: &'static str,
            /// The security schemes the operation accepts (empty: none).
            pub auth: &'static [&'static str],
            /// Calls it on a client; the answer is dropped.
            pub call: for<'a> fn(&'a Client) -> BoxFuture<'a, Result<()>>,
        }

        /// Every operation, sorted by name.
        pub const OPERATIONS: &[Operation] = &[#(#entries)*];

        #(#fns)*
    };
    let doc = "Every operation with minimal valid arguments (required strings `\"x\"`, numbers\n\
               `1`, the first allowed enum value, default bodies, a one-byte upload), for\n\
               conformance tests against a mock server that validates requests.";
    rust_file_with_doc(&ctx.target.inventory_path, doc, tokens)
}
