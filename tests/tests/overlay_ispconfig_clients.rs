//! The overlay's client and database helpers against the PHP peer: the raw
//! generated call misbehaving and the helper behaving, per footgun. Seed:
//! clients 1 (`Grüße GmbH`, reseller 4), 2 (`A_B Ltd`), 3 (`AxB Ltd`),
//! 4 (reseller, limit 10); client N's group is N + 1, the admin's group 1.
//!
//! Every test runs twice: in `soap` against `remote/index.php`, in `json`
//! against `remote/json.php` (the cases are in `overlay_ispconfig_clients/cases.rs`).

mod overlay_common;

/// Over SOAP (`remote/index.php`).
mod soap {
    use panelkit_tests::IspconfigPeer;
    include!("overlay_ispconfig_clients/cases.rs");
}

/// Over JSON (`remote/json.php`): the same tests.
mod json {
    use panelkit_tests::JsonPeer as IspconfigPeer;
    include!("overlay_ispconfig_clients/cases.rs");
}
