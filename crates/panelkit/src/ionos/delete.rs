//! Deleting, and waiting until the deletion is done.
//!
//! A `DELETE` answers 202 when the deletion is queued, not when it has
//! happened; the next step (re-creating a name, freeing quota) must wait:
//! each helper returns the queued request, and its `_and_wait` form waits.

use panelkit_core::Result;

use super::{Accepted, Client, WaitOptions};

impl Client {
    /// Deletes a datacenter and everything in it (generated
    /// `datacenters_delete`, `DELETE /datacenters/{datacenterId}`).
    pub async fn delete_datacenter(&self, datacenter_id: &str) -> Result<Accepted<()>> {
        self.generated().datacenters_delete(datacenter_id).await
    }

    /// [`Client::delete_datacenter`], then waits until it is done.
    pub async fn delete_datacenter_and_wait(
        &self,
        datacenter_id: &str,
        wait: &WaitOptions,
    ) -> Result<()> {
        self.delete_datacenter(datacenter_id)
            .await?
            .wait_with(wait)
            .await
    }

    /// Deletes a server (generated `datacenters_servers_delete`,
    /// `DELETE /datacenters/{datacenterId}/servers/{serverId}`);
    /// `delete_volumes` also deletes its attached volumes.
    pub async fn delete_server(
        &self,
        datacenter_id: &str,
        server_id: &str,
        delete_volumes: bool,
    ) -> Result<Accepted<()>> {
        self.generated()
            .datacenters_servers_delete(datacenter_id, server_id)
            .delete_volumes(delete_volumes)
            .await
    }

    /// [`Client::delete_server`], then waits until it is done.
    pub async fn delete_server_and_wait(
        &self,
        datacenter_id: &str,
        server_id: &str,
        delete_volumes: bool,
        wait: &WaitOptions,
    ) -> Result<()> {
        self.delete_server(datacenter_id, server_id, delete_volumes)
            .await?
            .wait_with(wait)
            .await
    }

    /// Deletes a volume (generated `datacenters_volumes_delete`,
    /// `DELETE /datacenters/{datacenterId}/volumes/{volumeId}`).
    pub async fn delete_volume(
        &self,
        datacenter_id: &str,
        volume_id: &str,
    ) -> Result<Accepted<()>> {
        self.generated()
            .datacenters_volumes_delete(datacenter_id, volume_id)
            .await
    }

    /// [`Client::delete_volume`], then waits until it is done.
    pub async fn delete_volume_and_wait(
        &self,
        datacenter_id: &str,
        volume_id: &str,
        wait: &WaitOptions,
    ) -> Result<()> {
        self.delete_volume(datacenter_id, volume_id)
            .await?
            .wait_with(wait)
            .await
    }
}
