//! Finding committed inventories: `inventories/<panel>/inventory.json` is the
//! current one (it drives regen); older versions kept for diffs live in
//! `inventories/<panel>/versions/<version>.json`.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::model::Inventory;
use crate::regen::read_inventory;

/// The current inventory of `panel`.
pub fn current_path(root: &Path, panel: &str) -> PathBuf {
    root.join("inventories").join(panel).join("inventory.json")
}

/// Where an older version of `panel` is kept.
pub fn version_path(root: &Path, panel: &str, version: &str) -> PathBuf {
    root.join("inventories")
        .join(panel)
        .join("versions")
        .join(format!("{version}.json"))
}

/// An inventory could not be found or read.
#[derive(Debug)]
pub struct FindError(String);

impl fmt::Display for FindError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FindError {}

/// Resolves `what` for `panel`: an existing file path, a version kept under
/// `versions/`, or the version of the current inventory.
pub fn find(root: &Path, panel: &str, what: &str) -> Result<Inventory, FindError> {
    let as_path = Path::new(what);
    if as_path.is_file() {
        return read_inventory(as_path).map_err(|e| FindError(e.to_string()));
    }
    let kept = version_path(root, panel, what);
    if kept.is_file() {
        return read_inventory(&kept).map_err(|e| FindError(e.to_string()));
    }
    let current_file = current_path(root, panel);
    let current = read_inventory(&current_file).map_err(|e| FindError(e.to_string()))?;
    if current.upstream_version == what {
        return Ok(current);
    }
    Err(FindError(format!(
        "no {panel} inventory for {what:?}: not a file, not {}, and the current inventory is {}",
        kept.display(),
        current.upstream_version
    )))
}
