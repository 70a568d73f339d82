//! How many free servers each configuration has
//! (`GET /api/dci/v3/server/configuration`), typed.

use panelkit_core::{Error, Result};
use serde::Serialize;

use super::Client;

/// One configuration and how many servers with it are free.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FreeConfiguration {
    /// The configuration's name (`i9-9900K-64Gb-2x1024NVMe`).
    pub configuration: String,
    /// Free servers with it.
    pub free_server_count: u64,
}

/// The configuration helpers of a [`Client`] (`client.configurations()`).
#[derive(Clone, Copy, Debug)]
pub struct Configurations<'a> {
    pub(super) client: &'a Client,
}

impl Configurations<'_> {
    /// Every configuration with its free-server count (generated
    /// `server_configuration_list`). A row without a name or a count, or
    /// with a negative count, is an [`Error::UnexpectedResponse`]: a
    /// billing system must not sell from a guess.
    pub async fn free(&self) -> Result<Vec<FreeConfiguration>> {
        let page = self.client.generated().server_configuration_list().await?;
        page.list
            .into_iter()
            .enumerate()
            .map(|(i, row)| {
                let count = row.free_server_count.and_then(|n| u64::try_from(n).ok());
                match (row.configuration, count) {
                    (Some(configuration), Some(free_server_count)) => Ok(FreeConfiguration {
                        configuration,
                        free_server_count,
                    }),
                    _ => Err(Error::unexpected(
                        Some(200),
                        format!(
                            "server_configuration_list: row {i} lacks a configuration or a non-negative free_server_count"
                        ),
                        b"",
                    )),
                }
            })
            .collect()
    }
}
