//! Offset/limit listings as a [`Stream`] of items, one page request at a time.
//!
//! REST panels cap how many items one list request returns (SFTPGo: 500;
//! IONOS: `limit`), so listing everything means asking page after page until a
//! page comes back short. [`Pages`] does that lazily: it asks for the next page
//! only when the caller has consumed the previous one, and stops after the
//! first short (or empty) page or the first error.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

pub use futures_core::Stream;
use panelkit_core::Result;

/// A boxed future for one page.
pub type PageFuture<'a, T> = Pin<Box<dyn Future<Output = Result<Vec<T>>> + Send + 'a>>;

/// Fetches the page at `(offset, limit)`.
type Fetch<'a, T> = Box<dyn FnMut(u64, u64) -> PageFuture<'a, T> + Send + 'a>;

/// Every item of an offset/limit listing, as a [`Stream`] of `Result<T>`.
///
/// Use it as a `Stream` (with `futures::StreamExt` or any executor's
/// helpers), or without extra crates through [`Pages::next`] and
/// [`Pages::try_collect`].
pub struct Pages<'a, T> {
    fetch: Fetch<'a, T>,
    limit: u64,
    offset: u64,
    buffer: VecDeque<T>,
    pending: Option<PageFuture<'a, T>>,
    done: bool,
}

// No field is structurally pinned: the in-flight page future is boxed.
impl<T> Unpin for Pages<'_, T> {}

impl<T> std::fmt::Debug for Pages<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("limit", &self.limit)
            .field("offset", &self.offset)
            .field("buffered", &self.buffer.len())
            .field("done", &self.done)
            .finish()
    }
}

impl<'a, T> Pages<'a, T> {
    /// A listing that asks `fetch(offset, limit)` for pages of `limit` items
    /// (at least 1), starting at offset 0.
    pub fn new(limit: u64, fetch: impl FnMut(u64, u64) -> PageFuture<'a, T> + Send + 'a) -> Self {
        Pages {
            fetch: Box::new(fetch),
            limit: limit.max(1),
            offset: 0,
            buffer: VecDeque::new(),
            pending: None,
            done: false,
        }
    }

    /// Starts the listing at `offset` instead of 0 (skips that many items).
    pub fn starting_at(mut self, offset: u64) -> Self {
        self.offset = offset;
        self
    }

    /// The next item, `None` after the last one (or after an error).
    pub async fn next(&mut self) -> Option<Result<T>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every remaining item, or the first error.
    pub async fn try_collect(mut self) -> Result<Vec<T>> {
        let mut all = Vec::new();
        while let Some(item) = self.next().await {
            all.push(item?);
        }
        Ok(all)
    }
}

impl<T> Stream for Pages<'_, T> {
    type Item = Result<T>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            if this.done {
                return Poll::Ready(None);
            }
            let (offset, limit) = (this.offset, this.limit);
            let fetch = &mut this.fetch;
            let pending = this.pending.get_or_insert_with(|| fetch(offset, limit));
            match pending.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Err(error)) => {
                    this.pending = None;
                    this.done = true;
                    return Poll::Ready(Some(Err(error)));
                }
                Poll::Ready(Ok(page)) => {
                    this.pending = None;
                    // A short page is the last one; a server that ignores
                    // `limit` and answers more is still paged by what it sent.
                    this.done = (page.len() as u64) < this.limit;
                    this.offset += page.len() as u64;
                    this.buffer.extend(page);
                }
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (
            self.buffer.len(),
            if self.done {
                Some(self.buffer.len())
            } else {
                None
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[tokio::test]
    async fn pages_until_a_short_page_and_asks_each_offset_once() {
        let asked = Arc::new(Mutex::new(Vec::new()));
        let log = asked.clone();
        let pages = Pages::new(500, move |offset, limit| {
            log.lock().unwrap().push((offset, limit));
            let n = 1203u64.saturating_sub(offset).min(limit);
            Box::pin(async move { Ok((offset..offset + n).collect::<Vec<u64>>()) })
        });
        let all = pages.try_collect().await.unwrap();
        assert_eq!(all, (0..1203).collect::<Vec<_>>());
        assert_eq!(
            *asked.lock().unwrap(),
            vec![(0, 500), (500, 500), (1000, 500)]
        );
    }

    #[tokio::test]
    async fn starting_at_skips_to_the_offset() {
        let asked = Arc::new(Mutex::new(Vec::new()));
        let log = asked.clone();
        let pages = Pages::new(2, move |offset, limit| {
            log.lock().unwrap().push(offset);
            let n = 5u64.saturating_sub(offset).min(limit);
            Box::pin(async move { Ok((offset..offset + n).collect::<Vec<u64>>()) })
        })
        .starting_at(1);
        assert_eq!(pages.try_collect().await.unwrap(), vec![1, 2, 3, 4]);
        assert_eq!(*asked.lock().unwrap(), vec![1, 3, 5]);
    }

    #[tokio::test]
    async fn an_exact_multiple_ends_with_one_empty_page() {
        let asked = Arc::new(Mutex::new(Vec::new()));
        let log = asked.clone();
        let pages = Pages::new(2, move |offset, limit| {
            log.lock().unwrap().push(offset);
            let n = 4u64.saturating_sub(offset).min(limit);
            Box::pin(async move { Ok((offset..offset + n).collect::<Vec<u64>>()) })
        });
        assert_eq!(pages.try_collect().await.unwrap(), vec![0, 1, 2, 3]);
        assert_eq!(*asked.lock().unwrap(), vec![0, 2, 4]);
    }

    #[tokio::test]
    async fn an_error_ends_the_stream_after_the_items_before_it() {
        let mut pages = Pages::new(2, move |offset, _| {
            Box::pin(async move {
                if offset == 0 {
                    Ok(vec![1, 2])
                } else {
                    Err(panelkit_core::Error::Timeout { after: None })
                }
            })
        });
        assert_eq!(pages.next().await.unwrap().unwrap(), 1);
        assert_eq!(pages.next().await.unwrap().unwrap(), 2);
        assert!(matches!(
            pages.next().await,
            Some(Err(panelkit_core::Error::Timeout { .. }))
        ));
        assert!(pages.next().await.is_none());
    }
}
