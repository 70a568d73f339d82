//! The overlay writes what the panel's own GUI writes: adds start from the
//! form's defaults, required fields are refused before anything is sent,
//! client updates never bring a stale password back, unlimited resellers can
//! manage clients, moves the remote API cannot complete are refused, and a
//! remote user restricted to some function groups is told which one it
//! lacks. Against the PHP peer, which was taught each refusal and column the
//! genuine ISPConfig 3.2.12p1 showed.
//!
//! Every test runs twice: in `soap` against `remote/index.php`, in `json`
//! against `remote/json.php` (the cases are in `overlay_ispconfig_gui/cases.rs`).

mod overlay_common;

/// Over SOAP (`remote/index.php`).
mod soap {
    use panelkit_tests::IspconfigPeer;
    include!("overlay_ispconfig_gui/cases.rs");
}

/// Over JSON (`remote/json.php`): the same tests.
mod json {
    use panelkit_tests::JsonPeer as IspconfigPeer;
    include!("overlay_ispconfig_gui/cases.rs");
}
