//! [`Answer`]: a decoded body with the status and headers it came with.

use std::fmt;

use super::{HeaderMap, Response, ShownHeaders};

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
