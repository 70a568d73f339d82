//! Configuration of an ISPConfig client.

use std::marker::PhantomData;
use std::time::Duration;

use super::gate::GateConfig;
use super::json::RemoteMethod;
use super::session::{Session, SessionConfig};
use crate::http::{HttpConfig, HttpTransport};
use crate::soap::DecodeLimits;
use crate::{Error, Result, Secret};

/// The panel's session lifetime: 1800 s from login, not extended by use.
pub const SESSION_LIFETIME: Duration = Duration::from_secs(1800);

/// How long before the lifetime ends a session is replaced proactively.
pub const REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// How long after a login or a successful call the session counts as alive
/// (calls go out freely); after that, one call goes first and the others wait
/// for it. Short, because sessions die early for reasons a client cannot see,
/// and long enough that steady traffic never waits.
pub const CONFIRM_WINDOW: Duration = Duration::from_secs(5);

/// Calls on the wire at once per client (clones share the bound). Below the
/// panel's lockout threshold of 10: if a session dies while confirmed, at most
/// this many calls carry the dead id, so the single re-login still gets in
/// (with room for two failures counted from other tools on the same IP) and
/// clears the count. Also about what a panel's PHP pool serves at once
/// without starving its web interface.
pub const MAX_IN_FLIGHT: usize = 8;

/// How calls travel to the panel.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Transport {
    /// SOAP at `remote/index.php` (PHP `SoapServer`), the default.
    #[default]
    Soap,
    /// JSON at `remote/json.php` (same methods, sessions and lockout; works
    /// on panels whose PHP lacks the SOAP extension). Needs the method
    /// table of the generated crate ([`ClientBuilder::remote_methods`]).
    Json,
}

impl Transport {
    /// The endpoint file of the transport.
    fn file(self) -> &'static str {
        match self {
            Transport::Soap => "index.php",
            Transport::Json => "json.php",
        }
    }

    /// The transport a URL names by its file (`…/remote/json.php` is JSON),
    /// if it names one.
    fn of_url(url: &str) -> Option<Transport> {
        let path = url.split(['?', '#']).next().unwrap_or_default();
        [Transport::Soap, Transport::Json]
            .into_iter()
            .find(|t| path.ends_with(&format!("/{}", t.file())))
    }
}

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
    confirm_window: Duration,
    max_in_flight: usize,
    transport: Option<Transport>,
    methods: &'static [RemoteMethod],
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
            .field("confirm_window", &self.confirm_window)
            .field("max_in_flight", &self.max_in_flight)
            .field("transport", &self.transport)
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
            confirm_window: CONFIRM_WINDOW,
            max_in_flight: MAX_IN_FLIGHT,
            transport: None,
            methods: &[],
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

    /// The remote API endpoint, usually `https://HOST:8080/remote/index.php`
    /// (SOAP); `…/remote/json.php` picks the JSON transport.
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

    /// The transport, whatever the URL's file says: the URL's `index.php` or
    /// `json.php` is swapped for the transport's own. Without this call the
    /// URL decides (`json.php` is JSON, anything else SOAP).
    pub fn transport(mut self, transport: Transport) -> Self {
        self.transport = Some(transport);
        self
    }

    /// The parameter names, defaults and fault messages of every remote
    /// method (sorted by name), which the JSON transport needs; the
    /// generated `panelkit_ispconfig::Client::builder()` installs its own.
    pub fn remote_methods(mut self, methods: &'static [RemoteMethod]) -> Self {
        self.methods = methods;
        self
    }

    crate::http::http_options!();

    /// The panel's session lifetime, if it was changed from 1800 s.
    pub fn session_lifetime(mut self, lifetime: Duration) -> Self {
        self.session_lifetime = lifetime;
        self
    }

    /// How long after a login or a successful call the session is trusted
    /// (default [`CONFIRM_WINDOW`], 5 s): within it calls go out at once;
    /// after it the next call goes alone and the others wait for its answer,
    /// so a session that died meanwhile costs one counted failure on the
    /// panel instead of one per call. `Duration::ZERO` sends every call alone.
    pub fn confirm_window(mut self, window: Duration) -> Self {
        self.confirm_window = window;
        self
    }

    /// Most calls on the wire at once, shared by all clones (default
    /// [`MAX_IN_FLIGHT`], 8; at least 1). Above 9 a session that dies while
    /// confirmed can carry 10 dead calls and lock the IP out.
    pub fn max_in_flight(mut self, calls: usize) -> Self {
        self.max_in_flight = calls;
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
        if self.max_in_flight == 0 {
            return Err(Error::config(
                "max_in_flight(0) would never send a call: use 1 or more",
            ));
        }
        let (transport_kind, url) = match (self.transport, Transport::of_url(&url)) {
            (None, named) => (named.unwrap_or_default(), url),
            (Some(wanted), Some(named)) if wanted != named => {
                let path_end = url.find(['?', '#']).unwrap_or(url.len());
                let (path, rest) = url.split_at(path_end);
                let dir = &path[..path.len() - named.file().len()];
                (wanted, format!("{dir}{}{rest}", wanted.file()))
            }
            (Some(wanted), _) => (wanted, url),
        };
        if transport_kind == Transport::Json && self.methods.is_empty() {
            return Err(Error::config(
                "the JSON transport sends parameters by name and needs the method table:                  build with panelkit_ispconfig::Client::builder() (or .remote_methods(..))",
            ));
        }
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
            transport_kind,
            methods: self.methods,
            gate: GateConfig {
                confirm_window: self.confirm_window,
                max_in_flight: self.max_in_flight,
            },
        });
        Ok(C::from(session))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static TABLE: &[RemoteMethod] = &[];
    static ONE: &[RemoteMethod] = &[RemoteMethod {
        name: "login",
        params: &[],
        faults: &[],
    }];

    fn build(
        url: &str,
        transport: Option<Transport>,
        methods: &'static [RemoteMethod],
    ) -> Result<Session> {
        let mut builder = ClientBuilder::<Session>::new()
            .url(url)
            .credentials("u", "p")
            .remote_methods(methods);
        if let Some(t) = transport {
            builder = builder.transport(t);
        }
        builder.build()
    }

    #[test]
    fn the_url_or_the_call_picks_the_transport() {
        let s = build("https://h:8080/remote/index.php", None, TABLE).unwrap();
        assert_eq!(s.transport(), Transport::Soap);
        let s = build("https://h:8080/remote/json.php", None, ONE).unwrap();
        assert_eq!(s.transport(), Transport::Json);
        let s = build(
            "https://h:8080/remote/index.php?x=1",
            Some(Transport::Json),
            ONE,
        )
        .unwrap();
        assert_eq!(
            (s.transport(), s.url()),
            (Transport::Json, "https://h:8080/remote/json.php?x=1")
        );
        let s = build(
            "https://h:8080/remote/json.php",
            Some(Transport::Soap),
            TABLE,
        )
        .unwrap();
        assert_eq!(s.url(), "https://h:8080/remote/index.php");
        let s = build("https://h/custom", Some(Transport::Json), ONE).unwrap();
        assert_eq!(s.url(), "https://h/custom");
        assert!(matches!(
            build("https://h:8080/remote/json.php", None, TABLE),
            Err(Error::Config { .. })
        ));
    }
}
