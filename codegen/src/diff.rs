//! What changed between two inventories of one panel: operations added,
//! removed, changed in their parameter lists (for HTTP operations also in
//! body, answer, auth or server), and moved to another group, class, file or
//! route; named types added, removed, or changed in their fields or values;
//! forms added and removed, form fields added, removed and changed (datatype,
//! control, default, options, validators), and operations linked to another
//! form. A move within a file (another line number) is not
//! reported: every release shifts lines, and the review must show only what
//! a caller or the generated crate feels.

use std::collections::BTreeMap;
use std::fmt;

use crate::model::{FieldDefault, Form, FormField, Inventory, Operation, Param, Protocol, TypeDef};

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
    /// Named types only in the new inventory.
    pub types_added: Vec<String>,
    /// Named types only in the old inventory.
    pub types_removed: Vec<String>,
    /// Named types in both whose shape differs (summaries do not count).
    pub types_changed: Vec<TypeChange>,
    /// Forms only in the new inventory.
    pub forms_added: Vec<String>,
    /// Forms only in the old inventory.
    pub forms_removed: Vec<String>,
    /// Forms in both whose table, key or fields differ.
    pub forms_changed: Vec<FormChanged>,
    /// Operations in both whose form link differs, as `(name, old, new)`.
    pub links_changed: Vec<(String, String, String)>,
}

/// A named type whose shape changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeChange {
    /// Type name.
    pub name: String,
    /// One line per change: `+ subpath: string`, `- old: integer`,
    /// `~ size: integer → integer(int64)`, `values: a, b → a, b, c`.
    pub changes: Vec<String>,
}

/// A form whose definition changed; one line per difference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormChanged {
    /// The form's path.
    pub form: String,
    /// `+ field x (VARCHAR TEXT)`, `- field y`, `~ field z: datatype A → B`, ...
    pub changes: Vec<String>,
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
            && self.types_added.is_empty()
            && self.types_removed.is_empty()
            && self.types_changed.is_empty()
            && self.forms_added.is_empty()
            && self.forms_removed.is_empty()
            && self.forms_changed.is_empty()
            && self.links_changed.is_empty()
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
        types_added: Vec::new(),
        types_removed: Vec::new(),
        types_changed: Vec::new(),
        forms_added: Vec::new(),
        forms_removed: Vec::new(),
        forms_changed: Vec::new(),
        links_changed: Vec::new(),
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
        let (old_link, new_link) = (link_of(before), link_of(op));
        if old_link != new_link {
            result
                .links_changed
                .push(((*name).to_owned(), old_link, new_link));
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
    for (name, def) in &new.types {
        match old.types.get(name) {
            None => result.types_added.push(format!("{name} ({})", kind(def))),
            Some(before) => {
                let changes = type_changes(before, def);
                if !changes.is_empty() {
                    result.types_changed.push(TypeChange {
                        name: name.clone(),
                        changes,
                    });
                }
            }
        }
    }
    result.types_removed = old
        .types
        .iter()
        .filter(|(name, _)| !new.types.contains_key(*name))
        .map(|(name, def)| format!("{name} ({})", kind(def)))
        .collect();
    for (path, form) in &new.forms {
        match old.forms.get(path) {
            None => result.forms_added.push(path.clone()),
            Some(before) => {
                let changes = form_changes(before, form);
                if !changes.is_empty() {
                    result.forms_changed.push(FormChanged {
                        form: path.clone(),
                        changes,
                    });
                }
            }
        }
    }
    result.forms_removed = old
        .forms
        .keys()
        .filter(|p| !new.forms.contains_key(*p))
        .cloned()
        .collect();
    result
}

/// What a caller of an HTTP operation feels besides its parameters: body
/// types, success answers, auth schemes and server. Empty for other protocols.
fn http_shape(op: &Operation) -> String {
    match &op.protocol {
        Protocol::Http {
            security,
            server,
            request_bodies,
            responses,
            ..
        } => {
            let bodies: Vec<String> = request_bodies
                .iter()
                .map(|b| format!("{} {}", b.content_type, type_or_dash(&b.ty)))
                .collect();
            let answers: Vec<String> = responses
                .iter()
                .filter(|r| r.status.is_success())
                .map(|r| {
                    let content: Vec<String> = r
                        .content
                        .iter()
                        .map(|c| format!("{} {}", c.content_type, type_or_dash(&c.ty)))
                        .collect();
                    let headers: Vec<&str> = r.headers.iter().map(|h| h.name.as_str()).collect();
                    format!(
                        "{} [{}] [{}]",
                        r.status,
                        content.join(", "),
                        headers.join(", ")
                    )
                })
                .collect();
            format!(
                "body [{}] answers [{}] auth [{}] server {}",
                bodies.join("; "),
                answers.join("; "),
                security.join(", "),
                server.as_deref().unwrap_or("-")
            )
        }
        _ => String::new(),
    }
}

fn kind(def: &TypeDef) -> &'static str {
    match def {
        TypeDef::Record { .. } => "record",
        TypeDef::Enum { .. } => "enum",
        TypeDef::Alias { .. } => "alias",
        TypeDef::OneOf { .. } => "one of",
    }
}

/// A type as diffs show it (`-`: none declared).
fn type_or_dash(ty: &Option<crate::schema_type::SchemaType>) -> String {
    ty.as_ref()
        .map_or_else(|| "-".to_owned(), ToString::to_string)
}

/// Shape changes of a type: fields, enum values, alias targets, alternatives.
fn type_changes(old: &TypeDef, new: &TypeDef) -> Vec<String> {
    let mut out = Vec::new();
    match (old, new) {
        (TypeDef::Record { fields: a, .. }, TypeDef::Record { fields: b, .. }) => {
            let field = |f: &crate::model::Field| {
                let mut s = f.ty.to_string();
                if f.required {
                    s.push_str(" required");
                }
                if f.nullable {
                    s.push_str(" nullable");
                }
                if let Some(d) = &f.default {
                    s.push_str(&format!(" = {d}"));
                }
                s
            };
            for (name, f) in b {
                match a.get(name) {
                    None => out.push(format!("+ {name}: {}", field(f))),
                    Some(before) if field(before) != field(f) => {
                        out.push(format!("~ {name}: {} → {}", field(before), field(f)))
                    }
                    Some(_) => {}
                }
            }
            for (name, f) in a {
                if !b.contains_key(name) {
                    out.push(format!("- {name}: {}", field(f)));
                }
            }
        }
        (TypeDef::Enum { values: a, .. }, TypeDef::Enum { values: b, .. }) if a != b => {
            out.push(format!("values: {} → {}", a.join(", "), b.join(", ")));
        }
        (
            TypeDef::Alias {
                ty: a, values: av, ..
            },
            TypeDef::Alias {
                ty: b, values: bv, ..
            },
        ) => {
            if a != b {
                out.push(format!("type: {a} → {b}"));
            }
            if av != bv {
                out.push(format!("values: {} → {}", av.join(", "), bv.join(", ")));
            }
        }
        (TypeDef::OneOf { variants: a, .. }, TypeDef::OneOf { variants: b, .. }) if a != b => {
            let join = |v: &[crate::schema_type::SchemaType]| {
                v.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            out.push(format!("one of: {} → {}", join(a), join(b)));
        }
        (TypeDef::Enum { .. }, TypeDef::Enum { .. })
        | (TypeDef::OneOf { .. }, TypeDef::OneOf { .. }) => {}
        (a, b) => out.push(format!("kind: {} → {}", kind(a), kind(b))),
    }
    out
}

/// An operation's form link in one line (`-` for none).
fn link_of(op: &Operation) -> String {
    let Protocol::Soap { form: Some(l), .. } = &op.protocol else {
        return "-".to_owned();
    };
    let access: Vec<String> = l
        .access
        .iter()
        .map(|a| format!("{a:?}").to_ascii_lowercase())
        .collect();
    let mut out = format!("{} ({})", l.form, access.join(", "));
    for alt in &l.alternatives {
        out.push_str(&format!(" or {} when {}", alt.form, alt.when));
    }
    out
}

fn form_changes(old: &Form, new: &Form) -> Vec<String> {
    let mut out = Vec::new();
    if old.db_table != new.db_table {
        out.push(format!("~ table {} → {}", old.db_table, new.db_table));
    }
    if old.db_table_idx != new.db_table_idx {
        out.push(format!("~ key {} → {}", old.db_table_idx, new.db_table_idx));
    }
    for (name, field) in &new.fields {
        match old.fields.get(name) {
            None => out.push(format!("+ field {name} ({})", field_summary(field))),
            Some(before) => {
                let parts = field_changes(before, field);
                if !parts.is_empty() {
                    out.push(format!("~ field {name}: {}", parts.join("; ")));
                }
            }
        }
    }
    for name in old.fields.keys().filter(|n| !new.fields.contains_key(*n)) {
        out.push(format!("- field {name}"));
    }
    out
}

fn field_summary(f: &FormField) -> String {
    let mut parts = vec![
        f.datatype.clone().unwrap_or_else(|| "?".to_owned()),
        f.formtype.clone().unwrap_or_else(|| "?".to_owned()),
    ];
    if f.conditional {
        parts.push("conditional".to_owned());
    }
    parts.join(" ")
}

fn field_changes(a: &FormField, b: &FormField) -> Vec<String> {
    let mut out = Vec::new();
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".to_owned());
    if a.datatype != b.datatype {
        out.push(format!(
            "datatype {} → {}",
            opt(&a.datatype),
            opt(&b.datatype)
        ));
    }
    if a.formtype != b.formtype {
        out.push(format!(
            "formtype {} → {}",
            opt(&a.formtype),
            opt(&b.formtype)
        ));
    }
    if a.default != b.default {
        out.push(format!(
            "default {} → {}",
            default_text(&a.default),
            default_text(&b.default)
        ));
    }
    if a.options != b.options {
        let list = |o: &Option<Vec<String>>| match o {
            Some(v) => format!("[{}]", v.join(", ")),
            None => "-".to_owned(),
        };
        out.push(format!(
            "options {} → {}",
            list(&a.options),
            list(&b.options)
        ));
    }
    if a.validators != b.validators {
        let list = |v: &[crate::model::Validator]| {
            let items: Vec<String> = v
                .iter()
                .map(|v| {
                    let mut s = v.kind.clone().unwrap_or_else(|| "?".to_owned());
                    if let Some(r) = &v.regex {
                        s.push(' ');
                        s.push_str(r);
                    }
                    s
                })
                .collect();
            format!("[{}]", items.join(", "))
        };
        out.push(format!(
            "validators {} → {}",
            list(&a.validators),
            list(&b.validators)
        ));
    }
    if a.conditional != b.conditional {
        out.push(
            if b.conditional {
                "now conditional"
            } else {
                "no longer conditional"
            }
            .to_owned(),
        );
    }
    if a.tab != b.tab {
        out.push(format!("tab {} → {}", a.tab, b.tab));
    }
    out
}

fn default_text(d: &Option<FieldDefault>) -> String {
    match d {
        None => "-".to_owned(),
        Some(FieldDefault::Literal(v)) => v.to_string(),
        Some(FieldDefault::NotLiteral) => "(computed)".to_owned(),
    }
}

fn by_name(inv: &Inventory) -> BTreeMap<&str, &Operation> {
    inv.operations
        .iter()
        .map(|o| (o.name.as_str(), o))
        .collect()
}

/// Parameters compare on everything a caller sees; `Param`'s equality is
/// exactly that.
fn same_params(a: &[Param], b: &[Param]) -> bool {
    a == b
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
    if matches!(new.protocol, Protocol::Http { .. }) {
        // An HTTP operation's location is its route.
        check("route", &old.source_location, &new.source_location);
        return out;
    }
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
        _ => "",
    }
}

/// `path:line` → `path`; a location without a line (`GET /x`) is kept whole.
fn file_of(location: &str) -> &str {
    match location.rsplit_once(':') {
        Some((file, line)) if !line.is_empty() && line.bytes().all(|b| b.is_ascii_digit()) => file,
        _ => location,
    }
}

/// `name(a, b = null)`: type hints and `&` included, as PHP writes them; for
/// HTTP operations `name(query a?: string) body [..] answers [..] auth [..]`.
pub fn signature(op: &Operation) -> String {
    let params: Vec<String> = op
        .params
        .iter()
        .map(|p| {
            if let Some(location) = &p.location {
                // HTTP: `query order?: #GetUsersOrder = "ASC"`.
                let optional = if p.required { "" } else { "?" };
                let ty = p.ty.as_deref().unwrap_or("any");
                let default = p
                    .default
                    .as_deref()
                    .map(|d| format!(" = {d}"))
                    .unwrap_or_default();
                return format!("{location} {}{optional}: {ty}{default}", p.name);
            }
            let mut s = String::new();
            if let Some(ty) = &p.ty {
                s.push_str(ty);
                s.push(' ');
            }
            if p.by_ref {
                s.push('&');
            }
            // Optional without a default: only a variadic is.
            if !p.required && p.default.is_none() {
                s.push_str("...");
            }
            s.push_str(&p.name);
            if let Some(d) = &p.default {
                s.push_str(" = ");
                s.push_str(d);
            }
            s
        })
        .collect();
    let shape = http_shape(op);
    if shape.is_empty() {
        format!("{}({})", op.name, params.join(", "))
    } else {
        format!("{}({}) {shape}", op.name, params.join(", "))
    }
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
        let types = self.types_added.len() + self.types_removed.len() + self.types_changed.len();
        if types > 0 {
            write!(
                f,
                "; types: {} added, {} removed, {} changed",
                self.types_added.len(),
                self.types_removed.len(),
                self.types_changed.len()
            )?;
        }
        let forms = self.forms_added.len() + self.forms_removed.len() + self.forms_changed.len();
        if forms > 0 || !self.links_changed.is_empty() {
            write!(
                f,
                "; forms: {} added, {} removed, {} changed; {} form links changed",
                self.forms_added.len(),
                self.forms_removed.len(),
                self.forms_changed.len(),
                self.links_changed.len()
            )?;
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
        if !self.types_added.is_empty() {
            writeln!(f, "types added:")?;
            for t in &self.types_added {
                writeln!(f, "  {t}")?;
            }
        }
        if !self.types_removed.is_empty() {
            writeln!(f, "types removed:")?;
            for t in &self.types_removed {
                writeln!(f, "  {t}")?;
            }
        }
        if !self.types_changed.is_empty() {
            writeln!(f, "types changed:")?;
            for t in &self.types_changed {
                writeln!(f, "  {}:", t.name)?;
                for c in &t.changes {
                    writeln!(f, "    {c}")?;
                }
            }
        }
        if !self.forms_added.is_empty() {
            writeln!(f, "forms added:")?;
            for p in &self.forms_added {
                writeln!(f, "  {p}")?;
            }
        }
        if !self.forms_removed.is_empty() {
            writeln!(f, "forms removed:")?;
            for p in &self.forms_removed {
                writeln!(f, "  {p}")?;
            }
        }
        if !self.forms_changed.is_empty() {
            writeln!(f, "forms changed:")?;
            for c in &self.forms_changed {
                writeln!(f, "  {}:", c.form)?;
                for line in &c.changes {
                    writeln!(f, "    {line}")?;
                }
            }
        }
        if !self.links_changed.is_empty() {
            writeln!(f, "form links changed:")?;
            for (name, a, b) in &self.links_changed {
                writeln!(f, "  {name}: {a} → {b}")?;
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
