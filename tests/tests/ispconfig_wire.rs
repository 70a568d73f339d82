//! Wire tests: the generated ISPConfig client against PHP's own `SoapServer`
//! following the panel's remote semantics (tests/peers/ispconfig). Values
//! asserted here are the seed data of `tests/peers/ispconfig/state.php`.
//!
//! Every test runs twice: in `soap` against `remote/index.php`, in `json`
//! against `remote/json.php` (the cases are in `ispconfig_wire/cases.rs`).

/// Over SOAP (`remote/index.php`).
mod soap {
    use panelkit_tests::IspconfigPeer;
    include!("ispconfig_wire/cases.rs");
}

/// Over JSON (`remote/json.php`): the same tests.
mod json {
    use panelkit_tests::JsonPeer as IspconfigPeer;
    include!("ispconfig_wire/cases.rs");
}
