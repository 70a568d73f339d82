//! The servers of one datacenter: listing, reading, creating one with its
//! volumes and NICs in one request, deleting one; each change also as
//! `_and_wait` (see [`super::datacenters`] for why changes are waited for).

use panelkit_core::Result;
use panelkit_ionos::types::Server;

use super::{as_i32, Accepted, Client, NewServer, WaitOptions, PAGE_SIZE};
use crate::paging::Pages;

/// The server helpers of one datacenter (`client.servers(datacenter_id)`).
#[derive(Clone, Copy, Debug)]
pub struct Servers<'a> {
    pub(super) client: &'a Client,
    pub(super) datacenter_id: &'a str,
}

impl<'a> Servers<'a> {
    /// Every server of the datacenter (generated `datacenters_servers_get`,
    /// `GET /datacenters/{datacenterId}/servers`), in pages of
    /// [`PAGE_SIZE`].
    pub fn all(&self) -> Pages<'a, Server> {
        let (client, datacenter_id) = (self.client.generated(), self.datacenter_id);
        Pages::new(PAGE_SIZE, move |offset, limit| {
            Box::pin(async move {
                let page = client
                    .datacenters_servers_get(datacenter_id)
                    .offset(as_i32(offset))
                    .limit(as_i32(limit))
                    .await?;
                Ok(page.items.unwrap_or_default())
            })
        })
    }

    /// One server (generated `datacenters_servers_find_by_id`,
    /// `GET /datacenters/{datacenterId}/servers/{serverId}`).
    pub async fn get(&self, server_id: &str) -> Result<Server> {
        self.client
            .generated()
            .datacenters_servers_find_by_id(self.datacenter_id, server_id)
            .await
    }

    /// Creates `server` with its volumes and NICs in one request (generated
    /// `datacenters_servers_post`, `POST /datacenters/{datacenterId}/servers`)
    /// after the local checks; the answer holds the queued request to wait
    /// for.
    pub async fn create(&self, server: NewServer) -> Result<Accepted<Server>> {
        let body = server.into_body()?;
        self.client
            .generated()
            .datacenters_servers_post(self.datacenter_id, &body)
            .await
    }

    /// [`Servers::create`], then waits for its request; returns the server
    /// as first answered (with its id).
    pub async fn create_and_wait(&self, server: NewServer, wait: &WaitOptions) -> Result<Server> {
        self.create(server).await?.wait_with(wait).await
    }

    /// Deletes a server (generated `datacenters_servers_delete`,
    /// `DELETE /datacenters/{datacenterId}/servers/{serverId}`);
    /// `delete_volumes` also deletes its attached volumes.
    pub async fn delete(&self, server_id: &str, delete_volumes: bool) -> Result<Accepted<()>> {
        self.client
            .generated()
            .datacenters_servers_delete(self.datacenter_id, server_id)
            .delete_volumes(delete_volumes)
            .await
    }

    /// [`Servers::delete`], then waits until it is done.
    pub async fn delete_and_wait(
        &self,
        server_id: &str,
        delete_volumes: bool,
        wait: &WaitOptions,
    ) -> Result<()> {
        self.delete(server_id, delete_volumes)
            .await?
            .wait_with(wait)
            .await
    }
}
