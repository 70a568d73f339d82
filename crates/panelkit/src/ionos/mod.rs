//! IONOS Cloud v6: the generated client plus audited helpers, one handler
//! per area: [`Client::datacenters`], [`Client::servers`],
//! [`Client::volumes`] and [`Client::nics`], each listing page by page
//! (`all()`), reading (`get(id)`), and where the API allows, creating in one
//! composite request and deleting, with `_and_wait` forms;
//! [`Client::raw_call`] for anything else.
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
//! let dc = ionos.datacenters().create_and_wait(NewDatacenter::new("web", "de/fra").server(server), &wait).await?;
//! let servers = ionos.servers(dc.id.as_deref().unwrap_or_default()).all().try_collect().await?;
//! # let _ = servers; Ok(()) }
//! ```
//!
//! Every helper waits on the request the API answered with (`202` and a
//! `Location` header) through [`panelkit_core::ionos`]'s request tracking:
//! `FAILED` is [`panelkit_core::Error::RequestFailed`], the deadline
//! [`panelkit_core::Error::Timeout`]. Each helper is listed in
//! `pins::PINS` with the generated operations it wraps.

pub mod composite;
pub mod datacenters;
pub mod nics;
pub mod pins;
pub mod servers;
pub mod volumes;

pub use composite::{NewDatacenter, NewServer};
pub use datacenters::Datacenters;
pub use nics::Nics;
pub use panelkit_core::ionos::{Accepted, ClientBuilder, RequestProgress, WaitOptions};
pub use panelkit_core::rest::{Method, Request, Response};
pub use panelkit_ionos::types;
pub use servers::Servers;
pub use volumes::Volumes;

use panelkit_core::rest::RestClient;
use panelkit_core::Result;

/// Items per list request: IONOS collections answer one page (`offset`,
/// `limit`, default 1000) with the items in `items`; the listings ask page
/// after page until a short one.
pub const PAGE_SIZE: u64 = 1000;

/// An offset or limit as the API's `int32`; past it the API would refuse
/// the value anyway.
fn as_i32(n: u64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

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

    /// The generated client: every upstream operation, unaudited. Enable
    /// more `panelkit-ionos` features in your own `Cargo.toml` to reach the
    /// operations this crate does not need itself.
    pub fn generated(&self) -> &panelkit_ionos::Client {
        &self.inner
    }

    /// Sends any request, unaudited: `Request::new(operation, method,
    /// path)` relative to the API URL, authenticated like every other call
    /// (`.auth(..)` names the schemes, as the generated calls do). For what
    /// the generated client does not cover; the answer is returned as
    /// received (a 202's `Location` header included), a non-2xx status as
    /// the usual typed error.
    pub async fn raw_call(&self, request: Request) -> Result<Response> {
        self.inner.rest().send(request).await
    }

    /// Datacenters: list, read, create (with everything in them), delete.
    pub fn datacenters(&self) -> Datacenters<'_> {
        Datacenters { client: self }
    }

    /// The servers of datacenter `datacenter_id`: list, read, create,
    /// delete.
    pub fn servers<'a>(&'a self, datacenter_id: &'a str) -> Servers<'a> {
        Servers {
            client: self,
            datacenter_id,
        }
    }

    /// The volumes of datacenter `datacenter_id`: list, read, delete.
    pub fn volumes<'a>(&'a self, datacenter_id: &'a str) -> Volumes<'a> {
        Volumes {
            client: self,
            datacenter_id,
        }
    }

    /// The NICs of server `server_id` in datacenter `datacenter_id`: list,
    /// read.
    pub fn nics<'a>(&'a self, datacenter_id: &'a str, server_id: &'a str) -> Nics<'a> {
        Nics {
            client: self,
            datacenter_id,
            server_id,
        }
    }
}
