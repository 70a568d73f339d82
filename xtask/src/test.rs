//! `cargo xtask test`: install what the tests need, then run every test.
//!
//! The tests talk to real peers: ISPConfig's wire tests start PHP's own
//! `SoapServer` (Debian `php-cli` + `php-soap`). On a fresh machine they are
//! installed here; tests never skip because a tool is missing.

use std::process::Command;

/// Runs the provisioning and the whole test suite; extra args go to `cargo test`.
pub fn run(args: &[String]) -> Result<(), String> {
    ensure_php_soap()?;
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

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}
