//! Values survive a round trip through PHP's ext/soap: our encoder → PHP's
//! SoapServer decoding → PHP's encoding → our decoder. This pins our wire
//! format to PHP's, in both directions.
//!
//! Every test runs twice: in `soap` against `remote/index.php`, in `json`
//! against `remote/json.php` (the cases are in `ispconfig_roundtrip/cases.rs`).

/// Over SOAP (`remote/index.php`).
mod soap {
    use panelkit_tests::IspconfigPeer;
    include!("ispconfig_roundtrip/cases.rs");
}

/// Over JSON (`remote/json.php`): the same tests.
mod json {
    use panelkit_tests::JsonPeer as IspconfigPeer;
    include!("ispconfig_roundtrip/cases.rs");
}
