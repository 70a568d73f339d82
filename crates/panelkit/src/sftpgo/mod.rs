//! SFTPGo: the generated client plus audited helpers, one handler per area:
//! [`Client::users`], [`Client::admins`], [`Client::folders`],
//! [`Client::api_keys`] (each listed page by page with `all()`),
//! [`Client::quota`] (scans, and waiting for one), [`Client::connections`]
//! and [`Client::maintenance`]; [`Client::raw_call`] for anything else.
//!
//! ```no_run
//! # async fn demo() -> panelkit::Result<()> {
//! use panelkit::sftpgo::{Client, NewUser};
//! use std::time::Duration;
//!
//! let sftpgo = Client::builder()
//!     .url("https://sftpgo.example.com")
//!     .api_key("key") // kept as a Secret
//!     .build()?
//!     .with_home_base("/srv/sftpgo/data");
//! let user = sftpgo.users().create(NewUser::with_password("alice", "s3cret")).await?;
//! sftpgo.quota().scan_and_wait("alice", Duration::from_secs(60)).await?;
//! let everyone = sftpgo.users().all().try_collect().await?; // pages of 500
//! # let _ = (user, everyone); Ok(()) }
//! ```
//!
//! Each helper is listed in `pins::PINS` with the generated operations
//! it wraps and the signature (request line, parameters, body, answer) it
//! was audited against.

pub mod admins;
pub mod api_keys;
pub mod connections;
pub mod folders;
pub mod lists;
pub mod maintenance;
pub mod pins;
pub mod quota;
pub mod users;

pub use admins::Admins;
pub use api_keys::ApiKeys;
pub use connections::Connections;
pub use folders::Folders;
pub use lists::ListOptions;
pub use maintenance::{LoadOptions, Maintenance};
pub use panelkit_core::rest::{Method, Request, Response};
pub use panelkit_core::sftpgo::ClientBuilder;
pub use panelkit_sftpgo::types;
pub use quota::Quota;
pub use users::{NewUser, Users};

use panelkit_core::rest::RestClient;
use panelkit_core::Result;

/// Where home directories go when [`NewUser`] does not name one: SFTPGo's
/// own default data directory.
pub const DEFAULT_HOME_BASE: &str = "/srv/sftpgo/data";

/// An SFTPGo client: the generated client underneath ([`Client::generated`])
/// and the audited helpers. Cheap to clone; clones share connections and
/// credentials.
#[derive(Clone, Debug)]
pub struct Client {
    inner: panelkit_sftpgo::Client,
    home_base: String,
}

impl From<RestClient> for Client {
    fn from(rest: RestClient) -> Self {
        Client::from(panelkit_sftpgo::Client::from(rest))
    }
}

impl From<panelkit_sftpgo::Client> for Client {
    fn from(inner: panelkit_sftpgo::Client) -> Self {
        Client {
            inner,
            home_base: DEFAULT_HOME_BASE.to_owned(),
        }
    }
}

impl Client {
    /// Starts configuring a client: `.url(..)`, credentials, TLS options,
    /// `.build()`.
    pub fn builder() -> ClientBuilder<Client> {
        ClientBuilder::new()
    }

    /// Sets the directory under which [`Users::create`] puts a new user's
    /// home (`BASE/USERNAME`) when none is given.
    pub fn with_home_base(mut self, base: impl Into<String>) -> Self {
        self.home_base = base.into();
        self
    }

    /// The home base directory in use.
    pub fn home_base(&self) -> &str {
        &self.home_base
    }

    /// The generated client: every upstream operation, unaudited. Enable
    /// more `panelkit-sftpgo` features in your own `Cargo.toml` to reach the
    /// operations this crate does not need itself.
    pub fn generated(&self) -> &panelkit_sftpgo::Client {
        &self.inner
    }

    /// Sends any request, unaudited: `Request::new(operation, method,
    /// path)` relative to the API prefix, authenticated like every other
    /// call (`.auth(..)` names the schemes, as the generated calls do). For
    /// what the generated client does not cover; the answer is returned as
    /// received, a non-2xx status as the usual typed error.
    pub async fn raw_call(&self, request: Request) -> Result<Response> {
        self.inner.rest().send(request).await
    }

    /// Users: list, read, create, update, delete.
    pub fn users(&self) -> Users<'_> {
        Users { client: self }
    }

    /// Admins: list, read, create, delete.
    pub fn admins(&self) -> Admins<'_> {
        Admins { client: self }
    }

    /// Virtual folders: list, read, create, delete.
    pub fn folders(&self) -> Folders<'_> {
        Folders { client: self }
    }

    /// API keys: list, create, delete.
    pub fn api_keys(&self) -> ApiKeys<'_> {
        ApiKeys { client: self }
    }

    /// Quota scans: the running ones, starting one, waiting for one.
    pub fn quota(&self) -> Quota<'_> {
        Quota { client: self }
    }

    /// Active connections: list, close.
    pub fn connections(&self) -> Connections<'_> {
        Connections { client: self }
    }

    /// Version, service status, backups (dump and load).
    pub fn maintenance(&self) -> Maintenance<'_> {
        Maintenance { client: self }
    }
}
