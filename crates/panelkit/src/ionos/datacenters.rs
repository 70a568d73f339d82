//! Datacenters: listing, reading, creating one with everything in it in
//! one request, deleting one; each change also as `_and_wait`.
//!
//! A change answers 202 when it is queued, not when it has happened; the
//! next step (using the new datacenter, re-creating a name) must wait: each
//! change returns the queued request ([`Accepted`]), its `_and_wait` form
//! waits for it.

use panelkit_core::Result;
use panelkit_ionos::types::Datacenter;

use super::{as_i32, Accepted, Client, NewDatacenter, WaitOptions, PAGE_SIZE};
use crate::paging::Pages;

/// The datacenter helpers of a [`Client`] (`client.datacenters()`).
#[derive(Clone, Copy, Debug)]
pub struct Datacenters<'a> {
    pub(super) client: &'a Client,
}

impl<'a> Datacenters<'a> {
    /// Every datacenter (generated `datacenters_get`, `GET /datacenters`),
    /// in pages of [`PAGE_SIZE`].
    pub fn all(&self) -> Pages<'a, Datacenter> {
        let client = self.client.generated();
        Pages::new(PAGE_SIZE, move |offset, limit| {
            Box::pin(async move {
                let page = client
                    .datacenters_get()
                    .offset(as_i32(offset))
                    .limit(as_i32(limit))
                    .await?;
                Ok(page.items.unwrap_or_default())
            })
        })
    }

    /// One datacenter (generated `datacenters_find_by_id`,
    /// `GET /datacenters/{datacenterId}`).
    pub async fn get(&self, datacenter_id: &str) -> Result<Datacenter> {
        self.client
            .generated()
            .datacenters_find_by_id(datacenter_id)
            .await
    }

    /// Creates `datacenter` with all its servers, volumes and NICs in one
    /// request (generated `datacenters_post`, `POST /datacenters`) after the
    /// local checks; the answer holds the queued request to wait for.
    pub async fn create(&self, datacenter: NewDatacenter) -> Result<Accepted<Datacenter>> {
        let body = datacenter.into_body()?;
        self.client.generated().datacenters_post(&body).await
    }

    /// [`Datacenters::create`], then waits for its request; returns the
    /// datacenter as first answered (with its id).
    pub async fn create_and_wait(
        &self,
        datacenter: NewDatacenter,
        wait: &WaitOptions,
    ) -> Result<Datacenter> {
        self.create(datacenter).await?.wait_with(wait).await
    }

    /// Deletes a datacenter and everything in it (generated
    /// `datacenters_delete`, `DELETE /datacenters/{datacenterId}`).
    pub async fn delete(&self, datacenter_id: &str) -> Result<Accepted<()>> {
        self.client
            .generated()
            .datacenters_delete(datacenter_id)
            .await
    }

    /// [`Datacenters::delete`], then waits until it is done.
    pub async fn delete_and_wait(&self, datacenter_id: &str, wait: &WaitOptions) -> Result<()> {
        self.delete(datacenter_id).await?.wait_with(wait).await
    }
}
