//! The inventory diff: a snapshot of the committed 3.2.11 → 3.2.12p1 upgrade,
//! and unit cases on tiny inventories.

use codegen::diff::diff;
use codegen::inventories;
use codegen::model::{Inventory, Param};
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
fn reverse_direction_is_symmetric() {
    let forward = diff(&committed("3.2.11"), &committed("3.2.12p1"));
    let backward = diff(&committed("3.2.12p1"), &committed("3.2.11"));
    assert_eq!(forward.added.len(), backward.removed.len());
    assert_eq!(forward.changed.len(), backward.changed.len());
}

fn tiny() -> Inventory {
    Inventory::from_json(include_str!("fixtures/emit/ispconfig-mini.json")).unwrap()
}

#[test]
fn identical_is_empty() {
    assert!(diff(&tiny(), &tiny()).is_empty());
}

#[test]
fn line_moves_are_not_changes() {
    let mut new = tiny();
    for op in &mut new.operations {
        op.source_location = op.source_location.replace(":1", ":9");
    }
    assert!(diff(&tiny(), &new).is_empty());
}

#[test]
fn added_removed_changed() {
    let old = tiny();
    let mut new = tiny();
    new.upstream_version = "0.1".into();
    new.operations.retain(|o| o.name != "odd_names");
    let mut extra = new.operations[0].clone();
    extra.name = "dns_aaaa_add".into();
    new.operations.push(extra);
    let a_add = new
        .operations
        .iter_mut()
        .find(|o| o.name == "dns_a_add")
        .unwrap();
    a_add.params.push(Param {
        name: "ttl".into(),
        ty: None,
        required: false,
        default: Some("3600".into()),
        by_ref: false,
    });
    let d = diff(&old, &new);
    assert_eq!(
        d.added,
        ["dns_aaaa_add(session_id, client_id, params, update_serial = false)"]
    );
    assert_eq!(
        d.removed,
        ["odd_names(session_id, type = 1, match, &out = array())"]
    );
    assert_eq!(d.changed.len(), 1);
    assert_eq!(
        d.changed[0].1,
        "dns_a_add(session_id, client_id, params, update_serial = false, ttl = 3600)"
    );
    let text = d.to_string();
    assert!(
        text.starts_with("ispconfig 0.0-fixture → 0.1: 1 added, 1 removed, 1 changed"),
        "{text}"
    );
}

#[test]
fn default_change_is_a_change() {
    let old = tiny();
    let mut new = tiny();
    new.operations
        .iter_mut()
        .find(|o| o.name == "server_get")
        .unwrap()
        .params[2]
        .default = Some("'web'".into());
    assert_eq!(diff(&old, &new).changed.len(), 1);
}
