//! SFTPGo's runtime pieces: how the generated `panelkit-sftpgo` client is
//! configured, authenticated and how its errors are read.
//!
//! ```no_run
//! # fn f() -> panelkit_core::Result<()> {
//! let client: panelkit_core::rest::RestClient = panelkit_core::sftpgo::ClientBuilder::new()
//!     .url("https://sftpgo.example.com:8080")
//!     .admin("admin", "secret")          // JWT from GET /token, renewed as needed
//!     .user("alice", "alice-secret")     // JWT from GET /user/token for /user/... paths
//!     .build()?;
//! # Ok(()) }
//! ```
//!
//! Credentials: [`ClientBuilder::admin`] and [`ClientBuilder::user`] log in
//! with Basic credentials for a JWT (with an optional `X-SFTPGO-OTP`
//! passcode), renewed before it expires and once after a 401;
//! [`ClientBuilder::api_key`] / [`ClientBuilder::api_key_for_user`] send
//! `X-SFTPGO-API-KEY`; [`ClientBuilder::bearer_token`] a JWT obtained
//! elsewhere. Each request carries exactly one of them, picked among the
//! operation's schemes by what is configured: a login's JWT first, then an
//! API key, then a static bearer token; Basic only where an operation takes
//! nothing else (the token endpoints, public shares). Paths under `/user/`
//! use the user login, all others the admin login.

mod auth;
mod errors;
mod token;

use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

pub use auth::API_KEY_HEADER;
pub use errors::SftpgoErrors;
pub use token::{parse_rfc3339, Otp, Realm};

use crate::http::{HttpConfig, HttpTransport};
use crate::rest::{RestClient, RestConfig, RestOptions, RetryPolicy};
use crate::{Error, Result, Secret};
use auth::{Credentials, SftpgoAuth};
use token::TokenSource;

/// The spec's API prefix (`servers: [{url: /api/v2}]`).
pub const API_PREFIX: &str = "/api/v2";

/// How long before a JWT expires it is replaced (SFTPGo's tokens live
/// 20 minutes).
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// Builds an SFTPGo client; `C` is the client type (the generated
/// `panelkit_sftpgo::Client`, or a bare [`RestClient`]). `Debug` never
/// shows passwords, keys, tokens or passcodes.
#[must_use]
#[derive(Debug)]
pub struct ClientBuilder<C = RestClient> {
    url: Option<String>,
    prefix: String,
    admin: Option<(String, Secret)>,
    user: Option<(String, Secret)>,
    api_key: Option<Secret>,
    bearer: Option<Secret>,
    share: Option<(String, Secret)>,
    otp: Option<Otp>,
    refresh_margin: Duration,
    retry: RetryPolicy,
    http: HttpConfig,
    pin_error: Option<Error>,
    client: PhantomData<fn() -> C>,
}

impl<C> Default for ClientBuilder<C> {
    fn default() -> Self {
        ClientBuilder {
            url: None,
            prefix: API_PREFIX.to_owned(),
            admin: None,
            user: None,
            api_key: None,
            bearer: None,
            share: None,
            otp: None,
            refresh_margin: DEFAULT_REFRESH_MARGIN,
            retry: RetryPolicy::default(),
            http: HttpConfig::default(),
            pin_error: None,
            client: PhantomData,
        }
    }
}

impl<C: From<RestClient>> ClientBuilder<C> {
    /// A builder with defaults: TLS verified against system roots, 60 s
    /// timeout, retries per [`RetryPolicy::default`].
    pub fn new() -> Self {
        Self::default()
    }

    /// The server's address, `https://host:8080` (the `/api/v2` prefix is added).
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.url = Some(url.into());
        self
    }

    /// Replaces the API prefix (`/api/v2`); `""` for mock servers that serve
    /// routes without it.
    pub fn api_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// Logs in as an admin: Basic credentials → JWT via `GET /token`, used
    /// for the admin API (every path outside `/user/`).
    pub fn admin(mut self, username: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.admin = Some((username.into(), password.into()));
        self
    }

    /// Logs in as a user: Basic credentials → JWT via `GET /user/token`,
    /// used for the user API (paths under `/user/`).
    pub fn user(mut self, username: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.user = Some((username.into(), password.into()));
        self
    }

    /// Sends this `X-SFTPGO-OTP` passcode with every login (2FA).
    pub fn otp(mut self, passcode: impl Into<Secret>) -> Self {
        self.otp = Some(Otp::Static(passcode.into()));
        self
    }

    /// Asks `provider` for the `X-SFTPGO-OTP` passcode at each login (a
    /// TOTP generator, a prompt); `None` sends none.
    pub fn otp_provider(
        mut self,
        provider: impl Fn(Realm) -> Option<Secret> + Send + Sync + 'static,
    ) -> Self {
        self.otp = Some(Otp::Provider(Arc::new(provider)));
        self
    }

    /// Authenticates with an API key (`X-SFTPGO-API-KEY`) bound to an admin
    /// or user.
    pub fn api_key(mut self, key: impl Into<Secret>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// Authenticates with an API key not bound to anyone, acting as
    /// `username` (SFTPGo's `KEY.username` form).
    pub fn api_key_for_user(mut self, key: impl Into<Secret>, username: &str) -> Self {
        let key = key.into();
        self.api_key = Some(Secret::new(format!("{}.{username}", key.expose())));
        self
    }

    /// Authenticates with a JWT obtained elsewhere (not renewed).
    pub fn bearer_token(mut self, token: impl Into<Secret>) -> Self {
        self.bearer = Some(token.into());
        self
    }

    /// Basic credentials for the public `/shares/{id}` operations (the
    /// share owner's username and the share's password).
    pub fn share_credentials(
        mut self,
        username: impl Into<String>,
        password: impl Into<Secret>,
    ) -> Self {
        self.share = Some((username.into(), password.into()));
        self
    }

    /// How long before a JWT expires it is replaced (default 60 s; at most
    /// half the token's lifetime).
    pub fn token_refresh_margin(mut self, margin: Duration) -> Self {
        self.refresh_margin = margin;
        self
    }

    /// Replaces the retry policy ([`RetryPolicy::none`] turns retries off).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    crate::http::http_options!();

    /// Largest answer read whole, in bytes (default 256 MiB; streamed
    /// downloads have no limit).
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.http.max_response_bytes = bytes;
        self
    }

    /// Builds the client; nothing is sent yet (logins happen on first use).
    pub fn build(self) -> Result<C> {
        if let Some(e) = self.pin_error {
            return Err(e);
        }
        let url = self
            .url
            .ok_or_else(|| Error::config("no URL: call .url(\"https://HOST:8080\")"))?;
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return Err(Error::config(format!(
                "URL must start with https:// or http://, got {url:?}"
            )));
        }
        let source = |realm, login: Option<(String, Secret)>| -> Result<Option<Arc<TokenSource>>> {
            match login {
                Some((username, _)) if username.is_empty() => {
                    Err(Error::config(format!("empty {realm:?} username")))
                }
                Some((username, password)) => Ok(Some(Arc::new(TokenSource::new(
                    realm,
                    username,
                    password,
                    self.otp.clone(),
                    self.refresh_margin,
                )))),
                None => Ok(None),
            }
        };
        let credentials = Credentials {
            admin: source(Realm::Admin, self.admin)?,
            user: source(Realm::User, self.user)?,
            api_key: self.api_key,
            bearer: self.bearer,
            share: self.share,
        };
        let transport = HttpTransport::new(self.http)?;
        let base_url = format!("{}{}", url.trim_end_matches('/'), self.prefix);
        Ok(C::from(RestClient::with_options(
            RestConfig {
                transport,
                base_url,
                auth: Arc::new(SftpgoAuth { credentials }),
                errors: Arc::new(SftpgoErrors),
            },
            RestOptions {
                panel: "sftpgo",
                retry: self.retry,
                ..RestOptions::default()
            },
        )))
    }
}
