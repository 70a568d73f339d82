//! `cargo xtask extract <panel> ...`: upstream material → inventory file.

use std::path::PathBuf;

use codegen::extract::ispconfig::{self, SourceMeta};
use codegen::extract::openapi;
use codegen::{inventories, regen};

/// Runs `extract` with the arguments after the command name.
pub fn run(args: &[String]) -> Result<(), String> {
    match args.first().map(String::as_str) {
        Some("ispconfig") => extract_ispconfig(&args[1..]),
        Some("ispmanager") => crate::extract_coremanager::run(&args[1..]),
        Some("dcimanager") => extract_dcimanager(&args[1..]),
        // Every other panel publishes an OpenAPI spec (sftpgo, ionos, ...).
        Some(panel) if args.iter().any(|a| a == "--spec") => extract_openapi(panel, &args[1..]),
        Some(other) => Err(format!(
            "no extractor for panel {other:?}: ispconfig takes --source DIR, ispmanager --dump/--mgrctl, dcimanager [--endpoints FILE], OpenAPI panels --spec FILE"
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
    let (mut inventory, notes) =
        ispconfig::extract_with_notes(&source, meta).map_err(|e| e.to_string())?;
    ispconfig::classify_secrets(&mut inventory, &source).map_err(|e| e.to_string())?;
    for note in &notes {
        eprintln!("note: {note}");
    }
    let out = match out {
        Some(out) => out,
        None => inventories::current_path(&regen::find_workspace_root()?, "ispconfig"),
    };
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

/// `extract <panel> --spec FILE [--version V] [--repository R] [--tag T]
/// [--commit C] [--path-in-repo P] [--out FILE]` for panels with an OpenAPI spec.
fn extract_openapi(panel: &str, args: &[String]) -> Result<(), String> {
    let mut spec = None;
    let mut out = None;
    let mut meta = openapi::SpecMeta {
        panel: panel.to_owned(),
        ..openapi::SpecMeta::default()
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "--spec" => spec = Some(PathBuf::from(value()?)),
            "--version" => meta.upstream_version = Some(value()?),
            "--repository" => meta.repository = Some(value()?),
            "--tag" => meta.tag = Some(value()?),
            "--commit" => meta.commit = Some(value()?),
            "--path-in-repo" => meta.path_in_repository = value()?,
            "--out" => out = Some(PathBuf::from(value()?)),
            other => return Err(format!("unknown option {other}")),
        }
    }
    let spec = spec.ok_or("--spec FILE is required (the OpenAPI document, YAML or JSON)")?;
    if meta.path_in_repository.is_empty() {
        meta.path_in_repository = spec
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
    }
    let fixups = codegen::fixups::for_spec(panel, meta.upstream_version.as_deref());
    let inventory = openapi::extract_file(&spec, meta, fixups)
        .map_err(|e| format!("{}: {e}", spec.display()))?;
    let out = match out {
        Some(out) => out,
        None => inventories::current_path(&regen::find_workspace_root()?, panel),
    };
    std::fs::write(&out, inventory.to_json()).map_err(|e| format!("{}: {e}", out.display()))?;
    println!(
        "{} operations, {} types of {panel} {} → {}",
        inventory.operations.len(),
        inventory.types.len(),
        inventory.upstream_version,
        out.display()
    );
    Ok(())
}

/// `extract dcimanager [--endpoints FILE] [--out FILE]`: the hand-maintained
/// endpoint list (default `inventories/dcimanager/endpoints.json`) → inventory.
fn extract_dcimanager(args: &[String]) -> Result<(), String> {
    use codegen::extract::dcimanager;
    let root = regen::find_workspace_root()?;
    let mut endpoints = None;
    let mut out = None;
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "--endpoints" => endpoints = Some(PathBuf::from(value()?)),
            "--out" => out = Some(PathBuf::from(value()?)),
            other => return Err(format!("unknown option {other}")),
        }
    }
    let file = endpoints.unwrap_or_else(|| root.join(dcimanager::DEFAULT_PATH));
    // Provenance names the list relative to the workspace when it lives there.
    let shown = std::fs::canonicalize(&file)
        .ok()
        .and_then(|f| {
            let root = std::fs::canonicalize(&root).ok()?;
            f.strip_prefix(root)
                .ok()
                .map(|p| p.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| file.to_string_lossy().into_owned());
    let inventory = dcimanager::extract_file(&file, &shown).map_err(|e| e.to_string())?;
    let out = out.unwrap_or_else(|| inventories::current_path(&root, "dcimanager"));
    std::fs::write(&out, inventory.to_json()).map_err(|e| format!("{}: {e}", out.display()))?;
    println!(
        "{} operations, {} types of dcimanager {} → {}",
        inventory.operations.len(),
        inventory.types.len(),
        inventory.upstream_version,
        out.display()
    );
    Ok(())
}
