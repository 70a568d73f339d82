//! Form links and form definitions on PHP fixtures we wrote
//! (`fixtures/ispconfig/forms`): helpers with bound parameters, variables,
//! a conditional second form, a ternary between two forms, internal reads,
//! unresolvable, missing, broken and out-of-tree forms; and per form the
//! fields with literal and computed defaults, conditional tabs, checkbox and
//! select options, validators, fields added outside the tab literal.

use std::path::{Path, PathBuf};

use codegen::extract::ispconfig::{extract_with_notes, SourceMeta};
use codegen::model::{FieldDefault, FormAccess, FormLink, Inventory, Protocol};
use serde_json::json;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ispconfig/forms")
}

fn extracted() -> (Inventory, Vec<String>) {
    let meta = SourceMeta {
        upstream_version: "0.0-forms".into(),
        ..SourceMeta::default()
    };
    extract_with_notes(&root(), meta).expect("fixture extracts")
}

fn link<'a>(inv: &'a Inventory, name: &str) -> Option<&'a FormLink> {
    match &inv
        .operation(name)
        .unwrap_or_else(|| panic!("{name} missing"))
        .protocol
    {
        Protocol::Soap { form, .. } => form.as_ref(),
        other => panic!("{name} is not a SOAP method: {other:?}"),
    }
}

const REC_A: &str = "interface/web/rec/form/rec_a.tform.php";
const ZONE: &str = "interface/web/rec/form/zone.tform.php";

#[test]
fn methods_link_to_their_forms() {
    let (inv, _) = extracted();
    let cases: [(&str, &str, &[FormAccess]); 4] = [
        // Through a private helper called with 'A', lower-cased there.
        ("rec_a_get", REC_A, &[FormAccess::Read]),
        // The zone update runs only `if ($bump)`: not the main form.
        ("rec_a_add", REC_A, &[FormAccess::Insert]),
        ("rec_a_update", REC_A, &[FormAccess::Update]),
        // getDataRecord's answer returned through a variable.
        ("zone_get", ZONE, &[FormAccess::Read]),
    ];
    for (name, form, access) in cases {
        let l = link(&inv, name).unwrap_or_else(|| panic!("{name} not linked"));
        assert_eq!(
            (l.form.as_str(), l.access.as_slice()),
            (form, access),
            "{name}"
        );
        assert!(l.alternatives.is_empty(), "{name}");
    }
}

#[test]
fn a_ternary_gives_the_main_form_and_a_conditional_alternative() {
    let (inv, _) = extracted();
    let l = link(&inv, "owner_add").unwrap();
    assert_eq!(l.form, "interface/web/rec/form/owner.tform.php");
    assert_eq!(l.access, [FormAccess::Insert]);
    assert_eq!(l.alternatives.len(), 1);
    assert_eq!(
        l.alternatives[0].form,
        "interface/web/rec/form/reseller.tform.php"
    );
    assert_eq!(
        l.alternatives[0].when,
        "isset($params['big']) && $params['big']"
    );
}

#[test]
fn unlinked_methods_are_reported_with_the_reason() {
    let (inv, notes) = extracted();
    for name in [
        "rec_internal",
        "rec_from_caller_add",
        "rec_missing_get",
        "rec_broken_delete",
        "rec_two_delete",
        "rec_outside_get",
        "rec_count",
    ] {
        assert!(link(&inv, name).is_none(), "{name} should not be linked");
    }
    let expect = [
        "rec_from_caller_add: not linked: insertQuery: the form path is not built from literals and known variables",
        "rec_outside_get: not linked: ../../../../etc/x.tform.php is not a form under interface/web",
        "rec_two_delete: not linked: uses several forms: ../rec/form/zone.tform.php, ../rec/form/rec_a.tform.php",
        "interface/web/rec/form/broken.tform.php: cannot read the form: line 3: unterminated string",
        "rec_broken_delete: not linked: its form interface/web/rec/form/broken.tform.php was not read",
        "rec_missing_get: not linked: its form interface/web/rec/form/missing.tform.php was not read",
    ];
    for e in expect {
        assert!(
            notes.iter().any(|n| n == e),
            "missing note {e:?} in {notes:#?}"
        );
    }
    assert!(
        notes.iter().any(
            |n| n.starts_with("interface/web/rec/form/missing.tform.php: cannot read the form")
        ),
        "{notes:#?}"
    );
    // Internal reads and methods without forms are no news.
    assert!(
        !notes
            .iter()
            .any(|n| n.contains("rec_internal") || n.contains("rec_count")),
        "{notes:#?}"
    );
    assert_eq!(notes.len(), expect.len() + 1, "{notes:#?}");
}

#[test]
fn form_tables_keys_and_inputs() {
    let (inv, _) = extracted();
    let forms: Vec<&str> = inv.forms.keys().map(String::as_str).collect();
    assert_eq!(
        forms,
        [
            "interface/web/rec/form/owner.tform.php",
            REC_A,
            "interface/web/rec/form/reseller.tform.php",
            ZONE
        ]
    );
    let rec = &inv.forms[REC_A];
    assert_eq!(
        (rec.db_table.as_str(), rec.db_table_idx.as_str()),
        ("rec", "id")
    );
    assert_eq!(rec.name.as_deref(), Some("rec_a"));
    // Forms read are inputs: listed after the remote files, in the digest.
    assert!(
        inv.source.files.iter().any(|f| f == REC_A),
        "{:?}",
        inv.source.files
    );
    assert!(!inv.source.files.iter().any(|f| f.contains("broken")));
}

#[test]
fn fields_datatypes_defaults_options_and_validators() {
    let (inv, _) = extracted();
    let fields = &inv.forms[REC_A].fields;
    let names: Vec<&str> = fields.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "active",
            "added",
            "admin_note",
            "flag",
            "guest_only",
            "name",
            "password",
            "php",
            "price",
            "server_id",
            "ttl",
            "type",
            "unioned",
            "zone"
        ],
        "the commented-out field is not one"
    );
    let lit = |v| Some(FieldDefault::Literal(v));
    assert_eq!(fields["ttl"].default, lit(json!(3600)));
    assert_eq!(
        fields["ttl"].datatype.as_deref(),
        Some("INTEGER"),
        "array union keeps the first definition"
    );
    assert_eq!(fields["type"].default, lit(json!("A")));
    assert_eq!(fields["price"].default, lit(json!(1.5)));
    assert_eq!(fields["added"].default, lit(json!("line\n")));
    assert_eq!(fields["admin_note"].default, lit(json!(null)));
    assert_eq!(
        fields["zone"].default,
        Some(FieldDefault::NotLiteral),
        "@$app->functions->intval($_REQUEST[...])"
    );
    assert_eq!(
        fields["unioned"].default,
        Some(FieldDefault::NotLiteral),
        "date(...)"
    );
    assert_eq!(fields["password"].default, None);

    assert_eq!(fields["active"].options, Some(vec!["N".into(), "Y".into()]));
    assert_eq!(
        fields["guest_only"].options,
        Some(vec!["n".into(), "y".into()])
    );
    assert_eq!(
        fields["php"].options,
        Some(vec!["no".into(), "php-fpm".into(), "".into(), "*".into()]),
        "keys are literal even where labels are not"
    );
    assert_eq!(fields["flag"].options, Some(vec!["y".into(), "n".into()]));
    assert_eq!(
        fields["server_id"].options, None,
        "a datasource, not a literal list"
    );

    let v: Vec<(Option<&str>, Option<&str>, Option<&str>)> = fields["name"]
        .validators
        .iter()
        .map(|v| (v.kind.as_deref(), v.errmsg.as_deref(), v.regex.as_deref()))
        .collect();
    assert_eq!(
        v,
        [
            (Some("NOTEMPTY"), Some("name_error_empty"), None),
            (
                Some("REGEX"),
                Some("name_error_regex"),
                Some("/^[a-z0-9\\.\\-]{0,64}$/")
            ),
            (Some("UNIQUE"), Some("name_error_unique"), None),
        ]
    );

    let conditional: Vec<&str> = fields
        .iter()
        .filter(|(_, f)| f.conditional)
        .map(|(n, _)| n.as_str())
        .collect();
    assert_eq!(conditional, ["admin_note", "guest_only"]);
    assert_eq!(fields["admin_note"].tab, "admin");
    assert_eq!(fields["added"].tab, "main");
}

#[test]
fn extraction_is_deterministic() {
    assert_eq!(extracted().0.to_json(), extracted().0.to_json());
}

#[test]
fn format_1_inventories_still_load() {
    let text = include_str!("fixtures/emit/ispconfig-mini.json");
    let inv = Inventory::from_json(text).expect("format 1 loads");
    assert_eq!(inv.format, 1);
    assert!(inv.forms.is_empty());
}
