//! `panelctl sftpgo convert-users` end to end: the built binary on fixture
//! user stores of each format, including malformed lines and locked or
//! unsupported hashes. The written dumps and the JSON summaries are golden
//! snapshots.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
        .display()
        .to_string()
}

struct Run {
    output: Output,
    dump: serde_json::Value,
    summary: serde_json::Value,
}

/// Runs convert-users; every fixture has lines that cannot be converted,
/// so the run ends with 12 (partly done) after writing the dump.
fn convert(args: &[&str]) -> Run {
    let dir = tempdir();
    let out = dir.join("users.json");
    let output = Command::cargo_bin("panelctl")
        .expect("panelctl is built")
        .args(["sftpgo", "convert-users"])
        .args(args)
        .arg(&out)
        .assert()
        .code(12)
        .get_output()
        .clone();
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("lines skipped"),
        "the failure says why"
    );
    let dump =
        serde_json::from_slice(&std::fs::read(&out).expect("dump written")).expect("dump is JSON");
    let mut summary: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("summary is JSON");
    // Paths differ per machine; the snapshot keeps file names only.
    scrub_paths(&mut summary);
    std::fs::remove_dir_all(&dir).ok();
    Run {
        output,
        dump,
        summary,
    }
}

fn scrub_paths(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(s) if s.contains('/') => {
            *s = Path::new(s.as_str())
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(scrub_paths),
        serde_json::Value::Object(map) => map.values_mut().for_each(scrub_paths),
        _ => {}
    }
}

fn scrub_dump(dump: &mut serde_json::Value) {
    for user in dump["users"].as_array_mut().expect("users") {
        let info = user["additional_info"].as_str().expect("info").to_owned();
        let line = info.rsplit(':').next().unwrap_or_default().to_owned();
        let file = Path::new(
            info.trim_start_matches("converted from ")
                .rsplit_once(':')
                .map_or("", |p| p.0),
        )
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
        user["additional_info"] = format!("converted from {file}:{line}").into();
    }
}

fn tempdir() -> PathBuf {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("panelctl-convert-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn usernames(dump: &serde_json::Value) -> Vec<&str> {
    dump["users"]
        .as_array()
        .expect("users array")
        .iter()
        .map(|u| u["username"].as_str().expect("username"))
        .collect()
}

#[test]
fn unix_passwd_with_shadow() {
    let mut run = convert(&[
        &fixture("passwd"),
        "unix-passwd",
        "--shadow",
        &fixture("shadow"),
        "--min-uid",
        "1000",
    ]);
    // root and daemon are below --min-uid; erin's "!!", frank's uid, grace's
    // relative home and ivan's missing shadow entry are reported.
    assert_eq!(
        usernames(&run.dump),
        ["alice", "bob", "carol", "dave", "heidi", "judy"]
    );
    let users = run.dump["users"].as_array().unwrap();
    assert!(users[0]["password"]
        .as_str()
        .unwrap()
        .starts_with("$6$alicesalt$"));
    assert!(
        users[1]["password"].as_str().unwrap().starts_with("$y$"),
        "yescrypt as it is"
    );
    assert_eq!(users[2]["status"], 0, "carol is locked: converted disabled");
    assert!(
        users[2]["password"].as_str().unwrap().starts_with("$6$"),
        "lock marker removed"
    );
    assert_eq!(
        users[3]["expiration_date"],
        20000_i64 * 86_400_000,
        "dave's shadow expiry"
    );
    assert!(
        users[3]["password"]
            .as_str()
            .unwrap()
            .starts_with("$2a$10$"),
        "bcrypt $2y$ as the $2a$ SFTPGo knows"
    );
    assert_eq!(
        users[4]["password"], "$1$saltsalt$2vnaRpHa6Jxjz5n83ok8Z0",
        "hash from passwd itself"
    );
    assert_eq!(
        users[5]["status"], 0,
        "judy is inactive: converted disabled"
    );
    assert_eq!(users[0]["permissions"]["/"][0], "*");
    let stderr = String::from_utf8_lossy(&run.output.stderr);
    for expected in [
        "passwd:9: expected 7 fields",
        "passwd:10: user \"frank\": uid is not a number",
        "passwd:11: user \"grace\": home directory must be an absolute path",
        "passwd:13: user \"ivan\": password is in the shadow file, which has no entry",
        "passwd:5: user \"bob\": yescrypt hash: the SFTPGo server must be a build with unixcrypt support",
        "passwd:14: user \"judy\": password expired and the account inactive since 1970-05-21",
        "passwd:8: user \"erin\": no password",
        "shadow:8: not a shadow entry",
    ] {
        assert!(
            stderr.contains(expected),
            "missing {expected:?} in:\n{stderr}"
        );
    }
    scrub_dump(&mut run.dump);
    insta::assert_json_snapshot!("unix_passwd_dump", run.dump);
    insta::assert_json_snapshot!("unix_passwd_summary", run.summary);
}

#[test]
fn unix_passwd_selection_and_forced_ids() {
    let run = convert(&[
        &fixture("passwd"),
        "unix-passwd",
        "--shadow",
        &fixture("shadow"),
        "--usernames",
        "alice",
        "dave",
        "--force-uid",
        "33",
        "--force-gid",
        "34",
    ]);
    assert_eq!(usernames(&run.dump), ["alice", "dave"]);
    for user in run.dump["users"].as_array().unwrap() {
        assert_eq!(
            (user["uid"].as_u64(), user["gid"].as_u64()),
            (Some(33), Some(34))
        );
    }
}

#[test]
fn max_uid_bounds_the_range() {
    let run = convert(&[
        &fixture("passwd"),
        "unix-passwd",
        "--shadow",
        &fixture("shadow"),
        "--min-uid",
        "0",
        "--max-uid",
        "0",
    ]);
    assert_eq!(usernames(&run.dump), ["root"]);
    assert_eq!(run.dump["users"][0]["home_dir"], "/root");
}

#[test]
fn root_is_never_converted_without_min_uid_zero() {
    let run = convert(&[
        &fixture("passwd"),
        "unix-passwd",
        "--shadow",
        &fixture("shadow"),
        "--max-uid",
        "0",
    ]);
    assert!(usernames(&run.dump).is_empty(), "{}", run.dump);
}

#[test]
fn table_output_lists_the_problems_as_a_table() {
    let dir = tempdir();
    let output = Command::cargo_bin("panelctl")
        .expect("panelctl is built")
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"))
        .args(["--output", "table", "sftpgo", "convert-users", "passwd"])
        .args(["unix-passwd", "--shadow", "shadow", "--min-uid", "1000"])
        .arg(dir.join("users.json"))
        .assert()
        .code(12)
        .get_output()
        .clone();
    let stdout = String::from_utf8(output.stdout).unwrap();
    insta::assert_snapshot!("unix_passwd_problem_table", stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("converted 6 users") && stderr.contains("6 lines skipped, 3 notes"),
        "{stderr}"
    );
}

#[test]
fn pure_ftpd() {
    let mut run = convert(&[&fixture("pureftpd.passwd"), "pure-ftpd"]);
    assert_eq!(usernames(&run.dump), ["joe", "ann", "mia"]);
    let joe = &run.dump["users"][0];
    assert_eq!(
        joe["home_dir"], "/home/ftpusers/joe",
        "chroot marker dropped"
    );
    assert_eq!(joe["upload_bandwidth"], 1024, "bytes/s → KB/s");
    assert_eq!(joe["download_bandwidth"], 2048);
    assert_eq!(joe["max_sessions"], 5);
    assert_eq!(joe["quota_files"], 1000);
    assert_eq!(joe["quota_size"], 104_857_600);
    assert_eq!(
        joe["filters"]["allowed_ip"],
        serde_json::json!(["192.168.1.0/24", "10.1.2.3/32"])
    );
    assert_eq!(
        joe["filters"]["denied_ip"],
        serde_json::json!(["203.0.113.7/32"])
    );
    assert_eq!(run.dump["users"][1]["home_dir"], "/srv/ftp");
    let stderr = String::from_utf8_lossy(&run.output.stderr);
    for expected in [
        "pureftpd.passwd:3: user \"old\": password hash DES crypt",
        "pureftpd.passwd:4: user \"short\": expected at least 17 fields",
        "pureftpd.passwd:5: user \"mia\": client IP rule \"host.example\"",
        "pureftpd.passwd:5: user \"mia\": time restriction \"0900-1800\"",
    ] {
        assert!(
            stderr.contains(expected),
            "missing {expected:?} in:\n{stderr}"
        );
    }
    scrub_dump(&mut run.dump);
    insta::assert_json_snapshot!("pure_ftpd_dump", run.dump);
    insta::assert_json_snapshot!("pure_ftpd_summary", run.summary);
}

#[test]
fn proftpd() {
    let mut run = convert(&[&fixture("proftpd.passwd"), "proftpd"]);
    assert_eq!(usernames(&run.dump), ["webmaster", "backup"]);
    assert_eq!(run.dump["users"][1]["home_dir"], "/srv/backup");
    let stderr = String::from_utf8_lossy(&run.output.stderr);
    assert!(
        stderr.contains("proftpd.passwd:3: user \"nobody-here\": no password"),
        "{stderr}"
    );
    assert!(
        stderr.contains("proftpd.passwd:4: expected 7 fields"),
        "{stderr}"
    );
    scrub_dump(&mut run.dump);
    insta::assert_json_snapshot!("proftpd_dump", run.dump);
}

#[test]
fn unreadable_input_is_a_config_failure() {
    let dir = tempdir();
    let failed = Command::cargo_bin("panelctl")
        .expect("panelctl is built")
        .args(["sftpgo", "convert-users", "/nonexistent/users", "proftpd"])
        .arg(dir.join("out.json"))
        .assert()
        .code(3);
    let stderr = String::from_utf8_lossy(&failed.get_output().stderr);
    assert!(
        stderr.contains("cannot read /nonexistent/users"),
        "{stderr}"
    );
    assert!(!dir.join("out.json").exists());
}
