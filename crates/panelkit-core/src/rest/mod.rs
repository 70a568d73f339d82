//! The REST/JSON runtime shared by the OpenAPI-generated clients (SFTPGo,
//! IONOS, DCImanager).
//!
//! Generated methods stay thin and synchronous: each builds a [`Request`]
//! (operation id, HTTP method, filled-in path, query, headers, body, accepted
//! auth schemes) and hands it, with a `fn` that decodes the body, to
//! [`RestClient::call`], whose future runs the one non-generic executor,
//! [`RestClient::send`]. Only the decoding of a successful answer
//! ([`Response::json`]) is generic. What
//! differs per panel — how credentials are attached and renewed ([`Auth`]) and
//! how an error body becomes an [`Error`] ([`ErrorDecoder`]) — is plugged in
//! by the panel's builder (for example [`crate::sftpgo`]).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use serde::de::DeserializeOwned;
use serde::Serialize;

pub use reqwest::header::HeaderMap;
pub use reqwest::Method;

use crate::http::{HttpRequest, HttpTransport};
use crate::{Error, Result};

mod answer;
mod body;
mod download;
mod errors;
mod execute;
mod multipart;
mod rate_limit;
mod retry;

pub use crate::http::ByteStream;
pub use answer::{Answer, AnswerFuture, BodyFuture, Decode};
pub use body::StreamBody;
pub use download::Download;
pub use errors::{common_error_body, decode_error, ErrorBody, StatusErrors};
pub use multipart::Multipart;
pub use rate_limit::RateLimit;
// SFTPGo's token expiry reads a date with it.
#[cfg(feature = "sftpgo")]
pub(crate) use retry::days_from_civil;
pub use retry::{parse_http_date, parse_retry_after, retry_after, RetryPolicy};

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

/// One operation call, described for [`RestClient::send`]. `Debug` hides
/// the values of sensitive headers and query parameters, and bodies.
#[derive(Clone)]
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
    /// Optional query parameters and headers this operation declares for
    /// which the client may hold a default ([`ParamDefaults`]): the
    /// executor adds the client's value for each one the call left unset.
    pub defaults: &'static [&'static str],
    /// Overrides whether the request may be retried: `None` decides by the
    /// method (GET, HEAD, PUT, DELETE, OPTIONS are idempotent).
    pub idempotent: Option<bool>,
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = |pairs: &[(&'static str, String)]| -> Vec<(&'static str, String)> {
            pairs
                .iter()
                .map(|(name, value)| {
                    let value = if crate::http::is_sensitive_header(name) {
                        "[redacted]".to_owned()
                    } else {
                        value.clone()
                    };
                    (*name, value)
                })
                .collect()
        };
        f.debug_struct("Request")
            .field("operation", &self.operation)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("server", &self.server)
            .field("query", &shown(&self.query))
            .field("headers", &shown(&self.headers))
            .field("body", &self.body)
            .field("auth", &self.auth)
            .field("idempotent", &self.idempotent)
            .finish()
    }
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
            defaults: &[],
            idempotent: None,
        }
    }

    /// The parameters of this operation that take the client's defaults when
    /// the call leaves them unset (see [`Request::defaults`]).
    pub fn defaults(mut self, names: &'static [&'static str]) -> Self {
        self.defaults = names;
        self
    }

    /// Whether the call already set query parameter `name`.
    pub fn has_query(&self, name: &str) -> bool {
        self.query.iter().any(|(n, _)| *n == name)
    }

    /// Whether the call already set header `name` (names compare
    /// case-insensitively).
    pub fn has_header(&self, name: &str) -> bool {
        self.headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(name))
    }

    /// Declares the request safe (or not) to send twice, overriding the
    /// method's default (a POST the panel documents as idempotent, say).
    pub fn idempotent(mut self, yes: bool) -> Self {
        self.idempotent = Some(yes);
        self
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

    /// Sends `body` as an `application/x-www-form-urlencoded` form (a
    /// record of scalar fields; `None` fields are left out).
    pub fn form<T: Serialize + ?Sized>(mut self, body: &T) -> Result<Self> {
        let text = serde_urlencoded::to_string(body).map_err(|e| {
            Error::config(format!("{}: cannot encode the form: {e}", self.operation))
        })?;
        self.body = Body::Bytes {
            content_type: "application/x-www-form-urlencoded".to_owned(),
            bytes: text.into(),
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

/// A successful (2xx) answer, read whole. `Debug` shows the body's length
/// only (a token answer's body is a secret) and hides sensitive headers.
#[derive(Clone)]
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

impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("headers", &ShownHeaders(&self.headers))
            .field("body_bytes", &self.body.len())
            .finish()
    }
}

/// Headers for `Debug`: values of sensitive ones (`Set-Cookie`, anything
/// named like a token or key) replaced.
pub(crate) struct ShownHeaders<'a>(pub &'a HeaderMap);

impl fmt::Debug for ShownHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in self.0 {
            if crate::http::is_sensitive_header(name.as_str()) {
                map.entry(&name.as_str(), &"[redacted]");
            } else {
                map.entry(&name.as_str(), &value.to_str().unwrap_or("[binary]"));
            }
        }
        map.finish()
    }
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

    /// The `X-RateLimit-*` headers, if the server sent any.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        RateLimit::from_headers(&self.headers)
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

    /// Called once when a request sent with credentials (`sent`, as
    /// [`Auth::authorize`] left it) was answered 401. Renews what the request
    /// carried — single-flight: callers that carried the same expired token
    /// share one renewal — and returns whether to send the request once more.
    /// Never re-sends credentials the server rejected. Also called for an
    /// answer of another status that the panel's [`ErrorDecoder`] reads as
    /// [`Error::Auth`] (DCImanager's error 3001). The default: no renewal,
    /// the 401 is the caller's error.
    fn renew<'a>(
        &'a self,
        client: &'a RestClient,
        sent: &'a HttpRequest,
    ) -> BoxFuture<'a, Result<bool>> {
        let _ = (client, sent);
        Box::pin(async { Ok(false) })
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

/// Where a defaulted parameter travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamIn {
    /// A query parameter.
    Query,
    /// A request header.
    Header,
}

/// Client-wide values for optional parameters many operations declare (IONOS:
/// `depth`, `pretty`, `X-Contract-Number`). A value is sent only on requests
/// whose operation lists the name in [`Request::defaults`] and whose call did
/// not set it itself, so a per-call value always wins and operations that do
/// not declare the parameter never see it.
#[derive(Clone, Debug, Default)]
pub struct ParamDefaults {
    entries: Vec<(ParamIn, &'static str, String)>,
}

impl ParamDefaults {
    /// No defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets (or replaces) the default for `name`.
    pub fn set(&mut self, location: ParamIn, name: &'static str, value: impl fmt::Display) {
        let value = value.to_string();
        match self.entries.iter_mut().find(|(_, n, _)| *n == name) {
            Some(entry) => *entry = (location, name, value),
            None => self.entries.push((location, name, value)),
        }
    }

    /// The default for `name`, if any.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(_, n, _)| *n == name)
            .map(|(_, _, v)| v.as_str())
    }

    /// Whether no default is set.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Adds the defaults `request` declares and did not set.
    pub fn apply(&self, request: &mut Request) {
        for (location, name, value) in &self.entries {
            if !request.defaults.contains(name) {
                continue;
            }
            match location {
                ParamIn::Query if !request.has_query(name) => {
                    request.query.push((name, value.clone()));
                }
                ParamIn::Header if !request.has_header(name) => {
                    request.headers.push((name, value.clone()));
                }
                _ => {}
            }
        }
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
}

/// Runtime behaviour of a [`RestClient`] beyond its parts.
#[derive(Clone, Debug)]
pub struct RestOptions {
    /// The panel's name in tracing spans (`sftpgo`, `ionos`).
    pub panel: &'static str,
    /// How failed requests are retried.
    pub retry: RetryPolicy,
    /// Client-wide parameter defaults ([`ParamDefaults`]).
    pub defaults: ParamDefaults,
}

impl Default for RestOptions {
    fn default() -> Self {
        RestOptions {
            panel: "rest",
            retry: RetryPolicy::default(),
            defaults: ParamDefaults::default(),
        }
    }
}

/// The executor every generated REST method calls. Cheap to clone.
#[derive(Clone, Debug)]
pub struct RestClient {
    inner: Arc<RestConfig>,
    options: Arc<RestOptions>,
    /// The `X-RateLimit-*` headers of the latest answer that had them,
    /// shared by clones.
    rate_limit: Arc<Mutex<Option<RateLimit>>>,
}

impl AsRef<RestClient> for RestClient {
    fn as_ref(&self) -> &RestClient {
        self
    }
}

impl RestClient {
    /// A client from its parts, with default [`RestOptions`].
    pub fn new(config: RestConfig) -> Self {
        Self::with_options(config, RestOptions::default())
    }

    /// A client from its parts and options.
    pub fn with_options(config: RestConfig, options: RestOptions) -> Self {
        RestClient {
            inner: Arc::new(config),
            options: Arc::new(options),
            rate_limit: Arc::default(),
        }
    }

    /// The runtime options.
    pub fn options(&self) -> &RestOptions {
        &self.options
    }

    /// The base URL.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The client-wide parameter defaults.
    pub fn defaults(&self) -> &ParamDefaults {
        &self.options.defaults
    }

    /// A client sharing this one's connections and credentials whose
    /// default for `name` is `value` (a per-call `depth`, say); this client
    /// is unchanged.
    pub fn with_default(
        &self,
        location: ParamIn,
        name: &'static str,
        value: impl fmt::Display,
    ) -> RestClient {
        let mut options = RestOptions::clone(&self.options);
        options.defaults.set(location, name, value);
        RestClient {
            inner: self.inner.clone(),
            options: Arc::new(options),
            rate_limit: self.rate_limit.clone(),
        }
    }

    /// The `X-RateLimit-*` headers of the latest answer that carried them
    /// (IONOS sends them on every answer), from any clone of this client.
    pub fn last_rate_limit(&self) -> Option<RateLimit> {
        *self.rate_limit.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn note_rate_limit(&self, headers: &HeaderMap) {
        if let Some(found) = RateLimit::from_headers(headers) {
            *self.rate_limit.lock().unwrap_or_else(|e| e.into_inner()) = Some(found);
        }
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
    pub async fn send(&self, mut request: Request) -> Result<Response> {
        self.options.defaults.apply(&mut request);
        let total = self.inner.transport.timeout();
        let stream = self.execute(&request, Some(total)).await?;
        let status = stream.status;
        let (headers, body) = stream
            .read_all(self.inner.transport.max_response_bytes())
            .await?;
        self.note_rate_limit(&headers);
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
    pub async fn send_streaming(&self, mut request: Request) -> Result<Download> {
        self.options.defaults.apply(&mut request);
        let stream = self.execute(&request, None).await?;
        self.note_rate_limit(&stream.headers);
        Ok(Download::new(request.operation, stream))
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
    fn defaults_fill_only_declared_unset_parameters() {
        let mut defaults = ParamDefaults::new();
        defaults.set(ParamIn::Query, "depth", 2);
        defaults.set(ParamIn::Query, "pretty", false);
        defaults.set(ParamIn::Header, "X-Contract-Number", 31);
        defaults.set(ParamIn::Query, "depth", 3);
        assert_eq!(defaults.get("depth"), Some("3"));

        let mut declared = Request::new("op", Method::GET, "/x")
            .defaults(&["depth", "pretty", "X-Contract-Number"])
            .query("pretty", true)
            .header("x-contract-number", 7);
        defaults.apply(&mut declared);
        assert_eq!(
            declared.query,
            vec![("pretty", "true".to_owned()), ("depth", "3".to_owned())]
        );
        assert_eq!(
            declared.headers,
            vec![("x-contract-number", "7".to_owned())]
        );

        let mut undeclared = Request::new("op", Method::GET, "/x");
        defaults.apply(&mut undeclared);
        assert!(undeclared.query.is_empty() && undeclared.headers.is_empty());
    }

    #[test]
    fn body_debug_hides_content() {
        let r = Request::new("op", Method::POST, "/x")
            .json(&serde_json::json!({"password": "hunter2"}))
            .unwrap();
        assert!(!format!("{r:?}").contains("hunter2"));
        let r = Request::new("op", Method::GET, "/x")
            .header("Authorization", "Basic c2VjcmV0")
            .header("X-SFTPGO-OTP", "123456")
            .header("X-SFTPGO-MTIME", "1700000000000")
            .query("api_key", "k3y");
        let shown = format!("{r:?}");
        for secret in ["c2VjcmV0", "123456", "k3y"] {
            assert!(!shown.contains(secret), "{secret}: {shown}");
        }
        assert!(shown.contains("1700000000000"));
    }
}
