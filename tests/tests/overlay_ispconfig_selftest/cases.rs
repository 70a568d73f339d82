// The tests of `overlay_ispconfig_selftest.rs`, included once per wire (SOAP, JSON); `IspconfigPeer`
// is the including module's peer type.

use panelkit::ispconfig::selftest::{self, Options};
use panelkit::ispconfig::Client;

use crate::overlay_common::overlay;

/// Rows per table of the peer, to compare before and after.
async fn row_counts(peer: &IspconfigPeer) -> Vec<(&'static str, usize)> {
    let mut counts = Vec::new();
    for table in [
        "client",
        "sys_user",
        "sys_group",
        "dns_soa",
        "dns_rr",
        "web_domain",
        "ftp_user",
        "shell_user",
        "mail_domain",
        "mail_user",
        "mail_forwarding",
        "web_database",
        "web_database_user",
    ] {
        counts.push((table, peer.table(table).await.len()));
    }
    counts
}

#[tokio::test]
async fn selftest_passes_on_the_peer_and_leaves_nothing_behind() {
    let peer = IspconfigPeer::start();
    let before = row_counts(&peer).await;
    let report = selftest::run(&overlay(&peer), &Options::default()).await;
    let failed: Vec<_> = report.steps.iter().filter(|s| !s.ok).collect();
    assert!(failed.is_empty(), "{failed:#?}");
    assert!(report.passed(), "{report:#?}");
    assert!(report.steps.len() > 25, "{}", report.steps.len());
    assert_eq!(row_counts(&peer).await, before, "nothing left behind");
    assert_eq!(peer.stats().await.failed_attempts, 0);
}

#[tokio::test]
async fn a_failed_step_still_cleans_up_and_is_reported() {
    // A remote user without the mail functions: the mail steps fail, the
    // rest is still deleted.
    let mut functions: Vec<String> = panelkit_ispconfig::METHODS
        .iter()
        .filter(|m| !m.starts_with("mail_"))
        .map(|m| (*m).to_owned())
        .collect();
    functions.push("get_function_list".into());
    let peer = IspconfigPeer::start_with(panelkit_tests::PeerOptions {
        functions: Some(functions),
        ..panelkit_tests::PeerOptions::default()
    });
    let before = row_counts(&peer).await;
    let report = selftest::run(&overlay(&peer), &Options::default()).await;
    assert!(!report.passed());
    let failed: Vec<&str> = report
        .steps
        .iter()
        .filter(|s| !s.ok)
        .map(|s| s.helper)
        .collect();
    assert_eq!(failed, ["Mail::add_domain"], "{report:#?}");
    assert!(report.left_behind.is_empty(), "{report:#?}");
    assert_eq!(row_counts(&peer).await, before, "nothing left behind");
}

#[tokio::test]
#[ignore = "writes to a real panel: PANELKIT_ISPCONFIG_URL/_USER/_PASSWORD, run with --ignored"]
async fn selftest_passes_on_a_real_panel() {
    let env = |name: &str| std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set"));
    let client = Client::builder()
        .url(env("PANELKIT_ISPCONFIG_URL"))
        .credentials(
            env("PANELKIT_ISPCONFIG_USER"),
            env("PANELKIT_ISPCONFIG_PASSWORD"),
        )
        .build()
        .unwrap();
    let report = selftest::run(&client, &Options::default()).await;
    assert!(report.passed(), "{report:#?}");
}
