//! `panelctl --profiles …` / `--group …` end to end: one verb on three
//! profiles, two of them ISPConfig peers (each with its own remote user and
//! password, so a credential handed to the wrong panel fails its login) and
//! one a closed port.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

use panelkit_tests::{IspconfigPeer, PeerOptions};

/// Two peers with different credentials and the config file naming them.
struct Lab {
    alpha: IspconfigPeer,
    bravo: IspconfigPeer,
    _dir: tempfile::TempDir,
    config: PathBuf,
}

impl Lab {
    /// Profiles `alpha` and `bravo` (the peers) and `down` (a port nobody
    /// listens on), grouped as `web`; `extra` lines are appended.
    fn start(extra: &str) -> Lab {
        let alpha = IspconfigPeer::start_with(PeerOptions {
            user: "remote-alpha".into(),
            password: "alpha-Pw-7731".into(),
            ..PeerOptions::default()
        });
        let bravo = IspconfigPeer::start_with(PeerOptions {
            user: "remote-bravo".into(),
            password: "bravo-Pw-9042".into(),
            ..PeerOptions::default()
        });
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config.toml");
        let profile = |name: &str, url: &str, user: &str, password: &str| {
            format!(
                "[profiles.{name}.ispconfig]\nurl = \"{url}\"\nuser = \"{user}\"\npassword = \"{password}\"\n"
            )
        };
        std::fs::write(
            &config,
            format!(
                "[groups]\nweb = [\"alpha\", \"down\", \"bravo\"]\n{extra}\n{}{}{}",
                profile("alpha", &alpha.url(), alpha.user(), alpha.password()),
                profile("down", &closed_port_url(), "remote-down", "down-Pw-5518"),
                profile("bravo", &bravo.url(), bravo.user(), bravo.password()),
            ),
        )
        .unwrap();
        Lab {
            alpha,
            bravo,
            _dir: dir,
            config,
        }
    }

    /// Logins each peer saw, and failed ones (a wrong credential).
    fn logins(&self) -> [(u64, u64); 2] {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        [&self.alpha, &self.bravo].map(|peer| {
            let stats = runtime.block_on(peer.stats());
            (stats.login_calls, stats.failed_attempts)
        })
    }

    /// The passwords of every profile, none of which may be printed.
    fn passwords(&self) -> [&str; 3] {
        [self.alpha.password(), self.bravo.password(), "down-Pw-5518"]
    }
}

/// A URL on a local port that was just free: connecting is refused.
fn closed_port_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}/remote/index.php")
}

/// panelctl with only the config file (no ISPConfig variables, no profile).
fn panelctl(config: &Path, args: &[&str]) -> Output {
    let mut command = Command::cargo_bin("panelctl").expect("panelctl is built");
    for key in [
        "URL", "USER", "PASSWORD", "API_KEY", "TOKEN", "CA_FILE", "INSECURE",
    ] {
        command.env_remove(format!("PANELKIT_ISPCONFIG_{key}"));
    }
    command
        .env_remove("PANELCTL_PROFILE")
        .arg("--config")
        .arg(config)
        .args(args)
        .output()
        .expect("panelctl runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The JSON lines of stdout, one per panel.
fn json_lines(output: &Output) -> Vec<Value> {
    text(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

fn assert_no_password(lab: &Lab, output: &Output) {
    for password in lab.passwords() {
        assert!(
            !text(&output.stdout).contains(password),
            "stdout has {password}"
        );
        assert!(
            !text(&output.stderr).contains(password),
            "stderr has {password}"
        );
    }
}

#[test]
fn a_group_with_an_unreachable_panel_gives_two_ok_one_failed_and_exit_12() {
    let lab = Lab::start("");
    let output = panelctl(&lab.config, &["--group", "web", "ispconfig", "functions"]);
    assert_eq!(output.status.code(), Some(12), "{}", text(&output.stderr));
    let lines = json_lines(&output);
    let profiles: Vec<&str> = lines
        .iter()
        .map(|l| l["profile"].as_str().unwrap())
        .collect();
    assert_eq!(profiles, ["alpha", "down", "bravo"], "member order");
    for ok in [&lines[0], &lines[2]] {
        assert_eq!(ok["ok"], true, "{ok}");
        let names = ok["result"].as_array().expect("the function list");
        assert!(names.iter().any(|n| n == "dns_zone_get"), "{ok}");
        assert!(ok.get("error").is_none(), "{ok}");
    }
    let down = &lines[1];
    assert_eq!(down["ok"], false, "{down}");
    assert_eq!(down["code"], 11, "a transport failure: {down}");
    assert!(
        down["error"].as_str().is_some_and(|e| !e.is_empty()),
        "{down}"
    );
    assert!(down.get("result").is_none(), "{down}");
    assert!(
        text(&output.stderr).contains("1 of 3 panels failed: down"),
        "{}",
        text(&output.stderr)
    );
    // Each peer saw one login, with its own remote user's password.
    assert_eq!(lab.logins(), [(1, 0), (1, 0)]);
    assert_no_password(&lab, &output);
}

#[test]
fn the_table_has_a_row_per_panel_and_the_same_exit_code() {
    let lab = Lab::start("");
    let output = panelctl(
        &lab.config,
        &[
            "--profiles",
            "bravo,down,alpha",
            "--parallel",
            "1",
            "--output",
            "table",
            "ispconfig",
            "call",
            "dns_zone_get_id",
            "\"example.com\"",
        ],
    );
    assert_eq!(output.status.code(), Some(12), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    let rows: Vec<Vec<&str>> = stdout
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(rows.len(), 4, "{stdout}");
    assert_eq!(rows[0], ["PROFILE", "STATUS", "SUMMARY"], "{stdout}");
    assert_eq!(rows[1][..2], ["bravo", "ok"], "{stdout}");
    assert!(rows[1][2].parse::<i64>().is_ok(), "the zone id: {stdout}");
    assert_eq!(rows[2][..2], ["down", "failed"], "{stdout}");
    assert!(rows[2].len() > 2, "the error is the summary: {stdout}");
    assert_eq!(rows[3][..2], ["alpha", "ok"], "{stdout}");
    assert_no_password(&lab, &output);
}

#[test]
fn all_ok_exits_0_and_each_answer_is_redacted_on_its_own() {
    let lab = Lab::start("");
    let args = [
        "--profiles",
        "alpha,bravo",
        "ispconfig",
        "call",
        "mail_user_get",
        "1",
    ];
    let output = panelctl(&lab.config, &args);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let lines = json_lines(&output);
    assert_eq!(lines.len(), 2);
    for line in &lines {
        assert_eq!(line["ok"], true, "{line}");
        assert_eq!(line["result"]["email"], "info@example.com", "{line}");
        assert_ne!(
            line["result"]["password"], "$6$rounds=5000$saltsalt$hash",
            "{line}"
        );
    }
    assert!(!text(&output.stdout).contains("saltsalt"));
    // --show-secrets still shows them, and says so per panel.
    let mut shown = vec!["--show-secrets"];
    shown.extend(args);
    let output = panelctl(&lab.config, &shown);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    for line in json_lines(&output) {
        assert_eq!(
            line["result"]["password"], "$6$rounds=5000$saltsalt$hash",
            "{line}"
        );
    }
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("--show-secrets: alpha: showing the secrets in")
            && stderr.contains("--show-secrets: bravo: showing the secrets in"),
        "{stderr}"
    );
}

#[test]
fn settings_that_would_reach_every_panel_are_refused() {
    let lab = Lab::start("");
    let refused = panelctl(
        &lab.config,
        &[
            "--group",
            "web",
            "--url",
            "http://127.0.0.1:1/",
            "ispconfig",
            "functions",
        ],
    );
    assert_eq!(refused.status.code(), Some(3));
    assert!(
        text(&refused.stderr).contains("--url"),
        "{}",
        text(&refused.stderr)
    );
    let output = Command::cargo_bin("panelctl")
        .unwrap()
        .env("PANELKIT_ISPCONFIG_PASSWORD", lab.alpha.password())
        .env_remove("PANELKIT_ISPCONFIG_URL")
        .env_remove("PANELKIT_ISPCONFIG_USER")
        .arg("--config")
        .arg(&lab.config)
        .args(["--profiles", "alpha,bravo", "ispconfig", "functions"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("PANELKIT_ISPCONFIG_PASSWORD"), "{stderr}");
    assert!(!stderr.contains(lab.alpha.password()), "{stderr}");
    assert_eq!(lab.logins(), [(0, 0), (0, 0)], "nothing sent");
}

#[test]
fn unknown_groups_and_profiles_are_config_errors() {
    let lab = Lab::start("ghosts = [\"alpha\", \"nobody\"]");
    for args in [
        &["--group", "nope", "ispconfig", "functions"][..],
        &["--group", "ghosts", "ispconfig", "functions"][..],
        &["--profiles", "alpha,alpha", "ispconfig", "functions"][..],
        &["--profiles", "alpha", "completions", "bash"][..],
        &[
            "--profiles",
            "alpha",
            "ispmanager",
            "--local",
            "list",
            "user",
        ][..],
    ] {
        let output = panelctl(&lab.config, args);
        assert_eq!(
            output.status.code(),
            Some(3),
            "{args:?}: {}",
            text(&output.stderr)
        );
        assert!(output.stdout.is_empty(), "{args:?}");
    }
    let output = panelctl(
        &lab.config,
        &["--group", "ghosts", "ispconfig", "functions"],
    );
    assert!(
        text(&output.stderr).contains("no profile \"nobody\""),
        "{}",
        text(&output.stderr)
    );
    assert_eq!(lab.logins(), [(0, 0), (0, 0)], "nothing sent");
}

#[test]
fn a_verb_reading_a_secret_from_stdin_fails_per_panel_without_reading_it() {
    let lab = Lab::start("");
    let output = Command::cargo_bin("panelctl")
        .unwrap()
        .env_remove("PANELKIT_ISPCONFIG_PASSWORD")
        .env_remove("PANELKIT_ISPCONFIG_URL")
        .env_remove("PANELKIT_ISPCONFIG_USER")
        .arg("--config")
        .arg(&lab.config)
        .args([
            "--profiles",
            "alpha,bravo",
            "ispconfig",
            "mail-user",
            "add",
            "new@example.com",
        ])
        .write_stdin("mailbox-Pw-3391\n")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(12), "{}", text(&output.stderr));
    for line in json_lines(&output) {
        assert_eq!(line["ok"], false, "{line}");
        assert_eq!(line["code"], 3, "{line}");
        assert!(line["error"].as_str().unwrap().contains("stdin"), "{line}");
    }
}
