//! The COREmanager extractor: `mgrctl -i` function lists and function
//! descriptions (the vendor's generated reference layout) → inventory.

use std::path::Path;

use codegen::extract::coremanager::{
    build, parse_function_details, parse_function_list, read_inputs, DumpMeta,
};
use codegen::model::{FunctionType, Protocol};
use proptest::prelude::*;

fn fixtures() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/coremanager"
    ))
}

fn meta() -> DumpMeta {
    DumpMeta {
        manager: "ispmgr".into(),
        panel: "ispmanager".into(),
        upstream_version: "6".into(),
    }
}

#[test]
fn function_list_names_types_wrapping_and_missing_descriptions() {
    let text = std::fs::read_to_string(fixtures().join("ispmgr-functions.txt")).unwrap();
    let list = parse_function_list(&text);
    let names: Vec<&str> = list.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "domain",
            "domain.record",
            "domain.record.delete",
            "domain.record.edit",
            "domain.su",
            "whitelist",
            "whitelist.edit",
            "sysinfo_stat",
            "mystery.func"
        ]
    );
    let by = |n: &str| list.iter().find(|f| f.name == n).unwrap();
    assert_eq!(by("domain").function_type, Some(FunctionType::List));
    assert_eq!(
        by("domain.record.delete").function_type,
        Some(FunctionType::Group)
    );
    assert_eq!(by("sysinfo_stat").function_type, Some(FunctionType::Report));
    assert_eq!(
        by("domain.su").summary.as_deref(),
        Some("Log in with domain owner privileges, a description that the terminal wrapped onto a second line")
    );
    assert_eq!(by("whitelist.edit").summary, None);
    assert_eq!(
        by("mystery.func").function_type,
        Some(FunctionType::Other("wizard step".into()))
    );
    assert_eq!(by("domain").line, 10);
}

#[test]
fn function_descriptions_params_columns_and_references() {
    let text =
        std::fs::read_to_string(fixtures().join("functions/domain.record.edit.txt")).unwrap();
    let d = &parse_function_details(&text)[0];
    assert_eq!(d.name, "domain.record.edit");
    assert_eq!(d.function_type, Some(FunctionType::Form));
    assert_eq!(d.summary.as_deref(), Some("Domain record"));
    assert_eq!(d.access, ["admin", "reseller", "user"]);
    let params: Vec<&str> = d.params.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(params, ["plid", "elid", "name", "rtype", "ttl"]);
    assert_eq!(d.plid_of.as_deref(), Some("domain:name"));
    assert_eq!(d.elid_of.as_deref(), Some("domain.record:rkey"));

    let text =
        std::fs::read_to_string(fixtures().join("functions/domain.record.delete.txt")).unwrap();
    let d = &parse_function_details(&text)[0];
    assert_eq!(d.function_type, Some(FunctionType::Group));
    assert!(d.multiple_elids);
    // the reference came from the wrapped second line
    assert_eq!(d.elid_of.as_deref(), Some("domain.record:rkey"));

    let text = std::fs::read_to_string(fixtures().join("functions/domain.record.txt")).unwrap();
    let d = &parse_function_details(&text)[0];
    assert_eq!(d.function_type, Some(FunctionType::List));
    let cols: Vec<&str> = d.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(cols, ["name", "ttl", "rtype", "value", "info"]);
    assert_eq!(d.columns[1].summary.as_deref(), Some("TTL, sec"));
}

#[test]
fn several_blocks_take_their_titles_from_the_line_before() {
    let text = "Domain names\n\nFunction: domain\n\nResult: the list of elements\n\nDomain names management\n\nAccess level: reseller admin user\n\n  • name - Domain name\n  • user - Owner\n\nName\n\nFunction: domain.su\n\nLog in with domain owner privileges\n\nAccess level: reseller admin user\n";
    let ds = parse_function_details(text);
    assert_eq!(ds.len(), 2);
    assert_eq!(ds[0].summary.as_deref(), Some("Domain names"));
    assert_eq!(ds[0].columns.len(), 2);
    assert_eq!(ds[1].name, "domain.su");
    assert_eq!(ds[1].summary.as_deref(), Some("Name"));
    assert_eq!(ds[1].function_type, None);
}

#[test]
fn inventory_from_dump_and_descriptions() {
    let (list, details) = read_inputs(
        &fixtures().join("ispmgr-functions.txt"),
        Some(&fixtures().join("functions")),
    )
    .unwrap();
    let inv = build(Some(&list), &details, &meta());
    assert_eq!(inv.operations.len(), 9);
    let op = inv.operation("domain.record.edit").unwrap();
    assert_eq!(op.group, "domain");
    assert!(op.source_location.starts_with("ispmgr-functions.txt:"));
    assert!(op
        .source_location
        .contains("functions/domain.record.edit.txt:"));
    match &op.protocol {
        Protocol::Coremanager {
            function_type,
            manager,
            plid_of,
            ..
        } => {
            assert_eq!(*function_type, FunctionType::Form);
            assert_eq!(manager, "ispmgr");
            assert_eq!(plid_of.as_deref(), Some("domain:name"));
        }
        other => panic!("{other:?}"),
    }
    assert!(op.params.iter().any(|p| p.name == "plid" && p.required));
    // deterministic, and it round-trips through JSON
    let again = build(Some(&list), &details, &meta());
    assert_eq!(inv.to_json(), again.to_json());
    let parsed = codegen::model::Inventory::from_json(&inv.to_json()).unwrap();
    assert_eq!(parsed, inv);
    assert_eq!(inv.source.files.len(), 4);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_text_never_panics(text in "(?s).{0,400}") {
        let _ = parse_function_list(&text);
        let _ = parse_function_details(&text);
    }

    #[test]
    fn line_soup_never_panics(lines in proptest::collection::vec(
        prop_oneof![
            Just("Function: webdomain".to_owned()),
            Just("Function type: list".to_owned()),
            Just("  • name - Name".to_owned()),
            Just("Parameters:".to_owned()),
            Just("    wrapped text".to_owned()),
            Just("Result: successful operation or error message".to_owned()),
            Just("user.edit   Description is not available".to_owned()),
            Just("Access level:".to_owned()),
            Just("• elid - one or more (rkey element of".to_owned()),
            "[ a-z.:•-]{0,30}",
        ],
        0..30,
    )) {
        let text = lines.join("\n");
        let _ = parse_function_list(&text);
        let ds = parse_function_details(&text);
        let _ = build(None, &[codegen::extract::coremanager::Input { name: "x".into(), text }], &DumpMeta::default());
        prop_assert!(ds.len() <= lines.len());
    }
}

/// `--mgrctl` runs `mgrctl -m M -i` and then `-i FUNC` per function: a fake
/// mgrctl that serves the fixtures stands in for the panel host's.
#[cfg(unix)]
#[test]
fn running_mgrctl_on_the_host() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("mgrctl");
    let fx = fixtures().display().to_string();
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\n[ \"$1\" = -m ] && [ \"$2\" = ispmgr ] && [ \"$3\" = -i ] || {{ echo bad args >&2; exit 2; }}\n\
             if [ -z \"$4\" ]; then cat '{fx}/ispmgr-functions.txt'; exit 0; fi\n\
             f='{fx}/functions/'\"$4\"'.txt'\n[ -f \"$f\" ] && cat \"$f\"\nexit 0\n"
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let inv = codegen::extract::coremanager::run_mgrctl(&script, &meta()).unwrap();
    assert_eq!(inv.operations.len(), 9);
    let op = inv.operation("domain.record").unwrap();
    assert!(
        op.source_location
            .contains("mgrctl -m ispmgr -i domain.record:"),
        "{}",
        op.source_location
    );
    match &op.protocol {
        Protocol::Coremanager { columns, .. } => assert_eq!(columns.len(), 5),
        other => panic!("{other:?}"),
    }
    // a failing mgrctl is an error naming the command
    std::fs::write(&script, "#!/bin/sh\necho 'no such manager' >&2\nexit 1\n").unwrap();
    let e = codegen::extract::coremanager::run_mgrctl(&script, &meta()).unwrap_err();
    assert!(e.to_string().contains("no such manager"), "{e}");
}

/// The committed ispmgr inventory is in canonical form (what `to_json` writes)
/// and every function names where it came from.
#[test]
fn committed_inventory_is_canonical_and_sourced() {
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../inventories/ispmanager/inventory.json"
    ));
    let text = std::fs::read_to_string(path).unwrap();
    let inv = codegen::model::Inventory::from_json(&text).unwrap();
    assert_eq!(inv.to_json(), text, "inventory is not in canonical form");
    for op in &inv.operations {
        assert!(
            !op.source_location.trim().is_empty(),
            "{} has no source",
            op.name
        );
        assert!(
            matches!(op.protocol, Protocol::Coremanager { .. }),
            "{}",
            op.name
        );
    }
}

#[test]
fn list_answers_give_columns_key_and_toolbar_functions() {
    use codegen::extract::coremanager::parse_answer;
    let text = std::fs::read_to_string(fixtures().join("answers/webdomain.json")).unwrap();
    let found = parse_answer(&text).unwrap();
    let list = &found[0];
    assert_eq!(list.name, "webdomain");
    assert_eq!(list.function_type, Some(FunctionType::List));
    let cols: Vec<&str> = list.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(cols, ["name", "php", "cgi", "owner", "active", "php_mode"]);
    let by = |n: &str| found.iter().find(|d| d.name == n).unwrap();
    assert_eq!(by("site.edit").function_type, Some(FunctionType::Form));
    assert_eq!(by("site.edit").elid_of.as_deref(), Some("webdomain:name"));
    assert_eq!(by("phpconf").function_type, Some(FunctionType::List));
    assert_eq!(by("phpconf").plid_of.as_deref(), Some("webdomain:name"));
    assert_eq!(
        by("webdomain.suspend").function_type,
        Some(FunctionType::Group)
    );
    assert_eq!(
        by("webdomain.delete.confirm").function_type,
        Some(FunctionType::Other("groupform".into()))
    );
    assert_eq!(found.len(), 5, "site.edit appears twice, kept once");

    for bad in [
        "",
        "[]",
        "{\"nodoc\":1}",
        "{\"doc\":{}}",
        "{\"doc\":{\"$func\":",
    ] {
        assert!(parse_answer(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn answers_add_to_a_dump() {
    use codegen::extract::coremanager::{build_with_answers, Input};
    let (list, details) = read_inputs(
        &fixtures().join("ispmgr-functions.txt"),
        Some(&fixtures().join("functions")),
    )
    .unwrap();
    let answer = Input {
        name: "answers/webdomain.json".into(),
        text: std::fs::read_to_string(fixtures().join("answers/webdomain.json")).unwrap(),
    };
    let inv = build_with_answers(
        Some(&list),
        &details,
        std::slice::from_ref(&answer),
        &meta(),
    )
    .unwrap();
    assert_eq!(inv.operations.len(), 9 + 5);
    let op = inv.operation("phpconf").unwrap();
    assert_eq!(
        op.source_location,
        "answers/webdomain.json (toolbar of webdomain)"
    );
    assert!(op.params.iter().any(|p| p.name == "plid" && p.required));
    assert!(inv
        .source
        .files
        .contains(&"answers/webdomain.json".to_owned()));
    let broken = Input {
        name: "broken.json".into(),
        text: "<html>".into(),
    };
    let e = build_with_answers(Some(&list), &details, &[broken], &meta()).unwrap_err();
    assert!(e.to_string().starts_with("broken.json: not JSON"), "{e}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_answers_never_panic(text in r#"\{"doc":[\{\}\[\]"$a-z:,0-9 ]{0,120}\}?"#) {
        let _ = codegen::extract::coremanager::parse_answer(&text);
    }
}
