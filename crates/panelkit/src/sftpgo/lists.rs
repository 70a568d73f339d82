//! What the `all_with` listings of the users, admins, folders and API keys
//! handlers take, and how they page.
//!
//! The list operations answer at most 500 items (default 100) per request;
//! these ask for pages of [`PAGE_SIZE`] (or [`ListOptions::page_size`]) at
//! increasing offsets until a short page
//! ([`Pages`](crate::paging::Pages)), sorted by name (ascending unless
//! asked otherwise) so that pages do not overlap.

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
    pub(super) fn request_size(&self) -> u64 {
        self.page_size.unwrap_or(PAGE_SIZE).clamp(1, PAGE_SIZE)
    }
}

pub(super) fn as_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// `ASC`/`DESC` as each list operation's generated order type.
pub(super) fn order<T>(options: &ListOptions, asc: T, desc: T) -> T {
    if options.descending {
        desc
    } else {
        asc
    }
}
