//! The COREmanager emitter on a small fixture inventory: snapshot of every
//! emitted file, determinism, and refusal of what it cannot express.

use codegen::emit::coremanager::{emit, Target};
use codegen::model::{Inventory, Protocol};

fn fixture() -> Inventory {
    Inventory::from_json(include_str!("fixtures/emit/coremanager-mini.json"))
        .expect("fixture parses")
}

fn target() -> Target {
    Target {
        crate_dir: "crates/demo".to_owned(),
        crate_name: "demo".to_owned(),
        inventory_path: "inventories/demo/inventory.json".to_owned(),
    }
}

fn render(inventory: &Inventory) -> String {
    emit(inventory, &target())
        .expect("fixture emits")
        .iter()
        .map(|f| format!("=== {} ===\n{}", f.path, f.contents))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn emitted_files_snapshot() {
    insta::assert_snapshot!(render(&fixture()));
}

#[test]
fn emission_is_deterministic() {
    assert_eq!(render(&fixture()), render(&fixture()));
}

#[test]
fn runtime_owned_auth_is_not_a_method() {
    let text = render(&fixture());
    assert!(!text.contains("pub async fn auth("));
    assert!(text.contains("pub async fn domain_record_edit_submit("));
    assert!(text.contains("pub struct DomainRow(pub Row);"));
}

#[test]
fn other_protocols_are_refused() {
    let mut inv = fixture();
    inv.operations[0].protocol = Protocol::Soap {
        class: "x".into(),
        session: true,
        shadowed: vec![],
        form: None,
        permissions: vec![],
        faults: vec![],
    };
    assert!(emit(&inv, &target()).is_err());
}

#[test]
fn colliding_method_names_are_refused() {
    let mut inv = fixture();
    let mut clash = inv.operations[3].clone();
    clash.name = "domain-record.edit".into();
    inv.operations.push(clash);
    let err = emit(&inv, &target()).unwrap_err();
    assert!(err.to_string().contains("would serve both"), "{err}");
}

/// Every generated method of the committed ISPmanager inventory documents
/// each argument it takes under "# Arguments" (the issue's "every generated
/// method documents its parameters").
#[test]
fn every_method_documents_its_arguments() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("codegen lives in the workspace");
    let text = std::fs::read_to_string(root.join("inventories/ispmanager/inventory.json"))
        .expect("the committed ISPmanager inventory");
    let inventory = Inventory::from_json(&text).expect("it loads");
    let mut checked = 0;
    for file in emit(&inventory, &target()).expect("it emits") {
        let Ok(parsed) = syn::parse_file(&file.contents) else {
            continue; // Cargo.toml and other non-Rust files
        };
        for item in parsed.items {
            let syn::Item::Impl(block) = item else {
                continue;
            };
            for member in block.items {
                let syn::ImplItem::Fn(method) = member else {
                    continue;
                };
                // The client's calls (rows' accessors and conversions are not upstream methods).
                if method.sig.asyncness.is_none() {
                    continue;
                }
                let doc: String = method
                    .attrs
                    .iter()
                    .filter(|a| a.path().is_ident("doc"))
                    .filter_map(|a| match &a.meta {
                        syn::Meta::NameValue(nv) => match &nv.value {
                            syn::Expr::Lit(syn::ExprLit {
                                lit: syn::Lit::Str(s),
                                ..
                            }) => Some(s.value() + "\n"),
                            _ => None,
                        },
                        _ => None,
                    })
                    .collect();
                let args: Vec<String> = method
                    .sig
                    .inputs
                    .iter()
                    .filter_map(|input| match input {
                        syn::FnArg::Typed(typed) => match &*typed.pat {
                            syn::Pat::Ident(name) => Some(name.ident.to_string()),
                            _ => None,
                        },
                        syn::FnArg::Receiver(_) => None,
                    })
                    .collect();
                let name = &method.sig.ident;
                if !args.is_empty() {
                    assert!(
                        doc.contains("# Arguments"),
                        "{name}: no # Arguments in\n{doc}"
                    );
                }
                for arg in &args {
                    assert!(
                        doc.contains(&format!("* `{arg}` — ")),
                        "{name}: argument `{arg}` is not documented in\n{doc}"
                    );
                }
                checked += 1;
            }
        }
    }
    assert!(checked >= 50, "only {checked} methods were checked");
}
