//! API keys: listing them page by page, creating and deleting one.

use panelkit_core::Result;
use panelkit_sftpgo::types::{AddApiKeyOutput, ApiKey, ApiResponse, GetApiKeysOrder};

use super::lists::{as_i64, order, ListOptions};
use super::Client;
use crate::paging::Pages;

/// The API key helpers of a [`Client`] (`client.api_keys()`).
#[derive(Clone, Copy, Debug)]
pub struct ApiKeys<'a> {
    pub(super) client: &'a Client,
}

impl<'a> ApiKeys<'a> {
    /// Every API key (generated `get_api_keys`, `GET /apikeys`), by id, in
    /// pages of [`PAGE_SIZE`](super::lists::PAGE_SIZE).
    pub fn all(&self) -> Pages<'a, ApiKey> {
        self.all_with(ListOptions::default())
    }

    /// API keys from `options.offset` on, in `options`' order.
    pub fn all_with(&self, options: ListOptions) -> Pages<'a, ApiKey> {
        let client = self.client.generated();
        Pages::new(options.request_size(), move |offset, limit| {
            let order = order(&options, GetApiKeysOrder::Asc, GetApiKeysOrder::Desc);
            Box::pin(
                client
                    .get_api_keys()
                    .offset(as_i64(offset))
                    .limit(as_i64(limit))
                    .order(order)
                    .send(),
            )
        })
        .starting_at(options.offset)
    }

    /// Creates `key` (generated `add_api_key`, `POST /apikeys`). The answer
    /// holds the key itself, which the server shows this once only.
    pub async fn create(&self, key: &ApiKey) -> Result<AddApiKeyOutput> {
        self.client.generated().add_api_key(key).await
    }

    /// Deletes an API key by id (generated `delete_api_key`,
    /// `DELETE /apikeys/{id}`).
    pub async fn delete(&self, id: &str) -> Result<ApiResponse> {
        self.client.generated().delete_api_key(id).await
    }
}
