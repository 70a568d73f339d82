//! Which files the dispatcher loads, in its order.

use std::fs;
use std::path::{Path, PathBuf};

use super::{ExtractError, CLASSES};

/// A file to read: where it is and its path relative to the checkout root.
pub(super) struct SourceFile {
    pub(super) abs: PathBuf,
    pub(super) rel: String,
    /// The file name without `.inc.php`: the dispatcher's class suffix and
    /// the inventory's group.
    pub(super) stem: String,
}

/// The classes directory for a checkout root or the directory itself.
pub(super) fn locate_classes(source: &Path) -> Result<PathBuf, ExtractError> {
    // Distinguish "cannot look" from "looked, not ISPConfig".
    fs::metadata(source).map_err(|e| ExtractError::Io(source.to_owned(), e))?;
    [source.join(CLASSES), source.to_owned()]
        .into_iter()
        .find(|candidate| candidate.join("remoting.inc.php").is_file())
        .ok_or_else(|| ExtractError::NotIspconfig(source.to_owned()))
}

/// `remote.d/*.inc.php`, then `../../web/*/lib/classes/remote.d/*.inc.php`
/// (relative to the classes directory), each list sorted bytewise by path as
/// PHP's `glob()` sorts it in the C locale.
pub(super) fn remote_files(classes_dir: &Path) -> Result<Vec<SourceFile>, ExtractError> {
    let mut out = Vec::new();
    for (abs, name) in glob_entries(&classes_dir.join("remote.d"))? {
        if let Some(stem) = inc_php_stem(&abs, &name) {
            out.push(SourceFile {
                abs,
                rel: format!("{CLASSES}/remote.d/{name}"),
                stem,
            });
        }
    }
    let mut module_files = Vec::new();
    for (module_dir, module) in glob_entries(&classes_dir.join("../../web"))? {
        if !module_dir.is_dir() {
            continue;
        }
        for (abs, name) in glob_entries(&module_dir.join("lib/classes/remote.d"))? {
            if let Some(stem) = inc_php_stem(&abs, &name) {
                module_files.push(SourceFile {
                    abs,
                    rel: format!("interface/web/{module}/lib/classes/remote.d/{name}"),
                    stem,
                });
            }
        }
    }
    // One glob over both wildcards: the whole match list is sorted by path,
    // which is not the same as by module then file (`a-b/` < `a/`).
    module_files.sort_by(|a, b| a.rel.as_bytes().cmp(b.rel.as_bytes()));
    out.extend(module_files);
    Ok(out)
}

/// The stem of a `*.inc.php` regular file. Directories that happen to match
/// are skipped: the dispatcher's `include_once` fails on them with a warning
/// and no class appears.
fn inc_php_stem(abs: &Path, name: &str) -> Option<String> {
    let stem = name.strip_suffix(".inc.php")?;
    abs.is_file().then(|| stem.to_owned())
}

/// Entries a `*` matches in `dir` (hidden ones never match), sorted
/// bytewise; a missing directory matches nothing.
pub(super) fn glob_entries(dir: &Path) -> Result<Vec<(PathBuf, String)>, ExtractError> {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(ExtractError::Io(dir.to_owned(), e)),
    };
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| ExtractError::Io(dir.to_owned(), e))?;
        // Inventories are UTF-8; ISPConfig's file names are ASCII anyway.
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with('.') {
            out.push((entry.path(), name));
        }
    }
    out.sort_by(|a, b| a.1.as_bytes().cmp(b.1.as_bytes()));
    Ok(out)
}
