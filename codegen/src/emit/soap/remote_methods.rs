//! `remote_methods.rs` of the generated ISPConfig crate: each method's PHP
//! parameter names and defaults and the faults it raises, for the JSON
//! transport (`remote/json.php` takes parameters by name and sends a fault's
//! message without its code).

use proc_macro2::TokenStream;
use quote::quote;

use super::php_default;
use crate::emit::EmitError;
use crate::model::{FaultThrow, Inventory, MessagePart, Protocol};

/// The module's inner doc.
pub(super) const DOC: &str = "Every remote method's PHP parameters (names, defaults) and the faults
it raises (code, message pattern), sorted by name: the table the JSON
transport needs, installed by `Client::builder()`. Over `remote/json.php`
parameters travel by name (a missing one is `null` on the panel, not its
default) and a fault arrives as its message only.";

/// Values whose shape the panel's form library fixes, though the throw
/// site inserts them as a variable: remoting_lib's `errorMessage` is a list
/// of validator messages, each ending in `\r\n` (`tform_base.inc.php`).
/// Knowing it tells a validation error from a `database_error` (`$error $sql`).
const KNOWN_ENDINGS: &[(&str, &str)] = &[("$app->remoting_lib->errorMessage", "\r\n")];

/// The module's tokens.
pub(super) fn module(inventory: &Inventory) -> Result<TokenStream, EmitError> {
    let mut ops: Vec<_> = inventory.operations.iter().collect();
    ops.sort_by(|a, b| a.name.cmp(&b.name));
    let mut distinct: Vec<&FaultThrow> = Vec::new();
    let mut rows = Vec::new();
    for op in ops {
        let params = op
            .params
            .iter()
            .map(|p| {
                let name = &p.name;
                let default = match &p.default {
                    None => quote! { None },
                    Some(literal) => {
                        let value = php_default(literal).ok_or_else(|| {
                            EmitError(format!(
                                "{}: cannot express PHP default `{literal}` of ${}",
                                op.name, p.name
                            ))
                        })?;
                        quote! { Some(|| #value) }
                    }
                };
                Ok(quote! { RemoteParam { name: #name, default: #default } })
            })
            .collect::<Result<Vec<_>, EmitError>>()?;
        let faults: &[FaultThrow] = match &op.protocol {
            Protocol::Soap { faults, .. } => faults,
            _ => &[],
        };
        let refs = faults.iter().map(|f| {
            let index = distinct.iter().position(|d| *d == f).unwrap_or_else(|| {
                distinct.push(f);
                distinct.len() - 1
            });
            let ident = quote::format_ident!("F{index}");
            quote! { #ident }
        });
        let refs: Vec<TokenStream> = refs.collect();
        let name = &op.name;
        rows.push(quote! {
            RemoteMethod { name: #name, params: &[#(#params),*], faults: &[#(#refs),*] }
        });
    }
    let consts = distinct.iter().enumerate().map(|(i, fault)| {
        let ident = quote::format_ident!("F{i}");
        let code = &fault.code;
        let pieces = pieces(&fault.message);
        quote! { const #ident: RemoteFault = RemoteFault { code: #code, message: &[#(#pieces),*] }; }
    });
    let version = &inventory.upstream_version;
    let doc = format!(" Every remote method of ISPConfig {version}, sorted by name.");
    Ok(quote! {
        use panelkit_core::ispconfig::{MessagePiece, RemoteFault, RemoteMethod, RemoteParam};
        use crate::Value;

        #(#consts)*

        #[doc = #doc]
        pub static REMOTE_METHODS: &[RemoteMethod] = &[#(#rows),*];
    })
}

/// A message as match pieces: text, and a `Value` for each inserted
/// expression (followed by its known ending, if it has one).
fn pieces(message: &[MessagePart]) -> Vec<TokenStream> {
    let mut texts: Vec<Option<String>> = Vec::new();
    for part in message {
        match part {
            MessagePart::Text(t) => texts.push(Some(t.clone())),
            MessagePart::Expr(e) => {
                texts.push(None);
                if let Some((_, ending)) = KNOWN_ENDINGS.iter().find(|(x, _)| x == e) {
                    texts.push(Some((*ending).to_owned()));
                }
            }
        }
    }
    // Join adjacent texts, collapse adjacent values.
    let mut joined: Vec<Option<String>> = Vec::new();
    for piece in texts {
        match (joined.last_mut(), piece) {
            (Some(Some(last)), Some(t)) => last.push_str(&t),
            (Some(None), None) => {}
            (_, piece) => joined.push(piece),
        }
    }
    joined
        .into_iter()
        .map(|p| match p {
            Some(t) => quote! { MessagePiece::Text(#t) },
            None => quote! { MessagePiece::Value },
        })
        .collect()
}
