//! `selftest` against the PHP peer (CI), and against a real panel when one
//! is configured (`--ignored`, `PANELKIT_ISPCONFIG_URL`/`_USER`/`_PASSWORD`):
//! every step holds and nothing is left behind.
//!
//! Every test runs twice: in `soap` against `remote/index.php`, in `json`
//! against `remote/json.php` (the cases are in `overlay_ispconfig_selftest/cases.rs`).

mod overlay_common;

/// Over SOAP (`remote/index.php`).
mod soap {
    use panelkit_tests::IspconfigPeer;
    include!("overlay_ispconfig_selftest/cases.rs");
}

/// Over JSON (`remote/json.php`): the same tests.
mod json {
    use panelkit_tests::JsonPeer as IspconfigPeer;
    include!("overlay_ispconfig_selftest/cases.rs");
}
