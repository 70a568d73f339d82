//! A method renamed upstream is a compile error in the ISPConfig overlay,
//! naming it: the ISPConfig crate is regenerated from the committed
//! inventory with two methods renamed into a scratch workspace, and the real
//! overlay source (`crates/panelkit/src`, linked, not copied) is checked
//! against it with `cargo check`.
//!
//! Why a real `cargo check` of the overlay rather than a codegen-level test:
//! the claim is about the overlay's code — that it names generated methods
//! (through the descriptors or `generated_call!`) and no method by string —
//! and only compiling that code against a moved generated crate shows it. The
//! scratch build has its own target directory under `target/` (a `cargo
//! test` holds the workspace's), so only its first run builds the
//! dependencies; later runs check two crates.
//!
//! Renamed: `dns_rr_get_all_by_zone` (called by name through
//! `generated_call!`) and `dns_a_delete` (one method of the `DnsA`
//! descriptor's set, which then is no longer complete and not generated).

use std::path::Path;
use std::process::Command;

use codegen::emit::soap::{emit, Target};
use codegen::model::Inventory;
use codegen::regen::{read_inventory, workspace_root};

/// Writes the ISPConfig crate generated from `inventory` into `dir`.
fn generate(inventory: &Inventory, dir: &Path) {
    let target = Target {
        crate_dir: "panelkit-ispconfig".into(),
        crate_name: "panelkit-ispconfig".into(),
        inventory_path: "inventories/ispconfig/inventory.json".into(),
        releases: Vec::new(),
    };
    let _ = std::fs::remove_dir_all(dir.join("panelkit-ispconfig"));
    for file in emit(inventory, &target).unwrap_or_else(|e| panic!("{e}")) {
        let path = dir.join(&file.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, file.contents).unwrap();
    }
}

/// A workspace in `dir` of the overlay (its real source) and the generated
/// crate in `dir/panelkit-ispconfig`; every other crate is the checkout's.
fn scratch_workspace(root: &Path, dir: &Path) {
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let shared = &manifest[manifest.find("[workspace.package]").unwrap()..];
    let mut deps = String::new();
    for line in shared.lines() {
        let line = match line.split_once("path = \"") {
            Some((head, tail)) if tail.starts_with("crates/panelkit-ispconfig\"") => {
                let rest = tail.trim_start_matches("crates/panelkit-ispconfig");
                format!("{head}path = \"panelkit-ispconfig{rest}")
            }
            Some((head, tail)) => format!("{head}path = \"{}/{tail}", root.display()),
            None => line.to_owned(),
        };
        deps.push_str(&line);
        deps.push('\n');
    }
    std::fs::write(
        dir.join("Cargo.toml"),
        format!("[workspace]\nresolver = \"2\"\nmembers = [\"panelkit\", \"panelkit-ispconfig\"]\n\n{deps}"),
    )
    .unwrap();
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let overlay = dir.join("panelkit");
    std::fs::create_dir_all(&overlay).unwrap();
    let own = std::fs::read_to_string(root.join("crates/panelkit/Cargo.toml")).unwrap();
    // The examples are not part of the library being checked.
    let own = &own[..own.find("[[example]]").unwrap_or(own.len())];
    std::fs::write(overlay.join("Cargo.toml"), own).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(root.join("crates/panelkit/src"), overlay.join("src")).unwrap();
}

/// `cargo check` of the overlay library in `dir`: success and stderr.
fn check_overlay(root: &Path, dir: &Path) -> (bool, String) {
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["check", "--offline", "--quiet", "-p", "panelkit", "--lib"])
        .arg("--manifest-path")
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", root.join("target/overlay-compile-fail"))
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[cfg(unix)]
#[test]
fn a_renamed_method_is_a_compile_error_naming_it() {
    let root = workspace_root();
    let committed =
        read_inventory(&codegen::inventories::current_path(&root, "ispconfig")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    scratch_workspace(&root, dir.path());

    // The control: the overlay checks against the crate as committed.
    generate(&committed, dir.path());
    let (ok, stderr) = check_overlay(&root, dir.path());
    assert!(ok, "the unchanged crate must check:\n{stderr}");

    let mut moved = committed.clone();
    for (old, new) in [
        ("dns_rr_get_all_by_zone", "dns_rr_list_by_zone"),
        ("dns_a_delete", "dns_a_remove"),
    ] {
        let op = moved.operations.iter_mut().find(|o| o.name == old).unwrap();
        op.name = new.into();
    }
    generate(&moved, dir.path());
    let (ok, stderr) = check_overlay(&root, dir.path());
    assert!(!ok, "the overlay compiled against renamed methods");
    assert!(
        stderr.contains("no method named `dns_rr_get_all_by_zone`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("cannot find type `DnsA` in module `descriptors`"),
        "{stderr}"
    );
    // Both point into the overlay's own source.
    assert!(stderr.contains("src/ispconfig/dns.rs"), "{stderr}");
}
