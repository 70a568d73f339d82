//! Which inventory feeds which crate, and keeping the committed output fresh.
//!
//! `generate` computes every generated file in memory; `write` puts them on
//! disk (removing generated files that are no longer produced); `check` compares
//! memory with disk without writing, as `cargo xtask regen --check` and the
//! freshness test do.

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use crate::emit::{self, EmitError, GeneratedFile, GENERATED_MARKER};
use crate::model::Inventory;

/// A generated crate and the inventory it comes from.
#[derive(Clone, Debug)]
pub struct Panel {
    /// Panel name, as in `inventories/<name>/`.
    pub name: &'static str,
    /// Inventory path relative to the workspace root.
    pub inventory: &'static str,
    /// Crate directory relative to the workspace root.
    pub crate_dir: &'static str,
    /// Crate name.
    pub crate_name: &'static str,
    /// The emitter for the panel's protocol.
    pub emitter: Emitter,
}

/// The emitters a panel can use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Emitter {
    /// PHP `SoapServer` RPC ([`emit::soap`]).
    Soap,
    /// COREmanager `func=` calls ([`emit::coremanager`]).
    Coremanager,
    /// REST/JSON over `panelkit_core::rest` ([`emit::rest`]).
    Rest {
        /// The panel's module in `panelkit_core` (its `ClientBuilder`).
        runtime: &'static str,
        /// Display name.
        title: &'static str,
        /// The upstream spec's licence, named in the generated docs.
        spec_license: &'static str,
        /// The API prefix the server serves the spec's paths under.
        api_prefix: &'static str,
        /// `Type.field` pairs holding secrets the spec does not mark.
        secret_fields: &'static [&'static str],
        /// What the panel's runtime does beyond the plain executor.
        support: RestSupport,
        /// The crate docs' minimal program: the inside of `main`.
        quick_start: &'static str,
    },
}

/// [`emit::rest::RuntimeSupport`] as static data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RestSupport {
    /// Parameters filled from client defaults.
    pub client_defaults: &'static [&'static str],
    /// The runtime's wrapper of `202 Accepted` answers.
    pub accepted: Option<&'static str>,
    /// Runtime items re-exported at the crate root.
    pub exports: &'static [&'static str],
}

impl RestSupport {
    /// Nothing beyond the executor.
    pub const NONE: RestSupport = RestSupport {
        client_defaults: &[],
        accepted: None,
        exports: &[],
    };

    fn to_runtime(self) -> emit::rest::RuntimeSupport {
        let owned = |items: &[&str]| items.iter().map(|s| (*s).to_owned()).collect();
        emit::rest::RuntimeSupport {
            client_defaults: owned(self.client_defaults),
            accepted: self.accepted.map(str::to_owned),
            exports: owned(self.exports),
        }
    }
}

/// Every generated crate.
pub const PANELS: &[Panel] = &[
    Panel {
        name: "ispconfig",
        inventory: "inventories/ispconfig/inventory.json",
        crate_dir: "crates/panelkit-ispconfig",
        crate_name: "panelkit-ispconfig",
        emitter: Emitter::Soap,
    },
    Panel {
        name: "ispmanager",
        inventory: "inventories/ispmanager/inventory.json",
        crate_dir: "crates/panelkit-ispmanager",
        crate_name: "panelkit-ispmanager",
        emitter: Emitter::Coremanager,
    },
    Panel {
        name: "sftpgo",
        inventory: "inventories/sftpgo/inventory.json",
        crate_dir: "crates/panelkit-sftpgo",
        crate_name: "panelkit-sftpgo",
        emitter: Emitter::Rest {
            runtime: "sftpgo",
            title: "SFTPGo",
            spec_license: "AGPL-3.0-only",
            api_prefix: "/api/v2",
            // The new key is returned once, in a field the spec does not mark.
            secret_fields: &["AddApiKeyOutput.key"],
            support: RestSupport::NONE,
            quick_start: "let sftpgo = panelkit_sftpgo::Client::builder()\n    \
                .url(\"https://sftpgo.example.com\")\n    \
                .api_key(\"key\")\n    \
                .build()?;\n\
                println!(\"{}\", sftpgo.healthz().await?);",
        },
    },
    Panel {
        name: "ionos",
        inventory: "inventories/ionos/inventory.json",
        crate_dir: "crates/panelkit-ionos",
        crate_name: "panelkit-ionos",
        emitter: Emitter::Rest {
            runtime: "ionos",
            title: "IONOS Cloud",
            // The spec states no licence; the SDK repository that commits it
            // is Apache-2.0 (the provenance in inventories/ionos/inventory.json).
            spec_license: "Apache-2.0",
            api_prefix: "/cloudapi/v6",
            secret_fields: &[],
            support: RestSupport {
                client_defaults: &["depth", "pretty", "X-Contract-Number"],
                accepted: Some("crate::Accepted"),
                exports: &[
                    "Accepted",
                    "PerCall",
                    "RequestHandle",
                    "RequestProgress",
                    "RequestState",
                    "WaitOptions",
                ],
            },
            quick_start:
                "let ionos = panelkit_ionos::Client::builder().token(\"token\").build()?;\n\
                let info = ionos.api_info_get().await?;\n\
                println!(\"{info:?}\");",
        },
    },
    Panel {
        name: "dcimanager",
        inventory: "inventories/dcimanager/inventory.json",
        crate_dir: "crates/panelkit-dcimanager",
        crate_name: "panelkit-dcimanager",
        emitter: Emitter::Rest {
            runtime: "dcimanager",
            title: "DCImanager",
            // No spec exists: the inventory is panelkit's own list of facts
            // from the vendor's documentation (endpoints.json).
            spec_license: "MIT OR Apache-2.0",
            // The inventory's paths are whole (/api/{service}/{version}/...).
            api_prefix: "",
            // Tokens and keys in answers the list does not mark.
            secret_fields: &[],
            support: RestSupport::NONE,
            quick_start: "let dci = panelkit_dcimanager::Client::builder()\n    \
                .url(\"https://dci.example.com\")\n    \
                .credentials(\"admin@example.com\", \"secret\")\n    \
                .build()?;\n\
                println!(\"{}\", dci.self_session().await?);",
        },
    },
];

/// Why regeneration failed.
#[derive(Debug)]
pub enum RegenError {
    /// An inventory could not be read or parsed.
    Inventory {
        /// Its path.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// An emitter refused an inventory.
    Emit {
        /// The panel.
        panel: &'static str,
        /// The emitter's message.
        error: EmitError,
    },
    /// Writing or reading the output failed.
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        error: std::io::Error,
    },
}

impl fmt::Display for RegenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RegenError::Inventory { path, message } => write!(f, "{}: {message}", path.display()),
            RegenError::Emit { panel, error } => write!(f, "{panel}: {error}"),
            RegenError::Io { path, error } => write!(f, "{}: {error}", path.display()),
        }
    }
}

impl std::error::Error for RegenError {}

/// Reads and parses an inventory file.
pub fn read_inventory(path: &Path) -> Result<Inventory, RegenError> {
    let text = fs::read_to_string(path).map_err(|e| RegenError::Inventory {
        path: path.to_owned(),
        message: e.to_string(),
    })?;
    Inventory::from_json(&text).map_err(|e| RegenError::Inventory {
        path: path.to_owned(),
        message: e.to_string(),
    })
}

/// Every generated file of `panel`, in memory.
pub fn generate_panel(root: &Path, panel: &Panel) -> Result<Vec<GeneratedFile>, RegenError> {
    let inventory = read_inventory(&root.join(panel.inventory))?;
    match panel.emitter {
        Emitter::Soap => emit::soap::emit(
            &inventory,
            &emit::soap::Target {
                crate_dir: panel.crate_dir.to_owned(),
                crate_name: panel.crate_name.to_owned(),
                inventory_path: panel.inventory.to_owned(),
                releases: crate::inventories::releases(root, panel.name).map_err(|e| {
                    RegenError::Inventory {
                        path: root.join("inventories").join(panel.name).join("versions"),
                        message: e.to_string(),
                    }
                })?,
            },
        ),
        Emitter::Coremanager => emit::coremanager::emit(
            &inventory,
            &emit::coremanager::Target {
                crate_dir: panel.crate_dir.to_owned(),
                crate_name: panel.crate_name.to_owned(),
                inventory_path: panel.inventory.to_owned(),
            },
        ),
        Emitter::Rest {
            runtime,
            title,
            spec_license,
            api_prefix,
            secret_fields,
            support,
            quick_start,
        } => emit::rest::emit(
            &inventory,
            &emit::rest::Target {
                crate_dir: panel.crate_dir.to_owned(),
                crate_name: panel.crate_name.to_owned(),
                inventory_path: panel.inventory.to_owned(),
                runtime: runtime.to_owned(),
                title: title.to_owned(),
                spec_license: spec_license.to_owned(),
                api_prefix: api_prefix.to_owned(),
                secret_fields: secret_fields.iter().map(|s| (*s).to_owned()).collect(),
                support: support.to_runtime(),
                quick_start: quick_start.to_owned(),
            },
        ),
    }
    .map(|mut files| {
        files.push(GeneratedFile {
            path: format!("{}/rustfmt.toml", panel.crate_dir),
            contents: emit::rustfmt_toml(panel.inventory),
        });
        files
    })
    .map_err(|error| RegenError::Emit {
        panel: panel.name,
        error,
    })
}

/// Every generated file of every panel, in memory, in [`PANELS`] order.
///
/// Panels are independent, so each is generated on its own thread: regen's
/// wall time is then about that of the largest panel, not the sum.
pub fn generate(root: &Path) -> Result<Vec<GeneratedFile>, RegenError> {
    let results: Vec<Result<Vec<GeneratedFile>, RegenError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = PANELS
            .iter()
            .map(|panel| scope.spawn(move || generate_panel(root, panel)))
            .collect();
        handles
            .into_iter()
            .map(|handle| match handle.join() {
                Ok(result) => result,
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    });
    let mut files = Vec::new();
    for result in results {
        files.extend(result?);
    }
    Ok(files)
}

/// A difference between what regeneration produces and what is on disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stale {
    /// The file should exist and does not.
    Missing(String),
    /// The file exists with other contents.
    Differs(String),
    /// A generated file exists that regeneration no longer produces.
    Extra(String),
}

impl fmt::Display for Stale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stale::Missing(p) => write!(f, "missing: {p}"),
            Stale::Differs(p) => write!(f, "stale: {p}"),
            Stale::Extra(p) => write!(f, "no longer generated: {p}"),
        }
    }
}

/// Compares `files` with the disk under `root`.
pub fn check(root: &Path, files: &[GeneratedFile]) -> Result<Vec<Stale>, RegenError> {
    let mut stale = Vec::new();
    for file in files {
        let path = root.join(&file.path);
        match fs::read_to_string(&path) {
            Ok(text) if text == file.contents => {}
            Ok(_) => stale.push(Stale::Differs(file.path.clone())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                stale.push(Stale::Missing(file.path.clone()))
            }
            Err(error) => return Err(RegenError::Io { path, error }),
        }
    }
    for extra in orphans(root, files)? {
        stale.push(Stale::Extra(extra));
    }
    Ok(stale)
}

/// Writes the files that differ and removes orphaned generated files; returns
/// what changed.
pub fn write(root: &Path, files: &[GeneratedFile]) -> Result<Vec<Stale>, RegenError> {
    let changes = check(root, files)?;
    for change in &changes {
        match change {
            Stale::Missing(p) | Stale::Differs(p) => {
                let file = files
                    .iter()
                    .find(|f| &f.path == p)
                    .expect("change comes from files");
                let path = root.join(p);
                if let Some(dir) = path.parent() {
                    fs::create_dir_all(dir).map_err(|error| RegenError::Io {
                        path: dir.to_owned(),
                        error,
                    })?;
                }
                fs::write(&path, &file.contents).map_err(|error| RegenError::Io { path, error })?;
            }
            Stale::Extra(p) => {
                let path = root.join(p);
                fs::remove_file(&path).map_err(|error| RegenError::Io { path, error })?;
            }
        }
    }
    Ok(changes)
}

/// Files under the generated crates' `src/` that carry the generated marker but
/// are not in `files`.
fn orphans(root: &Path, files: &[GeneratedFile]) -> Result<Vec<String>, RegenError> {
    let mut found = Vec::new();
    for panel in PANELS {
        let src = root.join(panel.crate_dir).join("src");
        walk(&src, &mut |path| {
            let rel = path
                .strip_prefix(root)
                .unwrap_or(path)
                .to_string_lossy()
                .replace('\\', "/");
            if files.iter().any(|f| f.path == rel) {
                return Ok(());
            }
            let text = fs::read_to_string(path).map_err(|error| RegenError::Io {
                path: path.to_owned(),
                error,
            })?;
            if text
                .lines()
                .next()
                .is_some_and(|l| l.contains(GENERATED_MARKER))
            {
                found.push(rel);
            }
            Ok(())
        })?;
    }
    found.sort();
    Ok(found)
}

fn walk(
    dir: &Path,
    visit: &mut dyn FnMut(&Path) -> Result<(), RegenError>,
) -> Result<(), RegenError> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(error) => {
            return Err(RegenError::Io {
                path: dir.to_owned(),
                error,
            })
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            walk(&path, visit)?;
        } else {
            visit(&path)?;
        }
    }
    Ok(())
}

/// The workspace root of the checkout this process runs in: the nearest
/// ancestor, with a `Cargo.toml` that declares `[workspace]`, of the
/// `CARGO_MANIFEST_DIR` cargo sets in the environment of `cargo run` and
/// `cargo test` (the package's directory), else of the current directory.
///
/// Found at run time, never baked in at compile time: with a target
/// directory shared by several clones (a global `CARGO_TARGET_DIR`), cargo
/// reuses a workspace member's binary built in one clone for another, and a
/// compile-time path would make `cargo xtask` act on the first clone.
///
/// # Panics
/// When neither place is inside a cargo workspace; [`find_workspace_root`]
/// answers the error instead.
pub fn workspace_root() -> PathBuf {
    find_workspace_root().unwrap_or_else(|e| panic!("{e}"))
}

/// [`workspace_root`], or why there is none.
pub fn find_workspace_root() -> Result<PathBuf, String> {
    let start = match std::env::var_os("CARGO_MANIFEST_DIR").filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => std::env::current_dir()
            .map_err(|e| format!("cannot read the current directory: {e}"))?,
    };
    start
        .ancestors()
        .find(|dir| {
            fs::read_to_string(dir.join("Cargo.toml")).is_ok_and(|t| t.contains("[workspace]"))
        })
        .map(Path::to_owned)
        .ok_or_else(|| {
            format!(
                "{} is not inside a cargo workspace (no ancestor has a Cargo.toml with \
                 [workspace]); run this from the panelkit checkout",
                start.display()
            )
        })
}
