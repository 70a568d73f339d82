//! Request bodies that are not held in memory: [`StreamBody`] (a file, any
//! [`AsyncRead`], or bytes), and what one send of a body is made of
//! ([`outgoing`]); multipart forms are in [`super::multipart`].
//!
//! A streamed body can be sent once. Bytes can be sent again, so only
//! requests whose bodies are all bytes are ever retried or replayed after a
//! renewed login ([`StreamBody::is_replayable`]).

use std::fmt;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use tokio::io::AsyncRead;
use tokio_util::io::ReaderStream;

use crate::http::{Outgoing, Progress};
use crate::{Error, Result};

type Reader = Pin<Box<dyn AsyncRead + Send + 'static>>;

#[derive(Clone)]
enum Source {
    Bytes(Bytes),
    /// Taken on first send; a clone of the body shares the one reader.
    Reader(Arc<Mutex<Option<Reader>>>),
}

/// An upload body read as it is sent: from bytes, a [`tokio::fs::File`], or
/// any [`AsyncRead`]. Only bytes are replayable; a reader is consumed by the
/// first send.
#[derive(Clone)]
pub struct StreamBody {
    source: Source,
    length: Option<u64>,
}

impl StreamBody {
    /// A body from bytes already in memory.
    pub fn from_bytes(bytes: impl Into<Bytes>) -> Self {
        let bytes = bytes.into();
        StreamBody {
            length: Some(bytes.len() as u64),
            source: Source::Bytes(bytes),
        }
    }

    /// A body read from `reader` while it is sent, in chunks.
    pub fn from_reader(reader: impl AsyncRead + Send + 'static) -> Self {
        StreamBody {
            source: Source::Reader(Arc::new(Mutex::new(Some(Box::pin(reader))))),
            length: None,
        }
    }

    /// Opens the file at `path` and streams it, its length announced as
    /// `Content-Length`.
    pub async fn file(path: impl AsRef<std::path::Path>) -> Result<Self> {
        let path = path.as_ref();
        let file = tokio::fs::File::open(path)
            .await
            .map_err(|e| Error::config(format!("cannot open {}: {e}", path.display())))?;
        let length = file
            .metadata()
            .await
            .map_err(|e| Error::config(format!("cannot read {}: {e}", path.display())))?
            .len();
        Ok(StreamBody::from_reader(file).with_length(length))
    }

    /// Declares the body's length (sent as `Content-Length` instead of
    /// chunked transfer encoding). It must be exact.
    pub fn with_length(mut self, length: u64) -> Self {
        self.length = Some(length);
        self
    }

    /// The declared length, if known.
    pub fn length(&self) -> Option<u64> {
        self.length
    }

    /// Whether the body can be sent more than once (bytes), so a request
    /// carrying it may be retried.
    pub fn is_replayable(&self) -> bool {
        matches!(self.source, Source::Bytes(_))
    }

    /// The body for one send, reporting each chunk the connection takes to
    /// `progress`. A reader can be taken once: a second send (by a clone of
    /// the request, say) is a configuration error.
    pub(crate) fn take(&self, operation: &str, progress: &Progress) -> Result<reqwest::Body> {
        Ok(reqwest::Body::wrap_stream(
            self.take_stream(operation, progress)?,
        ))
    }

    /// The body for one send as a stream of chunks (what [`StreamBody::take`]
    /// wraps, and what a multipart form splices between its headers).
    pub(super) fn take_stream(&self, operation: &str, progress: &Progress) -> Result<Tracked> {
        let stream = match &self.source {
            Source::Bytes(bytes) => Upload::Bytes(bytes.clone()),
            Source::Reader(slot) => {
                let reader = slot
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .take()
                    .ok_or_else(|| {
                        Error::config(format!(
                            "{operation}: this streamed body was already sent; a stream can be sent once"
                        ))
                    })?;
                Upload::Reader(ReaderStream::with_capacity(reader, UPLOAD_CHUNK))
            }
        };
        Ok(Tracked {
            stream,
            progress: progress.clone(),
        })
    }
}

/// Size of the pieces an upload is sent in.
const UPLOAD_CHUNK: usize = 64 * 1024;

/// An upload's chunks: bytes cut into pieces (so progress is seen while a
/// large buffer goes out), or a reader's.
enum Upload {
    Bytes(Bytes),
    Reader(ReaderStream<Reader>),
}

/// An upload stream that reports each chunk taken, and its end, to a
/// [`Progress`].
pub(super) struct Tracked {
    stream: Upload,
    progress: Progress,
}

impl futures_core::Stream for Tracked {
    type Item = std::io::Result<Bytes>;

    fn poll_next(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        let this = &mut *self;
        let next = match &mut this.stream {
            Upload::Bytes(rest) if rest.is_empty() => std::task::Poll::Ready(None),
            Upload::Bytes(rest) => {
                let n = rest.len().min(UPLOAD_CHUNK);
                std::task::Poll::Ready(Some(Ok(rest.split_to(n))))
            }
            Upload::Reader(reader) => Pin::new(reader).poll_next(cx),
        };
        if next.is_ready() {
            this.progress.touch();
        }
        next
    }
}

impl fmt::Debug for StreamBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the content: uploads may be secret.
        let kind = match self.source {
            Source::Bytes(_) => "bytes",
            Source::Reader(_) => "reader",
        };
        f.debug_struct("StreamBody")
            .field("source", &kind)
            .field("length", &self.length)
            .finish()
    }
}

impl From<Bytes> for StreamBody {
    fn from(bytes: Bytes) -> Self {
        StreamBody::from_bytes(bytes)
    }
}

impl From<Vec<u8>> for StreamBody {
    fn from(bytes: Vec<u8>) -> Self {
        StreamBody::from_bytes(bytes)
    }
}

impl From<&'static [u8]> for StreamBody {
    fn from(bytes: &'static [u8]) -> Self {
        StreamBody::from_bytes(bytes)
    }
}

impl From<tokio::fs::File> for StreamBody {
    fn from(file: tokio::fs::File) -> Self {
        StreamBody::from_reader(file)
    }
}

/// What one send of a request body is made of: its headers
/// (`Content-Type`, and `Content-Length` for a stream of known length) and
/// the body.
pub(crate) fn outgoing(
    body: &super::Body,
    operation: &str,
) -> Result<(Vec<(String, String)>, Outgoing)> {
    let content_type = |value: &str| vec![("content-type".to_owned(), value.to_owned())];
    // A streamed body's length is announced when known, so servers see the
    // size up front (quota checks) instead of a chunked body.
    let streamed = |ct: &str, length: Option<u64>, stream: reqwest::Body, progress| {
        let mut headers = content_type(ct);
        if let Some(length) = length {
            headers.push(("content-length".to_owned(), length.to_string()));
        }
        (headers, Outgoing::Stream(stream, progress))
    };
    Ok(match body {
        super::Body::Empty => (Vec::new(), Outgoing::Bytes(Bytes::new())),
        super::Body::Bytes {
            content_type: ct,
            bytes,
        } => (content_type(ct), Outgoing::Bytes(bytes.clone())),
        super::Body::Stream {
            content_type: ct,
            body,
        } => {
            let progress = Progress::new();
            let stream = body.take(operation, &progress)?;
            streamed(ct, body.length(), stream, progress)
        }
        super::Body::Multipart(form) => {
            let progress = Progress::new();
            let encoded = form.take(operation, &progress)?;
            let stream = reqwest::Body::wrap_stream(encoded.stream);
            streamed(&encoded.content_type, encoded.length, stream, progress)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readers_are_sent_once_bytes_any_number_of_times() {
        let bytes = StreamBody::from(b"abc".to_vec());
        assert!(bytes.is_replayable());
        let progress = Progress::new();
        assert!(bytes.take("op", &progress).is_ok());
        assert!(bytes.take("op", &progress).is_ok());
        let reader = StreamBody::from_reader(&b"abc"[..]);
        let clone = reader.clone();
        assert!(!reader.is_replayable());
        assert!(reader.take("op", &progress).is_ok());
        let again = clone.take("op", &progress).unwrap_err();
        assert!(again.to_string().contains("already sent"), "{again}");
    }
}
