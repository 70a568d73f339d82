//! The overlay's typed records on the wire, against the PHP peer: a typed add
//! reads back equal on every field it set, a typed partial update keeps
//! every field it leaves out (web domain log retention and PHP-FPM pools, the
//! stored password hash) and the fields the form does not define, and no
//! typed record or change ever shows a password in `Debug`. Seed: web domain
//! 1 `example.com` (client 2; log retention 90, PHP-FPM 20/4/2/6), mail
//! domain 1 `example.com`, zone `example.com.`.
//!
//! Every test runs twice: in `soap` against `remote/index.php`, in `json`
//! against `remote/json.php` (the cases are in `overlay_ispconfig_typed/cases.rs`).

mod overlay_common;

/// Over SOAP (`remote/index.php`).
mod soap {
    use panelkit_tests::IspconfigPeer;
    include!("overlay_ispconfig_typed/cases.rs");
}

/// Over JSON (`remote/json.php`): the same tests.
mod json {
    use panelkit_tests::JsonPeer as IspconfigPeer;
    include!("overlay_ispconfig_typed/cases.rs");
}
