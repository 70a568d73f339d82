//! [`Multipart`]: a `multipart/form-data` body of text fields and streamed
//! files, and its encoding for one send.
//!
//! The encoding is ours rather than reqwest's `multipart` feature: it is a
//! few header lines around each part (RFC 7578, with the WHATWG escaping of
//! names that browsers use), and reqwest's version brings `mime_guess` and its
//! generated tables into every REST client's build for nothing we use.

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;

use super::body::{StreamBody, Tracked};
use crate::http::Progress;
use crate::{Error, Result};

/// The content type of a file part added without one.
const DEFAULT_FILE_TYPE: &str = "application/octet-stream";

#[derive(Clone)]
enum Part {
    Text(String),
    File {
        filename: String,
        content_type: Option<String>,
        body: StreamBody,
    },
}

/// A `multipart/form-data` body of text fields and streamed files, in order.
#[derive(Clone, Default)]
pub struct Multipart {
    parts: Vec<(String, Part)>,
}

impl Multipart {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a text field.
    pub fn text(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.parts.push((name.into(), Part::Text(value.into())));
        self
    }

    /// Adds a file field streamed from `body`, sent as
    /// `application/octet-stream`.
    pub fn file(
        mut self,
        name: impl Into<String>,
        filename: impl Into<String>,
        body: StreamBody,
    ) -> Self {
        self.parts.push((
            name.into(),
            Part::File {
                filename: filename.into(),
                content_type: None,
                body,
            },
        ));
        self
    }

    /// Adds a file field with its own content type.
    pub fn file_with_type(
        mut self,
        name: impl Into<String>,
        filename: impl Into<String>,
        content_type: impl Into<String>,
        body: StreamBody,
    ) -> Self {
        self.parts.push((
            name.into(),
            Part::File {
                filename: filename.into(),
                content_type: Some(content_type.into()),
                body,
            },
        ));
        self
    }

    /// Whether every file in the form can be sent again.
    pub fn is_replayable(&self) -> bool {
        self.parts.iter().all(|(_, part)| match part {
            Part::Text(_) => true,
            Part::File { body, .. } => body.is_replayable(),
        })
    }

    /// The form encoded for one send under a fresh random boundary; each
    /// file chunk the connection takes is reported to `progress`.
    pub(super) fn take(&self, operation: &str, progress: &Progress) -> Result<Encoded> {
        self.take_with_boundary(operation, progress, &random_boundary()?)
    }

    fn take_with_boundary(
        &self,
        operation: &str,
        progress: &Progress,
        boundary: &str,
    ) -> Result<Encoded> {
        let mut out = Segments::default();
        for (name, part) in &self.parts {
            let mut head = format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"",
                escape(name)
            );
            match part {
                Part::Text(value) => {
                    head.push_str("\r\n\r\n");
                    head.push_str(value);
                    head.push_str("\r\n");
                    out.bytes(Bytes::from(head));
                }
                Part::File {
                    filename,
                    content_type,
                    body,
                } => {
                    let content_type = content_type.as_deref().unwrap_or(DEFAULT_FILE_TYPE);
                    if !is_header_value(content_type) {
                        return Err(Error::config(format!(
                            "{operation}: invalid content type {content_type:?} for file part {name:?}"
                        )));
                    }
                    head.push_str(&format!(
                        "; filename=\"{}\"\r\nContent-Type: {content_type}\r\n\r\n",
                        escape(filename)
                    ));
                    out.bytes(Bytes::from(head));
                    out.file(body.take_stream(operation, progress)?, body.length());
                    out.bytes(Bytes::from_static(b"\r\n"));
                }
            }
        }
        out.bytes(Bytes::from(format!("--{boundary}--\r\n")));
        Ok(Encoded {
            content_type: format!("multipart/form-data; boundary={boundary}"),
            length: out.length,
            stream: MultipartStream {
                segments: out.segments,
            },
        })
    }
}

impl fmt::Debug for Multipart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Field names and file names only: values may be secret.
        let mut list = f.debug_list();
        for (name, part) in &self.parts {
            match part {
                Part::Text(value) => {
                    list.entry(&format_args!("{name}: text, {} bytes", value.len()))
                }
                Part::File { filename, body, .. } => {
                    list.entry(&format_args!("{name}: file {filename:?}, {body:?}"))
                }
            };
        }
        list.finish()
    }
}

/// One send of a form: its `Content-Type` (with the boundary), its length
/// when every file's is known, and the body.
pub(super) struct Encoded {
    pub(super) content_type: String,
    pub(super) length: Option<u64>,
    pub(super) stream: MultipartStream,
}

enum Segment {
    Bytes(Bytes),
    File(Tracked),
}

/// The segments of a form being encoded, and their total length while it
/// is known.
struct Segments {
    segments: VecDeque<Segment>,
    length: Option<u64>,
}

impl Default for Segments {
    fn default() -> Self {
        Segments {
            segments: VecDeque::new(),
            length: Some(0),
        }
    }
}

impl Segments {
    fn bytes(&mut self, bytes: Bytes) {
        self.length = self.length.map(|n| n + bytes.len() as u64);
        self.segments.push_back(Segment::Bytes(bytes));
    }

    fn file(&mut self, file: Tracked, length: Option<u64>) {
        self.length = self.length.zip(length).map(|(n, f)| n + f);
        self.segments.push_back(Segment::File(file));
    }
}

/// The encoded form as a stream: header and text segments as they are,
/// files chunk by chunk.
pub(super) struct MultipartStream {
    segments: VecDeque<Segment>,
}

impl futures_core::Stream for MultipartStream {
    type Item = std::io::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            match self.segments.pop_front() {
                None => return Poll::Ready(None),
                Some(Segment::Bytes(bytes)) => return Poll::Ready(Some(Ok(bytes))),
                Some(Segment::File(mut file)) => match Pin::new(&mut file).poll_next(cx) {
                    // This file is done: on to the next segment.
                    Poll::Ready(None) => {}
                    other => {
                        self.segments.push_front(Segment::File(file));
                        return other;
                    }
                },
            }
        }
    }
}

/// Escapes a field or file name for its quoted header parameter the way
/// browsers do (WHATWG "multipart/form-data encoding"): `"`, CR and LF are
/// percent-encoded, so a name can never end the header line.
fn escape(name: &str) -> String {
    name.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Visible ASCII and spaces only: what may follow `Content-Type: `.
fn is_header_value(value: &str) -> bool {
    !value.is_empty()
        && value
            .bytes()
            .all(|b| b == b' ' || b == b'\t' || b.is_ascii_graphic())
}

/// 96 random bits, hex: a boundary no file will contain by chance.
fn random_boundary() -> Result<String> {
    use ring::rand::SecureRandom;
    let mut bits = [0u8; 12];
    ring::rand::SystemRandom::new()
        .fill(&mut bits)
        .map_err(|_| Error::config("no system randomness for a multipart boundary"))?;
    Ok(format!(
        "panelkit-{}",
        bits.iter().map(|b| format!("{b:02x}")).collect::<String>()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::future::poll_fn;

    async fn collect(mut stream: MultipartStream) -> Vec<u8> {
        let mut out = Vec::new();
        while let Some(chunk) =
            poll_fn(|cx| futures_core::Stream::poll_next(Pin::new(&mut stream), cx)).await
        {
            out.extend_from_slice(&chunk.expect("in-memory parts do not fail"));
        }
        out
    }

    #[tokio::test]
    async fn encodes_parts_in_order_with_the_announced_length() {
        let form = Multipart::new()
            .text("note", "hello")
            .file("filenames", "a.txt", StreamBody::from(b"first".to_vec()))
            .file_with_type(
                "filenames",
                "b.csv",
                "text/csv",
                StreamBody::from(b"x,y".to_vec()),
            );
        let encoded = form
            .take_with_boundary("op", &Progress::new(), "B")
            .unwrap();
        assert_eq!(encoded.content_type, "multipart/form-data; boundary=B");
        let body = collect(encoded.stream).await;
        let expected = "--B\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n\
             --B\r\nContent-Disposition: form-data; name=\"filenames\"; filename=\"a.txt\"\r\n\
             Content-Type: application/octet-stream\r\n\r\nfirst\r\n\
             --B\r\nContent-Disposition: form-data; name=\"filenames\"; filename=\"b.csv\"\r\n\
             Content-Type: text/csv\r\n\r\nx,y\r\n--B--\r\n";
        assert_eq!(String::from_utf8(body).unwrap(), expected);
        assert_eq!(encoded.length, Some(expected.len() as u64));
    }

    #[tokio::test]
    async fn a_reader_of_unknown_length_leaves_the_length_unknown() {
        let form = Multipart::new().file("f", "r.bin", StreamBody::from_reader(&b"streamed"[..]));
        let encoded = form.take("op", &Progress::new()).unwrap();
        assert_eq!(encoded.length, None);
        let boundary = encoded
            .content_type
            .strip_prefix("multipart/form-data; boundary=")
            .unwrap()
            .to_owned();
        let body = String::from_utf8(collect(encoded.stream).await).unwrap();
        assert!(body.contains("\r\n\r\nstreamed\r\n"), "{body}");
        assert!(body.ends_with(&format!("--{boundary}--\r\n")), "{body}");
    }

    #[tokio::test]
    async fn names_cannot_break_out_of_their_header() {
        let form = Multipart::new().file(
            "a\"b",
            "evil\r\nX-Injected: 1\".txt",
            StreamBody::from(b"".to_vec()),
        );
        let encoded = form
            .take_with_boundary("op", &Progress::new(), "B")
            .unwrap();
        let body = String::from_utf8(collect(encoded.stream).await).unwrap();
        assert!(
            body.contains("name=\"a%22b\"; filename=\"evil%0D%0AX-Injected: 1%22.txt\"\r\n"),
            "{body}"
        );
        assert!(!body.contains("\r\nX-Injected"), "{body}");
    }

    #[test]
    fn a_content_type_with_a_line_break_is_a_config_error() {
        let form = Multipart::new().file_with_type(
            "f",
            "a.txt",
            "text/plain\r\nX-Injected: 1",
            StreamBody::from(b"x".to_vec()),
        );
        let error = form.take("op", &Progress::new()).err().unwrap();
        assert!(matches!(error, Error::Config { .. }), "{error:?}");
        assert!(
            error.to_string().contains("invalid content type"),
            "{error}"
        );
    }

    #[test]
    fn boundaries_differ_between_sends() {
        assert_ne!(random_boundary().unwrap(), random_boundary().unwrap());
    }

    #[test]
    fn debug_shows_no_content() {
        let form = Multipart::new().text("password", "hunter2").file(
            "filenames",
            "a.txt",
            StreamBody::from(b"topsecret".to_vec()),
        );
        let shown = format!("{form:?}");
        assert!(
            !shown.contains("hunter2") && !shown.contains("topsecret"),
            "{shown}"
        );
        assert!(shown.contains("a.txt"));
    }
}
