//! IONOS Cloud API v6 runtime pieces: how the generated `panelkit-ionos`
//! client is configured ([`ClientBuilder`]), authenticated ([`IonosAuth`]),
//! how its errors are read ([`IonosErrors`]) and how its asynchronous
//! (`202 Accepted`) operations are tracked to completion ([`tracking`]).
//!
//! `depth`, `pretty` and `X-Contract-Number` are client defaults: set once on
//! the builder, they are sent on every operation that declares them (the
//! generated code lists them with [`crate::rest::Request::defaults`]) unless
//! the call passes its own value.

mod auth;
mod errors;
pub mod tracking;

use std::marker::PhantomData;
use std::sync::Arc;

pub use auth::{Credentials, IonosAuth, BASIC_SCHEME, SCHEMES, TOKEN_SCHEME};
pub use errors::{decode as decode_error, IonosErrors};
pub use tracking::{wait_for, Accepted, RequestHandle, RequestProgress, RequestState, WaitOptions};

use crate::http::{HttpConfig, HttpTransport};
use crate::rest::{ParamDefaults, ParamIn, RestClient, RestConfig, RestOptions, RetryPolicy};
use crate::{Error, Result, Secret};

/// The public endpoint (the spec's `servers[0]`).
pub const DEFAULT_API_URL: &str = "https://api.ionos.com/cloudapi/v6";
/// The spec's base path, added to an `IONOS_API_URL` that names only a host.
pub const BASE_PATH: &str = "/cloudapi/v6";

/// Environment variable: the user name for Basic authentication.
pub const ENV_USERNAME: &str = "IONOS_USERNAME";
/// Environment variable: the password for Basic authentication.
pub const ENV_PASSWORD: &str = "IONOS_PASSWORD";
/// Environment variable: a bearer token (preferred over user name/password).
pub const ENV_TOKEN: &str = "IONOS_TOKEN";
/// Environment variable: the API URL.
pub const ENV_API_URL: &str = "IONOS_API_URL";

/// Query parameter: how deep nested objects are expanded (0..=10).
pub const DEPTH: &str = "depth";
/// Query parameter: pretty-printed JSON answers.
pub const PRETTY: &str = "pretty";
/// Header: the contract to act on, for users with several contracts.
pub const CONTRACT_NUMBER: &str = "X-Contract-Number";
/// The parameters this runtime can default, as generated code lists them.
pub const DEFAULTABLE: &[&str] = &[DEPTH, PRETTY, CONTRACT_NUMBER];

/// Builds an IONOS client; `C` is the client type (the generated
/// `panelkit_ionos::Client`, or a bare [`RestClient`]).
#[must_use]
#[derive(Debug)]
pub struct ClientBuilder<C = RestClient> {
    url: String,
    username: Option<String>,
    password: Option<Secret>,
    token: Option<Secret>,
    http: HttpConfig,
    pin_error: Option<Error>,
    defaults: ParamDefaults,
    retry: RetryPolicy,
    client: PhantomData<fn() -> C>,
}

impl<C> Default for ClientBuilder<C> {
    fn default() -> Self {
        ClientBuilder {
            url: DEFAULT_API_URL.to_owned(),
            username: None,
            password: None,
            token: None,
            http: HttpConfig::default(),
            pin_error: None,
            defaults: ParamDefaults::default(),
            retry: RetryPolicy::default(),
            client: PhantomData,
        }
    }
}

impl<C: From<RestClient>> ClientBuilder<C> {
    /// A builder for the public endpoint, without credentials.
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder from the process environment: `IONOS_USERNAME` and
    /// `IONOS_PASSWORD`, or `IONOS_TOKEN` (used when set, as the IONOS SDKs
    /// do), and `IONOS_API_URL` (see [`ClientBuilder::from_lookup`]).
    pub fn from_env() -> Result<Self> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`ClientBuilder::from_env`], reading variables through `lookup`
    /// (empty values count as unset). `IONOS_API_URL` may name only a host
    /// (`https://api.ionos.com`), as the IONOS SDKs accept: the base path
    /// `/cloudapi/v6` is then added.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let get = |name: &str| lookup(name).filter(|v| !v.is_empty());
        let mut builder = Self::new();
        if let Some(url) = get(ENV_API_URL) {
            builder.url = with_base_path(&url)?;
        }
        builder.username = get(ENV_USERNAME);
        builder.password = get(ENV_PASSWORD).map(Secret::from);
        builder.token = get(ENV_TOKEN).map(Secret::from);
        if builder.token.is_none() && builder.username.is_none() {
            return Err(Error::config(format!(
                "no IONOS credentials in the environment: set {ENV_TOKEN}, or {ENV_USERNAME} and {ENV_PASSWORD}"
            )));
        }
        Ok(builder)
    }

    /// The API's base URL, used as given (include `/cloudapi/v6` for the real
    /// API; a mock server usually serves the paths at its root).
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.url = url.into();
        self
    }

    /// Authenticates with HTTP Basic.
    pub fn basic_auth(mut self, username: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.username = Some(username.into());
        self.password = Some(password.into());
        self.token = None;
        self
    }

    /// Authenticates with a bearer token.
    pub fn token(mut self, token: impl Into<Secret>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Default `depth` (0..=10) for every operation that declares it.
    /// ionosenterprise used 1.
    pub fn depth(mut self, depth: u8) -> Self {
        self.defaults.set(ParamIn::Query, DEPTH, depth);
        self
    }

    /// Default `pretty` for every operation that declares it (the API's own
    /// default is `true`; `false` makes answers smaller).
    pub fn pretty(mut self, pretty: bool) -> Self {
        self.defaults.set(ParamIn::Query, PRETTY, pretty);
        self
    }

    /// Default `X-Contract-Number` for every operation that declares it.
    pub fn contract_number(mut self, contract: i32) -> Self {
        self.defaults
            .set(ParamIn::Header, CONTRACT_NUMBER, contract);
        self
    }

    /// Transport settings (timeouts, TLS, user agent, body limit).
    pub fn http_config(mut self, http: HttpConfig) -> Self {
        self.http = http;
        self
    }

    /// How failed requests are retried (default [`RetryPolicy::default`]:
    /// idempotent requests on 429/502/503/504, timeouts and transport
    /// errors, honouring `Retry-After`, 4 attempts within 60 s).
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    crate::http::http_options!();

    /// Builds the client; nothing is sent yet.
    pub fn build(self) -> Result<C> {
        if let Some(e) = self.pin_error {
            return Err(e);
        }
        if let Some(depth) = self.defaults.get(DEPTH) {
            if depth.parse::<u8>().map_or(true, |d| d > 10) {
                return Err(Error::config(format!("depth {depth} is outside 0..=10")));
            }
        }
        let credentials = match (self.token, self.username, self.password) {
            (Some(token), _, _) if !token.is_empty() => Credentials::Token(token),
            (_, Some(username), Some(password)) => Credentials::Basic { username, password },
            (_, Some(_), None) => {
                return Err(Error::config(format!(
                    "a user name but no password: call .basic_auth(user, password) or set {ENV_PASSWORD}"
                )))
            }
            _ => {
                return Err(Error::config(
                    "no credentials: call .basic_auth(user, password) or .token(token)",
                ))
            }
        };
        let base_url = self.url.trim_end_matches('/').to_owned();
        reqwest::Url::parse(&base_url)
            .map_err(|e| Error::config(format!("invalid IONOS API URL {base_url:?}: {e}")))?;
        let transport = HttpTransport::new(self.http)?;
        Ok(C::from(RestClient::with_options(
            RestConfig {
                transport,
                base_url,
                auth: Arc::new(IonosAuth::new(credentials)),
                errors: Arc::new(IonosErrors),
            },
            RestOptions {
                panel: "ionos",
                retry: self.retry,
                defaults: self.defaults,
            },
        )))
    }
}

/// Per-call values of the client defaults: `client.with_depth(2)` is a
/// client (sharing connections, credentials and rate-limit state) whose
/// calls send `depth=2` on every operation that declares it, so
/// `client.with_depth(2).datacenters_find_by_id(id)` overrides the default for
/// one call without widening every generated signature.
pub trait PerCall: Sized {
    /// The same client with `depth` (0..=10; the API refuses more with a
    /// validation error).
    fn with_depth(&self, depth: u8) -> Self;
    /// The same client with `pretty`.
    fn with_pretty(&self, pretty: bool) -> Self;
    /// The same client acting on contract `contract` (`X-Contract-Number`).
    fn with_contract_number(&self, contract: i32) -> Self;
}

impl<C: From<RestClient> + AsRef<RestClient>> PerCall for C {
    fn with_depth(&self, depth: u8) -> Self {
        C::from(self.as_ref().with_default(ParamIn::Query, DEPTH, depth))
    }

    fn with_pretty(&self, pretty: bool) -> Self {
        C::from(self.as_ref().with_default(ParamIn::Query, PRETTY, pretty))
    }

    fn with_contract_number(&self, contract: i32) -> Self {
        C::from(
            self.as_ref()
                .with_default(ParamIn::Header, CONTRACT_NUMBER, contract),
        )
    }
}

/// `url` with `/cloudapi/v6` added when it names only a host.
fn with_base_path(url: &str) -> Result<String> {
    let parsed = reqwest::Url::parse(url)
        .map_err(|e| Error::config(format!("{ENV_API_URL}={url:?} is not a URL: {e}")))?;
    let trimmed = url.trim_end_matches('/');
    Ok(if parsed.path() == "/" || parsed.path().is_empty() {
        format!("{trimmed}{BASE_PATH}")
    } else {
        trimmed.to_owned()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn env_token_wins_and_host_gets_base_path() {
        let b = ClientBuilder::<RestClient>::from_lookup(env(&[
            (ENV_USERNAME, "u@example.com"),
            (ENV_PASSWORD, "pw-secret"),
            (ENV_TOKEN, "tok-secret"),
            (ENV_API_URL, "https://api.example.test/"),
        ]))
        .unwrap();
        assert_eq!(b.url, "https://api.example.test/cloudapi/v6");
        let shown = format!("{b:?}");
        assert!(
            !shown.contains("pw-secret") && !shown.contains("tok-secret"),
            "{shown}"
        );
        let client = b.build().unwrap();
        assert_eq!(client.base_url(), "https://api.example.test/cloudapi/v6");
        assert!(!format!("{client:?}").contains("tok-secret"));
    }

    #[test]
    fn env_without_credentials_is_a_config_error() {
        let e = ClientBuilder::<RestClient>::from_lookup(env(&[(ENV_TOKEN, "")])).unwrap_err();
        assert!(matches!(e, Error::Config { .. }));
        assert!(e.to_string().contains(ENV_TOKEN));
        let e = ClientBuilder::<RestClient>::from_lookup(env(&[(ENV_USERNAME, "u")]))
            .unwrap()
            .build()
            .unwrap_err();
        assert!(e.to_string().contains(ENV_PASSWORD), "{e}");
    }

    #[test]
    fn env_url_with_path_is_kept_and_default_is_public() {
        let b = ClientBuilder::<RestClient>::from_lookup(env(&[
            (ENV_TOKEN, "t"),
            (ENV_API_URL, "http://127.0.0.1:9/custom/v6/"),
        ]))
        .unwrap();
        assert_eq!(b.url, "http://127.0.0.1:9/custom/v6");
        let b = ClientBuilder::<RestClient>::from_lookup(env(&[(ENV_TOKEN, "t")])).unwrap();
        assert_eq!(b.url, DEFAULT_API_URL);
        assert!(ClientBuilder::<RestClient>::from_lookup(env(&[
            (ENV_TOKEN, "t"),
            (ENV_API_URL, "not a url")
        ]))
        .is_err());
    }

    #[test]
    fn depth_is_bounded() {
        let e = ClientBuilder::<RestClient>::new()
            .token("t")
            .depth(11)
            .build()
            .unwrap_err();
        assert!(e.to_string().contains("depth 11"));
        let c = ClientBuilder::<RestClient>::new()
            .token("t")
            .depth(10)
            .pretty(false)
            .contract_number(42)
            .build()
            .unwrap();
        assert_eq!(c.defaults().get(DEPTH), Some("10"));
        assert_eq!(c.defaults().get(CONTRACT_NUMBER), Some("42"));
        let per_call = c.with_depth(3).with_contract_number(7).with_pretty(true);
        assert_eq!(per_call.defaults().get(DEPTH), Some("3"));
        assert_eq!(per_call.defaults().get(CONTRACT_NUMBER), Some("7"));
        assert_eq!(per_call.defaults().get(PRETTY), Some("true"));
        assert_eq!(
            c.defaults().get(DEPTH),
            Some("10"),
            "the original is unchanged"
        );
    }
}
