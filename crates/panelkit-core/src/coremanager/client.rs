//! The COREmanager client: one non-generic executor every generated method
//! calls, with authentication, `su=`, `lang=` and decoding in one place.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tracing::Instrument;

use super::auth::{random_key, Auth, Failure, SessionState, State};
use super::document::{self, DecodeLimits, Document, Expect, Format, Outcome};
use super::errors::{self, LOGIN_HINT};
use super::request::{ParamValue, Request};
use super::transport::{Call, HttpEndpoint, Mgrctl, Reply, Transport};
use crate::http::{HttpConfig, HttpTransport};
use crate::{Error, Result, Secret};

/// A client for one COREmanager panel (ISPmanager, BILLmanager, VMmanager,
/// DNSmanager, IPmanager). Cheap to clone; clones share the session.
#[derive(Clone)]
pub struct Client {
    shared: Arc<Shared>,
    su: Option<String>,
    lang: Option<String>,
}

/// The panel's idle timeout for sessions: one hour without a request.
pub const SESSION_IDLE: Duration = Duration::from_secs(3600);

struct Shared {
    transport: Arc<dyn Transport>,
    auth: Auth,
    /// Sessions idle this long are replaced before use.
    refresh_after: Duration,
    format: Format,
    limits: DecodeLimits,
    session: SessionState,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("transport", &self.shared.transport)
            .field("auth", &self.shared.auth)
            .field("format", &self.shared.format)
            .field("su", &self.su)
            .field("lang", &self.lang)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// The same client acting as `user` (`su=`): an administrator may act as
    /// anyone, a reseller as its users. The session is shared.
    pub fn su(&self, user: impl Into<String>) -> Client {
        Client {
            su: Some(user.into()),
            ..self.clone()
        }
    }

    /// The same client asking for messages in `lang` (`lang=en`, `lang=ru`, ...).
    pub fn lang(&self, lang: impl Into<String>) -> Client {
        Client {
            lang: Some(lang.into()),
            ..self.clone()
        }
    }

    /// Calls any function by name with string parameters: the escape hatch.
    pub async fn call<K, V>(
        &self,
        func: &str,
        params: impl IntoIterator<Item = (K, V)>,
    ) -> Result<Document>
    where
        K: Into<String>,
        V: Into<String>,
    {
        let mut request = Request::new(func);
        for (k, v) in params {
            request.set(k, v);
        }
        self.execute(request, Expect::Any).await
    }

    /// Runs a list function and returns its rows.
    pub async fn list(&self, request: Request) -> Result<Vec<document::Row>> {
        self.execute(request, Expect::List).await?.into_rows()
    }

    /// Reads a form.
    pub async fn form(&self, request: Request) -> Result<document::Form> {
        self.execute(request, Expect::Any).await?.into_form()
    }

    /// Runs an action (or applies a form with `sok=ok`).
    pub async fn action(&self, request: Request) -> Result<Outcome> {
        self.execute(request, Expect::Any).await?.into_outcome()
    }

    /// The one executor: adds authentication, `su`, `lang` and `out`, sends,
    /// logs in again once if the session expired, and decodes.
    pub async fn execute(&self, request: Request, expect: Expect) -> Result<Document> {
        request.validate()?;
        let span = tracing::debug_span!(
            "panel_call",
            panel = "coremanager",
            operation = request.func()
        );
        self.execute_inner(request, expect).instrument(span).await
    }

    async fn execute_inner(&self, request: Request, expect: Expect) -> Result<Document> {
        let started = Instant::now();
        let request = self.with_context(request);
        let shared = &self.shared;
        let result = if shared.transport.self_authenticating() {
            self.send(request, expect).await
        } else {
            match &shared.auth {
                Auth::None => self.send(request, expect).await,
                Auth::Authinfo { user, password } => {
                    let request = request.secret("authinfo", Auth::authinfo(user, password));
                    self.send(request, expect).await
                }
                Auth::Session { .. } | Auth::Key { .. } => {
                    let (id, generation) = self.session_id().await?;
                    let outcome = self.send(request.clone().secret("auth", id), expect).await;
                    if !matches!(&outcome, Err(e) if errors::is_session_lost(e)) {
                        shared.session.touch();
                    }
                    match outcome {
                        Err(e) if errors::is_session_lost(&e) => {
                            tracing::debug!(
                                panel = "coremanager",
                                operation = request.func(),
                                "session gone; logging in again"
                            );
                            let id = self.relogin(generation).await?;
                            let outcome = self.send(request.secret("auth", id), expect).await;
                            shared.session.touch();
                            outcome
                        }
                        other => other,
                    }
                }
            }
        };
        let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
        match &result {
            Ok(_) => tracing::debug!(panel = "coremanager", elapsed_ms, "call ok"),
            Err(e) => tracing::debug!(panel = "coremanager", elapsed_ms, error = %e, "call failed"),
        }
        result
    }

    fn with_context(&self, mut request: Request) -> Request {
        if let Some(su) = &self.su {
            if request.get("su").is_none() {
                request.set("su", su.clone());
            }
        }
        if let Some(lang) = &self.lang {
            if request.get("lang").is_none() {
                request.set("lang", lang.clone());
            }
        }
        request
    }

    /// One round trip and its decoding.
    async fn send(&self, request: Request, expect: Expect) -> Result<Document> {
        let call = Call {
            request,
            format: self.shared.format,
        };
        // An error page may echo the request: its secrets leave the error.
        let secrets: Vec<String> = call
            .request
            .params()
            .iter()
            .filter_map(|(_, v)| match v {
                crate::coremanager::ParamValue::Secret(s) => Some(s.expose().to_owned()),
                crate::coremanager::ParamValue::Plain(_) => None,
            })
            .collect();
        let reply = self
            .shared
            .transport
            .send(&call)
            .await
            .map_err(|e| e.scrub(&secrets))?;
        drop(call);
        decode_reply(&reply, self.shared.format, expect, &self.shared.limits)
            .map_err(|e| e.scrub(&secrets))
    }

    /// The current session id and its generation; logs in when there is none.
    /// Callers queue on the lock, so one login serves them all.
    async fn session_id(&self) -> Result<(Secret, u64)> {
        let session = &self.shared.session;
        let seen = session.attempts();
        let mut state = session.state.lock().await;
        if let Some((id, generation)) = &state.current {
            let idle = session.idle_for().unwrap_or_default();
            if idle < self.shared.refresh_after {
                return Ok((id.clone(), *generation));
            }
            tracing::debug!(
                panel = "coremanager",
                idle_s = idle.as_secs_f64(),
                "session idle near the panel's limit; logging in again"
            );
        }
        if let Some(failure) = state.failure.as_ref().filter(|f| f.completed > seen) {
            return Err(failure.error.duplicate());
        }
        self.login_locked(&mut state).await
    }

    /// Logs in again unless another caller already replaced the session of
    /// `stale` while this one waited.
    async fn relogin(&self, stale: u64) -> Result<Secret> {
        let session = &self.shared.session;
        let seen = session.attempts();
        let mut state = session.state.lock().await;
        if let Some((id, generation)) = &state.current {
            if *generation != stale {
                return Ok(id.clone());
            }
        }
        if let Some(failure) = state
            .failure
            .as_ref()
            .filter(|f| f.replacing == stale || f.completed > seen)
        {
            return Err(failure.error.duplicate());
        }
        Ok(self.login_locked(&mut state).await?.0)
    }

    /// Logs in now (otherwise the first call does); replaces any session.
    pub async fn login(&self) -> Result<()> {
        if !self.shared.auth.uses_session() || self.shared.transport.self_authenticating() {
            return Ok(());
        }
        let mut state = self.shared.session.state.lock().await;
        self.login_locked(&mut state).await.map(drop)
    }

    async fn login_locked(&self, state: &mut State) -> Result<(Secret, u64)> {
        state.current = None;
        let replacing = state.generation;
        let outcome = self.try_login(state).await;
        let completed = self.shared.session.finish_attempt();
        match outcome {
            Ok(id) => {
                self.shared.session.touch();
                state.failure = None;
                state.generation += 1;
                state.current = Some((id.clone(), state.generation));
                Ok((id, state.generation))
            }
            Err(error) => {
                state.failure = Some(Failure {
                    completed,
                    replacing,
                    error: error.duplicate(),
                });
                Err(error)
            }
        }
    }

    async fn try_login(&self, state: &mut State) -> Result<Secret> {
        let request = match &self.shared.auth {
            Auth::Session { user, password } => Request::new("auth")
                .param("username", user.clone())
                .secret("password", password.clone()),
            Auth::Key {
                username,
                key,
                admin,
            } => {
                let key = match (key, state.key_spent, admin) {
                    (Some(key), false, _) => {
                        state.key_spent = true;
                        key.clone()
                    }
                    (_, _, Some((admin_user, admin_password))) => {
                        let key = random_key()?;
                        let newkey = Request::new("session.newkey")
                            .param("username", username.clone())
                            .secret("key", key.clone())
                            .secret("authinfo", Auth::authinfo(admin_user, admin_password));
                        match self.send(newkey, Expect::Any).await? {
                            Document::Ok | Document::Redirect(_) | Document::Form(_) => {}
                            other => {
                                return Err(Error::UnexpectedResponse {
                                    status: None,
                                    reason: format!(
                                        "session.newkey answered with {other:?} instead of ok or a redirect"
                                    ),
                                    excerpt: String::new(),
                                })
                            }
                        }
                        key
                    }
                    _ => {
                        return Err(Error::Auth {
                            status: None,
                            code: "key_spent".to_owned(),
                            message: "the one-time key was used and no administrator credentials are configured to make another".to_owned(),
                            hint: Some("add .key_admin(user, password) to the builder, or log in with a password"),
                        })
                    }
                };
                Request::new("auth")
                    .param("username", username.clone())
                    .secret("key", key)
                    .param("checkcookie", "no")
            }
            Auth::None | Auth::Authinfo { .. } => {
                return Err(Error::config("this authentication method keeps no session"))
            }
        };
        match self.send(request, Expect::Any).await {
            Ok(Document::Auth(id)) => Ok(id),
            Ok(other) => Err(Error::Auth {
                status: None,
                code: "auth".to_owned(),
                message: format!("func=auth answered without a session id ({other:?})"),
                hint: Some(LOGIN_HINT),
            }),
            Err(e) => Err(e),
        }
    }
}

/// Decodes a raw answer: HTML pages, empty and truncated bodies are typed errors.
pub fn decode_reply(
    reply: &Reply,
    format: Format,
    expect: Expect,
    limits: &DecodeLimits,
) -> Result<Document> {
    if reply
        .content_type
        .as_deref()
        .is_some_and(|t| t.to_ascii_lowercase().starts_with("text/html"))
    {
        return Err(Error::unexpected(
            reply.status,
            "HTML page instead of a COREmanager document (Content-Type: text/html)",
            &reply.body,
        ));
    }
    match document::decode(&reply.body, format, expect, reply.status, limits) {
        Ok(doc) => match reply.status {
            Some(status) if status >= 400 => Err(Error::unexpected(
                Some(status),
                format!("HTTP {status} with a document"),
                &reply.body,
            )),
            _ => Ok(doc),
        },
        Err(e) => Err(e),
    }
}

/// Configures a [`Client`]. `C` is the client type built (the generated
/// crate's client, or [`Client`] itself).
///
/// ```no_run
/// # async fn f() -> panelkit_core::Result<()> {
/// use panelkit_core::coremanager::{Client, Expect, Mgrctl, Request};
///
/// let remote: Client = Client::builder()
///     .url("https://panel.example.com:1500/ispmgr")
///     .session("root", "secret")
///     .lang("en")
///     .build()?;
/// let rows = remote.list(Request::new("webdomain")).await?;
///
/// let local: Client = Client::builder().mgrctl(Mgrctl::new("ispmgr")).build()?;
/// let doc = local.su("bob").execute(Request::new("webdomain"), Expect::List).await?;
/// # let _ = (rows, doc);
/// # Ok(()) }
/// ```
#[must_use]
pub struct ClientBuilder<C = Client> {
    url: Option<String>,
    mgrctl: Option<Mgrctl>,
    transport: Option<Arc<dyn Transport>>,
    auth: Auth,
    key_admin: Option<(String, Secret)>,
    su: Option<String>,
    lang: Option<String>,
    format: Format,
    http: HttpConfig,
    pin_error: Option<Error>,
    limits: DecodeLimits,
    session_idle: Duration,
    client: std::marker::PhantomData<fn() -> C>,
}

impl<C> std::fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("url", &self.url)
            .field("mgrctl", &self.mgrctl)
            .field("auth", &self.auth)
            .field("su", &self.su)
            .field("lang", &self.lang)
            .field("format", &self.format)
            .finish_non_exhaustive()
    }
}

impl<C> Default for ClientBuilder<C> {
    fn default() -> Self {
        ClientBuilder {
            url: None,
            mgrctl: None,
            transport: None,
            auth: Auth::None,
            key_admin: None,
            su: None,
            lang: None,
            format: Format::Json,
            http: HttpConfig::default(),
            pin_error: None,
            limits: DecodeLimits::default(),
            session_idle: SESSION_IDLE,
            client: std::marker::PhantomData,
        }
    }
}

impl<C: From<Client>> ClientBuilder<C> {
    /// Defaults: `out=json`, TLS verified, 60 s timeout, no credentials.
    pub fn new() -> Self {
        Self::default()
    }

    /// The panel endpoint, e.g. `https://HOST:1500/ispmgr`.
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.url = Some(url.into());
        self
    }

    /// Calls through the local `mgrctl` instead of HTTPS (on the panel host;
    /// runs as the invoking user, no credentials needed).
    pub fn mgrctl(mut self, mgrctl: Mgrctl) -> Self {
        self.mgrctl = Some(mgrctl);
        self
    }

    /// Calls through any other transport.
    pub fn transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport = Some(transport);
        self
    }

    /// Session login with a panel user's password (`func=auth`).
    pub fn session(mut self, user: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.auth = Auth::Session {
            user: user.into(),
            password: password.into(),
        };
        self
    }

    /// `authinfo=user:password` on every call.
    pub fn authinfo(mut self, user: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.auth = Auth::Authinfo {
            user: user.into(),
            password: password.into(),
        };
        self
    }

    /// One-time key login as `username`; `key` is a key already registered
    /// with `session.newkey` (or `None` to have [`Self::key_admin`] make one).
    pub fn one_time_key(mut self, username: impl Into<String>, key: Option<Secret>) -> Self {
        self.auth = Auth::Key {
            username: username.into(),
            key,
            admin: None,
        };
        self
    }

    /// Administrator credentials with which the client registers one-time keys
    /// (`session.newkey`) whenever it needs a session for the key user.
    pub fn key_admin(mut self, user: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.key_admin = Some((user.into(), password.into()));
        self
    }

    /// Act as another user on every call (`su=`).
    pub fn su(mut self, user: impl Into<String>) -> Self {
        self.su = Some(user.into());
        self
    }

    /// Message language on every call (`lang=`).
    pub fn lang(mut self, lang: impl Into<String>) -> Self {
        self.lang = Some(lang.into());
        self
    }

    /// `out=xml` or `out=json` (default).
    pub fn format(mut self, format: Format) -> Self {
        self.format = format;
        self
    }

    crate::http::http_options!();

    /// Largest answer accepted, in bytes (default 256 MiB).
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.http.max_response_bytes = bytes;
        self
    }

    /// The panel's idle timeout for sessions, if it was changed from one
    /// hour; a session idle for nearly that long is replaced before use.
    pub fn session_idle(mut self, idle: Duration) -> Self {
        self.session_idle = idle;
        self
    }

    /// Deepest nesting accepted in an answer (default 64).
    pub fn max_depth(mut self, depth: usize) -> Self {
        self.limits.max_depth = depth;
        self
    }

    /// Builds the client; nothing is sent until the first call.
    pub fn build(self) -> Result<C> {
        if let Some(e) = self.pin_error {
            return Err(e);
        }
        let transport: Arc<dyn Transport> = match (self.transport, self.mgrctl, self.url) {
            (Some(t), None, None) => t,
            (None, Some(m), None) => Arc::new(m),
            (None, None, Some(url)) => {
                if !(url.starts_with("https://") || url.starts_with("http://")) {
                    return Err(Error::config(format!(
                        "URL must start with https:// or http://, got {url:?}"
                    )));
                }
                if url.contains('?') {
                    return Err(Error::config(
                        "the URL must not carry a query: parameters go in the POST body",
                    ));
                }
                Arc::new(HttpEndpoint::new(HttpTransport::new(self.http)?, url))
            }
            (None, None, None) => {
                return Err(Error::config(
                    "no transport: call .url(\"https://HOST:1500/ispmgr\") or .mgrctl(Mgrctl::new(\"ispmgr\"))",
                ))
            }
            _ => {
                return Err(Error::config(
                    "choose one transport: .url(..), .mgrctl(..) or .transport(..)",
                ))
            }
        };
        let mut auth = self.auth;
        if let Some(admin) = self.key_admin {
            match &mut auth {
                Auth::Key { admin: slot, .. } => *slot = Some(admin),
                _ => {
                    return Err(Error::config(
                        ".key_admin(..) needs .one_time_key(username, ..)",
                    ))
                }
            }
        }
        if let Auth::Key {
            key: None,
            admin: None,
            ..
        } = &auth
        {
            return Err(Error::config(
                "a one-time key login needs a key or .key_admin(user, password) to make one",
            ));
        }
        if matches!(auth, Auth::None) && !transport.self_authenticating() {
            return Err(Error::config(
                "no credentials: call .session(user, password), .authinfo(user, password) or .one_time_key(..)",
            ));
        }
        let client = Client {
            shared: Arc::new(Shared {
                transport,
                auth,
                // Replace a little early: a minute, or a tenth of short limits.
                refresh_after: self
                    .session_idle
                    .saturating_sub((self.session_idle / 10).min(Duration::from_secs(60))),
                format: self.format,
                limits: self.limits,
                session: SessionState::default(),
            }),
            su: self.su,
            lang: self.lang,
        };
        Ok(C::from(client))
    }
}

/// A secret parameter value (for callers building requests by hand).
pub fn secret_value(value: impl Into<Secret>) -> ParamValue {
    ParamValue::Secret(value.into())
}
