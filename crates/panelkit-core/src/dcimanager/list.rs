//! Lists: `{"list": [...], "size": N}` pages read one after another as a
//! [`Stream`], driven by `limit=offset,count` and filtered by `where=` and
//! `orderby=` ([`super::filter`]).

use std::collections::VecDeque;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::filter::{OrderBy, Where};
use crate::rest::{BoxFuture, Method, Request, RestClient};
use crate::Result;

/// Items asked for per page unless told otherwise.
pub const DEFAULT_PAGE_SIZE: u32 = 100;

/// One page of a list.
#[derive(Clone, Debug, Deserialize)]
pub struct Page<T> {
    /// The items.
    pub list: Vec<T>,
    /// How many items match in all (some lists omit it).
    #[serde(default)]
    pub size: Option<u64>,
}

/// What to list: the path (e.g. `/api/dci/v3/server`), a filter,
/// an order and the page size.
#[derive(Clone, Debug)]
pub struct ListQuery {
    operation: &'static str,
    path: String,
    filter: Option<Where>,
    order: Option<OrderBy>,
    page_size: u32,
}

impl ListQuery {
    /// Lists `path` (e.g. `/api/dci/v3/server`).
    pub fn new(operation: &'static str, path: impl Into<String>) -> Self {
        ListQuery {
            operation,
            path: path.into(),
            filter: None,
            order: None,
            page_size: DEFAULT_PAGE_SIZE,
        }
    }

    /// Only items matching `filter` (`where=`).
    pub fn filter(mut self, filter: Where) -> Self {
        self.filter = Some(filter);
        self
    }

    /// In this order (`orderby=`).
    pub fn order(mut self, order: OrderBy) -> Self {
        self.order = Some(order);
        self
    }

    /// Items per request (at least 1).
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = size.max(1);
        self
    }

    /// The request for the page at `offset`.
    pub fn page_request(&self, offset: u64) -> Result<Request> {
        let mut request =
            Request::new(self.operation, Method::GET, self.path.clone()).auth(super::AUTHENTICATED);
        if let Some(filter) = &self.filter {
            request = request.query("where", filter.render()?);
        }
        if let Some(order) = &self.order {
            request = request.query("orderby", order.render()?);
        }
        Ok(request.query("limit", format!("{offset},{}", self.page_size)))
    }

    /// Reads one page.
    pub async fn page<T: DeserializeOwned>(
        &self,
        client: &RestClient,
        offset: u64,
    ) -> Result<Page<T>> {
        let request = self.page_request(offset)?;
        client.send(request).await?.json()
    }

    /// Every matching item, page by page.
    pub fn stream<T: DeserializeOwned + Send + 'static>(self, client: RestClient) -> ListStream<T> {
        ListStream {
            client,
            query: self,
            offset: 0,
            buffered: VecDeque::new(),
            pending: None,
            done: false,
            item: PhantomData,
        }
    }
}

/// A list read page by page; yields items, or one error and then ends.
pub struct ListStream<T> {
    client: RestClient,
    query: ListQuery,
    offset: u64,
    buffered: VecDeque<T>,
    pending: Option<BoxFuture<'static, Result<Page<T>>>>,
    done: bool,
    item: PhantomData<fn() -> T>,
}

// Nothing in the stream is pinned structurally: the page future is boxed.
impl<T> Unpin for ListStream<T> {}

impl<T> std::fmt::Debug for ListStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ListStream")
            .field("query", &self.query)
            .field("offset", &self.offset)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl<T: DeserializeOwned + Send + 'static> ListStream<T> {
    /// The next item, `None` at the end.
    pub async fn try_next(&mut self) -> Result<Option<T>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx))
            .await
            .transpose()
    }

    /// Every remaining item.
    pub async fn collect_all(mut self) -> Result<Vec<T>> {
        let mut items = Vec::new();
        while let Some(item) = self.try_next().await? {
            items.push(item);
        }
        Ok(items)
    }

    fn fetch(&self) -> BoxFuture<'static, Result<Page<T>>> {
        let client = self.client.clone();
        let query = self.query.clone();
        let offset = self.offset;
        Box::pin(async move { query.page(&client, offset).await })
    }

    /// Takes a page in; decides whether another one is needed.
    fn absorb(&mut self, page: Page<T>) {
        let got = page.list.len() as u64;
        self.offset += got;
        self.buffered.extend(page.list);
        let asked = u64::from(self.query.page_size);
        // A short page is the last; so is everything when `size` is reached.
        // A page longer than asked means the panel ignored `limit` and sent
        // the whole list: asking again would repeat it forever.
        let short = got < asked;
        let ignored_limit = got > asked;
        let all = page.size.is_some_and(|size| self.offset >= size);
        self.done = got == 0 || short || ignored_limit || all;
    }
}

impl<T: DeserializeOwned + Send + 'static> Stream for ListStream<T> {
    type Item = Result<T>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            if let Some(item) = self.buffered.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            if self.done && self.pending.is_none() {
                return Poll::Ready(None);
            }
            if self.pending.is_none() {
                let future = self.fetch();
                self.pending = Some(future);
            }
            let polled = match self.pending.as_mut() {
                Some(future) => future.as_mut().poll(cx),
                None => return Poll::Ready(None),
            };
            match polled {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(result) => {
                    self.pending = None;
                    match result {
                        Ok(page) => self.absorb(page),
                        Err(e) => {
                            self.done = true;
                            return Poll::Ready(Some(Err(e)));
                        }
                    }
                }
            }
        }
    }
}
