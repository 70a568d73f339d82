//! Configuration of an ISPConfig client.

use std::marker::PhantomData;
use std::time::Duration;

use super::session::{Session, SessionConfig};
use crate::http::{HttpConfig, HttpTransport};
use crate::soap::DecodeLimits;
use crate::{Error, Result, Secret};

/// The panel's session lifetime: 1800 s from login, not extended by use.
pub const SESSION_LIFETIME: Duration = Duration::from_secs(1800);

/// How long before the lifetime ends a session is replaced proactively.
pub const REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// Builds an ISPConfig client. `C` is the client type to build (the generated
/// `panelkit_ispconfig::Client`, or a bare [`Session`]).
///
/// ```no_run
/// # async fn f() -> panelkit_core::Result<()> {
/// let session: panelkit_core::ispconfig::Session = panelkit_core::ispconfig::ClientBuilder::new()
///     .url("https://panel.example.com:8080/remote/index.php")
///     .credentials("remote_user", "secret")
///     .build()?;
/// # Ok(()) }
/// ```
#[must_use]
pub struct ClientBuilder<C = Session> {
    url: Option<String>,
    user: Option<String>,
    password: Option<Secret>,
    client_login: bool,
    http: HttpConfig,
    pin_error: Option<Error>,
    session_lifetime: Duration,
    refresh_margin: Duration,
    limits: DecodeLimits,
    client: PhantomData<fn() -> C>,
}

impl<C> std::fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("url", &self.url)
            .field("user", &self.user)
            .field("password", &self.password)
            .field("client_login", &self.client_login)
            .field("http", &self.http)
            .finish_non_exhaustive()
    }
}

impl<C> Default for ClientBuilder<C> {
    fn default() -> Self {
        ClientBuilder {
            url: None,
            user: None,
            password: None,
            client_login: false,
            http: HttpConfig::default(),
            pin_error: None,
            session_lifetime: SESSION_LIFETIME,
            refresh_margin: REFRESH_MARGIN,
            limits: DecodeLimits::default(),
            client: PhantomData,
        }
    }
}

impl<C: From<Session>> ClientBuilder<C> {
    /// A builder with defaults: TLS verified against system roots, 60 s request
    /// timeout, 1800 s session lifetime.
    pub fn new() -> Self {
        Self::default()
    }

    /// The remote API endpoint, usually `https://HOST:8080/remote/index.php`.
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.url = Some(url.into());
        self
    }

    /// The remote user (System → Remote Users), not a panel login.
    pub fn credentials(mut self, user: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.user = Some(user.into());
        self.password = Some(password.into());
        self
    }

    /// Log in as a panel client (`login(..., client_login = true)`) instead of a
    /// remote user; the panel must allow remote access for that client.
    pub fn client_login(mut self, yes: bool) -> Self {
        self.client_login = yes;
        self
    }

    crate::http::http_options!();

    /// The panel's session lifetime, if it was changed from 1800 s.
    pub fn session_lifetime(mut self, lifetime: Duration) -> Self {
        self.session_lifetime = lifetime;
        self
    }

    /// Largest answer accepted, in bytes (default 256 MiB).
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.http.max_response_bytes = bytes;
        self.limits.max_bytes = bytes;
        self
    }

    /// Deepest nesting accepted in an answer (default 128).
    pub fn max_depth(mut self, depth: usize) -> Self {
        self.limits.max_depth = depth;
        self
    }

    /// Builds the client. Nothing is sent yet: login happens on the first call.
    pub fn build(self) -> Result<C> {
        if let Some(e) = self.pin_error {
            return Err(e);
        }
        let url = self.url.ok_or_else(|| {
            Error::config("no URL: call .url(\"https://HOST:8080/remote/index.php\")")
        })?;
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return Err(Error::config(format!(
                "URL must start with https:// or http://, got {url:?}"
            )));
        }
        let (user, password) = match (self.user, self.password) {
            (Some(u), Some(p)) if !u.is_empty() => (u, p),
            _ => {
                return Err(Error::config(
                    "no credentials: call .credentials(remote_user, password)",
                ))
            }
        };
        let margin = self.refresh_margin.min(self.session_lifetime / 2);
        let transport = HttpTransport::new(self.http)?;
        let session = Session::new(SessionConfig {
            transport,
            url,
            user,
            password,
            client_login: self.client_login,
            lifetime: self.session_lifetime,
            refresh_margin: margin,
            limits: self.limits,
        });
        Ok(C::from(session))
    }
}
