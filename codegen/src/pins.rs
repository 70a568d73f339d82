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

// ---------------------------------------------------------------------------
// COREmanager functions (ISPmanager, ...): a function's audited facts are its
// function type, its parameters, its list columns and what its `elid`/`plid`
// name, not SOAP's by-reference marks and PHP defaults. Kept apart from the
// SOAP section above so either can grow without touching the other.
// ---------------------------------------------------------------------------

/// The readable signature of a COREmanager function:
/// `TYPE name(p1, p2?) -> [c1, c2] elid=LIST:COL plid=LIST:COL`
/// (`?` marks an optional parameter; columns only for lists). For other
/// protocols it is [`signature`].
pub fn coremanager_signature(op: &Operation) -> String {
    let crate::model::Protocol::Coremanager {
        function_type,
        columns,
        elid_of,
        plid_of,
        ..
    } = &op.protocol
    else {
        return signature(op);
    };
    let params: Vec<String> = op
        .params
        .iter()
        .map(|p| format!("{}{}", p.name, if p.required { "" } else { "?" }))
        .collect();
    let mut out = format!(
        "{} {}({})",
        function_type.as_str(),
        op.name,
        params.join(", ")
    );
    if !columns.is_empty() {
        let cols: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
        out.push_str(&format!(" -> [{}]", cols.join(", ")));
    }
    if let Some(e) = elid_of {
        out.push_str(&format!(" elid={e}"));
    }
    if let Some(p) = plid_of {
        out.push_str(&format!(" plid={p}"));
    }
    out
}

/// The canonical text a COREmanager pin hash is computed over: `op NAME`,
/// `type TYPE`, `param NAME|REQUIRED` per parameter, `column NAME` per list
/// column, then `elid_of`/`plid_of` when present. For other protocols it is
/// [`canonical`].
pub fn coremanager_canonical(op: &Operation) -> String {
    let crate::model::Protocol::Coremanager {
        function_type,
        columns,
        elid_of,
        plid_of,
        ..
    } = &op.protocol
    else {
        return canonical(op);
    };
    let mut out = format!("op {}\ntype {}\n", op.name, function_type.as_str());
    for p in &op.params {
        out.push_str(&format!("param {}|{}\n", p.name, p.required));
    }
    for c in columns {
        out.push_str(&format!("column {}\n", c.name));
    }
    if let Some(e) = elid_of {
        out.push_str(&format!("elid_of {e}\n"));
    }
    if let Some(p) = plid_of {
        out.push_str(&format!("plid_of {p}\n"));
    }
    out
}

/// `sha256:` and the first 16 hex digits of SHA-256 over [`coremanager_canonical`].
pub fn coremanager_hash(op: &Operation) -> String {
    let digest = Sha256::digest(coremanager_canonical(op).as_bytes());
    let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// [`check`] for COREmanager pins: every pin whose function is missing or
/// whose [`coremanager_hash`] differs, with old and new
/// [`coremanager_signature`].
pub fn check_coremanager(inventory: &Inventory, pins: &[AuditPin<'_>]) -> Vec<Drift> {
    pins.iter()
        .filter_map(|pin| {
            let old = format!("{}  [{}]", pin.signature, pin.hash);
            let drift = |new| Drift {
                helper: pin.helper.to_owned(),
                method: pin.method.to_owned(),
                old: old.clone(),
                new,
            };
            match inventory.operation(pin.method) {
                None => Some(drift(None)),
                Some(op) if coremanager_hash(op) != pin.hash => Some(drift(Some(format!(
                    "{}  [{}]",
                    coremanager_signature(op),
                    coremanager_hash(op)
                )))),
                Some(_) => None,
            }
        })
        .collect()
}

#[cfg(test)]
mod coremanager_tests {
    use super::*;

    fn func(json: &str) -> Operation {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn coremanager_signature_and_hash_follow_type_params_and_columns() {
        let list = func(
            r#"{"name":"user","source_location":"a","group":"users","params":[{"name":"elid","required":true}],
               "protocol":{"kind":"coremanager","manager":"ispmgr","function_type":"list","columns":[{"name":"name"}],"elid_of":"user:name"}}"#,
        );
        assert_eq!(
            coremanager_signature(&list),
            "list user(elid) -> [name] elid=user:name"
        );
        let h = coremanager_hash(&list);
        assert!(h.starts_with("sha256:") && h.len() == 7 + 16, "{h}");
        let mut moved = list.clone();
        moved.source_location = "b".into();
        assert_eq!(coremanager_hash(&moved), h, "a new source is not a drift");
        let mut optional = list.clone();
        optional.params[0].required = false;
        assert_ne!(coremanager_hash(&optional), h);
        let mut column = list.clone();
        if let crate::model::Protocol::Coremanager { columns, .. } = &mut column.protocol {
            columns.clear();
        }
        assert_ne!(coremanager_hash(&column), h);
    }
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
