//! The ISPConfig session: lazy login, single-flight re-login, refresh, logout,
//! and the admission of calls that keeps a dead session from locking the
//! client's IP out.
//!
//! The panel binds a session id to the client IP and expires it 1800 s after
//! login regardless of use; it also drops sessions early for reasons a client
//! cannot see. It counts, per IP, failed logins *and calls with an unknown or
//! expired session id*, and at 10 within 5 minutes refuses everything from
//! that IP for 5 minutes. Hence:
//!
//! - **single-flight login**: when the session is missing or gone, exactly
//!   one caller logs in while the others wait for that login and share its
//!   outcome (a rejected password is never retried for them);
//! - **confirmed sessions** ([`super::gate`]): while nothing proved the session
//!   alive within the confirmation window, only one call goes out with it; the
//!   rest wait, so a dead session costs one counted failure, not one per call;
//! - **a bound on calls in flight**, so even a session that dies while
//!   confirmed has fewer calls on the wire than the panel's 10;
//! - **fail fast on a lockout**: once the panel refuses the IP, calls fail with
//!   [`crate::Error::RateLimited`] (the panel's code, `retry_after`) without
//!   being sent, until the lockout must be over.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Mutex;
use tracing::Instrument;

use super::builder::Transport;
use super::faults;
use super::gate::{Gate, GateConfig};
use super::json::{self, RemoteMethod};
use crate::http::{HttpRequest, HttpTransport};
use crate::soap::{self, DecodeLimits, Response, Value};
use crate::{Error, Result, Secret};

/// Everything a [`Session`] needs; built by [`super::ClientBuilder`].
pub(crate) struct SessionConfig {
    pub transport: HttpTransport,
    pub url: String,
    pub user: String,
    pub password: Secret,
    pub client_login: bool,
    pub lifetime: Duration,
    pub refresh_margin: Duration,
    pub limits: DecodeLimits,
    pub transport_kind: Transport,
    /// Parameter names and fault messages, for the JSON transport.
    pub methods: &'static [RemoteMethod],
    pub gate: GateConfig,
}

/// A logged-in (or not yet logged-in) connection to one panel. Cheap to clone;
/// clones share the session.
#[derive(Clone)]
pub struct Session {
    inner: Arc<Inner>,
}

struct Inner {
    config: SessionConfig,
    /// The SOAP namespace of our requests; PHP's non-WSDL server dispatches on
    /// the element's local name, so any URI works — we use the endpoint's.
    namespace: String,
    state: Mutex<State>,
    /// Number of login attempts finished, readable without the lock: a call
    /// notes it when it starts, so afterwards it can tell whether an attempt
    /// that ended while it waited (for a slot, the probe or the lock) has
    /// already failed for it.
    completed: AtomicU64,
    /// The newest session generation the panel said is gone, set the moment
    /// the fault arrives (before the re-login takes the lock), so no caller
    /// sends that id again.
    lost: AtomicU64,
    /// Admission: calls in flight, confirmed sessions, lockout.
    gate: Gate,
}

#[derive(Default)]
struct State {
    current: Option<Login>,
    /// Increases with every login, so a caller holding a stale id can tell
    /// whether somebody else already replaced it.
    generation: u64,
    /// The last login attempt, if it failed: shared with every caller that
    /// was waiting for it instead of being repeated.
    failure: Option<Failure>,
}

struct Failure {
    /// Value of `Inner::completed` when the attempt ended.
    completed: u64,
    /// A copy of its error.
    error: Error,
}

struct Login {
    id: Secret,
    at: Instant,
    generation: u64,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("url", &self.inner.config.url)
            .field("user", &self.inner.config.user)
            .field("password", &self.inner.config.password)
            .finish_non_exhaustive()
    }
}

impl Session {
    pub(crate) fn new(config: SessionConfig) -> Self {
        let namespace = config
            .url
            .split(['?', '#'])
            .next()
            .unwrap_or_default()
            .to_owned();
        let gate = Gate::new(config.gate);
        Session {
            inner: Arc::new(Inner {
                config,
                namespace,
                state: Mutex::new(State::default()),
                completed: AtomicU64::new(0),
                lost: AtomicU64::new(0),
                gate,
            }),
        }
    }

    /// The endpoint URL.
    pub fn url(&self) -> &str {
        &self.inner.config.url
    }

    /// The transport calls travel by.
    pub fn transport(&self) -> Transport {
        self.inner.config.transport_kind
    }

    /// Whether the panel's JSON endpoint (`remote/json.php`, beside the
    /// SOAP `remote/index.php`) answers: one `get_function_list` with an
    /// empty session id, which the panel refuses as `The SessionID is empty.`
    /// without counting it towards the IP lockout. Answers the JSON URL
    /// probed and whether a JSON answer of the panel's shape came back.
    pub async fn probe_json_endpoint(&self) -> Result<(String, bool)> {
        let base = self.url().split('?').next().unwrap_or_default();
        let dir = base.rsplit_once('/').map(|(dir, _)| dir).unwrap_or(base);
        let url = format!("{dir}/json.php");
        let request = HttpRequest::post(
            format!("{url}?get_function_list"),
            br#"{"session_id":""}"#.to_vec(),
        )
        .header("Content-Type", "application/json");
        let answered = match self.inner.config.transport.send(request).await {
            Ok(response) => serde_json::from_slice::<serde_json::Value>(&response.body)
                .ok()
                .is_some_and(|v| v.get("code").is_some()),
            Err(Error::Transport { .. } | Error::Timeout { .. }) => false,
            Err(Error::UnexpectedResponse { .. }) => false,
            Err(other) => return Err(other),
        };
        Ok((url, answered))
    }

    /// Calls `method` with the session id followed by `params`, logging in first
    /// when needed and once more if the panel says the session is gone.
    ///
    /// Waits for a slot (at most `max_in_flight` calls on the wire) and, while
    /// the session is not confirmed, for the one call that finds out whether
    /// it is alive. Fails at once with [`Error::RateLimited`], sending
    /// nothing, while the panel has this IP locked out.
    pub async fn call(&self, method: &str, params: Vec<Value>) -> Result<Value> {
        let seen = self.inner.completed.load(Ordering::SeqCst);
        let _ticket = self.inner.gate.admit().await?;
        let (id, generation) = self.session_id(seen).await?;
        let result = self.invoke(method, with_session(&id, &params)).await;
        self.inner.gate.observe(&result);
        match result {
            Err(e) if e.code().is_some_and(faults::is_session_lost) => {
                tracing::debug!(
                    panel = "ispconfig",
                    operation = method,
                    "session lost; logging in again"
                );
                self.inner.lost.fetch_max(generation, Ordering::SeqCst);
                let (id, _) = self.session_id(seen).await?;
                let result = self.invoke(method, with_session(&id, &params)).await;
                self.inner.gate.observe(&result);
                result
            }
            other => other,
        }
    }

    /// Calls `method` with exactly `params`, without a session id (for the few
    /// methods that take none). Counts against the calls in flight and fails
    /// fast during a lockout, but does not wait for a confirmed session.
    pub async fn call_without_session(&self, method: &str, params: Vec<Value>) -> Result<Value> {
        let _slot = self.inner.gate.slot(true).await?;
        self.invoke(method, params).await
    }

    /// Logs in now (otherwise the first call does). Replaces any current
    /// session. Fails fast during a lockout (see [`Session::reset_lockout`]).
    pub async fn login(&self) -> Result<()> {
        let _slot = self.inner.gate.slot(true).await?;
        let mut state = self.inner.state.lock().await;
        self.login_locked(&mut state).await.map(drop)
    }

    /// Ends the session on the panel, if there is one. The next call logs in
    /// again. Sent during a lockout too: the panel never refuses a logout.
    pub async fn logout(&self) -> Result<()> {
        let _slot = self.inner.gate.slot(false).await?;
        let mut state = self.inner.state.lock().await;
        let Some(login) = state.current.take() else {
            return Ok(());
        };
        match self
            .invoke("logout", vec![Value::String(login.id.expose().to_owned())])
            .await
        {
            Ok(_) => Ok(()),
            // Already gone on the panel: logged out is logged out.
            Err(e) if e.code().is_some_and(faults::is_session_lost) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// How long this client still holds its calls because the panel locked
    /// its IP out (`None`: not locked out, as far as it knows).
    pub fn locked_out_for(&self) -> Option<std::time::Duration> {
        self.inner.gate.locked_for()
    }

    /// Forgets a lockout the panel reported, so the next call is sent (one
    /// call first, to find out). For an operator who cleared the panel's
    /// `attempts_login` by hand; otherwise the call most likely comes back
    /// with the same refusal, which is harmless (the panel does not count
    /// refused calls) and starts the hold again.
    pub fn reset_lockout(&self) {
        self.inner.gate.reset_lockout();
    }

    /// The panel's method list (`get_function_list`), without PHP's `__construct`.
    pub async fn list_functions(&self) -> Result<Vec<String>> {
        let value = self.call("get_function_list", Vec::new()).await?;
        let items = match value {
            Value::List(items) => items,
            Value::Map(entries) => entries.into_iter().map(|(_, v)| v).collect(),
            other => {
                return Err(Error::UnexpectedResponse {
                    status: Some(200),
                    reason: format!("get_function_list returned {}", kind(&other)),
                    excerpt: String::new(),
                })
            }
        };
        Ok(items
            .into_iter()
            .filter_map(|v| match v {
                Value::String(name) if !name.starts_with("__") => Some(name),
                _ => None,
            })
            .collect())
    }

    /// The current session id and its generation, logging in if there is
    /// none, it is about to expire or the panel said it is gone. Callers queue
    /// on the lock, so one login serves all; a login that failed after
    /// `seen` (the call's start) fails this caller too instead of being
    /// repeated.
    async fn session_id(&self, seen: u64) -> Result<(Secret, u64)> {
        let mut state = self.inner.state.lock().await;
        if let Some(login) = &state.current {
            let config = &self.inner.config;
            let lost = login.generation <= self.inner.lost.load(Ordering::SeqCst);
            if !lost && login.at.elapsed() + config.refresh_margin < config.lifetime {
                return Ok((login.id.clone(), login.generation));
            }
            if !lost {
                tracing::debug!(
                    panel = "ispconfig",
                    "session near its lifetime; logging in again"
                );
            }
        }
        if let Some(failure) = state.failure.as_ref().filter(|f| f.completed > seen) {
            return Err(failure.error.duplicate());
        }
        let login = self.login_locked(&mut state).await?;
        Ok((login.id.clone(), login.generation))
    }

    /// Logs in (the caller holds the lock) and records the outcome for the
    /// callers queued behind this attempt.
    async fn login_locked<'s>(&self, state: &'s mut State) -> Result<&'s Login> {
        state.current = None;
        let outcome = self.try_login().await;
        let completed = self.inner.completed.fetch_add(1, Ordering::SeqCst) + 1;
        match outcome {
            Ok(id) => {
                state.failure = None;
                state.generation += 1;
                // A fresh session is alive: release the calls held for it.
                self.inner.gate.confirm();
                Ok(state.current.insert(Login {
                    id,
                    at: Instant::now(),
                    generation: state.generation,
                }))
            }
            Err(error) => {
                state.failure = Some(Failure {
                    completed,
                    error: error.duplicate(),
                });
                Err(error)
            }
        }
    }

    async fn try_login(&self) -> Result<Secret> {
        let config = &self.inner.config;
        let params = vec![
            Value::String(config.user.clone()),
            Value::String(config.password.expose().to_owned()),
            Value::Bool(config.client_login),
        ];
        let answer = self.invoke("login", params).await?;
        let id = match answer {
            Value::String(id) if !id.is_empty() => Secret::new(id),
            // A PHP `false` here means the panel refused without a fault.
            other => {
                return Err(Error::Auth {
                    code: "login_failed".to_owned(),
                    message: format!("login returned {} instead of a session id", kind(&other)),
                    hint: Some(faults::LOGIN_HINT),
                    status: None,
                })
            }
        };
        Ok(id)
    }

    /// One SOAP round trip. Never logs parameters: they may hold passwords.
    /// A lockout refusal is noted in the gate, whatever the method.
    async fn invoke(&self, method: &str, params: Vec<Value>) -> Result<Value> {
        let span = tracing::debug_span!("panel_call", panel = "ispconfig", operation = method);
        let result = self.invoke_inner(method, params).instrument(span).await;
        if let Err(e) = &result {
            self.inner.gate.note_refusal(e);
        }
        result
    }

    async fn invoke_inner(&self, method: &str, params: Vec<Value>) -> Result<Value> {
        let started = Instant::now();
        // An error page may echo the request: its secrets leave the error.
        let secrets = crate::redact::soap_call_secrets(method, &params);
        let result = match self.inner.config.transport_kind {
            Transport::Soap => self.round_trip_soap(method, params).await,
            Transport::Json => self.round_trip_json(method, params).await,
        };
        let result = result.map_err(|e| e.scrub(&secrets));
        let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
        match &result {
            Ok(_) => tracing::debug!(
                panel = "ispconfig",
                operation = method,
                elapsed_ms,
                "call ok"
            ),
            Err(e) => {
                tracing::debug!(panel = "ispconfig", operation = method, elapsed_ms, error = %e, "call failed")
            }
        }
        result
    }
}

impl Session {
    async fn round_trip_soap(&self, method: &str, params: Vec<Value>) -> Result<Value> {
        let body = soap::encode_call(&self.inner.namespace, method, &params);
        drop(params);
        let request = HttpRequest::post(self.inner.config.url.clone(), body.into_bytes())
            .header("Content-Type", "text/xml; charset=utf-8")
            .header(
                "SOAPAction",
                format!("\"{}#{method}\"", self.inner.namespace),
            );
        let response = self.send(request, "a SOAP envelope").await?;
        match soap::decode_response(
            Some(response.status),
            &response.body,
            &self.inner.config.limits,
        )? {
            Response::Return(value) => Ok(value),
            Response::Fault(fault) => Err(faults::classify(fault)),
        }
    }

    /// `POST json.php?<method>` with every parameter by name.
    async fn round_trip_json(&self, method: &str, params: Vec<Value>) -> Result<Value> {
        let config = &self.inner.config;
        let body = json::encode_call(config.methods, method, &params)?;
        drop(params);
        let (path, query) = match config.url.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (config.url.as_str(), None),
        };
        // The handler takes the first query key as the method.
        let url = match query {
            Some(query) if !query.is_empty() => format!("{path}?{method}&{query}"),
            _ => format!("{path}?{method}"),
        };
        let request =
            HttpRequest::post(url, body).header("Content-Type", "application/json; charset=utf-8");
        let response = self.send(request, "a JSON answer").await?;
        json::decode_response(
            config.methods,
            method,
            config.client_login,
            response.status,
            &response.body,
            &config.limits,
        )
    }

    /// Sends one request; the panel's own error pages (HTML fragments with
    /// a 200) are refused here, for both transports.
    async fn send(
        &self,
        request: HttpRequest,
        expected: &str,
    ) -> Result<crate::http::HttpResponse> {
        let response = self.inner.config.transport.send(request).await?;
        if response
            .content_type()
            .is_some_and(|t| t.starts_with("text/html"))
        {
            return Err(crate::Error::unexpected(
                Some(response.status),
                format!("HTML page instead of {expected} (Content-Type: text/html)"),
                &response.body,
            ));
        }
        Ok(response)
    }
}

fn with_session(id: &Secret, params: &[Value]) -> Vec<Value> {
    let mut all = Vec::with_capacity(params.len() + 1);
    all.push(Value::String(id.expose().to_owned()));
    all.extend_from_slice(params);
    all
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Int(_) => "an integer",
        Value::Float(_) => "a float",
        Value::String(_) => "a string",
        Value::List(_) => "a list",
        Value::Map(_) => "a map",
    }
}
