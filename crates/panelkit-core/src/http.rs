//! The HTTP transport: reqwest over rustls, with the TLS trust options
//! self-signed panels need, bounded bodies and errors that never leak secrets.

#[cfg(any(
    feature = "ispconfig",
    feature = "coremanager",
    feature = "sftpgo",
    feature = "ionos",
    feature = "dcimanager"
))]
mod builder_options;
mod fingerprint;
mod pin;
mod request;

use std::path::PathBuf;
use std::time::{Duration, Instant};

// Every panel's client builder expands it; protocols alone have no builder.
#[cfg(any(
    feature = "ispconfig",
    feature = "coremanager",
    feature = "sftpgo",
    feature = "ionos",
    feature = "dcimanager"
))]
pub(crate) use builder_options::http_options;
pub use fingerprint::server_certificate_sha256;
pub use request::{is_sensitive_header, HttpRequest, HttpResponse};

use crate::{Error, Result};

/// Transport settings.
#[derive(Clone, Debug)]
pub struct HttpConfig {
    /// Whole-request timeout.
    pub timeout: Duration,
    /// Connect timeout.
    pub connect_timeout: Duration,
    /// Which server certificates are trusted.
    pub tls: TlsConfig,
    /// The `User-Agent` header.
    pub user_agent: String,
    /// Largest body accepted; a larger one is an [`Error::UnexpectedResponse`].
    pub max_response_bytes: usize,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            tls: TlsConfig::default(),
            user_agent: concat!("panelkit/", env!("CARGO_PKG_VERSION")).to_owned(),
            max_response_bytes: 256 * 1024 * 1024,
        }
    }
}

/// Which server certificates are trusted. The default verifies against the
/// system's roots (and the bundled web PKI roots where the system has none).
#[derive(Clone, Debug, Default)]
pub struct TlsConfig {
    ca_file: Option<PathBuf>,
    pin: Option<[u8; 32]>,
    accept_invalid: bool,
}

impl TlsConfig {
    /// Also trusts the certificates in this PEM file (a private CA, or the
    /// panel's self-signed certificate).
    pub fn ca_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.ca_file = Some(path.into());
        self
    }

    /// Trusts exactly the server certificate whose SHA-256 over its DER bytes
    /// is `fingerprint` (hex, any case, `:` separators allowed), whatever its
    /// issuer or names. Handshake signatures are still verified.
    pub fn pin_sha256(mut self, fingerprint: &str) -> Result<Self> {
        self.pin = Some(pin::parse_fingerprint(fingerprint)?);
        Ok(self)
    }

    /// Turns certificate verification off. Last resort; a warning is logged
    /// when a transport is built with it.
    pub fn danger_accept_invalid_certs(mut self, yes: bool) -> Self {
        self.accept_invalid = yes;
        self
    }
}

/// Sends requests. Cheap to clone.
#[derive(Clone, Debug)]
pub struct HttpTransport {
    client: reqwest::Client,
    timeout: Duration,
    max_response_bytes: usize,
}

impl HttpTransport {
    /// Builds a transport; fails on an unreadable CA file.
    pub fn new(config: HttpConfig) -> Result<Self> {
        // No client-wide timeouts: a whole-exchange bound is set per request
        // where it fits (answers read whole), and streamed exchanges are bound
        // by progress instead (see `HttpTransport::open`), so a long upload
        // or download is not cut while it moves.
        let mut builder = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .user_agent(config.user_agent.clone())
            // Panels answer redirects with login pages; we want to see them.
            .redirect(reqwest::redirect::Policy::none());
        if let Some(fingerprint) = config.tls.pin {
            builder = builder.use_preconfigured_tls(pin::client_config(fingerprint)?);
        } else {
            if let Some(path) = &config.tls.ca_file {
                for cert in read_ca_file(path)? {
                    builder = builder.add_root_certificate(cert);
                }
            }
            if config.tls.accept_invalid {
                tracing::warn!(
                    "TLS certificate verification is OFF: anyone on the path can read and change this traffic \
                     (prefer a CA file or a pinned SHA-256 fingerprint)"
                );
                builder = builder.danger_accept_invalid_certs(true);
            }
        }
        let client = builder
            .build()
            .map_err(|e| Error::config(format!("cannot build the HTTP client: {e}")))?;
        Ok(HttpTransport {
            client,
            timeout: config.timeout,
            max_response_bytes: config.max_response_bytes,
        })
    }

    /// Sends `request` and reads the whole answer (any status). The whole
    /// exchange, body included, is bounded by the configured timeout and the
    /// body by `max_response_bytes`.
    pub async fn send(&self, request: HttpRequest) -> Result<HttpResponse> {
        let started = Instant::now();
        let method = request.method.clone();
        let body = Outgoing::Bytes(request.body.clone());
        let stream = self.open(request, body, Some(self.timeout)).await?;
        let status = stream.status;
        let shown = stream.shown.clone();
        let (headers, body) = stream.read_all(self.max_response_bytes).await?;
        tracing::debug!(
            method = %method,
            url = %shown,
            status,
            bytes = body.len(),
            elapsed_ms = started.elapsed().as_secs_f64() * 1000.0,
            "http"
        );
        Ok(HttpResponse {
            status,
            headers,
            body,
        })
    }

    /// Sends `request` and returns as soon as the status line and headers
    /// are in; the body is read by the caller, chunk by chunk, never held
    /// whole. There is no bound on the whole exchange (a download may take
    /// long): each read waits at most the configured timeout.
    pub async fn send_streaming(&self, request: HttpRequest) -> Result<HttpStream> {
        let body = Outgoing::Bytes(request.body.clone());
        self.open(request, body, None).await
    }

    /// The one place a request goes out: headers from `request`, the body
    /// from `body` (its `request.body` is ignored).
    ///
    /// Timeouts: with `total`, the whole exchange is bounded by it — unless
    /// the body is streamed, then (as without `total`) the exchange is bound
    /// by progress: it fails once nothing moved for the configured timeout
    /// (no upload chunk taken, no answer after the last one, no answer
    /// chunk). A 10 GiB upload on a slow link works; a stalled one does not
    /// hang.
    pub(crate) async fn open(
        &self,
        request: HttpRequest,
        body: Outgoing,
        total: Option<Duration>,
    ) -> Result<HttpStream> {
        let url = reqwest::Url::parse(&request.url)
            .map_err(|e| Error::config(format!("invalid URL: {e}")))?;
        let shown = request::loggable_url(&url);
        let mut builder = self.client.request(request.method.clone(), url);
        for (name, value) in &request.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        let progress = match body {
            Outgoing::Bytes(bytes) => {
                builder = builder.body(bytes);
                None
            }
            Outgoing::Stream(body, progress) => {
                builder = builder.body(body);
                Some(progress)
            }
        };
        let timed_out = || Error::Timeout {
            after: Some(self.timeout),
        };
        let sent = match (progress, total) {
            (None, Some(total)) => builder.timeout(total).send().await,
            (None, None) => tokio::time::timeout(self.timeout, builder.send())
                .await
                .map_err(|_| timed_out())?,
            (Some(progress), _) => watch(builder.send(), &progress, self.timeout)
                .await
                .ok_or_else(timed_out)?,
        };
        let mut response = sent.map_err(|e| map_error(&shown, self.timeout, e))?;
        let status = response.status().as_u16();
        let headers = std::mem::take(response.headers_mut());
        Ok(HttpStream {
            status,
            headers,
            response,
            shown,
            timeout: self.timeout,
        })
    }

    /// The configured timeout (whole exchange for [`HttpTransport::send`],
    /// each read for [`HttpTransport::send_streaming`]).
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The configured largest body [`HttpTransport::send`] accepts.
    pub fn max_response_bytes(&self) -> usize {
        self.max_response_bytes
    }
}

fn too_large(status: u16, limit: usize) -> Error {
    Error::UnexpectedResponse {
        status: Some(status),
        reason: format!("response larger than {limit} bytes"),
        excerpt: String::new(),
    }
}

/// A reqwest error as ours: timeouts typed, certificate problems explained,
/// and never the URL's query (it may hold secrets).
fn map_error(url: &str, timeout: Duration, error: reqwest::Error) -> Error {
    if error.is_timeout() {
        return Error::Timeout {
            after: Some(timeout),
        };
    }
    let chain = error_chain(&error);
    let message = if is_certificate_problem(&chain) {
        format!(
            "TLS certificate of {url} not trusted (self-signed? use a CA file or a pinned SHA-256 fingerprint): {chain}"
        )
    } else if error.is_connect() {
        format!("cannot connect to {url}: {chain}")
    } else {
        format!("request to {url} failed: {chain}")
    };
    // The reqwest error's Display may contain the full URL with its query:
    // keep only our scrubbed message, not the source.
    Error::Transport {
        message,
        source: None,
    }
}

/// A body to send: bytes, or a stream read as it goes out (a multipart form
/// is one) that reports its progress. Only the REST executor streams
/// uploads; without it the other variants are never built.
#[cfg_attr(not(feature = "rest"), allow(dead_code))]
pub(crate) enum Outgoing {
    Bytes(bytes::Bytes),
    Stream(reqwest::Body, Progress),
}

/// When a streamed upload last moved (a chunk taken by the connection, or
/// its end), shared by the body's streams and the watchdog.
#[derive(Clone, Debug)]
pub(crate) struct Progress {
    base: Instant,
    last_ms: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

#[cfg_attr(not(feature = "rest"), allow(dead_code))]
impl Progress {
    pub(crate) fn new() -> Self {
        Progress {
            base: Instant::now(),
            last_ms: Default::default(),
        }
    }

    pub(crate) fn touch(&self) {
        let now = self.base.elapsed().as_millis() as u64;
        self.last_ms
            .store(now, std::sync::atomic::Ordering::Relaxed);
    }

    fn idle(&self) -> Duration {
        let last = Duration::from_millis(self.last_ms.load(std::sync::atomic::Ordering::Relaxed));
        self.base.elapsed().saturating_sub(last)
    }
}

/// Awaits `send` as long as the upload keeps moving: `None` once nothing
/// moved for `idle` (upload stalled, or no answer `idle` after its end).
async fn watch<F: std::future::Future>(
    send: F,
    progress: &Progress,
    idle: Duration,
) -> Option<F::Output> {
    let mut send = std::pin::pin!(send);
    loop {
        let left = idle.saturating_sub(progress.idle());
        if left.is_zero() {
            return None;
        }
        // Not finished within `left`: look at the progress again.
        if let Ok(answer) = tokio::time::timeout(left, &mut send).await {
            return Some(answer);
        }
    }
}

/// An answer whose body has not been read yet (see
/// [`HttpTransport::send_streaming`]).
pub struct HttpStream {
    /// HTTP status code.
    pub status: u16,
    /// Response headers.
    pub headers: reqwest::header::HeaderMap,
    response: reqwest::Response,
    shown: String,
    timeout: Duration,
}

impl std::fmt::Debug for HttpStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpStream")
            .field("status", &self.status)
            .field("url", &self.shown)
            .finish_non_exhaustive()
    }
}

impl HttpStream {
    /// The next piece of the body; `None` at its end. Waits at most the
    /// transport's timeout for it.
    pub async fn chunk(&mut self) -> Result<Option<bytes::Bytes>> {
        match tokio::time::timeout(self.timeout, self.response.chunk()).await {
            Ok(chunk) => chunk.map_err(|e| map_error(&self.shown, self.timeout, e)),
            Err(_) => Err(Error::Timeout {
                after: Some(self.timeout),
            }),
        }
    }

    /// Reads the rest of the body, refusing more than `limit` bytes (a
    /// declared `Content-Length` over the limit is refused before reading).
    pub async fn read_all(
        mut self,
        limit: usize,
    ) -> Result<(reqwest::header::HeaderMap, bytes::Bytes)> {
        if self
            .response
            .content_length()
            .is_some_and(|n| n > limit as u64)
        {
            return Err(too_large(self.status, limit));
        }
        let mut body = Vec::new();
        while let Some(chunk) = self.chunk().await? {
            if body.len() + chunk.len() > limit {
                return Err(too_large(self.status, limit));
            }
            body.extend_from_slice(&chunk);
        }
        Ok((std::mem::take(&mut self.headers), body.into()))
    }

    /// The body as a stream of chunks; it ends after the first error.
    pub fn into_stream(self) -> ByteStream {
        let shown = self.shown;
        let timeout = self.timeout;
        ByteStream {
            inner: Some(Box::pin(self.response.bytes_stream())),
            idle: Box::pin(tokio::time::sleep(timeout)),
            shown,
            timeout,
        }
    }
}

/// A response body as a [`futures_core::Stream`] of chunks, each an owned
/// [`bytes::Bytes`]; memory held is one chunk at a time.
pub struct ByteStream {
    inner: Option<
        std::pin::Pin<Box<dyn futures_core::Stream<Item = reqwest::Result<bytes::Bytes>> + Send>>,
    >,
    /// Fires when no chunk came for `timeout`; reset by each chunk.
    idle: std::pin::Pin<Box<tokio::time::Sleep>>,
    shown: String,
    timeout: Duration,
}

impl std::fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ByteStream")
            .field("url", &self.shown)
            .field("ended", &self.inner.is_none())
            .finish()
    }
}

impl futures_core::Stream for ByteStream {
    type Item = Result<bytes::Bytes>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        use std::task::Poll;
        let this = &mut *self;
        let Some(inner) = this.inner.as_mut() else {
            return Poll::Ready(None);
        };
        match inner.as_mut().poll_next(cx) {
            Poll::Pending => {
                if std::future::Future::poll(this.idle.as_mut(), cx).is_ready() {
                    this.inner = None;
                    return Poll::Ready(Some(Err(Error::Timeout {
                        after: Some(this.timeout),
                    })));
                }
                Poll::Pending
            }
            Poll::Ready(Some(Ok(chunk))) => {
                let deadline = tokio::time::Instant::now() + this.timeout;
                this.idle.as_mut().reset(deadline);
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Ready(Some(Err(e))) => {
                this.inner = None;
                Poll::Ready(Some(Err(map_error(&this.shown, this.timeout, e))))
            }
            Poll::Ready(None) => {
                this.inner = None;
                Poll::Ready(None)
            }
        }
    }
}

/// The error and its sources, joined, with any URL removed (reqwest prints the
/// request URL, and a query may hold secrets).
fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = Vec::new();
    let mut current = error.source();
    while let Some(e) = current {
        parts.push(e.to_string());
        current = e.source();
    }
    if parts.is_empty() {
        parts.push(
            error
                .to_string()
                .split(" for url (")
                .next()
                .unwrap_or_default()
                .to_owned(),
        );
    }
    parts.join(": ")
}

fn is_certificate_problem(chain: &str) -> bool {
    let lower = chain.to_ascii_lowercase();
    lower.contains("certificate")
        || lower.contains("unknownissuer")
        || lower.contains("fingerprint")
}

fn read_ca_file(path: &std::path::Path) -> Result<Vec<reqwest::Certificate>> {
    let pem = std::fs::read(path)
        .map_err(|e| Error::config(format!("CA file {}: {e}", path.display())))?;
    let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
        Error::config(format!(
            "CA file {}: not PEM certificates: {e}",
            path.display()
        ))
    })?;
    if certs.is_empty() {
        return Err(Error::config(format!(
            "CA file {}: no certificates in it",
            path.display()
        )));
    }
    Ok(certs)
}
