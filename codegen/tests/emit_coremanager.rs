//! The COREmanager emitter on a small fixture inventory: snapshot of every
//! emitted file, determinism, and refusal of what it cannot express.

use codegen::emit::coremanager::{emit, Target};
use codegen::model::{Inventory, Protocol};

fn fixture() -> Inventory {
    Inventory::from_json(include_str!("fixtures/emit/coremanager-mini.json"))
        .expect("fixture parses")
}

fn target() -> Target {
    Target {
        crate_dir: "crates/demo".to_owned(),
        crate_name: "demo".to_owned(),
        inventory_path: "inventories/demo/inventory.json".to_owned(),
    }
}

fn render(inventory: &Inventory) -> String {
    emit(inventory, &target())
        .expect("fixture emits")
        .iter()
        .map(|f| format!("=== {} ===\n{}", f.path, f.contents))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn emitted_files_snapshot() {
    insta::assert_snapshot!(render(&fixture()));
}

#[test]
fn emission_is_deterministic() {
    assert_eq!(render(&fixture()), render(&fixture()));
}

#[test]
fn runtime_owned_auth_is_not_a_method() {
    let text = render(&fixture());
    assert!(!text.contains("pub async fn auth("));
    assert!(text.contains("pub async fn domain_record_edit_submit("));
    assert!(text.contains("pub struct DomainRow(pub Row);"));
}

#[test]
fn other_protocols_are_refused() {
    let mut inv = fixture();
    inv.operations[0].protocol = Protocol::Soap {
        class: "x".into(),
        session: true,
        shadowed: vec![],
        form: None,
        permissions: vec![],
        faults: vec![],
    };
    assert!(emit(&inv, &target()).is_err());
}

#[test]
fn colliding_method_names_are_refused() {
    let mut inv = fixture();
    let mut clash = inv.operations[3].clone();
    clash.name = "domain-record.edit".into();
    inv.operations.push(clash);
    let err = emit(&inv, &target()).unwrap_err();
    assert!(err.to_string().contains("would serve both"), "{err}");
}
