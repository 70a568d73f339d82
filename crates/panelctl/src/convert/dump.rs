//! SFTPGo's dump format, as far as converted users fill it.
//!
//! Field names are the v2 API's (`User` in the OpenAPI spec), so the file is
//! what `POST /loaddata` (and `panelctl sftpgo loaddata`) accepts.

use std::collections::BTreeMap;

use serde::Serialize;

/// A dump holding users only: `{"users": [...]}`.
#[derive(Debug, Serialize)]
pub struct Dump<'a> {
    /// The users.
    pub users: &'a [DumpUser],
}

/// One user in SFTPGo's v2 shape.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DumpUser {
    /// Login name.
    pub username: String,
    /// The original hash, which SFTPGo stores and checks as it is.
    pub password: String,
    /// 1 enabled, 0 disabled.
    pub status: u8,
    /// Unix time in milliseconds; 0 means no expiration.
    pub expiration_date: i64,
    /// Absolute home directory (the user's jail).
    pub home_dir: String,
    /// Owner uid of created files (when SFTPGo runs as root).
    pub uid: u32,
    /// Owner gid of created files.
    pub gid: u32,
    /// Concurrent sessions; 0 unlimited.
    pub max_sessions: u64,
    /// Quota in bytes; 0 unlimited.
    pub quota_size: u64,
    /// Quota in files; 0 unlimited.
    pub quota_files: u64,
    /// Permissions per directory; `/` → `*` gives full access to the home.
    pub permissions: BTreeMap<String, Vec<String>>,
    /// KB/s per upload; 0 unlimited.
    pub upload_bandwidth: u64,
    /// KB/s per download; 0 unlimited.
    pub download_bandwidth: u64,
    /// Free text for external systems: where the user came from.
    pub additional_info: String,
    /// Client IP filters.
    #[serde(skip_serializing_if = "Filters::is_empty")]
    pub filters: Filters,
}

/// The user filters a converted store can fill.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Filters {
    /// Networks (CIDR) allowed to log in; all when empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub allowed_ip: Vec<String>,
    /// Networks (CIDR) refused.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub denied_ip: Vec<String>,
}

impl Filters {
    fn is_empty(&self) -> bool {
        self.allowed_ip.is_empty() && self.denied_ip.is_empty()
    }
}

impl DumpUser {
    /// A user with full permissions on its home and no limits.
    pub fn new(username: &str, password: String, home_dir: &str, uid: u32, gid: u32) -> Self {
        DumpUser {
            username: username.to_owned(),
            password,
            status: 1,
            expiration_date: 0,
            home_dir: home_dir.to_owned(),
            uid,
            gid,
            max_sessions: 0,
            quota_size: 0,
            quota_files: 0,
            permissions: BTreeMap::from([("/".to_owned(), vec!["*".to_owned()])]),
            upload_bandwidth: 0,
            download_bandwidth: 0,
            additional_info: String::new(),
            filters: Filters::default(),
        }
    }
}
