//! SFTPGo's runtime pieces: how the generated `panelkit-sftpgo` client is
//! configured, authenticated and how its errors are read.
//!
//! Minimal first version: a static API key or bearer token. JWT from Basic
//! credentials (`GET /token`, `GET /user/token`), renewal and the 401 retry
//! come next.

use std::marker::PhantomData;
use std::sync::Arc;

use crate::http::{HttpConfig, HttpRequest, HttpTransport};
use crate::rest::{Auth, BoxFuture, ParamDefaults, RestClient, RestConfig, StatusErrors};
use crate::{Error, Result, Secret};

/// The spec's API prefix (`servers: [{url: /api/v2}]`).
pub const API_PREFIX: &str = "/api/v2";

/// How requests are authenticated.
#[derive(Debug)]
enum Credentials {
    /// `X-SFTPGO-API-KEY`.
    ApiKey(Secret),
    /// `Authorization: Bearer`.
    Bearer(Secret),
}

#[derive(Debug)]
struct SftpgoAuth {
    credentials: Credentials,
}

impl Auth for SftpgoAuth {
    fn authorize<'a>(
        &'a self,
        _client: &'a RestClient,
        request: &'a mut HttpRequest,
        schemes: &'static [&'static str],
    ) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            match &self.credentials {
                Credentials::ApiKey(key) if schemes.contains(&"APIKeyAuth") => {
                    request
                        .headers
                        .push(("X-SFTPGO-API-KEY".to_owned(), key.expose().to_owned()));
                    Ok(())
                }
                Credentials::Bearer(token) if schemes.contains(&"BearerAuth") => {
                    request.headers.push((
                        "Authorization".to_owned(),
                        format!("Bearer {}", token.expose()),
                    ));
                    Ok(())
                }
                _ => Err(Error::config(format!(
                    "the configured credentials do not fit this operation (it accepts {schemes:?})"
                ))),
            }
        })
    }
}

/// Builds an SFTPGo client; `C` is the client type (the generated
/// `panelkit_sftpgo::Client`, or a bare [`RestClient`]).
#[must_use]
#[derive(Debug)]
pub struct ClientBuilder<C = RestClient> {
    url: Option<String>,
    prefix: String,
    credentials: Option<Credentials>,
    http: HttpConfig,
    client: PhantomData<fn() -> C>,
}

impl<C> Default for ClientBuilder<C> {
    fn default() -> Self {
        ClientBuilder {
            url: None,
            prefix: API_PREFIX.to_owned(),
            credentials: None,
            http: HttpConfig::default(),
            client: PhantomData,
        }
    }
}

impl<C: From<RestClient>> ClientBuilder<C> {
    /// A builder with defaults.
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

    /// Authenticates with an API key (`X-SFTPGO-API-KEY`).
    pub fn api_key(mut self, key: impl Into<Secret>) -> Self {
        self.credentials = Some(Credentials::ApiKey(key.into()));
        self
    }

    /// Authenticates with a JWT obtained elsewhere.
    pub fn bearer_token(mut self, token: impl Into<Secret>) -> Self {
        self.credentials = Some(Credentials::Bearer(token.into()));
        self
    }

    /// Builds the client; nothing is sent yet.
    pub fn build(self) -> Result<C> {
        let url = self
            .url
            .ok_or_else(|| Error::config("no URL: call .url(\"https://HOST:8080\")"))?;
        let credentials = self.credentials.ok_or_else(|| {
            Error::config("no credentials: call .api_key(..) or .bearer_token(..)")
        })?;
        let transport = HttpTransport::new(self.http)?;
        let base_url = format!("{}{}", url.trim_end_matches('/'), self.prefix);
        Ok(C::from(RestClient::new(RestConfig {
            transport,
            base_url,
            auth: Arc::new(SftpgoAuth { credentials }),
            errors: Arc::new(StatusErrors),
            defaults: ParamDefaults::default(),
        })))
    }
}
