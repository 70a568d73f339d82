//! The inventory diff: a snapshot of the committed 3.2.11 → 3.2.12p1 upgrade,
//! and cases on tiny inventories built here.

use codegen::diff::diff;
use codegen::inventories;
use codegen::model::{
    Extractor, FieldDefault, Form, FormAccess, FormField, FormLink, Inventory, Operation, Param,
    Protocol, Source, Validator, FORMAT_VERSION,
};
use codegen::regen::workspace_root;

fn committed(version: &str) -> Inventory {
    inventories::find(&workspace_root(), "ispconfig", version).expect("committed inventory")
}

#[test]
fn committed_upgrade_3_2_11_to_3_2_12p1() {
    let report = diff(&committed("3.2.11"), &committed("3.2.12p1"));
    insta::assert_snapshot!(report.to_string());
}

#[test]
fn committed_inventories_are_what_the_docs_say() {
    for version in ["3.2.11", "3.2.12p1"] {
        let inv = committed(version);
        assert_eq!(inv.upstream_version, version);
        assert_eq!(inv.operations.len(), 312, "{version}");
        assert_eq!(inv.source.tag.as_deref(), Some(version));
        let shadowed: Vec<&str> = inv
            .operations
            .iter()
            .filter(
                |o| matches!(&o.protocol, Protocol::Soap { shadowed, .. } if !shadowed.is_empty()),
            )
            .map(|o| o.name.as_str())
            .collect();
        assert_eq!(shadowed, ["server_get", "server_get_all"], "{version}");
    }
}

fn param(name: &str, default: Option<&str>) -> Param {
    Param {
        name: name.into(),
        ty: None,
        required: default.is_none(),
        default: default.map(Into::into),
        by_ref: false,
        ..Param::default()
    }
}

fn operation(name: &str, line: u32, params: Vec<Param>) -> Operation {
    Operation {
        name: name.into(),
        summary: None,
        source_location: format!("interface/lib/classes/remote.d/dns.inc.php:{line}"),
        group: "dns".into(),
        params,
        returns: None,
        protocol: Protocol::Soap {
            permissions: vec![],
            faults: vec![],
            class: "remoting_dns".into(),
            session: true,
            shadowed: Vec::new(),
            form: None,
        },
    }
}

fn inventory(version: &str, operations: Vec<Operation>) -> Inventory {
    Inventory {
        format: FORMAT_VERSION,
        panel: "ispconfig".into(),
        upstream_version: version.into(),
        source: Source {
            root: "interface/lib/classes".into(),
            sha256: "0".repeat(64),
            ..Source::default()
        },
        extractor: Extractor {
            name: "ispconfig-php".into(),
            version: "2".into(),
        },
        operations,
        types: Default::default(),
        forms: Default::default(),
        answer_secrets: Default::default(),
    }
}

/// `dns_a_add(session_id, client_id, params, update_serial = false)` and
/// `dns_zone_get(session_id, primary_id)`.
fn base(version: &str) -> Inventory {
    inventory(
        version,
        vec![
            operation(
                "dns_a_add",
                10,
                vec![
                    param("session_id", None),
                    param("client_id", None),
                    param("params", None),
                    param("update_serial", Some("false")),
                ],
            ),
            operation(
                "dns_zone_get",
                20,
                vec![param("session_id", None), param("primary_id", None)],
            ),
        ],
    )
}

fn op_mut<'a>(inv: &'a mut Inventory, name: &str) -> &'a mut Operation {
    inv.operations
        .iter_mut()
        .find(|o| o.name == name)
        .expect("operation")
}

#[test]
fn identical_is_empty() {
    let d = diff(&base("1"), &base("1"));
    assert!(d.is_empty());
    assert_eq!(
        d.to_string(),
        "ispconfig 1 → 1: 0 added, 0 removed, 0 changed\n"
    );
}

#[test]
fn line_moves_are_not_changes() {
    let mut new = base("2");
    for op in &mut new.operations {
        op.source_location = op
            .source_location
            .replace(":10", ":99")
            .replace(":20", ":7");
        op.summary = Some("Docs changed too.".into());
    }
    new.source.sha256 = "f".repeat(64);
    assert!(diff(&base("1"), &new).is_empty());
}

#[test]
fn added_and_removed() {
    let mut new = base("2");
    new.operations.retain(|o| o.name != "dns_zone_get");
    new.operations.push(operation(
        "dns_aaaa_add",
        30,
        vec![param("session_id", None), param("params", Some("array()"))],
    ));
    let d = diff(&base("1"), &new);
    assert_eq!(d.added, ["dns_aaaa_add(session_id, params = array())"]);
    assert_eq!(d.removed, ["dns_zone_get(session_id, primary_id)"]);
    assert!(d.changed.is_empty() && d.moved.is_empty());
    assert_eq!(
        d.to_string(),
        "ispconfig 1 → 2: 1 added, 1 removed, 0 changed\n\
         added:\n  dns_aaaa_add(session_id, params = array())\n\
         removed:\n  dns_zone_get(session_id, primary_id)\n"
    );
}

#[test]
fn parameter_changes() {
    // Each edit alone must count as a change.
    type Edit = fn(&mut Vec<Param>);
    let edits: [(&str, Edit); 6] = [
        ("appended", |p| p.push(param("ttl", Some("3600")))),
        ("renamed", |p| p[1].name = "owner_id".into()),
        ("reordered", |p| p.swap(1, 2)),
        ("default changed", |p| p[3].default = Some("true".into())),
        ("became required", |p| {
            p[3].default = None;
            p[3].required = true;
        }),
        ("became by-reference", |p| p[2].by_ref = true),
    ];
    for (what, edit) in edits {
        let mut new = base("2");
        edit(&mut op_mut(&mut new, "dns_a_add").params);
        let d = diff(&base("1"), &new);
        assert_eq!(d.changed.len(), 1, "{what}");
        assert_eq!(d.changed[0].name, "dns_a_add", "{what}");
        assert!(!d.is_empty(), "{what}");
    }
}

#[test]
fn changed_shows_both_signatures_on_one_line() {
    let mut new = base("2");
    op_mut(&mut new, "dns_a_add")
        .params
        .push(param("ttl", Some("3600")));
    let d = diff(&base("1"), &new);
    assert_eq!(
        d.to_string(),
        "ispconfig 1 → 2: 0 added, 0 removed, 1 changed\n\
         changed:\n  dns_a_add(session_id, client_id, params, update_serial = false) → \
         dns_a_add(session_id, client_id, params, update_serial = false, ttl = 3600)\n"
    );
}

#[test]
fn group_class_and_file_moves_are_reported_briefly() {
    let mut new = base("2");
    let op = op_mut(&mut new, "dns_zone_get");
    op.group = "remoting".into();
    op.source_location = "interface/lib/classes/remoting.inc.php:5".into();
    op.protocol = Protocol::Soap {
        permissions: vec![],
        faults: vec![],
        class: "remoting".into(),
        session: true,
        shadowed: Vec::new(),
        form: None,
    };
    let d = diff(&base("1"), &new);
    assert!(d.changed.is_empty());
    assert!(!d.is_empty(), "a group move changes the generated features");
    assert_eq!(
        d.to_string(),
        "ispconfig 1 → 2: 0 added, 0 removed, 0 changed, 1 moved\n\
         moved:\n  dns_zone_get: group dns → remoting, class remoting_dns → remoting, \
         file interface/lib/classes/remote.d/dns.inc.php → interface/lib/classes/remoting.inc.php\n"
    );
}

#[test]
fn signatures_show_types_references_and_variadics() {
    let mut new = base("2");
    new.operations.push(operation(
        "typed",
        1,
        vec![
            Param {
                ty: Some("?array".into()),
                ..param("filter", Some("null"))
            },
            Param {
                by_ref: true,
                ..param("out", Some("[]"))
            },
            Param {
                ty: Some("int".into()),
                required: false,
                ..param("ids", None)
            },
        ],
    ));
    assert_eq!(
        diff(&base("1"), &new).added,
        ["typed(?array filter = null, &out = [], int ...ids)"]
    );
}

#[test]
fn reverse_direction_mirrors() {
    let mut new = base("2");
    new.operations.retain(|o| o.name != "dns_zone_get");
    op_mut(&mut new, "dns_a_add").params.pop();
    let forward = diff(&base("1"), &new);
    let backward = diff(&new, &base("1"));
    assert_eq!(forward.removed, backward.added);
    assert_eq!(forward.changed[0].old, backward.changed[0].new);
}

#[test]
fn sftpgo_v2_7_5_to_main_shows_the_subpath_field() {
    let root = codegen::regen::workspace_root();
    let old = codegen::inventories::find(&root, "sftpgo", "v2.7.5").unwrap();
    let new = codegen::inventories::find(&root, "sftpgo", "main").unwrap();
    let report = diff(&old, &new);
    assert!(report.added.is_empty() && report.removed.is_empty() && report.changed.is_empty());
    let virtual_folder = report
        .types_changed
        .iter()
        .find(|t| t.name == "VirtualFolder")
        .expect("VirtualFolder changed");
    assert_eq!(virtual_folder.changes, ["+ subpath: string"]);
    insta::assert_snapshot!(report.to_string());
}

fn field(datatype: &str, formtype: &str) -> FormField {
    FormField {
        tab: "main".into(),
        conditional: false,
        datatype: Some(datatype.into()),
        formtype: Some(formtype.into()),
        default: None,
        options: None,
        validators: Vec::new(),
        secrecy: None,
    }
}

const FORM: &str = "interface/web/dns/form/dns_a.tform.php";

/// `base` with the dns_a form linked from dns_a_add.
fn with_form(version: &str) -> Inventory {
    let mut inv = base(version);
    let mut fields = std::collections::BTreeMap::new();
    fields.insert("ttl".to_owned(), field("INTEGER", "TEXT"));
    fields.insert("active".to_owned(), {
        let mut f = field("VARCHAR", "CHECKBOX");
        f.options = Some(vec!["N".into(), "Y".into()]);
        f
    });
    fields.insert("gone".to_owned(), field("VARCHAR", "TEXT"));
    inv.forms.insert(
        FORM.to_owned(),
        Form {
            name: Some("dns_a".into()),
            db_table: "dns_rr".into(),
            db_table_idx: "id".into(),
            fields,
        },
    );
    let op = op_mut(&mut inv, "dns_a_add");
    op.protocol = Protocol::Soap {
        permissions: vec![],
        faults: vec![],
        class: "remoting_dns".into(),
        session: true,
        shadowed: Vec::new(),
        form: Some(FormLink {
            form: FORM.into(),
            access: vec![FormAccess::Insert],
            alternatives: Vec::new(),
        }),
    };
    inv
}

#[test]
fn form_field_changes_are_reported() {
    let old = with_form("1");
    let mut new = with_form("2");
    let form = new.forms.get_mut(FORM).unwrap();
    form.fields.remove("gone");
    form.fields.insert("data".into(), field("VARCHAR", "TEXT"));
    let ttl = form.fields.get_mut("ttl").unwrap();
    ttl.datatype = Some("VARCHAR".into());
    ttl.default = Some(FieldDefault::Literal(serde_json::json!("3600")));
    ttl.validators.push(Validator {
        kind: Some("REGEX".into()),
        errmsg: Some("ttl_error".into()),
        regex: Some("/^\\d+$/".into()),
    });
    form.fields.get_mut("active").unwrap().options = Some(vec!["n".into(), "y".into()]);
    new.forms.insert(
        "interface/web/dns/form/dns_b.tform.php".into(),
        new.forms[FORM].clone(),
    );
    let d = diff(&old, &new);
    assert!(!d.is_empty());
    assert!(d.changed.is_empty() && d.added.is_empty());
    assert_eq!(d.forms_added, ["interface/web/dns/form/dns_b.tform.php"]);
    assert_eq!(d.forms_changed.len(), 1);
    assert_eq!(
        d.forms_changed[0].changes,
        [
            "~ field active: options [N, Y] → [n, y]",
            "+ field data (VARCHAR TEXT)",
            "~ field ttl: datatype INTEGER → VARCHAR; default - → \"3600\"; validators [] → [REGEX /^\\d+$/]",
            "- field gone",
        ]
    );
    let back = diff(&new, &old);
    assert_eq!(
        back.forms_removed,
        ["interface/web/dns/form/dns_b.tform.php"]
    );
}

#[test]
fn form_link_changes_are_reported() {
    let old = with_form("1");
    let mut new = with_form("2");
    if let Protocol::Soap {
        form: Some(link), ..
    } = &mut op_mut(&mut new, "dns_a_add").protocol
    {
        link.access.push(FormAccess::Read);
    }
    let d = diff(&old, &new);
    assert_eq!(
        d.links_changed,
        [(
            "dns_a_add".to_owned(),
            format!("{FORM} (insert)"),
            format!("{FORM} (insert, read)")
        )]
    );
    let unlinked = diff(&old, &base("2"));
    assert_eq!(unlinked.links_changed[0].2, "-");
    assert!(
        unlinked
            .to_string()
            .contains("form links changed:\n  dns_a_add: "),
        "{unlinked}"
    );
}
