//! What changed between two inventories of one panel: operations added,
//! removed, changed in their parameter lists, and moved to another group,
//! class or file. A move within a file (another line number) is not
//! reported: every release shifts lines, and the review must show only what
//! a caller or the generated crate feels.

use std::collections::BTreeMap;
use std::fmt;

use crate::model::{Inventory, Operation, Param, Protocol};

/// The difference between two inventories, every list sorted by name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InventoryDiff {
    /// Panel name (of the new inventory).
    pub panel: String,
    /// Old upstream version.
    pub old_version: String,
    /// New upstream version.
    pub new_version: String,
    /// Operations only in the new inventory, as signatures.
    pub added: Vec<String>,
    /// Operations only in the old inventory, as signatures.
    pub removed: Vec<String>,
    /// Operations in both whose parameter lists differ.
    pub changed: Vec<Changed>,
    /// Operations in both that moved to another group, class or file.
    pub moved: Vec<Moved>,
}

/// An operation whose parameter list changed: names, order, types,
/// defaults, requiredness or by-reference passing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Changed {
    /// Operation name.
    pub name: String,
    /// Old signature, `name(a, b = null)`.
    pub old: String,
    /// New signature.
    pub new: String,
}

/// An operation that moved; only the parts that differ are listed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Moved {
    /// Operation name.
    pub name: String,
    /// `(what, old, new)` for each of `group`, `class`, `file` that differs.
    pub changes: Vec<(&'static str, String, String)>,
}

impl InventoryDiff {
    /// Whether the two inventories describe the same API: nothing added,
    /// removed, changed or moved (a group move changes the generated crate's
    /// features, so it counts).
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
            && self.moved.is_empty()
    }
}

/// Compares `old` with `new`, matching operations by name.
pub fn diff(old: &Inventory, new: &Inventory) -> InventoryDiff {
    let old_ops = by_name(old);
    let new_ops = by_name(new);
    let mut result = InventoryDiff {
        panel: new.panel.clone(),
        old_version: old.upstream_version.clone(),
        new_version: new.upstream_version.clone(),
        added: Vec::new(),
        removed: Vec::new(),
        changed: Vec::new(),
        moved: Vec::new(),
    };
    for (name, op) in &new_ops {
        let Some(before) = old_ops.get(name) else {
            result.added.push(signature(op));
            continue;
        };
        if !same_params(&before.params, &op.params) || http_shape(before) != http_shape(op) {
            result.changed.push(Changed {
                name: (*name).to_owned(),
                old: signature(before),
                new: signature(op),
            });
        }
        let changes = moves(before, op);
        if !changes.is_empty() {
            result.moved.push(Moved {
                name: (*name).to_owned(),
                changes,
            });
        }
    }
    result.removed = old_ops
        .iter()
        .filter(|(name, _)| !new_ops.contains_key(*name))
        .map(|(_, op)| signature(op))
        .collect();
    result
}

fn by_name(inv: &Inventory) -> BTreeMap<&str, &Operation> {
    inv.operations
        .iter()
        .map(|o| (o.name.as_str(), o))
        .collect()
}

/// Parameters compare on everything a caller sees: all of `Param` but its
/// one-line documentation.
fn same_params(a: &[Param], b: &[Param]) -> bool {
    let undocumented = |p: &Param| Param {
        summary: None,
        ..p.clone()
    };
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| undocumented(x) == undocumented(y))
}

/// What an HTTP operation sends and answers, as a caller sees it: method,
/// path, request body types and 2xx answers (`POST /x {#Body} → 202 #Out`);
/// empty for other protocols.
fn http_shape(op: &Operation) -> String {
    let Protocol::Http {
        method,
        path,
        request_bodies,
        responses,
        ..
    } = &op.protocol
    else {
        return String::new();
    };
    let mut out = format!(" {method} {path}");
    if !request_bodies.is_empty() {
        let bodies: Vec<String> = request_bodies
            .iter()
            .map(|b| format!("{} {}", b.content_type, b.ty.as_deref().unwrap_or("-")))
            .collect();
        out.push_str(&format!(" {{{}}}", bodies.join(" | ")));
    }
    let answers: Vec<String> = responses
        .iter()
        .filter(|r| r.status.starts_with('2'))
        .map(|r| {
            let types: Vec<&str> = r.content.iter().filter_map(|c| c.ty.as_deref()).collect();
            if types.is_empty() {
                r.status.clone()
            } else {
                format!("{} {}", r.status, types.join(" | "))
            }
        })
        .collect();
    if !answers.is_empty() {
        out.push_str(&format!(" → {}", answers.join(", ")));
    }
    out
}

/// Group, class and file differences (never the line).
fn moves(old: &Operation, new: &Operation) -> Vec<(&'static str, String, String)> {
    let mut out = Vec::new();
    let mut check = |what, a: &str, b: &str| {
        if a != b {
            out.push((what, a.to_owned(), b.to_owned()));
        }
    };
    check("group", &old.group, &new.group);
    check("class", class_of(old), class_of(new));
    check(
        "file",
        file_of(&old.source_location),
        file_of(&new.source_location),
    );
    out
}

fn class_of(op: &Operation) -> &str {
    match &op.protocol {
        Protocol::Soap { class, .. } => class,
        Protocol::Http { .. } => "",
    }
}

/// `path:line` → `path`; a location without a line (`GET /x`) is kept whole.
fn file_of(location: &str) -> &str {
    match location.rsplit_once(':') {
        Some((file, line)) if !line.is_empty() && line.bytes().all(|b| b.is_ascii_digit()) => file,
        _ => location,
    }
}

/// `name(a, b = null)`: type hints and `&` included, as PHP writes them; an
/// HTTP operation marks optional parameters without a default `name?` and
/// adds its [`http_shape`].
pub fn signature(op: &Operation) -> String {
    let http = matches!(op.protocol, Protocol::Http { .. });
    let params: Vec<String> = op
        .params
        .iter()
        .map(|p| {
            let mut s = String::new();
            if let Some(ty) = &p.ty {
                s.push_str(ty);
                s.push(' ');
            }
            if p.by_ref {
                s.push('&');
            }
            // Optional without a default: in PHP only a variadic is.
            let optional = !p.required && p.default.is_none();
            if optional && !http {
                s.push_str("...");
            }
            s.push_str(&p.name);
            if optional && http {
                s.push('?');
            }
            if let Some(d) = &p.default {
                s.push_str(" = ");
                s.push_str(d);
            }
            s
        })
        .collect();
    format!("{}({}){}", op.name, params.join(", "), http_shape(op))
}

impl fmt::Display for InventoryDiff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} → {}: {} added, {} removed, {} changed",
            self.panel,
            self.old_version,
            self.new_version,
            self.added.len(),
            self.removed.len(),
            self.changed.len()
        )?;
        if !self.moved.is_empty() {
            write!(f, ", {} moved", self.moved.len())?;
        }
        writeln!(f)?;
        if !self.added.is_empty() {
            writeln!(f, "added:")?;
            for s in &self.added {
                writeln!(f, "  {s}")?;
            }
        }
        if !self.removed.is_empty() {
            writeln!(f, "removed:")?;
            for s in &self.removed {
                writeln!(f, "  {s}")?;
            }
        }
        if !self.changed.is_empty() {
            writeln!(f, "changed:")?;
            for c in &self.changed {
                writeln!(f, "  {} → {}", c.old, c.new)?;
            }
        }
        if !self.moved.is_empty() {
            writeln!(f, "moved:")?;
            for m in &self.moved {
                let parts: Vec<String> = m
                    .changes
                    .iter()
                    .map(|(what, a, b)| format!("{what} {a} → {b}"))
                    .collect();
                writeln!(f, "  {}: {}", m.name, parts.join(", "))?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_of_strips_only_a_line_number() {
        assert_eq!(file_of("a/b.php:12"), "a/b.php");
        assert_eq!(file_of("GET /x"), "GET /x");
        assert_eq!(file_of("c:/x"), "c:/x");
    }
}
