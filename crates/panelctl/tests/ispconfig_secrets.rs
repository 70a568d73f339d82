//! `panelctl ispconfig` never prints a secret the panel hands back unless
//! `--show-secrets` asks (issue 16), against the PHP peer whose answers carry
//! them as the genuine panel stores them: clients' `id_rsa`, web domains'
//! `ssl_key` and `backup_password`, the mail domain's `dkim_private`,
//! fetchmail's `source_password`, server 2's relay and rspamd passwords.
//! JSON and table output, `--debug` logs and error messages are checked.

use std::io::{Read, Write};
use std::process::Output;

use assert_cmd::Command;

use panelkit_tests::IspconfigPeer;

/// Runs panelctl against the peer, the password on stdin.
fn panelctl(peer: &IspconfigPeer, args: &[&str]) -> Output {
    Command::cargo_bin("panelctl")
        .expect("panelctl is built")
        .args([
            "--config",
            "/dev/null",
            "--color",
            "never",
            "--password-stdin",
        ])
        .args(args)
        .env("PANELKIT_ISPCONFIG_URL", peer.url())
        .env("PANELKIT_ISPCONFIG_USER", peer.user())
        .env_remove("PANELKIT_ISPCONFIG_PASSWORD")
        .env_remove("PANELCTL_PROFILE")
        .write_stdin(format!("{}\n", peer.password()))
        .output()
        .expect("panelctl runs")
}

/// The stored rows of one peer table, by a plain GET of its control
/// endpoint (what the panel's database holds).
fn table(peer: &IspconfigPeer, name: &str) -> serde_json::Value {
    let url = peer.url();
    let authority = url
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    // The built-in server's workers now and then drop a fresh connection
    // before reading it, and on a loaded machine a worker may be busy for a
    // while: try again until a deadline, not a fixed number of times.
    let fetch = || -> std::io::Result<String> {
        let mut stream = std::net::TcpStream::connect(&authority)?;
        stream.set_read_timeout(Some(std::time::Duration::from_secs(10)))?;
        write!(
            stream,
            "GET /_peer/table/{name} HTTP/1.0\r\nHost: {authority}\r\n\r\n"
        )?;
        let mut answer = String::new();
        stream.read_to_string(&mut answer)?;
        Ok(answer)
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let answer = loop {
        match fetch() {
            Ok(answer) if answer.contains("\r\n\r\n") => break answer,
            other => {
                assert!(
                    std::time::Instant::now() < deadline,
                    "the peer did not answer its control endpoint within 30 s: {other:?}"
                );
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
        }
    };
    let body = answer.split_once("\r\n\r\n").unwrap().1;
    serde_json::from_str(body).unwrap_or_else(|e| panic!("table {name}: {e}: {body}"))
}

/// The key material lines of a private key block.
fn key_lines(block: &serde_json::Value) -> Vec<String> {
    let block = block.as_str().expect("a key block");
    assert!(block.contains("PRIVATE KEY-----"), "{block}");
    block
        .lines()
        .filter(|l| !l.starts_with("-----") && l.len() >= 16)
        .map(str::to_owned)
        .collect()
}

/// Every planted secret: key lines from the stored rows, and the server
/// configuration's passwords as the seed plants them.
fn planted(peer: &IspconfigPeer) -> Vec<String> {
    let mut secrets = Vec::new();
    for (_, row) in table(peer, "client").as_object().unwrap() {
        secrets.extend(key_lines(&row["id_rsa"]));
    }
    for (_, row) in table(peer, "web_domain").as_object().unwrap() {
        secrets.extend(key_lines(&row["ssl_key"]));
        secrets.push(row["backup_password"].as_str().unwrap().to_owned());
    }
    secrets.extend(key_lines(&table(peer, "mail_domain")["1"]["dkim_private"]));
    secrets.push(
        table(peer, "mail_get")["1"]["source_password"]
            .as_str()
            .unwrap()
            .to_owned(),
    );
    for seeded in [
        "Relay-Pw-Q9z",
        "Rspamd-Web-Pw-4",
        "Redis-Pw-5",
        "Redis-Bayes-Pw-6",
        "Monit-Pw-31",
        "Munin-Pw-32",
    ] {
        secrets.push(seeded.to_owned());
    }
    secrets
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn assert_hidden(secrets: &[String], shown: &str, what: &str) {
    for secret in secrets {
        assert!(
            !shown.contains(secret.as_str()),
            "{what}: a planted secret shows ({secret:?}):\n{shown}"
        );
    }
}

/// The reads a user would try, each answering at least one planted secret.
const READS: &[&[&str]] = &[
    &["ispconfig", "client", "list"],
    &["ispconfig", "call", "client_get", "1"],
    &["ispconfig", "call", "client_get", "--", "-1"],
    &["ispconfig", "web-domain", "get", "1"],
    &["ispconfig", "call", "sites_web_domain_get", "--", "-1"],
    &["ispconfig", "call", "mail_domain_get", "1"],
    &["ispconfig", "call", "mail_fetchmail_get", "1"],
    &["ispconfig", "call", "server_get"],
    &["ispconfig", "call", "server_get", "2", "\"mail\""],
];

#[test]
fn no_output_shows_a_secret_without_show_secrets() {
    let peer = IspconfigPeer::start();
    let secrets = planted(&peer);
    assert!(secrets.len() > 30, "planted: {}", secrets.len());
    for read in READS {
        for output in [
            &["--output", "json"][..],
            &["--output", "table"],
            &["--output", "wide"],
        ] {
            for debug in [&[][..], &["--debug"]] {
                let args: Vec<&str> = [output, debug, read].concat();
                let out = panelctl(&peer, &args);
                let what = args.join(" ");
                assert!(out.status.success(), "{what}: {}", text(&out.stderr));
                let stdout = text(&out.stdout);
                // A table's default columns may leave every secret field
                // out; JSON and the wide table show them all, masked.
                if output[1] != "table" {
                    assert!(
                        stdout.contains("<redacted"),
                        "{what}: something was masked:\n{stdout}"
                    );
                }
                assert_hidden(&secrets, &stdout, &format!("{what} (stdout)"));
                assert_hidden(&secrets, &text(&out.stderr), &format!("{what} (stderr)"));
                if !debug.is_empty() {
                    assert!(
                        text(&out.stderr).contains("call ok"),
                        "{what}: --debug logged the call:\n{}",
                        text(&out.stderr)
                    );
                }
            }
        }
    }
}

#[test]
fn show_secrets_shows_them_and_says_so_but_never_in_debug_logs() {
    let peer = IspconfigPeer::start();
    let secrets = planted(&peer);
    let mut shown = String::new();
    let mut logs = String::new();
    for read in READS {
        let args: Vec<&str> = [&["--show-secrets", "--debug"][..], read].concat();
        let out = panelctl(&peer, &args);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains("--show-secrets: showing the secrets in "),
            "{}: says what it revealed:\n{stderr}",
            args.join(" ")
        );
        shown.push_str(&text(&out.stdout));
        logs.push_str(&stderr);
    }
    assert!(!shown.contains("<redacted"), "nothing masked:\n{shown}");
    for secret in &secrets {
        assert!(
            shown.contains(&secret.replace('\n', "\\n")),
            "--show-secrets shows {secret:?}"
        );
    }
    // The notice names the fields (no values); the debug log has no secret.
    assert_hidden(&secrets, &logs, "--debug log with --show-secrets");
    let out = panelctl(
        &peer,
        &["--show-secrets", "ispconfig", "call", "client_get", "1"],
    );
    assert!(
        text(&out.stderr).contains("id_rsa"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn errors_of_calls_that_carried_secrets_show_none() {
    let peer = IspconfigPeer::start();
    let key = table(&peer, "web_domain")["1"]["ssl_key"].clone();
    let secrets = key_lines(&key);
    let params = serde_json::json!({"ssl_key": key, "backup_password": "Sent-Backup-Pw-77"});
    let params = params.to_string();
    for debug in [&[][..], &["--debug"]] {
        // No primary id: the panel answers its HTML error page.
        let args: Vec<&str> = [
            debug,
            &[
                "ispconfig",
                "call",
                "sites_web_domain_update",
                "0",
                "null",
                &params,
            ],
        ]
        .concat();
        let out = panelctl(&peer, &args);
        assert!(!out.status.success());
        let stderr = text(&out.stderr);
        assert!(stderr.contains("HTML"), "{stderr}");
        assert_hidden(&secrets, &stderr, "the error");
        assert!(!stderr.contains("Sent-Backup-Pw-77"), "{stderr}");
    }
}
