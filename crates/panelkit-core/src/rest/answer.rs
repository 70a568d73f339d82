//! [`Answer`]: a decoded body with the status and headers it came with, and
//! the futures a generated call returns.
//!
//! A generated operation is plain synchronous code: it builds a [`Request`]
//! and hands it, with a `fn` that decodes the body, to [`RestClient::call`].
//! The one `async` body lives here, written once, so a crate with hundreds
//! of operations has no per-operation future for the compiler to check
//! (that was a quarter of a generated crate's `cargo check` time).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::{BoxFuture, Download, HeaderMap, Request, Response, RestClient, ShownHeaders};
use crate::Result;

/// What a generated call's `send_with_headers` returns: resolves to the
/// decoded body with the answer's status and headers.
pub type AnswerFuture<'a, T> = BoxFuture<'a, Result<Answer<T>>>;

/// How a generated operation reads a 2xx answer's body. A plain `fn` (a
/// closure without captures coerces to it), so the executor stays one
/// function for every operation.
pub type Decode<T> = fn(&RestClient, &Response) -> Result<T>;

impl RestClient {
    /// Sends `request` (or returns its building error when first polled)
    /// and decodes a 2xx answer with `decode`; anything else becomes the
    /// panel's [`Error`](crate::Error), as [`RestClient::send`] says.
    pub fn call<'a, T: Send + 'a>(
        &'a self,
        request: Result<Request>,
        decode: Decode<T>,
    ) -> AnswerFuture<'a, T> {
        Box::pin(async move {
            let response = self.send(request?).await?;
            let body = decode(self, &response)?;
            Ok(Answer::new(response, body))
        })
    }

    /// Like [`RestClient::call`] for answers read as they arrive: the body
    /// is a [`Download`] (see [`RestClient::send_streaming`]).
    pub fn call_streaming(&self, request: Result<Request>) -> AnswerFuture<'_, Download> {
        Box::pin(async move {
            let download = self.send_streaming(request?).await?;
            Ok(Answer {
                status: download.status,
                headers: download.headers.clone(),
                body: download,
            })
        })
    }
}

/// The body alone: what awaiting a generated call (or its `send`) gives.
#[must_use = "a request does nothing until it is awaited"]
pub struct BodyFuture<'a, T> {
    answer: AnswerFuture<'a, T>,
}

impl<'a, T> BodyFuture<'a, T> {
    /// Keeps only the body of `answer`'s result.
    pub fn new(answer: AnswerFuture<'a, T>) -> Self {
        BodyFuture { answer }
    }
}

impl<T> Future for BodyFuture<'_, T> {
    type Output = Result<T>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<T>> {
        self.answer
            .as_mut()
            .poll(cx)
            .map(|answer| answer.map(Answer::into_body))
    }
}

impl<T> fmt::Debug for BodyFuture<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BodyFuture")
    }
}

/// What a generated operation's `send_with_headers` returns: the body the
/// plain call (`.await`) returns, plus the answer's status and headers.
///
/// Every operation has this one shape, whatever headers the spec declares,
/// so a header declared upstream later changes no caller's code: read it
/// with [`Answer::header`].
pub struct Answer<T> {
    /// HTTP status.
    pub status: u16,
    /// Response headers (`Debug` redacts sensitive ones).
    pub headers: HeaderMap,
    /// The decoded body.
    pub body: T,
}

impl<T> Answer<T> {
    /// Pairs `body`, decoded from `response`, with its status and headers.
    pub fn new(response: Response, body: T) -> Self {
        Answer {
            status: response.status,
            headers: response.headers,
            body,
        }
    }

    /// A header's value, when present and text (names are case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body alone.
    pub fn into_body(self) -> T {
        self.body
    }
}

impl<T: fmt::Debug> fmt::Debug for Answer<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Answer")
            .field("status", &self.status)
            .field("headers", &ShownHeaders(&self.headers))
            .field("body", &self.body)
            .finish()
    }
}
