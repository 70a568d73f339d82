//! `cargo xtask`: a thin command line over the `codegen` library.
//!
//! ```text
//! cargo xtask regen [--check]                 regenerate every crate from inventories/
//! cargo xtask extract ispconfig --source DIR --version V [--repository R] [--tag T] [--commit C] [--out FILE]
//! cargo xtask extract <panel> --spec FILE [--version V] [--repository R] [--tag T] [--commit C] [--path-in-repo P] [--out FILE]
//! cargo xtask diff <panel> OLD NEW            what changed between two inventory versions
//! cargo xtask test                            install the test peers, then run every test
//! ```

mod extract;
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
  extract PANEL --spec FILE [--version V] [--repository R] [--tag T] [--commit C]
                 [--path-in-repo P] [--out FILE]
                      write an inventory from an OpenAPI spec (sftpgo, ionos, ...; version: the
                      spec's info.version unless given)
  diff PANEL OLD NEW  methods added, removed and changed between two inventories
                      (versions kept under inventories/PANEL/, or file paths)
  test                install what the tests need (php-cli, php-soap), then cargo test --workspace";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("regen") => regen_command(&args[1..]),
        Some("extract") => extract::run(&args[1..]),
        Some("diff") => diff_command(&args[1..]),
        Some("test") => test::run(&args[1..]),
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
    let root = regen::workspace_root();
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

fn diff_command(args: &[String]) -> Result<(), String> {
    let [panel, old, new] = args else {
        return Err(USAGE.to_owned());
    };
    let root = regen::workspace_root();
    let old = codegen::inventories::find(&root, panel, old).map_err(|e| e.to_string())?;
    let new = codegen::inventories::find(&root, panel, new).map_err(|e| e.to_string())?;
    print!("{}", codegen::diff::diff(&old, &new));
    Ok(())
}
