//! Audit pins of the REST overlay modules (`panelkit::sftpgo`,
//! `panelkit::ionos`, `panelkit::dcimanager`): every wrapped operation must still have, in the
//! committed inventory, the request line, parameters, body and answer its
//! helper was audited against. A regenerated inventory that changes one, or
//! drops the operation, fails here naming helper, operation, and the old and
//! new signature.

use codegen::model::{Inventory, Protocol};
use codegen::pins::{check, report, AuditPin};
use codegen::regen::{read_inventory, workspace_root};
use panelkit::pins::Pin;

fn committed(panel: &str) -> Inventory {
    let path = codegen::inventories::current_path(&workspace_root(), panel);
    read_inventory(&path).unwrap_or_else(|e| panic!("{e}"))
}

fn audit(pins: &[Pin]) -> Vec<AuditPin<'static>> {
    pins.iter()
        .map(|p| AuditPin {
            helper: p.helper,
            method: p.method,
            signature: p.signature,
            hash: p.hash,
            // REST operations link no panel forms.
            forms: &[],
        })
        .collect()
}

fn assert_pins_match(panel: &str, pins: &[Pin], audited_version: &str) {
    let inventory = committed(panel);
    let drifts = check(&inventory, &audit(pins));
    assert!(drifts.is_empty(), "{panel}: {}", report(&drifts));
    assert_eq!(
        inventory.upstream_version, audited_version,
        "{panel}: the inventory is {} but the overlay was audited against {audited_version}",
        inventory.upstream_version
    );
    for pin in pins {
        let op = inventory.operation(pin.method).unwrap();
        assert_eq!(
            pin.signature,
            codegen::pins::signature(op),
            "{}",
            pin.helper
        );
    }
}

#[test]
fn sftpgo_pins_match_the_committed_inventory() {
    use panelkit::sftpgo::pins::{AUDITED_VERSION, PINS};
    assert_pins_match("sftpgo", PINS, AUDITED_VERSION);
}

#[test]
fn ionos_pins_match_the_committed_inventory() {
    use panelkit::ionos::pins::{AUDITED_VERSION, PINS};
    assert_pins_match("ionos", PINS, AUDITED_VERSION);
}

#[test]
fn dcimanager_pins_match_the_committed_inventory() {
    use panelkit::dcimanager::pins::{AUDITED_VERSION, PINS};
    assert_pins_match("dcimanager", PINS, AUDITED_VERSION);
    for pin in PINS {
        assert!(
            panelkit_dcimanager::OPERATIONS.contains(&pin.method),
            "{}",
            pin.method
        );
    }
}

/// The DCImanager pins fail on an inventory whose endpoint list changed:
/// a power command moved, the server answer typed differently, the user
/// body gaining a field, the configuration list removed.
#[test]
fn dcimanager_pins_fail_on_a_modified_inventory() {
    use panelkit::dcimanager::pins::PINS;
    let mut inventory = committed("dcimanager");
    let i = index(&inventory, "server_power_off");
    if let Protocol::Http { path, .. } = &mut inventory.operations[i].protocol {
        *path = "/api/dci/v3/server/{server_id}/power/off".into();
    }
    let i = index(&inventory, "server_get");
    if let Protocol::Http { responses, .. } = &mut inventory.operations[i].protocol {
        responses[0].content[0].ty = Some("#Server".into());
    }
    let i = index(&inventory, "user_create");
    if let Protocol::Http { request_bodies, .. } = &mut inventory.operations[i].protocol {
        request_bodies[0].ty = Some("#NewUserBody".into());
    }
    let i = index(&inventory, "server_configuration_list");
    inventory.operations.remove(i);

    let drifts = check(&inventory, &audit(PINS));
    let text = report(&drifts);
    let mut methods: Vec<&str> = drifts.iter().map(|d| d.method.as_str()).collect();
    methods.sort_unstable();
    methods.dedup();
    assert_eq!(
        methods,
        [
            "server_configuration_list",
            "server_get",
            "server_power_off",
            "user_create"
        ],
        "{text}"
    );
    let helpers: Vec<&str> = drifts
        .iter()
        .filter(|d| d.method == "server_power_off")
        .map(|d| d.helper.as_str())
        .collect();
    assert_eq!(
        helpers,
        ["Client::power", "Client::power_and_wait"],
        "{text}"
    );
    assert!(text.contains("/power/off"), "{text}");
    assert!(
        text.contains("(method removed from the inventory)"),
        "{text}"
    );
    // The untouched ones still match.
    assert!(!methods.contains(&"server_power_on"));
}

/// The generated operations a helper calls, in the generated crates'
/// operation lists: a pin cannot name an operation the crate does not have.
#[test]
fn every_pinned_operation_is_generated() {
    for pin in panelkit::sftpgo::pins::PINS {
        assert!(
            panelkit_sftpgo::OPERATIONS.contains(&pin.method),
            "{}",
            pin.method
        );
    }
    let ionos = committed("ionos");
    for pin in panelkit::ionos::pins::PINS {
        assert!(ionos.operation(pin.method).is_some(), "{}", pin.method);
    }
}

fn index(inventory: &Inventory, name: &str) -> usize {
    inventory
        .operations
        .iter()
        .position(|o| o.name == name)
        .unwrap_or_else(|| panic!("{name} not in the inventory"))
}

#[test]
fn drift_is_reported_with_helper_operation_and_old_and_new_signature() {
    use panelkit::sftpgo::pins::PINS;
    let mut inventory = committed("sftpgo");
    // The page size parameter moved from the query to a header.
    let i = index(&inventory, "get_users");
    let limit = inventory.operations[i]
        .params
        .iter_mut()
        .find(|p| p.name == "limit")
        .unwrap();
    limit.location = Some("header".into());
    // The create body changed type.
    let i = index(&inventory, "add_user");
    if let Protocol::Http { request_bodies, .. } = &mut inventory.operations[i].protocol {
        request_bodies[0].ty = Some("#NewUser".into());
    }
    // The scan list moved.
    let i = index(&inventory, "get_users_quota_scans");
    if let Protocol::Http { path, .. } = &mut inventory.operations[i].protocol {
        *path = "/quotas/scans".into();
    }
    // An operation removed.
    let i = index(&inventory, "get_folders");
    inventory.operations.remove(i);

    let drifts = check(&inventory, &audit(PINS));
    let text = report(&drifts);
    let methods: Vec<&str> = drifts.iter().map(|d| d.method.as_str()).collect();
    // get_users and get_folders each back two helpers (`list_*`, `list_*_with`).
    assert_eq!(
        methods,
        [
            "add_user",
            "get_users_quota_scans",
            "get_users",
            "get_folders",
            "get_users",
            "get_folders"
        ],
        "{text}"
    );
    let by = |m: &str| drifts.iter().find(|d| d.method == m).unwrap();
    assert_eq!(by("get_users").helper, "Client::list_users");
    assert!(
        by("get_users")
            .new
            .as_deref()
            .unwrap()
            .contains("header:limit"),
        "{text}"
    );
    assert!(
        by("add_user")
            .new
            .as_deref()
            .unwrap()
            .contains("body #NewUser"),
        "{text}"
    );
    assert!(
        by("get_users_quota_scans")
            .new
            .as_deref()
            .unwrap()
            .starts_with("GET /quotas/scans "),
        "{text}"
    );
    assert_eq!(by("get_folders").new, None);
    assert!(
        text.contains("helper `Users::create` wraps `add_user`"),
        "{text}"
    );
    assert!(
        text.contains("(method removed from the inventory)"),
        "{text}"
    );

    // The IONOS pins catch a changed success answer too.
    let mut ionos = committed("ionos");
    let i = index(&ionos, "datacentersPost");
    if let Protocol::Http { responses, .. } = &mut ionos.operations[i].protocol {
        for r in responses.iter_mut().filter(|r| r.status == "202") {
            r.status = "201".into();
        }
    }
    let drifts = check(&ionos, &audit(panelkit::ionos::pins::PINS));
    let mut helpers: Vec<&str> = drifts.iter().map(|d| d.helper.as_str()).collect();
    helpers.sort_unstable();
    assert_eq!(
        helpers,
        [
            "Client::create_datacenter",
            "Client::create_datacenter_and_wait"
        ],
        "{}",
        report(&drifts)
    );
    assert!(drifts
        .iter()
        .all(|d| d.new.as_deref().unwrap().contains("-> 201 #Datacenter")));
}

/// Every public async helper of the REST modules, and every `list_*` (they
/// are what call the panel), is pinned, and every pin names a helper.
#[test]
fn every_rest_helper_is_pinned() {
    let listing = codegen::surface::list(&workspace_root().join("crates/panelkit"))
        .unwrap_or_else(|e| panic!("{e}"));
    for (tag, pins) in [
        ("[sftpgo] ", panelkit::sftpgo::pins::PINS),
        ("[ionos] ", panelkit::ionos::pins::PINS),
        ("[dcimanager] ", panelkit::dcimanager::pins::PINS),
    ] {
        let mut helpers = Vec::new();
        for line in listing.lines().filter(|l| l.starts_with(tag)) {
            // `[sftpgo] impl Users<'_> { pub async fn create(&self, ...`
            let Some((_, rest)) = line.split_once("impl ") else {
                continue;
            };
            let Some((ty, sig)) = rest.split_once(" { pub async fn ").or_else(|| {
                rest.split_once(" { pub fn ")
                    .filter(|(_, s)| s.starts_with("list_"))
            }) else {
                continue;
            };
            // `list_servers<'a>(&'a self, ...` → `list_servers`
            let name = sig.split(['(', '<']).next().unwrap_or_default();
            // The unaudited call by path wraps no operation: nothing to pin.
            if name == "raw_call" {
                continue;
            }
            helpers.push(format!("{}::{name}", ty.trim_end_matches("<'_>")));
        }
        assert!(helpers.len() >= 4, "{tag}found only {helpers:?}");
        let unpinned: Vec<&String> = helpers
            .iter()
            .filter(|h| !pins.iter().any(|p| p.helper == h.as_str()))
            .collect();
        assert!(
            unpinned.is_empty(),
            "{tag}helpers without audit pins: {unpinned:?}"
        );
        for pin in pins {
            assert!(
                helpers.iter().any(|h| h == pin.helper),
                "pin for {} names no helper",
                pin.helper
            );
        }
    }
}
