//! Audit pins: the upstream signature an overlay helper was audited against,
//! and the check that fails when an inventory no longer matches it.
//!
//! A pin names a helper, one generated method it wraps, and the signature the
//! helper was reviewed against, as readable text ([`signature`]), the field
//! set of the forms the method reads or writes through ([`form_fields`]), and
//! a hash ([`hash`]). All come from the inventory:
//!
//! - the text is `name(p1, p2 = default, &p3: type)`: every parameter in wire
//!   order with its by-reference mark, declared type and default;
//! - a form's field set is one line per field, `name: DATATYPE CONTROL
//!   [option, ...]`, for the method's linked form and every alternative form
//!   (`client_add` writes a reseller through `reseller.tform.php`);
//! - the hash is the first 16 hex digits of SHA-256 over a canonical form of
//!   the same facts, one line per fact (`op NAME`, then `param NAME|required|
//!   by_ref|TYPE|DEFAULT` per parameter, then `form PATH` and `field NAME|
//!   DATATYPE|CONTROL|OPTIONS` per linked form and field), so it changes
//!   exactly when one of them does. Where an upstream line number moves
//!   nothing changes: source locations are not part of it, and neither are
//!   a field's tab, default or validators (the panel's UI applies those; the
//!   helpers set what they send).
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
//! The audited facts live in a lockfile per panel
//! (`crates/panelkit/pins/<panel>.lock`, [`lock`]), made from the inventory
//! and the overlay's helper → method table ([`source`]); [`lock::check`]
//! compares a lock with the inventory and the overlay and names, for each
//! drift, the helper, the method, the old and new signature, and the form
//! fields that changed.

pub mod lock;
pub mod source;

use sha2::{Digest, Sha256};

use crate::model::{FormField, Inventory, Operation, Protocol};

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
            if let (Some(_), Some(location)) = (&http, p.location) {
                s.push_str(location.as_str());
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
    method: crate::model::HttpMethod,
    path: &'a str,
    bodies: Vec<(&'a str, bool, String)>,
    ok: Vec<(String, &'a str, String)>,
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
                b.ty.as_ref().map(ToString::to_string).unwrap_or_default(),
            )
        })
        .collect();
    let mut ok = Vec::new();
    for r in responses.iter().filter(|r| r.status.is_success()) {
        if r.content.is_empty() {
            ok.push((r.status.to_string(), "", String::new()));
        }
        for c in &r.content {
            ok.push((
                r.status.to_string(),
                c.content_type.as_str(),
                c.ty.as_ref().map(ToString::to_string).unwrap_or_default(),
            ));
        }
    }
    Some(HttpParts {
        method: *method,
        path,
        bodies,
        ok,
    })
}

/// The forms `op` reads or writes records through: the linked form, then
/// its alternatives, each once.
pub fn linked_forms(op: &Operation) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    if let Protocol::Soap {
        form: Some(link), ..
    } = &op.protocol
    {
        for path in std::iter::once(&link.form).chain(link.alternatives.iter().map(|a| &a.form)) {
            if !out.contains(&path.as_str()) {
                out.push(path);
            }
        }
    }
    out
}

/// One field as a readable line: `name: DATATYPE CONTROL [a, b]`.
pub fn field_line(name: &str, field: &FormField) -> String {
    let mut s = format!(
        "{name}: {} {}",
        field.datatype.as_deref().unwrap_or("?"),
        field.formtype.as_deref().unwrap_or("?")
    );
    if let Some(options) = &field.options {
        s.push_str(&format!(" [{}]", options.join(", ")));
    }
    s
}

/// The field set of form `path` in `inventory`, one [`field_line`] per field
/// in name order; `None` when the inventory has no such form.
pub fn form_fields(inventory: &Inventory, path: &str) -> Option<Vec<String>> {
    let form = inventory.forms.get(path)?;
    Some(
        form.fields
            .iter()
            .map(|(name, f)| field_line(name, f))
            .collect(),
    )
}

/// The canonical text the hash is computed over.
pub fn canonical(inventory: &Inventory, op: &Operation) -> String {
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
            out.push_str(&format!("|{}", p.location.map_or("", |l| l.as_str())));
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
    for path in linked_forms(op) {
        out.push_str(&format!("form {path}\n"));
        let Some(form) = inventory.forms.get(path) else {
            out.push_str("missing\n");
            continue;
        };
        for (name, f) in &form.fields {
            out.push_str(&format!(
                "field {name}|{}|{}|{:?}\n",
                f.datatype.as_deref().unwrap_or(""),
                f.formtype.as_deref().unwrap_or(""),
                f.options
            ));
        }
    }
    out
}

/// The pin hash of `op` in `inventory`: `sha256:` and the first 16 hex
/// digits of SHA-256 over [`canonical`].
pub fn hash(inventory: &Inventory, op: &Operation) -> String {
    let digest = Sha256::digest(canonical(inventory, op).as_bytes());
    let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
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
/// column, then `elid_of`/`plid_of` when present. For other protocols only
/// the name and parameter lines (COREmanager pins never name such operations).
pub fn coremanager_canonical(op: &Operation) -> String {
    let crate::model::Protocol::Coremanager {
        function_type,
        columns,
        elid_of,
        plid_of,
        ..
    } = &op.protocol
    else {
        let mut out = format!("op {}\n", op.name);
        for p in &op.params {
            out.push_str(&format!("param {}|{}\n", p.name, p.required));
        }
        return out;
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

/// The audited facts of `op` whatever its protocol: its readable signature
/// and its hash ([`coremanager_signature`] / [`coremanager_hash`] for a
/// COREmanager function, [`signature`] / [`hash`] otherwise).
pub fn facts(inventory: &Inventory, op: &Operation) -> (String, String) {
    match op.protocol {
        Protocol::Coremanager { .. } => (coremanager_signature(op), coremanager_hash(op)),
        _ => (signature(op), hash(inventory, op)),
    }
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

    /// An inventory holding `op` and one form, `f.tform.php`, with a `ttl` field.
    fn inventory(op: Operation) -> Inventory {
        let mut inv: Inventory = serde_json::from_str(
            r#"{"format":2,"panel":"p","upstream_version":"1",
                "source":{"root":"r","sha256":"","files":[]},
                "extractor":{"name":"x","version":"1"},"operations":[],
                "forms":{"f.tform.php":{"db_table":"t","db_table_idx":"id","fields":{
                    "ttl":{"tab":"a","datatype":"INTEGER","formtype":"TEXT"}}}}}"#,
        )
        .unwrap();
        inv.operations.push(op);
        inv
    }

    #[test]
    fn signature_text_and_hash_follow_the_parameters() {
        let a = op(&[
            ("session_id", true, None),
            ("update_serial", false, Some("false")),
        ]);
        let inv = inventory(a.clone());
        assert_eq!(
            signature(&a),
            "dns_a_add(session_id, update_serial = false)"
        );
        let h = hash(&inv, &a);
        assert!(h.starts_with("sha256:") && h.len() == 7 + 16, "{h}");
        let mut moved = a.clone();
        moved.source_location = "x.php:99".into();
        assert_eq!(hash(&inv, &moved), h, "a line move is not a drift");
        let mut renamed = a.clone();
        renamed.params[1].name = "bump".into();
        assert_ne!(hash(&inv, &renamed), h);
        let mut default = a.clone();
        default.params[1].default = Some("true".into());
        assert_ne!(hash(&inv, &default), h);
    }

    #[test]
    fn the_hash_covers_the_linked_form_fields_but_not_their_tab() {
        let mut a = op(&[("session_id", true, None)]);
        a.protocol = serde_json::from_str(
            r#"{"kind":"soap","class":"remoting_dns","session":true,
                "form":{"form":"f.tform.php","access":["insert"]}}"#,
        )
        .unwrap();
        let inv = inventory(a.clone());
        let h = hash(&inv, &a);
        assert_eq!(
            form_fields(&inv, "f.tform.php").unwrap(),
            ["ttl: INTEGER TEXT"]
        );
        let field = |inv: &mut Inventory| {
            inv.forms
                .get_mut("f.tform.php")
                .unwrap()
                .fields
                .get_mut("ttl")
                .unwrap()
                .clone()
        };
        let mut tab = inv.clone();
        let mut f = field(&mut tab);
        f.tab = "b".into();
        tab.forms
            .get_mut("f.tform.php")
            .unwrap()
            .fields
            .insert("ttl".into(), f);
        assert_eq!(hash(&tab, &a), h, "a field moved to another tab");
        let mut datatype = inv.clone();
        let mut f = field(&mut datatype);
        f.datatype = Some("VARCHAR".into());
        datatype
            .forms
            .get_mut("f.tform.php")
            .unwrap()
            .fields
            .insert("ttl".into(), f);
        assert_ne!(hash(&datatype, &a), h);
        let mut options = inv.clone();
        let mut f = field(&mut options);
        f.options = Some(vec!["1".into()]);
        options
            .forms
            .get_mut("f.tform.php")
            .unwrap()
            .fields
            .insert("ttl".into(), f);
        assert_ne!(hash(&options, &a), h);
        let mut removed = inv.clone();
        removed.forms.get_mut("f.tform.php").unwrap().fields.clear();
        assert_ne!(hash(&removed, &a), h);
        assert_ne!(
            hash(&inv, &op(&[("session_id", true, None)])),
            h,
            "unlinked"
        );
    }

    #[test]
    fn http_pins_cover_request_line_location_body_and_answer() {
        let mut a = op(&[("limit", false, Some("100"))]);
        a.name = "get_users".into();
        a.params[0].location = Some(crate::model::ParamLocation::Query);
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
        let inv = inventory(a.clone());
        let h = hash(&inv, &a);
        let changed = |f: &dyn Fn(&mut Operation)| {
            let mut b = a.clone();
            f(&mut b);
            hash(&inv, &b)
        };
        assert_ne!(
            changed(&|o| o.params[0].location = Some(crate::model::ParamLocation::Header)),
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
                    request_bodies[0].ty = crate::schema_type::SchemaType::parse("#NewUser")
                }
            ),
            h
        );
        assert_ne!(
            changed(
                &|o| if let Protocol::Http { responses, .. } = &mut o.protocol {
                    responses[0].status = crate::model::ResponseStatus::Code(202)
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
