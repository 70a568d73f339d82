//! `panelctl sftpgo convert-users` writes its dump (password hashes) for
//! the owner only, whatever the umask, and `-` writes it to stdout
//! (issue 16). The binary runs under `sh` with the umask set first.

#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
        .display()
        .to_string()
}

/// Runs panelctl in `cwd` under `umask`, converting the fixture
/// passwd/shadow pair into `output`.
fn convert_under_umask(cwd: &Path, umask: &str, output: &str) -> std::process::Output {
    let panelctl = assert_cmd::cargo::cargo_bin("panelctl");
    std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("umask {umask} && exec \"$0\" \"$@\""))
        .arg(panelctl)
        .args(["sftpgo", "convert-users"])
        .arg(fixture("passwd"))
        .arg("unix-passwd")
        .arg("--shadow")
        .arg(fixture("shadow"))
        .arg(output)
        .current_dir(cwd)
        .output()
        .expect("sh runs panelctl")
}

#[test]
fn the_dump_is_private_whatever_the_umask() {
    for umask in ["000", "022", "077"] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("users.json");
        // An existing world-readable file is replaced, not reused.
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666)).unwrap();
        let out = convert_under_umask(dir.path(), umask, path.to_str().unwrap());
        // 12: the fixture has lines that cannot be converted.
        assert_eq!(
            out.status.code(),
            Some(12),
            "umask {umask}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "umask {umask}");
        let dump = std::fs::read_to_string(&path).unwrap();
        assert!(dump.contains("$6$alicesalt$"), "the hashes are in it");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "no temporary file left: {names:?}");
    }
}

#[test]
fn a_dash_writes_the_dump_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let out = convert_under_umask(dir.path(), "000", "-");
    assert_eq!(
        out.status.code(),
        Some(12),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("$6$alicesalt$"), "{stdout}");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no file named - (nor any other) written"
    );
}
