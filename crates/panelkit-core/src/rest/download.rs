//! Streamed answers: [`Download`] hands out the body chunk by chunk, so a
//! 1 GiB file costs one chunk of memory, not a gigabyte.

use bytes::Bytes;
use reqwest::header::HeaderMap;
use tokio::io::{AsyncWrite, AsyncWriteExt};

use crate::http::{ByteStream, HttpStream};
use crate::{Error, Result};

/// A successful (2xx) answer whose body is read as it arrives. Each read
/// waits at most the client's timeout; the whole download has no limit.
pub struct Download {
    /// The operation that was called.
    pub operation: &'static str,
    /// HTTP status (200, or 206 for a `Range` request).
    pub status: u16,
    /// Response headers (`Content-Type`, `Content-Length`, `Content-Range`, ...).
    pub headers: HeaderMap,
    body: HttpStream,
}

impl std::fmt::Debug for Download {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Download")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("headers", &super::ShownHeaders(&self.headers))
            .finish_non_exhaustive()
    }
}

impl Download {
    /// The `X-RateLimit-*` headers, if the server sent any.
    pub fn rate_limit(&self) -> Option<super::RateLimit> {
        super::RateLimit::from_headers(&self.headers)
    }

    pub(crate) fn new(operation: &'static str, mut body: HttpStream) -> Self {
        Download {
            operation,
            status: body.status,
            headers: std::mem::take(&mut body.headers),
            body,
        }
    }

    /// A header's value, if present and readable.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The announced body length (`Content-Length`), if any.
    pub fn content_length(&self) -> Option<u64> {
        self.header("content-length")?.trim().parse().ok()
    }

    /// The next chunk of the body; `None` at its end.
    pub async fn chunk(&mut self) -> Result<Option<Bytes>> {
        self.body.chunk().await
    }

    /// The body as a `Stream<Item = Result<Bytes>>`.
    pub fn bytes_stream(self) -> ByteStream {
        self.body.into_stream()
    }

    /// The same as [`Download::bytes_stream`].
    pub fn into_stream(self) -> ByteStream {
        self.bytes_stream()
    }

    /// Copies the body into `writer` as it arrives and flushes it; returns
    /// the number of bytes written.
    pub async fn write_to<W: AsyncWrite + Unpin>(mut self, mut writer: W) -> Result<u64> {
        let mut written = 0u64;
        while let Some(chunk) = self.body.chunk().await? {
            writer.write_all(&chunk).await.map_err(|e| {
                Error::transport(
                    format!("{}: writing the download failed", self.operation),
                    e,
                )
            })?;
            written += chunk.len() as u64;
        }
        writer.flush().await.map_err(|e| {
            Error::transport(
                format!("{}: writing the download failed", self.operation),
                e,
            )
        })?;
        Ok(written)
    }
}
