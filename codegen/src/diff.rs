//! What changed between two inventories of one panel: operations added,
//! removed, and changed in their parameter lists. Moves to another line or
//! file are not changes: every release moves code, and the review must show
//! only what a caller feels.

use std::collections::BTreeMap;
use std::fmt;

use crate::model::{Inventory, Operation, Param};

/// The difference between two inventories.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InventoryDiff {
    /// Panel name.
    pub panel: String,
    /// Old upstream version.
    pub old_version: String,
    /// New upstream version.
    pub new_version: String,
    /// Operations only in the new inventory (signatures).
    pub added: Vec<String>,
    /// Operations only in the old inventory (signatures).
    pub removed: Vec<String>,
    /// Operations in both whose parameter lists differ: (old, new) signatures.
    pub changed: Vec<(String, String)>,
}

impl InventoryDiff {
    /// Whether nothing a caller can feel changed.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// Compares `old` with `new`.
pub fn diff(old: &Inventory, new: &Inventory) -> InventoryDiff {
    let old_ops: BTreeMap<&str, &Operation> = old
        .operations
        .iter()
        .map(|o| (o.name.as_str(), o))
        .collect();
    let new_ops: BTreeMap<&str, &Operation> = new
        .operations
        .iter()
        .map(|o| (o.name.as_str(), o))
        .collect();
    let mut result = InventoryDiff {
        panel: new.panel.clone(),
        old_version: old.upstream_version.clone(),
        new_version: new.upstream_version.clone(),
        added: Vec::new(),
        removed: Vec::new(),
        changed: Vec::new(),
    };
    for (name, op) in &new_ops {
        match old_ops.get(name) {
            None => result.added.push(signature(op)),
            Some(before) if !same_params(&before.params, &op.params) => {
                result.changed.push((signature(before), signature(op)))
            }
            Some(_) => {}
        }
    }
    for (name, op) in &old_ops {
        if !new_ops.contains_key(name) {
            result.removed.push(signature(op));
        }
    }
    result
}

fn same_params(a: &[Param], b: &[Param]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            x.name == y.name
                && x.default == y.default
                && x.required == y.required
                && x.ty == y.ty
                && x.by_ref == y.by_ref
        })
}

/// `name(a, b = null)`.
pub fn signature(op: &Operation) -> String {
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
            s.push_str(&p.name);
            if let Some(d) = &p.default {
                s.push_str(" = ");
                s.push_str(d);
            }
            s
        })
        .collect();
    format!("{}({})", op.name, params.join(", "))
}

impl fmt::Display for InventoryDiff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} {} → {}: {} added, {} removed, {} changed",
            self.panel,
            self.old_version,
            self.new_version,
            self.added.len(),
            self.removed.len(),
            self.changed.len()
        )?;
        if !self.added.is_empty() {
            writeln!(f, "added:")?;
            for s in &self.added {
                writeln!(f, "  + {s}")?;
            }
        }
        if !self.removed.is_empty() {
            writeln!(f, "removed:")?;
            for s in &self.removed {
                writeln!(f, "  - {s}")?;
            }
        }
        if !self.changed.is_empty() {
            writeln!(f, "changed:")?;
            for (old, new) in &self.changed {
                writeln!(f, "  ~ {old}\n    → {new}")?;
            }
        }
        Ok(())
    }
}
