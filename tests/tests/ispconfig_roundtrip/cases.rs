// The tests of `ispconfig_roundtrip.rs`, included once per wire (SOAP, JSON); `IspconfigPeer`
// is the including module's peer type.

use panelkit_ispconfig::{Client, Value};
use panelkit_tests::Wire;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// PHP has one array type: an empty map comes back as an empty list;
/// ext/soap prints floats with PHP's `precision` (14 significant digits); and
/// a whitespace-only string argument reaches the method as "". Over JSON,
/// `json_encode` writes a whole float as an integer (`3.0` → `3`).
fn normalize(v: Value, wire: Wire) -> Value {
    match v {
        Value::Float(f) if wire == Wire::Json && f.fract() == 0.0 && f.abs() < 1e15 => {
            Value::Int(f as i64)
        }
        Value::Float(f) => Value::String(format!("{:.13e}", f + 0.0)),
        Value::String(s) if s.trim().is_empty() => Value::String(String::new()),
        Value::Map(entries) if entries.is_empty() => Value::List(Vec::new()),
        Value::Map(entries) => Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| (k, normalize(v, wire)))
                .collect(),
        ),
        Value::List(items) => Value::List(items.into_iter().map(|v| normalize(v, wire)).collect()),
        other => other,
    }
}

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::Int),
        (-1.0e9f64..1.0e9).prop_map(Value::Float),
        "[a-zA-Z0-9 <>&\"'\t\u{e4}\u{6771}\u{1F642}%_.-]{0,10}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 32, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::List),
            // Alphabetic keys: PHP turns numeric-string keys into integers.
            prop::collection::btree_map("[a-z][a-z_]{0,5}", inner, 0..5)
                .prop_map(|m| Value::Map(m.into_iter().collect())),
        ]
    })
}

#[test]
fn arbitrary_values_round_trip_through_php() {
    let peer = IspconfigPeer::start();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let client = Client::builder()
        .remote_methods(panelkit_tests::peer_remote_methods())
        .url(peer.url())
        .credentials(peer.user(), peer.password())
        .build()
        .unwrap();
    let mut runner = TestRunner::new(Config {
        cases: 96,
        ..Config::default()
    });
    runner
        .run(&value(), |v| {
            let back = runtime
                .block_on(client.raw_call("peer_echo", vec![v.clone()]))
                .expect("echo");
            prop_assert_eq!(normalize(back, peer.wire()), normalize(v, peer.wire()));
            Ok(())
        })
        .unwrap();
}

#[tokio::test]
async fn edge_values_round_trip_through_php() {
    let peer = IspconfigPeer::start();
    let client = Client::builder()
        .remote_methods(panelkit_tests::peer_remote_methods())
        .url(peer.url())
        .credentials(peer.user(), peer.password())
        .build()
        .unwrap();
    for v in [
        Value::from(""),
        // PHP's SoapServer hands a whitespace-only string to the method as
        // "" (raw or as character references alike): normalized below.
        Value::from(" "),
        Value::from("\t\n"),
        Value::from("line1\r\nline2\n\ttab"),
        Value::from("<![CDATA[x]]> &amp; ]]>"),
        Value::Int(i64::MAX),
        Value::Int(i64::MIN),
        Value::Float(0.1),
        Value::Float(-0.0),
        Value::List(vec![Value::Null, Value::List(vec![])]),
    ] {
        let back = client.raw_call("peer_echo", vec![v.clone()]).await.unwrap();
        assert_eq!(normalize(back, peer.wire()), normalize(v, peer.wire()));
    }
}
