//! `cargo xtask` acts on the checkout it runs in: one xtask binary (as a
//! target directory shared by several clones gives) run in two copies of a
//! workspace answers each copy, never the checkout it was built in.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A minimal workspace layout: a root `Cargo.toml` with `[workspace]` and
/// the `xtask/` package beside its sources.
fn checkout(parent: &Path, name: &str) -> PathBuf {
    let root = parent.join(name);
    std::fs::create_dir_all(root.join("xtask/src")).unwrap();
    std::fs::write(
        root.join("Cargo.toml"),
        "[workspace]\nmembers = [\"xtask\"]\n",
    )
    .unwrap();
    std::fs::write(
        root.join("xtask/Cargo.toml"),
        "[package]\nname = \"xtask\"\nversion = \"0.0.0\"\n",
    )
    .unwrap();
    root.canonicalize().unwrap()
}

fn root_printed(command: &mut Command) -> String {
    let out = command.arg("root").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

#[test]
fn one_binary_acts_on_each_checkout_it_runs_in() {
    let parent = tempfile::tempdir().unwrap();
    let first = checkout(parent.path(), "first");
    let second = checkout(parent.path(), "second");
    let xtask = env!("CARGO_BIN_EXE_xtask");
    for copy in [&first, &second] {
        // `cargo run` (the `cargo xtask` alias) sets CARGO_MANIFEST_DIR.
        let via_cargo = root_printed(
            Command::new(xtask)
                .env("CARGO_MANIFEST_DIR", copy.join("xtask"))
                .current_dir(parent.path()),
        );
        assert_eq!(via_cargo, copy.display().to_string());
        // Run directly: the current directory's ancestors.
        let direct = root_printed(
            Command::new(xtask)
                .env_remove("CARGO_MANIFEST_DIR")
                .current_dir(copy.join("xtask/src")),
        );
        assert_eq!(direct, copy.display().to_string());
    }
}

#[test]
fn outside_any_workspace_is_a_clear_error() {
    let empty = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("root")
        .env_remove("CARGO_MANIFEST_DIR")
        .current_dir(empty.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("is not inside a cargo workspace"),
        "{stderr}"
    );
}
