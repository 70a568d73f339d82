//! Audit pins: the upstream signature an overlay helper was audited against,
//! and the check that fails when an inventory no longer matches it.
//!
//! A pin names a helper, one generated method it wraps, and the signature the
//! helper was reviewed against, as readable text ([`signature`]) and as a hash
//! ([`hash`]). Both come from the operation in the inventory:
//!
//! - the text is `name(p1, p2 = default, &p3: type)`: every parameter in wire
//!   order with its by-reference mark, declared type and default;
//! - the hash is the first 16 hex digits of SHA-256 over a canonical form of
//!   the same facts, one line per fact (`op NAME`, then `param NAME|required|
//!   by_ref|TYPE|DEFAULT` per parameter), so it changes exactly when one of
//!   them does. Where an upstream line number moves nothing changes: the
//!   source location is not part of it.
//!
//! Record fields are not part of the hash yet: inventories do not carry the
//! panel's form fields (the typed-records work adds them); when they do, a
//! `field NAME|DATATYPE` line per field joins the canonical form and every pin
//! is re-audited once.
//!
//! [`check`] compares pins with an inventory and names, for each drift, the
//! helper, the method, and the old and new signature.

use std::fmt;

use sha2::{Digest, Sha256};

use crate::model::{Inventory, Operation};

/// One helper's audit of one generated method.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuditPin<'a> {
    /// The overlay helper (`Dns::add`).
    pub helper: &'a str,
    /// The upstream method it calls (`dns_a_add`).
    pub method: &'a str,
    /// The signature it was audited against ([`signature`]).
    pub signature: &'a str,
    /// Its hash ([`hash`]).
    pub hash: &'a str,
}

/// A pin the inventory no longer matches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Drift {
    /// The overlay helper.
    pub helper: String,
    /// The upstream method.
    pub method: String,
    /// The signature and hash the helper was audited against.
    pub old: String,
    /// The inventory's signature and hash, or `None` when the method is gone.
    pub new: Option<String>,
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "helper `{}` wraps `{}`, audited against\n    old: {}\n    new: {}",
            self.helper,
            self.method,
            self.old,
            self.new
                .as_deref()
                .unwrap_or("(method removed from the inventory)")
        )
    }
}

/// The readable signature of `op`: `name(p1, p2 = default, &p3: type)`.
pub fn signature(op: &Operation) -> String {
    let params: Vec<String> = op
        .params
        .iter()
        .map(|p| {
            let mut s = String::new();
            if p.by_ref {
                s.push('&');
            }
            s.push_str(&p.name);
            if let Some(ty) = &p.ty {
                s.push_str(": ");
                s.push_str(ty);
            }
            match (&p.default, p.required) {
                (Some(d), _) => {
                    s.push_str(" = ");
                    s.push_str(d);
                }
                (None, false) => s.push('?'),
                (None, true) => {}
            }
            s
        })
        .collect();
    format!("{}({})", op.name, params.join(", "))
}

/// The canonical text the hash is computed over.
pub fn canonical(op: &Operation) -> String {
    let mut out = format!("op {}\n", op.name);
    for p in &op.params {
        out.push_str(&format!(
            "param {}|{}|{}|{}|{}\n",
            p.name,
            p.required,
            p.by_ref,
            p.ty.as_deref().unwrap_or(""),
            p.default.as_deref().unwrap_or("")
        ));
    }
    out
}

/// The pin hash of `op`: `sha256:` and the first 16 hex digits of SHA-256
/// over [`canonical`].
pub fn hash(op: &Operation) -> String {
    let digest = Sha256::digest(canonical(op).as_bytes());
    let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// Every pin whose method is missing from `inventory` or whose hash differs
/// from the inventory's, in pin order.
pub fn check(inventory: &Inventory, pins: &[AuditPin<'_>]) -> Vec<Drift> {
    pins.iter()
        .filter_map(|pin| {
            let old = format!("{}  [{}]", pin.signature, pin.hash);
            match inventory.operation(pin.method) {
                None => Some(Drift {
                    helper: pin.helper.to_owned(),
                    method: pin.method.to_owned(),
                    old,
                    new: None,
                }),
                Some(op) if hash(op) != pin.hash => Some(Drift {
                    helper: pin.helper.to_owned(),
                    method: pin.method.to_owned(),
                    old,
                    new: Some(format!("{}  [{}]", signature(op), hash(op))),
                }),
                Some(_) => None,
            }
        })
        .collect()
}

/// A report of `drifts` for a test failure: one block per drift, then what to do.
pub fn report(drifts: &[Drift]) -> String {
    let mut out = format!(
        "{} audit pin(s) no longer match the inventory:\n",
        drifts.len()
    );
    for d in drifts {
        out.push_str(&format!("- {d}\n"));
    }
    out.push_str(
        "Re-audit each helper against the new upstream code, then update its pin \
         (signature and hash) in crates/panelkit/src/<panel>/pins.rs.",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Param;

    fn op(params: &[(&str, bool, Option<&str>)]) -> Operation {
        Operation {
            name: "dns_a_add".into(),
            summary: None,
            source_location: "x.php:1".into(),
            group: "dns".into(),
            params: params
                .iter()
                .map(|(n, r, d)| Param {
                    name: (*n).into(),
                    ty: None,
                    required: *r,
                    default: d.map(Into::into),
                    by_ref: false,
                    ..Param::default()
                })
                .collect(),
            returns: None,
            protocol: serde_json::from_str(
                r#"{"kind":"soap","class":"remoting_dns","session":true}"#,
            )
            .unwrap(),
        }
    }

    #[test]
    fn signature_text_and_hash_follow_the_parameters() {
        let a = op(&[
            ("session_id", true, None),
            ("update_serial", false, Some("false")),
        ]);
        assert_eq!(
            signature(&a),
            "dns_a_add(session_id, update_serial = false)"
        );
        let h = hash(&a);
        assert!(h.starts_with("sha256:") && h.len() == 7 + 16, "{h}");
        let mut moved = a.clone();
        moved.source_location = "x.php:99".into();
        assert_eq!(hash(&moved), h, "a line move is not a drift");
        let mut renamed = a.clone();
        renamed.params[1].name = "bump".into();
        assert_ne!(hash(&renamed), h);
        let mut default = a.clone();
        default.params[1].default = Some("true".into());
        assert_ne!(hash(&default), h);
    }
}
