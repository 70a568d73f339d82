//! DCImanager 6's runtime pieces: how a client is configured and
//! authenticated, how errors are read, how 503 answers are retried, how lists
//! are paged, and a dynamic [`call`] for any endpoint.
//!
//! The API lives at `https://HOST/api/{service}/{version}/{function}`
//! ([`Service`]). A [`ClientBuilder`] makes a [`RestClient`] (or the
//! generated client wrapping one) whose base URL is `https://HOST`, so
//! request paths are whole: `/api/{service}/{version}/...`.
//!
//! - Auth ([`auth`]): email + password (lazy login, renewed once,
//!   single-flight, when the panel forgets an idle token), a one-time key, or
//!   a given (long-lived) token; the token travels as the `x-xsrf-token`
//!   header and the `ses6` cookie; `isp-box-instance: true` on request.
//! - Errors ([`errors`]): `{"error": {"code", "msg", "value"}}` into
//!   [`Error`]; anything else into [`Error::UnexpectedResponse`].
//! - 503: the panel suspends idle services and answers 503 until they are up;
//!   the shared [`RetryPolicy`] is configured to retry it for every method
//!   (the request was not processed), bounded in attempts and total time
//!   ([`default_retry`], [`ClientBuilder::retry`]).
//! - Lists ([`list()`], [`filter`]): `limit=offset,count` pages as a stream,
//!   `where=` and `orderby=` builders.
//!
//! ```no_run
//! # async fn demo() -> panelkit_core::Result<()> {
//! use panelkit_core::dcimanager::{self, ClientBuilder, OrderBy, Service, Where};
//! use panelkit_core::rest::{Method, RestClient};
//!
//! let client: RestClient = ClientBuilder::new()
//!     .url("https://dci.example.com")
//!     .credentials("admin@example.com", "secret") // kept as a Secret; login is lazy
//!     .build()?;
//! // Any endpoint, documented or not:
//! let server = dcimanager::call(&client, Service::Dci, "v3", Method::GET, "/server/2", None).await?;
//! // Every free server, newest first, 100 per request:
//! let mut free = dcimanager::list(Service::Dci, "/server")?
//!     .filter(Where::is_null("owner_email").and(Where::eq("is_new", false)))
//!     .order(OrderBy::desc("id"))
//!     .stream::<serde_json::Value>(client.clone());
//! while let Some(server) = free.try_next().await? {
//!     println!("{}", server["id"]);
//! }
//! # let _ = server;
//! # Ok(())
//! # }
//! ```

pub mod auth;
pub mod errors;
pub mod filter;
pub mod list;

use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;
use serde_json::Value;

pub use filter::{FilterValue, OrderBy, Where};
pub use list::{ListQuery, ListStream, Page};

use crate::http::{HttpConfig, HttpTransport};
use crate::rest::{Method, Request, RestClient, RestConfig, RestOptions, RetryPolicy};
use crate::{Error, Result, Secret};

/// The prefix every API path sits under.
pub const API_PREFIX: &str = "/api";

/// The security scheme name generated operations use for "needs a token".
pub const AUTH_SCHEME: &str = "ses6";

/// `auth` argument of requests that need a token.
pub const AUTHENTICATED: &[&str] = &[AUTH_SCHEME];

/// The panel's internal services.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Service {
    /// `auth`: authorization (v4).
    Auth,
    /// `dci`: the platform's main service (v3).
    Dci,
    /// `eservice`: equipment management (v3).
    Eservice,
    /// `ip`: IPmanager, addresses, pools and networks (v3).
    Ip,
    /// `ipmiproxy`: proxy for BMC connections (v3).
    Ipmiproxy,
    /// `ldap`: LDAP synchronization (v4).
    Ldap,
}

impl Service {
    /// The path segment.
    pub fn as_str(self) -> &'static str {
        match self {
            Service::Auth => "auth",
            Service::Dci => "dci",
            Service::Eservice => "eservice",
            Service::Ip => "ip",
            Service::Ipmiproxy => "ipmiproxy",
            Service::Ldap => "ldap",
        }
    }

    /// The API version the documentation gives for the service.
    pub fn version(self) -> &'static str {
        match self {
            Service::Auth | Service::Ldap => "v4",
            _ => "v3",
        }
    }

    /// The service named `name`.
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "auth" => Service::Auth,
            "dci" => Service::Dci,
            "eservice" => Service::Eservice,
            "ip" => Service::Ip,
            "ipmiproxy" => Service::Ipmiproxy,
            "ldap" => Service::Ldap,
            _ => return None,
        })
    }
}

/// The retry policy: a 503 (a suspended service; the request was not
/// processed) is retried for every method, as the vendor's example does; GET
/// and DELETE are also retried after timeouts and transport errors. Up to 10
/// attempts (the vendor's example), backoff from 100 ms doubling to 5 s, no
/// retry started after 60 s.
pub fn default_retry() -> RetryPolicy {
    RetryPolicy {
        statuses: Vec::new(),
        unprocessed_statuses: vec![503],
        max_attempts: 10,
        initial_backoff: Duration::from_millis(100),
        max_backoff: Duration::from_secs(5),
        max_elapsed: Duration::from_secs(60),
        retry_non_idempotent: false,
    }
}

/// Builds a DCImanager 6 client; `C` is the client type (the generated
/// `panelkit_dcimanager::Client`, or a bare [`RestClient`]).
#[must_use]
#[derive(Debug)]
pub struct ClientBuilder<C = RestClient> {
    url: Option<String>,
    credentials: Option<auth::Credentials>,
    box_instance: bool,
    http: HttpConfig,
    pin_error: Option<Error>,
    retry: RetryPolicy,
    client: PhantomData<fn() -> C>,
}

impl<C> Default for ClientBuilder<C> {
    fn default() -> Self {
        ClientBuilder {
            url: None,
            credentials: None,
            box_instance: false,
            http: HttpConfig::default(),
            pin_error: None,
            retry: default_retry(),
            client: PhantomData,
        }
    }
}

impl<C: From<RestClient>> ClientBuilder<C> {
    /// A builder with defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// The panel's address, `https://HOST`.
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.url = Some(url.into());
        self
    }

    /// Logs in with an account's email and password (lazily, and again when
    /// the panel forgets the token).
    pub fn credentials(mut self, email: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.credentials = Some(auth::Credentials::Password {
            email: email.into(),
            password: password.into(),
        });
        self
    }

    /// Logs in once with a one-time key (see [`user_key`]).
    pub fn key(mut self, key: impl Into<Secret>) -> Self {
        self.credentials = Some(auth::Credentials::Key(key.into()));
        self
    }

    /// Uses a token obtained elsewhere (for example [`create_token`]); it is
    /// never renewed.
    pub fn token(mut self, token: impl Into<Secret>) -> Self {
        self.credentials = Some(auth::Credentials::Token(token.into()));
        self
    }

    /// Sends `isp-box-instance: true`, as the panel wants for requests made
    /// on its own host.
    pub fn box_instance(mut self, yes: bool) -> Self {
        self.box_instance = yes;
        self
    }

    crate::http::http_options!();

    /// How 503 answers are retried (default [`default_retry`]).
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Builds the client; nothing is sent yet.
    pub fn build(self) -> Result<C> {
        if let Some(e) = self.pin_error {
            return Err(e);
        }
        let url = self
            .url
            .ok_or_else(|| Error::config("no URL: call .url(\"https://HOST\")"))?;
        reqwest::Url::parse(&url).map_err(|e| Error::config(format!("invalid URL: {e}")))?;
        let credentials = self.credentials.ok_or_else(|| {
            Error::config(
                "no credentials: call .credentials(email, password), .key(..) or .token(..)",
            )
        })?;
        let transport = HttpTransport::new(self.http)?;
        let base_url = url.trim_end_matches('/').to_owned();
        Ok(C::from(RestClient::with_options(
            RestConfig {
                transport,
                base_url,
                auth: Arc::new(auth::DciAuth::new(credentials, self.box_instance)),
                errors: Arc::new(errors::DciErrors),
            },
            RestOptions {
                panel: "dcimanager",
                retry: self.retry,
                ..RestOptions::default()
            },
        )))
    }
}

/// The path of `function` in `service`/`version`: `/api/{service}/{version}{function}`.
/// `function` starts with `/` and holds no `..`, `?` or `#` (query parameters
/// go elsewhere).
pub fn path(service: Service, version: &str, function: &str) -> Result<String> {
    let version_ok = version.len() > 1
        && version.starts_with('v')
        && version[1..].bytes().all(|b| b.is_ascii_digit());
    if !version_ok {
        return Err(Error::config(format!(
            "API version {version:?}: expected v3, v4, ..."
        )));
    }
    let function_ok = function.starts_with('/')
        && !function.contains(['?', '#'])
        && !function.split('/').any(|s| s == ".." || s == ".");
    if !function_ok {
        return Err(Error::config(format!(
            "function path {function:?}: must start with '/' and hold no '..', '?' or '#'"
        )));
    }
    Ok(format!(
        "{API_PREFIX}/{}/{version}{function}",
        service.as_str()
    ))
}

/// Calls any endpoint: `method` on `/api/{service}/{version}{function}` with
/// a JSON `body`, authenticated. The answer as JSON; an empty answer is
/// `Value::Null`.
pub async fn call(
    client: &RestClient,
    service: Service,
    version: &str,
    method: Method,
    function: &str,
    body: Option<&Value>,
) -> Result<Value> {
    let mut request =
        Request::new("call", method, path(service, version, function)?).auth(AUTHENTICATED);
    if let Some(body) = body {
        request = request.json(body)?;
    }
    let answer = client.send(request).await?;
    if answer.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    answer.json()
}

/// A one-time login key for a user (`POST /api/auth/v4/user/{user}/key`;
/// `user` is an email or an id). The key is valid for an hour; log in with
/// [`ClientBuilder::key`], or send the user to `https://HOST/auth/key-v4/<key>`.
pub async fn user_key(client: &RestClient, user: &str) -> Result<Secret> {
    #[derive(Deserialize)]
    struct Answer {
        key: String,
    }
    let path = format!("/api/auth/v4/user/{}/key", crate::rest::path_segment(user));
    let request = Request::new("auth_user_key", Method::POST, path)
        .auth(AUTHENTICATED)
        .json(&serde_json::json!({}))?;
    let answer = client.send(request).await?;
    // No excerpt on failure: the body would hold the key.
    let key: Answer = serde_json::from_slice(&answer.body).map_err(|_| {
        Error::unexpected(
            Some(answer.status),
            "auth_user_key: answer has no \"key\" string",
            b"",
        )
    })?;
    Ok(Secret::new(key.key))
}

/// A token with a chosen expiry (`POST /api/auth/v4/token {expires_at,
/// description}`; `expires_at` as `YYYY-MM-DD HH:MM:SS`), for integrations:
/// use it with [`ClientBuilder::token`]. The documentation does not show the
/// answer; the token is read from its `token` field, as in the answers of
/// the login endpoints.
pub async fn create_token(
    client: &RestClient,
    expires_at: &str,
    description: &str,
) -> Result<Secret> {
    #[derive(Deserialize)]
    struct Answer {
        token: String,
    }
    let request = Request::new("auth_token_create", Method::POST, "/api/auth/v4/token")
        .auth(AUTHENTICATED)
        .json(&serde_json::json!({"expires_at": expires_at, "description": description}))?;
    let answer = client.send(request).await?;
    let token: Answer = serde_json::from_slice(&answer.body).map_err(|_| {
        Error::unexpected(
            Some(answer.status),
            "auth_token_create: answer has no \"token\" string",
            b"",
        )
    })?;
    Ok(Secret::new(token.token))
}

/// The list at `function` in `service` (at its documented version); add a
/// filter and an order, then read it with [`ListQuery::stream`].
pub fn list(service: Service, function: &str) -> Result<ListQuery> {
    Ok(ListQuery::new(
        "list",
        path(service, service.version(), function)?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(
            path(Service::Dci, "v3", "/server/2").unwrap(),
            "/api/dci/v3/server/2"
        );
        assert_eq!(
            path(Service::Auth, "v4", "/public/token").unwrap(),
            "/api/auth/v4/public/token"
        );
        for bad in ["server", "/a/../b", "/a?x=1", "/a#f", "/./a"] {
            assert!(path(Service::Dci, "v3", bad).is_err(), "{bad}");
        }
        assert!(path(Service::Dci, "3", "/server").is_err());
        assert!(path(Service::Dci, "v", "/server").is_err());
    }

    #[test]
    fn services_round_trip() {
        for s in [
            Service::Auth,
            Service::Dci,
            Service::Eservice,
            Service::Ip,
            Service::Ipmiproxy,
            Service::Ldap,
        ] {
            assert_eq!(Service::parse(s.as_str()), Some(s));
        }
        assert_eq!(Service::Ldap.version(), "v4");
        assert_eq!(Service::Ipmiproxy.version(), "v3");
    }

    #[test]
    fn builder_debug_redacts() {
        let b = ClientBuilder::<RestClient>::new()
            .url("https://panel.example")
            .credentials("admin@example.com", "hunter2");
        let shown = format!("{b:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        let b = ClientBuilder::<RestClient>::new().token("tok-123");
        assert!(!format!("{b:?}").contains("tok-123"));
        let b = ClientBuilder::<RestClient>::new().key("key-123");
        assert!(!format!("{b:?}").contains("key-123"));
    }

    #[test]
    fn build_needs_url_and_credentials() {
        assert!(matches!(
            ClientBuilder::<RestClient>::new().build(),
            Err(Error::Config { .. })
        ));
        assert!(matches!(
            ClientBuilder::<RestClient>::new().url("https://x").build(),
            Err(Error::Config { .. })
        ));
        assert!(matches!(
            ClientBuilder::<RestClient>::new()
                .url("not a url")
                .token("t")
                .build(),
            Err(Error::Config { .. })
        ));
    }
}
