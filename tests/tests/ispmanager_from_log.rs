//! The `from_log` example: log lines in, `func=…` queries out, one per line.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The example binary. `cargo test --workspace --all-targets` (the README's
/// test command) builds it beside this test's own directory; a narrower
/// `cargo test` gets it built here. Running it directly, rather than through
/// `cargo run`, keeps the workspace's feature set and so avoids a second
/// build of its dependencies.
fn example() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>/deps/<test>");
    let binary = profile_dir
        .join("examples")
        .join(format!("from_log{}", std::env::consts::EXE_SUFFIX));
    if !binary.exists() {
        let status = Command::new(env!("CARGO"))
            .args([
                "build",
                "-q",
                "-p",
                "panelkit-ispmanager",
                "--example",
                "from_log",
            ])
            .status()
            .expect("cargo runs");
        assert!(status.success(), "cannot build the from_log example");
    }
    binary
}

fn run(args: &[&str], stdin: Option<&str>) -> (String, String, bool) {
    let mut command = Command::new(example());
    command.args(args);
    let output = match stdin {
        None => command.output().expect("the example runs"),
        Some(text) => {
            use std::io::Write;
            let mut child = command
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("the example runs");
            child
                .stdin
                .take()
                .unwrap()
                .write_all(text.as_bytes())
                .unwrap();
            child.wait_with_output().unwrap()
        }
    };
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
        output.status.success(),
    )
}

const GUIDE_LINE: &str = "Feb  6 08:08:07 [2346:23826] core_module INFO Request [188.120.252.33][root] 'clicked_button=ok&email_inaccess=&func=domain.edit&ip=8.8.8.8&ip_existing=&maildomain=off&name=domain.name&ns=ns1.example.com.%20ns2.example.com.&operafake=1486357687433&owner=www%2Droot&owner_admins=off&progressid=false&reversezone=&sfrom=ajax&sok=ok&web_inaccess=&webdomain=off&zoom-ip=&zoom-ns='";

#[test]
fn lines_as_arguments_and_on_stdin() {
    let second = "Nov 24 10:00:00 [1:2] core_module INFO Request [10.0.0.1][admin] 'func=webdomain.delete&elid=a.example%2C%20b.example&sfrom=ajax&filter=*'";
    let (out, err, ok) = run(&[GUIDE_LINE, second], None);
    assert!(ok, "{err}");
    assert_eq!(
        out,
        "func=domain.edit&ip=8.8.8.8&maildomain=off&name=domain.name&ns=ns1.example.com.+ns2.example.com.&owner=www-root&owner_admins=off&sok=ok&webdomain=off\n\
         func=webdomain.delete&elid=a.example%2C+b.example\n"
    );
    let (out, _, ok) = run(&[], Some(&format!("{GUIDE_LINE}\n")));
    assert!(ok);
    assert_eq!(out.lines().count(), 1);
    assert!(out.starts_with("func=domain.edit&"));
}

#[test]
fn a_line_that_is_not_a_request_fails_with_a_message() {
    let (out, err, ok) = run(&["INFO nothing here", GUIDE_LINE], None);
    assert!(!ok);
    assert!(err.contains("not a COREmanager request log line"), "{err}");
    assert_eq!(out.lines().count(), 1, "good lines are still printed");
}
