//! `cargo xtask extract <panel> ...`: upstream material → inventory file.

use std::path::PathBuf;

use codegen::extract::ispconfig::{self, SourceMeta};
use codegen::{inventories, regen};

/// Runs `extract` with the arguments after the command name.
pub fn run(args: &[String]) -> Result<(), String> {
    match args.first().map(String::as_str) {
        Some("ispconfig") => extract_ispconfig(&args[1..]),
        Some(other) => Err(format!(
            "no extractor for panel {other:?} yet (have: ispconfig)"
        )),
        None => {
            Err("usage: cargo xtask extract ispconfig --source DIR --version V [...]".to_owned())
        }
    }
}

fn extract_ispconfig(args: &[String]) -> Result<(), String> {
    let mut source = None;
    let mut out = None;
    let mut meta = SourceMeta {
        upstream_version: String::new(),
        repository: None,
        tag: None,
        commit: None,
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "--source" => source = Some(PathBuf::from(value()?)),
            "--version" => meta.upstream_version = value()?,
            "--repository" => meta.repository = Some(value()?),
            "--tag" => meta.tag = Some(value()?),
            "--commit" => meta.commit = Some(value()?),
            "--out" => out = Some(PathBuf::from(value()?)),
            other => return Err(format!("unknown option {other}")),
        }
    }
    let source = source
        .ok_or("--source DIR is required (an ISPConfig checkout or interface/lib/classes)")?;
    if meta.upstream_version.is_empty() {
        return Err(
            "--version is required (the panel version the sources are, e.g. 3.2.12p1)".to_owned(),
        );
    }
    let (inventory, notes) =
        ispconfig::extract_with_notes(&source, meta).map_err(|e| e.to_string())?;
    for note in &notes {
        eprintln!("note: {note}");
    }
    let out =
        out.unwrap_or_else(|| inventories::current_path(&regen::workspace_root(), "ispconfig"));
    std::fs::write(&out, inventory.to_json()).map_err(|e| format!("{}: {e}", out.display()))?;
    let linked = inventory
        .operations
        .iter()
        .filter(|op| {
            matches!(
                &op.protocol,
                codegen::model::Protocol::Soap { form: Some(_), .. }
            )
        })
        .count();
    println!(
        "{} operations ({linked} linked to one of {} forms) of ispconfig {} → {}",
        inventory.operations.len(),
        inventory.forms.len(),
        inventory.upstream_version,
        out.display()
    );
    Ok(())
}
