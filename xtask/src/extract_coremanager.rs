//! `cargo xtask extract ispmanager ...`: `mgrctl -i` output → inventory.

use std::path::PathBuf;

use codegen::extract::coremanager::{self, DumpMeta, Input};
use codegen::model::Inventory;
use codegen::{inventories, regen};

/// Usage of this extractor.
pub const USAGE: &str = "cargo xtask extract ispmanager --dump FILE [--functions DIR] [--manager M] [--version V] [--out FILE]
  cargo xtask extract ispmanager --mgrctl [--program PATH] [--manager M] [--version V] [--out FILE]
  cargo xtask extract ispmanager --reference FILE --url URL [--reference FILE --url URL ...] [--version V] [--out FILE]
  ... [--answer FILE ...]   (with --dump, --reference, or alone)
      --dump: saved `mgrctl -m M -i` output; --functions: a directory of saved `mgrctl -m M -i FUNC` outputs
      --mgrctl: run mgrctl on this panel host (default /usr/local/mgr5/sbin/mgrctl) for exactly this installation
      --reference: the vendor's generated API reference saved as text, cited as URL#FUNC
      --answer: a saved out=json answer of a list function (columns, key, toolbar functions)";

/// Runs the extractor with the arguments after `ispmanager`.
pub fn run(args: &[String]) -> Result<(), String> {
    let mut dump = None;
    let mut functions = None;
    let mut mgrctl = false;
    let mut program = PathBuf::from("/usr/local/mgr5/sbin/mgrctl");
    let mut references: Vec<PathBuf> = Vec::new();
    let mut urls: Vec<String> = Vec::new();
    let mut answer_files: Vec<PathBuf> = Vec::new();
    let mut out = None;
    let mut meta = DumpMeta {
        manager: "ispmgr".to_owned(),
        panel: "ispmanager".to_owned(),
        upstream_version: "6".to_owned(),
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))
        };
        match flag.as_str() {
            "--dump" => dump = Some(PathBuf::from(value()?)),
            "--functions" => functions = Some(PathBuf::from(value()?)),
            "--mgrctl" => mgrctl = true,
            "--program" => program = PathBuf::from(value()?),
            "--manager" => meta.manager = value()?,
            "--version" => meta.upstream_version = value()?,
            "--reference" => references.push(PathBuf::from(value()?)),
            "--url" => urls.push(value()?),
            "--answer" => answer_files.push(PathBuf::from(value()?)),
            "--out" => out = Some(PathBuf::from(value()?)),
            other => return Err(format!("unknown option {other}\n{USAGE}")),
        }
    }
    let mut answers = Vec::new();
    for path in &answer_files {
        let text = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        answers.push(Input {
            name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| path.display().to_string()),
            text: String::from_utf8_lossy(&text).into_owned(),
        });
    }
    let inventory: Inventory = match (dump, mgrctl, references.is_empty()) {
        (Some(dump), false, true) => {
            let (list, details) =
                coremanager::read_inputs(&dump, functions.as_deref()).map_err(|e| e.to_string())?;
            let inventory = coremanager::build_with_answers(Some(&list), &details, &answers, &meta)
                .map_err(|e| e.to_string())?;
            if inventory.operations.is_empty() {
                return Err(format!("{}: no functions found", dump.display()));
            }
            inventory
        }
        (None, true, true) if answers.is_empty() => {
            coremanager::run_mgrctl(&program, &meta).map_err(|e| e.to_string())?
        }
        (None, false, true) if !answers.is_empty() => {
            coremanager::build_with_answers(None, &[], &answers, &meta)
                .map_err(|e| e.to_string())?
        }
        (None, false, false) => {
            if references.len() != urls.len() {
                return Err(format!("give one --url per --reference\n{USAGE}"));
            }
            let mut inputs = Vec::new();
            for (path, url) in references.iter().zip(&urls) {
                if !url.starts_with("https://") {
                    return Err(format!("--url must be an https:// address, got {url:?}"));
                }
                let text = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
                inputs.push(Input {
                    name: url.clone(),
                    text: String::from_utf8_lossy(&text).into_owned(),
                });
            }
            coremanager::build_with_answers(None, &inputs, &answers, &meta)
                .map_err(|e| e.to_string())?
        }
        _ => return Err(USAGE.to_owned()),
    };
    let out = match out {
        Some(out) => out,
        None => inventories::current_path(&regen::find_workspace_root()?, "ispmanager"),
    };
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(&out, inventory.to_json()).map_err(|e| format!("{}: {e}", out.display()))?;
    println!(
        "{} functions of {} ({}) → {}",
        inventory.operations.len(),
        meta.manager,
        inventory.upstream_version,
        out.display()
    );
    Ok(())
}
