//! The typed inventory model against the committed inventories: every one
//! (current and kept versions) loads and writes back byte for byte, so
//! typing locations, methods, statuses and type expressions changed no file;
//! and words the model does not know are load errors naming the operation.

use std::path::{Path, PathBuf};

use codegen::model::{HttpMethod, Inventory, LoadError, ParamLocation, ResponseStatus};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("codegen lives in the workspace")
        .to_owned()
}

/// `inventories/<panel>/inventory.json` and `inventories/<panel>/versions/*.json`
/// (not the DCImanager endpoint list beside its inventory, which is input).
fn committed_inventories() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let dir = workspace_root().join("inventories");
    for panel in std::fs::read_dir(&dir).expect("inventories/") {
        let panel = panel.expect("dir entry").path();
        let current = panel.join("inventory.json");
        if current.is_file() {
            out.push(current);
        }
        if let Ok(versions) = std::fs::read_dir(panel.join("versions")) {
            for kept in versions {
                let kept = kept.expect("dir entry").path();
                if kept.extension().is_some_and(|x| x == "json") {
                    out.push(kept);
                }
            }
        }
    }
    out.sort();
    out
}

#[test]
fn committed_inventories_round_trip_byte_for_byte() {
    let paths = committed_inventories();
    // Five panels, and the kept versions of three of them.
    assert!(paths.len() >= 5 + 3, "{paths:#?}");
    for path in paths {
        let text = std::fs::read_to_string(&path).expect("readable");
        let inventory =
            Inventory::from_json(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let written = inventory.to_json();
        if written != text {
            let line = text
                .lines()
                .zip(written.lines())
                .position(|(a, b)| a != b)
                .map_or_else(|| "the end".to_owned(), |i| format!("line {}", i + 1));
            panic!(
                "{} does not write back the same (first difference at {line})",
                path.display()
            );
        }
    }
}

/// The HTTP facts of the committed inventories are typed: every method,
/// location and status the five panels use reads into a variant.
#[test]
fn committed_http_facts_are_typed() {
    let text = std::fs::read_to_string(workspace_root().join("inventories/sftpgo/inventory.json"))
        .expect("readable");
    let inventory = Inventory::from_json(&text).expect("loads");
    let mut methods = std::collections::BTreeSet::new();
    let mut locations = std::collections::BTreeSet::new();
    let mut statuses = std::collections::BTreeSet::new();
    for op in &inventory.operations {
        let codegen::model::Protocol::Http {
            method, responses, ..
        } = &op.protocol
        else {
            panic!("{} is not HTTP", op.name)
        };
        methods.insert(*method);
        statuses.extend(responses.iter().map(|r| r.status));
        locations.extend(op.params.iter().filter_map(|p| p.location));
        for p in &op.params {
            assert!(
                p.schema_type().expect("checked at load").is_some(),
                "{}",
                op.name
            );
        }
    }
    assert!(methods.contains(&HttpMethod::Patch), "{methods:?}");
    assert_eq!(
        locations.into_iter().collect::<Vec<_>>(),
        [
            ParamLocation::Path,
            ParamLocation::Query,
            ParamLocation::Header
        ]
    );
    assert!(statuses.contains(&ResponseStatus::Code(206)));
    assert!(statuses.contains(&ResponseStatus::Default));
}

/// A one-operation HTTP inventory whose operation `name` has the given
/// parameter location, method, status and parameter type.
fn http_inventory(location: &str, method: &str, status: &str, ty: &str) -> String {
    format!(
        r##"{{
  "format": 3, "panel": "mini", "upstream_version": "1",
  "source": {{"root": "openapi.yaml", "sha256": "00", "files": []}},
  "extractor": {{"name": "openapi", "version": "1"}},
  "operations": [
    {{"name": "good_op", "source_location": "GET /a", "group": "a", "params": [],
      "protocol": {{"kind": "http", "method": "GET", "path": "/a", "security": [], "responses": []}}}},
    {{"name": "get_users", "source_location": "GET /users", "group": "users",
      "params": [{{"name": "limit", "ty": "{ty}", "required": false, "location": "{location}"}}],
      "protocol": {{"kind": "http", "method": "{method}", "path": "/users", "security": [],
                   "responses": [{{"status": "{status}"}}]}}}}
  ]
}}"##
    )
}

fn operation_error(text: &str) -> (String, String) {
    match Inventory::from_json(text) {
        Err(LoadError::Operation { operation, message }) => (operation, message),
        other => panic!("expected an operation error, got {other:?}"),
    }
}

#[test]
fn unknown_words_are_load_errors_naming_the_operation() {
    // The well-formed one loads, so each case below fails for its word only.
    Inventory::from_json(&http_inventory("query", "GET", "200", "integer(int32)"))
        .expect("the base case loads");
    for (text, word) in [
        (http_inventory("body", "GET", "200", "string"), "body"),
        (http_inventory("query", "get", "200", "string"), "get"),
        (http_inventory("query", "FETCH", "200", "string"), "FETCH"),
        (http_inventory("query", "GET", "2xx", "string"), "2xx"),
        (http_inventory("query", "GET", "0200", "string"), "0200"),
        (http_inventory("query", "GET", "600", "string"), "600"),
        (http_inventory("query", "GET", "200", "int"), "int"),
    ] {
        let (operation, message) = operation_error(&text);
        assert_eq!(operation, "get_users", "{message}");
        assert!(message.contains(word), "{word}: {message}");
        let shown = Inventory::from_json(&text).unwrap_err().to_string();
        assert!(shown.starts_with("operation get_users: "), "{shown}");
    }
}

#[test]
fn broken_json_is_a_json_error() {
    assert!(matches!(
        Inventory::from_json("{\"format\": 3,"),
        Err(LoadError::Json(_))
    ));
}

#[test]
fn statuses_read_and_write_as_inventories_spell_them() {
    for (text, status) in [
        ("200", ResponseStatus::Code(200)),
        ("404", ResponseStatus::Code(404)),
        ("2XX", ResponseStatus::Range(2)),
        ("5XX", ResponseStatus::Range(5)),
        ("default", ResponseStatus::Default),
    ] {
        assert_eq!(ResponseStatus::parse(text), Some(status), "{text}");
        assert_eq!(status.to_string(), text);
    }
    for bad in ["", "20", "2000", "6XX", "XX", "+20", "Default", " 200"] {
        assert_eq!(ResponseStatus::parse(bad), None, "{bad:?}");
    }
    assert!(ResponseStatus::Code(206).is_success());
    assert!(ResponseStatus::Range(2).is_success());
    assert!(!ResponseStatus::Code(302).is_success());
    assert!(!ResponseStatus::Default.is_success());
}
