//! Printing results: JSON (pretty; colored on a terminal unless told
//! otherwise) or a plain table.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use panelkit_core::redact::Redactor;
use serde_json::Value;

use crate::cli::{Color, Output};
use crate::columns::Columns;

/// How to print.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    /// JSON or table.
    pub output: Output,
    /// Whether to use ANSI colors.
    pub color: bool,
}

impl Style {
    /// The style for stdout, deciding `auto` color by whether stdout is a terminal.
    pub fn for_stdout(output: Output, color: Color) -> Self {
        use std::io::IsTerminal;
        Style {
            output,
            color: use_color(color, std::io::stdout().is_terminal()),
        }
    }
}

/// Whether to write ANSI colors to a stream: `--color always`/`never` as
/// said; `auto` only on a terminal and only without `NO_COLOR`.
pub fn use_color(choice: Color, is_terminal: bool) -> bool {
    match choice {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}

/// Masks the secrets of an answer before it is printed (every verb of
/// every panel goes through here): the names ISPConfig's inventory
/// classifies plus `panelkit_core::redact`'s rule for any panel, and every
/// private key block. With `show` the value stays as it is. Returns the
/// names of the fields that were (or, with `show`, would have been) masked.
pub fn hide_secrets(value: &mut Value, show: bool) -> BTreeSet<String> {
    let redactor = Redactor::new(panelkit_ispconfig::records::SECRET_FIELDS.iter().copied());
    if show {
        redactor.json(&mut value.clone())
    } else {
        redactor.json(value)
    }
}

/// Renders a value in the chosen style, with a trailing newline; a table
/// shows every column.
pub fn render(value: &Value, style: Style) -> String {
    match style.output {
        Output::Table | Output::Wide => table(value, &Columns::All).unwrap_or_default(),
        Output::Json => json(value, style.color),
    }
}

/// Renders a value in the chosen style with these table `columns`
/// (`--columns` asks for a table). Fails naming a picked column that no row
/// has, with the columns there are.
pub fn render_columns(value: &Value, style: Style, columns: &Columns) -> Result<String, String> {
    match (style.output, columns) {
        (Output::Json, Columns::All | Columns::Default(_)) => Ok(json(value, style.color)),
        _ => table(value, columns),
    }
}

fn json(value: &Value, color: bool) -> String {
    match color {
        true => {
            let mut out = String::new();
            colored_json(value, 0, &mut out);
            out.push('\n');
            out
        }
        false => {
            let mut out = serde_json::to_string_pretty(value).unwrap_or_default();
            out.push('\n');
            out
        }
    }
}

const KEY: &str = "\x1b[34m";
const STRING: &str = "\x1b[32m";
const NUMBER: &str = "\x1b[36m";
const LITERAL: &str = "\x1b[35m";
const RESET: &str = "\x1b[0m";

fn colored_json(value: &Value, indent: usize, out: &mut String) {
    let pad = |n: usize| "  ".repeat(n);
    match value {
        Value::Null | Value::Bool(_) => {
            let _ = write!(out, "{LITERAL}{value}{RESET}");
        }
        Value::Number(n) => {
            let _ = write!(out, "{NUMBER}{n}{RESET}");
        }
        Value::String(_) => {
            let _ = write!(out, "{STRING}{value}{RESET}");
        }
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        Value::Object(map) if map.is_empty() => out.push_str("{}"),
        Value::Array(items) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                out.push_str(&pad(indent + 1));
                colored_json(item, indent + 1, out);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            let _ = write!(out, "{}]", pad(indent));
        }
        Value::Object(map) => {
            out.push_str("{\n");
            for (i, (key, item)) in map.iter().enumerate() {
                let key = Value::String(key.clone());
                let _ = write!(out, "{}{KEY}{key}{RESET}: ", pad(indent + 1));
                colored_json(item, indent + 1, out);
                out.push_str(if i + 1 < map.len() { ",\n" } else { "\n" });
            }
            let _ = write!(out, "{}}}", pad(indent));
        }
    }
}

/// A cell: scalars as text, nested values as compact JSON.
fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.replace(['\n', '\t'], " "),
        other => other.to_string(),
    }
}

/// The value at a column: a field, or a dotted path into nested objects.
fn at<'a>(item: &'a Value, column: &str) -> Option<&'a Value> {
    item.get(column).or_else(|| {
        column
            .split('.')
            .try_fold(item, |value, key| value.get(key))
    })
}

/// The header of a column: its last path segment, upper-cased.
fn header(column: &str) -> String {
    column.rsplit('.').next().unwrap_or(column).to_uppercase()
}

/// The columns of a list of objects: the union of their keys in first-seen
/// order, narrowed as `columns` says.
fn table_columns<'a>(items: &'a [Value], columns: &'a Columns) -> Result<Vec<&'a str>, String> {
    let mut seen = BTreeSet::new();
    let mut all: Vec<&str> = Vec::new();
    for item in items {
        for key in item.as_object().into_iter().flat_map(|m| m.keys()) {
            if seen.insert(key.as_str()) {
                all.push(key);
            }
        }
    }
    let present = |column: &str| items.iter().any(|item| at(item, column).is_some());
    Ok(match columns {
        Columns::All => all,
        Columns::Default(defaults) => {
            let shown: Vec<&str> = defaults.iter().copied().filter(|c| present(c)).collect();
            if shown.is_empty() {
                all
            } else {
                shown
            }
        }
        Columns::Picked(picked) => {
            if let Some(missing) = picked.iter().find(|c| !present(c)) {
                return Err(format!(
                    "--columns: no column {missing:?} in this answer (columns: {})",
                    all.join(", ")
                ));
            }
            picked.iter().map(String::as_str).collect()
        }
    })
}

/// Rows of objects → one column per field (see [`Columns`]); an object →
/// key/value rows (only the picked keys with `--columns`); anything else →
/// its cell text.
fn table(value: &Value, columns: &Columns) -> Result<String, String> {
    let rows: Vec<Vec<String>> = match value {
        Value::Array(items) if items.iter().all(Value::is_object) && !items.is_empty() => {
            let columns = table_columns(items, columns)?;
            let mut rows = vec![columns.iter().map(|c| header(c)).collect()];
            rows.extend(items.iter().map(|item| {
                columns
                    .iter()
                    .map(|c| at(item, c).map(cell).unwrap_or_default())
                    .collect()
            }));
            rows
        }
        Value::Array(items) => items.iter().map(|i| vec![cell(i)]).collect(),
        Value::Object(map) => match columns {
            Columns::Picked(picked) => {
                let one = std::slice::from_ref(value);
                table_columns(one, columns)?;
                picked
                    .iter()
                    .map(|c| vec![c.clone(), at(value, c).map(cell).unwrap_or_default()])
                    .collect()
            }
            _ => map.iter().map(|(k, v)| vec![k.clone(), cell(v)]).collect(),
        },
        other => vec![vec![cell(other)]],
    };
    Ok(aligned(&rows))
}

/// The rows as text, each column padded to its widest cell.
fn aligned(rows: &[Vec<String>]) -> String {
    let widths: Vec<usize> = (0..rows.iter().map(Vec::len).max().unwrap_or(0))
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let line: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c:<width$}", width = widths[i]))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn table_of_rows_has_a_header_and_aligned_columns() {
        let rows = json!([{"id": 1, "name": "a"}, {"id": 22, "extra": true}]);
        assert_eq!(
            render(
                &rows,
                Style {
                    output: Output::Table,
                    color: false
                }
            ),
            "ID  NAME  EXTRA\n1   a\n22        true\n"
        );
    }

    fn table_with(value: &Value, columns: &Columns) -> Result<String, String> {
        render_columns(
            value,
            Style {
                output: Output::Table,
                color: false,
            },
            columns,
        )
    }

    #[test]
    fn default_columns_narrow_a_table_and_wide_shows_all() {
        let rows = json!([
            {"id": 1, "name": "a", "notes": "long", "properties": {"size": 5}},
            {"id": 22, "name": "bb", "notes": "longer"},
        ]);
        let defaults = Columns::Default(&["id", "properties.size", "absent"]);
        assert_eq!(
            table_with(&rows, &defaults).unwrap(),
            "ID  SIZE\n1   5\n22\n"
        );
        assert_eq!(
            table_with(&rows, &Columns::All).unwrap(),
            "ID  NAME  NOTES   PROPERTIES\n1   a     long    {\"size\":5}\n22  bb    longer\n"
        );
        // No default column present: every column rather than an empty table.
        assert_eq!(
            table_with(&rows, &Columns::Default(&["x"])).unwrap(),
            table_with(&rows, &Columns::All).unwrap()
        );
    }

    #[test]
    fn picked_columns_come_in_the_order_given_and_must_exist() {
        let rows = json!([{"id": 1, "name": "a"}]);
        let picked = Columns::Picked(vec!["name".into(), "id".into()]);
        assert_eq!(table_with(&rows, &picked).unwrap(), "NAME  ID\na     1\n");
        let err = table_with(&rows, &Columns::Picked(vec!["nmae".into()])).unwrap_err();
        assert_eq!(
            err,
            "--columns: no column \"nmae\" in this answer (columns: id, name)"
        );
        let object = json!({"id": 1, "name": "a"});
        assert_eq!(
            table_with(&object, &Columns::Picked(vec!["name".into()])).unwrap(),
            "name  a\n"
        );
        // --columns asks for a table even when the output is JSON.
        let as_json = render_columns(
            &rows,
            Style {
                output: Output::Json,
                color: false,
            },
            &Columns::Picked(vec!["id".into()]),
        );
        assert_eq!(as_json.unwrap(), "ID\n1\n");
    }

    #[test]
    fn table_of_an_object_is_key_value() {
        let obj = json!({"a": "x", "b": {"c": 1}});
        assert_eq!(
            render(
                &obj,
                Style {
                    output: Output::Table,
                    color: false
                }
            ),
            "a  x\nb  {\"c\":1}\n"
        );
    }

    #[test]
    fn colored_json_is_json_once_colors_are_stripped() {
        let value = json!({"a": [1, "two", null, {"b": false}], "empty": {}});
        let colored = render(
            &value,
            Style {
                output: Output::Json,
                color: true,
            },
        );
        assert!(colored.contains("\x1b["));
        let plain = colored
            .split('\x1b')
            .enumerate()
            .map(|(i, part)| {
                if i == 0 {
                    part
                } else {
                    part.split_once('m').map_or("", |p| p.1)
                }
            })
            .collect::<String>();
        assert_eq!(serde_json::from_str::<Value>(&plain).unwrap(), value);
        assert_eq!(
            plain,
            render(
                &value,
                Style {
                    output: Output::Json,
                    color: false
                }
            )
        );
    }
}
