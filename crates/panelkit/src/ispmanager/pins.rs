//! The ispmanager helpers' upstream operations: each helper with every generated
//! operation it calls. The facts each was audited against are in
//! `crates/panelkit/pins/ispmanager.lock`, written by `cargo xtask pins`;
//! `cargo xtask pins --check` (and `tests/tests/overlay_pins.rs`) fail,
//! naming helper, operation, old and new, when the inventory moves under them.

/// Every helper with the upstream operations it calls, read from this source
/// by `cargo xtask pins` (string literals only).
#[allow(dead_code)] // read by cargo xtask pins, not by the library
pub(crate) const PINS: &[(&str, &[&str])] = &[
    ("Ispmanager::users", &["user"]),
    ("Ispmanager::user", &["user.edit"]),
    ("Ispmanager::create_user", &["user.edit"]),
    ("Ispmanager::update_user", &["user.edit"]),
    ("Ispmanager::delete_users", &["user.delete"]),
    ("Ispmanager::webdomains", &["webdomain"]),
    ("Ispmanager::webdomain", &["webdomain.edit"]),
    ("Ispmanager::create_webdomain", &["webdomain.edit"]),
    ("Ispmanager::update_webdomain", &["webdomain.edit"]),
    ("Ispmanager::delete_webdomains", &["webdomain.delete"]),
    ("Ispmanager::dns_records", &["domain.sublist"]),
    ("Ispmanager::dns_record", &["domain.record.edit"]),
    ("Ispmanager::create_dns_record", &["domain.record.edit"]),
    ("Ispmanager::update_dns_record", &["domain.record.edit"]),
    ("Ispmanager::delete_dns_records", &["domain.record.delete"]),
    ("Ispmanager::mailboxes", &["email"]),
    ("Ispmanager::mailbox", &["email.edit"]),
    ("Ispmanager::create_mailbox", &["email.edit"]),
    ("Ispmanager::update_mailbox", &["email.edit"]),
    ("Ispmanager::databases", &["db"]),
    ("Ispmanager::database", &["db.edit"]),
    ("Ispmanager::create_database", &["db.edit"]),
    ("Ispmanager::update_database", &["db.edit"]),
    ("Ispmanager::delete_databases", &["db.delete"]),
];
