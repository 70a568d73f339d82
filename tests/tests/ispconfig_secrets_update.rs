//! A read-merge-write sends a stored private key back only when the caller
//! changed it (issue 16), checked by what the PHP peer received: web
//! domains' `ssl_key`, the mail domain's `dkim_private`.
//!
//! Every test runs twice: in `soap` against `remote/index.php`, in `json`
//! against `remote/json.php` (the cases are in `ispconfig_secrets_update/cases.rs`).

mod overlay_common;

/// Over SOAP (`remote/index.php`).
mod soap {
    use panelkit_tests::IspconfigPeer;
    include!("ispconfig_secrets_update/cases.rs");
}

/// Over JSON (`remote/json.php`): the same tests.
mod json {
    use panelkit_tests::JsonPeer as IspconfigPeer;
    include!("ispconfig_secrets_update/cases.rs");
}
