//! The dispatcher's method map, computed the way
//! `ISPConfigRemotingHandlerBase::__construct` builds it: for each loaded file
//! (glob order) whose class `remoting_<stem>` exists, every name
//! `get_class_methods()` returns — public methods, inherited and trait ones
//! included — maps to that class, overwriting earlier entries; then `login`,
//! `logout` and `get_function_list` map to the base class `remoting`.

use std::collections::{BTreeMap, HashMap};

use crate::extract::php::{self, Class, ClassKind, Method, Visibility};

/// The class every remote class extends; the dispatcher also serves a few of
/// its methods directly.
pub(super) const BASE: &str = "remoting";

/// Names the dispatcher maps to [`BASE`] after loading every class.
const FIXED: [&str; 3] = ["login", "logout", "get_function_list"];

/// One scanned file.
pub(super) struct Scanned {
    /// Path relative to the checkout root.
    pub(super) rel: String,
    /// The inventory group of its methods.
    pub(super) group: String,
    /// The class the dispatcher instantiates for it, if any (`None` for
    /// `remoting.inc.php`, which is loaded but not globbed).
    pub(super) dispatched_class: Option<String>,
    pub(super) classes: Vec<Class>,
}

/// A method declaration as PHP reflection sees it from a class.
#[derive(Clone, Copy)]
pub(super) struct Decl<'a> {
    pub(super) method: &'a Method,
    /// Declaring class (for a trait method: the class using the trait).
    pub(super) class: &'a str,
    /// File of the declaration.
    pub(super) rel: &'a str,
    pub(super) group: &'a str,
}

impl Decl<'_> {
    pub(super) fn location(&self) -> String {
        format!("{}:{}", self.rel, self.method.line)
    }
}

/// A served method: the declaration that runs and the name of the class the
/// dispatcher's entry points to.
pub(super) struct Served<'a> {
    pub(super) decl: Decl<'a>,
    pub(super) host: &'a str,
    /// Every public declaration of the name in the classes the dispatcher
    /// sees, in load order (including the served one).
    pub(super) declarations: Vec<Decl<'a>>,
}

/// A class and the file that declares it.
#[derive(Clone, Copy)]
struct ClassRef<'a> {
    class: &'a Class,
    rel: &'a str,
    group: &'a str,
}

/// Resolves the method map over `files` (the base file first, then the
/// globbed files in load order). Magic methods are left out: the engine
/// calls them, remote callers do not.
pub(super) fn resolve(files: &[Scanned]) -> BTreeMap<String, Served<'_>> {
    // Classes declared so far, by lower-case name (PHP class names are
    // case-insensitive); `class_exists()` sees every earlier file's classes.
    let mut table: HashMap<String, ClassRef<'_>> = HashMap::new();
    let mut map: BTreeMap<String, (Decl<'_>, &str)> = BTreeMap::new();
    let mut seen: Vec<Decl<'_>> = Vec::new();
    for file in files {
        for class in &file.classes {
            // A second declaration is a fatal error in PHP; keep the first.
            table
                .entry(class.name.to_ascii_lowercase())
                .or_insert(ClassRef {
                    class,
                    rel: &file.rel,
                    group: &file.group,
                });
        }
        let Some(wanted) = &file.dispatched_class else {
            continue;
        };
        let Some(host) = table
            .get(&wanted.to_ascii_lowercase())
            .copied()
            .filter(|c| c.class.kind == ClassKind::Class)
        else {
            continue;
        };
        for decl in class_methods(host, &table, 0) {
            note(&mut seen, decl);
            map.insert(decl.method.name.clone(), (decl, &host.class.name));
        }
    }
    if let Some(base) = table.get(BASE).copied() {
        let base_methods = class_methods(base, &table, 0);
        for decl in &base_methods {
            note(&mut seen, *decl);
        }
        for name in FIXED {
            if let Some(decl) = base_methods.iter().find(|d| d.method.name == name) {
                map.insert(name.to_owned(), (*decl, &base.class.name));
            }
        }
    }
    // Every public declaration the dispatcher saw, grouped by name in load
    // order, so the ones that lost can be reported.
    let rank: HashMap<&str, usize> = files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.rel.as_str(), i))
        .collect();
    seen.sort_by_key(|d| (rank.get(d.rel).copied(), d.method.line));
    let mut declarations: HashMap<String, Vec<Decl<'_>>> = HashMap::new();
    for decl in seen {
        declarations
            .entry(decl.method.name.to_ascii_lowercase())
            .or_default()
            .push(decl);
    }
    map.into_iter()
        .filter(|(name, _)| !php::is_magic_method(name))
        .map(|(name, (decl, host))| {
            // Looked up case-insensitively like PHP methods; two map keys
            // differing only in case (possible, if odd) both see them.
            let declarations = declarations
                .get(&name.to_ascii_lowercase())
                .cloned()
                .unwrap_or_default();
            (
                name,
                Served {
                    decl,
                    host,
                    declarations,
                },
            )
        })
        .collect()
}

/// Records `decl` once (many classes inherit the same declaration).
fn note<'a>(seen: &mut Vec<Decl<'a>>, decl: Decl<'a>) {
    if !seen
        .iter()
        .any(|d| d.rel == decl.rel && d.method.line == decl.method.line)
    {
        seen.push(decl);
    }
}

/// What `get_class_methods()` returns for an instance, called from outside
/// the class: its own public methods, then those of the traits it uses, then
/// its parent's, each name once (methods are case-insensitive; the nearest
/// declaration wins). An unknown parent or trait contributes nothing.
fn class_methods<'a>(
    c: ClassRef<'a>,
    table: &HashMap<String, ClassRef<'a>>,
    depth: usize,
) -> Vec<Decl<'a>> {
    // A cycle (`a extends b`, `b extends a`) is a fatal error in PHP; stop.
    if depth > 64 {
        return Vec::new();
    }
    let mut out: Vec<Decl<'a>> = c
        .class
        .methods
        .iter()
        .filter(|m| m.visibility == Visibility::Public)
        .map(|method| Decl {
            method,
            class: &c.class.name,
            rel: c.rel,
            group: c.group,
        })
        .collect();
    let mut add = |inherited: Vec<Decl<'a>>, as_own: bool| {
        for mut d in inherited {
            if !out
                .iter()
                .any(|o| o.method.name.eq_ignore_ascii_case(&d.method.name))
            {
                if as_own {
                    d.class = &c.class.name;
                }
                out.push(d);
            }
        }
    };
    for t in &c.class.traits {
        if let Some(tr) = table.get(&t.to_ascii_lowercase()) {
            if tr.class.kind == ClassKind::Trait {
                // PHP copies trait methods into the class: reflection names
                // the using class as their declaring class.
                add(class_methods(*tr, table, depth + 1), true);
            }
        }
    }
    if let Some(parent) = c.class.extends.as_deref() {
        if let Some(p) = table.get(&parent.to_ascii_lowercase()) {
            if p.class.kind == ClassKind::Class {
                add(class_methods(*p, table, depth + 1), false);
            }
        }
    }
    out
}

/// One line on why the dispatcher serves `winner` (through `host`) and not
/// `loser`.
pub(super) fn shadow_reason(name: &str, winner: &Decl<'_>, host: &str, loser: &Decl<'_>) -> String {
    if FIXED.contains(&name) {
        return format!("the dispatcher maps {name} to {BASE} after loading every class");
    }
    if winner.class != host {
        // Worded without naming `host` so that a module added after it does
        // not change the reason (which the generated docs quote).
        return format!(
            "remote.d classes loaded after {} inherit {}::{name} and overwrite the dispatcher's entry",
            loser.class, winner.class
        );
    }
    if loser.class == BASE {
        return format!(
            "{host} overrides it and is the last loaded class with {name}, so the dispatcher's entry is {host}'s"
        );
    }
    format!(
        "{host}, loaded after {}, declares {name} too and overwrites the dispatcher's entry",
        loser.class
    )
}
