//! The OpenAPI frontend on the IONOS Cloud API specs (v6 current, v5 kept
//! for the upgrade diff): the committed inventories are exactly what the
//! frontend and the IONOS fixups produce, the counts SOURCE.md states, each
//! fixup repairs every instance of its bug in the real spec, and the v5 → v6
//! diff is snapshotted.

use std::collections::BTreeSet;
use std::path::PathBuf;

use codegen::diff::diff;
use codegen::extract::openapi::{self, SpecMeta};
use codegen::fixups::{self, ionos as ionos_fixups};
use codegen::model::{Inventory, Protocol, TypeDef};
use codegen::regen::{read_inventory, workspace_root};
use openapiv3::{OpenAPI, ReferenceOr, Schema, SchemaKind};

/// The current spec (v6), as `inventories/ionos/inventory.json` records it.
const V6: &str = "inventories/ionos/inventory.json";
/// The v5 spec kept for the upgrade diff.
const V5: &str = "inventories/ionos/versions/v5.json";

/// The spec `inventory` records (repository, commit, path, sha256), through
/// the upstream resolver (`PANELKIT_UPSTREAM_DIR`, the cache or a download).
fn upstream(inventory: &str) -> PathBuf {
    upstream::path_for(&workspace_root(), inventory)
}

fn extract(inventory: &str, version: &str, tag: &str, commit: &str) -> Inventory {
    let meta = SpecMeta {
        panel: "ionos".into(),
        upstream_version: Some(version.into()),
        repository: Some("ionos-cloud/sdk-go".into()),
        tag: Some(tag.into()),
        commit: Some(commit.into()),
        path_in_repository: "api/openapi.yaml".into(),
    };
    openapi::extract_file(
        &upstream(inventory),
        meta,
        fixups::for_spec("ionos", Some(version)),
    )
    .unwrap_or_else(|e| panic!("the spec of {inventory}: {e}"))
}

fn v6() -> Inventory {
    extract(
        V6,
        "v6",
        "v6.1.4",
        "303557d65b5ae1e53f312cfd608ccbb892e79449",
    )
}

fn v5() -> Inventory {
    extract(
        V5,
        "v5",
        "v5.1.12",
        "89cd9e84198b74eebdf2eff29a92f0e718c3c376",
    )
}

fn spec(inventory: &str) -> OpenAPI {
    openapi::parse(&std::fs::read_to_string(upstream(inventory)).unwrap()).unwrap()
}

#[test]
fn committed_inventories_are_what_the_frontend_produces() {
    let root = workspace_root();
    let committed = read_inventory(&root.join("inventories/ionos/inventory.json")).unwrap();
    assert!(
        committed == v6(),
        "inventories/ionos/inventory.json is stale: cargo xtask extract ionos --spec \
         <the spec with the recorded sha256> --version v6 --repository ionos-cloud/sdk-go \
         --tag v6.1.4 --commit 303557d65b5ae1e53f312cfd608ccbb892e79449 --path-in-repo api/openapi.yaml"
    );
    let old = read_inventory(&root.join("inventories/ionos/versions/v5.json")).unwrap();
    assert!(old == v5(), "inventories/ionos/versions/v5.json is stale");
}

fn component_count(inv: &Inventory) -> usize {
    inv.types
        .values()
        .filter(|t| {
            let loc = match t {
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
            };
            loc.starts_with("#/components/schemas/") && loc.matches('/').count() == 3
        })
        .count()
}

fn statuses(inv: &Inventory) -> (usize, usize) {
    let mut accepted = 0;
    let mut with_location = 0;
    for op in &inv.operations {
        let Protocol::Http { responses, .. } = &op.protocol else {
            panic!("{} is not HTTP", op.name)
        };
        if let Some(r) = responses
            .iter()
            .find(|r| r.status == codegen::model::ResponseStatus::Code(202))
        {
            accepted += 1;
            if r.headers.iter().any(|h| h.name == "Location") {
                with_location += 1;
            }
        }
    }
    (accepted, with_location)
}

#[test]
fn counts_match_the_specs() {
    let inv = v6();
    assert_eq!(inv.operations.len(), 245);
    let tags: BTreeSet<&str> = inv.operations.iter().map(|o| o.group.as_str()).collect();
    assert_eq!(tags.len(), 26, "{tags:?}");
    assert_eq!(component_count(&inv), 193);
    // SOURCE.md counts 98 `Location` headers: the 98th is on the 200 of
    // POST /um/users/{userId}/s3keys.
    assert_eq!(statuses(&inv), (125, 97));
    assert_eq!(
        inv.source.sha256,
        "89c302943a0069b86c631f08fadf1037cb729572fb212073ff154d15a59213ba"
    );

    let old = v5();
    assert_eq!(old.operations.len(), 174);
    let tags: BTreeSet<&str> = old.operations.iter().map(|o| o.group.as_str()).collect();
    assert_eq!(tags.len(), 18, "{tags:?}");
    assert_eq!(component_count(&old), 139);
    assert_eq!(
        old.source.sha256,
        "3df697428288fa6138a64ef2d653f42df767d1d70613d7a28842597bf758547b"
    );
}

/// Properties shaped `{allOf: [$ref], type: object}` under component schemas.
fn wrapped(spec: &OpenAPI) -> usize {
    fn walk(schema: &Schema) -> usize {
        let (properties, parts): (Vec<&ReferenceOr<Box<Schema>>>, Vec<&ReferenceOr<Schema>>) =
            match &schema.schema_kind {
                SchemaKind::Type(openapiv3::Type::Object(o)) => {
                    (o.properties.values().collect(), Vec::new())
                }
                SchemaKind::Any(a) => (a.properties.values().collect(), a.all_of.iter().collect()),
                SchemaKind::AllOf { all_of } => (Vec::new(), all_of.iter().collect()),
                _ => (Vec::new(), Vec::new()),
            };
        let mut n = 0;
        for p in properties {
            if let ReferenceOr::Item(p) = p {
                match &p.schema_kind {
                    SchemaKind::Any(a)
                        if a.typ.as_deref() == Some("object") && a.all_of.len() == 1 =>
                    {
                        n += 1
                    }
                    _ => n += walk(p),
                }
            }
        }
        n + parts
            .into_iter()
            .filter_map(ReferenceOr::as_item)
            .map(walk)
            .sum::<usize>()
    }
    spec.components
        .iter()
        .flat_map(|c| c.schemas.values())
        .filter_map(ReferenceOr::as_item)
        .map(walk)
        .sum()
}

/// Request bodies per content type over all operations.
fn body_types(spec: &OpenAPI) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (path, item) in &spec.paths.paths {
        for (method, op) in item.as_item().unwrap().iter() {
            if let Some(ReferenceOr::Item(body)) = &op.request_body {
                for content_type in body.content.keys() {
                    if content_type != "application/json" {
                        out.push((
                            format!("{} {path}", method.to_uppercase()),
                            content_type.clone(),
                        ));
                    }
                }
            }
        }
    }
    out.sort();
    out
}

#[test]
fn each_fixup_repairs_every_instance_of_its_bug_in_v6() {
    let mut s = spec(V6);
    assert_eq!(wrapped(&s), 78);
    let before = body_types(&s);
    assert_eq!(
        before.iter().filter(|(_, t)| t == "*/*").count(),
        11,
        "{before:?}"
    );
    assert_eq!(
        before
            .iter()
            .filter(|(op, _)| op.starts_with("PATCH"))
            .count(),
        10,
        "{before:?}"
    );
    assert_eq!(
        before
            .iter()
            .filter(|(_, t)| t == "application/x-www-form-urlencoded")
            .count(),
        2
    );
    fixups::apply(&mut s, ionos_fixups::FIXUPS).unwrap();
    assert_eq!(wrapped(&s), 0);
    let after = body_types(&s);
    assert_eq!(
        after,
        vec![
            (
                "POST /datacenters/{datacenterId}/volumes/{volumeId}/create-snapshot".to_owned(),
                "application/x-www-form-urlencoded".to_owned()
            ),
            (
                "POST /datacenters/{datacenterId}/volumes/{volumeId}/restore-snapshot".to_owned(),
                "application/x-www-form-urlencoded".to_owned()
            ),
        ]
    );
    // Applied twice, every fixup finds its bug gone and says so by name.
    for fixup in ionos_fixups::FIXUPS {
        let err = fixups::apply(&mut s, std::slice::from_ref(fixup)).unwrap_err();
        assert!(err.contains(fixup.name), "{err}");
    }
}

#[test]
fn fixed_types_reach_the_inventory() {
    let inv = v6();
    let TypeDef::Record { fields, .. } = &inv.types["Datacenter"] else {
        panic!()
    };
    assert_eq!(fields["type"].ty.to_string(), "#Type");
    let TypeDef::Record { fields, .. } = &inv.types["NatGatewayRuleProperties"] else {
        panic!()
    };
    assert_eq!(fields["protocol"].ty.to_string(), "#NatGatewayRuleProtocol");
    assert_eq!(fields["type"].ty.to_string(), "#NatGatewayRuleType");
    let op = inv
        .operations
        .iter()
        .find(|o| o.name == "k8sKubeconfigGet")
        .unwrap();
    let Protocol::Http { responses, .. } = &op.protocol else {
        panic!()
    };
    let ok = responses
        .iter()
        .find(|r| r.status == codegen::model::ResponseStatus::Code(200))
        .unwrap();
    assert_eq!(ok.content.len(), 1);
    assert_eq!(ok.content[0].content_type, "application/yaml");
    assert_eq!(
        ok.content[0].ty,
        Some(codegen::schema_type::SchemaType::String(None))
    );
    // Both schemes on every operation but GET /.
    for op in &inv.operations {
        let Protocol::Http { security, .. } = &op.protocol else {
            panic!()
        };
        let expected: &[&str] = if op.name == "apiInfoGet" {
            &[]
        } else {
            &["Basic Authentication", "Token Authentication"]
        };
        assert_eq!(security, expected, "{}", op.name);
    }
}

#[test]
fn upgrade_v5_to_v6() {
    let root = workspace_root();
    let old = codegen::inventories::find(&root, "ionos", "v5").unwrap();
    let new = codegen::inventories::find(&root, "ionos", "v6").unwrap();
    insta::assert_snapshot!(diff(&old, &new).to_string());
}
