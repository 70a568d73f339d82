//! IONOS Cloud v6: the generated client plus audited helpers for composite
//! datacenter creation, delete-and-wait and offset/limit listings.
//!
//! ```no_run
//! # async fn demo() -> panelkit::Result<()> {
//! use panelkit::ionos::{Client, NewDatacenter, NewServer, WaitOptions};
//! use panelkit::ionos::types::{NicProperties, ServerProperties, VolumeProperties};
//! use std::time::Duration;
//!
//! let ionos = Client::builder().token("token").build()?;
//! let server = NewServer::new(ServerProperties::new(2, 2048))
//!     .volume(VolumeProperties { image_alias: Some("ubuntu:latest".into()), ..VolumeProperties::new(20.0) })
//!     .nic(NicProperties::new(1));
//! let wait = WaitOptions::with_timeout(Duration::from_secs(900));
//! let dc = ionos.create_datacenter_and_wait(NewDatacenter::new("web", "de/fra").server(server), &wait).await?;
//! let servers = ionos.list_servers(dc.id.as_deref().unwrap_or_default()).try_collect().await?;
//! # let _ = servers; Ok(()) }
//! ```
//!
//! Every helper waits on the request the API answered with (`202` and a
//! `Location` header) through [`panelkit_core::ionos`]'s request tracking:
//! `FAILED` is [`panelkit_core::Error::RequestFailed`], the deadline
//! [`panelkit_core::Error::Timeout`]. Each helper is listed in
//! `pins::PINS` with the generated operations it wraps.

pub mod composite;
pub mod delete;
pub mod lists;
pub mod pins;

pub use composite::{NewDatacenter, NewServer};
pub use panelkit_core::ionos::{Accepted, ClientBuilder, RequestProgress, WaitOptions};
pub use panelkit_ionos::types;

use panelkit_core::rest::RestClient;
use panelkit_core::Result;

/// An IONOS Cloud client: the generated client underneath
/// ([`Client::generated`]) and the audited helpers. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Client {
    inner: panelkit_ionos::Client,
}

impl From<RestClient> for Client {
    fn from(rest: RestClient) -> Self {
        Client {
            inner: panelkit_ionos::Client::from(rest),
        }
    }
}

impl From<panelkit_ionos::Client> for Client {
    fn from(inner: panelkit_ionos::Client) -> Self {
        Client { inner }
    }
}

impl Client {
    /// Starts configuring a client: credentials (`.token(..)` or
    /// `.basic_auth(..)`), `.url(..)`, `.build()`.
    pub fn builder() -> ClientBuilder<Client> {
        ClientBuilder::new()
    }

    /// A builder configured from the variables the IONOS SDKs read
    /// (`IONOS_TOKEN`, or `IONOS_USERNAME` and `IONOS_PASSWORD`;
    /// `IONOS_API_URL`); fails naming them when none is set.
    pub fn from_env() -> Result<ClientBuilder<Client>> {
        ClientBuilder::from_env()
    }

    /// One datacenter (generated `datacenters_find_by_id`,
    /// `GET /datacenters/{datacenterId}`).
    pub async fn datacenter(&self, datacenter_id: &str) -> Result<types::Datacenter> {
        self.inner.datacenters_find_by_id(datacenter_id).await
    }

    /// The generated client: every upstream operation, unaudited. Enable
    /// more `panelkit-ionos` features in your own `Cargo.toml` to reach the
    /// operations this crate does not need itself.
    pub fn generated(&self) -> &panelkit_ionos::Client {
        &self.inner
    }
}
