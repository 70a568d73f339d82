//! Facts from a saved `out=json` answer of a list function.
//!
//! COREmanager 6 describes its lists in every answer: `metadata` names the
//! list (`$name`), its type and key column (`$type`, `$key`) and its columns
//! (`coldata.col`, property columns with their flags under `prop`), and the
//! `toolbar` / `contextmenu` name the functions the list leads to with their
//! kind (`edit`/`new` → form, `group` → group operation, `editlist` → a
//! nested list whose `plid` is this list's key, others kept as written). The
//! rows (`elem`) show which fields really come back. An operator can save
//! such answers from their own panel (`?func=webdomain&out=json`) and extract
//! exactly what their installation serves.

use serde_json::Value;

use super::FunctionDetail;
use crate::model::{Column, FunctionType};

/// Reads the functions an answer describes: the list itself first, then the
/// toolbar's and context menu's functions in order of appearance. Malformed
/// or foreign JSON gives an error message, never a panic.
pub fn parse_answer(text: &str) -> Result<Vec<FunctionDetail>, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let doc = value
        .get("doc")
        .ok_or("no \"doc\": not a COREmanager out=json answer")?;
    let metadata = doc.get("metadata");
    let name = metadata
        .and_then(|m| text_of(m.get("$name")))
        .or_else(|| text_of(doc.get("$func")))
        .ok_or("no function name ($func or metadata $name)")?;
    let kind = metadata.and_then(|m| text_of(m.get("$type")));
    let key = metadata
        .and_then(|m| text_of(m.get("$key")))
        .unwrap_or_else(|| "id".to_owned());
    let mut list = FunctionDetail {
        name: name.clone(),
        function_type: kind.map(FunctionType::from),
        ..FunctionDetail::default()
    };
    if let Some(cols) = metadata
        .and_then(|m| m.get("coldata"))
        .and_then(|c| c.get("col"))
    {
        for col in items(cols) {
            let col_type = text_of(col.get("$type")).unwrap_or_default();
            if col_type == "prop" {
                // A property column shows flags; the flags are the fields.
                for prop in col.get("prop").map(items).unwrap_or_default() {
                    if let Some(flag) = text_of(prop.get("$name")) {
                        push_column(&mut list.columns, &flag);
                    }
                }
            } else if let Some(col_name) = text_of(col.get("$name")) {
                push_column(&mut list.columns, &col_name);
            }
        }
    }
    let mut row_fields: Vec<String> = Vec::new();
    for elem in doc.get("elem").map(items).unwrap_or_default() {
        if let Value::Object(fields) = elem {
            for field in fields.keys().filter(|k| !k.starts_with('$')) {
                if !row_fields.contains(field) {
                    row_fields.push(field.clone());
                }
            }
        }
    }
    row_fields.sort();
    for field in &row_fields {
        push_column(&mut list.columns, field);
    }
    let mut out = vec![list];
    for area in ["toolbar", "contextmenu"] {
        let Some(groups) = metadata
            .and_then(|m| m.get(area))
            .or_else(|| doc.get(area))
            .and_then(|t| t.get("toolgrp"))
        else {
            continue;
        };
        for group in items(groups) {
            for button in group.get("toolbtn").map(items).unwrap_or_default() {
                let Some(func) = text_of(button.get("$func")) else {
                    continue;
                };
                if func == name || out.iter().any(|d| d.name == func) {
                    continue;
                }
                let button_type = text_of(button.get("$type")).unwrap_or_default();
                out.push(button_function(&func, &button_type, &name, &key));
            }
        }
    }
    Ok(out)
}

/// What a toolbar button says about the function it calls.
fn button_function(func: &str, button_type: &str, list: &str, key: &str) -> FunctionDetail {
    let target = format!("{list}:{key}");
    let mut detail = FunctionDetail {
        name: func.to_owned(),
        ..FunctionDetail::default()
    };
    match button_type {
        "edit" | "new" => {
            detail.function_type = Some(FunctionType::Form);
            detail.params.push(("elid".to_owned(), String::new()));
            detail.elid_of = Some(target);
        }
        "group" => {
            detail.function_type = Some(FunctionType::Group);
            detail.params.push(("elid".to_owned(), String::new()));
            detail.multiple_elids = true;
            detail.elid_of = Some(target);
        }
        "editlist" => {
            detail.function_type = Some(FunctionType::List);
            detail.params.push(("plid".to_owned(), String::new()));
            detail.plid_of = Some(target);
        }
        other => {
            detail.function_type = Some(FunctionType::Other(other.to_owned()));
            detail.params.push(("elid".to_owned(), String::new()));
            detail.elid_of = Some(target);
        }
    }
    detail
}

fn push_column(columns: &mut Vec<Column>, name: &str) {
    if !name.is_empty() && !columns.iter().any(|c| c.name == name) {
        columns.push(Column {
            name: name.to_owned(),
            summary: None,
        });
    }
}

/// A single child is an object, several an array: both as a slice of values.
fn items(value: &Value) -> Vec<&Value> {
    match value {
        Value::Array(items) => items.iter().collect(),
        Value::Null => Vec::new(),
        other => vec![other],
    }
}

fn text_of(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Object(map) => text_of(map.get("$")),
        _ => None,
    }
}
