//! Admins: listing them page by page, reading, creating and deleting one.

use panelkit_core::Result;
use panelkit_sftpgo::types::{Admin, ApiResponse, GetAdminsOrder};

use super::lists::{as_i64, order, ListOptions};
use super::Client;
use crate::paging::Pages;

/// The admin helpers of a [`Client`] (`client.admins()`).
#[derive(Clone, Copy, Debug)]
pub struct Admins<'a> {
    pub(super) client: &'a Client,
}

impl<'a> Admins<'a> {
    /// Every admin (generated `get_admins`, `GET /admins`), by username, in
    /// pages of [`PAGE_SIZE`](super::lists::PAGE_SIZE).
    pub fn all(&self) -> Pages<'a, Admin> {
        self.all_with(ListOptions::default())
    }

    /// Admins from `options.offset` on, in `options`' order.
    pub fn all_with(&self, options: ListOptions) -> Pages<'a, Admin> {
        let client = self.client.generated();
        Pages::new(options.request_size(), move |offset, limit| {
            let order = order(&options, GetAdminsOrder::Asc, GetAdminsOrder::Desc);
            Box::pin(
                client
                    .get_admins()
                    .offset(as_i64(offset))
                    .limit(as_i64(limit))
                    .order(order)
                    .send(),
            )
        })
        .starting_at(options.offset)
    }

    /// One admin (generated `get_admin_by_username`,
    /// `GET /admins/{username}`); an unknown name is the server's
    /// [`panelkit_core::Error::NotFound`].
    pub async fn get(&self, username: &str) -> Result<Admin> {
        self.client
            .generated()
            .get_admin_by_username(username)
            .await
    }

    /// Creates `admin` (generated `add_admin`, `POST /admins`) and returns
    /// it as stored. An admin sent without a `status` is created enabled
    /// (status 1): the server would store the missing field as 0, an admin
    /// who cannot log in, which is never what creating one is for.
    pub async fn create(&self, admin: Admin) -> Result<Admin> {
        let mut admin = admin;
        admin.status.get_or_insert(1);
        self.client.generated().add_admin(&admin).await
    }

    /// Deletes an admin (generated `delete_admin`, `DELETE /admins/{username}`).
    pub async fn delete(&self, username: &str) -> Result<ApiResponse> {
        self.client.generated().delete_admin(username).await
    }
}
