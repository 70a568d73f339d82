//! DCImanager 6: the generated client plus audited helpers for the tasks a
//! billing integration does, one handler per area: [`Client::servers`]
//! (list and look up servers, switch their power and wait for the
//! operation), [`Client::users`] (list, create) and
//! [`Client::configurations`] (the free-server counts); [`Client::raw_call`]
//! for anything else. Lists are [`Pages`] streams, as on every REST panel.
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
//! let free = dci.configurations().free().await?;
//! let found = dci.servers().find(&ServerKey::Domain("srv1.example.com".into())).await?;
//! let wait = WaitOptions::with_timeout(Duration::from_secs(600));
//! let server = dci.servers().power_and_wait(found[0].id, PowerCommand::Reset, &wait).await?;
//! let id = dci.users().create(&NewUser::new("client@example.com", "pässword")).await?;
//! let everyone = dci.users().all().try_collect().await?;
//! # let _ = (free, server, id, everyone); Ok(()) }
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

pub use configurations::{Configurations, FreeConfiguration};
pub use panelkit_core::dcimanager::{ClientBuilder, OrderBy, Service, Where};
pub use panelkit_core::rest::Method;
pub use power::{PowerCommand, ServerProgress, WaitOptions};
pub use servers::{ListOptions, Operation, Server, ServerKey, Servers};
pub use users::{NewUser, Users};

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use panelkit_core::dcimanager::list::{ListQuery, Page, DEFAULT_PAGE_SIZE};
use panelkit_core::rest::RestClient;
use panelkit_core::Result;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::paging::Pages;

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

    /// Servers: list, look up, power commands and waiting for them.
    pub fn servers(&self) -> Servers<'_> {
        Servers { client: self }
    }

    /// Users: list, create.
    pub fn users(&self) -> Users<'_> {
        Users { client: self }
    }

    /// Server configurations: how many free servers each has.
    pub fn configurations(&self) -> Configurations<'_> {
        Configurations { client: self }
    }
}

/// A DCImanager list (`{"list": [...], "size": N}` pages, `limit=offset,count`)
/// as the shared [`Pages`] stream, with the two ends the panel adds to the
/// short page that ends every offset/limit listing: a page longer than asked
/// (the panel ignored `limit` and sent the whole list, which asking again
/// would repeat forever) and the `size` total reached (which saves the empty
/// page after an exact multiple). Either makes the next fetch an empty page
/// without a request, which ends the stream. A `query` that could not be
/// built is the stream's only item.
fn pages<'a, T>(
    rest: &'a RestClient,
    query: Result<ListQuery>,
    page_size: Option<u32>,
) -> Pages<'a, T>
where
    T: DeserializeOwned + Send + 'a,
{
    let size = page_size.unwrap_or(DEFAULT_PAGE_SIZE).max(1);
    let (query, mut failed) = match query {
        Ok(query) => (Some(query.page_size(size)), None),
        Err(error) => (None, Some(error)),
    };
    let finished = Arc::new(AtomicBool::new(false));
    Pages::new(u64::from(size), move |offset, limit| {
        if let Some(error) = failed.take() {
            return Box::pin(std::future::ready(Err(error)));
        }
        let query = match &query {
            Some(query) if !finished.load(Ordering::Acquire) => query.clone(),
            _ => return Box::pin(std::future::ready(Ok(Vec::new()))),
        };
        let finished = finished.clone();
        Box::pin(async move {
            let page: Page<T> = query.page(rest, offset).await?;
            let got = page.list.len() as u64;
            let ignored_limit = got > limit;
            let all = page.size.is_some_and(|size| offset + got >= size);
            if ignored_limit || all {
                finished.store(true, Ordering::Release);
            }
            Ok(page.list)
        })
    })
}
