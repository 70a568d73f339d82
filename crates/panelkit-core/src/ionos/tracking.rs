//! Request tracking: IONOS provisions asynchronously.
//!
//! 125 operations answer `202 Accepted` with a `Location` header naming the
//! request's status resource (`https://HOST/cloudapi/v6/requests/{id}/status`).
//! [`Accepted`] carries the operation's value together with the
//! [`RequestHandle`] parsed from that header; [`RequestHandle::wait`] polls
//! `GET /requests/{id}/status` with backoff until the status is `DONE`.
//!
//! Polling is patient with trouble that does not mean the request failed: a
//! transport error, a poll that times out, a 5xx or an error page, a 429 (its
//! `Retry-After` is honoured), and a 404 while no poll has succeeded yet (the
//! request may not be visible right after creation). It ends with
//! [`Error::RequestFailed`] on `FAILED`, with [`Error::Timeout`] when the
//! caller's deadline passes, and with the error itself for anything else
//! (bad credentials, no permission).
//!
//! [`wait_for`] is the same loop over any fetch and check, like
//! ionosenterprise's `wait_for(fn_request, fn_check)`.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;
use tokio::time::Instant;

use super::auth::SCHEMES;
use super::DEFAULTABLE;
use crate::rest::{path_segment, Method, Request, Response, RestClient};
use crate::{Error, Result};

/// The spec's operation id of `GET /requests/{requestId}/status`.
pub const STATUS_OPERATION: &str = "requestsStatusGet";

/// A request's state (`RequestStatusMetadata.status`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RequestState {
    /// Waiting to be processed.
    Queued,
    /// Being processed.
    Running,
    /// Finished successfully.
    Done,
    /// Finished with an error.
    Failed,
    /// A state this client does not know (kept, never a decode failure).
    Unknown(String),
}

impl RequestState {
    /// Parses the API's spelling.
    pub fn parse(text: &str) -> Self {
        match text {
            "QUEUED" => RequestState::Queued,
            "RUNNING" => RequestState::Running,
            "DONE" => RequestState::Done,
            "FAILED" => RequestState::Failed,
            other => RequestState::Unknown(other.to_owned()),
        }
    }

    /// The API's spelling.
    pub fn as_str(&self) -> &str {
        match self {
            RequestState::Queued => "QUEUED",
            RequestState::Running => "RUNNING",
            RequestState::Done => "DONE",
            RequestState::Failed => "FAILED",
            RequestState::Unknown(other) => other,
        }
    }

    /// Whether the request has finished (done or failed).
    pub fn is_final(&self) -> bool {
        matches!(self, RequestState::Done | RequestState::Failed)
    }
}

impl fmt::Display for RequestState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One resource a request acts on (`RequestTarget`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestTarget {
    /// The resource's id.
    pub id: Option<String>,
    /// The resource's type (`datacenter`, `server`, ...).
    pub kind: Option<String>,
    /// The resource's URL.
    pub href: Option<String>,
    /// This target's own state.
    pub state: Option<RequestState>,
}

/// What one status poll said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestProgress {
    /// The request's id.
    pub request_id: String,
    /// Its state.
    pub state: RequestState,
    /// The API's message (the failure reason on `FAILED`).
    pub message: Option<String>,
    /// The resources it acts on, with their states.
    pub targets: Vec<RequestTarget>,
    /// Successful polls so far, this one included.
    pub polls: u32,
    /// Time since waiting started.
    pub elapsed: Duration,
}

/// The wire shape of `RequestStatus`, as far as tracking needs it; every
/// field optional so a sparse answer is still read.
#[derive(Debug, Default, Deserialize)]
struct StatusBody {
    #[serde(default)]
    metadata: Option<StatusMetadata>,
}

#[derive(Debug, Default, Deserialize)]
struct StatusMetadata {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    targets: Option<Vec<TargetBody>>,
}

#[derive(Debug, Deserialize)]
struct TargetBody {
    #[serde(default)]
    target: Option<ResourceReference>,
    #[serde(default)]
    status: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ResourceReference {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    href: Option<String>,
    #[serde(default, rename = "type")]
    kind: Option<String>,
}

/// Called with every status a wait observes (for a progress bar).
pub type ProgressFn = Arc<dyn Fn(&RequestProgress) + Send + Sync>;

/// How long and how often to poll.
#[derive(Clone)]
pub struct WaitOptions {
    /// The caller's deadline, from the start of the wait.
    pub timeout: Duration,
    /// Pause after the first poll.
    pub first_interval: Duration,
    /// Longest pause between polls.
    pub max_interval: Duration,
    /// Growth of the pause after each poll (≥ 1).
    pub multiplier: f64,
    /// How long a 404 counts as "not visible yet" while no poll has
    /// succeeded.
    pub not_found_grace: Duration,
    /// Observer of each status seen.
    pub on_progress: Option<ProgressFn>,
}

impl Default for WaitOptions {
    /// One hour (ionosenterprise's `wait_for_completion` default), polls
    /// from 1 s growing by half up to 30 s, 404 tolerated for the first 60 s.
    fn default() -> Self {
        WaitOptions {
            timeout: Duration::from_secs(3600),
            first_interval: Duration::from_secs(1),
            max_interval: Duration::from_secs(30),
            multiplier: 1.5,
            not_found_grace: Duration::from_secs(60),
            on_progress: None,
        }
    }
}

impl fmt::Debug for WaitOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WaitOptions")
            .field("timeout", &self.timeout)
            .field("first_interval", &self.first_interval)
            .field("max_interval", &self.max_interval)
            .field("multiplier", &self.multiplier)
            .field("not_found_grace", &self.not_found_grace)
            .field("on_progress", &self.on_progress.is_some())
            .finish()
    }
}

impl WaitOptions {
    /// Default options with a deadline of `timeout`.
    pub fn with_timeout(timeout: Duration) -> Self {
        WaitOptions {
            timeout,
            ..Self::default()
        }
    }

    /// Sets the deadline.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the first and the longest pause between polls.
    pub fn intervals(mut self, first: Duration, max: Duration) -> Self {
        self.first_interval = first;
        self.max_interval = max.max(first);
        self
    }

    /// Sets how long a 404 is taken for "not visible yet".
    pub fn not_found_grace(mut self, grace: Duration) -> Self {
        self.not_found_grace = grace;
        self
    }

    /// Observes every status seen.
    pub fn on_progress(mut self, f: impl Fn(&RequestProgress) + Send + Sync + 'static) -> Self {
        self.on_progress = Some(Arc::new(f));
        self
    }
}

/// The request id in a `Location` header (`…/requests/{id}/status`), as the
/// IONOS SDKs read it (`/requests/([-A-Fa-f0-9]+)/`). `None` for anything
/// else, such as the literal `string` a mock server sends.
pub fn request_id_from_location(location: &str) -> Option<&str> {
    let (_, after) = location.split_once("/requests/")?;
    let end = after.find('/')?;
    let id = &after[..end];
    (!id.is_empty() && id.bytes().all(|b| b == b'-' || b.is_ascii_hexdigit())).then_some(id)
}

/// A request the API accepted; poll it with [`RequestHandle::wait`].
#[derive(Clone, Debug)]
pub struct RequestHandle {
    id: String,
    client: RestClient,
}

impl RequestHandle {
    /// A handle for request `id`, polled through `client`.
    pub fn new(client: &RestClient, id: impl Into<String>) -> Self {
        RequestHandle {
            id: id.into(),
            client: client.clone(),
        }
    }

    /// A handle from a `Location` header; `None` when it names no request.
    pub fn from_location(client: &RestClient, location: &str) -> Option<Self> {
        request_id_from_location(location).map(|id| Self::new(client, id))
    }

    /// The request's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Polls the status once.
    pub async fn status(&self) -> Result<RequestProgress> {
        self.poll(1, Duration::ZERO).await
    }

    async fn poll(&self, polls: u32, elapsed: Duration) -> Result<RequestProgress> {
        let request = Request::new(
            STATUS_OPERATION,
            Method::GET,
            format!("/requests/{}/status", path_segment(&self.id)),
        )
        .auth(SCHEMES)
        .defaults(DEFAULTABLE);
        let response = self.client.send(request).await?;
        let body: StatusBody = response.json()?;
        let metadata = body.metadata.unwrap_or_default();
        let Some(status) = metadata.status else {
            return Err(Error::unexpected(
                Some(response.status),
                format!("{STATUS_OPERATION}: no metadata.status in the answer"),
                &response.body,
            ));
        };
        Ok(RequestProgress {
            request_id: self.id.clone(),
            state: RequestState::parse(&status),
            message: metadata.message,
            targets: metadata
                .targets
                .unwrap_or_default()
                .into_iter()
                .map(|t| {
                    let target = t.target;
                    RequestTarget {
                        id: target.as_ref().and_then(|r| r.id.clone()),
                        kind: target.as_ref().and_then(|r| r.kind.clone()),
                        href: target.and_then(|r| r.href),
                        state: t.status.as_deref().map(RequestState::parse),
                    }
                })
                .collect(),
            polls,
            elapsed,
        })
    }

    /// Waits with [`WaitOptions::default`] (one hour) until the request is
    /// `DONE`.
    pub async fn wait(&self) -> Result<RequestProgress> {
        self.wait_with(&WaitOptions::default()).await
    }

    /// Waits until the request is `DONE`; `FAILED` is
    /// [`Error::RequestFailed`], the deadline [`Error::Timeout`].
    pub async fn wait_with(&self, options: &WaitOptions) -> Result<RequestProgress> {
        let mut polls = 0;
        let outcome = poll_until(
            options,
            |elapsed| {
                polls += 1;
                let attempt = polls;
                async move {
                    let progress = self.poll(attempt, elapsed).await?;
                    if let Some(observe) = &options.on_progress {
                        observe(&progress);
                    }
                    if progress.state == RequestState::Failed {
                        return Err(Error::RequestFailed {
                            request_id: self.id.clone(),
                            message: progress
                                .message
                                .unwrap_or_else(|| "no message from the API".to_owned()),
                        });
                    }
                    Ok(progress)
                }
            },
            |progress| progress.state == RequestState::Done,
        )
        .await;
        if let Err(Error::Timeout { .. }) = &outcome {
            tracing::warn!(request_id = %self.id, "IONOS request not done before the deadline");
        }
        outcome
    }
}

/// The value of an accepted (`202`) operation together with the request
/// that carries it out.
#[derive(Clone, Debug)]
pub struct Accepted<T> {
    /// What the operation answered (the resource as accepted, or `()`).
    pub value: T,
    /// The request to poll; `None` when the answer had no usable `Location`.
    pub request: Option<RequestHandle>,
    operation: &'static str,
}

impl<T> Accepted<T> {
    /// Pairs `value` with the request named by `response`'s `Location`.
    pub fn from_response(client: &RestClient, response: &Response, value: T) -> Self {
        let request = response
            .header("location")
            .and_then(|location| RequestHandle::from_location(client, location));
        if request.is_none() {
            tracing::debug!(
                operation = response.operation,
                status = response.status,
                "accepted without a request Location"
            );
        }
        Accepted {
            value,
            request,
            operation: response.operation,
        }
    }

    /// The request's id, when there is one.
    pub fn request_id(&self) -> Option<&str> {
        self.request.as_ref().map(RequestHandle::id)
    }

    /// The value, without waiting.
    pub fn into_value(self) -> T {
        self.value
    }

    /// Waits (one hour at most) until the request is `DONE`, then returns
    /// the value.
    pub async fn wait(self) -> Result<T> {
        self.wait_with(&WaitOptions::default()).await
    }

    /// Waits with `options` until the request is `DONE`, then returns the
    /// value. An answer without a request to poll is an
    /// [`Error::UnexpectedResponse`].
    pub async fn wait_with(self, options: &WaitOptions) -> Result<T> {
        let Some(request) = &self.request else {
            return Err(Error::unexpected(
                Some(202),
                format!(
                    "{}: accepted without a Location header naming a request to wait for",
                    self.operation
                ),
                b"",
            ));
        };
        request.wait_with(options).await?;
        Ok(self.value)
    }
}

/// Calls `fetch` until `check` accepts its answer, with the backoff,
/// deadline and tolerance of [`RequestHandle::wait_with`] (a 404 counts as
/// "not there yet" during `not_found_grace`); returns the accepted answer.
pub async fn wait_for<T, F, Fut, C>(mut fetch: F, mut check: C, options: &WaitOptions) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T>>,
    C: FnMut(&T) -> bool,
{
    poll_until(options, |_| fetch(), &mut check).await
}

/// Whether an error while polling is worth another poll: what the executor
/// would retry (timeouts, transport errors, 429, 502-504), any other 5xx, and
/// a 404 before the first answer while within the grace.
fn is_transient(error: &Error, seen_answer: bool, elapsed: Duration, grace: Duration) -> bool {
    match error {
        Error::NotFound { .. } => !seen_answer && elapsed < grace,
        other => other.is_retryable() || other.status().is_some_and(|s| s >= 500),
    }
}

/// The polling loop: `attempt(elapsed)` until `done` accepts its answer;
/// errors are polled through while transient.
async fn poll_until<T, A, Fut, D>(options: &WaitOptions, mut attempt: A, mut done: D) -> Result<T>
where
    A: FnMut(Duration) -> Fut,
    Fut: Future<Output = Result<T>>,
    D: FnMut(&T) -> bool,
{
    let started = Instant::now();
    // `None`: a deadline past what the clock can hold (`Duration::MAX`).
    let deadline = started.checked_add(options.timeout);
    let left = || match deadline {
        Some(deadline) => deadline.saturating_duration_since(Instant::now()),
        None => Duration::MAX,
    };
    let timeout = || Error::Timeout {
        after: Some(options.timeout),
    };
    // Growth per poll, kept finite and at least 1 whatever the caller set.
    let multiplier = if options.multiplier.is_nan() {
        1.0
    } else {
        options.multiplier.clamp(1.0, 10.0)
    };
    let mut interval = options.first_interval;
    let mut seen_answer = false;
    loop {
        let remaining = left();
        if remaining.is_zero() {
            return Err(timeout());
        }
        let mut pause = interval;
        match tokio::time::timeout(remaining, attempt(started.elapsed())).await {
            Err(_) => return Err(timeout()),
            Ok(Ok(value)) if done(&value) => return Ok(value),
            Ok(Ok(_)) => seen_answer = true,
            Ok(Err(e))
                if is_transient(&e, seen_answer, started.elapsed(), options.not_found_grace) =>
            {
                tracing::debug!(error = %e, "transient error while polling; polling again");
                if let Error::RateLimited {
                    retry_after: Some(wait),
                    ..
                } = e
                {
                    pause = pause.max(wait);
                }
            }
            Ok(Err(e)) => return Err(e),
        }
        let remaining = left();
        if pause >= remaining {
            tokio::time::sleep(remaining).await;
            return Err(timeout());
        }
        tokio::time::sleep(pause).await;
        interval = Duration::try_from_secs_f64(interval.as_secs_f64() * multiplier)
            .unwrap_or(options.max_interval)
            .min(options.max_interval);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_ids() {
        let url = "https://api.ionos.com/cloudapi/v6/requests/15f67991-0f51-4efc-a8ad-ef1fb31a480c/status";
        assert_eq!(
            request_id_from_location(url),
            Some("15f67991-0f51-4efc-a8ad-ef1fb31a480c")
        );
        for bad in [
            "string",
            "",
            "/requests//status",
            "/requests/abc",
            "/requests/xyz/status",
            "https://h/requests/../status",
        ] {
            assert_eq!(request_id_from_location(bad), None, "{bad}");
        }
    }

    #[test]
    fn states_round_trip_and_unknown_is_kept() {
        for s in ["QUEUED", "RUNNING", "DONE", "FAILED", "PAUSED"] {
            assert_eq!(RequestState::parse(s).as_str(), s);
        }
        assert!(RequestState::Failed.is_final());
        assert!(!RequestState::parse("PAUSED").is_final());
    }

    #[tokio::test]
    async fn wait_for_returns_the_first_accepted_answer() {
        let mut n = 0;
        let options = WaitOptions::with_timeout(Duration::from_secs(5))
            .intervals(Duration::from_millis(1), Duration::from_millis(2));
        let got = wait_for(
            || {
                n += 1;
                let v = n;
                async move {
                    if v == 2 {
                        Err(Error::unexpected(Some(503), "busy", b""))
                    } else {
                        Ok(v)
                    }
                }
            },
            |v| *v >= 4,
            &options,
        )
        .await
        .unwrap();
        assert_eq!(got, 4);
    }

    #[tokio::test]
    async fn extreme_options_do_not_panic() {
        for multiplier in [f64::INFINITY, f64::NAN, -3.0, 0.0, 1e300] {
            let options = WaitOptions {
                timeout: Duration::MAX,
                first_interval: Duration::from_millis(1),
                max_interval: Duration::from_millis(3),
                multiplier,
                not_found_grace: Duration::MAX,
                on_progress: None,
            };
            let mut n = 0;
            let got = wait_for(
                || {
                    n += 1;
                    let v = n;
                    async move { Ok(v) }
                },
                |v| *v == 4,
                &options,
            )
            .await
            .unwrap();
            assert_eq!(got, 4, "{multiplier}");
        }
    }

    #[tokio::test]
    async fn wait_for_stops_on_a_permanent_error_and_at_the_deadline() {
        let options = WaitOptions::with_timeout(Duration::from_millis(50))
            .intervals(Duration::from_millis(5), Duration::from_millis(5));
        let e = wait_for(
            || async {
                Err::<(), _>(Error::Permission {
                    code: "x".into(),
                    message: "no".into(),
                    status: Some(403),
                })
            },
            |_| true,
            &options,
        )
        .await
        .unwrap_err();
        assert!(matches!(e, Error::Permission { .. }));
        let e = wait_for(|| async { Ok(0) }, |_| false, &options)
            .await
            .unwrap_err();
        assert!(matches!(e, Error::Timeout { after: Some(d) } if d == Duration::from_millis(50)));
    }
}
