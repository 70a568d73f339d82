//! Which columns `--output table` shows for each listing verb.
//!
//! A panel's records are wide (an ISPConfig client has ~90 fields), so a
//! table shows the few columns an operator scans for; `--output wide` shows
//! every column and `--columns a,b,c` picks. A column is a field name, or a
//! dotted path into nested objects (`properties.name` for IONOS).

use crate::cli::{
    Command, Dci, Global, Ionos, Ispconfig, IspconfigClient, IspconfigDns, IspconfigMailUser,
    Output, Sftpgo,
};

/// The columns to print.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Columns {
    /// Every column (`--output wide`, or a verb without defaults).
    All,
    /// The verb's defaults; those no row has are left out, and with none
    /// left every column is shown.
    Default(&'static [&'static str]),
    /// `--columns`: exactly these, each of which some row must have.
    Picked(Vec<String>),
}

/// The columns of `convert-users`' problem table.
pub const CONVERT_PROBLEMS: &[&str] = &["file", "line", "username", "skipped", "reason"];

/// The columns for `command` under the global options.
pub fn for_command(global: &Global, command: &Command) -> Columns {
    match defaults(command) {
        Some(defaults) => with_defaults(global, defaults),
        None if !global.columns.is_empty() => Columns::Picked(global.columns.clone()),
        None => Columns::All,
    }
}

/// `--columns` when given, else `defaults` for `--output table` and every
/// column for `--output wide`.
pub fn with_defaults(global: &Global, defaults: &'static [&'static str]) -> Columns {
    if !global.columns.is_empty() {
        return Columns::Picked(global.columns.clone());
    }
    match global.output {
        Output::Table => Columns::Default(defaults),
        _ => Columns::All,
    }
}

/// The default table columns of the listing verbs.
fn defaults(command: &Command) -> Option<&'static [&'static str]> {
    Some(match command {
        Command::Ispconfig(Ispconfig::Client(IspconfigClient::List)) => &[
            "client_id",
            "username",
            "company_name",
            "contact_name",
            "email",
            "locked",
        ],
        Command::Ispconfig(Ispconfig::Dns(IspconfigDns::List { .. })) => {
            &["id", "name", "type", "data", "aux", "ttl", "active"]
        }
        Command::Ispconfig(Ispconfig::MailUser(IspconfigMailUser::List { .. })) => &[
            "mailuser_id",
            "email",
            "name",
            "quota",
            "postfix",
            "disableimap",
            "disablepop3",
        ],
        Command::Sftpgo(sftpgo) => match sftpgo.as_ref() {
            Sftpgo::GetUsers(_) => &[
                "id",
                "username",
                "status",
                "home_dir",
                "quota_size",
                "used_quota_size",
                "expiration_date",
                "last_login",
            ],
            Sftpgo::GetAdmins(_) => &["id", "username", "status", "email", "last_login"],
            Sftpgo::GetFolders(_) => &["id", "name", "mapped_path", "used_quota_size", "users"],
            Sftpgo::GetApiKeys(_) => &[
                "id",
                "name",
                "scope",
                "admin",
                "user",
                "expires_at",
                "last_use_at",
            ],
            Sftpgo::GetConnections => &[
                "connection_id",
                "username",
                "protocol",
                "remote_address",
                "connection_time",
                "last_activity",
            ],
            _ => return None,
        },
        Command::Dci(Dci::Servers) => &[
            "id",
            "name",
            "domain",
            "state",
            "power_status",
            "owner_email",
        ],
        Command::Dci(Dci::Users) => &["id", "email", "full_name", "roles", "state"],
        Command::Ionos(Ionos::Datacenters) => &[
            "id",
            "properties.name",
            "properties.location",
            "metadata.state",
        ],
        Command::Ionos(Ionos::Servers { .. }) => &[
            "id",
            "properties.name",
            "properties.cores",
            "properties.ram",
            "properties.vmState",
            "metadata.state",
        ],
        Command::Ionos(Ionos::Volumes { .. }) => &[
            "id",
            "properties.name",
            "properties.size",
            "properties.type",
            "metadata.state",
        ],
        _ => return None,
    })
}
