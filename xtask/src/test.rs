//! `cargo xtask test`: install what the tests need, then run every test.
//!
//! The tests talk to real peers: ISPConfig's wire tests start PHP's own
//! `SoapServer` (Debian `php-cli` + `php-soap`); the OpenAPI clients' tests
//! start Stoplight Prism (npm `@stoplight/prism-cli`, pinned in
//! `tests/peers/prism/package.json` and its lock file) serving the upstream
//! specs. On a fresh machine they are installed here; tests never skip
//! because a tool is missing.

use std::process::Command;

/// Runs the provisioning and the whole test suite; extra args go to `cargo test`.
pub fn run(args: &[String]) -> Result<(), String> {
    ensure_php_soap()?;
    ensure_prism()?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(cargo)
        .args(["test", "--workspace", "--all-targets"])
        .args(args)
        .status()
        .map_err(|e| format!("cannot run cargo test: {e}"))?;
    if !status.success() {
        return Err(format!("cargo test failed ({status})"));
    }
    // Doc tests are not part of --all-targets.
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(cargo)
        .args(["test", "--workspace", "--doc"])
        .status()
        .map_err(|e| format!("cannot run cargo test --doc: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("cargo test --doc failed ({status})"))
    }
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

fn prism_dir() -> std::path::PathBuf {
    codegen::regen::workspace_root().join("tests/peers/prism")
}

fn prism_installed() -> bool {
    let bin = prism_dir().join("node_modules/.bin/prism");
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
fn ensure_prism() -> Result<(), String> {
    if prism_installed() {
        return Ok(());
    }
    let install = format!(
        "install Node.js (>= 18.20) and npm (apt-get install -y nodejs npm), then: npm ci --prefix {}",
        prism_dir().display()
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
        prism_dir().display()
    );
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--prefix"])
        .arg(prism_dir())
        .status()
        .map_err(|e| format!("cannot run npm: {e}; {install}"))?;
    if !status.success() || !prism_installed() {
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
