//! The overlay's site helpers against the PHP peer: the raw generated call
//! misbehaving and the helper behaving, per footgun. Seed: web domain 1
//! `example.com` (client 2, group 3; log retention 90, PHP-FPM 20/4/2/6),
//! web domain 2 `shop.example.com` (client 3, group 4; 30, 10/2/1/3).
//!
//! Every test runs twice: in `soap` against `remote/index.php`, in `json`
//! against `remote/json.php` (the cases are in `overlay_ispconfig_sites/cases.rs`).

mod overlay_common;

/// Over SOAP (`remote/index.php`).
mod soap {
    use panelkit_tests::IspconfigPeer;
    include!("overlay_ispconfig_sites/cases.rs");
}

/// Over JSON (`remote/json.php`): the same tests.
mod json {
    use panelkit_tests::JsonPeer as IspconfigPeer;
    include!("overlay_ispconfig_sites/cases.rs");
}
