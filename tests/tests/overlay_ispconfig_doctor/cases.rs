// The tests of `overlay_ispconfig_doctor.rs`, included once per wire (SOAP, JSON); `IspconfigPeer`
// is the including module's peer type.

use panelkit::ispconfig::doctor;
use panelkit_tests::PeerOptions;

use crate::overlay_common::overlay;

#[tokio::test]
async fn a_full_remote_user_on_the_current_release_is_healthy() {
    let peer = IspconfigPeer::start();
    let report = doctor::diagnose(&overlay(&peer)).await.unwrap();
    assert_eq!(
        report.matches,
        ["3.2.10", "3.2.11", "3.2.12", "3.2.12p1"],
        "3.2.10 to 3.2.12p1 serve the same methods"
    );
    assert_eq!(report.version_range().as_deref(), Some("3.2.10–3.2.12p1"));
    assert!(report.unknown.is_empty() && report.missing.is_empty());
    assert!(
        report.groups.iter().all(|g| g.allowed == Some(true)),
        "{report:?}"
    );
    assert!(report.blocked_helpers.is_empty(), "{report:?}");
    assert!(report.healthy());
    assert!(report.endpoints.soap.ends_with("/remote/index.php"));
    assert!(report.endpoints.json.ends_with("/remote/json.php"));
    assert!(report.endpoints.json_answers, "the peer serves JSON too");
    assert_eq!(report.tls_sha256, None, "plain HTTP");
    let stats = peer.stats().await;
    assert_eq!(
        stats.failed_attempts, 0,
        "nothing counted towards the lockout"
    );
}

#[tokio::test]
async fn an_older_release_is_named() {
    let peer = IspconfigPeer::start_with(PeerOptions {
        version: Some("3.2.9".into()),
        ..PeerOptions::default()
    });
    let report = doctor::diagnose(&overlay(&peer)).await.unwrap();
    assert_eq!(report.matches, ["3.2.9"]);
    assert_eq!(report.missing, ["dns_zone_set_dnssec"]);
}

#[tokio::test]
async fn a_restricted_remote_user_is_told_what_each_helper_lacks() {
    // A DNS-only remote user: zone and A-record functions, nothing else.
    let functions = [
        "get_function_list",
        "dns_zone_get",
        "dns_zone_get_id",
        "dns_zone_add",
        "dns_zone_update",
        "dns_zone_delete",
        "dns_a_get",
        "dns_a_add",
        "dns_a_update",
        "dns_a_delete",
    ]
    .map(str::to_owned)
    .to_vec();
    let peer = IspconfigPeer::start_with(PeerOptions {
        functions: Some(functions),
        ..PeerOptions::default()
    });
    let report = doctor::diagnose(&overlay(&peer)).await.unwrap();
    assert!(!report.healthy());
    let group = |name: &str| {
        report
            .groups
            .iter()
            .find(|g| g.group == name)
            .unwrap_or_else(|| panic!("{name} not probed: {report:?}"))
            .allowed
    };
    assert_eq!(group("DNS a functions"), Some(true));
    assert_eq!(group("Client functions"), Some(false));
    assert_eq!(group("Mail user functions"), Some(false));
    let blocked: Vec<&str> = report
        .blocked_helpers
        .iter()
        .map(|b| b.helper.as_str())
        .collect();
    assert!(blocked.contains(&"Mail::add_mailbox"), "{blocked:?}");
    // Adding a record needs the owner lookup: "Client functions".
    let add_record = report
        .blocked_helpers
        .iter()
        .find(|b| b.helper == "Dns::add_record")
        .expect("Dns::add_record is blocked");
    assert!(
        add_record
            .lacks
            .iter()
            .any(|l| l.contains("'Client functions'")),
        "{add_record:?}"
    );
    assert!(!blocked.contains(&"Dns::zone"), "{blocked:?}");
    let stats = peer.stats().await;
    assert_eq!(
        stats.failed_attempts, 0,
        "permission faults are not counted"
    );
    let writes: u64 = stats
        .calls
        .iter()
        .filter(|(m, _)| m.ends_with("_add") || m.ends_with("_update") || m.ends_with("_delete"))
        .map(|(_, n)| n)
        .sum();
    assert_eq!(writes, 0, "doctor writes nothing: {:?}", stats.calls);
}
