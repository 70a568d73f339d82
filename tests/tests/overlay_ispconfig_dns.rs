//! The overlay's DNS helpers against the PHP peer: for each footgun, the raw
//! generated call misbehaving and the helper behaving. Seed data: zone 1
//! `example.com.au.` (group 5 = client 4), zone 2 `example.com.` (group 3 =
//! client 2), records 10 (A www), 11 (MX), 12 (TXT), 13 (CNAME) in zone 2.
//!
//! Every test runs twice: in `soap` against `remote/index.php`, in `json`
//! against `remote/json.php` (the cases are in `overlay_ispconfig_dns/cases.rs`).

mod overlay_common;

/// Over SOAP (`remote/index.php`).
mod soap {
    use panelkit_tests::IspconfigPeer;
    include!("overlay_ispconfig_dns/cases.rs");
}

/// Over JSON (`remote/json.php`): the same tests.
mod json {
    use panelkit_tests::JsonPeer as IspconfigPeer;
    include!("overlay_ispconfig_dns/cases.rs");
}
