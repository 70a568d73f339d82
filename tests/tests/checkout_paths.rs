//! The repository stands on its own: no test, example, benchmark, build
//! script or xtask code reads a path outside the checkout, except through
//! the upstream resolver (`tests/upstream`, `PANELKIT_UPSTREAM_DIR`) and the
//! documented variables (`PANELKIT_*`, `XDG_CACHE_HOME`/`HOME` for the cache,
//! the system temp dir).
//!
//! A source scan, not a sandbox. It is precise because it looks only where a
//! path can enter a read:
//! - every string literal passed straight to a path-taking call
//!   (`Path::new`, `PathBuf::from`, `std::fs::*`, `File::open`, `.join`,
//!   `current_dir`, `include_str!`/`include_bytes!`, `#[path = ..]`, and
//!   `concat!(env!("CARGO_MANIFEST_DIR"), ..)`) must be relative and, resolved
//!   from where it is used (the source file for includes, the package
//!   directory, which is a test's working directory, otherwise; the workspace
//!   root for `.join`, where most joins start), stay inside the checkout;
//! - no file anywhere in the repository (but `.ci/`, which CI owns) names the
//!   folder that sits beside our own checkouts. Paths built at run time from
//!   the environment are the documented variables' business.

use std::path::{Component, Path, PathBuf};

/// Calls whose first argument is a path; a literal right after one is read
/// as a path.
const PATH_CALLS: &[&str] = &[
    "Path::new(",
    "PathBuf::from(",
    "File::open(",
    "File::create(",
    "fs::read(",
    "fs::read_to_string(",
    "fs::read_dir(",
    "fs::metadata(",
    "fs::copy(",
    "fs::canonicalize(",
    "fs::write(",
    "fs::create_dir_all(",
    ".join(",
    "current_dir(",
    "include_str!(",
    "include_bytes!(",
    "#[path = ",
    "env!(\"CARGO_MANIFEST_DIR\"),",
];

/// Absolute paths a test may name on purpose, with the reason.
const ALLOWED_ABSOLUTE: &[(&str, &str)] = &[
    (
        "/nonexistent",
        "a path that must not exist, to test the error",
    ),
    ("/dev/null", "the null device"),
    (
        "/proc/self/",
        "the test process's own memory figures (a memory-bound test)",
    ),
    (
        "/usr/local/mgr5/",
        "the panel's own mgrctl, which `xtask extract ispmanager --mgrctl` runs on a panel host",
    ),
];

#[derive(Clone, Copy, PartialEq)]
enum Base {
    /// The directory of the source file (`include_str!`, `#[path]`).
    File,
    /// The package directory (the working directory of `cargo test`, and
    /// `CARGO_MANIFEST_DIR`).
    Package,
    /// The workspace root (`workspace_root().join(..)`).
    Root,
}

fn base_of(call: &str) -> Base {
    match call {
        "include_str!(" | "include_bytes!(" | "#[path = " => Base::File,
        ".join(" => Base::Root,
        _ => Base::Package,
    }
}

/// The string literal at the start of `text` (after blanks), if any.
fn literal(text: &str) -> Option<String> {
    let text = text.trim_start();
    let body = text.strip_prefix('"')?;
    let mut out = String::new();
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(out),
            '\\' => out.push(chars.next()?),
            c => out.push(c),
        }
    }
    None
}

/// Whether `path`, taken relative to `base`, stays inside `root`.
fn stays_inside(root: &Path, base: &Path, path: &str) -> bool {
    let Ok(relative) = base.strip_prefix(root) else {
        return false;
    };
    let mut depth: Vec<Component> = relative.components().collect();
    for component in Path::new(path).components() {
        match component {
            Component::ParentDir => {
                if depth.pop().is_none() {
                    return false;
                }
            }
            Component::Normal(_) => depth.push(component),
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => return false,
        }
    }
    true
}

fn package_dir(root: &Path, file: &Path) -> PathBuf {
    file.ancestors()
        .skip(1)
        .find(|dir| dir.join("Cargo.toml").is_file())
        .unwrap_or(root)
        .to_owned()
}

/// Every file below `dir`, without build output, installed peers and git.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if matches!(
            name.to_str(),
            Some("target" | "node_modules" | ".git" | ".ci")
        ) {
            continue;
        }
        match entry.file_type() {
            Ok(t) if t.is_dir() => walk(&path, out),
            Ok(t) if t.is_file() => out.push(path),
            _ => {}
        }
    }
}

/// Test, example, benchmark, build-script and xtask sources: the code that
/// runs on a developer's machine, not in a user's program.
fn is_scanned_code(root: &Path, file: &Path) -> bool {
    let Ok(relative) = file.strip_prefix(root) else {
        return false;
    };
    let parts: Vec<&str> = relative
        .components()
        .filter_map(|c| c.as_os_str().to_str())
        .collect();
    file.extension().is_some_and(|e| e == "rs")
        && (parts.first() == Some(&"xtask")
            || parts.first() == Some(&"tests")
            || parts
                .iter()
                .any(|p| matches!(*p, "tests" | "examples" | "benches"))
            || parts.last() == Some(&"build.rs"))
}

fn path_violations(root: &Path, file: &Path) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(file) else {
        return Vec::new();
    };
    let shown = file
        .strip_prefix(root)
        .unwrap_or(file)
        .display()
        .to_string();
    let package = package_dir(root, file);
    let mut found = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let code = line.trim_start();
        if code.starts_with("//") {
            continue;
        }
        for call in PATH_CALLS {
            let mut rest = line;
            while let Some(at) = rest.find(call) {
                rest = &rest[at + call.len()..];
                let Some(path) = literal(rest) else { continue };
                let path = if *call == "env!(\"CARGO_MANIFEST_DIR\")," {
                    path.trim_start_matches('/').to_owned()
                } else {
                    path
                };
                let base = match base_of(call) {
                    Base::File => file.parent().unwrap_or(root).to_owned(),
                    Base::Package => package.clone(),
                    Base::Root => root.to_owned(),
                };
                let problem = if path.starts_with('/') {
                    (!ALLOWED_ABSOLUTE
                        .iter()
                        .any(|(allowed, _)| path.starts_with(allowed)))
                    .then_some("an absolute path")
                } else {
                    (!stays_inside(root, &base, &path)).then_some("a path leaving the checkout")
                };
                if let Some(problem) = problem {
                    found.push(format!(
                        "{shown}:{}: {problem}: {call}\"{path}\"",
                        number + 1
                    ));
                }
            }
        }
    }
    found
}

#[test]
fn no_test_example_or_build_script_reads_outside_the_checkout() {
    let root = codegen::regen::workspace_root();
    let mut files = Vec::new();
    walk(&root, &mut files);
    let scanned: Vec<&PathBuf> = files.iter().filter(|f| is_scanned_code(&root, f)).collect();
    assert!(
        scanned.len() > 50,
        "the scan should see every test, found {}",
        scanned.len()
    );
    let violations: Vec<String> = scanned
        .iter()
        .flat_map(|f| path_violations(&root, f))
        .collect();
    assert!(
        violations.is_empty(),
        "paths outside the checkout (use the upstream resolver, a documented \
         variable, or a path inside the repository):\n{}",
        violations.join("\n")
    );
}

#[test]
fn nothing_names_the_folder_beside_the_checkout() {
    let root = codegen::regen::workspace_root();
    let mut files = Vec::new();
    walk(&root, &mut files);
    // Built at run time, so this file does not name them itself.
    let names = [
        ["..", "/shared"].concat(),
        ["shared", "/upstream"].concat(),
        ["shared", "/reference"].concat(),
        ["shared", "/tools"].concat(),
    ];
    let mut found = Vec::new();
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue; // binary
        };
        for (number, line) in text.lines().enumerate() {
            if let Some(name) = names.iter().find(|n| line.contains(n.as_str())) {
                found.push(format!(
                    "{}:{}: names {name}",
                    file.strip_prefix(&root).unwrap_or(file).display(),
                    number + 1
                ));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn the_scanner_catches_what_it_is_for() {
    let root = Path::new("checkout");
    let package = root.join("tests");
    assert!(stays_inside(root, &package, "../inventories/x.json"));
    assert!(!stays_inside(root, &package, "../../beside/x.yaml"));
    assert!(!stays_inside(root, root, "../x"));
    assert!(stays_inside(
        root,
        &root.join("tests/src"),
        "../../README.md"
    ));
    assert_eq!(literal(r#"  "a\"b", 1)"#).as_deref(), Some("a\"b"));
    assert_eq!(literal("some_var)"), None);
    let dir = tempfile::tempdir().unwrap();
    let checkout = dir.path();
    std::fs::create_dir_all(checkout.join("p/tests")).unwrap();
    std::fs::write(checkout.join("p/Cargo.toml"), "").unwrap();
    let test = checkout.join("p/tests/t.rs");
    std::fs::write(
        &test,
        "let a = Path::new(\"../../elsewhere/spec.yaml\");\n\
         let b = root.join(\"inventories/x.json\");\n\
         let c = std::fs::read_to_string(\"/etc/passwd\");\n\
         // Path::new(\"../../in/a/comment\")\n\
         let d = include_str!(\"../../README.md\");\n",
    )
    .unwrap();
    let found = path_violations(checkout, &test);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].contains("p/tests/t.rs:1: a path leaving the checkout"));
    assert!(found[1].contains("p/tests/t.rs:3: an absolute path"));
}
