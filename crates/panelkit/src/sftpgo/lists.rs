//! Users, admins, folders and API keys as [`Pages`] streams.
//!
//! The list operations answer at most 500 items (default 100) per request;
//! these ask for pages of [`PAGE_SIZE`] (or [`ListOptions::page_size`]) at
//! increasing offsets until a short page, sorted by name (ascending unless
//! asked otherwise) so that pages do not overlap.

use panelkit_sftpgo::types::{
    Admin, ApiKey, BaseVirtualFolder, GetAdminsOrder, GetApiKeysOrder, GetFoldersOrder,
    GetUsersOrder, User,
};

use super::Client;
use crate::paging::Pages;

/// Items per request: the spec's maximum `limit`.
pub const PAGE_SIZE: u64 = 500;

/// Where a listing starts, how it is sorted, and how many items each
/// request asks for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ListOptions {
    /// Items to skip first.
    pub offset: u64,
    /// Items per request (1 to [`PAGE_SIZE`]; default [`PAGE_SIZE`]): ask
    /// for less when only the first few are wanted.
    pub page_size: Option<u64>,
    /// Sort by name descending instead of ascending.
    pub descending: bool,
}

impl ListOptions {
    fn request_size(&self) -> u64 {
        self.page_size.unwrap_or(PAGE_SIZE).clamp(1, PAGE_SIZE)
    }
}

fn as_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// `ASC`/`DESC` as each list operation's generated order type.
fn order<T>(options: &ListOptions, asc: T, desc: T) -> T {
    if options.descending {
        desc
    } else {
        asc
    }
}

impl Client {
    /// Every user (generated `get_users`, `GET /users`), by username.
    pub fn list_users(&self) -> Pages<'_, User> {
        self.list_users_with(ListOptions::default())
    }

    /// Users from `options.offset` on, in `options`' order.
    pub fn list_users_with(&self, options: ListOptions) -> Pages<'_, User> {
        let client = self.generated();
        Pages::new(options.request_size(), move |offset, limit| {
            let order = order(&options, GetUsersOrder::Asc, GetUsersOrder::Desc);
            Box::pin(
                client
                    .get_users()
                    .offset(as_i64(offset))
                    .limit(as_i64(limit))
                    .order(order)
                    .send(),
            )
        })
        .starting_at(options.offset)
    }

    /// Every admin (generated `get_admins`, `GET /admins`), by username.
    pub fn list_admins(&self) -> Pages<'_, Admin> {
        self.list_admins_with(ListOptions::default())
    }

    /// Admins from `options.offset` on, in `options`' order.
    pub fn list_admins_with(&self, options: ListOptions) -> Pages<'_, Admin> {
        let client = self.generated();
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

    /// Every virtual folder (generated `get_folders`, `GET /folders`), by name.
    pub fn list_folders(&self) -> Pages<'_, BaseVirtualFolder> {
        self.list_folders_with(ListOptions::default())
    }

    /// Virtual folders from `options.offset` on, in `options`' order.
    pub fn list_folders_with(&self, options: ListOptions) -> Pages<'_, BaseVirtualFolder> {
        let client = self.generated();
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

    /// Every API key (generated `get_api_keys`, `GET /apikeys`), by id.
    pub fn list_api_keys(&self) -> Pages<'_, ApiKey> {
        self.list_api_keys_with(ListOptions::default())
    }

    /// API keys from `options.offset` on, in `options`' order.
    pub fn list_api_keys_with(&self, options: ListOptions) -> Pages<'_, ApiKey> {
        let client = self.generated();
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
}
