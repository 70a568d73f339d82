//! The feature check `cargo xtask test` runs before the tests: every library
//! under `crates/` that has cargo features (panelkit-core, the generated
//! panel crates, the overlay) must build alone with `--no-default-features`
//! and with each of its features on its own.
//!
//! The test run itself builds the workspace once, with every feature of
//! every crate unified, so it cannot see a module that uses something only a
//! sibling feature compiles, or a generated crate whose panel feature in
//! panelkit-core is not enough for it. Warnings count as failures: an item
//! unused under some feature set is a wrong `cfg`, and users would see it.
//!
//! `cargo check` of the library only (no tests, no dev-dependencies): each
//! feature set is its own artifact, cached in `target/` like any other, so a
//! warm re-run costs cargo's start-up per combination.

use std::process::Command;
use std::time::Instant;

/// One `cargo check` to run: a package and the features it is checked with.
#[derive(Debug, PartialEq)]
struct Combination {
    package: String,
    /// `None`: `--no-default-features` alone.
    feature: Option<String>,
}

impl Combination {
    fn args(&self) -> Vec<String> {
        let mut args = vec![
            "check".to_owned(),
            "--quiet".to_owned(),
            "--lib".to_owned(),
            "--message-format=short".to_owned(),
            "-p".to_owned(),
            self.package.clone(),
            "--no-default-features".to_owned(),
        ];
        if let Some(feature) = &self.feature {
            args.extend(["--features".to_owned(), feature.clone()]);
        }
        args
    }

    fn shown(&self) -> String {
        format!("cargo {}", self.args().join(" "))
    }
}

/// Runs every combination; `Err` lists the ones that failed or warned,
/// each with cargo's messages.
pub fn check(root: &std::path::Path) -> Result<(), String> {
    let started = Instant::now();
    let combinations = combinations(&metadata(root)?)?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut failures = Vec::new();
    for combination in &combinations {
        let output = Command::new(&cargo)
            .args(combination.args())
            .current_dir(root)
            .output()
            .map_err(|e| format!("cannot run {}: {e}", combination.shown()))?;
        let messages = String::from_utf8_lossy(&output.stderr);
        let warnings: Vec<&str> = messages.lines().filter(|l| is_warning(l)).collect();
        if !output.status.success() || !warnings.is_empty() {
            failures.push(format!("{}\n{}", combination.shown(), messages.trim_end()));
        }
    }
    println!(
        "xtask: feature check: {} combinations, {} failed, in {:.1} s",
        combinations.len(),
        failures.len(),
        started.elapsed().as_secs_f64()
    );
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "these feature combinations do not build cleanly:\n{}",
            failures.join("\n\n")
        ))
    }
}

/// A compiler warning in `--message-format=short` (`path:line:col: warning: ...`);
/// cargo's own summary line (`warning: `x` (lib) generated 1 warning`) is
/// not one more.
fn is_warning(line: &str) -> bool {
    line.contains(": warning: ")
}

/// `cargo metadata` of the workspace's own packages, as JSON.
fn metadata(root: &std::path::Path) -> Result<serde_json::Value, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(["metadata", "--no-deps", "--format-version", "1"])
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run cargo metadata: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    serde_json::from_slice(&output.stdout).map_err(|e| format!("cargo metadata: {e}"))
}

/// For every package under `crates/` with features: `--no-default-features`,
/// then each feature but `default` alone, in the order `cargo metadata`
/// lists them (packages in workspace order, features sorted).
fn combinations(metadata: &serde_json::Value) -> Result<Vec<Combination>, String> {
    let malformed = || "cargo metadata: unexpected shape".to_owned();
    let packages = metadata["packages"].as_array().ok_or_else(malformed)?;
    let mut out = Vec::new();
    for package in packages {
        let name = package["name"].as_str().ok_or_else(malformed)?;
        let manifest = package["manifest_path"].as_str().ok_or_else(malformed)?;
        let features = package["features"].as_object().ok_or_else(malformed)?;
        let in_crates = std::path::Path::new(manifest)
            .parent()
            .and_then(|dir| dir.parent())
            .is_some_and(|dir| dir.ends_with("crates"));
        if !in_crates || features.is_empty() {
            continue;
        }
        out.push(Combination {
            package: name.to_owned(),
            feature: None,
        });
        out.extend(
            features
                .keys()
                .filter(|f| *f != "default")
                .map(|f| Combination {
                    package: name.to_owned(),
                    feature: Some(f.clone()),
                }),
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_feature_alone_of_crates_with_features() {
        let metadata = serde_json::json!({ "packages": [
            { "name": "panelkit-core", "manifest_path": "/w/crates/panelkit-core/Cargo.toml",
              "features": { "default": ["full"], "full": ["rest"], "rest": [] } },
            { "name": "panelctl", "manifest_path": "/w/crates/panelctl/Cargo.toml",
              "features": {} },
            { "name": "xtask", "manifest_path": "/w/xtask/Cargo.toml",
              "features": { "x": [] } },
        ]});
        let shown: Vec<String> = combinations(&metadata)
            .unwrap()
            .iter()
            .map(Combination::shown)
            .collect();
        assert_eq!(
            shown,
            [
                "cargo check --quiet --lib --message-format=short -p panelkit-core --no-default-features",
                "cargo check --quiet --lib --message-format=short -p panelkit-core --no-default-features --features full",
                "cargo check --quiet --lib --message-format=short -p panelkit-core --no-default-features --features rest",
            ]
        );
    }

    #[test]
    fn compiler_warnings_count_cargo_summaries_do_not() {
        assert!(is_warning(
            "crates/panelkit-core/src/rest/mod.rs:39:16: warning: unused import: `x`"
        ));
        assert!(!is_warning(
            "warning: `panelkit-core` (lib) generated 1 warning (run `cargo fix`)"
        ));
        assert!(!is_warning("error: could not compile `x`"));
    }
}
