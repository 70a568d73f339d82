//! `doctor` against the PHP peer: the release it matches (the peer answers
//! `get_function_list` with a committed release's full list, as the panel
//! does), and the function groups a restricted remote user lacks, probed
//! without writing anything and without a call the lockout counts.
//!
//! Every test runs twice: in `soap` against `remote/index.php`, in `json`
//! against `remote/json.php` (the cases are in `overlay_ispconfig_doctor/cases.rs`).

mod overlay_common;

/// Over SOAP (`remote/index.php`).
mod soap {
    use panelkit_tests::IspconfigPeer;
    include!("overlay_ispconfig_doctor/cases.rs");
}

/// Over JSON (`remote/json.php`): the same tests.
mod json {
    use panelkit_tests::JsonPeer as IspconfigPeer;
    include!("overlay_ispconfig_doctor/cases.rs");
}
