//! `panelctl ispconfig` end to end against the ISPConfig peer (PHP's own
//! SoapServer following the panel's remote semantics; tests/peers/ispconfig).

use std::process::Output;

use assert_cmd::Command;

use panelkit_tests::IspconfigPeer;

/// Runs panelctl with the peer's URL and user in the environment and the
/// password on stdin (tests pass `--config /dev/null`: no profile applies).
fn panelctl(peer: &IspconfigPeer, password: &str, args: &[&str]) -> Output {
    panelctl_command()
        .arg("--password-stdin")
        .args(args)
        .env("PANELKIT_ISPCONFIG_URL", peer.url())
        .env("PANELKIT_ISPCONFIG_USER", peer.user())
        .env_remove("PANELKIT_ISPCONFIG_PASSWORD")
        .env_remove("PANELCTL_PROFILE")
        .write_stdin(format!("{password}\n"))
        .output()
        .expect("panelctl runs")
}

/// The built `panelctl` binary, run by assert_cmd.
fn panelctl_command() -> Command {
    Command::cargo_bin("panelctl").expect("panelctl is built")
}

fn stdout_json(output: &Output) -> serde_json::Value {
    assert!(
        output.status.success(),
        "panelctl failed ({:?}): {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("stdout is JSON")
}

#[test]
fn functions_lists_the_panel_methods() {
    let peer = IspconfigPeer::start();
    let output = panelctl(
        &peer,
        peer.password(),
        &["--config", "/dev/null", "ispconfig", "functions"],
    );
    let names = stdout_json(&output);
    let names: Vec<&str> = names
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert!(names.contains(&"dns_zone_get") && names.contains(&"login"));
    assert!(!names.contains(&"__construct"));
}

#[test]
fn call_prints_the_answer_as_json() {
    let peer = IspconfigPeer::start();
    let output = panelctl(
        &peer,
        peer.password(),
        &[
            "--config",
            "/dev/null",
            "--color",
            "always",
            "--output",
            "json",
            "ispconfig",
            "call",
            "dns_zone_get",
            "2",
        ],
    );
    // --color always colors even into a pipe; strip it to compare.
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("\x1b["), "colored: {text}");
    let output = panelctl(
        &peer,
        peer.password(),
        &[
            "--config",
            "/dev/null",
            "ispconfig",
            "call",
            "dns_zone_get",
            "2",
        ],
    );
    let zone = stdout_json(&output);
    assert!(
        !String::from_utf8_lossy(&output.stdout).contains("\x1b["),
        "plain when piped"
    );
    insta::assert_json_snapshot!("dns_zone_get_2", zone);
}

#[test]
fn call_with_a_filter_map_and_table_output() {
    let peer = IspconfigPeer::start();
    let output = panelctl(
        &peer,
        peer.password(),
        &[
            "--config",
            "/dev/null",
            "--output",
            "table",
            "ispconfig",
            "call",
            "dns_zone_get",
            r#"{"origin": "example.com."}"#,
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let table = String::from_utf8_lossy(&output.stdout);
    let first = table.lines().next().unwrap_or_default();
    assert!(first.contains("ORIGIN") && first.contains("ID"), "{table}");
    assert!(table.contains("example.com."), "{table}");
}

#[test]
fn wrong_password_is_an_auth_failure_with_its_exit_code() {
    let peer = IspconfigPeer::start();
    let output = panelctl(
        &peer,
        "wrong-password",
        &["--config", "/dev/null", "ispconfig", "functions"],
    );
    assert_eq!(
        output.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("authentication failed"));
}

#[test]
fn bad_json_parameter_is_a_config_failure() {
    let peer = IspconfigPeer::start();
    let output = panelctl(
        &peer,
        peer.password(),
        &[
            "--config",
            "/dev/null",
            "ispconfig",
            "call",
            "dns_zone_get",
            "{not json",
        ],
    );
    assert_eq!(output.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&output.stderr).contains("parameter 1: not JSON"));
}

#[test]
fn debug_logs_requests_without_secrets() {
    let peer = IspconfigPeer::start();
    let output = panelctl(
        &peer,
        peer.password(),
        &[
            "--config",
            "/dev/null",
            "--debug",
            "ispconfig",
            "call",
            "dns_zone_get",
            "2",
        ],
    );
    stdout_json(&output);
    let log = String::from_utf8_lossy(&output.stderr);
    assert!(log.contains("dns_zone_get"), "the call is logged: {log}");
    assert!(!log.contains(peer.password()), "password leaked: {log}");
    // Session ids are a letter and 40 hex digits: none may appear.
    let leaked = log
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| w.len() == 41 && w[1..].bytes().all(|b| b.is_ascii_hexdigit()));
    assert!(!leaked, "session id leaked: {log}");
}

#[test]
fn missing_url_names_every_way_to_give_it() {
    let output = panelctl_command()
        .args(["--config", "/dev/null", "ispconfig", "functions"])
        .env_remove("PANELKIT_ISPCONFIG_URL")
        .env_remove("PANELCTL_PROFILE")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--url") && stderr.contains("PANELKIT_ISPCONFIG_URL"),
        "{stderr}"
    );
}

#[test]
fn profile_from_the_config_file() {
    let peer = IspconfigPeer::start();
    let dir = std::env::temp_dir().join(format!("panelctl-profile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[profiles.lab.ispconfig]\nurl = \"{}\"\nuser = \"{}\"\npassword = \"{}\"\n",
            peer.url(),
            peer.user(),
            peer.password()
        ),
    )
    .unwrap();
    let output = panelctl_command()
        .arg("--config")
        .arg(&config)
        .args([
            "--profile",
            "lab",
            "ispconfig",
            "call",
            "dns_zone_get_id",
            "\"example.com\"",
        ])
        .env_remove("PANELKIT_ISPCONFIG_URL")
        .env_remove("PANELKIT_ISPCONFIG_USER")
        .env_remove("PANELKIT_ISPCONFIG_PASSWORD")
        .output()
        .unwrap();
    let id = stdout_json(&output);
    assert!(id.as_i64().is_some() || id.as_str().is_some(), "{id}");
    let missing = panelctl_command()
        .arg("--config")
        .arg(&config)
        .args(["--profile", "nope", "ispconfig", "functions"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no profile \"nope\""));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn completions_are_printed() {
    let output = panelctl_command()
        .args(["completions", "bash"])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains("convert-users"));
}

/// Runs a command and answers its JSON, failing with stderr otherwise.
fn ok(peer: &IspconfigPeer, stdin_after_password: &str, args: &[&str]) -> serde_json::Value {
    let mut full = vec!["--config", "/dev/null"];
    full.extend_from_slice(args);
    let password = format!("{}\n{stdin_after_password}", peer.password());
    stdout_json(&panelctl(peer, password.trim_end(), &full))
}

#[test]
fn dns_verbs_go_through_the_audited_overlay() {
    let peer = IspconfigPeer::start();
    let added = ok(
        &peer,
        "",
        &[
            "ispconfig",
            "dns",
            "add",
            "example.com",
            "www2",
            "A",
            "192.0.2.10",
        ],
    );
    assert_eq!(
        added["type"], "A",
        "the overlay sets the type the raw call leaves empty: {added}"
    );
    assert_eq!(added["data"], "192.0.2.10");
    let id = added["id"]
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| added["id"].to_string());
    let records = ok(&peer, "", &["ispconfig", "dns", "list", "example.com."]);
    assert!(
        records
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["name"] == "www2"),
        "{records}"
    );
    // The id named as another type deletes nothing (the raw dns_aaaa_delete would).
    let wrong = ok(&peer, "", &["ispconfig", "dns", "delete", "AAAA", &id]);
    assert_eq!(wrong["deleted"], false, "{wrong}");
    let deleted = ok(&peer, "", &["ispconfig", "dns", "delete", "A", &id]);
    assert_eq!(deleted["deleted"], true);
}

#[test]
fn web_domain_set_changes_one_field_and_keeps_the_rest() {
    let peer = IspconfigPeer::start();
    let before = ok(&peer, "", &["ispconfig", "web-domain", "get", "1"]);
    let after = ok(
        &peer,
        "",
        &["ispconfig", "web-domain", "set", "1", "hd_quota", "2000"],
    );
    // Typed: numbers print as numbers.
    assert_eq!(after["hd_quota"], 2000);
    for kept in ["log_retention", "pm_max_children", "php", "document_root"] {
        assert_eq!(after[kept], before[kept], "{kept} kept");
    }
    let missing = panelctl(
        &peer,
        peer.password(),
        &[
            "--config",
            "/dev/null",
            "ispconfig",
            "web-domain",
            "get",
            "999",
        ],
    );
    assert_eq!(missing.status.code(), Some(6), "not found");
}

#[test]
fn mail_user_add_and_list() {
    let peer = IspconfigPeer::start();
    let added = ok(
        &peer,
        "mailbox-Secret-1",
        &["ispconfig", "mail-user", "add", "new@example.com"],
    );
    assert_eq!(added["email"], "new@example.com", "{added}");
    let listed = ok(
        &peer,
        "",
        &["ispconfig", "mail-user", "list", "example.com"],
    );
    let emails: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["email"].as_str())
        .collect();
    assert!(
        emails.contains(&"info@example.com") && emails.contains(&"new@example.com"),
        "{emails:?}"
    );
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r.get("password").is_none()),
        "hashes are not shown"
    );
}

#[test]
fn client_list() {
    let peer = IspconfigPeer::start();
    let clients = ok(&peer, "", &["ispconfig", "client", "list"]);
    let names: Vec<&str> = clients
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["company_name"].as_str())
        .collect();
    // Typed clients: the stored password hash is never shown.
    assert!(clients
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c.get("password").is_none()));
    assert!(
        names.contains(&"A_B Ltd") && names.contains(&"Reseller & Söhne"),
        "{names:?}"
    );
}

#[test]
fn client_web_domain_and_mail_domain_add_go_through_the_helpers() {
    let peer = IspconfigPeer::start();
    let client = ok(
        &peer,
        "Client-Pass-1!",
        &[
            "ispconfig",
            "client",
            "add",
            "cli-client",
            "--contact",
            "CLI Contact",
            "--email",
            "cli@example.com",
        ],
    );
    assert_eq!(client["username"], "cli-client", "{client}");
    assert_eq!(
        client["limit_web_domain"], -1,
        "the form's default: {client}"
    );
    assert!(client.get("password").is_none(), "no hash shown: {client}");
    let reseller = ok(
        &peer,
        "Reseller-Pass-1!",
        &[
            "ispconfig",
            "client",
            "add",
            "cli-reseller",
            "--contact",
            "CLI Reseller",
            "--email",
            "reseller@example.com",
            "--reseller-limit",
            "-1",
        ],
    );
    assert_eq!(reseller["limit_client"], -1, "{reseller}");
    let owner = client["client_id"].as_i64().unwrap().to_string();
    let site = ok(
        &peer,
        "",
        &[
            "ispconfig",
            "web-domain",
            "add",
            "cli.example.com",
            "--client",
            &owner,
        ],
    );
    assert_eq!(site["type"], "vhost", "{site}");
    assert_eq!(site["stats_type"], "awstats", "the form's default: {site}");
    let domain = ok(
        &peer,
        "",
        &[
            "ispconfig",
            "mail-domain",
            "add",
            "cli-mail.example.com",
            "--client",
            &owner,
        ],
    );
    assert_eq!(domain["domain"], "cli-mail.example.com", "{domain}");
    assert_eq!(domain["active"], "y", "{domain}");
}

#[test]
fn doctor_reports_the_release_and_fails_with_the_permission_code_when_groups_are_missing() {
    let peer = IspconfigPeer::start();
    let report = ok(&peer, "", &["ispconfig", "doctor"]);
    assert_eq!(report["matches"][3], "3.2.12p1", "{report}");
    assert_eq!(report["blocked_helpers"], serde_json::json!([]), "{report}");

    let restricted = IspconfigPeer::start_with(panelkit_tests::PeerOptions {
        functions: Some(vec!["get_function_list".into(), "dns_zone_get".into()]),
        ..panelkit_tests::PeerOptions::default()
    });
    let output = panelctl(
        &restricted,
        restricted.password(),
        &["--config", "/dev/null", "ispconfig", "doctor"],
    );
    assert_eq!(output.status.code(), Some(5), "{output:?}");
    let printed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(
        printed["blocked_helpers"]
            .as_array()
            .is_some_and(|b| !b.is_empty()),
        "{printed}"
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("System → Remote Users"));
}
