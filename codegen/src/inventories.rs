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

/// One release of a panel: its version and the names of its operations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Release {
    /// The upstream version (`3.2.10`).
    pub version: String,
    /// Its operations' names, sorted.
    pub operations: Vec<String>,
}

/// Every committed release of `panel`, oldest first: the versions kept under
/// `versions/` and the current inventory. Versions are ordered by their
/// numeric parts, then by suffix (`3.2.9` < `3.2.10` < `3.2.12` <
/// `3.2.12p1`); a kept file of the current version is read once.
pub fn releases(root: &Path, panel: &str) -> Result<Vec<Release>, FindError> {
    let mut inventories =
        vec![read_inventory(&current_path(root, panel)).map_err(|e| FindError(e.to_string()))?];
    let dir = root.join("inventories").join(panel).join("versions");
    if let Ok(entries) = std::fs::read_dir(&dir) {
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        paths.sort();
        for path in paths {
            let kept = read_inventory(&path).map_err(|e| FindError(e.to_string()))?;
            if kept.upstream_version != inventories[0].upstream_version {
                inventories.push(kept);
            }
        }
    }
    let mut releases: Vec<Release> = inventories
        .into_iter()
        .map(|inventory| {
            let mut operations: Vec<String> =
                inventory.operations.into_iter().map(|op| op.name).collect();
            operations.sort();
            Release {
                version: inventory.upstream_version,
                operations,
            }
        })
        .collect();
    releases.sort_by(|a, b| version_order(&a.version, &b.version));
    Ok(releases)
}

/// Orders versions by their numeric parts, then by what follows them
/// (`3.2.12` < `3.2.12p1`; `v` prefixes ignored).
pub fn version_order(a: &str, b: &str) -> std::cmp::Ordering {
    fn key(v: &str) -> (Vec<u64>, String) {
        let v = v.trim_start_matches('v');
        let end = v
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(v.len());
        let numbers = v[..end]
            .split('.')
            .filter(|p| !p.is_empty())
            .map(|p| p.parse().unwrap_or(0))
            .collect();
        (numbers, v[end..].to_owned())
    }
    key(a).cmp(&key(b))
}

/// For each operation of the newest release that the oldest lacks, the
/// first release that has it.
pub fn introduced_in(releases: &[Release]) -> std::collections::BTreeMap<String, String> {
    let mut since = std::collections::BTreeMap::new();
    let Some(oldest) = releases.first() else {
        return since;
    };
    for release in &releases[1..] {
        for op in &release.operations {
            if oldest.operations.binary_search(op).is_err() && !since.contains_key(op) {
                since.insert(op.clone(), release.version.clone());
            }
        }
    }
    since
}
