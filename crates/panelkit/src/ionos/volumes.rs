//! The volumes of one datacenter: listing, reading, deleting one (also as
//! `_and_wait`; see [`super::datacenters`] for why). Volumes are created
//! with their server ([`super::NewServer::volume`]).

use panelkit_core::Result;
use panelkit_ionos::types::Volume;

use super::{as_i32, Accepted, Client, WaitOptions, PAGE_SIZE};
use crate::paging::Pages;

/// The volume helpers of one datacenter (`client.volumes(datacenter_id)`).
#[derive(Clone, Copy, Debug)]
pub struct Volumes<'a> {
    pub(super) client: &'a Client,
    pub(super) datacenter_id: &'a str,
}

impl<'a> Volumes<'a> {
    /// Every volume of the datacenter (generated `datacenters_volumes_get`,
    /// `GET /datacenters/{datacenterId}/volumes`), in pages of
    /// [`PAGE_SIZE`].
    pub fn all(&self) -> Pages<'a, Volume> {
        let (client, datacenter_id) = (self.client.generated(), self.datacenter_id);
        Pages::new(PAGE_SIZE, move |offset, limit| {
            Box::pin(async move {
                let page = client
                    .datacenters_volumes_get(datacenter_id)
                    .offset(as_i32(offset))
                    .limit(as_i32(limit))
                    .await?;
                Ok(page.items.unwrap_or_default())
            })
        })
    }

    /// One volume (generated `datacenters_volumes_find_by_id`,
    /// `GET /datacenters/{datacenterId}/volumes/{volumeId}`).
    pub async fn get(&self, volume_id: &str) -> Result<Volume> {
        self.client
            .generated()
            .datacenters_volumes_find_by_id(self.datacenter_id, volume_id)
            .await
    }

    /// Deletes a volume (generated `datacenters_volumes_delete`,
    /// `DELETE /datacenters/{datacenterId}/volumes/{volumeId}`).
    pub async fn delete(&self, volume_id: &str) -> Result<Accepted<()>> {
        self.client
            .generated()
            .datacenters_volumes_delete(self.datacenter_id, volume_id)
            .await
    }

    /// [`Volumes::delete`], then waits until it is done.
    pub async fn delete_and_wait(&self, volume_id: &str, wait: &WaitOptions) -> Result<()> {
        self.delete(volume_id).await?.wait_with(wait).await
    }
}
