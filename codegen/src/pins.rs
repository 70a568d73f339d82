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
//! For an HTTP operation (OpenAPI panels) the same forms also carry the
//! request line, the body and the success answer, which a REST helper's fix
//! depends on as much as on the parameters: the text becomes
//! `METHOD /path name(params) body TYPE -> STATUS TYPE` (parameters with
//! their location, `query:limit`), and the canonical form adds an
//! `http METHOD PATH` line after `op`, `|LOCATION` at the end of each
//! `param` line, then `body CONTENT_TYPE|required|TYPE` per request body and
//! `ok STATUS|CONTENT_TYPE|TYPE` per 2xx answer. SOAP operations keep the
//! original forms, so their pins are unchanged.
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

use crate::model::{Inventory, Operation, Protocol};

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

/// The readable signature of `op`: `name(p1, p2 = default, &p3: type)`;
/// for an HTTP operation `METHOD /path name(query:p1: type?, ...) body
/// TYPE -> STATUS TYPE`.
pub fn signature(op: &Operation) -> String {
    let http = http_parts(op);
    let params: Vec<String> = op
        .params
        .iter()
        .map(|p| {
            let mut s = String::new();
            if p.by_ref {
                s.push('&');
            }
            if let (Some(_), Some(location)) = (&http, &p.location) {
                s.push_str(location);
                s.push(':');
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
    let call = format!("{}({})", op.name, params.join(", "));
    match http {
        None => call,
        Some(h) => {
            let mut out = format!("{} {} {call}", h.method, h.path);
            for (_, required, ty) in &h.bodies {
                out.push_str(&format!(" body {}{}", ty, if *required { "" } else { "?" }));
            }
            for (status, _, ty) in &h.ok {
                out.push_str(&format!(" -> {status}"));
                if !ty.is_empty() {
                    out.push_str(&format!(" {ty}"));
                }
            }
            out
        }
    }
}

/// The HTTP facts a pin covers: request line, bodies
/// (`content type, required, type`) and 2xx answers
/// (`status, content type, type`).
struct HttpParts<'a> {
    method: &'a str,
    path: &'a str,
    bodies: Vec<(&'a str, bool, &'a str)>,
    ok: Vec<(&'a str, &'a str, &'a str)>,
}

fn http_parts(op: &Operation) -> Option<HttpParts<'_>> {
    let Protocol::Http {
        method,
        path,
        request_bodies,
        responses,
        ..
    } = &op.protocol
    else {
        return None;
    };
    let bodies = request_bodies
        .iter()
        .map(|b| {
            (
                b.content_type.as_str(),
                b.required,
                b.ty.as_deref().unwrap_or(""),
            )
        })
        .collect();
    let mut ok = Vec::new();
    for r in responses.iter().filter(|r| r.status.starts_with('2')) {
        if r.content.is_empty() {
            ok.push((r.status.as_str(), "", ""));
        }
        for c in &r.content {
            ok.push((
                r.status.as_str(),
                c.content_type.as_str(),
                c.ty.as_deref().unwrap_or(""),
            ));
        }
    }
    Some(HttpParts {
        method,
        path,
        bodies,
        ok,
    })
}

/// The canonical text the hash is computed over.
pub fn canonical(op: &Operation) -> String {
    let http = http_parts(op);
    let mut out = format!("op {}\n", op.name);
    if let Some(h) = &http {
        out.push_str(&format!("http {} {}\n", h.method, h.path));
    }
    for p in &op.params {
        out.push_str(&format!(
            "param {}|{}|{}|{}|{}",
            p.name,
            p.required,
            p.by_ref,
            p.ty.as_deref().unwrap_or(""),
            p.default.as_deref().unwrap_or("")
        ));
        if http.is_some() {
            out.push_str(&format!("|{}", p.location.as_deref().unwrap_or("")));
        }
        out.push('\n');
    }
    if let Some(h) = &http {
        for (content_type, required, ty) in &h.bodies {
            out.push_str(&format!("body {content_type}|{required}|{ty}\n"));
        }
        for (status, content_type, ty) in &h.ok {
            out.push_str(&format!("ok {status}|{content_type}|{ty}\n"));
        }
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

    #[test]
    fn http_pins_cover_request_line_location_body_and_answer() {
        let mut a = op(&[("limit", false, Some("100"))]);
        a.name = "get_users".into();
        a.params[0].location = Some("query".into());
        a.protocol = serde_json::from_str(
            r##"{"kind":"http","method":"POST","path":"/users","security":[],
                "request_bodies":[{"content_type":"application/json","ty":"#User","required":true}],
                "responses":[{"status":"201","content":[{"content_type":"application/json","ty":"#User"}]},
                             {"status":"400","content":[{"content_type":"application/json","ty":"#ApiResponse"}]}]}"##,
        )
        .unwrap();
        assert_eq!(
            signature(&a),
            "POST /users get_users(query:limit = 100) body #User -> 201 #User"
        );
        let h = hash(&a);
        let changed = |f: &dyn Fn(&mut Operation)| {
            let mut b = a.clone();
            f(&mut b);
            hash(&b)
        };
        assert_ne!(
            changed(&|o| o.params[0].location = Some("header".into())),
            h
        );
        assert_ne!(
            changed(&|o| if let Protocol::Http { path, .. } = &mut o.protocol {
                *path = "/v2/users".into()
            }),
            h
        );
        assert_ne!(
            changed(
                &|o| if let Protocol::Http { request_bodies, .. } = &mut o.protocol {
                    request_bodies[0].ty = Some("#NewUser".into())
                }
            ),
            h
        );
        assert_ne!(
            changed(
                &|o| if let Protocol::Http { responses, .. } = &mut o.protocol {
                    responses[0].status = "202".into()
                }
            ),
            h
        );
        // An error answer is not part of what the helper relies on.
        assert_eq!(
            changed(
                &|o| if let Protocol::Http { responses, .. } = &mut o.protocol {
                    responses[1].content.clear()
                }
            ),
            h
        );
    }
}
