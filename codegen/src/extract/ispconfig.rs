//! The ISPConfig 3 frontend: PHP sources → inventory of remote methods.
//!
//! It reads what the panel's dispatcher (`remoting_handler_base.inc.php`)
//! loads — `remoting.inc.php`, `remote.d/*.inc.php` in glob order, then every
//! module's `web/*/lib/classes/remote.d/*.inc.php` — and resolves the method
//! map the same way (`dispatch`). A method the base class declares is
//! therefore served by the base class as soon as a later class inherits it:
//! that is how `server_get` and `server_get_all`, declared in both
//! `remoting.inc.php` and `remote.d/server.inc.php`, end up served by
//! `remoting`, with the `remoting_server` declarations recorded as shadowed.

mod dispatch;
mod faults;
mod files;
mod forms;
mod links;
mod permissions;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::php;
use crate::fixups;
use crate::model::{
    AlternativeForm, Extractor, FormAccess, FormLink, Inventory, Operation, Param, PermissionCheck,
    Protocol, Shadowed, Source, FORMAT_VERSION,
};
use dispatch::{Decl, Scanned, Served, BASE};

/// Extractor name recorded in inventories.
pub const EXTRACTOR_NAME: &str = "ispconfig-php";

/// Bumped when the extractor's output for the same input changes.
/// 2: `sha256` over the files sorted by path, as the model documents.
/// 3: form links and form definitions (`*.tform.php` files are inputs too).
/// 4: secrecy classes of `PASSWORD` fields (the named fixups of
/// [`crate::fixups::ispconfig`] are applied by [`classify_secrets`]).
/// 5: each method's permission checks (`web/*/lib/remote.conf.php` files
///    are inputs too).
/// 6: each method's faults (code and message), its own and those of the
///    methods it calls on `$this`.
pub const EXTRACTOR_VERSION: &str = "6";

/// Path of the classes directory inside an ISPConfig checkout; inventories use
/// it as the prefix of every location so checkouts and installs compare.
const CLASSES: &str = "interface/lib/classes";

/// The group of the base class's methods.
const BASE_GROUP: &str = "remoting";

/// Facts about the sources that the caller knows and the files do not say.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
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
#[non_exhaustive]
pub enum ExtractError {
    /// The directory has no `remoting.inc.php`, neither directly nor under
    /// `interface/lib/classes`.
    NotIspconfig(PathBuf),
    /// A file or directory could not be read.
    Io(PathBuf, std::io::Error),
    /// A file could not be scanned (path relative to the checkout root).
    Scan(String, php::ScanError),
    /// `remoting.inc.php` does not declare the base class `remoting`.
    NoBaseClass(String),
    /// A secret classification ([`crate::fixups::ispconfig`]) no longer
    /// applies.
    Fixup(String),
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
            ExtractError::NoBaseClass(file) => write!(f, "{file}: no class {BASE}"),
            ExtractError::Fixup(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for ExtractError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ExtractError::Io(_, e) => Some(e),
            ExtractError::Scan(_, e) => Some(e),
            _ => None,
        }
    }
}

/// Extracts the inventory from an ISPConfig checkout root or from a classes
/// directory (`/usr/local/ispconfig/interface/lib/classes` on a panel).
/// Locations are `interface/lib/classes/...` either way, so inventories of a
/// checkout and an install compare equal.
pub fn extract(source_dir: &Path, meta: SourceMeta) -> Result<Inventory, ExtractError> {
    extract_with_notes(source_dir, meta).map(|(inventory, _)| inventory)
}

/// Like [`extract`], with one line per method the extractor could not link
/// to its form (and per form it could not read), saying why.
pub fn extract_with_notes(
    source_dir: &Path,
    meta: SourceMeta,
) -> Result<(Inventory, Vec<String>), ExtractError> {
    let classes_dir = files::locate_classes(source_dir)?;
    let base_rel = format!("{CLASSES}/remoting.inc.php");
    let mut inputs = vec![(classes_dir.join("remoting.inc.php"), base_rel.clone(), None)];
    for f in files::remote_files(&classes_dir)? {
        let class = format!("{BASE}_{}", f.stem);
        inputs.push((f.abs, f.rel, Some((f.stem, class))));
    }

    let mut scanned = Vec::with_capacity(inputs.len());
    let mut contents = Vec::with_capacity(inputs.len());
    let mut texts = Vec::with_capacity(inputs.len());
    for (abs, rel, dispatched) in inputs {
        let bytes = fs::read(&abs).map_err(|e| ExtractError::Io(abs.clone(), e))?;
        // Upstream files are UTF-8 (or ASCII); a stray byte must not stop
        // the scan, and never lands in a name we keep.
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let classes = php::scan(&text).map_err(|e| ExtractError::Scan(rel.clone(), e))?;
        texts.push(text);
        let (group, dispatched_class) = match dispatched {
            Some((stem, class)) => (stem, Some(class)),
            None => (BASE_GROUP.to_owned(), None),
        };
        contents.push((rel.clone(), bytes));
        scanned.push(Scanned {
            rel,
            group,
            dispatched_class,
            classes,
        });
    }
    if !scanned[0]
        .classes
        .iter()
        .any(|c| c.name.eq_ignore_ascii_case(BASE))
    {
        return Err(ExtractError::NoBaseClass(base_rel));
    }

    // The form library the methods call as `$app->remoting_lib`: it throws
    // faults of its own (`invalid_id`, `invalid_client_id`).
    let lib_rel = format!("{CLASSES}/remoting_lib.inc.php");
    let lib_abs = classes_dir.join("remoting_lib.inc.php");
    let lib_text = match fs::read(&lib_abs) {
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            contents.push((lib_rel.clone(), bytes));
            Some(text)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(ExtractError::Io(lib_abs, e)),
    };
    let lib_classes = match &lib_text {
        Some(text) => php::scan(text).map_err(|e| ExtractError::Scan(lib_rel.clone(), e))?,
        None => Vec::new(),
    };
    let lib = lib_text.as_deref().and_then(|text| {
        let class = lib_classes
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case("remoting_lib"))?;
        Some(Lib { class, text })
    });

    let mut notes = Vec::new();
    let mut world = links::World {
        classes: HashMap::new(),
        sources: HashMap::new(),
    };
    for (file, text) in scanned.iter().zip(&texts) {
        for class in &file.classes {
            world
                .classes
                .entry(class.name.to_ascii_lowercase())
                .or_insert((class, file.rel.as_str()));
        }
        let source =
            php::value::Source::new(text).map_err(|e| ExtractError::Scan(file.rel.clone(), e))?;
        world.sources.insert(file.rel.as_str(), source);
    }
    let file_texts: HashMap<&str, &str> = scanned
        .iter()
        .zip(&texts)
        .map(|(file, text)| (file.rel.as_str(), text.as_str()))
        .collect();
    let mut operations: Vec<Operation> = Vec::new();
    let mut checked: HashMap<String, Vec<String>> = HashMap::new();
    let mut calls: HashMap<String, Vec<String>> = HashMap::new();
    for (name, served) in dispatch::resolve(&scanned) {
        let form = link(&world, &name, &served, &mut notes);
        let body = served
            .decl
            .method
            .body
            .clone()
            .and_then(|span| file_texts.get(served.decl.rel)?.get(span));
        checked.insert(
            name.clone(),
            body.map(permissions::checked).unwrap_or_default(),
        );
        calls.insert(
            name.clone(),
            body.map(permissions::this_calls).unwrap_or_default(),
        );
        let mut op = operation(&name, &served, form);
        #[allow(irrefutable_let_patterns)]
        if let Protocol::Soap { faults, .. } = &mut op.protocol {
            *faults = thrown_by(&world, &file_texts, lib.as_ref(), served.host, &name);
        }
        operations.push(op);
    }
    // A remote method that calls another one on `$this` passes that one's
    // checks too (`client_get_by_groupid` → `client_get`).
    let own = checked.clone();
    for (name, callees) in &calls {
        for callee in callees.iter().filter(|c| *c != name) {
            for function in own.get(callee).into_iter().flatten() {
                let list = checked.entry(name.clone()).or_default();
                if !list.contains(function) {
                    list.push(function.clone());
                }
            }
        }
    }
    drop(world);

    let web_dir = classes_dir.join("../../web");
    let wanted: BTreeSet<String> = operations
        .iter()
        .filter_map(|op| match &op.protocol {
            Protocol::Soap { form: Some(l), .. } => Some(l),
            _ => None,
        })
        .flat_map(|l| {
            std::iter::once(l.form.clone()).chain(l.alternatives.iter().map(|a| a.form.clone()))
        })
        .collect();
    let mut forms = BTreeMap::new();
    let mut form_files = Vec::new();
    for path in wanted {
        let rel_to_web = path.trim_start_matches("interface/web/");
        let abs = web_dir.join(rel_to_web);
        let bytes = match fs::read(&abs) {
            Ok(b) => b,
            Err(e) => {
                notes.push(format!("{path}: cannot read the form: {e}"));
                continue;
            }
        };
        match forms::read(&String::from_utf8_lossy(&bytes)) {
            Ok(form) => {
                forms.insert(path.clone(), form);
                form_files.push(path.clone());
                contents.push((path, bytes));
            }
            Err(e) => notes.push(format!("{path}: cannot read the form: {}", e.0)),
        }
    }
    // A link to a form that could not be read is no link.
    for op in &mut operations {
        // Refutable once the model has other protocols.
        #[allow(irrefutable_let_patterns)]
        if let Protocol::Soap { form, .. } = &mut op.protocol {
            if let Some(l) = form {
                l.alternatives.retain(|a| forms.contains_key(&a.form));
                if !forms.contains_key(&l.form) {
                    notes.push(format!(
                        "{}: not linked: its form {} was not read",
                        op.name, l.form
                    ));
                    *form = None;
                }
            }
        }
    }

    let (conf_files, groups) = permissions::read(&web_dir)?;
    for op in &mut operations {
        #[allow(irrefutable_let_patterns)]
        if let Protocol::Soap {
            permissions,
            session,
            ..
        } = &mut op.protocol
        {
            let mut functions = checked.remove(&op.name).unwrap_or_default();
            // A name built at run time in a private helper
            // (`dns_rr_add`: `'dns_' . $type . '_add'`) is no literal; such
            // methods are checked by their own name, which is how
            // remote.conf.php lists them. (`login` takes no session and
            // checks nothing, though a group lists it.)
            if functions.is_empty() && *session && groups.contains_key(&op.name) {
                functions.push(op.name.clone());
            }
            for function in functions {
                match groups.get(&function) {
                    Some(allowing) => permissions.push(PermissionCheck {
                        function,
                        groups: allowing.clone(),
                    }),
                    None => notes.push(format!(
                        "{}: checks permission {function}, which no remote.conf.php lists",
                        op.name
                    )),
                }
            }
        }
    }

    let mut files: Vec<String> = scanned.into_iter().map(|s| s.rel).collect();
    if lib_text.is_some() {
        files.push(lib_rel);
    }
    files.extend(form_files);
    for conf in conf_files {
        files.push(conf.rel.clone());
        contents.push((conf.rel, conf.bytes));
    }
    let inventory = Inventory {
        format: FORMAT_VERSION,
        panel: "ispconfig".to_owned(),
        upstream_version: meta.upstream_version,
        source: Source {
            repository: meta.repository,
            tag: meta.tag,
            commit: meta.commit,
            root: CLASSES.to_owned(),
            sha256: digest(&mut contents),
            files,
        },
        extractor: Extractor {
            name: EXTRACTOR_NAME.to_owned(),
            version: EXTRACTOR_VERSION.to_owned(),
        },
        operations,
        types: BTreeMap::new(),
        forms,
        answer_secrets: BTreeMap::new(),
    };
    Ok((inventory, notes))
}

/// Applies the secret classification of [`crate::fixups::ispconfig`] to an
/// inventory extracted from `source_dir`, reading the upstream files each
/// entry cites; an error names the first entry that no longer applies.
/// `cargo xtask extract ispconfig` runs it after [`extract_with_notes`].
pub fn classify_secrets(inventory: &mut Inventory, source_dir: &Path) -> Result<(), ExtractError> {
    let classes_dir = files::locate_classes(source_dir)?;
    let web_dir = classes_dir.join("../../web");
    let read = |rel: &str| -> Option<String> {
        let abs = match rel.strip_prefix("interface/web/") {
            Some(web) => web_dir.join(web),
            None => classes_dir.join(rel.strip_prefix(&format!("{CLASSES}/"))?),
        };
        fs::read(abs)
            .ok()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
    };
    fixups::ispconfig::apply(inventory, &read).map_err(ExtractError::Fixup)
}

/// The form library (`remoting_lib.inc.php`), as far as its faults go.
struct Lib<'a> {
    class: &'a php::Class,
    text: &'a str,
}

/// The faults `method` raises when the dispatcher runs it on an object of
/// class `host`: its own and, transitively, those of the methods it calls on
/// `$this` (resolved along `host`'s `extends` chain) and on
/// `$app->remoting_lib`, in the order met.
fn thrown_by(
    world: &links::World<'_>,
    texts: &HashMap<&str, &str>,
    lib: Option<&Lib<'_>>,
    host: &str,
    method: &str,
) -> Vec<crate::model::FaultThrow> {
    let mut out = Vec::new();
    let mut seen: BTreeSet<(bool, String)> = BTreeSet::new();
    // (in the form library?, method name)
    let mut queue = std::collections::VecDeque::from([(false, method.to_owned())]);
    while let Some((in_lib, name)) = queue.pop_front() {
        if !seen.insert((in_lib, name.to_ascii_lowercase())) {
            continue;
        }
        let body = if in_lib {
            lib.and_then(|lib| {
                let m = lib
                    .class
                    .methods
                    .iter()
                    .find(|m| m.name.eq_ignore_ascii_case(&name))?;
                lib.text.get(m.body.clone()?)
            })
        } else {
            body_in_chain(world, texts, host, &name)
        };
        let Some(body) = body else {
            continue;
        };
        for fault in faults::thrown(body) {
            if !out.contains(&fault) {
                out.push(fault);
            }
        }
        let lib_calls = faults::lib_calls(body);
        queue.extend(
            permissions::this_calls(body)
                .into_iter()
                .map(|m| (in_lib, m))
                .chain(lib_calls.into_iter().map(|m| (true, m))),
        );
    }
    out
}

/// The body of `method` as `$this->method()` finds it on an object of class
/// `class`: the class's own declaration, else its parent's, and so on.
fn body_in_chain<'t>(
    world: &links::World<'_>,
    texts: &HashMap<&str, &'t str>,
    class: &str,
    method: &str,
) -> Option<&'t str> {
    let mut current = class.to_ascii_lowercase();
    // A bound on the chain, in case of a cycle in broken sources.
    for _ in 0..32 {
        let (class, rel) = world.classes.get(&current)?;
        if let Some(m) = class
            .methods
            .iter()
            .find(|m| m.name.eq_ignore_ascii_case(method))
        {
            return texts.get(rel)?.get(m.body.clone()?);
        }
        current = class.extends.as_deref()?.to_ascii_lowercase();
    }
    None
}

/// The form link of a served method, or `None` (with a note when the method
/// does use forms but the extractor could not tell which).
fn link(
    world: &links::World<'_>,
    name: &str,
    served: &Served<'_>,
    notes: &mut Vec<String>,
) -> Option<FormLink> {
    let decl = &served.decl;
    let (class, _) = world.classes.get(&decl.class.to_ascii_lowercase())?;
    let uses = world.uses(links::MethodRef {
        class,
        method: decl.method,
        rel: decl.rel,
    });
    if !uses.unresolved.is_empty() {
        notes.push(format!(
            "{name}: not linked: {}",
            uses.unresolved.join("; ")
        ));
        return None;
    }
    // The main form: used at the best rank (see `links::Use::rank`).
    let best = uses.uses.iter().map(|u| u.rank).min()?;
    let main: Vec<&links::Use> = uses.uses.iter().filter(|u| u.rank == best).collect();
    let mut distinct: Vec<&Vec<links::Alt>> = Vec::new();
    for u in &main {
        if !distinct.contains(&&u.alts) {
            distinct.push(&u.alts);
        }
    }
    let alts = match distinct.as_slice() {
        [] => return None,
        [one] => *one,
        many => {
            let list: Vec<String> = many
                .iter()
                .map(|a| {
                    a.iter()
                        .map(|x| x.text.as_str())
                        .collect::<Vec<_>>()
                        .join(" | ")
                })
                .collect();
            notes.push(format!(
                "{name}: not linked: uses several forms: {}",
                list.join(", ")
            ));
            return None;
        }
    };
    let mut primary = None;
    let mut alternatives = Vec::new();
    for alt in alts {
        let Some(path) = links::checkout_path(&alt.text) else {
            notes.push(format!(
                "{name}: not linked: {} is not a form under interface/web",
                alt.text
            ));
            return None;
        };
        match &alt.when {
            None if primary.is_none() => primary = Some(path),
            None => {
                notes.push(format!("{name}: not linked: two unconditional forms"));
                return None;
            }
            Some(when) => alternatives.push(AlternativeForm {
                form: path,
                when: when.clone(),
            }),
        }
    }
    let Some(form) = primary else {
        notes.push(format!("{name}: not linked: every form is conditional"));
        return None;
    };
    let mut access: Vec<FormAccess> = uses
        .uses
        .iter()
        .filter(|u| u.alts == *alts)
        .map(|u| u.access)
        .collect();
    access.sort();
    access.dedup();
    Some(FormLink {
        form,
        access,
        alternatives,
    })
}

/// SHA-256 over the files sorted by path; each contributes its path, a NUL,
/// its bytes and a NUL (the definition in [`crate::model::Source`]).
fn digest(files: &mut [(String, Vec<u8>)]) -> String {
    files.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut hasher = Sha256::new();
    for (rel, bytes) in files.iter() {
        hasher.update(rel.as_bytes());
        hasher.update([0]);
        hasher.update(bytes);
        hasher.update([0]);
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn operation(name: &str, served: &Served<'_>, form: Option<FormLink>) -> Operation {
    let winner: &Decl<'_> = &served.decl;
    let m = winner.method;
    let shadowed = served
        .declarations
        .iter()
        .filter(|d| d.location() != winner.location())
        .map(|d| Shadowed {
            source_location: d.location(),
            class: d.class.to_owned(),
            reason: dispatch::shadow_reason(name, winner, served.host, d),
        })
        .collect();
    let session = m
        .params
        .first()
        .is_some_and(|p| matches!(p.name.as_str(), "session_id" | "sessionid"));
    Operation {
        name: name.to_owned(),
        summary: m.doc.as_deref().and_then(php::doc_summary),
        source_location: winner.location(),
        group: winner.group.to_owned(),
        params: m
            .params
            .iter()
            .map(|p| Param {
                name: p.name.clone(),
                ty: p.ty.clone(),
                // PHP never requires a variadic: it may receive nothing.
                required: p.default.is_none() && !p.variadic,
                default: p.default.clone(),
                by_ref: p.by_ref,
                ..Param::default()
            })
            .collect(),
        returns: m.doc.as_deref().and_then(php::doc_return),
        protocol: Protocol::Soap {
            class: winner.class.to_owned(),
            session,
            shadowed,
            form,
            permissions: Vec::new(),
            faults: Vec::new(),
        },
    }
}
