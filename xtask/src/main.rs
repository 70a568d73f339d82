//! `cargo xtask`: a thin command line over the `codegen` library.
//!
//! ```text
//! cargo xtask regen [--check]                 regenerate every crate from inventories/
//! cargo xtask extract ispconfig --source DIR --version V [--repository R] [--tag T] [--commit C] [--out FILE]
//! cargo xtask extract ispmanager --dump FILE [--functions DIR] | --mgrctl [--manager M] | --reference FILE --url URL
//! cargo xtask extract <panel> --spec FILE [--version V] [--repository R] [--tag T] [--commit C] [--path-in-repo P] [--out FILE]
//! cargo xtask diff <panel> OLD NEW            what changed between two inventory versions
//! cargo xtask pins [--check | --accept]       audit pins: crates/panelkit/pins/<panel>.lock
//! cargo xtask test                            install the test peers, then run every test
//! cargo xtask features                        check each crate alone with each feature
//! cargo xtask root                            print the checkout xtask acts on
//! cargo xtask upstream INVENTORY              print the path of the upstream file it records
//! ```
//!
//! Every command acts on the checkout it runs in, found at run time
//! ([`codegen::regen::find_workspace_root`]), so one xtask binary in a
//! shared target directory serves every clone.

mod extract;
mod extract_coremanager;
mod test;

use std::process::ExitCode;
use std::time::Instant;

use codegen::regen;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  regen [--check]     regenerate every crate from inventories/ (--check: fail if anything is stale)
  extract ispconfig --source DIR --version V [--repository R] [--tag T] [--commit C] [--out FILE]
                      write an inventory from ISPConfig PHP sources (a checkout, or an installed
                      /usr/local/ispconfig/interface/lib/classes)
  extract ispmanager --dump FILE [--functions DIR] [--manager M] [--version V] [--out FILE]
  extract ispmanager --mgrctl [--program PATH] [--manager ispmgr] [--version V] [--out FILE]
                      write a COREmanager inventory from saved `mgrctl -m M -i [FUNC]` output, or by
                      running mgrctl on the panel host (also: --reference FILE --url URL, and
                      --answer FILE: a saved out=json list answer's columns and toolbar functions)
  extract PANEL --spec FILE [--version V] [--repository R] [--tag T] [--commit C]
                 [--path-in-repo P] [--out FILE]
                      write an inventory from an OpenAPI spec (sftpgo, ionos, ...; version: the
                      spec's info.version unless given)
  extract dcimanager [--endpoints FILE] [--out FILE]
                      write an inventory from the hand-maintained DCImanager 6 endpoint list
                      (default inventories/dcimanager/endpoints.json)
  diff PANEL OLD NEW  methods added, removed and changed between two inventories
                      (versions kept under inventories/PANEL/, or file paths)
  pins [--check | --accept]
                      audit pins of every panel's overlay: without a flag, write the locks that
                      do not exist yet and report drift; --check: fail naming helper, method, old
                      and new when the inventory, the pins tables or the helpers moved; --accept:
                      rewrite crates/panelkit/pins/<panel>.lock after review, printing its diff
  test                resolve the upstream specs (PANELKIT_UPSTREAM_DIR, else the cache, else a
                      download), install what the tests need (php-cli, php-soap, Prism), then run
                      every test and doc test; ends with `N passed, N failed`
  features            only the first step of `test`: every crate under crates/ with features
                      checked alone with --no-default-features and with each feature
  root                print the checkout these commands act on
  upstream INVENTORY  print a local path holding the upstream file (spec) that INVENTORY records,
                      resolved like the tests do (PANELKIT_UPSTREAM_DIR, cache, download)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("regen") => regen_command(&args[1..]),
        Some("extract") => extract::run(&args[1..]),
        Some("diff") => diff_command(&args[1..]),
        Some("pins") => pins_command(&args[1..]),
        Some("test") => test::run(&args[1..]),
        Some("features") => test::check_features(),
        Some("upstream") => upstream_command(&args[1..]),
        Some("root") => regen::find_workspace_root().map(|root| println!("{}", root.display())),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn regen_command(args: &[String]) -> Result<(), String> {
    let check = match args {
        [] => false,
        [flag] if flag == "--check" => true,
        _ => return Err(USAGE.to_owned()),
    };
    let started = Instant::now();
    let root = regen::find_workspace_root()?;
    let files = regen::generate(&root).map_err(|e| e.to_string())?;
    if check {
        let stale = regen::check(&root, &files).map_err(|e| e.to_string())?;
        if stale.is_empty() {
            println!("{} generated files are fresh", files.len());
            return Ok(());
        }
        let list: Vec<String> = stale.iter().map(|s| format!("  {s}")).collect();
        return Err(format!(
            "generated code is out of date ({} files):\n{}\nrun `cargo xtask regen` and commit the result",
            stale.len(),
            list.join("\n")
        ));
    }
    let changes = regen::write(&root, &files).map_err(|e| e.to_string())?;
    for change in &changes {
        println!("{change}");
    }
    println!(
        "{} generated files, {} changed, in {:.2} s",
        files.len(),
        changes.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn upstream_command(args: &[String]) -> Result<(), String> {
    let [inventory] = args else {
        return Err(USAGE.to_owned());
    };
    let file = upstream::UpstreamFile::from_inventory(std::path::Path::new(inventory))
        .map_err(|e| e.to_string())?;
    let path = upstream::Resolver::from_env()
        .resolve(&file)
        .map_err(|e| e.to_string())?;
    println!("{}", path.display());
    Ok(())
}

fn diff_command(args: &[String]) -> Result<(), String> {
    let [panel, old, new] = args else {
        return Err(USAGE.to_owned());
    };
    let root = regen::find_workspace_root()?;
    let old = codegen::inventories::find(&root, panel, old).map_err(|e| e.to_string())?;
    let new = codegen::inventories::find(&root, panel, new).map_err(|e| e.to_string())?;
    print!("{}", codegen::diff::diff(&old, &new));
    Ok(())
}

/// `cargo xtask pins [--check | --accept]`.
fn pins_command(args: &[String]) -> Result<(), String> {
    use codegen::pins::lock::{diff, report, Panel, PANELS};
    #[derive(PartialEq)]
    enum Mode {
        Write,
        Check,
        Accept,
    }
    let mode = match args {
        [] => Mode::Write,
        [flag] if flag == "--check" => Mode::Check,
        [flag] if flag == "--accept" => Mode::Accept,
        _ => return Err(USAGE.to_owned()),
    };
    let started = Instant::now();
    let root = regen::find_workspace_root()?;
    let mut failed = Vec::new();
    for name in PANELS {
        let panel = Panel::read(&root, name)?;
        let findings = panel.check();
        let write = match mode {
            Mode::Accept => true,
            Mode::Write => panel.lock.is_none(),
            Mode::Check => false,
        };
        if write {
            let lock = panel.accepted()?;
            let old = panel.lock.as_ref().map(|l| l.render()).unwrap_or_default();
            let text = lock.render();
            if old != text {
                if let Some(dir) = panel.paths.lock.parent() {
                    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
                }
                std::fs::write(&panel.paths.lock, &text).map_err(|e| e.to_string())?;
                println!(
                    "wrote {} ({} pins)",
                    panel.paths.lock.display(),
                    lock.pins().len()
                );
                print!("{}", diff(&old, &text));
            }
        } else if findings.is_empty() {
            println!(
                "{name}: {} pins match",
                panel.lock.map_or(0, |l| l.pins().len())
            );
        } else {
            failed.push(report(name, &findings));
        }
    }
    println!("in {:.2} s", started.elapsed().as_secs_f64());
    if failed.is_empty() {
        Ok(())
    } else {
        Err(failed.join("\n\n"))
    }
}
