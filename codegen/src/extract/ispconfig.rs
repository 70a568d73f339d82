//! The ISPConfig 3 frontend: PHP sources → inventory of remote methods.
//!
//! Mirrors the panel's dispatcher (`remoting_handler_base.inc.php`): it loads
//! `remote.d/*.inc.php` in glob order, then every module's
//! `web/*/lib/classes/remote.d/*.inc.php`; for each `remoting_<file>` class it
//! maps every public method name, inherited ones included, to that class,
//! overwriting earlier entries; finally `login`, `logout` and
//! `get_function_list` are mapped to the base `remoting` class. A method the
//! base class declares is therefore served by the base class as soon as any
//! later class inherits it — which is how `server_get` and `server_get_all`,
//! declared in both `remoting.inc.php` and `remote.d/server.inc.php`, end up
//! served by the base class.

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::php::{self, Class, Method, Visibility};
use crate::model::{
    Extractor, Inventory, Operation, Param, Protocol, Shadowed, Source, FORMAT_VERSION,
};

/// Bumped when the extractor's output for the same input changes.
pub const EXTRACTOR_VERSION: &str = "1";

/// Path of the classes directory inside an ISPConfig checkout; inventories use
/// it as the prefix of every location so checkouts and installs compare.
const CLASSES: &str = "interface/lib/classes";

/// Facts about the sources the caller knows and the files do not say.
#[derive(Clone, Debug, Default)]
pub struct SourceMeta {
    /// The panel version of the sources, e.g. `3.2.12p1`.
    pub upstream_version: String,
    /// Public repository (`owner/name`), if from one.
    pub repository: Option<String>,
    /// Release tag, if known.
    pub tag: Option<String>,
    /// Commit id, if known.
    pub commit: Option<String>,
}

/// Why extraction failed.
#[derive(Debug)]
pub enum ExtractError {
    /// The directory is neither a checkout nor a classes directory.
    NotIspconfig(PathBuf),
    /// A file could not be read.
    Io(PathBuf, std::io::Error),
    /// A file could not be scanned.
    Scan(String, php::ScanError),
    /// The sources lack something the dispatcher needs.
    Missing(String),
}

impl fmt::Display for ExtractError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExtractError::NotIspconfig(p) => write!(
                f,
                "{}: not an ISPConfig checkout or interface/lib/classes directory (no remoting.inc.php)",
                p.display()
            ),
            ExtractError::Io(p, e) => write!(f, "{}: {e}", p.display()),
            ExtractError::Scan(file, e) => write!(f, "{file}: {e}"),
            ExtractError::Missing(what) => f.write_str(what),
        }
    }
}

impl std::error::Error for ExtractError {}

/// One remote class file, as the dispatcher loads it.
struct Loaded {
    /// Location prefix (`interface/lib/classes/remote.d/dns.inc.php`).
    rel: String,
    /// File stem: the group (`dns`).
    stem: String,
    classes: Vec<Class>,
}

/// Extracts the inventory from a checkout root or a classes directory.
pub fn extract(source: &Path, meta: SourceMeta) -> Result<Inventory, ExtractError> {
    let classes_dir = locate_classes(source)?;
    let mut files = Vec::new();
    let mut hasher = Sha256::new();
    let mut read = |abs: &Path, rel: String| -> Result<String, ExtractError> {
        let bytes = fs::read(abs).map_err(|e| ExtractError::Io(abs.to_owned(), e))?;
        hasher.update(rel.as_bytes());
        hasher.update([0]);
        hasher.update(&bytes);
        hasher.update([0]);
        files.push(rel);
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    };

    let base_rel = format!("{CLASSES}/remoting.inc.php");
    let base_text = read(&classes_dir.join("remoting.inc.php"), base_rel.clone())?;
    let base_classes =
        php::scan(&base_text).map_err(|e| ExtractError::Scan(base_rel.clone(), e))?;
    let base = base_classes
        .into_iter()
        .find(|c| c.name == "remoting")
        .ok_or_else(|| ExtractError::Missing(format!("{base_rel}: no class remoting")))?;

    let mut loaded = Vec::new();
    for (abs, rel) in remote_files(&classes_dir)? {
        let text = read(&abs, rel.clone())?;
        let classes = php::scan(&text).map_err(|e| ExtractError::Scan(rel.clone(), e))?;
        let stem = abs
            .file_name()
            .and_then(|n| n.to_str())
            .map(|n| n.trim_end_matches(".inc.php").to_owned())
            .unwrap_or_default();
        loaded.push(Loaded { rel, stem, classes });
    }

    let operations = dispatch(&base_rel, &base, &loaded);
    Ok(Inventory {
        format: FORMAT_VERSION,
        panel: "ispconfig".to_owned(),
        upstream_version: meta.upstream_version,
        source: Source {
            repository: meta.repository,
            tag: meta.tag,
            commit: meta.commit,
            root: CLASSES.to_owned(),
            sha256: hex(&hasher.finalize()),
            files,
        },
        extractor: Extractor {
            name: "ispconfig-php".to_owned(),
            version: EXTRACTOR_VERSION.to_owned(),
        },
        operations,
        types: BTreeMap::new(),
    })
}

/// The classes directory for a checkout root or the directory itself.
fn locate_classes(source: &Path) -> Result<PathBuf, ExtractError> {
    for candidate in [source.join(CLASSES), source.to_owned()] {
        if candidate.join("remoting.inc.php").is_file() {
            return Ok(candidate);
        }
    }
    Err(ExtractError::NotIspconfig(source.to_owned()))
}

/// `remote.d/*.inc.php`, then `../../web/*/lib/classes/remote.d/*.inc.php`,
/// each glob sorted bytewise like PHP's `glob()`.
fn remote_files(classes_dir: &Path) -> Result<Vec<(PathBuf, String)>, ExtractError> {
    let mut out = Vec::new();
    for (abs, name) in sorted_entries(&classes_dir.join("remote.d"))? {
        if name.ends_with(".inc.php") {
            out.push((abs, format!("{CLASSES}/remote.d/{name}")));
        }
    }
    let web = classes_dir.join("../../web");
    let mut module_files = Vec::new();
    for (module_dir, module) in sorted_entries(&web)? {
        if !module_dir.is_dir() {
            continue;
        }
        let dir = module_dir.join("lib/classes/remote.d");
        for (abs, name) in sorted_entries(&dir)? {
            if name.ends_with(".inc.php") {
                module_files.push((
                    abs,
                    format!("interface/web/{module}/lib/classes/remote.d/{name}"),
                ));
            }
        }
    }
    // glob() sorts the whole match list by path.
    module_files.sort_by(|a, b| a.1.as_bytes().cmp(b.1.as_bytes()));
    out.extend(module_files);
    Ok(out)
}

fn sorted_entries(dir: &Path) -> Result<Vec<(PathBuf, String)>, ExtractError> {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(ExtractError::Io(dir.to_owned(), e)),
    };
    let mut out: Vec<(PathBuf, String)> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok().map(|n| (e.path(), n)))
        .collect();
    out.sort_by(|a, b| a.1.as_bytes().cmp(b.1.as_bytes()));
    Ok(out)
}

/// A public method and where it is declared.
#[derive(Clone)]
struct Declared<'a> {
    method: &'a Method,
    class: &'a str,
    rel: &'a str,
    group: &'a str,
}

/// What `get_class_methods` returns from outside a class: its public methods,
/// then the inherited public ones it does not override.
fn class_methods<'a>(
    class: &'a Class,
    rel: &'a str,
    group: &'a str,
    base_methods: &[Declared<'a>],
) -> Vec<Declared<'a>> {
    let mut out: Vec<Declared<'a>> = class
        .methods
        .iter()
        .filter(|m| m.visibility == Visibility::Public)
        .map(|m| Declared {
            method: m,
            class: &class.name,
            rel,
            group,
        })
        .collect();
    if class.extends.as_deref() == Some("remoting") {
        for inherited in base_methods {
            if !out
                .iter()
                .any(|d| d.method.name.eq_ignore_ascii_case(&inherited.method.name))
            {
                out.push(inherited.clone());
            }
        }
    }
    out
}

fn dispatch(base_rel: &str, base: &Class, loaded: &[Loaded]) -> Vec<Operation> {
    let base_methods: Vec<Declared<'_>> = base
        .methods
        .iter()
        .filter(|m| m.visibility == Visibility::Public)
        .map(|m| Declared {
            method: m,
            class: "remoting",
            rel: base_rel,
            group: "remoting",
        })
        .collect();
    // The dispatcher's map: method name → serving declaration; plus every
    // public declaration per name, to report the ones that lost.
    let mut served: BTreeMap<String, Declared<'_>> = BTreeMap::new();
    let mut declarations: BTreeMap<String, Vec<Declared<'_>>> = BTreeMap::new();
    for d in &base_methods {
        declarations
            .entry(d.method.name.clone())
            .or_default()
            .push(d.clone());
    }
    for file in loaded {
        let class_name = format!("remoting_{}", file.stem);
        // The dispatcher only instantiates the class named after the file.
        let Some(class) = file
            .classes
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(&class_name))
        else {
            continue;
        };
        for m in class
            .methods
            .iter()
            .filter(|m| m.visibility == Visibility::Public)
        {
            declarations
                .entry(m.name.clone())
                .or_default()
                .push(Declared {
                    method: m,
                    class: &class.name,
                    rel: &file.rel,
                    group: &file.stem,
                });
        }
        for d in class_methods(class, &file.rel, &file.stem, &base_methods) {
            served.insert(d.method.name.clone(), d);
        }
    }
    for name in ["login", "logout", "get_function_list"] {
        if let Some(d) = base_methods.iter().find(|d| d.method.name == name) {
            served.insert(name.to_owned(), d.clone());
        }
    }
    served
        .into_iter()
        .filter(|(name, _)| !name.starts_with("__"))
        .map(|(name, winner)| {
            let shadowed = declarations
                .get(&name)
                .into_iter()
                .flatten()
                .filter(|d| !(d.rel == winner.rel && d.method.line == winner.method.line))
                .map(|d| Shadowed {
                    source_location: format!("{}:{}", d.rel, d.method.line),
                    class: d.class.to_owned(),
                    reason: shadow_reason(&winner, d),
                })
                .collect();
            operation(&winner, shadowed)
        })
        .collect()
}

fn shadow_reason(winner: &Declared<'_>, loser: &Declared<'_>) -> String {
    if winner.class == "remoting" {
        format!(
            "remote.d classes loaded after {} inherit remoting::{} and overwrite the dispatcher's entry",
            loser.class, winner.method.name
        )
    } else {
        format!(
            "{} is loaded later and overwrites the dispatcher's entry",
            winner.class
        )
    }
}

fn operation(d: &Declared<'_>, shadowed: Vec<Shadowed>) -> Operation {
    let m = d.method;
    let session = m
        .params
        .first()
        .is_some_and(|p| matches!(p.name.as_str(), "session_id" | "sessionid"));
    Operation {
        name: m.name.clone(),
        summary: m.doc.as_deref().and_then(php::doc_summary),
        source_location: format!("{}:{}", d.rel, m.line),
        group: d.group.to_owned(),
        params: m
            .params
            .iter()
            .map(|p| Param {
                name: p.name.clone(),
                ty: p.ty.clone(),
                required: p.default.is_none() && !p.variadic,
                default: p.default.clone(),
                by_ref: p.by_ref,
            })
            .collect(),
        returns: m.doc.as_deref().and_then(php::doc_return),
        protocol: Protocol::Soap {
            class: d.class.to_owned(),
            session,
            shadowed,
        },
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
