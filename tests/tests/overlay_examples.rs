//! The overlay's examples against the PHP peer: their logic
//! (`panelkit::ispconfig::tasks`) directly, and the compiled example binaries
//! as a user runs them (built here with `cargo build --example`, located
//! through cargo's JSON messages rather than a guessed target path).

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use panelkit::ispconfig::tasks;
use panelkit_core::Error;
use panelkit_tests::IspconfigPeer;

mod overlay_common;
use overlay_common::overlay;

#[tokio::test]
async fn dns_add_adds_each_common_type_and_answers_the_stored_record() {
    let peer = IspconfigPeer::start();
    let ispc = overlay(&peer);
    for (name, rtype, data, stored_data, aux) in [
        ("v4", "A", "192.0.2.33", "192.0.2.33", 0),
        ("v6", "aaaa", "2001:db8::33", "2001:db8::33", 0),
        ("alias", "CNAME", "www.example.com.", "www.example.com.", 0),
        ("", "MX", "10 mail.example.com.", "mail.example.com.", 10),
        ("note", "TXT", "hello \"world\"", "hello \"world\"", 0),
    ] {
        let record = tasks::dns_add(&ispc, "example.com", name, rtype, data)
            .await
            .unwrap_or_else(|e| panic!("{rtype}: {e}"));
        assert_eq!(
            record.text("type").as_deref(),
            Some(rtype.to_ascii_uppercase().as_str())
        );
        assert_eq!(record.text("data").as_deref(), Some(stored_data));
        assert_eq!(record.int("aux"), Some(aux));
        assert_eq!(record.int("zone"), Some(2));
    }
    assert!(matches!(
        tasks::dns_add(&ispc, "example.com", "x", "BOGUS", "1").await,
        Err(Error::Validation { .. })
    ));
    assert!(matches!(
        tasks::dns_add(&ispc, "nope.example", "x", "A", "192.0.2.1").await,
        Err(Error::NotFound { .. })
    ));
}

#[tokio::test]
async fn web_domain_update_changes_one_field_and_keeps_the_rest() {
    let peer = IspconfigPeer::start();
    let ispc = overlay(&peer);
    let record = tasks::web_domain_update(&ispc, "1", "hd_quota", "4242")
        .await
        .unwrap();
    // A field named at run time goes in dynamically; the answer is typed.
    assert_eq!(record.hd_quota, Some(4242));
    assert_eq!(record.log_retention, Some(90));
    assert_eq!(record.pm_max_children, Some(20));
    for bad in ["0", "x", "-3"] {
        assert!(matches!(
            tasks::web_domain_update(&ispc, bad, "hd_quota", "1").await,
            Err(Error::Validation { .. })
        ));
    }
}

#[test]
fn print_json_survives_a_closed_pipe() {
    struct Closed;
    impl std::io::Write for Closed {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let record: panelkit::ispconfig::Record = [("id", "1")].into_iter().collect();
    assert!(tasks::print_json(&mut Closed, &record).is_ok());
    let mut out = Vec::new();
    tasks::print_json(&mut out, &record).unwrap();
    assert_eq!(String::from_utf8(out).unwrap(), "{\n  \"id\": \"1\"\n}\n");
}

// ---- the compiled examples ---------------------------------------------------------

/// Builds both examples once and answers their paths, from cargo's own
/// `compiler-artifact` messages.
fn example(name: &str) -> PathBuf {
    static BUILT: OnceLock<Vec<(String, PathBuf)>> = OnceLock::new();
    let built = BUILT.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let out = Command::new(cargo)
            .args([
                "build",
                "--quiet",
                "--message-format=json",
                "-p",
                "panelkit",
                "--example",
                "ispconfig_dns_add",
                "--example",
                "ispconfig_web_domain_update",
            ])
            .current_dir(codegen::regen::workspace_root())
            .stderr(Stdio::inherit())
            .output()
            .expect("run cargo build for the examples");
        assert!(out.status.success(), "building the examples failed");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .filter(|msg| msg["reason"] == "compiler-artifact")
            .filter_map(|msg| {
                let name = msg["target"]["name"].as_str()?.to_owned();
                let exe = msg["executable"].as_str()?;
                Some((name, PathBuf::from(exe)))
            })
            .collect()
    });
    built
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, path)| path.clone())
        .unwrap_or_else(|| panic!("cargo built no example {name}: {built:?}"))
}

fn run(peer: &IspconfigPeer, name: &str, args: &[&str], password: &str) -> Output {
    Command::new(example(name))
        .args(args)
        .env("PANELKIT_ISPCONFIG_URL", peer.url())
        .env("PANELKIT_ISPCONFIG_USER", peer.user())
        .env("PANELKIT_ISPCONFIG_PASSWORD", password)
        .output()
        .unwrap_or_else(|e| panic!("run {name}: {e}"))
}

fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "exit {:?}, stderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

#[test]
fn the_compiled_examples_print_json_and_fail_with_typed_errors() {
    let peer = IspconfigPeer::start();
    let pw = peer.password().to_owned();
    let mx = json(&run(
        &peer,
        "ispconfig_dns_add",
        &["example.com.", "@", "mx", "20 mx2.example.com."],
        &pw,
    ));
    assert_eq!(mx["type"], "MX");
    assert_eq!(mx["aux"], "20");
    assert_eq!(mx["data"], "mx2.example.com.");
    assert_eq!(mx["name"], "example.com.");
    let txt = json(&run(
        &peer,
        "ispconfig_dns_add",
        &["example.com", "spf-note", "TXT", "some text"],
        &pw,
    ));
    assert_eq!(txt["type"], "TXT");

    let site = json(&run(
        &peer,
        "ispconfig_web_domain_update",
        &["1", "php", "fast-cgi"],
        &pw,
    ));
    assert_eq!(site["php"], "fast-cgi");
    // The typed record prints numbers as numbers, flags as the form's strings.
    assert_eq!(site["log_retention"], 90);
    assert_eq!(site["active"], "y");
    assert!(site.get("stats_password").is_none(), "write-only: {site}");

    // Failures: non-zero exit, the typed error on stderr, nothing on stdout.
    let missing = run(
        &peer,
        "ispconfig_dns_add",
        &["nope.example", "x", "A", "192.0.2.1"],
        &pw,
    );
    assert_eq!(missing.status.code(), Some(1));
    assert!(missing.stdout.is_empty());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("error: not found"));
    let denied = run(
        &peer,
        "ispconfig_web_domain_update",
        &["1", "php", "x"],
        "hunter2-Zq9",
    );
    assert_eq!(denied.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&denied.stderr);
    assert!(
        stderr.contains("authentication failed (login_failed)"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("hunter2-Zq9"),
        "the password never shows: {stderr}"
    );
    let usage = run(&peer, "ispconfig_dns_add", &["only-two", "args"], &pw);
    assert_eq!(usage.status.code(), Some(2));
    let unset = Command::new(example("ispconfig_web_domain_update"))
        .args(["1", "php", "x"])
        .env_remove("PANELKIT_ISPCONFIG_URL")
        .output()
        .unwrap();
    assert_eq!(unset.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unset.stderr).contains("PANELKIT_ISPCONFIG_URL is not set"));
}

#[test]
fn a_closed_stdout_is_not_a_panic() {
    let peer = IspconfigPeer::start();
    let mut child = Command::new(example("ispconfig_web_domain_update"))
        .args(["2", "hd_quota", "77"])
        .env("PANELKIT_ISPCONFIG_URL", peer.url())
        .env("PANELKIT_ISPCONFIG_USER", peer.user())
        .env("PANELKIT_ISPCONFIG_PASSWORD", peer.password())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // `example | head -0`
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{:?}: {stderr}", out.status);
    assert!(!stderr.contains("panicked"), "{stderr}");
}
