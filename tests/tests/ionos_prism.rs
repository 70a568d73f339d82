//! Every generated `panelkit-ionos` operation, called once through the
//! generated client (its `conformance` table: minimal valid arguments)
//! against Prism serving the IONOS Cloud API v6 spec. Prism validates each
//! request — path, query, headers, credentials, body — and answers 422 (the
//! spec's `default` response) or 401 to anything the spec does not allow;
//! any such refusal fails the test, named with the operation and Prism's
//! violations. The operations called must be exactly the inventory's.
//!
//! Prism answers with the spec's own examples, and 33 of those do not match
//! the spec's schemas (an array example written as the string `"[SSD]"`, a
//! list of IPs or a JSON object inside a string, `items: [null, null]` in
//! the user-management collections). The client rightly refuses to decode
//! them; the test accepts exactly those answers — a 2xx whose body holds one
//! of the known broken examples — and pins which operations they are.

use std::collections::BTreeSet;

use panelkit_core::Error;
use panelkit_ionos::conformance::OPERATIONS;
use panelkit_ionos::{Client, PerCall};
use panelkit_tests::ionos;
use panelkit_tests::prism::{workspace_root, PrismPeer};

fn inventory_operations() -> BTreeSet<String> {
    let path = workspace_root().join("inventories/ionos/inventory.json");
    let inventory: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    inventory["operations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|op| op["name"].as_str().unwrap().to_owned())
        .collect()
}

fn basic(prism: &PrismPeer) -> Client {
    Client::builder()
        .url(prism.url())
        .basic_auth("user@example.com", "prism-password")
        // Client defaults travel on every operation that declares them:
        // Prism checks their types and ranges too.
        .depth(2)
        .pretty(false)
        .contract_number(31_337)
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_passes_prism() {
    let prism = PrismPeer::start(&ionos::spec());
    let basic = basic(&prism);
    let token: Client = Client::builder()
        .url(prism.url())
        .token("prism-token")
        .build()
        .unwrap();
    let mut failures = Vec::new();
    let mut broken_examples = BTreeSet::new();
    let mut called = BTreeSet::new();
    let mut accepted = 0;
    for (i, op) in OPERATIONS.iter().enumerate() {
        called.insert(op.name.to_owned());
        // Both schemes take turns, one Authorization header each.
        let client = if i % 2 == 0 { &basic } else { &token };
        match (op.call)(client).await {
            Ok(()) => accepted += 1,
            Err(error) if is_broken_example(&error) => {
                broken_examples.insert(op.name);
            }
            Err(error) => failures.push(format!("{}: {error}", op.name)),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} operations failed against prism:\n{}\nprism violations: {:#?}",
        failures.len(),
        OPERATIONS.len(),
        failures.join("\n"),
        prism.violations()
    );
    assert_eq!(called, inventory_operations());
    assert_eq!(prism.violations(), Vec::<String>::new());
    assert_eq!(
        broken_examples,
        BROKEN_EXAMPLE_ANSWERS.iter().copied().collect(),
        "the operations whose example answers break their schema changed"
    );
    assert_eq!(accepted + broken_examples.len(), 245);
}

/// Operations whose example answers in the spec do not match its schemas
/// (their requests pass Prism; decoding the example fails, as it should).
const BROKEN_EXAMPLE_ANSWERS: &[&str] = &[
    "datacentersFindById",
    "datacentersGet",
    "datacentersPatch",
    "datacentersPost",
    "datacentersPut",
    "ipblocksFindById",
    "ipblocksGet",
    "ipblocksPatch",
    "ipblocksPost",
    "ipblocksPut",
    "locationsFindByRegionId",
    "locationsFindByRegionIdAndId",
    "locationsGet",
    "pccsFindById",
    "pccsGet",
    "pccsPatch",
    "pccsPost",
    "umGroupsFindById",
    "umGroupsGet",
    "umGroupsPost",
    "umGroupsPut",
    "umGroupsResourcesGet",
    "umGroupsUsersGet",
    "umGroupsUsersPost",
    "umResourcesFindByType",
    "umResourcesFindByTypeAndId",
    "umResourcesGet",
    "umUsersFindById",
    "umUsersGet",
    "umUsersGroupsGet",
    "umUsersOwnsGet",
    "umUsersPost",
    "umUsersPut",
];

/// A 2xx answer that does not decode because it is one of the spec's
/// broken examples.
fn is_broken_example(error: &Error) -> bool {
    let Error::UnexpectedResponse {
        status: Some(200..=299),
        reason,
        ..
    } = error
    else {
        return false;
    };
    [
        "invalid type: string \"[SSD]\", expected a sequence",
        "invalid type: string \"[\\\"22.231.113.64\\\"",
        "invalid type: string \"{ \\\"connectableDatacenters\\\"",
        "invalid type: null, expected struct Resource",
        "invalid type: null, expected struct User",
    ]
    .iter()
    .any(|known| reason.contains(known))
}

/// The other half of the bargain: Prism does refuse what the spec does not
/// allow, and the refusal is a typed error (so the test above would fail).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prism_refuses_invalid_requests_with_typed_errors() {
    let prism = PrismPeer::start(&ionos::spec());
    let client = basic(&prism);
    // depth is 0..=10.
    let error = client
        .with_depth(11)
        .datacenters_find_by_id("dc-1")
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::Validation {
                status: Some(422),
                ..
            }
        ),
        "{error:?}"
    );
    // No credentials at all: 401.
    let anonymous = panelkit_core::rest::RestClient::clone(client.rest());
    let error = anonymous
        .send(panelkit_core::rest::Request::new(
            "datacentersGet",
            panelkit_core::rest::Method::GET,
            "/datacenters",
        ))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::Auth {
                status: Some(401),
                ..
            }
        ),
        "{error:?}"
    );
    // Prism's 202 carries the literal `Location: string`: a handle-less
    // answer, never a panic.
    let accepted = client.datacenters_delete("dc-1").await.unwrap();
    assert!(accepted.request.is_none());
    assert!(matches!(
        accepted.wait().await,
        Err(Error::UnexpectedResponse {
            status: Some(202),
            ..
        })
    ));
}
