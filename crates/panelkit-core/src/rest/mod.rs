//! The REST/JSON runtime shared by the OpenAPI-generated clients (SFTPGo,
//! IONOS, DCImanager).
//!
//! Generated methods stay thin: each builds a [`Request`] (operation id, HTTP
//! method, filled-in path, query, headers, body, accepted auth schemes) and
//! hands it to the one non-generic executor, [`RestClient::send`]. Only the
//! decoding of a successful answer ([`Response::json`]) is generic. What
//! differs per panel — how credentials are attached and renewed ([`Auth`]) and
//! how an error body becomes an [`Error`] ([`ErrorDecoder`]) — is plugged in
//! by the panel's builder (for example [`crate::sftpgo`]).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use serde::de::DeserializeOwned;
use serde::Serialize;

pub use reqwest::header::HeaderMap;
pub use reqwest::Method;

use crate::http::{HttpRequest, HttpStream, HttpTransport};
use crate::{Error, Result};

mod body;
mod download;

pub use crate::http::ByteStream;
pub use body::{Multipart, StreamBody};
pub use download::Download;

/// A boxed future, for the object-safe [`Auth`] trait.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Characters left as they are in a path segment (RFC 3986 unreserved).
fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// Percent-encodes one path parameter so it stays one path segment
/// (`a/b c` → `a%2Fb%20c`).
pub fn path_segment(value: impl fmt::Display) -> String {
    let text = value.to_string();
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if is_unreserved(b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A request body.
#[derive(Clone, Default)]
pub enum Body {
    /// No body.
    #[default]
    Empty,
    /// Bytes with their content type (JSON, YAML, form-encoded, raw upload).
    Bytes {
        /// The `Content-Type` to send.
        content_type: String,
        /// The body.
        bytes: Bytes,
    },
    /// A body read while it is sent (raw uploads from a file or reader).
    Stream {
        /// The `Content-Type` to send.
        content_type: String,
        /// The body.
        body: StreamBody,
    },
    /// A `multipart/form-data` form (its content type carries the boundary).
    Multipart(Multipart),
}

impl Body {
    /// Whether the body can be sent more than once (so its request may be
    /// retried or replayed after a renewed login).
    pub fn is_replayable(&self) -> bool {
        match self {
            Body::Empty | Body::Bytes { .. } => true,
            Body::Stream { body, .. } => body.is_replayable(),
            Body::Multipart(form) => form.is_replayable(),
        }
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Bodies carry passwords (user creation, login): never show them.
        match self {
            Body::Empty => f.write_str("Empty"),
            Body::Bytes {
                content_type,
                bytes,
            } => write!(f, "Bytes({content_type}, {} bytes)", bytes.len()),
            Body::Stream { content_type, body } => write!(f, "Stream({content_type}, {body:?})"),
            Body::Multipart(form) => write!(f, "Multipart({form:?})"),
        }
    }
}

/// One operation call, described for [`RestClient::send`].
#[derive(Clone, Debug)]
pub struct Request {
    /// The operation id (for tracing and errors).
    pub operation: &'static str,
    /// HTTP method.
    pub method: Method,
    /// The path with its parameters filled in and percent-encoded
    /// ([`path_segment`]), relative to the client's base URL.
    pub path: String,
    /// A path-level server override from the spec (`/` for SFTPGo's
    /// `/healthz`): resolved against the client's origin instead of its base URL.
    pub server: Option<&'static str>,
    /// Query parameters in order.
    pub query: Vec<(&'static str, String)>,
    /// Extra headers in order.
    pub headers: Vec<(&'static str, String)>,
    /// The body.
    pub body: Body,
    /// Names of the spec's security schemes this operation accepts (empty:
    /// no authentication).
    pub auth: &'static [&'static str],
}

impl Request {
    /// A request for `operation` with no query, headers, body or auth.
    pub fn new(operation: &'static str, method: Method, path: impl Into<String>) -> Self {
        Request {
            operation,
            method,
            path: path.into(),
            server: None,
            query: Vec::new(),
            headers: Vec::new(),
            body: Body::Empty,
            auth: &[],
        }
    }

    /// The security schemes the operation accepts (spec names).
    pub fn auth(mut self, schemes: &'static [&'static str]) -> Self {
        self.auth = schemes;
        self
    }

    /// A path-level server override (see [`Request::server`]).
    pub fn server(mut self, server: &'static str) -> Self {
        self.server = Some(server);
        self
    }

    /// Adds a query parameter.
    pub fn query(mut self, name: &'static str, value: impl fmt::Display) -> Self {
        self.query.push((name, value.to_string()));
        self
    }

    /// Adds a query parameter when it is `Some`.
    pub fn query_opt(self, name: &'static str, value: Option<impl fmt::Display>) -> Self {
        match value {
            Some(value) => self.query(name, value),
            None => self,
        }
    }

    /// Adds a header.
    pub fn header(mut self, name: &'static str, value: impl fmt::Display) -> Self {
        self.headers.push((name, value.to_string()));
        self
    }

    /// Adds a header when it is `Some`.
    pub fn header_opt(self, name: &'static str, value: Option<impl fmt::Display>) -> Self {
        match value {
            Some(value) => self.header(name, value),
            None => self,
        }
    }

    /// Sends `body` as JSON.
    pub fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Result<Self> {
        let bytes = serde_json::to_vec(body).map_err(|e| {
            Error::config(format!("{}: cannot encode the body: {e}", self.operation))
        })?;
        self.body = Body::Bytes {
            content_type: "application/json".to_owned(),
            bytes: bytes.into(),
        };
        Ok(self)
    }

    /// Sends raw bytes with a content type.
    pub fn bytes(mut self, content_type: impl Into<String>, bytes: impl Into<Bytes>) -> Self {
        self.body = Body::Bytes {
            content_type: content_type.into(),
            bytes: bytes.into(),
        };
        self
    }

    /// Sends a body read while it goes out (a file, any `AsyncRead`, or
    /// bytes) with its content type; nothing is buffered whole.
    pub fn stream_body(mut self, content_type: impl Into<String>, body: StreamBody) -> Self {
        self.body = Body::Stream {
            content_type: content_type.into(),
            body,
        };
        self
    }

    /// Sends a `multipart/form-data` form; its files are streamed.
    pub fn multipart(mut self, form: Multipart) -> Self {
        self.body = Body::Multipart(form);
        self
    }
}

/// A successful (2xx) answer, read whole.
#[derive(Clone, Debug)]
pub struct Response {
    /// The operation that was called.
    pub operation: &'static str,
    /// HTTP status.
    pub status: u16,
    /// Response headers (`Debug` of the response redacts sensitive ones).
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
}

impl Response {
    /// Decodes the body as JSON into `T`; a body that does not decode is an
    /// [`Error::UnexpectedResponse`] naming the operation.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T> {
        serde_json::from_slice(&self.body).map_err(|e| {
            Error::unexpected(
                Some(self.status),
                format!("{}: answer is not the expected JSON: {e}", self.operation),
                &self.body,
            )
        })
    }

    /// The body as UTF-8 text (plain text, CSV, YAML answers).
    pub fn text(&self) -> Result<String> {
        String::from_utf8(self.body.to_vec()).map_err(|_| {
            Error::unexpected(
                Some(self.status),
                format!("{}: answer is not UTF-8 text", self.operation),
                &self.body,
            )
        })
    }

    /// A header's value, if present and readable.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// Turns a non-2xx answer into an [`Error`], the panel's way.
pub trait ErrorDecoder: Send + Sync + fmt::Debug {
    /// The error for a non-2xx answer of `operation`.
    fn decode(&self, operation: &str, status: u16, headers: &HeaderMap, body: &[u8]) -> Error;
}

/// Attaches credentials to requests, the panel's way.
pub trait Auth: Send + Sync + fmt::Debug {
    /// Adds credentials for a request that accepts `request.auth` (spec scheme
    /// names). Exactly one scheme is used per request.
    fn authorize<'a>(
        &'a self,
        client: &'a RestClient,
        request: &'a mut HttpRequest,
        schemes: &'static [&'static str],
    ) -> BoxFuture<'a, Result<()>>;

    /// Called when an authorized request (`rejected`, as it was sent) failed
    /// with `error`. If the error means the credentials went stale (an expired
    /// session) and they could be renewed — or somebody else already renewed
    /// them — returns `true`, and [`RestClient::send`] sends the request once
    /// more. Never called twice for one request, so a renewal that does not
    /// help ends as the second answer's error.
    ///
    /// The default renews nothing.
    fn renew<'a>(
        &'a self,
        client: &'a RestClient,
        rejected: &'a HttpRequest,
        error: &'a Error,
    ) -> BoxFuture<'a, Result<bool>> {
        let _ = (client, rejected, error);
        Box::pin(async { Ok(false) })
    }
}

/// When a request is sent again after an answer that says "try later" (a
/// panel that suspends itself when idle answers 503 until it is up).
///
/// Only the statuses listed are retried, and only because the panel says the
/// request was not processed; transport errors are never retried here (a
/// request may have reached the panel). Attempts and total time are both
/// bounded; a `Retry-After` in seconds is honoured within those bounds.
#[derive(Clone, Debug)]
pub struct RetryPolicy {
    /// HTTP statuses that mean "not processed, try again".
    pub statuses: Vec<u16>,
    /// Most attempts in all, the first included (1: no retry).
    pub max_attempts: u32,
    /// Delay before the first retry; doubled for each further one.
    pub initial_backoff: Duration,
    /// Longest delay between two attempts.
    pub max_backoff: Duration,
    /// No retry starts later than this after the first attempt.
    pub max_elapsed: Duration,
}

impl Default for RetryPolicy {
    /// No retries.
    fn default() -> Self {
        RetryPolicy::none()
    }
}

impl RetryPolicy {
    /// Never retries.
    pub fn none() -> Self {
        RetryPolicy {
            statuses: Vec::new(),
            max_attempts: 1,
            initial_backoff: Duration::ZERO,
            max_backoff: Duration::ZERO,
            max_elapsed: Duration::ZERO,
        }
    }

    /// How long to wait before attempt `attempt + 1`, after attempt number
    /// `attempt` (1-based) got `status`; `None` when it must not be retried.
    pub fn delay(
        &self,
        attempt: u32,
        elapsed: Duration,
        status: u16,
        retry_after: Option<Duration>,
    ) -> Option<Duration> {
        if !self.statuses.contains(&status) || attempt >= self.max_attempts {
            return None;
        }
        let doubling = 2u32.saturating_pow(attempt.saturating_sub(1).min(30));
        let backoff = self
            .initial_backoff
            .saturating_mul(doubling)
            .min(self.max_backoff);
        let delay = retry_after.map_or(backoff, |asked| asked.max(backoff));
        (elapsed + delay <= self.max_elapsed).then_some(delay)
    }
}

/// The `Retry-After` header in seconds (the HTTP-date form is not read).
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get("retry-after")?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// Generic error decoding: the status decides the class, the body is kept as
/// an excerpt.
#[derive(Debug, Default)]
pub struct StatusErrors;

impl ErrorDecoder for StatusErrors {
    fn decode(&self, operation: &str, status: u16, _headers: &HeaderMap, body: &[u8]) -> Error {
        Error::unexpected(Some(status), format!("{operation}: HTTP {status}"), body)
    }
}

/// No credentials at all.
#[derive(Debug, Default)]
pub struct NoAuth;

impl Auth for NoAuth {
    fn authorize<'a>(
        &'a self,
        _client: &'a RestClient,
        _request: &'a mut HttpRequest,
        _schemes: &'static [&'static str],
    ) -> BoxFuture<'a, Result<()>> {
        Box::pin(async { Ok(()) })
    }
}

/// Everything a REST client is made of; built by a panel's builder.
#[derive(Debug)]
pub struct RestConfig {
    /// The transport.
    pub transport: HttpTransport,
    /// The base URL every request path is appended to
    /// (`https://host:8080/api/v2`), without a trailing slash.
    pub base_url: String,
    /// How credentials are attached.
    pub auth: Arc<dyn Auth>,
    /// How error answers are read.
    pub errors: Arc<dyn ErrorDecoder>,
    /// Which answers are retried ([`RetryPolicy::none`] for none).
    pub retry: RetryPolicy,
}

/// The executor every generated REST method calls. Cheap to clone.
#[derive(Clone, Debug)]
pub struct RestClient {
    inner: Arc<RestConfig>,
}

impl RestClient {
    /// A client from its parts.
    pub fn new(config: RestConfig) -> Self {
        RestClient {
            inner: Arc::new(config),
        }
    }

    /// The base URL.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The underlying transport (for auth providers that fetch tokens).
    pub fn transport(&self) -> &HttpTransport {
        &self.inner.transport
    }

    /// The absolute URL of a request, query included.
    pub fn url_of(&self, request: &Request) -> Result<String> {
        let base = match request.server {
            Some(server) if server.starts_with("http://") || server.starts_with("https://") => {
                server.trim_end_matches('/').to_owned()
            }
            Some(server) => {
                let url = reqwest::Url::parse(&self.inner.base_url)
                    .map_err(|e| Error::config(format!("invalid base URL: {e}")))?;
                let origin = url.origin().ascii_serialization();
                format!("{origin}{}", server.trim_end_matches('/'))
            }
            None => self.inner.base_url.clone(),
        };
        let mut url = reqwest::Url::parse(&format!("{base}{}", request.path))
            .map_err(|e| Error::config(format!("{}: invalid URL: {e}", request.operation)))?;
        if !request.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in &request.query {
                pairs.append_pair(name, value);
            }
        }
        Ok(url.into())
    }

    /// Sends a request; a 2xx answer is returned whole (bounded by the
    /// transport's `max_response_bytes`), anything else becomes the panel's
    /// [`Error`].
    pub async fn send(&self, request: Request) -> Result<Response> {
        let total = self.inner.transport.timeout();
        let stream = self.execute(&request, Some(total)).await?;
        let status = stream.status;
        let (headers, body) = stream
            .read_all(self.inner.transport.max_response_bytes())
            .await?;
        Ok(Response {
            operation: request.operation,
            status,
            headers,
            body,
        })
    }

    /// Sends a request and returns a 2xx answer as a [`Download`] whose
    /// body is read as it arrives (file downloads, zip streams, exports);
    /// anything else becomes the panel's [`Error`].
    pub async fn send_streaming(&self, request: Request) -> Result<Download> {
        let stream = self.execute(&request, None).await?;
        Ok(Download::new(request.operation, stream))
    }

    /// One exchange: URL, headers, credentials, body; a 2xx answer comes
    /// back unread, anything else is read (bounded) and decoded as an error.
    /// Answers the [`RetryPolicy`] names are retried within its bounds, and
    /// an authorized request whose credentials went stale is sent once more
    /// after [`Auth::renew`] — both only when the body can be sent again.
    async fn execute(
        &self,
        request: &Request,
        total: Option<std::time::Duration>,
    ) -> Result<HttpStream> {
        let url = self.url_of(request)?;
        let replayable = request.body.is_replayable();
        let started = Instant::now();
        let mut attempt = 1;
        let mut renewed = false;
        loop {
            let mut http = HttpRequest {
                method: request.method.clone(),
                url: url.clone(),
                headers: Vec::new(),
                body: Bytes::new(),
            };
            for (name, value) in &request.headers {
                http.headers.push(((*name).to_owned(), value.clone()));
            }
            let (content_type, body) = body::outgoing(&request.body, request.operation)?;
            if let Some(content_type) = content_type {
                http.headers.push(("content-type".to_owned(), content_type));
            }
            if !request.auth.is_empty() {
                self.inner
                    .auth
                    .authorize(self, &mut http, request.auth)
                    .await?;
            }
            let sent = http.clone();
            let answer = self.inner.transport.open(http, body, total).await?;
            if (200..300).contains(&answer.status) {
                return Ok(answer);
            }
            let status = answer.status;
            let (headers, body) = read_error_body(answer).await?;
            let elapsed = started.elapsed();
            let delay = replayable
                .then(|| {
                    self.inner
                        .retry
                        .delay(attempt, elapsed, status, retry_after(&headers))
                })
                .flatten();
            if let Some(delay) = delay {
                tracing::debug!(
                    operation = request.operation,
                    status,
                    attempt,
                    delay_ms = delay.as_millis() as u64,
                    "retrying"
                );
                tokio::time::sleep(delay).await;
                attempt += 1;
                continue;
            }
            let error = self
                .inner
                .errors
                .decode(request.operation, status, &headers, &body);
            if self.inner.retry.statuses.contains(&status) {
                return Err(gave_up(error, attempt, elapsed));
            }
            if replayable
                && !renewed
                && !request.auth.is_empty()
                && self.inner.auth.renew(self, &sent, &error).await?
            {
                tracing::debug!(
                    operation = request.operation,
                    "credentials renewed; sending again"
                );
                renewed = true;
                continue;
            }
            return Err(error);
        }
    }
}

/// Most of an error body kept for decoding; the rest is not read.
const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// Reads up to [`ERROR_BODY_LIMIT`] bytes of an error answer (a longer one is
/// cut: the decoder sees it as truncated).
async fn read_error_body(mut answer: HttpStream) -> Result<(HeaderMap, Bytes)> {
    let mut body = Vec::new();
    while body.len() < ERROR_BODY_LIMIT {
        match answer.chunk().await? {
            Some(chunk) => {
                let room = ERROR_BODY_LIMIT - body.len();
                body.extend_from_slice(&chunk[..chunk.len().min(room)]);
            }
            None => break,
        }
    }
    Ok((std::mem::take(&mut answer.headers), body.into()))
}

/// Notes on a retryable error that the retries ran out.
fn gave_up(error: Error, attempts: u32, elapsed: Duration) -> Error {
    match error {
        Error::UnexpectedResponse {
            status,
            reason,
            excerpt,
        } => Error::UnexpectedResponse {
            status,
            reason: format!(
                "{reason} (gave up after {attempts} attempts in {:.1} s)",
                elapsed.as_secs_f64()
            ),
            excerpt,
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_are_encoded() {
        assert_eq!(path_segment("a/b c"), "a%2Fb%20c");
        assert_eq!(path_segment("user.name-1_~"), "user.name-1_~");
        assert_eq!(path_segment("ü"), "%C3%BC");
    }

    #[test]
    fn retry_delays_double_and_stay_bounded() {
        let policy = RetryPolicy {
            statuses: vec![503],
            max_attempts: 5,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(300),
            max_elapsed: Duration::from_secs(1),
        };
        let zero = Duration::ZERO;
        assert_eq!(
            policy.delay(1, zero, 503, None),
            Some(Duration::from_millis(100))
        );
        assert_eq!(
            policy.delay(2, zero, 503, None),
            Some(Duration::from_millis(200))
        );
        assert_eq!(
            policy.delay(3, zero, 503, None),
            Some(Duration::from_millis(300))
        );
        assert_eq!(policy.delay(5, zero, 503, None), None, "attempts bounded");
        assert_eq!(
            policy.delay(1, zero, 500, None),
            None,
            "only listed statuses"
        );
        assert_eq!(
            policy.delay(1, Duration::from_millis(950), 503, None),
            None,
            "total time bounded"
        );
        assert_eq!(
            policy.delay(1, zero, 503, Some(Duration::from_millis(700))),
            Some(Duration::from_millis(700)),
            "Retry-After honoured"
        );
        assert_eq!(
            policy.delay(1, zero, 503, Some(Duration::from_secs(5))),
            None
        );
        assert_eq!(RetryPolicy::none().delay(1, zero, 503, None), None);
    }

    #[test]
    fn body_debug_hides_content() {
        let r = Request::new("op", Method::POST, "/x")
            .json(&serde_json::json!({"password": "hunter2"}))
            .unwrap();
        assert!(!format!("{r:?}").contains("hunter2"));
    }
}
