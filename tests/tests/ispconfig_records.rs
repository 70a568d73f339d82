//! The typed records generated from the panel's forms, against the PHP peer:
//! a record the peer answers decodes with nothing lost (fields the form does
//! not define land in `other`), encodes back to the same stored values, and
//! survives PHP's ext/soap and a read-merge-write through the panel's update
//! unchanged. Records go to the generated methods as they are (`&record`).
//!
//! Every test runs twice: in `soap` against `remote/index.php`, in `json`
//! against `remote/json.php` (the cases are in `ispconfig_records/cases.rs`).

/// Over SOAP (`remote/index.php`).
mod soap {
    use panelkit_tests::IspconfigPeer;
    include!("ispconfig_records/cases.rs");
}

/// Over JSON (`remote/json.php`): the same tests.
mod json {
    use panelkit_tests::JsonPeer as IspconfigPeer;
    include!("ispconfig_records/cases.rs");
}
