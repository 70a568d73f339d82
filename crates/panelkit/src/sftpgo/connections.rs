//! Active connections: listing them and closing one.

use panelkit_core::Result;
use panelkit_sftpgo::types::{ApiResponse, ConnectionStatus};

use super::Client;

/// The connection helpers of a [`Client`] (`client.connections()`).
#[derive(Clone, Copy, Debug)]
pub struct Connections<'a> {
    pub(super) client: &'a Client,
}

impl Connections<'_> {
    /// Every active connection (generated `get_connections`,
    /// `GET /connections`); the server answers them all at once.
    pub async fn all(&self) -> Result<Vec<ConnectionStatus>> {
        self.client.generated().get_connections().await
    }

    /// Closes connection `connection_id` (generated `close_connection`,
    /// `DELETE /connections/{connectionID}`), as listed by
    /// [`Connections::all`].
    pub async fn close(&self, connection_id: &str) -> Result<ApiResponse> {
        self.client
            .generated()
            .close_connection(connection_id)
            .await
    }
}
