//! Shared by the overlay wire tests: a client for a peer, and raw rows.

#![allow(dead_code)] // each test file uses its own subset

use panelkit::ispconfig::{Client, Record, Value};
use panelkit_tests::IspconfigPeer;

/// An overlay client logged in as the peer's remote user.
pub fn overlay(peer: &IspconfigPeer) -> Client {
    Client::builder()
        .url(peer.url())
        .credentials(peer.user(), peer.password())
        .build()
        .expect("client builds")
}

/// A SOAP map from pairs.
pub fn map(entries: &[(&str, Value)]) -> Value {
    entries.iter().map(|(k, v)| (*k, v.clone())).collect()
}

/// A raw answer that must be one record.
pub fn record(v: Value) -> Record {
    Record::from_value(v.clone()).unwrap_or_else(|e| panic!("not a record ({e}): {v:?}"))
}

/// The ids of a raw list answer.
pub fn ids(v: &Value, column: &str) -> Vec<i64> {
    v.as_list()
        .unwrap_or_else(|| panic!("not a list: {v:?}"))
        .iter()
        .map(|r| r.get(column).and_then(Value::as_i64).expect("an id"))
        .collect()
}

/// A typed record's row (its set fields and the ones the form does not
/// define, such as `sys_groupid`).
pub fn row<T: panelkit::ispconfig::FormRecord>(typed: &T) -> Record {
    Record::from_typed(typed)
}

/// The group (owner) of a typed record.
pub fn group<T: panelkit::ispconfig::FormRecord>(typed: &T) -> Option<i64> {
    row(typed).int("sys_groupid")
}
