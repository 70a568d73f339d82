//! Objects behind the COREmanager peer's list / form / group functions for
//! users, mailboxes, databases and DNS records, all kept by one table model.
//!
//! The behaviour follows the vendor's guide and ARCHITECTURE.md:
//! - a list answers `elem` rows (one row is an object in `out=json`);
//! - a form without `sok=ok` only reads (extra parameters are ignored), with
//!   `sok=ok` it applies: no `elid` creates, an `elid` changes that object;
//! - an applied form takes the form as sent: the panel's interface always
//!   submits every field (see the log line in the guide, `maildomain=off`,
//!   `owner_admins=off`), so a field left out takes its default value;
//! - group operations take `elid=a, b` (joined with `", "`);
//! - DNS records live under their zone: `plid=<domain>` is required.

use std::collections::BTreeMap;

/// One table: the functions that reach it and its fields' defaults.
pub(crate) struct Table {
    pub list: &'static str,
    pub edits: &'static [&'static str],
    pub deletes: &'static [&'static str],
    /// The field whose value is the element id.
    pub key: &'static str,
    /// Objects live under a parent (`plid`).
    pub nested: bool,
    /// Only administrators reach it.
    pub admin_only: bool,
    /// Fields and their default values (what a field left out becomes).
    pub defaults: &'static [(&'static str, &'static str)],
}

pub(crate) const TABLES: &[Table] = &[
    Table {
        list: "user",
        edits: &["user.edit"],
        deletes: &["user.delete"],
        key: "name",
        nested: false,
        admin_only: true,
        defaults: &[
            ("fullname", ""),
            ("limit_webdomains", "10"),
            ("limit_db", "10"),
            ("limit_emails", "10"),
            ("active", "on"),
        ],
    },
    Table {
        list: "email",
        edits: &["email.edit"],
        deletes: &[],
        key: "name",
        nested: false,
        admin_only: false,
        defaults: &[
            ("owner", ""),
            ("maxsize", "0"),
            ("forward", ""),
            ("note", ""),
        ],
    },
    Table {
        list: "db",
        edits: &["db.edit"],
        deletes: &["db.delete"],
        key: "name",
        nested: false,
        admin_only: false,
        defaults: &[("owner", ""), ("charset", "utf8mb4"), ("server", "MySQL")],
    },
    Table {
        list: "domain.sublist",
        edits: &["domain.record.edit", "domain.sublist.edit"],
        deletes: &["domain.record.delete", "domain.sublist.delete"],
        key: "rkey",
        nested: true,
        admin_only: false,
        defaults: &[("name", ""), ("rtype", "a"), ("ttl", "3600"), ("value", "")],
    },
];

/// Which table a function reaches, and how.
pub(crate) enum Op {
    List,
    Edit,
    Delete,
}

pub(crate) fn lookup(func: &str) -> Option<(usize, Op)> {
    TABLES.iter().enumerate().find_map(|(i, t)| {
        if t.list == func {
            Some((i, Op::List))
        } else if t.edits.contains(&func) {
            Some((i, Op::Edit))
        } else if t.deletes.contains(&func) {
            Some((i, Op::Delete))
        } else {
            None
        }
    })
}

/// One object: its parent (`plid`, empty for top-level tables) and fields.
#[derive(Clone, Debug)]
pub(crate) struct Obj {
    pub plid: String,
    pub fields: BTreeMap<String, String>,
}

impl Obj {
    pub(crate) fn get(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", String::as_str)
    }
}

/// The objects a fresh peer starts with: user `bob`, his mailbox and
/// database, and two records of the zone `bob.example`.
pub(crate) fn seed() -> Vec<Vec<Obj>> {
    let obj = |plid: &str, fields: &[(&str, &str)]| Obj {
        plid: plid.to_owned(),
        fields: fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
    };
    vec![
        vec![obj(
            "",
            &[
                ("name", "bob"),
                ("fullname", "Bob Example"),
                ("limit_webdomains", "5"),
                ("limit_db", "3"),
                ("limit_emails", "20"),
                ("active", "on"),
            ],
        )],
        vec![obj(
            "",
            &[
                ("name", "info@bob.example"),
                ("owner", "bob"),
                ("maxsize", "2048"),
                ("forward", ""),
                ("note", "front desk"),
            ],
        )],
        vec![obj(
            "",
            &[
                ("name", "bob_shop"),
                ("owner", "bob"),
                ("charset", "utf8mb4"),
                ("server", "MySQL"),
            ],
        )],
        vec![
            record("bob.example", "www", "a", "192.0.2.10"),
            record("bob.example", "mail", "a", "192.0.2.25"),
            record("other.example", "www", "a", "198.51.100.7"),
        ],
    ]
}

/// A DNS record; its id is the peer's own opaque key.
pub(crate) fn record(zone: &str, name: &str, rtype: &str, value: &str) -> Obj {
    let mut fields = BTreeMap::new();
    fields.insert("name".to_owned(), name.to_owned());
    fields.insert("rtype".to_owned(), rtype.to_owned());
    fields.insert("ttl".to_owned(), "3600".to_owned());
    fields.insert("value".to_owned(), value.to_owned());
    fields.insert("rkey".to_owned(), record_key(name, rtype, value));
    Obj {
        plid: zone.to_owned(),
        fields,
    }
}

pub(crate) fn record_key(name: &str, rtype: &str, value: &str) -> String {
    format!("{name} {} {value}", rtype.to_ascii_uppercase())
}
