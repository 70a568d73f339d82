//! Users, admins and folders as [`Pages`] streams.
//!
//! The list operations answer at most 500 items (default 100) per request;
//! these ask for pages of [`PAGE_SIZE`] at increasing offsets until a short
//! page, in ascending name order so that pages do not overlap.

use panelkit_sftpgo::types::{
    Admin, BaseVirtualFolder, GetAdminsOrder, GetFoldersOrder, GetUsersOrder, User,
};

use super::Client;
use crate::paging::Pages;

/// Items per request: the spec's maximum `limit`.
pub const PAGE_SIZE: u64 = 500;

fn as_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl Client {
    /// Every user (generated `get_users`, `GET /users`), by username.
    pub fn list_users(&self) -> Pages<'_, User> {
        let client = self.generated();
        Pages::new(PAGE_SIZE, move |offset, limit| {
            Box::pin(
                client
                    .get_users()
                    .offset(as_i64(offset))
                    .limit(as_i64(limit))
                    .order(GetUsersOrder::Asc)
                    .send(),
            )
        })
    }

    /// Every admin (generated `get_admins`, `GET /admins`), by username.
    pub fn list_admins(&self) -> Pages<'_, Admin> {
        let client = self.generated();
        Pages::new(PAGE_SIZE, move |offset, limit| {
            Box::pin(
                client
                    .get_admins()
                    .offset(as_i64(offset))
                    .limit(as_i64(limit))
                    .order(GetAdminsOrder::Asc)
                    .send(),
            )
        })
    }

    /// Every virtual folder (generated `get_folders`, `GET /folders`), by name.
    pub fn list_folders(&self) -> Pages<'_, BaseVirtualFolder> {
        let client = self.generated();
        Pages::new(PAGE_SIZE, move |offset, limit| {
            Box::pin(
                client
                    .get_folders()
                    .offset(as_i64(offset))
                    .limit(as_i64(limit))
                    .order(GetFoldersOrder::Asc)
                    .send(),
            )
        })
    }
}
