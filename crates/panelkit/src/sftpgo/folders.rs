//! Virtual folders: listing them page by page, reading, creating and
//! deleting one.

use panelkit_core::Result;
use panelkit_sftpgo::types::{ApiResponse, BaseVirtualFolder, GetFoldersOrder};

use super::lists::{as_i64, order, ListOptions};
use super::Client;
use crate::paging::Pages;

/// The virtual folder helpers of a [`Client`] (`client.folders()`).
#[derive(Clone, Copy, Debug)]
pub struct Folders<'a> {
    pub(super) client: &'a Client,
}

impl<'a> Folders<'a> {
    /// Every virtual folder (generated `get_folders`, `GET /folders`), by
    /// name, in pages of [`PAGE_SIZE`](super::lists::PAGE_SIZE).
    pub fn all(&self) -> Pages<'a, BaseVirtualFolder> {
        self.all_with(ListOptions::default())
    }

    /// Virtual folders from `options.offset` on, in `options`' order.
    pub fn all_with(&self, options: ListOptions) -> Pages<'a, BaseVirtualFolder> {
        let client = self.client.generated();
        Pages::new(options.request_size(), move |offset, limit| {
            let order = order(&options, GetFoldersOrder::Asc, GetFoldersOrder::Desc);
            Box::pin(
                client
                    .get_folders()
                    .offset(as_i64(offset))
                    .limit(as_i64(limit))
                    .order(order)
                    .send(),
            )
        })
        .starting_at(options.offset)
    }

    /// One virtual folder (generated `get_folder_by_name`,
    /// `GET /folders/{name}`); an unknown name is the server's
    /// [`panelkit_core::Error::NotFound`].
    pub async fn get(&self, name: &str) -> Result<BaseVirtualFolder> {
        self.client.generated().get_folder_by_name(name).await
    }

    /// Creates `folder` (generated `add_folder`, `POST /folders`) and
    /// returns it as stored.
    pub async fn create(&self, folder: &BaseVirtualFolder) -> Result<BaseVirtualFolder> {
        self.client.generated().add_folder(folder).await
    }

    /// Deletes a virtual folder (generated `delete_folder`,
    /// `DELETE /folders/{name}`).
    pub async fn delete(&self, name: &str) -> Result<ApiResponse> {
        self.client.generated().delete_folder(name).await
    }
}
