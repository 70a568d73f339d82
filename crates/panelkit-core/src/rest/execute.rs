//! The executor's loop: one attempt after another until an answer is final.
//!
//! An attempt builds the HTTP request (URL, headers, body, credentials) and
//! sends it. A 2xx answer is returned unread. A 401 (or an answer the
//! panel's decoder reads as [`Error::Auth`](crate::Error::Auth)) on a request
//! that carried credentials gets one renewal of them and one more send. A failure
//! the [`RetryPolicy`](super::RetryPolicy) deems transient is sent again after the wait it
//! names. Anything else is read (bounded) and decoded into the panel's
//! [`Error`](crate::Error). Requests whose bodies cannot be sent twice (streams) are never
//! sent twice.

use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::HeaderMap;
use tracing::Instrument;

use super::{body, Request, RestClient};
use crate::http::{HttpRequest, HttpStream};
use crate::{Error, Result};

/// Most of an error body kept for decoding; the rest is not read.
const ERROR_BODY_LIMIT: usize = 64 * 1024;

impl RestClient {
    /// Runs `request` to a final answer: a 2xx stream, or the error.
    /// `total` bounds each attempt's whole exchange (none for downloads).
    pub(super) async fn execute(
        &self,
        request: &Request,
        total: Option<Duration>,
    ) -> Result<HttpStream> {
        // Fields only: never the URL's query, headers or body (secrets).
        let span = tracing::debug_span!(
            "panel_call",
            panel = self.options.panel,
            operation = request.operation,
            method = %request.method,
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let result = self
            .execute_attempts(request, total, started)
            .instrument(span.clone())
            .await;
        let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
        span.record("elapsed_ms", elapsed_ms);
        let _enter = span.enter();
        match &result {
            Ok(stream) => {
                span.record("status", stream.status);
                tracing::debug!(status = stream.status, elapsed_ms, "call ok");
            }
            Err(error) => {
                if let Some(status) = error.status() {
                    span.record("status", status);
                }
                tracing::debug!(status = error.status(), elapsed_ms, error = %error, "call failed");
            }
        }
        result
    }

    async fn execute_attempts(
        &self,
        request: &Request,
        total: Option<Duration>,
        started: Instant,
    ) -> Result<HttpStream> {
        let replayable = request.body.is_replayable();
        let policy = &self.options.retry;
        let mut attempt = 0u32;
        let mut renewed = false;
        loop {
            attempt += 1;
            tracing::Span::current().record("attempts", attempt);
            let (sent, outcome) = self.attempt(request, total).await?;
            // An error page may echo the request: its secrets leave the error.
            let body = match &request.body {
                super::Body::Bytes { bytes, .. } => Some(&bytes[..]),
                _ => None,
            };
            let secrets = crate::redact::http_request_secrets(&sent.headers, &sent.url, body);
            let mut server_wait = None;
            let error = match outcome {
                Ok(answer) if (200..300).contains(&answer.status) => return Ok(answer),
                Ok(answer) => {
                    let status = answer.status;
                    let (headers, body) = read_error_body(answer).await?;
                    server_wait = super::retry_after(&headers, std::time::SystemTime::now());
                    let error =
                        self.inner
                            .errors
                            .decode(request.operation, status, &headers, &body);
                    // A 401, or an answer the panel's decoder reads as
                    // "credentials not accepted" whatever its status
                    // (DCImanager's error 3001).
                    let rejected = status == 401 || matches!(error, Error::Auth { .. });
                    if rejected && !renewed && !request.auth.is_empty() && replayable {
                        renewed = true;
                        if self.inner.auth.renew(self, &sent).await? {
                            tracing::debug!(
                                "credentials renewed after a rejection; sending once more"
                            );
                            // The replay is not a retry: it does not use up an attempt.
                            attempt -= 1;
                            continue;
                        }
                    }
                    error
                }
                Err(error) => error,
            }
            .scrub(&secrets);
            let may_retry =
                replayable && policy.allows_after(&request.method, request.idempotent, &error);
            let wait = if may_retry {
                policy.delay_after(attempt, started.elapsed(), &error, server_wait)
            } else {
                None
            };
            match wait {
                Some(wait) => {
                    tracing::debug!(
                        attempt,
                        wait_ms = wait.as_secs_f64() * 1000.0,
                        error = %error,
                        "retrying"
                    );
                    tokio::time::sleep(wait).await;
                }
                None => return Err(error),
            }
        }
    }

    /// One send. The outer `Result` is for errors no retry can fix (a bad
    /// URL, a stream already sent, credentials that cannot be had); the
    /// inner one is the exchange's outcome. Returns the request as sent
    /// (headers only), for [`super::Auth::renew`].
    async fn attempt(
        &self,
        request: &Request,
        total: Option<Duration>,
    ) -> Result<(HttpRequest, Result<HttpStream>)> {
        let url = self.url_of(request)?;
        let mut http = HttpRequest {
            method: request.method.clone(),
            url,
            headers: Vec::with_capacity(request.headers.len() + 2),
            body: Bytes::new(),
        };
        for (name, value) in &request.headers {
            http.headers.push(((*name).to_owned(), value.clone()));
        }
        if !request.auth.is_empty() {
            self.inner
                .auth
                .authorize(self, &mut http, request.auth)
                .await?;
        }
        let (body_headers, body) = body::outgoing(&request.body, request.operation)?;
        http.headers.extend(body_headers);
        let sent = http.clone();
        let outcome = self.inner.transport.open(http, body, total).await;
        Ok((sent, outcome))
    }
}

/// Reads up to [`ERROR_BODY_LIMIT`] bytes of an error answer (a longer one
/// is cut: the decoder sees it as truncated).
async fn read_error_body(mut answer: HttpStream) -> Result<(HeaderMap, Bytes)> {
    let mut body = Vec::new();
    while body.len() < ERROR_BODY_LIMIT {
        match answer.chunk().await {
            Ok(Some(chunk)) => {
                let room = ERROR_BODY_LIMIT - body.len();
                body.extend_from_slice(&chunk[..chunk.len().min(room)]);
            }
            Ok(None) => break,
            // A body cut off mid-way is still the panel's answer: decode
            // what arrived (it reads as truncated).
            Err(_) => break,
        }
    }
    Ok((std::mem::take(&mut answer.headers), body.into()))
}
