//! The HTTP transport: reqwest over rustls, with the TLS trust options
//! self-signed panels need, bounded bodies and errors that never leak secrets.

mod pin;
mod request;

use std::path::PathBuf;
use std::time::{Duration, Instant};

pub use request::{HttpRequest, HttpResponse};

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
        let mut builder = reqwest::Client::builder()
            .timeout(config.timeout)
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

    /// Sends `request` and reads the whole answer (any status).
    pub async fn send(&self, request: HttpRequest) -> Result<HttpResponse> {
        let started = Instant::now();
        let url = reqwest::Url::parse(&request.url)
            .map_err(|e| Error::config(format!("invalid URL: {e}")))?;
        let shown = request::loggable_url(&url);
        let mut builder = self.client.request(request.method.clone(), url);
        for (name, value) in &request.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        let mut response = builder
            .body(request.body)
            .send()
            .await
            .map_err(|e| self.map_error(&shown, e))?;
        let status = response.status().as_u16();
        if response
            .content_length()
            .is_some_and(|n| n > self.max_response_bytes as u64)
        {
            return Err(self.too_large(status));
        }
        let headers = std::mem::take(response.headers_mut());
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| self.map_error(&shown, e))?
        {
            if body.len() + chunk.len() > self.max_response_bytes {
                return Err(self.too_large(status));
            }
            body.extend_from_slice(&chunk);
        }
        tracing::debug!(
            method = %request.method,
            url = %shown,
            status,
            bytes = body.len(),
            elapsed_ms = started.elapsed().as_secs_f64() * 1000.0,
            "http"
        );
        Ok(HttpResponse {
            status,
            headers,
            body: body.into(),
        })
    }

    fn too_large(&self, status: u16) -> Error {
        Error::UnexpectedResponse {
            status: Some(status),
            reason: format!("response larger than {} bytes", self.max_response_bytes),
            excerpt: String::new(),
        }
    }

    fn map_error(&self, url: &str, error: reqwest::Error) -> Error {
        if error.is_timeout() {
            return Error::Timeout {
                after: Some(self.timeout),
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
