//! Offset/limit listings as [`Pages`] streams.
//!
//! IONOS collections answer one page (`offset`, `limit`, default 1000) with
//! the items in `items`; these ask page after page until a short one.

use panelkit_ionos::types::{Datacenter, Nic, Server, Volume};

use super::Client;
use crate::paging::Pages;

/// Items per request.
pub const PAGE_SIZE: u64 = 1000;

fn as_i32(n: u64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

impl Client {
    /// Every datacenter (generated `datacenters_get`, `GET /datacenters`).
    pub fn list_datacenters(&self) -> Pages<'_, Datacenter> {
        let client = self.generated();
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

    /// Every server of a datacenter (generated `datacenters_servers_get`,
    /// `GET /datacenters/{datacenterId}/servers`).
    pub fn list_servers<'a>(&'a self, datacenter_id: &'a str) -> Pages<'a, Server> {
        let client = self.generated();
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

    /// Every volume of a datacenter (generated `datacenters_volumes_get`,
    /// `GET /datacenters/{datacenterId}/volumes`).
    pub fn list_volumes<'a>(&'a self, datacenter_id: &'a str) -> Pages<'a, Volume> {
        let client = self.generated();
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

    /// Every NIC of a server (generated `datacenters_servers_nics_get`,
    /// `GET /datacenters/{datacenterId}/servers/{serverId}/nics`).
    pub fn list_nics<'a>(&'a self, datacenter_id: &'a str, server_id: &'a str) -> Pages<'a, Nic> {
        let client = self.generated();
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
}
