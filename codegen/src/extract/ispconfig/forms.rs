//! ISPConfig form definitions (`interface/web/<module>/form/*.tform.php`) →
//! [`Form`]: the table, its key, and per field the datatype, form type,
//! default, options and validators.
//!
//! A form file builds one PHP array, `$form`, in top-level statements:
//! `$form["db_table"] = "dns_rr";`, `$form["tabs"]['dns'] = array(... 'fields'
//! => array(...))`, later `$form['tabs']['dns']['fields']['x'] = array(...)`
//! or `... ['fields'] += array(...)`, some of them inside `if` blocks. The
//! reader replays those assignments on a tree; whatever is not a literal stays
//! "not a literal" (a default computed from `$_REQUEST` is never guessed).

use std::collections::BTreeMap;

use crate::extract::php::value::{ArrayKey, AssignOp, Expr, Literal, Scalar, Source};
use crate::model::{FieldDefault, Form, FormField, Secrecy, SecrecyClass, Validator};

/// The `$form` tree as the statements leave it.
#[derive(Clone, Debug)]
enum Node {
    /// An array, keys in insertion order; `cond`: created inside a block.
    Map(Vec<(String, Node)>, bool),
    /// Any other value.
    Leaf(Expr, bool),
}

impl Node {
    fn cond(&self) -> bool {
        match self {
            Node::Map(_, c) | Node::Leaf(_, c) => *c,
        }
    }

    fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Map(items, _) => items.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            Node::Leaf(..) => None,
        }
    }

    fn entries(&self) -> &[(String, Node)] {
        match self {
            Node::Map(items, _) => items,
            Node::Leaf(..) => &[],
        }
    }

    fn literal_string(&self) -> Option<String> {
        match self {
            Node::Leaf(e, _) => e.literal_string(),
            Node::Map(..) => None,
        }
    }

    /// The node from an expression: arrays become maps (their literal keys
    /// normalized as PHP does; entries with computed keys are dropped).
    fn from_expr(expr: &Expr, cond: bool) -> Node {
        let Expr::Array(items) = expr else {
            return Node::Leaf(expr.clone(), cond);
        };
        let mut out: Vec<(String, Node)> = Vec::with_capacity(items.len());
        let mut next = 0i64;
        for (k, v) in items {
            let key = match k {
                None => Some(ArrayKey::Int(next)),
                Some(k) => match k.literal() {
                    Some(Literal::Scalar(s)) => ArrayKey::from_scalar(&s),
                    _ => None,
                },
            };
            let Some(key) = key else { continue };
            if let ArrayKey::Int(i) = key {
                next = next.max(i.saturating_add(1));
            }
            let key = key.to_text();
            let node = Node::from_expr(v, cond);
            match out.iter_mut().find(|(k, _)| *k == key) {
                Some(slot) => slot.1 = node,
                None => out.push((key, node)),
            }
        }
        Node::Map(out, cond)
    }
}

/// Why a form could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct FormError(pub(super) String);

/// Reads a form file's text.
pub(super) fn read(text: &str) -> Result<Form, FormError> {
    let source = Source::new(text).map_err(|e| FormError(e.to_string()))?;
    let mut root = Node::Map(Vec::new(), false);
    for stmt in source.top_level() {
        let Expr::Assign { target, op, value } = &stmt.expr else {
            continue;
        };
        let Some(path) = form_path(target) else {
            continue;
        };
        apply(&mut root, &path, *op, value, stmt.conditional);
    }
    let field = |name: &str| {
        root.get(name)
            .and_then(Node::literal_string)
            .ok_or_else(|| FormError(format!("no literal $form[\"{name}\"]")))
    };
    let db_table = field("db_table")?;
    let db_table_idx = field("db_table_idx")?;
    let mut fields = BTreeMap::new();
    if let Some(tabs) = root.get("tabs") {
        for (tab_name, tab) in tabs.entries() {
            let Some(tab_fields) = tab.get("fields") else {
                continue;
            };
            for (name, def) in tab_fields.entries() {
                let conditional = tabs.cond() || tab.cond() || tab_fields.cond() || def.cond();
                // A field name in two tabs: the later tab wins, as in tform.
                fields.insert(name.clone(), form_field(tab_name, def, conditional));
            }
        }
    }
    if fields.is_empty() {
        return Err(FormError("no fields in $form[\"tabs\"]".to_owned()));
    }
    Ok(Form {
        name: root.get("name").and_then(Node::literal_string),
        db_table,
        db_table_idx,
        fields,
    })
}

/// `$form[k1][k2]...` with literal keys → `[k1, k2, ...]`.
fn form_path(target: &Expr) -> Option<Vec<String>> {
    let mut path = Vec::new();
    let mut at = target;
    loop {
        match at {
            Expr::Index(base, Some(index)) => {
                path.push(index.literal_string()?);
                at = base;
            }
            Expr::Var(v) if v == "form" => break,
            _ => return None,
        }
    }
    path.reverse();
    Some(path)
}

/// Replays one assignment on the tree.
fn apply(root: &mut Node, path: &[String], op: AssignOp, value: &Expr, cond: bool) {
    let Some((last, parents)) = path.split_last() else {
        // `$form = ...` replaces everything.
        *root = Node::from_expr(value, cond);
        return;
    };
    let mut at = root;
    for key in parents {
        if !matches!(at, Node::Map(..)) {
            // PHP would fail on a string offset; a computed value becomes an array here.
            *at = Node::Map(Vec::new(), cond);
        }
        let Node::Map(items, _) = at else { return };
        let i = match items.iter().position(|(k, _)| k == key) {
            Some(i) => i,
            None => {
                items.push((key.clone(), Node::Map(Vec::new(), cond)));
                items.len() - 1
            }
        };
        at = &mut items[i].1;
    }
    if !matches!(at, Node::Map(..)) {
        *at = Node::Map(Vec::new(), cond);
    }
    let Node::Map(items, _) = at else { return };
    let new = Node::from_expr(value, cond);
    let slot = items.iter().position(|(k, _)| k == last);
    match (op, slot) {
        (AssignOp::Set, Some(i)) => items[i].1 = new,
        (AssignOp::Set, None) | (AssignOp::Union, None) => items.push((last.clone(), new)),
        (AssignOp::Union, Some(i)) => {
            // Array union: keys already there keep their values.
            if let (Node::Map(have, _), Node::Map(add, _)) = (&mut items[i].1, new) {
                for (k, v) in add {
                    if !have.iter().any(|(h, _)| *h == k) {
                        have.push((k, v));
                    }
                }
            }
        }
        (AssignOp::Other, Some(i)) => items[i].1 = Node::Leaf(Expr::Other, cond),
        (AssignOp::Other, None) => items.push((last.clone(), Node::Leaf(Expr::Other, cond))),
    }
}

fn form_field(tab: &str, def: &Node, conditional: bool) -> FormField {
    let text = |key: &str| def.get(key).and_then(Node::literal_string);
    let formtype = text("formtype");
    let default = def.get("default").map(|node| match node {
        Node::Leaf(e, _) => match e.literal() {
            Some(lit) => FieldDefault::Literal(json(&lit)),
            None => FieldDefault::NotLiteral,
        },
        Node::Map(..) => match node_literal(node) {
            Some(lit) => FieldDefault::Literal(json(&lit)),
            None => FieldDefault::NotLiteral,
        },
    });
    let options = def
        .get("value")
        .and_then(|v| options(v, formtype.as_deref()));
    let validators = def
        .get("validators")
        .map(|v| {
            v.entries()
                .iter()
                .map(|(_, val)| Validator {
                    kind: val.get("type").and_then(Node::literal_string),
                    errmsg: val.get("errmsg").and_then(Node::literal_string),
                    regex: val.get("regex").and_then(Node::literal_string),
                })
                .collect()
        })
        .unwrap_or_default();
    // The panel hashes what a PASSWORD control sends; other secret fields
    // are classified by named fixups (crate::fixups::ispconfig).
    let secrecy = (formtype.as_deref() == Some("PASSWORD")).then(|| Secrecy {
        class: SecrecyClass::Password,
        source: "formtype PASSWORD".to_owned(),
    });
    FormField {
        tab: tab.to_owned(),
        conditional,
        datatype: text("datatype"),
        formtype,
        default,
        options,
        validators,
        secrecy,
    }
}

/// Option keys, or `[off, on]` for a checkbox; `None` unless literal.
fn options(value: &Node, formtype: Option<&str>) -> Option<Vec<String>> {
    let Node::Map(items, _) = value else {
        return None;
    };
    if formtype == Some("CHECKBOX") {
        let off = value.get("0")?.literal_string()?;
        let on = value.get("1")?.literal_string()?;
        return Some(vec![off, on]);
    }
    if items.is_empty() {
        return None;
    }
    Some(items.iter().map(|(k, _)| k.clone()).collect())
}

/// A map node as a literal, when everything in it is one.
fn node_literal(node: &Node) -> Option<Literal> {
    match node {
        Node::Leaf(e, _) => e.literal(),
        Node::Map(items, _) => items
            .iter()
            .map(|(k, v)| {
                let key = ArrayKey::from_scalar(&Scalar::Str(k.clone()))?;
                Some((key, node_literal(v)?))
            })
            .collect::<Option<Vec<_>>>()
            .map(Literal::Array),
    }
}

/// A literal as JSON: lists for arrays keyed 0..n, objects otherwise.
fn json(lit: &Literal) -> serde_json::Value {
    use serde_json::Value as J;
    match lit {
        Literal::Scalar(Scalar::Null) => J::Null,
        Literal::Scalar(Scalar::Bool(b)) => J::Bool(*b),
        Literal::Scalar(Scalar::Int(i)) => J::from(*i),
        Literal::Scalar(Scalar::Float(f)) => {
            serde_json::Number::from_f64(*f).map_or(J::Null, J::Number)
        }
        Literal::Scalar(Scalar::Str(s)) => J::String(s.clone()),
        Literal::Array(items) => {
            let is_list = items
                .iter()
                .enumerate()
                .all(|(i, (k, _))| *k == ArrayKey::Int(i as i64));
            if is_list {
                J::Array(items.iter().map(|(_, v)| json(v)).collect())
            } else {
                J::Object(items.iter().map(|(k, v)| (k.to_text(), json(v))).collect())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn union_keeps_existing_keys_and_marks_conditional_additions() {
        let form = read(
            "<?php $form['db_table'] = 't'; $form['db_table_idx'] = 'id';
             $form['tabs']['a'] = array('fields' => array('x' => array('datatype' => 'INTEGER')));
             if ($admin) { $form['tabs']['a']['fields'] += array('x' => array('datatype' => 'TEXT'), 'y' => array()); }",
        )
        .unwrap();
        assert_eq!(form.fields["x"].datatype.as_deref(), Some("INTEGER"));
        assert!(!form.fields["x"].conditional);
        assert!(form.fields["y"].conditional);
    }

    const FIXTURE: &str = include_str!(
        "../../../tests/fixtures/ispconfig/forms/interface/web/rec/form/rec_a.tform.php"
    );

    proptest::proptest! {
        #[test]
        fn arbitrary_text_never_panics(text in "<\\?php [ -~\n]{0,300}") {
            let _ = read(&text);
        }

        #[test]
        fn mutated_forms_never_panic(cut in 0usize..FIXTURE.len(), len in 0usize..40, insert in "[ -~]{0,8}") {
            // Delete a run of bytes and insert some junk: unbalanced brackets,
            // broken strings, stray operators.
            let mut bytes = FIXTURE.as_bytes().to_vec();
            let end = (cut + len).min(bytes.len());
            bytes.splice(cut..end, insert.bytes());
            let text = String::from_utf8_lossy(&bytes);
            let _ = read(&text);
        }
    }

    #[test]
    fn missing_table_is_an_error() {
        let err = read("<?php $form['tabs']['a']['fields']['x'] = array();").unwrap_err();
        assert!(err.0.contains("db_table"), "{err:?}");
    }
}
