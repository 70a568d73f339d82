//! DCImanager 6: the generated client plus audited helpers for the tasks a
//! billing integration does: list and look up servers, switch their power and
//! wait for the operation, read the free-server configurations, create users.
//!
//! ```no_run
//! # async fn demo() -> panelkit::Result<()> {
//! use panelkit::dcimanager::{Client, NewUser, PowerCommand, ServerKey, WaitOptions};
//! use std::time::Duration;
//!
//! let dci = Client::builder()
//!     .url("https://dci.example.com")
//!     .credentials("admin@example.com", "secret") // kept as a Secret; login is lazy
//!     .build()?;
//! let free = dci.free_configurations().await?;
//! let found = dci.find_servers(&ServerKey::Domain("srv1.example.com".into())).await?;
//! let wait = WaitOptions::with_timeout(Duration::from_secs(600));
//! let server = dci.power_and_wait(found[0].id, PowerCommand::Reset, &wait).await?;
//! let id = dci.create_user(&NewUser::new("client@example.com", "pässword")).await?;
//! # let _ = (free, server, id); Ok(()) }
//! ```
//!
//! Each helper is listed in `pins::PINS` with the generated operations it
//! wraps and the signature it was audited against.
//!
//! Not here: assigning a server to an owner. The vendor's "Examples of API
//! use" page has a section for it, but no copy of its request path could be
//! found, and no endpoint is written without a source.

pub mod configurations;
pub mod pins;
pub mod power;
pub mod servers;
pub mod users;

pub use configurations::FreeConfiguration;
pub use panelkit_core::dcimanager::{ClientBuilder, ListStream, OrderBy, Service, Where};
pub use panelkit_core::rest::Method;
pub use power::{PowerCommand, ServerProgress, WaitOptions};
pub use servers::{Operation, Server, ServerKey};
pub use users::NewUser;

use panelkit_core::rest::RestClient;
use panelkit_core::Result;
use serde_json::Value;

/// A DCImanager 6 client: the generated client underneath
/// ([`Client::generated`]) and the audited helpers. Cheap to clone; clones
/// share connections and the login.
#[derive(Clone, Debug)]
pub struct Client {
    inner: panelkit_dcimanager::Client,
}

impl From<RestClient> for Client {
    fn from(rest: RestClient) -> Self {
        Client {
            inner: panelkit_dcimanager::Client::from(rest),
        }
    }
}

impl From<panelkit_dcimanager::Client> for Client {
    fn from(inner: panelkit_dcimanager::Client) -> Self {
        Client { inner }
    }
}

impl Client {
    /// Starts configuring a client: `.url("https://HOST")`, credentials
    /// (`.credentials(..)`, `.key(..)` or `.token(..)`), `.build()`.
    pub fn builder() -> ClientBuilder<Client> {
        ClientBuilder::new()
    }

    /// The generated client: every documented endpoint, unaudited.
    pub fn generated(&self) -> &panelkit_dcimanager::Client {
        &self.inner
    }

    /// The REST executor underneath (for `panelkit_core::dcimanager::call`).
    pub fn rest(&self) -> &RestClient {
        self.inner.rest()
    }

    /// Calls any endpoint, unaudited: `method` on `/api/{service}/{version}{path}`
    /// with an optional JSON body, logged in like every other call. For what
    /// the generated client does not cover.
    pub async fn raw_call(
        &self,
        service: Service,
        version: &str,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Value> {
        panelkit_core::dcimanager::call(self.rest(), service, version, method, path, body).await
    }
}
