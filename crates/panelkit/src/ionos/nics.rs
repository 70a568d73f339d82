//! The NICs of one server: listing and reading them. NICs are created with
//! their server ([`super::NewServer::nic`]).

use panelkit_core::Result;
use panelkit_ionos::types::Nic;

use super::{as_i32, Client, PAGE_SIZE};
use crate::paging::Pages;

/// The NIC helpers of one server (`client.nics(datacenter_id, server_id)`).
#[derive(Clone, Copy, Debug)]
pub struct Nics<'a> {
    pub(super) client: &'a Client,
    pub(super) datacenter_id: &'a str,
    pub(super) server_id: &'a str,
}

impl<'a> Nics<'a> {
    /// Every NIC of the server (generated `datacenters_servers_nics_get`,
    /// `GET /datacenters/{datacenterId}/servers/{serverId}/nics`), in pages
    /// of [`PAGE_SIZE`].
    pub fn all(&self) -> Pages<'a, Nic> {
        let client = self.client.generated();
        let (datacenter_id, server_id) = (self.datacenter_id, self.server_id);
        Pages::new(PAGE_SIZE, move |offset, limit| {
            Box::pin(async move {
                let page = client
                    .datacenters_servers_nics_get(datacenter_id, server_id)
                    .offset(as_i32(offset))
                    .limit(as_i32(limit))
                    .await?;
                Ok(page.items.unwrap_or_default())
            })
        })
    }

    /// One NIC (generated `datacenters_servers_nics_find_by_id`,
    /// `GET /datacenters/{datacenterId}/servers/{serverId}/nics/{nicId}`).
    pub async fn get(&self, nic_id: &str) -> Result<Nic> {
        self.client
            .generated()
            .datacenters_servers_nics_find_by_id(self.datacenter_id, self.server_id, nic_id)
            .await
    }
}
