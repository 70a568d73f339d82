//! The pins lockfile of a panel, `crates/panelkit/pins/<panel>.lock`: for
//! every upstream method a helper wraps, the facts it was audited against
//! (readable signature, hash, linked forms) and the helpers that wrap it,
//! then each linked form's field set once. Written by `cargo xtask pins`
//! from the inventory and the helper → method table ([`super::source`]),
//! sorted, one fact per line, so a re-audit is reviewed as a plain diff.
//!
//! ```text
//! panel ispconfig
//! upstream 3.2.12p1
//!
//! method dns_a_add
//!   signature dns_a_add(session_id, client_id, params, update_serial = false)
//!   hash sha256:…
//!   form interface/web/dns/form/dns_a.tform.php
//!   helper Dns::add
//!
//! form interface/web/dns/form/dns_a.tform.php
//!   active: VARCHAR CHECKBOX [N, Y]
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use super::source::{self, Mapping};
use super::{facts, form_fields, linked_forms};
use crate::model::Inventory;

/// The panels with an audited overlay module, `crates/panelkit/src/<panel>`.
pub const PANELS: &[&str] = &["dcimanager", "ionos", "ispconfig", "ispmanager", "sftpgo"];

/// One helper's audit of one upstream method, whatever the protocol.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pin {
    /// The overlay helper (`Dns::add`).
    pub helper: String,
    /// The upstream method, operation or function it calls (`dns_a_add`).
    pub method: String,
    /// The signature it was audited against (`super::facts`).
    pub signature: String,
    /// Its hash.
    pub hash: String,
    /// The forms the method reads or writes through, with the field sets
    /// audited (ISPConfig; empty elsewhere).
    pub forms: Vec<(String, Vec<String>)>,
}

/// What a lock holds of one method.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Locked {
    /// [`Pin::signature`].
    pub signature: String,
    /// [`Pin::hash`].
    pub hash: String,
    /// The linked forms, in link order.
    pub forms: Vec<String>,
    /// The helpers that wrap the method.
    pub helpers: BTreeSet<String>,
}

/// A panel's lock.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lock {
    /// The panel (`ispconfig`).
    pub panel: String,
    /// The upstream version the helpers were audited against.
    pub upstream: String,
    /// Every wrapped method.
    pub methods: BTreeMap<String, Locked>,
    /// Every linked form's field lines (`super::field_line`).
    pub forms: BTreeMap<String, Vec<String>>,
}

/// Where a panel's files are, under the workspace root.
#[derive(Clone, Debug)]
pub struct Paths {
    /// The committed inventory.
    pub inventory: PathBuf,
    /// The overlay module's directory.
    pub overlay: PathBuf,
    /// The helper → method table.
    pub table: PathBuf,
    /// The lock.
    pub lock: PathBuf,
}

impl Paths {
    /// The paths of `panel` under `root`.
    pub fn of(root: &Path, panel: &str) -> Paths {
        let overlay = root.join("crates/panelkit/src").join(panel);
        Paths {
            inventory: crate::inventories::current_path(root, panel),
            table: overlay.join("pins.rs"),
            overlay,
            lock: root
                .join("crates/panelkit/pins")
                .join(format!("{panel}.lock")),
        }
    }
}

impl Lock {
    /// The lock `inventory` and `mapping` make: what `--accept` writes.
    /// Fails when a mapped method is not in the inventory (nothing to audit).
    pub fn make(panel: &str, inventory: &Inventory, mapping: &Mapping) -> Result<Lock, String> {
        let mut lock = Lock {
            panel: panel.to_owned(),
            upstream: inventory.upstream_version.clone(),
            ..Lock::default()
        };
        for (helper, methods) in mapping {
            for method in methods {
                let op = inventory.operation(method).ok_or_else(|| {
                    format!("{helper} pins {method}, which the {panel} inventory does not have")
                })?;
                let entry = lock.methods.entry(method.clone()).or_insert_with(|| {
                    let (signature, hash) = facts(inventory, op);
                    Locked {
                        signature,
                        hash,
                        forms: linked_forms(op).into_iter().map(str::to_owned).collect(),
                        helpers: BTreeSet::new(),
                    }
                });
                entry.helpers.insert(helper.clone());
            }
        }
        for locked in lock.methods.values() {
            for form in &locked.forms {
                let fields = form_fields(inventory, form).unwrap_or_default();
                lock.forms.insert(form.clone(), fields);
            }
        }
        Ok(lock)
    }

    /// Every pin the lock holds, by method then helper.
    pub fn pins(&self) -> Vec<Pin> {
        let mut out = Vec::new();
        for (method, locked) in &self.methods {
            for helper in &locked.helpers {
                out.push(Pin {
                    helper: helper.clone(),
                    method: method.clone(),
                    signature: locked.signature.clone(),
                    hash: locked.hash.clone(),
                    forms: locked
                        .forms
                        .iter()
                        .map(|f| (f.clone(), self.forms.get(f).cloned().unwrap_or_default()))
                        .collect(),
                });
            }
        }
        out
    }

    /// The lock as its file's text.
    pub fn render(&self) -> String {
        let mut out = format!(
            "# Audit pins of panelkit::{p}, written by `cargo xtask pins` from\n\
             # inventories/{p}/inventory.json and crates/panelkit/src/{p}/pins.rs.\n\
             # Do not edit: re-audit the helpers `cargo xtask pins --check` names, then run\n\
             # `cargo xtask pins --accept` and review this file's diff.\n\
             panel {p}\nupstream {}\n",
            self.upstream,
            p = self.panel
        );
        for (method, locked) in &self.methods {
            out.push_str(&format!(
                "\nmethod {method}\n  signature {}\n  hash {}\n",
                locked.signature, locked.hash
            ));
            for form in &locked.forms {
                out.push_str(&format!("  form {form}\n"));
            }
            for helper in &locked.helpers {
                out.push_str(&format!("  helper {helper}\n"));
            }
        }
        for (form, fields) in &self.forms {
            out.push_str(&format!("\nform {form}\n"));
            for field in fields {
                out.push_str(&format!("  {field}\n"));
            }
        }
        out
    }

    /// Reads a lock's text; errors name the line.
    pub fn parse(text: &str) -> Result<Lock, String> {
        enum At {
            Top,
            Method(String),
            Form(String),
        }
        let mut lock = Lock::default();
        let mut at = At::Top;
        for (n, line) in text.lines().enumerate() {
            let bad = || format!("line {}: cannot read {line:?}", n + 1);
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            if let Some(fact) = line.strip_prefix("  ") {
                match &at {
                    At::Top => return Err(bad()),
                    At::Method(m) => {
                        let locked = lock.methods.entry(m.clone()).or_default();
                        let (key, value) = fact.split_once(' ').ok_or_else(bad)?;
                        match key {
                            "signature" => locked.signature = value.to_owned(),
                            "hash" => locked.hash = value.to_owned(),
                            "form" => locked.forms.push(value.to_owned()),
                            "helper" => {
                                locked.helpers.insert(value.to_owned());
                            }
                            _ => return Err(bad()),
                        }
                    }
                    At::Form(f) => lock
                        .forms
                        .entry(f.clone())
                        .or_default()
                        .push(fact.to_owned()),
                }
                continue;
            }
            let (key, value) = line.split_once(' ').ok_or_else(bad)?;
            match key {
                "panel" => lock.panel = value.to_owned(),
                "upstream" => lock.upstream = value.to_owned(),
                "method" => {
                    lock.methods.entry(value.to_owned()).or_default();
                    at = At::Method(value.to_owned());
                }
                "form" => {
                    lock.forms.entry(value.to_owned()).or_default();
                    at = At::Form(value.to_owned());
                }
                _ => return Err(bad()),
            }
        }
        Ok(lock)
    }
}

/// An upstream method that no longer has the facts its helper was audited
/// against.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Drift {
    /// The overlay helper.
    pub helper: String,
    /// The upstream method.
    pub method: String,
    /// The audited signature and hash.
    pub old: String,
    /// The inventory's, or `None` when the method is gone.
    pub new: Option<String>,
    /// Form field changes, audited → inventory: `form PATH: - field x: ...`,
    /// `+ field y: ...`, `~ field z: old → new`, or a form no longer (or
    /// newly) linked.
    pub fields: Vec<String>,
}

/// What `cargo xtask pins --check` reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Finding {
    /// The inventory moved under an audited pin.
    Drift(Drift),
    /// The table pins a helper to a method the lock has not audited for it.
    Unaudited {
        /// The helper.
        helper: String,
        /// The method.
        method: String,
    },
    /// The lock has a pin the table no longer has.
    Stale {
        /// The helper.
        helper: String,
        /// The method.
        method: String,
    },
    /// A helper of the overlay that the table does not pin.
    Unpinned(String),
    /// A helper the table pins that the overlay does not define.
    NoSuchHelper(String),
    /// The inventory is another upstream version than the audited one.
    Version {
        /// The lock's.
        audited: String,
        /// The inventory's.
        inventory: String,
    },
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Finding::Drift(d) => {
                write!(
                    f,
                    "helper `{}` wraps `{}`, audited against\n    old: {}\n    new: {}",
                    d.helper,
                    d.method,
                    d.old,
                    d.new
                        .as_deref()
                        .unwrap_or("(method removed from the inventory)")
                )?;
                for line in &d.fields {
                    write!(f, "\n    {line}")?;
                }
                Ok(())
            }
            Finding::Unaudited { helper, method } => write!(
                f,
                "helper `{helper}` wraps `{method}` (pins table), which the lock has not audited for it"
            ),
            Finding::Stale { helper, method } => write!(
                f,
                "the lock pins helper `{helper}` to `{method}`, which the pins table no longer does"
            ),
            Finding::Unpinned(helper) => write!(
                f,
                "helper `{helper}` is not in the pins table: add the upstream methods it calls"
            ),
            Finding::NoSuchHelper(helper) => {
                write!(f, "the pins table names `{helper}`, which the overlay does not define")
            }
            Finding::Version { audited, inventory } => write!(
                f,
                "the inventory is upstream {inventory}, the helpers were audited against {audited}"
            ),
        }
    }
}

/// Everything `lock` no longer matches: the inventory's facts of each pinned
/// method, the pins table, and the overlay's helpers (`None`: not checked).
pub fn check(
    lock: &Lock,
    mapping: &Mapping,
    inventory: &Inventory,
    helpers: Option<&BTreeSet<String>>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    if lock.upstream != inventory.upstream_version {
        out.push(Finding::Version {
            audited: lock.upstream.clone(),
            inventory: inventory.upstream_version.clone(),
        });
    }
    for pin in lock.pins() {
        let old = format!("{}  [{}]", pin.signature, pin.hash);
        let drift = match inventory.operation(&pin.method) {
            None => Some(Drift {
                helper: pin.helper.clone(),
                method: pin.method.clone(),
                old,
                new: None,
                fields: Vec::new(),
            }),
            Some(op) => {
                let (signature, hash) = facts(inventory, op);
                (hash != pin.hash).then(|| Drift {
                    helper: pin.helper.clone(),
                    method: pin.method.clone(),
                    old,
                    new: Some(format!("{signature}  [{hash}]")),
                    fields: field_changes(inventory, &linked_forms(op), &pin.forms),
                })
            }
        };
        out.extend(drift.map(Finding::Drift));
    }
    let locked: BTreeSet<(&str, &str)> = lock
        .methods
        .iter()
        .flat_map(|(m, l)| l.helpers.iter().map(move |h| (h.as_str(), m.as_str())))
        .collect();
    let mapped: BTreeSet<(&str, &str)> = mapping
        .iter()
        .flat_map(|(h, ms)| ms.iter().map(move |m| (h.as_str(), m.as_str())))
        .collect();
    for (helper, method) in mapped.difference(&locked) {
        out.push(Finding::Unaudited {
            helper: (*helper).to_owned(),
            method: (*method).to_owned(),
        });
    }
    for (helper, method) in locked.difference(&mapped) {
        out.push(Finding::Stale {
            helper: (*helper).to_owned(),
            method: (*method).to_owned(),
        });
    }
    if let Some(helpers) = helpers {
        for helper in helpers.iter().filter(|h| !mapping.contains_key(*h)) {
            out.push(Finding::Unpinned(helper.clone()));
        }
        for helper in mapping.keys().filter(|h| !helpers.contains(*h)) {
            out.push(Finding::NoSuchHelper(helper.clone()));
        }
    }
    out
}

/// What changed between the audited forms and the inventory's forms.
fn field_changes(
    inventory: &Inventory,
    now: &[&str],
    audited: &[(String, Vec<String>)],
) -> Vec<String> {
    let mut out = Vec::new();
    for (path, _) in audited {
        if !now.contains(&path.as_str()) {
            out.push(format!("form {path}: no longer linked"));
        }
    }
    for path in now {
        let Some((_, old_fields)) = audited.iter().find(|(p, _)| p == path) else {
            out.push(format!("form {path}: newly linked"));
            continue;
        };
        let Some(fields) = form_fields(inventory, path) else {
            out.push(format!("form {path}: missing from the inventory"));
            continue;
        };
        let name = |line: &str| line.split(':').next().unwrap_or_default().to_owned();
        for old in old_fields {
            match fields.iter().find(|l| name(l) == name(old)) {
                None => out.push(format!("form {path}: - field {old}")),
                Some(new) if new != old => {
                    let now = new.split_once(": ").map_or(new.as_str(), |(_, rest)| rest);
                    out.push(format!("form {path}: ~ field {old} → {now}"));
                }
                Some(_) => {}
            }
        }
        for new in &fields {
            if !old_fields.iter().any(|old| name(old) == name(new)) {
                out.push(format!("form {path}: + field {new}"));
            }
        }
    }
    out
}

/// A report of `findings` for a person: one block per finding, then what to do.
pub fn report(panel: &str, findings: &[Finding]) -> String {
    let mut out = format!("{panel}: {} audit pin finding(s):\n", findings.len());
    for finding in findings {
        out.push_str(&format!("- {finding}\n"));
    }
    out.push_str(&format!(
        "Re-audit each helper named against the new upstream code (and fix \
         crates/panelkit/src/{panel}/pins.rs where the table is wrong), then run \
         `cargo xtask pins --accept` and review the diff of crates/panelkit/pins/{panel}.lock."
    ));
    out
}

/// The lines `new` adds to and removes from `old` (`+ `/`- ` prefixed),
/// under the heading of the block they are in: what a reviewer reads after
/// `--accept`.
pub fn diff(old: &str, new: &str) -> String {
    fn blocks(text: &str) -> BTreeMap<String, Vec<&str>> {
        let mut out: BTreeMap<String, Vec<&str>> = BTreeMap::new();
        let mut head = String::new();
        for line in text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            if line.starts_with("  ") {
                out.entry(head.clone()).or_default().push(line);
            } else if line.starts_with("method ") || line.starts_with("form ") {
                head = line.to_owned();
                out.entry(head.clone()).or_default();
            } else {
                out.entry(String::new()).or_default().push(line);
            }
        }
        out
    }
    let (old, new) = (blocks(old), blocks(new));
    let heads: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    let mut out = String::new();
    for head in heads {
        let (o, n) = (old.get(head), new.get(head));
        let mut lines = Vec::new();
        match (o, n) {
            (Some(_), None) => lines.push(format!("- {head} (whole block)")),
            (None, Some(_)) => lines.push(format!("+ {head} (new block)")),
            _ => {}
        }
        let o = o.cloned().unwrap_or_default();
        let n = n.cloned().unwrap_or_default();
        lines.extend(
            o.iter()
                .filter(|l| !n.contains(l))
                .map(|l| format!("- {l}")),
        );
        lines.extend(
            n.iter()
                .filter(|l| !o.contains(l))
                .map(|l| format!("+ {l}")),
        );
        if !lines.is_empty() {
            if !head.is_empty() {
                out.push_str(&format!("{head}\n"));
            }
            for line in lines {
                out.push_str(&format!("{line}\n"));
            }
        }
    }
    out
}

/// Everything about one panel's pins, read from the workspace at `root`.
#[derive(Clone, Debug)]
pub struct Panel {
    /// The panel (`ispconfig`).
    pub name: String,
    /// Its files.
    pub paths: Paths,
    /// The committed inventory.
    pub inventory: Inventory,
    /// The helper → method table.
    pub mapping: Mapping,
    /// The overlay's helpers.
    pub helpers: BTreeSet<String>,
    /// The committed lock, if there is one.
    pub lock: Option<Lock>,
}

impl Panel {
    /// Reads `panel`'s inventory, table, helpers and lock.
    pub fn read(root: &Path, panel: &str) -> Result<Panel, String> {
        let paths = Paths::of(root, panel);
        let inventory =
            crate::regen::read_inventory(&paths.inventory).map_err(|e| e.to_string())?;
        let mapping = source::read_mapping(&paths.table)?;
        let helpers = source::helpers(&paths.overlay)?;
        let lock = match std::fs::read_to_string(&paths.lock) {
            Ok(text) => {
                Some(Lock::parse(&text).map_err(|e| format!("{}: {e}", paths.lock.display()))?)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(format!("{}: {e}", paths.lock.display())),
        };
        Ok(Panel {
            name: panel.to_owned(),
            paths,
            inventory,
            mapping,
            helpers,
            lock,
        })
    }

    /// What the committed lock no longer matches (everything, without one).
    pub fn check(&self) -> Vec<Finding> {
        let empty = Lock {
            upstream: self.inventory.upstream_version.clone(),
            ..Lock::default()
        };
        check(
            self.lock.as_ref().unwrap_or(&empty),
            &self.mapping,
            &self.inventory,
            Some(&self.helpers),
        )
    }

    /// The lock `--accept` would write; refuses while the table and the
    /// overlay's helpers disagree (an acceptance cannot fix those).
    pub fn accepted(&self) -> Result<Lock, String> {
        let table: Vec<Finding> = self
            .check()
            .into_iter()
            .filter(|f| matches!(f, Finding::Unpinned(_) | Finding::NoSuchHelper(_)))
            .collect();
        if !table.is_empty() {
            return Err(report(&self.name, &table));
        }
        Lock::make(&self.name, &self.inventory, &self.mapping)
    }
}
