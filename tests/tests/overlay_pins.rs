//! Audit pins of every panel's overlay (`crates/panelkit/pins/<panel>.lock`):
//! the committed locks match the committed inventories, pins tables and
//! helpers (`cargo xtask pins --check`); an inventory that moves under a pin
//! is reported naming helper, method, old and new; `--accept` rewrites the
//! lock so that it matches again, and the diff a reviewer reads names only
//! what changed.

use std::collections::BTreeSet;

use codegen::model::{FunctionType, Inventory, Protocol};
use codegen::pins::lock::{check, diff, report, Drift, Finding, Lock, Panel, PANELS};
use codegen::pins::source;
use codegen::regen::workspace_root;

fn panel(name: &str) -> Panel {
    Panel::read(&workspace_root(), name).unwrap_or_else(|e| panic!("{e}"))
}

/// The drifts `panel`'s committed lock shows against `inventory`.
fn drifts(panel: &Panel, inventory: &Inventory) -> Vec<Drift> {
    let lock = panel.lock.as_ref().expect("committed lock");
    check(lock, &panel.mapping, inventory, None)
        .into_iter()
        .map(|f| match f {
            Finding::Drift(d) => d,
            other => panic!("not a drift: {other}"),
        })
        .collect()
}

fn index(inventory: &Inventory, name: &str) -> usize {
    inventory
        .operations
        .iter()
        .position(|o| o.name == name)
        .unwrap_or_else(|| panic!("{name} not in the inventory"))
}

#[test]
fn every_committed_lock_matches_its_inventory_table_and_helpers() {
    for name in PANELS {
        let panel = panel(name);
        let findings = panel.check();
        assert!(findings.is_empty(), "{}", report(name, &findings));
        let lock = panel.lock.as_ref().expect("committed lock");
        // The committed file is exactly what --accept writes.
        let text = std::fs::read_to_string(&panel.paths.lock).unwrap();
        assert_eq!(
            text,
            panel.accepted().unwrap().render(),
            "{name}: stale lock"
        );
        assert_eq!(
            Lock::parse(&text).unwrap(),
            *lock,
            "{name}: lock round trip"
        );
        assert!(panel.helpers.len() >= 4, "{name}: {:?}", panel.helpers);
    }
    // Every ISPConfig method that has a form is pinned with its fields.
    let ispc = panel("ispconfig");
    let lock = ispc.lock.unwrap();
    assert!(lock.pins().iter().filter(|p| !p.forms.is_empty()).count() > 100);
    assert!(lock.forms.values().all(|fields| !fields.is_empty()));
}

#[test]
fn drift_is_reported_with_helper_method_and_old_and_new_signature() {
    let ispc = panel("ispconfig");
    let mut inventory = ispc.inventory.clone();
    // A parameter renamed.
    let i = index(&inventory, "dns_a_add");
    inventory.operations[i].params[3].name = "bump_serial".into();
    // A parameter added.
    let i = index(&inventory, "sites_web_domain_update");
    let mut extra = inventory.operations[i].params[3].clone();
    extra.name = "readonly".into();
    extra.required = false;
    extra.default = Some("false".into());
    inventory.operations[i].params.push(extra);
    // A method removed.
    let i = index(&inventory, "client_update");
    inventory.operations.remove(i);

    let drifts = drifts(&ispc, &inventory);
    let findings: Vec<Finding> = drifts.iter().cloned().map(Finding::Drift).collect();
    let text = report("ispconfig", &findings);
    let of = |m: &str| drifts.iter().filter(|d| d.method == m).collect::<Vec<_>>();

    let renamed = of("dns_a_add");
    let helpers: Vec<&str> = renamed.iter().map(|d| d.helper.as_str()).collect();
    assert_eq!(helpers, ["Dns::add", "Dns::add_record"], "{text}");
    assert!(renamed[0]
        .old
        .starts_with("dns_a_add(session_id, client_id, params, update_serial = false)"));
    assert!(renamed[0]
        .new
        .as_deref()
        .unwrap()
        .starts_with("dns_a_add(session_id, client_id, params, bump_serial = false)"));

    let added = of("sites_web_domain_update");
    assert_eq!(added.len(), 1, "{text}");
    assert_eq!(added[0].helper, "Sites::update_web_domain");
    assert!(added[0]
        .new
        .as_deref()
        .unwrap()
        .contains("params, readonly = false)"));

    let removed = of("client_update");
    let helpers: Vec<&str> = removed.iter().map(|d| d.helper.as_str()).collect();
    assert_eq!(helpers, ["Clients::add_reseller", "Clients::update"]);
    assert!(removed.iter().all(|d| d.new.is_none()));
    assert_eq!(drifts.len(), 5, "{text}");
    for needle in [
        "helper `Dns::add` wraps `dns_a_add`",
        "old: dns_a_add(session_id, client_id, params, update_serial = false)",
        "new: dns_a_add(session_id, client_id, params, bump_serial = false)",
        "helper `Clients::update` wraps `client_update`",
        "(method removed from the inventory)",
        "cargo xtask pins --accept",
        "crates/panelkit/pins/ispconfig.lock",
    ] {
        assert!(text.contains(needle), "report lacks {needle:?}:\n{text}");
    }
}

#[test]
fn form_drift_names_the_fields_and_a_line_move_is_no_drift() {
    const DNS_A: &str = "interface/web/dns/form/dns_a.tform.php";
    const WEB: &str = "interface/web/sites/form/web_vhost_domain.tform.php";
    let ispc = panel("ispconfig");
    let mut inventory = ispc.inventory.clone();
    let i = index(&inventory, "dns_txt_delete");
    inventory.operations[i].source_location = "interface/lib/classes/remote.d/dns.inc.php:9".into();
    assert!(drifts(&ispc, &inventory).is_empty(), "a line move");

    assert!(inventory
        .forms
        .get_mut(DNS_A)
        .unwrap()
        .fields
        .remove("ttl")
        .is_some());
    let web = inventory.forms.get_mut(WEB).unwrap();
    web.fields.get_mut("hd_quota").unwrap().datatype = Some("VARCHAR".into());
    let drifts = drifts(&ispc, &inventory);
    let dns: Vec<&Drift> = drifts.iter().filter(|d| d.method == "dns_a_add").collect();
    assert_eq!(
        dns[0].fields,
        [format!("form {DNS_A}: - field ttl: INTEGER TEXT")]
    );
    let web: Vec<&Drift> = drifts
        .iter()
        .filter(|d| d.method == "sites_web_domain_update")
        .collect();
    assert_eq!(web.len(), 1);
    assert_eq!(
        web[0].fields,
        [format!(
            "form {WEB}: ~ field hd_quota: INTEGER TEXT → VARCHAR TEXT"
        )]
    );
    // Only methods linked to the two forms drifted.
    for d in &drifts {
        let forms = codegen::pins::linked_forms(inventory.operation(&d.method).unwrap());
        assert!(
            forms.contains(&DNS_A) || forms.contains(&WEB),
            "{}",
            d.method
        );
    }
}

/// HTTP and COREmanager pins cover their protocols' facts: a request line
/// and a function type.
#[test]
fn rest_and_coremanager_drift_is_named_too() {
    let sftpgo = panel("sftpgo");
    let mut inventory = sftpgo.inventory.clone();
    let i = index(&inventory, "get_users_quota_scans");
    if let Protocol::Http { path, .. } = &mut inventory.operations[i].protocol {
        *path = "/quotas/scans".into();
    }
    let i = index(&inventory, "get_folders");
    inventory.operations.remove(i);
    let d = drifts(&sftpgo, &inventory);
    let methods: BTreeSet<&str> = d.iter().map(|d| d.method.as_str()).collect();
    assert_eq!(
        methods,
        BTreeSet::from(["get_folders", "get_users_quota_scans"])
    );
    let scans: Vec<_> = d
        .iter()
        .filter(|d| d.method == "get_users_quota_scans")
        .collect();
    let helpers: BTreeSet<&str> = scans.iter().map(|d| d.helper.as_str()).collect();
    assert_eq!(
        helpers,
        BTreeSet::from(["Quota::scan_and_wait", "Quota::scans"])
    );
    for scan in scans {
        assert!(scan
            .new
            .as_deref()
            .unwrap()
            .starts_with("GET /quotas/scans "));
    }

    let ispmanager = panel("ispmanager");
    let mut inventory = ispmanager.inventory.clone();
    let i = index(&inventory, "db.delete");
    if let Protocol::Coremanager { function_type, .. } = &mut inventory.operations[i].protocol {
        *function_type = FunctionType::Action;
    }
    let d = drifts(&ispmanager, &inventory);
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(d[0].old.starts_with("group db.delete("), "{:?}", d[0]);
    assert!(d[0]
        .new
        .as_deref()
        .unwrap()
        .starts_with("action db.delete("));
}

/// `--accept` after a re-audit: the rewritten lock matches the moved
/// inventory, and its diff shows only the moved facts, under their method.
#[test]
fn accept_rewrites_the_lock_and_the_diff_is_readable() {
    let ispc = panel("ispconfig");
    let old = ispc.lock.clone().unwrap();
    let mut inventory = ispc.inventory.clone();
    let i = index(&inventory, "dns_a_add");
    inventory.operations[i].params[3].name = "bump_serial".into();
    inventory
        .forms
        .get_mut("interface/web/dns/form/dns_a.tform.php")
        .unwrap()
        .fields
        .remove("ttl");

    let accepted = Lock::make("ispconfig", &inventory, &ispc.mapping).unwrap();
    assert!(check(&accepted, &ispc.mapping, &inventory, None).is_empty());
    assert!(!check(&old, &ispc.mapping, &inventory, None).is_empty());
    let review = diff(&old.render(), &accepted.render());
    let expected_new = accepted.methods["dns_a_add"].hash.clone();
    let expected = format!(
        "form interface/web/dns/form/dns_a.tform.php\n\
         -   ttl: INTEGER TEXT\n\
         method dns_a_add\n\
         -   signature dns_a_add(session_id, client_id, params, update_serial = false)\n\
         -   hash {}\n\
         +   signature dns_a_add(session_id, client_id, params, bump_serial = false)\n\
         +   hash {expected_new}\n",
        old.methods["dns_a_add"].hash
    );
    // The other dns_a methods' hashes moved with the form: listed, nothing else.
    let rest: Vec<&str> = review
        .lines()
        .filter(|l| l.starts_with("method ") && !l.contains("dns_a_add"))
        .collect();
    assert_eq!(
        rest,
        [
            "method dns_a_delete",
            "method dns_a_get",
            "method dns_a_update"
        ]
    );
    assert!(review.contains(&expected), "{review}");
    assert_eq!(
        review.lines().count(),
        expected.lines().count() + 3 * 3,
        "{review}"
    );
}

/// The table and the overlay are cross-checked with syn: a helper without
/// pins, a pin naming no helper, and a table entry the lock has not audited
/// are each named.
#[test]
fn helpers_and_table_are_cross_checked() {
    let ispc = panel("ispconfig");
    let lock = ispc.lock.clone().unwrap();
    let mut helpers = ispc.helpers.clone();
    helpers.insert("Dns::brand_new".into());
    helpers.remove("Dns::zone");
    let mut mapping = ispc.mapping.clone();
    mapping
        .get_mut("Dns::records")
        .unwrap()
        .push("dns_zone_get".into());
    let findings = check(&lock, &mapping, &ispc.inventory, Some(&helpers));
    let text: Vec<String> = findings.iter().map(ToString::to_string).collect();
    assert_eq!(
        findings,
        [
            Finding::Unaudited {
                helper: "Dns::records".into(),
                method: "dns_zone_get".into()
            },
            Finding::Unpinned("Dns::brand_new".into()),
            Finding::NoSuchHelper("Dns::zone".into()),
        ],
        "{text:?}"
    );
    // --accept cannot paper over a helper without pins.
    let mut unpinned = ispc.clone();
    unpinned.helpers.insert("Dns::brand_new".into());
    let refused = unpinned.accepted().unwrap_err();
    assert!(
        refused.contains("helper `Dns::brand_new` is not in the pins table"),
        "{refused}"
    );
    // And the helpers really come from the source: a new public async fn in
    // an overlay file is one.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("x.rs"),
        "impl Sites<'_> { pub async fn added(&self) {} fn private() {} }",
    )
    .unwrap();
    assert_eq!(
        source::helpers(dir.path()).unwrap(),
        BTreeSet::from(["Sites::added".to_owned()])
    );
}

/// `pins::required_permissions` is computed from the table.
#[test]
fn required_permissions_follow_the_table() {
    let needs = panelkit::ispconfig::pins::required_permissions("Mail::add_mailbox");
    let methods: Vec<&str> = needs.iter().map(|(m, _)| *m).collect();
    let ispc = panel("ispconfig");
    assert_eq!(methods, ispc.mapping["Mail::add_mailbox"]);
    assert!(needs.iter().all(|(_, checks)| !checks.is_empty()));
    assert!(panelkit::ispconfig::pins::required_permissions("Nope::nothing").is_empty());
}
