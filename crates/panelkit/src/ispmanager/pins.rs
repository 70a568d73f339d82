//! The ispmanager helpers' upstream operations: each helper with every generated
//! operation it calls. The facts each was audited against are in
//! `crates/panelkit/pins/ispmanager.lock`, written by `cargo xtask pins`;
//! `cargo xtask pins --check` (and `tests/tests/overlay_pins.rs`) fail,
//! naming helper, operation, old and new, when the inventory moves under them.

/// Every helper with the upstream operations it calls, read from this source
/// by `cargo xtask pins` (string literals only).
#[allow(dead_code)] // read by cargo xtask pins, not by the library
pub(crate) const PINS: &[(&str, &[&str])] = &[
    ("Users::all", &["user"]),
    ("Users::get", &["user.edit"]),
    ("Users::add", &["user.edit"]),
    ("Users::update", &["user.edit"]),
    ("Users::delete", &["user.delete"]),
    ("Sites::webdomains", &["webdomain"]),
    ("Sites::webdomain", &["webdomain.edit"]),
    ("Sites::add_webdomain", &["webdomain.edit"]),
    ("Sites::update_webdomain", &["webdomain.edit"]),
    ("Sites::delete_webdomains", &["webdomain.delete"]),
    ("Dns::records", &["domain.sublist"]),
    ("Dns::record", &["domain.record.edit"]),
    ("Dns::add_record", &["domain.record.edit"]),
    ("Dns::update_record", &["domain.record.edit"]),
    ("Dns::delete_records", &["domain.record.delete"]),
    ("Mail::mailboxes", &["email"]),
    ("Mail::mailbox", &["email.edit"]),
    ("Mail::add_mailbox", &["email.edit"]),
    ("Mail::update_mailbox", &["email.edit"]),
    ("Databases::databases", &["db"]),
    ("Databases::database", &["db.edit"]),
    ("Databases::add_database", &["db.edit"]),
    ("Databases::update_database", &["db.edit"]),
    ("Databases::delete_databases", &["db.delete"]),
];
