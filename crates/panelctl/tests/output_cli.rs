//! How panelctl prints, end to end against the ISPConfig peer: golden
//! tables (the default columns of a listing, `--output wide`, `--columns`),
//! the `--debug` log written to a file, and the help layout (global options
//! and exit codes on the top-level help only).

use std::process::{Output, Stdio};

use assert_cmd::Command;

use panelkit_tests::IspconfigPeer;

/// panelctl with the peer's URL and user in the environment, the password
/// on stdin and no config file.
fn panelctl(peer: &IspconfigPeer) -> Command {
    let mut command = Command::cargo_bin("panelctl").expect("panelctl is built");
    command
        .args(["--config", "/dev/null", "--password-stdin"])
        .env("PANELKIT_ISPCONFIG_URL", peer.url())
        .env("PANELKIT_ISPCONFIG_USER", peer.user())
        .env_remove("PANELKIT_ISPCONFIG_PASSWORD")
        .env_remove("PANELCTL_PROFILE")
        .env_remove("NO_COLOR")
        .write_stdin(format!("{}\n", peer.password()));
    command
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "panelctl failed ({:?}): {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

fn run(peer: &IspconfigPeer, args: &[&str]) -> Output {
    panelctl(peer).args(args).output().expect("panelctl runs")
}

#[test]
fn client_table_shows_the_default_columns() {
    let peer = IspconfigPeer::start();
    let table = stdout(&run(
        &peer,
        &["--output", "table", "ispconfig", "client", "list"],
    ));
    insta::assert_snapshot!("client_list_table", table);
    let widest = table.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(widest < 100, "a table fits a terminal: {widest} columns");
}

#[test]
fn wide_shows_every_field_of_the_json_answer() {
    let peer = IspconfigPeer::start();
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&run(&peer, &["ispconfig", "client", "list"]))).unwrap();
    let wide = stdout(&run(
        &peer,
        &["--output", "wide", "ispconfig", "client", "list"],
    ));
    let header: Vec<&str> = wide.lines().next().unwrap().split_whitespace().collect();
    let mut fields: Vec<String> = json[0]
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.to_uppercase())
        .collect();
    let mut shown: Vec<String> = header.iter().map(|h| (*h).to_owned()).collect();
    fields.sort();
    shown.sort();
    assert_eq!(shown, fields);
    assert_eq!(wide.lines().count(), 1 + json.as_array().unwrap().len());
}

#[test]
fn dns_records_default_and_wide_tables() {
    let peer = IspconfigPeer::start();
    let list = ["ispconfig", "dns", "list", "example.com"];
    let table = stdout(&run(&peer, &[&["--output", "table"][..], &list].concat()));
    insta::assert_snapshot!("dns_list_table", table);
    let wide = stdout(&run(&peer, &[&["--output", "wide"][..], &list].concat()));
    insta::assert_snapshot!("dns_list_wide", wide);
}

#[test]
fn columns_pick_in_order_and_an_unknown_one_is_a_usage_error() {
    let peer = IspconfigPeer::start();
    let picked = stdout(&run(
        &peer,
        &[
            "ispconfig",
            "client",
            "list",
            "--columns",
            "username,client_id",
        ],
    ));
    insta::assert_snapshot!("client_list_columns", picked);
    let output = run(
        &peer,
        &["--columns", "usernme", "ispconfig", "client", "list"],
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("no column \"usernme\"") && stderr.contains("username"),
        "{stderr}"
    );
}

#[test]
fn debug_into_a_file_has_no_escape_codes_and_one_line_per_event() {
    let peer = IspconfigPeer::start();
    let dir = tempfile::tempdir().unwrap();
    let log_path = dir.path().join("debug.log");
    for color in ["auto", "never"] {
        let log = std::fs::File::create(&log_path).unwrap();
        let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("panelctl"));
        command
            .args(["--config", "/dev/null", "--password-stdin", "--debug"])
            .args(["--color", color, "ispconfig", "client", "list"])
            .env("PANELKIT_ISPCONFIG_URL", peer.url())
            .env("PANELKIT_ISPCONFIG_USER", peer.user())
            .env_remove("NO_COLOR")
            .env_remove("PANELCTL_PROFILE")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::from(log));
        let mut child = command.spawn().unwrap();
        {
            use std::io::Write;
            let mut stdin = child.stdin.take().unwrap();
            writeln!(stdin, "{}", peer.password()).unwrap();
        }
        assert!(child.wait().unwrap().success());
        let text = std::fs::read_to_string(&log_path).unwrap();
        assert!(
            !text.contains('\x1b'),
            "--color {color}: escape codes in {text}"
        );
        assert!(text.contains("call ok"), "{text}");
        for line in text.lines() {
            let names: Vec<&str> = line
                .split_whitespace()
                .filter_map(|w| w.split_once('=').map(|p| p.0))
                .collect();
            let mut unique = names.clone();
            unique.sort_unstable();
            unique.dedup();
            assert_eq!(unique.len(), names.len(), "a field repeats: {line}");
            for word in line.split_whitespace() {
                if let Some(ms) = word.split_once("_ms=").map(|p| p.1) {
                    assert!(ms.parse::<u64>().is_ok(), "millis not rounded: {line}");
                }
            }
            assert!(!line.contains(peer.password()), "password leaked: {line}");
        }
    }
}

#[test]
fn help_lists_global_options_and_exit_codes_once_at_the_top() {
    let top = Command::cargo_bin("panelctl")
        .unwrap()
        .arg("--help")
        .output()
        .unwrap();
    let top = stdout(&top);
    assert!(top.contains("Global options:") && top.contains("--profile"));
    assert!(top.contains("Exit codes:") && top.contains("12  partly done"));
    let sub = Command::cargo_bin("panelctl")
        .unwrap()
        .args(["ispconfig", "client", "list", "--help"])
        .output()
        .unwrap();
    let sub = stdout(&sub);
    assert!(!sub.contains("--profile <PROFILE>"), "{sub}");
    assert!(sub.contains("see `panelctl --help`"), "{sub}");
    assert!(
        sub.lines().count() < 15,
        "a verb's help is about the verb: {sub}"
    );
}
