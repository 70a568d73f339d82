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
    ("Users::update", &["get_user_by_username", "update_user"]),
    ("Users::get", &["get_user_by_username"]),
    ("Users::delete", &["delete_user"]),
    ("Users::all", &["get_users"]),
    ("Users::all_with", &["get_users"]),
    ("Admins::all", &["get_admins"]),
    ("Admins::all_with", &["get_admins"]),
    ("Admins::get", &["get_admin_by_username"]),
    ("Admins::create", &["add_admin"]),
    ("Admins::delete", &["delete_admin"]),
    ("Folders::all", &["get_folders"]),
    ("Folders::all_with", &["get_folders"]),
    ("Folders::get", &["get_folder_by_name"]),
    ("Folders::create", &["add_folder"]),
    ("Folders::delete", &["delete_folder"]),
    ("ApiKeys::all", &["get_api_keys"]),
    ("ApiKeys::all_with", &["get_api_keys"]),
    ("ApiKeys::create", &["add_api_key"]),
    ("ApiKeys::delete", &["delete_api_key"]),
    ("Quota::scans", &["get_users_quota_scans"]),
    ("Quota::start_scan", &["start_user_quota_scan"]),
    (
        "Quota::scan_and_wait",
        &["start_user_quota_scan", "get_users_quota_scans"],
    ),
    ("Connections::all", &["get_connections"]),
    ("Connections::close", &["close_connection"]),
    ("Maintenance::version", &["get_version"]),
    ("Maintenance::status", &["get_status"]),
    ("Maintenance::dump", &["dumpdata"]),
    ("Maintenance::dump_to_file", &["dumpdata"]),
    ("Maintenance::load", &["loaddata_from_request_body"]),
];
