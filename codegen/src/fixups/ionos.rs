//! Fixes of the IONOS Cloud API v6 spec (the file `inventories/ionos/inventory.json`
//! records by repository, commit and sha256; tests get it through the
//! `panelkit-upstream` resolver, see `PANELKIT_UPSTREAM_DIR`). The
//! committed spec is openapi-generator's conversion of a Swagger 2.0
//! original; each bug below is a leftover of that conversion. Every fixup
//! fails when it finds nothing to fix.

use std::collections::BTreeSet;

use openapiv3::{
    MediaType, ObjectType, OpenAPI, Operation, ReferenceOr, RequestBody, Response, Schema,
    SchemaKind, Type,
};

use super::Fixup;

/// The IONOS fixups, in the order they run.
pub const FIXUPS: &[Fixup] = &[
    Fixup {
        name: "ionos_enum_properties_typed_as_objects",
        bug: "78 properties are `{allOf: [$ref <string enum>], type: object}` (Type, \
              NatGatewayRuleType, NatGatewayRuleProtocol): no value can be both an object and \
              a string, so they are read as plain references to the enum",
        apply: enum_properties_typed_as_objects,
    },
    Fixup {
        name: "ionos_json_bodies_typed_any",
        bug: "POST /um/groups/{groupId}/shares/{resourceId} and (v6) 10 PATCH operations \
              declare their JSON request body as `*/*`; the API takes application/json",
        apply: json_bodies_typed_any,
    },
    Fixup {
        name: "ionos_snapshot_forms_without_object_type",
        bug: "the form-encoded bodies of POST .../volumes/{volumeId}/create-snapshot and \
              .../restore-snapshot (Swagger 2.0 formData parameters) have properties but no \
              `type: object`",
        apply: snapshot_forms_without_object_type,
    },
    Fixup {
        name: "ionos_kubeconfig_as_json_string",
        bug: "GET /k8s/{k8sClusterId}/kubeconfig declares its answer as a JSON *string* \
              besides YAML text (JSON would be an object) and its errors as YAML; the \
              kubeconfig is read as YAML text and errors as the JSON Error",
        apply: kubeconfig_as_json_string,
    },
];

/// The fixups of the legacy v5 spec (kept for `cargo xtask diff ionos v5
/// v6`): the same conversion leftovers but the kubeconfig one, whose answer
/// v5 declares as a JSON `KubernetesConfig`.
pub const FIXUPS_V5: &[Fixup] = &[FIXUPS[0], FIXUPS[1], FIXUPS[2]];

const FORM: &str = "application/x-www-form-urlencoded";
const JSON: &str = "application/json";
const ANY: &str = "*/*";
const YAML: &str = "application/yaml";
const KUBECONFIG: &str = "/k8s/{k8sClusterId}/kubeconfig";

/// Every operation of the spec, mutably.
fn operations_mut(spec: &mut OpenAPI) -> impl Iterator<Item = (&String, &mut Operation)> {
    spec.paths.paths.iter_mut().flat_map(|(path, item)| {
        let ops: Vec<&mut Operation> = match item {
            ReferenceOr::Item(item) => [
                item.get.as_mut(),
                item.put.as_mut(),
                item.post.as_mut(),
                item.delete.as_mut(),
                item.options.as_mut(),
                item.head.as_mut(),
                item.patch.as_mut(),
                item.trace.as_mut(),
            ]
            .into_iter()
            .flatten()
            .collect(),
            ReferenceOr::Reference { .. } => Vec::new(),
        };
        ops.into_iter().map(move |op| (path, op))
    })
}

fn inline_body(op: &mut Operation) -> Option<&mut RequestBody> {
    match op.request_body.as_mut()? {
        ReferenceOr::Item(body) => Some(body),
        ReferenceOr::Reference { .. } => None,
    }
}

/// `$ref`s of the spec's string-enum component schemas.
fn string_enums(spec: &OpenAPI) -> BTreeSet<String> {
    let Some(components) = &spec.components else {
        return BTreeSet::new();
    };
    components
        .schemas
        .iter()
        .filter(|(_, s)| {
            matches!(s, ReferenceOr::Item(s) if matches!(&s.schema_kind, SchemaKind::Type(Type::String(t)) if !t.enumeration.is_empty()))
        })
        .map(|(name, _)| format!("#/components/schemas/{name}"))
        .collect()
}

/// The enum a `{allOf: [$ref E], type: object}` schema wraps, if `schema`
/// is one (and nothing else).
fn wrapped_enum(enums: &BTreeSet<String>, schema: &Schema) -> Option<String> {
    let SchemaKind::Any(any) = &schema.schema_kind else {
        return None;
    };
    let [ReferenceOr::Reference { reference }] = any.all_of.as_slice() else {
        return None;
    };
    let bare = any.typ.as_deref() == Some("object")
        && any.properties.is_empty()
        && any.one_of.is_empty()
        && any.any_of.is_empty()
        && any.enumeration.is_empty();
    (bare && enums.contains(reference)).then(|| reference.clone())
}

/// Replaces wrapped-enum properties under `schema`; counts them.
fn unwrap_properties(enums: &BTreeSet<String>, schema: &mut Schema, count: &mut usize) {
    let properties = match &mut schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => Some(&mut object.properties),
        SchemaKind::Any(any) => Some(&mut any.properties),
        _ => None,
    };
    if let Some(properties) = properties {
        for property in properties.values_mut() {
            let ReferenceOr::Item(inner) = property else {
                continue;
            };
            if let Some(reference) = wrapped_enum(enums, inner) {
                *property = ReferenceOr::Reference { reference };
                *count += 1;
            } else {
                unwrap_properties(enums, inner, count);
            }
        }
    }
    let parts: Vec<&mut ReferenceOr<Schema>> = match &mut schema.schema_kind {
        SchemaKind::AllOf { all_of } => all_of.iter_mut().collect(),
        SchemaKind::OneOf { one_of } => one_of.iter_mut().collect(),
        SchemaKind::AnyOf { any_of } => any_of.iter_mut().collect(),
        _ => Vec::new(),
    };
    for part in parts {
        if let ReferenceOr::Item(part) = part {
            unwrap_properties(enums, part, count);
        }
    }
    if let SchemaKind::Type(Type::Array(array)) = &mut schema.schema_kind {
        if let Some(ReferenceOr::Item(items)) = &mut array.items {
            unwrap_properties(enums, items, count);
        }
    }
}

/// `ionos_enum_properties_typed_as_objects`.
pub fn enum_properties_typed_as_objects(spec: &mut OpenAPI) -> Result<(), String> {
    let enums = string_enums(spec);
    let mut count = 0;
    for schema in spec
        .components
        .iter_mut()
        .flat_map(|c| c.schemas.values_mut())
    {
        if let ReferenceOr::Item(schema) = schema {
            unwrap_properties(&enums, schema, &mut count);
        }
    }
    if count == 0 {
        return Err("no property wraps a string enum in `allOf` with `type: object`".to_owned());
    }
    Ok(())
}

/// `ionos_json_bodies_typed_any`.
pub fn json_bodies_typed_any(spec: &mut OpenAPI) -> Result<(), String> {
    let mut count = 0;
    for (_, op) in operations_mut(spec) {
        let Some(body) = inline_body(op) else {
            continue;
        };
        if body.content.contains_key(JSON) {
            continue;
        }
        if let Some(index) = body.content.get_index_of(ANY) {
            let (_, media) = body
                .content
                .shift_remove_index(index)
                .expect("index exists");
            body.content.shift_insert(index, JSON.to_owned(), media);
            count += 1;
        }
    }
    if count == 0 {
        return Err("no request body is declared as `*/*`".to_owned());
    }
    Ok(())
}

/// `ionos_snapshot_forms_without_object_type`.
pub fn snapshot_forms_without_object_type(spec: &mut OpenAPI) -> Result<(), String> {
    let mut fixed = Vec::new();
    for (path, op) in operations_mut(spec) {
        if !(path.ends_with("/create-snapshot") || path.ends_with("/restore-snapshot")) {
            continue;
        }
        let Some(body) = inline_body(op) else {
            continue;
        };
        let Some(MediaType {
            schema: Some(ReferenceOr::Item(schema)),
            ..
        }) = body.content.get_mut(FORM)
        else {
            continue;
        };
        let SchemaKind::Any(any) = &mut schema.schema_kind else {
            continue;
        };
        if any.typ.is_some() || any.properties.is_empty() {
            continue;
        }
        schema.schema_kind = SchemaKind::Type(Type::Object(ObjectType {
            properties: std::mem::take(&mut any.properties),
            required: std::mem::take(&mut any.required),
            additional_properties: any.additional_properties.take(),
            min_properties: any.min_properties,
            max_properties: any.max_properties,
        }));
        fixed.push(path.clone());
    }
    if fixed.is_empty() {
        return Err("no snapshot operation has a form body without `type: object`".to_owned());
    }
    Ok(())
}

/// Keeps only `keep` of a response's content types; `false` when `keep` is
/// not among them or there was nothing else.
fn keep_only(response: &mut Response, keep: &str) -> bool {
    if response.content.len() < 2 || !response.content.contains_key(keep) {
        return false;
    }
    response
        .content
        .retain(|content_type, _| content_type == keep);
    true
}

/// `ionos_kubeconfig_as_json_string`.
pub fn kubeconfig_as_json_string(spec: &mut OpenAPI) -> Result<(), String> {
    let op = spec
        .paths
        .paths
        .get_mut(KUBECONFIG)
        .and_then(|item| match item {
            ReferenceOr::Item(item) => item.get.as_mut(),
            ReferenceOr::Reference { .. } => None,
        })
        .ok_or_else(|| format!("GET {KUBECONFIG} is gone"))?;
    let ok = op
        .responses
        .responses
        .get_mut(&openapiv3::StatusCode::Code(200))
        .and_then(|r| match r {
            ReferenceOr::Item(r) => Some(r),
            ReferenceOr::Reference { .. } => None,
        })
        .ok_or("its 200 answer is gone")?;
    let json_string = matches!(
        ok.content.get(JSON).and_then(|m| m.schema.as_ref()),
        Some(ReferenceOr::Item(s)) if matches!(s.schema_kind, SchemaKind::Type(Type::String(_)))
    );
    if !json_string {
        return Err("its 200 answer no longer declares a JSON string".to_owned());
    }
    if !keep_only(ok, YAML) {
        return Err("its 200 answer no longer offers application/yaml besides JSON".to_owned());
    }
    if let Some(ReferenceOr::Item(errors)) = op.responses.default.as_mut() {
        keep_only(errors, JSON);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::openapi::parse;

    const HEAD: &str = "openapi: 3.0.1\ninfo: {title: t, version: '1'}\n";

    fn spec(body: &str) -> OpenAPI {
        parse(&format!("{HEAD}{body}")).unwrap()
    }

    fn enums(property: &str) -> OpenAPI {
        let indent = |n: usize| {
            property
                .lines()
                .map(|l| format!("{}{l}\n", " ".repeat(n)))
                .collect::<String>()
        };
        spec(&format!(
            "paths: {{}}
components:
  schemas:
    Type: {{type: string, enum: [server, volume]}}
    Thing: {{type: object, properties: {{id: {{type: string}}}}}}
    Server:
      type: object
      properties:
        type:
{}        nested:
          type: object
          properties:
            inner:
{}",
            indent(10),
            indent(14)
        ))
    }

    const WRAPPED: &str =
        "allOf:\n- $ref: '#/components/schemas/Type'\ndescription: d\ntype: object";

    #[test]
    fn wrapped_enums_become_references() {
        let mut s = enums(WRAPPED);
        enum_properties_typed_as_objects(&mut s).unwrap();
        let server = s.components.unwrap().schemas["Server"]
            .as_item()
            .unwrap()
            .clone();
        let SchemaKind::Type(Type::Object(object)) = server.schema_kind else {
            panic!()
        };
        assert_eq!(
            object.properties["type"],
            ReferenceOr::Reference {
                reference: "#/components/schemas/Type".into()
            }
        );
        let ReferenceOr::Item(nested) = &object.properties["nested"] else {
            panic!()
        };
        let SchemaKind::Type(Type::Object(nested)) = &nested.schema_kind else {
            panic!()
        };
        assert!(matches!(
            nested.properties["inner"],
            ReferenceOr::Reference { .. }
        ));
    }

    #[test]
    fn enum_fixup_fails_without_its_bug() {
        // A plain reference, and an allOf around an object (valid OpenAPI).
        for property in [
            "$ref: '#/components/schemas/Type'",
            "allOf:\n- $ref: '#/components/schemas/Thing'\ntype: object",
        ] {
            let err = enum_properties_typed_as_objects(&mut enums(property)).unwrap_err();
            assert!(err.contains("no property wraps"), "{err}");
        }
    }

    fn bodies(content_type: &str) -> OpenAPI {
        spec(&format!(
            "paths:
  /natgateways/{{id}}:
    patch:
      requestBody:
        content:
          '{content_type}':
            schema: {{type: object, properties: {{name: {{type: string}}}}}}
        required: true
      responses: {{'202': {{description: ok}}}}
"
        ))
    }

    fn patch_body(s: &OpenAPI) -> Vec<String> {
        let item = s.paths.paths["/natgateways/{id}"].as_item().unwrap();
        let ReferenceOr::Item(body) = item.patch.as_ref().unwrap().request_body.as_ref().unwrap()
        else {
            panic!()
        };
        body.content.keys().cloned().collect()
    }

    #[test]
    fn any_bodies_become_json() {
        let mut s = bodies("*/*");
        json_bodies_typed_any(&mut s).unwrap();
        assert_eq!(patch_body(&s), vec![JSON]);
    }

    #[test]
    fn json_body_fixup_fails_without_its_bug() {
        let err = json_bodies_typed_any(&mut bodies(JSON)).unwrap_err();
        assert!(err.contains("`*/*`"), "{err}");
    }

    fn snapshot(schema: &str) -> OpenAPI {
        spec(&format!(
            "paths:
  /datacenters/{{d}}/volumes/{{v}}/create-snapshot:
    post:
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
{schema}
      responses: {{'202': {{description: ok}}}}
"
        ))
    }

    #[test]
    fn snapshot_forms_become_objects() {
        let mut s = snapshot("              properties:\n                name: {type: string}");
        snapshot_forms_without_object_type(&mut s).unwrap();
        let item = s.paths.paths["/datacenters/{d}/volumes/{v}/create-snapshot"]
            .as_item()
            .unwrap();
        let ReferenceOr::Item(body) = item.post.as_ref().unwrap().request_body.as_ref().unwrap()
        else {
            panic!()
        };
        let schema = body.content[FORM]
            .schema
            .as_ref()
            .unwrap()
            .as_item()
            .unwrap();
        let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else {
            panic!("{schema:?}")
        };
        assert!(object.properties.contains_key("name"));
    }

    #[test]
    fn snapshot_fixup_fails_without_its_bug() {
        let mut s = snapshot(
            "              type: object\n              properties:\n                name: {type: string}",
        );
        let err = snapshot_forms_without_object_type(&mut s).unwrap_err();
        assert!(err.contains("without `type: object`"), "{err}");
    }

    fn kubeconfig(ok: &str) -> OpenAPI {
        spec(&format!(
            "paths:
  /k8s/{{k8sClusterId}}/kubeconfig:
    get:
      responses:
        '200':
          description: ok
          content:
{ok}
        default:
          description: error
          content:
            application/yaml: {{schema: {{type: object}}}}
            application/json: {{schema: {{type: object}}}}
"
        ))
    }

    #[test]
    fn kubeconfig_is_yaml_text_and_errors_json() {
        let mut s = kubeconfig(
            "            application/yaml: {schema: {type: string}}\n            application/x-yaml: {schema: {type: string}}\n            application/json: {schema: {type: string}}",
        );
        kubeconfig_as_json_string(&mut s).unwrap();
        let op = s.paths.paths[KUBECONFIG]
            .as_item()
            .unwrap()
            .get
            .clone()
            .unwrap();
        let ok = op.responses.responses[&openapiv3::StatusCode::Code(200)]
            .as_item()
            .unwrap();
        assert_eq!(ok.content.keys().collect::<Vec<_>>(), vec![YAML]);
        let errors = op.responses.default.as_ref().unwrap().as_item().unwrap();
        assert_eq!(errors.content.keys().collect::<Vec<_>>(), vec![JSON]);
    }

    #[test]
    fn kubeconfig_fixup_fails_without_its_bug() {
        let mut s = kubeconfig("            application/yaml: {schema: {type: string}}");
        let err = kubeconfig_as_json_string(&mut s).unwrap_err();
        assert!(err.contains("no longer declares a JSON string"), "{err}");
        let mut s = spec("paths: {}\n");
        assert!(kubeconfig_as_json_string(&mut s)
            .unwrap_err()
            .contains("is gone"));
    }
}
