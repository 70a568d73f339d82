//! The OpenAPI frontend on the real SFTPGo spec: counts, the quirks the
//! peers get wrong, and that the committed inventories are exactly what the
//! frontend produces from the upstream files.

use std::collections::BTreeSet;
use std::path::PathBuf;

use codegen::extract::openapi::{self, SpecMeta};
use codegen::model::{Inventory, Protocol, TypeDef};
use codegen::regen::{read_inventory, workspace_root};

/// The spec `inventory` records (repository, commit, path, sha256), through
/// the upstream resolver (`PANELKIT_UPSTREAM_DIR`, the cache or a download).
fn upstream(inventory: &str) -> PathBuf {
    upstream::path_for(&workspace_root(), inventory)
}

fn extract(inventory: &str, version: &str, tag: Option<&str>, commit: &str) -> Inventory {
    let meta = SpecMeta {
        panel: "sftpgo".into(),
        upstream_version: Some(version.into()),
        repository: Some("drakkan/sftpgo".into()),
        tag: tag.map(Into::into),
        commit: Some(commit.into()),
        path_in_repository: "openapi/openapi.yaml".into(),
    };
    openapi::extract_file(
        &upstream(inventory),
        meta,
        codegen::fixups::for_panel("sftpgo"),
    )
    .unwrap_or_else(|e| panic!("the spec of {inventory}: {e}"))
}

fn main_inventory() -> Inventory {
    extract(
        "inventories/sftpgo/inventory.json",
        "main",
        None,
        "42f7a4d415dc7a97da08880edb82e5b0db5fcfc8",
    )
}

#[test]
fn committed_inventories_are_what_the_frontend_produces() {
    let root = workspace_root();
    let committed = read_inventory(&root.join("inventories/sftpgo/inventory.json")).unwrap();
    assert!(
        committed == main_inventory(),
        "inventories/sftpgo/inventory.json is stale: rerun cargo xtask extract sftpgo (see the commit that added it)"
    );
    let old = read_inventory(&root.join("inventories/sftpgo/versions/v2.7.5.json")).unwrap();
    let fresh = extract(
        "inventories/sftpgo/versions/v2.7.5.json",
        "v2.7.5",
        Some("v2.7.5"),
        "9888a3d169aed9011ae6e4f7a97ae735c1643068",
    );
    assert!(
        old == fresh,
        "inventories/sftpgo/versions/v2.7.5.json is stale"
    );
}

#[test]
fn counts_match_the_spec() {
    let inv = main_inventory();
    assert_eq!(inv.operations.len(), 119);
    let groups: BTreeSet<&str> = inv.operations.iter().map(|o| o.group.as_str()).collect();
    assert_eq!(groups.len(), 18, "{groups:?}");
    let components = inv
        .types
        .values()
        .filter(|t| {
            let loc = source_location(t);
            loc.starts_with("#/components/schemas/") && loc.matches('/').count() == 3
        })
        .count();
    assert_eq!(components, 116);
    let mut methods = [0; 5];
    for op in &inv.operations {
        let Protocol::Http { method, .. } = &op.protocol else {
            panic!("{} is not HTTP", op.name)
        };
        let i = ["GET", "POST", "PUT", "DELETE", "PATCH"]
            .iter()
            .position(|m| *m == method.as_str())
            .unwrap();
        methods[i] += 1;
    }
    assert_eq!(methods, [49, 34, 19, 14, 3]);
    assert_eq!(
        inv.source.sha256,
        "1b2afa3d8e10edeb50412716eb36b28b55ae2921cf92f9bc65434ff1cfcc33c5"
    );
}

fn source_location(t: &TypeDef) -> &str {
    match t {
        TypeDef::Record {
            source_location, ..
        }
        | TypeDef::Enum {
            source_location, ..
        }
        | TypeDef::Alias {
            source_location, ..
        }
        | TypeDef::OneOf {
            source_location, ..
        } => source_location,
    }
}

fn http(inv: &Inventory, name: &str) -> Protocol {
    inv.operation(name)
        .unwrap_or_else(|| panic!("no {name}"))
        .protocol
        .clone()
}

#[test]
fn operations_without_operation_id_get_names_from_method_and_path() {
    let inv = main_inventory();
    for (name, path) in [
        ("post_user_file_actions_copy", "/user/file-actions/copy"),
        ("post_user_file_actions_move", "/user/file-actions/move"),
    ] {
        let Protocol::Http {
            method, path: p, ..
        } = http(&inv, name)
        else {
            unreachable!()
        };
        assert_eq!((method.as_str(), p.as_str()), ("POST", path));
        assert_eq!(inv.operation(name).unwrap().group, "user APIs");
    }
}

#[test]
fn quirks_are_recorded() {
    let inv = main_inventory();
    // Path-level server override.
    let Protocol::Http {
        server,
        security,
        responses,
        ..
    } = http(&inv, "healthz")
    else {
        unreachable!()
    };
    assert_eq!(server.as_deref(), Some("/"));
    assert!(security.is_empty());
    assert_eq!(
        responses[0].content[0].content_type,
        "text/plain; charset=utf-8"
    );
    // `default` responses are kept.
    let Protocol::Http {
        responses,
        security,
        ..
    } = http(&inv, "get_users")
    else {
        unreachable!()
    };
    assert!(responses
        .iter()
        .any(|r| r.status == codegen::model::ResponseStatus::Default));
    assert_eq!(security, ["BearerAuth", "APIKeyAuth"]);
    // Only Basic on the token endpoints.
    let Protocol::Http { security, .. } = http(&inv, "get_token") else {
        unreachable!()
    };
    assert_eq!(security, ["BasicAuth"]);
    // dumpdata answers one of ApiResponse and BackupData.
    let Protocol::Http { responses, .. } = http(&inv, "dumpdata") else {
        unreachable!()
    };
    let ty = responses[0].content[0].ty.clone().unwrap().to_string();
    match &inv.types[ty.trim_start_matches('#')] {
        TypeDef::OneOf { variants, .. } => assert_eq!(
            variants.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["#ApiResponse", "#BackupData"]
        ),
        other => panic!("{other:?}"),
    }
    // Response headers of a create.
    let Protocol::Http { responses, .. } = http(&inv, "add_api_key") else {
        unreachable!()
    };
    let names: Vec<&str> = responses[0]
        .headers
        .iter()
        .map(|h| h.name.as_str())
        .collect();
    assert_eq!(names, ["X-Object-ID", "Location"]);
    // Raw upload content types, header and query parameters.
    let op = inv.operation("create_user_file").unwrap();
    let Protocol::Http { request_bodies, .. } = &op.protocol else {
        unreachable!()
    };
    let types: Vec<&str> = request_bodies
        .iter()
        .map(|b| b.content_type.as_str())
        .collect();
    assert_eq!(
        types,
        ["application/*", "text/*", "image/*", "audio/*", "video/*"]
    );
    let mtime = op
        .params
        .iter()
        .find(|p| p.name == "X-SFTPGO-MTIME")
        .unwrap();
    assert_eq!(mtime.location, Some(codegen::model::ParamLocation::Header));
    assert!(op.params.iter().any(|p| p.name == "mkdir_parents"));
}

#[test]
fn bad_specs_are_clear_errors_not_panics() {
    let err = openapi::parse("openapi: [unclosed").unwrap_err();
    assert!(err.0.contains("not an OpenAPI 3.0 document"), "{err}");
    let err = openapi::parse("just text").unwrap_err();
    assert!(err.0.contains("not an OpenAPI 3.0 document"), "{err}");
    let dangling = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Missing'}\n";
    let spec = openapi::parse(dangling).unwrap();
    let err = openapi::extract(&spec, dangling.as_bytes(), SpecMeta::default()).unwrap_err();
    assert!(
        err.0.contains("dangling $ref #/components/schemas/Missing"),
        "{err}"
    );
}

#[test]
fn properties_without_type_object_are_a_record() {
    // Legal OpenAPI, and the IONOS spec writes request bodies this way.
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    post:\n      operationId: post_x\n      requestBody:\n        content:\n          application/json:\n            schema:\n              properties:\n                name: {type: string}\n      responses:\n        '204': {description: done}\n";
    let spec = openapi::parse(text).unwrap();
    let inv = openapi::extract(&spec, text.as_bytes(), SpecMeta::default()).unwrap();
    match &inv.types["PostXRequest"] {
        TypeDef::Record { fields, .. } => assert_eq!(fields["name"].ty.to_string(), "string"),
        other => panic!("{other:?}"),
    }
}
