//! ISPConfig 3: the generated client plus audited helpers for DNS, sites,
//! mail, databases and clients.
//!
//! ```no_run
//! # async fn demo() -> panelkit::Result<()> {
//! use panelkit::ispconfig::{dns::RecordType, records, Changes, Client};
//!
//! let ispc = Client::builder()
//!     .url("https://panel.example.com:8080/remote/index.php")
//!     .credentials("remote_user", "secret") // kept as a Secret; login is lazy
//!     .build()?;
//! let zone = ispc.dns().zone("example.com").await?; // exact origin, never example.com.au.
//! let id = ispc.dns().add_record(&zone, "www", RecordType::A, "192.0.2.1").await?;
//! let a: Option<records::DnsA> = ispc.dns().get(id).await?;
//! let site: Option<records::WebVhostDomain> = ispc.sites().web_domain(1).await?;
//! let mut change = records::WebVhostDomain::default(); // a typed partial change
//! change.hd_quota = Some(2000);
//! ispc.sites().update_web_domain(1, change).await?; // everything else kept
//! ispc.sites()
//!     .update_web_domain(1, Changes::new().set("php", "php-fpm"))
//!     .await?; // a dynamic change, for a field named at run time
//! let rows = ispc.generated().dns_rr_get_all_by_zone(zone.id).await?; // any of the 312 methods
//! # Ok(()) }
//! ```
//!
//! Reads answer the generated typed records of the panel's forms
//! ([`records`]; DNS records, which share one table across types, the
//! dynamic [`Record`] with [`Record::typed`] and [`dns::Dns::get`]); updates
//! take anything `Into<`[`Changes`]`>`: a typed record with only the changed
//! fields set, or dynamic changes.
//!
//! Every helper fixes the panel's footguns where they apply (see
//! [`crud`] for the shared ones, each area module for its own) and is listed
//! in the [`pins`] table with the upstream methods it calls; the facts it was
//! audited against are in `crates/panelkit/pins/ispconfig.lock`.
//!
//! Helpers call the generated methods, never a method by name: the shared
//! CRUD goes through the generated descriptors
//! ([`panelkit_ispconfig::crud::FormCrud`]), other calls name the generated
//! method itself, so a method renamed or removed upstream is a compile error.

/// Awaits generated method `$method` of `$client` (an overlay [`Client`]),
/// a `permission_denied` naming the groups that allow it. The method is
/// named by its identifier, so a method renamed or removed upstream fails
/// to compile here instead of failing at run time.
macro_rules! generated_call {
    ($client:expr, $method:ident($($arg:expr),* $(,)?)) => {
        $client
            .generated()
            .$method($($arg),*)
            .await
            .map_err(|error| $crate::ispconfig::name_missing_groups(stringify!($method), error))
    };
}

pub mod clients;
pub mod crud;
pub mod databases;
pub mod dns;
pub mod doctor;
pub mod filter;
pub mod mail;
pub mod pins;
pub mod record;
pub mod selftest;
mod server_config;
pub mod sites;
pub mod tasks;

pub use crud::Changes;
pub use filter::Filter;
pub use panelkit_core::ispconfig::fields::FormRecord;
pub use panelkit_core::ispconfig::{ClientBuilder, Session, Transport};
pub use panelkit_core::soap::Value;
pub use panelkit_ispconfig::records;
pub use record::Record;

use std::sync::Arc;

use panelkit_core::{Error, Result};

/// An ISPConfig client: the generated client underneath ([`Client::generated`])
/// and the audited helpers by area. Cheap to clone; clones share the session.
#[derive(Clone, Debug)]
pub struct Client {
    inner: panelkit_ispconfig::Client,
    /// Server configuration sections read so far (shared by clones).
    server_configs: Arc<server_config::ServerConfigs>,
}

impl From<Session> for Client {
    fn from(session: Session) -> Self {
        Client::from(panelkit_ispconfig::Client::from(session))
    }
}

impl From<panelkit_ispconfig::Client> for Client {
    fn from(inner: panelkit_ispconfig::Client) -> Self {
        Client {
            inner,
            server_configs: Arc::default(),
        }
    }
}

impl Client {
    /// Starts configuring a client: `.url(..)`, `.credentials(..)`, TLS
    /// options, `.build()`; nothing is sent until the first call. A
    /// `…/remote/json.php` URL (or `.transport(Transport::Json)`) picks the
    /// JSON transport; the generated method table it needs is installed here.
    pub fn builder() -> ClientBuilder<Client> {
        ClientBuilder::new().remote_methods(panelkit_ispconfig::remote_methods::REMOTE_METHODS)
    }

    /// The generated client: every upstream method, unaudited, as the panel
    /// defines it.
    pub fn generated(&self) -> &panelkit_ispconfig::Client {
        &self.inner
    }

    /// Calls any remote method by name; `params` follow the session id.
    ///
    /// A `permission_denied` answer comes back as [`Error::Permission`]
    /// naming the function groups (System → Remote Users) the remote user
    /// needs for `method`, from the generated
    /// [`panelkit_ispconfig::permissions`] table.
    pub async fn raw_call(&self, method: &str, params: Vec<Value>) -> Result<Value> {
        self.inner
            .raw_call(method, params)
            .await
            .map_err(|error| name_missing_groups(method, error))
    }

    /// DNS zones and records.
    pub fn dns(&self) -> dns::Dns<'_> {
        dns::Dns { client: self }
    }

    /// Web domains, FTP and shell users, cron jobs.
    pub fn sites(&self) -> sites::Sites<'_> {
        sites::Sites { client: self }
    }

    /// Mail domains, mailboxes, aliases, forwards, catch-alls, alias domains.
    pub fn mail(&self) -> mail::Mail<'_> {
        mail::Mail { client: self }
    }

    /// Databases and database users.
    pub fn databases(&self) -> databases::Databases<'_> {
        databases::Databases { client: self }
    }

    /// Section `section` (`mail`, `web`, ...) of server `server_id`'s
    /// configuration, read through `server_get` once for the client's life.
    pub(crate) async fn server_config(&self, server_id: i64, section: &str) -> Result<Arc<Record>> {
        self.server_configs.section(self, server_id, section).await
    }

    /// Clients and resellers.
    pub fn clients(&self) -> clients::Clients<'_> {
        clients::Clients { client: self }
    }

    /// The client that owns `record` (0 for the admin), found the way the
    /// panel does: the record's `sys_groupid` is the owner's group, and
    /// `client_get_by_groupid` maps a group to its client. The admin's group
    /// belongs to client 0, for which that method's inner `client_get(0)`
    /// answers `invalid_id`: that answer means the admin.
    pub async fn owner_of(&self, record: &Record) -> Result<i64> {
        let group = record.int("sys_groupid").ok_or_else(|| {
            Error::unexpected(
                None,
                "the record has no sys_groupid, so its owner is unknown",
                b"",
            )
        })?;
        match generated_call!(self, client_get_by_groupid(group)) {
            Ok(answer) => record::one(answer)?
                .and_then(|client| client.int("client_id"))
                .ok_or_else(|| Error::NotFound {
                    status: None,
                    code: "no_client_found".to_owned(),
                    message: format!("group {group} belongs to no existing client"),
                }),
            Err(Error::Validation { code, .. }) if code == "invalid_id" => Ok(0),
            Err(e) => Err(e),
        }
    }
}

/// Adds to a `permission_denied` of `method` the function groups that allow
/// it, so an operator knows which tick the remote user lacks.
pub(crate) fn name_missing_groups(method: &str, error: Error) -> Error {
    match error {
        Error::Permission {
            code,
            message,
            status,
        } if code == "permission_denied" => {
            let checks = panelkit_ispconfig::permissions::checks(method);
            if checks.is_empty() {
                return Error::Permission {
                    code,
                    message,
                    status,
                };
            }
            let needs: Vec<String> = checks
                .iter()
                .map(|check| {
                    let groups: Vec<String> =
                        check.groups.iter().map(|g| format!("'{g}'")).collect();
                    format!("{} ({})", groups.join(" or "), check.function)
                })
                .collect();
            Error::Permission {
                code,
                message: format!(
                    "{message} {method} needs the remote user (System → Remote Users) to be \
                     allowed: {}",
                    needs.join("; ")
                ),
                status,
            }
        }
        other => other,
    }
}
