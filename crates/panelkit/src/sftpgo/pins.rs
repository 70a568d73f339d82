//! The sftpgo helpers' upstream operations: each helper with every generated
//! operation it calls. The facts each was audited against are in
//! `crates/panelkit/pins/sftpgo.lock`, written by `cargo xtask pins`;
//! `cargo xtask pins --check` (and `tests/tests/overlay_pins.rs`) fail,
//! naming helper, operation, old and new, when the inventory moves under them.

/// Every helper with the upstream operations it calls, read from this source
/// by `cargo xtask pins` (string literals only).
#[allow(dead_code)] // read by cargo xtask pins, not by the library
pub(crate) const PINS: &[(&str, &[&str])] = &[
    ("Users::create", &["add_user"]),
    (
        "Client::start_quota_scan_and_wait",
        &["start_user_quota_scan", "get_users_quota_scans"],
    ),
    ("Client::list_users", &["get_users"]),
    ("Client::list_admins", &["get_admins"]),
    ("Client::list_folders", &["get_folders"]),
    ("Users::update", &["get_user_by_username", "update_user"]),
    ("Client::list_users_with", &["get_users"]),
    ("Client::list_admins_with", &["get_admins"]),
    ("Client::list_folders_with", &["get_folders"]),
    ("Client::list_api_keys", &["get_api_keys"]),
    ("Client::list_api_keys_with", &["get_api_keys"]),
];
