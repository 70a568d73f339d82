//! Audit pins: every overlay helper's wrapped methods must still have the
//! signature the helper was audited against in the committed inventory. A
//! panel upgrade that renames, adds or removes a parameter of a wrapped
//! method, or removes the method, fails here naming helper, method, and the
//! old and new signature.

use codegen::model::Inventory;
use codegen::pins::{check, report, AuditPin, AuditedForm};
use codegen::regen::{read_inventory, workspace_root};
use panelkit::ispconfig::pins::{AUDITED_VERSION, PINS};

fn committed() -> Inventory {
    let path = codegen::inventories::current_path(&workspace_root(), "ispconfig");
    read_inventory(&path).unwrap_or_else(|e| panic!("{e}"))
}

fn pins() -> Vec<AuditPin<'static>> {
    PINS.iter()
        .map(|p| {
            let forms: Vec<AuditedForm<'static>> = p
                .forms
                .iter()
                .map(|f| AuditedForm {
                    path: f.path,
                    fields: f.fields,
                })
                .collect();
            AuditPin {
                helper: p.helper,
                method: p.method,
                signature: p.signature,
                hash: p.hash,
                forms: Vec::leak(forms),
            }
        })
        .collect()
}

#[test]
fn every_pin_matches_the_committed_inventory() {
    let inventory = committed();
    let drifts = check(&inventory, &pins());
    assert!(drifts.is_empty(), "{}", report(&drifts));
    assert_eq!(
        inventory.upstream_version, AUDITED_VERSION,
        "the inventory is {} but the overlay was audited against {AUDITED_VERSION}: \
         re-audit the helpers, then update AUDITED_VERSION",
        inventory.upstream_version
    );
    // The readable signature is the inventory's too, not only the hash.
    for pin in PINS {
        let op = inventory.operation(pin.method).unwrap();
        assert_eq!(
            pin.signature,
            codegen::pins::signature(op),
            "{}",
            pin.helper
        );
        // And so are the forms and their readable field sets.
        let paths: Vec<&str> = pin.forms.iter().map(|f| f.path).collect();
        assert_eq!(paths, codegen::pins::linked_forms(op), "{}", pin.helper);
        for form in pin.forms {
            assert_eq!(
                Some(form.fields.iter().map(|l| l.to_string()).collect()),
                codegen::pins::form_fields(&inventory, form.path),
                "{}: {}",
                pin.helper,
                form.path
            );
        }
    }
    // Every method that has a form is pinned with its fields.
    assert!(PINS.iter().filter(|p| !p.forms.is_empty()).count() > 100);
}

#[test]
fn form_drift_is_reported_with_helper_method_and_old_and_new_fields() {
    const DNS_A: &str = "interface/web/dns/form/dns_a.tform.php";
    const WEB: &str = "interface/web/sites/form/web_vhost_domain.tform.php";
    let mut inventory = committed();
    // A field removed.
    let dns_a = inventory.forms.get_mut(DNS_A).unwrap();
    assert!(dns_a.fields.remove("ttl").is_some());
    // A datatype changed.
    let web = inventory.forms.get_mut(WEB).unwrap();
    web.fields.get_mut("hd_quota").unwrap().datatype = Some("VARCHAR".into());
    // An option added.
    let php = web.fields.get_mut("php").unwrap();
    let mut options = php.options.clone().expect("php has options");
    options.push("php-ng".into());
    php.options = Some(options);

    let drifts = check(&inventory, &pins());
    let text = report(&drifts);
    // Parameters are untouched: the signature text is the same, the hash not.
    for d in &drifts {
        let sig = |s: &str| s.split("  [").next().unwrap().to_owned();
        assert_eq!(sig(&d.old), sig(d.new.as_deref().unwrap()), "{text}");
        assert_ne!(d.old, d.new.clone().unwrap(), "{text}");
    }
    let for_method = |m: &str| drifts.iter().filter(|d| d.method == m).collect::<Vec<_>>();

    let dns = for_method("dns_a_add");
    let helpers: Vec<&str> = dns.iter().map(|d| d.helper.as_str()).collect();
    assert_eq!(helpers, ["Dns::add", "Dns::add_record"], "{text}");
    assert_eq!(
        dns[0].fields,
        [format!("form {DNS_A}: - field ttl: INTEGER TEXT")],
        "{text}"
    );
    assert!(!for_method("dns_a_get").is_empty() && !for_method("dns_a_update").is_empty());

    let web = for_method("sites_web_domain_update");
    assert_eq!(web.len(), 1, "{text}");
    assert_eq!(web[0].helper, "Sites::update_web_domain");
    assert!(
        web[0].fields.contains(&format!(
            "form {WEB}: ~ field hd_quota: INTEGER TEXT → VARCHAR TEXT"
        )),
        "{text}"
    );
    let php_change = web[0]
        .fields
        .iter()
        .find(|l| l.contains("~ field php: "))
        .unwrap_or_else(|| panic!("{text}"));
    let (old, new) = php_change.split_once(" → ").unwrap();
    assert!(
        !old.contains("php-ng") && new.ends_with(", php-ng]"),
        "{php_change}"
    );
    assert_eq!(web[0].fields.len(), 2, "{text}");

    // Only methods linked to the two forms drifted.
    for d in &drifts {
        let op = inventory.operation(&d.method).unwrap();
        let forms = codegen::pins::linked_forms(op);
        assert!(
            forms.contains(&DNS_A) || forms.contains(&WEB),
            "{}",
            d.method
        );
    }
    // The report a developer sees names all of it.
    for needle in [
        "helper `Dns::add` wraps `dns_a_add`",
        "helper `Sites::update_web_domain` wraps `sites_web_domain_update`",
        "old: sites_web_domain_update(session_id, client_id, primary_id, params)",
        "- field ttl: INTEGER TEXT",
        "~ field hd_quota: INTEGER TEXT → VARCHAR TEXT",
    ] {
        assert!(text.contains(needle), "report lacks {needle:?}:\n{text}");
    }
}

#[test]
fn drift_is_reported_with_helper_method_and_old_and_new_signature() {
    let mut inventory = committed();
    let op = |inv: &Inventory, name: &str| {
        inv.operations
            .iter()
            .position(|o| o.name == name)
            .unwrap_or_else(|| panic!("{name} not in the inventory"))
    };
    // A parameter renamed.
    let i = op(&inventory, "dns_a_add");
    inventory.operations[i].params[3].name = "bump_serial".into();
    // A parameter added.
    let i = op(&inventory, "sites_web_domain_update");
    let mut extra = inventory.operations[i].params[3].clone();
    extra.name = "readonly".into();
    extra.required = false;
    extra.default = Some("false".into());
    inventory.operations[i].params.push(extra);
    // A method removed.
    let i = op(&inventory, "client_update");
    inventory.operations.remove(i);

    let drifts = check(&inventory, &pins());
    let text = report(&drifts);
    let for_method = |m: &str| drifts.iter().filter(|d| d.method == m).collect::<Vec<_>>();

    let renamed = for_method("dns_a_add");
    assert_eq!(
        renamed
            .iter()
            .map(|d| d.helper.as_str())
            .collect::<Vec<_>>(),
        ["Dns::add", "Dns::add_record"]
    );
    assert!(renamed[0]
        .old
        .starts_with("dns_a_add(session_id, client_id, params, update_serial = false)"));
    assert!(renamed[0]
        .new
        .as_deref()
        .unwrap()
        .starts_with("dns_a_add(session_id, client_id, params, bump_serial = false)"));

    let added = for_method("sites_web_domain_update");
    assert_eq!(added.len(), 1);
    assert_eq!(added[0].helper, "Sites::update_web_domain");
    assert!(added[0]
        .new
        .as_deref()
        .unwrap()
        .contains("params, readonly = false)"));

    let removed = for_method("client_update");
    let helpers: Vec<&str> = removed.iter().map(|d| d.helper.as_str()).collect();
    assert_eq!(helpers, ["Clients::add_reseller", "Clients::update"]);
    assert!(removed.iter().all(|d| d.new.is_none()));

    // Nothing else drifted.
    assert_eq!(drifts.len(), 5, "{text}");
    // The report a developer sees names all of it.
    for needle in [
        "helper `Dns::add` wraps `dns_a_add`",
        "old: dns_a_add(session_id, client_id, params, update_serial = false)",
        "new: dns_a_add(session_id, client_id, params, bump_serial = false)",
        "helper `Sites::update_web_domain` wraps `sites_web_domain_update`",
        "helper `Clients::update` wraps `client_update`",
        "(method removed from the inventory)",
        "crates/panelkit/src/<panel>/pins.rs",
    ] {
        assert!(text.contains(needle), "report lacks {needle:?}:\n{text}");
    }
}

#[test]
fn a_default_or_requiredness_change_is_a_drift_a_line_move_is_not() {
    let mut inventory = committed();
    let i = inventory
        .operations
        .iter()
        .position(|o| o.name == "dns_txt_delete")
        .unwrap();
    inventory.operations[i].source_location =
        "interface/lib/classes/remote.d/dns.inc.php:9999".into();
    assert!(check(&inventory, &pins()).is_empty());
    inventory.operations[i].params[2].default = Some("true".into());
    let drifts = check(&inventory, &pins());
    assert_eq!(drifts.len(), 1, "{}", report(&drifts));
    assert_eq!(drifts[0].helper, "Dns::delete_record");
}

/// Every public async helper of the overlay (they are what calls the panel)
/// is pinned: a new helper cannot be added without stating what it wraps.
#[test]
fn every_async_helper_is_pinned() {
    let listing = codegen::surface::list(&workspace_root().join("crates/panelkit"))
        .unwrap_or_else(|e| panic!("{e}"));
    let mut helpers = Vec::new();
    // The ISPConfig module's own helpers; the REST modules' are checked in
    // overlay_rest_pins.rs.
    for line in listing.lines().filter(|l| l.starts_with("[ispconfig] ")) {
        // `[ispconfig] impl Dns<'_> { pub async fn zone(&self, ...`
        let Some(rest) = line.split_once("impl ").map(|(_, r)| r) else {
            continue;
        };
        let Some((ty, sig)) = rest.split_once(" { pub async fn ") else {
            continue;
        };
        let ty = ty.trim_end_matches("<'_>");
        let name = sig.split(['(', '<']).next().unwrap_or_default();
        helpers.push(format!("{ty}::{name}"));
    }
    assert!(helpers.len() > 60, "found only {helpers:?}");
    let pinned: Vec<&str> = PINS.iter().map(|p| p.helper).collect();
    let unpinned: Vec<&String> = helpers
        .iter()
        .filter(|h| !pinned.contains(&h.as_str()) && h.as_str() != "Client::raw_call")
        .collect();
    assert!(
        unpinned.is_empty(),
        "helpers without audit pins (add them to crates/panelkit/src/ispconfig/pins.rs): {unpinned:?}"
    );
    // And no pin names a helper that does not exist.
    for pin in PINS {
        assert!(
            helpers.iter().any(|h| h == pin.helper),
            "pin for {} names no helper",
            pin.helper
        );
    }
}
