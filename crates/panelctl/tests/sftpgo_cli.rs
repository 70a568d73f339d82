//! `panelctl sftpgo` end to end against Prism serving SFTPGo's own OpenAPI
//! spec: Prism refuses any request the spec does not allow (400/401/422), so
//! every verb here is checked against the spec, not against our own idea of it.

use std::path::PathBuf;
use std::process::Output;

use assert_cmd::Command;
use std::sync::OnceLock;

use panelkit_tests::prism::PrismPeer;

/// The URL of one Prism for the whole file (it takes a few seconds to
/// start). Prism is tied to the thread that starts it (it gets SIGKILL when
/// that thread ends), so a thread that outlives every test owns it.
fn prism_url() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| {
        // Resolved here, so a missing spec fails the test with the
        // resolver's message rather than as a dropped channel.
        let spec = panelkit_tests::prism::sftpgo_spec();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let peer = PrismPeer::start(&spec);
            tx.send(peer.url()).expect("test thread waits");
            loop {
                std::thread::park();
            }
        });
        rx.recv().expect("Prism started")
    })
}

const API_KEY: &str = "panelctl-test-key-0123456789";

fn panelctl(args: &[&str], stdin: Option<&str>) -> Output {
    run(args, stdin, Some(API_KEY))
}

/// Runs panelctl against Prism; with `api_key` None it must log in as an
/// admin (user and password given in `args`/`stdin`) for a JWT.
fn run(args: &[&str], stdin: Option<&str>, api_key: Option<&str>) -> Output {
    let mut command = Command::cargo_bin("panelctl").expect("panelctl is built");
    command
        .args([
            "--config",
            "/dev/null",
            "--api-prefix",
            "",
            "--url",
            prism_url(),
        ])
        .args(args)
        .env_remove("PANELKIT_SFTPGO_API_KEY")
        .env_remove("PANELCTL_PROFILE")
        .write_stdin(stdin.unwrap_or_default());
    if let Some(key) = api_key {
        command.env("PANELKIT_SFTPGO_API_KEY", key);
    }
    command.output().expect("panelctl runs")
}

fn ok_json(args: &[&str]) -> serde_json::Value {
    let output = panelctl(args, None);
    assert!(
        output.status.success(),
        "panelctl {args:?} failed ({:?}): {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "panelctl {args:?}: stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

fn temp_file(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("panelctl-sftpgo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn get_version_and_provider_status() {
    let version = ok_json(&["sftpgo", "get-version"]);
    insta::assert_json_snapshot!("get_version", version);
    let status = ok_json(&["sftpgo", "get-provider-status"]);
    assert!(status.get("data_provider").is_some(), "{status}");
}

#[test]
fn user_verbs() {
    let created = panelctl(
        &[
            "sftpgo",
            "add-user",
            "alice",
            "--user-password-stdin",
            "--home-dir",
            "/srv/sftp/alice",
            "--uid",
            "33",
            "--gid",
            "33",
            "--max-sessions",
            "2",
            "--quota-size",
            "0",
            "--quota-files",
            "3",
            "--permissions",
            "list",
            "download",
            "upload",
            "--subdirs-permissions",
            "/dir1::list,download",
            "/dir2::*",
            "--upload-bandwidth",
            "100",
            "--download-bandwidth",
            "60",
            "--status",
            "1",
            "--expiration-date",
            "2030-01-01",
            "--allowed-ip",
            "192.168.1.1/32",
            "--denied-login-methods",
            "password",
        ],
        Some("user-secret\n"),
    );
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let user = ok_json(&["sftpgo", "get-user", "alice"]);
    assert!(user.get("username").is_some());
    let updated = ok_json(&["sftpgo", "update-user", "alice", "--quota-size", "1048576"]);
    assert!(updated.is_object());
    let users = ok_json(&["sftpgo", "get-users", "--limit", "10", "--order", "DESC"]);
    assert!(users.is_array());
    let all = ok_json(&["sftpgo", "get-users"]);
    assert!(all.is_array(), "every page");
    ok_json(&["sftpgo", "delete-user", "alice"]);
}

#[test]
fn a_request_the_spec_refuses_is_a_validation_failure() {
    // A user JSON with a wrongly typed field: Prism answers 400 from the spec.
    let file = temp_file("bad-user.json");
    std::fs::write(&file, r#"{"quota_files": "many"}"#).unwrap();
    let output = panelctl(
        &[
            "sftpgo",
            "add-user",
            "bob",
            "--json",
            file.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(
        output.status.code(),
        Some(3),
        "typed locally before sending: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let output = panelctl(&["sftpgo", "get-users", "--limit=-5"], None);
    assert_eq!(
        output.status.code(),
        Some(3),
        "a limit below 1 is refused before sending: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let backup = temp_file("empty-backup.json");
    std::fs::write(&backup, r#"{"users": []}"#).unwrap();
    let output = panelctl(
        &[
            "sftpgo",
            "loaddata",
            backup.to_str().unwrap(),
            "--mode",
            "7",
        ],
        None,
    );
    assert_eq!(
        output.status.code(),
        Some(7),
        "Prism refuses mode=7 (enum 0, 1, 2): {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn connections_quota_scans_and_maintenance() {
    assert!(ok_json(&["sftpgo", "get-connections"]).is_array());
    ok_json(&["sftpgo", "close-connection", "conn-1"]);
    assert!(ok_json(&["sftpgo", "get-quota-scans"]).is_array());
    ok_json(&["sftpgo", "start-quota-scan", "alice"]);
    // Prism's scan list holds one scan of user "string", never "alice": the
    // wait ends at once for alice and times out (exit 11) for "string".
    let done = ok_json(&[
        "sftpgo",
        "start-quota-scan",
        "alice",
        "--wait",
        "--timeout",
        "5",
    ]);
    assert_eq!(done["scan"], "finished");
    let output = panelctl(
        &[
            "sftpgo",
            "start-quota-scan",
            "string",
            "--wait",
            "--timeout",
            "1",
        ],
        None,
    );
    assert_eq!(
        output.status.code(),
        Some(11),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(ok_json(&["sftpgo", "dumpdata"]).is_object());
}

#[test]
fn admins_folders_and_api_keys() {
    assert!(ok_json(&["sftpgo", "get-admins"]).is_array());
    ok_json(&["sftpgo", "get-admin", "root"]);
    let added = panelctl(
        &[
            "sftpgo",
            "add-admin",
            "ops",
            "--permissions",
            "add_users",
            "edit_users",
            "--email",
            "ops@example.com",
            "--admin-password-stdin",
        ],
        Some("admin-secret\n"),
    );
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    ok_json(&["sftpgo", "delete-admin", "ops"]);
    assert!(ok_json(&["sftpgo", "get-folders", "--limit", "5"]).is_array());
    ok_json(&[
        "sftpgo",
        "add-folder",
        "shared",
        "--mapped-path",
        "/srv/shared",
    ]);
    ok_json(&["sftpgo", "get-folder", "shared"]);
    ok_json(&["sftpgo", "delete-folder", "shared"]);
    // API keys are managed with a JWT only (the spec allows BearerAuth
    // alone there): log in as an admin, password on stdin.
    let as_admin = |verb: &[&str]| {
        let mut args = vec!["--user", "admin", "--password-stdin", "sftpgo"];
        args.extend_from_slice(verb);
        let output = run(&args, Some("admin-password\n"), None);
        assert!(
            output.status.success(),
            "{verb:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&output.stdout).expect("JSON")
    };
    assert!(as_admin(&["get-api-keys"]).is_array());
    as_admin(&["add-api-key", "ci", "--scope", "1", "--admin", "root"]);
    as_admin(&["delete-api-key", "abc"]);
    // With only an API key configured, the CLI says what is missing.
    let output = panelctl(&["sftpgo", "get-api-keys"], None);
    assert_eq!(output.status.code(), Some(3));
    let hint = String::from_utf8_lossy(&output.stderr);
    assert!(
        hint.contains("only an admin's login") && hint.contains("PANELKIT_SFTPGO_USER"),
        "{hint}"
    );
    assert!(!hint.contains(".admin("), "the CLI's own hint: {hint}");
}

#[test]
fn convert_users_create_and_loaddata() {
    let dump = temp_file("pure.json");
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/pureftpd.passwd"
    );
    let output = panelctl(
        &[
            "sftpgo",
            "convert-users",
            fixture,
            "pure-ftpd",
            dump.to_str().unwrap(),
            "--create",
        ],
        None,
    );
    // 12: the fixture has lines that are skipped; the users are created.
    assert_eq!(
        output.status.code(),
        Some(12),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let created = summary["created"].as_array().expect("created report");
    assert_eq!(created.len(), 3);
    assert!(created.iter().all(|c| c["ok"] == true), "{summary}");
    // The file convert-users wrote is a backup loaddata (and Prism's schema) accepts.
    ok_json(&[
        "sftpgo",
        "loaddata",
        dump.to_str().unwrap(),
        "--scan-quota",
        "0",
        "--mode",
        "0",
    ]);
}

#[test]
fn debug_output_never_shows_the_api_key() {
    let output = panelctl(&["--debug", "sftpgo", "get-version"], None);
    assert!(output.status.success());
    let log = String::from_utf8_lossy(&output.stderr);
    assert!(
        log.contains("version") || log.contains("http"),
        "requests are logged: {log}"
    );
    assert!(!log.contains(API_KEY), "API key leaked: {log}");
}

#[test]
fn doctor_probes_healthz_and_the_credentials() {
    let report = ok_json(&["sftpgo", "doctor"]);
    assert_eq!(report["panel"], "sftpgo", "{report}");
    let probes = report["probes"].as_array().unwrap();
    assert_eq!(probes.len(), 2, "{report}");
    assert!(probes.iter().all(|p| p["ok"] == true), "{report}");
}
