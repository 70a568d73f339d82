//! The ISPConfig extractor on PHP fixtures we wrote (never the real sources):
//! odd formatting, comments and strings that look like code, defaults,
//! references, multi-line signatures, visibility, shadowing, module remote.d.

use std::path::{Path, PathBuf};

use codegen::extract::ispconfig::{extract, SourceMeta};
use codegen::model::{Inventory, Operation, Protocol};

fn fixture_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ispconfig/checkout")
}

fn meta() -> SourceMeta {
    SourceMeta {
        upstream_version: "0.0-fixture".into(),
        ..SourceMeta::default()
    }
}

fn inventory() -> Inventory {
    extract(&fixture_root(), meta()).expect("fixture extracts")
}

fn op<'a>(inv: &'a Inventory, name: &str) -> &'a Operation {
    inv.operation(name)
        .unwrap_or_else(|| panic!("{name} missing"))
}

#[test]
fn finds_exactly_the_public_dispatched_methods() {
    let inv = inventory();
    let names: Vec<&str> = inv.operations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "billing_invoice_get",
            "dns_a_add",
            "dns_templatezone_add",
            "dns_typed",
            "dns_zone_get_id",
            "get_function_list",
            "login",
            "logout",
            "server_get",
            "server_get_all",
            "server_get_serverid_by_ip",
            "sites_web_domain_update",
        ]
    );
}

#[test]
fn lines_groups_and_classes() {
    let inv = inventory();
    let add = op(&inv, "dns_a_add");
    assert_eq!(
        add.source_location,
        "interface/lib/classes/remote.d/dns.inc.php:4"
    );
    assert_eq!(add.group, "dns");
    assert!(
        matches!(&add.protocol, Protocol::Soap { class, session: true, shadowed } if class == "remoting_dns" && shadowed.is_empty())
    );
    let multi = op(&inv, "dns_zone_get_id");
    assert_eq!(
        multi.source_location,
        "interface/lib/classes/remote.d/dns.inc.php:11"
    );
    assert_eq!(
        multi
            .params
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>(),
        ["session_id", "origin"]
    );
    let login = op(&inv, "login");
    assert_eq!(login.group, "remoting");
    assert!(matches!(
        &login.protocol,
        Protocol::Soap { session: false, .. }
    ));
    let module = op(&inv, "billing_invoice_get");
    assert_eq!(
        module.source_location,
        "interface/web/billing/lib/classes/remote.d/billing.inc.php:3"
    );
    assert_eq!(module.group, "billing");
}

#[test]
fn defaults_references_types_and_variadics() {
    let inv = inventory();
    let t = op(&inv, "dns_templatezone_add");
    let shown: Vec<(String, Option<String>, bool, bool)> = t
        .params
        .iter()
        .map(|p| (p.name.clone(), p.default.clone(), p.required, p.by_ref))
        .collect();
    assert_eq!(
        shown,
        [
            ("session_id".into(), None, true, false),
            ("client_id".into(), None, true, false),
            ("template_id".into(), None, true, false),
            ("domain".into(), None, true, false),
            ("ip".into(), Some("''".into()), false, false),
            (
                "ns1".into(),
                Some("\"ns1.example.com\"".into()),
                false,
                false
            ),
            ("out".into(), Some("array()".into()), false, true),
            (
                "opts".into(),
                Some("array('a' => 1, 'b' => [2, 3])".into()),
                false,
                false
            ),
        ]
    );
    let typed = op(&inv, "dns_typed");
    assert_eq!(typed.params[0].ty.as_deref(), Some("?array"));
    assert_eq!(typed.params[0].default.as_deref(), Some("null"));
    assert_eq!(typed.params[1].ty.as_deref(), Some("int"));
    assert!(!typed.params[1].required, "a variadic is never required");
    let server_get = op(&inv, "server_get");
    assert_eq!(server_get.params[2].default.as_deref(), Some("''"));
}

#[test]
fn doc_comments_give_summary_and_return_type() {
    let inv = inventory();
    let s = op(&inv, "server_get");
    assert_eq!(s.summary.as_deref(), Some("Gets the server configuration."));
    assert_eq!(s.returns.as_deref(), Some("array"));
    assert_eq!(
        op(&inv, "get_function_list").summary.as_deref(),
        Some("Get a list of functions")
    );
    assert_eq!(op(&inv, "logout").summary, None);
}

#[test]
fn duplicate_declarations_resolve_like_the_dispatcher() {
    let inv = inventory();
    let s = op(&inv, "server_get");
    assert_eq!(
        s.source_location,
        "interface/lib/classes/remoting.inc.php:37"
    );
    match &s.protocol {
        Protocol::Soap {
            class, shadowed, ..
        } => {
            assert_eq!(class, "remoting");
            assert_eq!(shadowed.len(), 1);
            assert_eq!(
                shadowed[0].source_location,
                "interface/lib/classes/remote.d/server.inc.php:4"
            );
            assert_eq!(shadowed[0].class, "remoting_server");
            assert!(
                shadowed[0].reason.contains("inherit remoting::server_get"),
                "{}",
                shadowed[0].reason
            );
        }
    }
}

#[test]
fn installed_classes_dir_gives_the_same_inventory() {
    let from_checkout = inventory();
    let installed = extract(&fixture_root().join("interface/lib/classes"), meta()).unwrap();
    assert_eq!(installed.operations, from_checkout.operations);
    assert_eq!(installed.source.sha256, from_checkout.source.sha256);
}

#[test]
fn provenance_and_determinism() {
    let a = inventory();
    let b = inventory();
    assert_eq!(a.to_json(), b.to_json());
    assert_eq!(a.source.root, "interface/lib/classes");
    assert_eq!(a.source.files[0], "interface/lib/classes/remoting.inc.php");
    assert_eq!(a.source.files.len(), 5);
    assert_eq!(a.source.sha256.len(), 64);
    assert_eq!(a.extractor.name, "ispconfig-php");
    insta::assert_snapshot!(a.to_json());
}

#[test]
fn bad_input_is_a_typed_error() {
    let missing = extract(Path::new("/nonexistent/panelkit"), meta()).unwrap_err();
    assert!(
        missing.to_string().contains("no remoting.inc.php"),
        "{missing}"
    );

    let dir = std::env::temp_dir().join(format!("panelkit-extract-bad-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("remote.d")).unwrap();
    for (body, expected) in [
        ("<?php /* never closed", "unterminated comment"),
        (
            "<?php class remoting { function f($a = 'x) {} }",
            "unterminated string",
        ),
        ("<?php class remoting { public function f($a", "not closed"),
        ("<?php class other {}", "no class remoting"),
    ] {
        std::fs::write(dir.join("remoting.inc.php"), body).unwrap();
        let err = extract(&dir, meta()).unwrap_err();
        assert!(err.to_string().contains(expected), "{body}: {err}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
