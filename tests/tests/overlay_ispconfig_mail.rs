//! The overlay's mail helpers against the PHP peer: the raw generated call
//! misbehaving and the helper behaving, per footgun. Seed: mail domain 1
//! `example.com` (server 2, group 3 = client 2), mailbox 1
//! `info@example.com`, forwarding 1 alias `sales@` → info@, forwarding 2
//! forward `team@` → two outside addresses.
//!
//! Every test runs twice: in `soap` against `remote/index.php`, in `json`
//! against `remote/json.php` (the cases are in `overlay_ispconfig_mail/cases.rs`).

mod overlay_common;

/// Over SOAP (`remote/index.php`).
mod soap {
    use panelkit_tests::IspconfigPeer;
    include!("overlay_ispconfig_mail/cases.rs");
}

/// Over JSON (`remote/json.php`): the same tests.
mod json {
    use panelkit_tests::JsonPeer as IspconfigPeer;
    include!("overlay_ispconfig_mail/cases.rs");
}
