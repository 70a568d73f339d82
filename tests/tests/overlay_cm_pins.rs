//! Audit pins of `panelkit::ispmanager`: every helper's wrapped functions must
//! still have, in the committed inventory, the signature (function type,
//! parameters, list columns, elid/plid) the helper was audited against. An
//! upgrade that removes a parameter, changes a function's type or removes a
//! function fails here naming helper, function, and old and new signature.

use codegen::model::{FunctionType, Inventory, Protocol};
use codegen::pins::{check_coremanager, coremanager_signature, report, AuditPin};
use codegen::regen::{read_inventory, workspace_root};
use panelkit::ispmanager::pins::{AUDITED_VERSION, PINS};

fn committed() -> Inventory {
    let path = codegen::inventories::current_path(&workspace_root(), "ispmanager");
    read_inventory(&path).unwrap_or_else(|e| panic!("{e}"))
}

fn pins() -> Vec<AuditPin<'static>> {
    PINS.iter()
        .map(|p| AuditPin {
            helper: p.helper,
            method: p.function,
            signature: p.signature,
            hash: p.hash,
            forms: &[],
        })
        .collect()
}

#[test]
fn every_pin_matches_the_committed_inventory() {
    let inventory = committed();
    let drifts = check_coremanager(&inventory, &pins());
    assert!(drifts.is_empty(), "{}", report(&drifts));
    assert_eq!(inventory.upstream_version, AUDITED_VERSION);
    for pin in PINS {
        let op = inventory.operation(pin.function).unwrap();
        assert_eq!(pin.signature, coremanager_signature(op), "{}", pin.helper);
    }
    // Every generated function a helper calls is pinned by it.
    for function in [
        "user",
        "user.edit",
        "user.delete",
        "webdomain",
        "webdomain.edit",
        "webdomain.delete",
        "domain.sublist",
        "domain.record.edit",
        "domain.record.delete",
        "email",
        "email.edit",
        "db",
        "db.edit",
        "db.delete",
    ] {
        assert!(
            PINS.iter().any(|p| p.function == function),
            "{function} unpinned"
        );
    }
}

#[test]
fn drift_names_helper_function_and_old_and_new_signature() {
    let mut inventory = committed();
    let index = |inv: &Inventory, name: &str| {
        inv.operations
            .iter()
            .position(|o| o.name == name)
            .unwrap_or_else(|| panic!("{name} not in the inventory"))
    };
    // A parameter removed.
    let i = index(&inventory, "user.edit");
    inventory.operations[i]
        .params
        .retain(|p| p.name != "limit_db");
    // A function type changed.
    let i = index(&inventory, "db.delete");
    if let Protocol::Coremanager { function_type, .. } = &mut inventory.operations[i].protocol {
        *function_type = FunctionType::Action;
    }
    // A function removed.
    let i = index(&inventory, "domain.record.delete");
    inventory.operations.remove(i);

    let drifts = check_coremanager(&inventory, &pins());
    let text = report(&drifts);
    let of = |f: &str| drifts.iter().filter(|d| d.method == f).collect::<Vec<_>>();

    let removed_param = of("user.edit");
    let helpers: Vec<&str> = removed_param.iter().map(|d| d.helper.as_str()).collect();
    assert_eq!(helpers, ["Users::get", "Users::add", "Users::update"]);
    assert!(removed_param[0].old.contains("limit_db?"), "{text}");
    let new = removed_param[0].new.as_deref().unwrap();
    assert!(!new.contains("limit_db"), "{text}");

    let retyped = of("db.delete");
    assert_eq!(retyped.len(), 1, "{text}");
    assert_eq!(retyped[0].helper, "Databases::delete_databases");
    assert!(retyped[0].old.starts_with("group db.delete("), "{text}");
    assert!(
        retyped[0]
            .new
            .as_deref()
            .unwrap()
            .starts_with("action db.delete("),
        "{text}"
    );

    let gone = of("domain.record.delete");
    assert_eq!(gone.len(), 1, "{text}");
    assert_eq!(gone[0].helper, "Dns::delete_records");
    assert_eq!(gone[0].new, None);
    assert!(
        text.contains("helper `Dns::delete_records` wraps `domain.record.delete`"),
        "{text}"
    );
    assert!(
        text.contains("(method removed from the inventory)"),
        "{text}"
    );
    assert_eq!(drifts.len(), 5, "{text}");
}

/// Every public async helper of `panelkit::ispmanager` is pinned, and every
/// pin names an existing helper.
#[test]
fn every_async_helper_is_pinned() {
    let listing = codegen::surface::list(&workspace_root().join("crates/panelkit"))
        .unwrap_or_else(|e| panic!("{e}"));
    // `[ispmanager] impl Users<'_> { pub async fn update(&self, ...` → `Users::update`
    let helpers: Vec<String> = listing
        .lines()
        .filter_map(|line| line.strip_prefix("[ispmanager] impl "))
        .filter_map(|rest| rest.split_once("<'_> { pub async fn "))
        .map(|(ty, sig)| format!("{ty}::{}", sig.split('(').next().unwrap_or_default()))
        .collect();
    assert!(helpers.len() >= 20, "found only {helpers:?}");
    let unpinned: Vec<&String> = helpers
        .iter()
        .filter(|h| !PINS.iter().any(|p| p.helper == h.as_str()))
        .collect();
    assert!(
        unpinned.is_empty(),
        "helpers without audit pins (add them to crates/panelkit/src/ispmanager/pins.rs): {unpinned:?}"
    );
    for pin in PINS {
        assert!(
            helpers.iter().any(|h| h == pin.helper),
            "pin for {} names no helper",
            pin.helper
        );
    }
}
