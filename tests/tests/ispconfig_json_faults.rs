//! Over JSON (`remote/json.php`) a fault arrives as its message only; the
//! client finds the code again from the messages each method raises
//! (extracted from the panel's sources into the inventory, generated into
//! `panelkit_ispconfig::remote_methods`). For EVERY fault message of every
//! method, the JSON classification must equal the SOAP one: the same
//! `Error` variant and the same code.

use std::collections::BTreeMap;

use panelkit_core::ispconfig::json::fault_code;
use panelkit_core::ispconfig::{faults, MessagePiece, RemoteFault};
use panelkit_core::soap::Fault;
use panelkit_core::Error;
use panelkit_ispconfig::remote_methods::REMOTE_METHODS;

/// A message the fault could carry: its text, with a value where PHP
/// inserts one.
fn sample(fault: &RemoteFault) -> String {
    fault
        .message
        .iter()
        .map(|piece| match piece {
            MessagePiece::Text(text) => *text,
            MessagePiece::Value => "value-7",
        })
        .collect()
}

/// What a caller matches on: the variant and the code.
fn shape(error: &Error) -> (std::mem::Discriminant<Error>, Option<String>) {
    (
        std::mem::discriminant(error),
        error.code().map(str::to_owned),
    )
}

fn classify(code: &str, message: &str) -> Error {
    faults::classify(Fault {
        code: code.to_owned(),
        message: message.to_owned(),
        detail: None,
    })
}

#[test]
fn the_table_holds_every_fault_of_the_inventory() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../inventories/ispconfig/inventory.json"
    );
    let inventory: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut expected = BTreeMap::new();
    for op in inventory["operations"].as_array().unwrap() {
        let faults = op["protocol"]["faults"].as_array().map_or(0, Vec::len);
        expected.insert(op["name"].as_str().unwrap().to_owned(), faults);
    }
    let generated: BTreeMap<String, usize> = REMOTE_METHODS
        .iter()
        .map(|m| (m.name.to_owned(), m.faults.len()))
        .collect();
    assert_eq!(generated, expected);
    assert!(
        REMOTE_METHODS.windows(2).all(|w| w[0].name < w[1].name),
        "sorted for the binary search"
    );
    let total: usize = expected.values().sum();
    assert!(total > 2000, "{total} method × fault pairs");
}

#[test]
fn every_json_fault_is_classified_as_its_soap_twin() {
    let mut checked = 0;
    let mut wrong = Vec::new();
    let mut ambiguous = Vec::new();
    for method in REMOTE_METHODS {
        for fault in method.faults {
            let message = sample(fault);
            // The panel words a client's failed login like a remote user's;
            // the client knows which it attempted.
            let client_login = fault.code.starts_with("client_login");
            let soap = classify(fault.code, &message);
            let code = fault_code(REMOTE_METHODS, method.name, &message, client_login)
                .unwrap_or("remote_fault");
            let json = classify(code, &message);
            checked += 1;
            // A message that is all PHP value (`$settings['error']`) in a
            // method that throws another such message under another code
            // cannot tell them apart: only the variant can match.
            let indistinct = fault.message.iter().all(|p| *p == MessagePiece::Value)
                && method.faults.iter().any(|other| {
                    other.code != fault.code
                        && other.message.iter().all(|p| *p == MessagePiece::Value)
                });
            if indistinct {
                ambiguous.push(format!("{}: {}", method.name, fault.code));
                if std::mem::discriminant(&json) != std::mem::discriminant(&soap) {
                    wrong.push(format!("{}: {} changes variant", method.name, fault.code));
                }
                continue;
            }
            if shape(&json) != shape(&soap) {
                wrong.push(format!(
                    "{}: {:?} is {} over SOAP, {code} over JSON",
                    method.name, message, fault.code
                ));
            }
        }
    }
    assert!(checked > 2000, "{checked} checked");
    // Known: sites_aps_install_package's `invalid parameters` /
    // `package_error`, both bare values (both `Error::Fault`).
    assert!(ambiguous.len() <= 4, "{ambiguous:?}");
    assert!(
        wrong.is_empty(),
        "{} of {checked}:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
