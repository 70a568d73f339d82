//! `panelctl dci power|configurations|user-create` end to end against the
//! local DCImanager 6 peer (tests/src/dcimanager.rs): waiting through the
//! operation with one stderr line per state change when piped, a failed
//! operation and a deadline as their exit codes, and a new user's password
//! taken from stdin and shown nowhere.

use std::process::Output;

use assert_cmd::Command;

use panelkit_tests::dcimanager::{DciPeer, Outcome, PeerOptions};

/// Runs panelctl (blocking, off the runtime that serves the peer) with the
/// peer's URL and account; the CLI's password is the first stdin line.
async fn panelctl(peer: &DciPeer, list: &[&str], extra_stdin: &str) -> Output {
    let (email, password) = peer.account();
    let url = peer.url();
    let args: Vec<String> = ["--config", "/dev/null", "--password-stdin"]
        .iter()
        .chain(list)
        .map(|s| (*s).to_owned())
        .collect();
    let stdin = format!("{password}\n{extra_stdin}");
    tokio::task::spawn_blocking(move || {
        Command::cargo_bin("panelctl")
            .expect("panelctl is built")
            .args(&args)
            .env_remove("PANELCTL_PROFILE")
            .env("PANELKIT_DCI_URL", url)
            .env("PANELKIT_DCI_USER", email)
            .write_stdin(stdin)
            .output()
            .expect("panelctl runs")
    })
    .await
    .expect("runner")
}

fn json(output: &Output) -> serde_json::Value {
    assert!(
        output.status.success(),
        "panelctl failed ({:?}): {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("stdout is JSON")
}

async fn peer(servers: usize) -> DciPeer {
    DciPeer::start(PeerOptions {
        servers,
        ..PeerOptions::default()
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn power_off_waits_with_a_line_per_state_change() {
    let peer = peer(3).await;
    peer.script_operations(&["queued", "running", "running"], Outcome::Complete);
    let out = panelctl(&peer, &["dci", "power", "off", "2", "--wait"], "").await;
    let value = json(&out);
    assert_eq!(value["command"], "power_off");
    assert_eq!(value["server"]["id"], 2);
    assert_eq!(value["server"]["power_status"], "off");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("server 2:"))
        .collect();
    // Four polls (queued, running, running, complete), three states.
    assert_eq!(lines.len(), 3, "{stderr}");
    assert!(lines[0].contains("operation queued"), "{stderr}");
    assert!(lines[1].contains("operation running"), "{stderr}");
    assert!(
        lines[2].contains("power off") && lines[2].contains("operation complete"),
        "{stderr}"
    );
    assert_eq!(peer.seen_at("/api/dci/v3/server/2/power_off").len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn power_without_wait_returns_at_once_and_reset_and_on_work() {
    let peer = peer(3).await;
    let out = panelctl(&peer, &["dci", "power", "reset", "1"], "").await;
    let value = json(&out);
    assert_eq!(value["command"], "power_reset");
    assert!(value["answer"]["id"].is_number(), "{value}");
    assert!(
        peer.seen_at("/api/dci/v3/server/1").is_empty(),
        "no polling"
    );

    peer.set_power(3, "off");
    let value = json(&panelctl(&peer, &["dci", "power", "on", "3", "--wait"], "").await);
    assert_eq!(value["server"]["power_status"], "on");
    // Not applicable (already on): the panel's validation error, exit 7.
    let out = panelctl(&peer, &["dci", "power", "on", "3"], "").await;
    assert_eq!(
        out.status.code(),
        Some(7),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_operation_and_a_deadline_have_their_exit_codes() {
    let peer = peer(3).await;
    peer.script_operations(&["running"], Outcome::Failed("PDU port unreachable".into()));
    let out = panelctl(&peer, &["dci", "power", "reset", "1", "--wait"], "").await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(9), "{stderr}");
    assert!(
        stderr.contains("server 1") && stderr.contains("PDU port unreachable"),
        "{stderr}"
    );

    peer.script_operations(&["queued", "running"], Outcome::Never);
    let out = panelctl(
        &peer,
        &["dci", "power", "off", "2", "--wait", "--timeout", "1"],
        "",
    )
    .await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(11), "{stderr}");
    assert!(
        stderr.contains("gave up after 1 s waiting for server 2"),
        "{stderr}"
    );
    assert!(
        stderr.contains("last seen: power on, state active, operation running"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn configurations_are_listed() {
    let peer = peer(9).await;
    let value = json(&panelctl(&peer, &["dci", "configurations"], "").await);
    assert_eq!(
        value,
        serde_json::json!([
            {"configuration": "e5-32Gb", "free_server_count": 2},
            {"configuration": "i9-64Gb", "free_server_count": 1}
        ])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_create_reads_the_password_from_stdin_and_never_shows_it() {
    let peer = peer(0).await;
    let secret = "n3w-üser-secret";
    let out = panelctl(
        &peer,
        &[
            "--debug",
            "dci",
            "user-create",
            "client@example.com",
            "--role",
            "@user",
            "--user-password-stdin",
        ],
        &format!("{secret}\n"),
    )
    .await;
    let value = json(&out);
    assert_eq!(value["email"], "client@example.com");
    assert!(value["id"].is_number());
    let users = peer.users();
    assert_eq!(users.len(), 1);
    assert_eq!(users[0]["roles"][0], "@user");
    let body: serde_json::Value =
        serde_json::from_slice(&peer.seen_at("/api/dci/v3/user")[0].body).unwrap();
    assert_eq!(body["password"], secret);
    let shown = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!shown.contains(secret), "{shown}");

    // Without the flag the verb refuses to run (a password never goes on the command line).
    let out = panelctl(&peer, &["dci", "user-create", "x@example.com"], "").await;
    assert_eq!(out.status.code(), Some(2));
}
