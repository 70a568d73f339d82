//! `cargo xtask test`: install what the tests need, then run every test.
//!
//! The tests talk to real peers: ISPConfig's wire tests start PHP's own
//! `SoapServer` (Debian `php-cli` + `php-soap`); the OpenAPI clients' tests
//! start Stoplight Prism (npm `@stoplight/prism-cli`, pinned in
//! `tests/peers/prism/package.json` and its lock file) serving the upstream
//! specs. On a fresh machine they are installed here; tests never skip
//! because a tool is missing. The upstream specs are resolved first (see
//! the `panelkit-upstream` crate): without them the run stops within
//! seconds, naming `PANELKIT_UPSTREAM_DIR` and the file it needs. Before the
//! tests, every crate with features is checked alone with each feature on
//! its own ([`features`]).

mod features;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

/// Runs the provisioning and the whole test suite, doc tests included, and
/// ends with one `N passed, N failed` line over every target; extra args go
/// to `cargo test`.
pub fn run(args: &[String]) -> Result<(), String> {
    let root = codegen::regen::find_workspace_root()?;
    // First, and fast: a missing upstream spec is one clear message before
    // anything is built or started, not a failed Prism start in some test.
    resolve_upstream(&root)?;
    ensure_php_soap()?;
    ensure_prism(&root)?;
    // Not fatal yet: the tests still run, and both outcomes are reported.
    let feature_check = features::check(&root);
    let mut tally = Tally::default();
    // --no-fail-fast: a failing target never hides the ones after it.
    // Doc tests are not part of --all-targets, so they are a second run.
    tally.run(&["--workspace", "--all-targets", "--no-fail-fast"], args)?;
    tally.run(&["--workspace", "--doc", "--no-fail-fast"], args)?;
    println!("{} passed, {} failed", tally.passed, tally.failed);
    if tally.failed == 0 && tally.broken.is_empty() {
        return feature_check;
    }
    let mut message = format!("{} tests failed", tally.failed);
    if let Err(features) = feature_check {
        message.push_str(&format!("\n{features}"));
    }
    for run in &tally.broken {
        message.push_str(&format!(
            "\n`cargo test {run}` failed before running its tests (a build error; see above)"
        ));
    }
    Err(message)
}

/// `cargo xtask features`: the feature check of [`run`] alone.
pub fn check_features() -> Result<(), String> {
    features::check(&codegen::regen::find_workspace_root()?)
}

/// Every upstream file the inventories record, resolved (and cached) before
/// any test runs; the tests then find them through the same resolver.
fn resolve_upstream(root: &std::path::Path) -> Result<(), String> {
    let files = upstream::recorded(root).map_err(|e| e.to_string())?;
    let resolver = upstream::Resolver::from_env();
    let mut errors = Vec::new();
    for (inventory, file) in &files {
        if let Err(e) = resolver.resolve(file) {
            errors.push(format!("{inventory}: {e}"));
        }
    }
    if errors.is_empty() {
        println!("xtask: {} upstream files ready", files.len());
        Ok(())
    } else {
        Err(format!(
            "xtask: the tests need upstream files that could not be had:\n{}",
            errors.join("\n")
        ))
    }
}

/// Test counts over every `cargo test` run, from its `test result:` lines,
/// plus one failure for each target that failed without such a line (a
/// test binary that crashed or was killed).
#[derive(Default)]
struct Tally {
    passed: u64,
    failed: u64,
    /// Runs that failed with no failed target to show for it (a build error).
    broken: Vec<String>,
}

impl Tally {
    /// Runs `cargo test FLAGS ARGS`, echoing its output while counting.
    fn run(&mut self, flags: &[&str], args: &[String]) -> Result<(), String> {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let shown = format!("{} {}", flags.join(" "), args.join(" "));
        let mut child = Command::new(cargo)
            .arg("test")
            .args(flags)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run cargo test {shown}: {e}"))?;
        // cargo names the failed targets on stderr, libtest counts on stdout.
        let stderr = child.stderr.take().map(|stderr| {
            std::thread::spawn(move || {
                let mut failed_targets = 0;
                for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                    eprintln!("{line}");
                    failed_targets = failed_targets.max(parse_failed_targets(&line));
                }
                failed_targets
            })
        });
        let mut failed_targets_counted = 0;
        if let Some(stdout) = child.stdout.take() {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                println!("{line}");
                if let Some((passed, failed)) = parse_result(&line) {
                    self.passed += passed;
                    self.failed += failed;
                    failed_targets_counted += u64::from(failed > 0);
                }
            }
        }
        let failed_targets = stderr.map_or(0, |t| t.join().unwrap_or(0));
        let status = child
            .wait()
            .map_err(|e| format!("cargo test {shown}: {e}"))?;
        // A target cargo reports failed with no failed test of its own died
        // before its summary: it counts as one failure.
        self.failed += failed_targets.saturating_sub(failed_targets_counted);
        if !status.success() && failed_targets == 0 {
            self.broken.push(shown.trim().to_owned());
        }
        Ok(())
    }
}

/// How many targets cargo's closing error names as failed:
/// `error: 3 targets failed:` (with `--no-fail-fast`) or
/// `error: test failed, to rerun pass ...` (one target).
fn parse_failed_targets(line: &str) -> u64 {
    let line = line.trim();
    if line.starts_with("error: test failed, to rerun pass") {
        return 1;
    }
    line.strip_prefix("error: ")
        .and_then(|rest| {
            rest.strip_suffix(" targets failed:")
                .or_else(|| rest.strip_suffix(" target failed:"))
        })
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

/// `(passed, failed)` from libtest's summary line:
/// `test result: FAILED. 3 passed; 1 failed; 0 ignored; ...`.
fn parse_result(line: &str) -> Option<(u64, u64)> {
    let rest = line.trim().strip_prefix("test result: ")?;
    let count = |label: &str| {
        rest.split(';').find_map(|part| {
            let part = part.trim();
            let part = part.split_once(". ").map_or(part, |(_, tail)| tail);
            part.strip_suffix(label)?.trim().parse::<u64>().ok()
        })
    };
    Some((count(" passed")?, count(" failed")?))
}

fn php_has_soap() -> bool {
    Command::new("php").arg("-m").output().is_ok_and(|out| {
        out.status.success()
            && String::from_utf8_lossy(&out.stdout)
                .lines()
                .any(|l| l.trim() == "soap")
    })
}

fn ensure_php_soap() -> Result<(), String> {
    if php_has_soap() {
        return Ok(());
    }
    println!("xtask: installing php-cli and php-soap (Debian packages) for the ISPConfig peer");
    let script =
        "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y php-cli php-soap";
    let sudo = !is_root();
    let mut command = if sudo {
        Command::new("sudo")
    } else {
        Command::new("sh")
    };
    if sudo {
        command.args(["sh", "-c", script]);
    } else {
        command.args(["-c", script]);
    }
    let status = command
        .status()
        .map_err(|e| format!("cannot run apt-get: {e}"))?;
    if !status.success() || !php_has_soap() {
        return Err(
            "php-cli with the soap extension is required by the tests and could not be installed; \
                    install it with: apt-get update && apt-get install -y php-cli php-soap"
                .to_owned(),
        );
    }
    Ok(())
}

/// The Prism version the tests are written against.
const PRISM_VERSION: &str = "5.14.2";

fn prism_installed(prism_dir: &std::path::Path) -> bool {
    let bin = prism_dir.join("node_modules/.bin/prism");
    Command::new(bin)
        .arg("--version")
        .output()
        .is_ok_and(|out| {
            out.status.success() && String::from_utf8_lossy(&out.stdout).trim() == PRISM_VERSION
        })
}

fn has_npm() -> bool {
    Command::new("npm")
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success())
}

/// Installs Prism into `tests/peers/prism/node_modules` from the committed
/// lock file (`npm ci`), after Node.js and npm if they are missing.
fn ensure_prism(root: &std::path::Path) -> Result<(), String> {
    let prism_dir = root.join("tests/peers/prism");
    if prism_installed(&prism_dir) {
        return Ok(());
    }
    let install = format!(
        "install Node.js (>= 18.20) and npm (apt-get install -y nodejs npm), then: npm ci --prefix {}",
        prism_dir.display()
    );
    if !has_npm() {
        println!("xtask: installing nodejs and npm (Debian packages) for the Prism peer");
        apt_install("nodejs npm")?;
        if !has_npm() {
            return Err(format!("npm is required by the tests; {install}"));
        }
    }
    println!(
        "xtask: installing @stoplight/prism-cli {PRISM_VERSION} into {}",
        prism_dir.display()
    );
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--prefix"])
        .arg(&prism_dir)
        .status()
        .map_err(|e| format!("cannot run npm: {e}; {install}"))?;
    if !status.success() || !prism_installed(&prism_dir) {
        return Err(format!(
            "Prism {PRISM_VERSION} could not be installed ({status}); {install}"
        ));
    }
    Ok(())
}

fn apt_install(packages: &str) -> Result<(), String> {
    let script =
        format!("apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y {packages}");
    let mut command = if is_root() {
        let mut c = Command::new("sh");
        c.arg("-c");
        c
    } else {
        let mut c = Command::new("sudo");
        c.args(["sh", "-c"]);
        c
    };
    command
        .arg(script)
        .status()
        .map_err(|e| format!("cannot run apt-get: {e}"))
        .map(|_| ())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}

#[cfg(test)]
mod tests {
    use super::{parse_failed_targets, parse_result};

    #[test]
    fn failed_targets_come_from_cargo_closing_error() {
        assert_eq!(parse_failed_targets("error: 3 targets failed:"), 3);
        assert_eq!(parse_failed_targets("error: 1 target failed:"), 1);
        assert_eq!(
            parse_failed_targets(
                "error: test failed, to rerun pass `-p panelkit-tests --test ionos_prism`"
            ),
            1
        );
        assert_eq!(
            parse_failed_targets("    `-p panelctl --test sftpgo_cli`"),
            0
        );
        assert_eq!(parse_failed_targets("error: could not compile `x`"), 0);
    }

    #[test]
    fn counts_come_from_libtest_summary_lines() {
        assert_eq!(
            parse_result("test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.20s"),
            Some((12, 0))
        );
        assert_eq!(
            parse_result("test result: FAILED. 3 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out; finished in 1.01s"),
            Some((3, 2))
        );
        assert_eq!(parse_result("running 3 tests"), None);
        assert_eq!(parse_result("test foo ... ok"), None);
    }
}
