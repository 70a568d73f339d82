//! Retries and error answers against a local server: 429 with Retry-After in
//! seconds and as an HTTP date, 503, timeouts, bounded attempts and total
//! time, POST never retried, rate-limit headers exposed, and the error
//! bodies a panel or a proxy in front of it sends (SFTPGo's JSON, an HTML
//! page, an empty or cut-off body) as typed errors with their status.

mod support;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use panelkit_core::rest::{Method, RateLimit, Request, RestClient, RetryPolicy};
use panelkit_core::sftpgo::ClientBuilder;
use panelkit_core::Error;
use serde_json::json;
use support::{http_date, serve, Recorded, Reply, Server};

fn client(server: &Server) -> RestClient {
    ClientBuilder::new().url(&server.url).build().unwrap()
}

fn client_with(server: &Server, retry: RetryPolicy) -> RestClient {
    ClientBuilder::new()
        .url(&server.url)
        .retry(retry)
        .build()
        .unwrap()
}

fn get() -> Request {
    Request::new("get_status", Method::GET, "/status")
}

/// Answers the first `failures` requests with `fail`, then 200.
async fn failing_then_ok(
    failures: u64,
    fail: impl Fn(&Recorded) -> Reply + Send + Sync + 'static,
) -> Server {
    let left = Arc::new(AtomicU64::new(failures));
    serve(move |r| {
        if left
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok()
        {
            fail(r)
        } else {
            Reply::json(200, json!({"ok": true}))
                .header("X-RateLimit-Limit", "120")
                .header("X-RateLimit-Remaining", "119")
                .header("X-RateLimit-Burst", "20")
        }
    })
    .await
}

fn gap(server: &Server, a: usize, b: usize) -> Duration {
    let r = server.requests();
    r[b].at.duration_since(r[a].at)
}

#[tokio::test]
async fn rate_limited_with_retry_after_seconds() {
    let server = failing_then_ok(1, |_| {
        Reply::json(429, json!({"error": "slow down", "message": ""})).header("Retry-After", "1")
    })
    .await;
    let answer = client(&server).send(get()).await.unwrap();
    assert_eq!(answer.status, 200);
    assert_eq!(server.requests().len(), 2);
    assert!(
        gap(&server, 0, 1) >= Duration::from_millis(950),
        "{:?}",
        gap(&server, 0, 1)
    );
    assert_eq!(
        answer.rate_limit(),
        Some(RateLimit {
            limit: Some(120),
            remaining: Some(119),
            burst: Some(20),
            reset: None
        })
    );
}

#[tokio::test]
async fn rate_limited_with_retry_after_as_http_date() {
    let server = failing_then_ok(1, |_| {
        // Two seconds ahead at one-second resolution: at least one second.
        let at = SystemTime::now() + Duration::from_secs(2);
        Reply::new(429).header("Retry-After", http_date(at))
    })
    .await;
    client(&server).send(get()).await.unwrap();
    assert_eq!(server.requests().len(), 2);
    assert!(
        gap(&server, 0, 1) >= Duration::from_millis(950),
        "{:?}",
        gap(&server, 0, 1)
    );
}

#[tokio::test]
async fn retry_after_is_seconds_never_milliseconds() {
    // "1500" is 25 minutes: past the policy's total time, so it is not
    // waited for (nor read as 1.5 s and retried): the caller gets the wait.
    let server = failing_then_ok(1, |_| Reply::new(429).header("Retry-After", "1500")).await;
    let error = client(&server).send(get()).await.unwrap_err();
    assert!(
        matches!(error, Error::RateLimited { retry_after: Some(d), status: Some(429), .. } if d == Duration::from_secs(1500)),
        "{error:?}"
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn service_unavailable_is_retried_with_backoff_then_gives_up() {
    let server = failing_then_ok(2, |_| Reply::new(503)).await;
    let answer = client(&server).send(get()).await.unwrap();
    assert_eq!(answer.status, 200);
    assert_eq!(server.requests().len(), 3);

    let down = serve(|_| Reply::json(503, json!({"error": "maintenance"}))).await;
    let policy = RetryPolicy {
        max_attempts: 3,
        initial_backoff: Duration::from_millis(20),
        ..RetryPolicy::default()
    };
    let error = client_with(&down, policy).send(get()).await.unwrap_err();
    assert!(
        matches!(&error, Error::Fault { status: Some(503), message, .. } if message.contains("maintenance")),
        "{error:?}"
    );
    assert!(error.is_retryable());
    assert_eq!(down.requests().len(), 3, "attempts are bounded");
}

#[tokio::test]
async fn total_time_is_bounded() {
    let down = serve(|_| Reply::new(503).header("Retry-After", "1")).await;
    let policy = RetryPolicy {
        max_attempts: 100,
        max_elapsed: Duration::from_millis(2500),
        ..RetryPolicy::default()
    };
    let error = client_with(&down, policy).send(get()).await.unwrap_err();
    assert_eq!(error.status(), Some(503));
    // Waits of 1 s fit twice into 2.5 s: three attempts, not a hundred.
    assert_eq!(down.requests().len(), 3);
}

#[tokio::test]
async fn post_is_not_retried_unless_declared_idempotent() {
    let server = failing_then_ok(1, |_| Reply::new(503)).await;
    let post = || {
        Request::new("add_user", Method::POST, "/users")
            .json(&json!({"username": "u"}))
            .unwrap()
    };
    let error = client(&server).send(post()).await.unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert_eq!(server.requests().len(), 1);

    let server = failing_then_ok(1, |_| Reply::new(503)).await;
    client(&server).send(post().idempotent(true)).await.unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[1].body, requests[0].body,
        "the same body is sent again"
    );

    // A 429 on a POST is not retried either: the caller decides.
    let server = failing_then_ok(1, |_| Reply::new(429).header("Retry-After", "0")).await;
    let error = client(&server).send(post()).await.unwrap_err();
    assert!(matches!(error, Error::RateLimited { .. }), "{error:?}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn timeouts_are_retried_for_idempotent_requests() {
    let server = serve(|_| Reply::json(200, json!({})).delay(Duration::from_secs(2))).await;
    let client: RestClient = ClientBuilder::new()
        .url(&server.url)
        .timeout(Duration::from_millis(200))
        .retry(RetryPolicy {
            max_attempts: 2,
            initial_backoff: Duration::from_millis(10),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap();
    let error = client.send(get()).await.unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert_eq!(server.requests().len(), 2);
    let error = client
        .send(Request::new("add", Method::POST, "/x"))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert_eq!(
        server.requests().len(),
        3,
        "a POST that timed out may have been done: not resent"
    );
}

#[tokio::test]
async fn sftpgo_error_bodies_are_typed_with_their_status() {
    let server = serve(|r| {
        let body = |e: &str| json!({"error": e, "message": "from sftpgo"});
        match r.path() {
            "/api/v2/bad" => Reply::json(400, body("Validation error: username is mandatory")),
            "/api/v2/forbidden" => Reply::json(403, body("denied")),
            "/api/v2/missing" => Reply::json(404, body("not found")),
            "/api/v2/toobig" => Reply::json(413, body("too large")),
            _ => Reply::json(500, body("boom")),
        }
    })
    .await;
    let client = client_with(&server, RetryPolicy::none());
    let call = |path: &'static str| client.send(Request::new("op", Method::GET, path));
    let e = call("/bad").await.unwrap_err();
    assert!(
        matches!(&e, Error::Validation { status: Some(400), message, .. } if message.contains("username is mandatory")),
        "{e:?}"
    );
    assert!(matches!(
        call("/forbidden").await.unwrap_err(),
        Error::Permission {
            status: Some(403),
            ..
        }
    ));
    assert!(matches!(
        call("/missing").await.unwrap_err(),
        Error::NotFound {
            status: Some(404),
            ..
        }
    ));
    assert!(matches!(
        call("/toobig").await.unwrap_err(),
        Error::Fault {
            status: Some(413),
            ..
        }
    ));
    let e = call("/other").await.unwrap_err();
    assert!(
        matches!(
            &e,
            Error::Fault {
                status: Some(500),
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e.to_string().contains("op: from sftpgo: boom"), "{e}");
}

#[tokio::test]
async fn html_pages_empty_and_truncated_bodies_are_unexpected_responses() {
    let server = serve(|r| match r.path() {
        "/api/v2/html" => Reply::new(502)
            .header("Content-Type", "text/html")
            .body("<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"),
        "/api/v2/empty" => Reply::new(500),
        "/api/v2/truncated" => Reply::new(500)
            .header("Content-Type", "application/json")
            .truncated(100, r#"{"error": "bo"#),
        "/api/v2/ok-but-html" => Reply::new(200)
            .header("Content-Type", "text/html")
            .body("<html>login</html>"),
        _ => Reply::new(404)
            .header("Content-Type", "text/plain")
            .body("404 page not found"),
    })
    .await;
    let client = client_with(&server, RetryPolicy::none());
    let call = |path: &'static str| client.send(Request::new("op", Method::GET, path));
    for (path, status, reason, excerpt) in [
        (
            "/html",
            502,
            "HTML page",
            "<html><head><title>502 Bad Gateway",
        ),
        ("/empty", 500, "empty body", ""),
        ("/truncated", 500, "truncated JSON", r#"{"error": "bo"#),
        (
            "/plain",
            404,
            "non-JSON body (text/plain)",
            "404 page not found",
        ),
    ] {
        match call(path).await.unwrap_err() {
            Error::UnexpectedResponse {
                status: s,
                reason: r,
                excerpt: e,
            } => {
                assert_eq!(s, Some(status), "{path}");
                assert!(r.contains(reason), "{path}: {r}");
                assert!(e.starts_with(excerpt), "{path}: {e}");
            }
            other => panic!("{path}: {other:?}"),
        }
    }
    // A 2xx whose body is not the promised JSON is typed too.
    let answer = call("/ok-but-html").await.unwrap();
    let error = answer.json::<serde_json::Value>().unwrap_err();
    assert!(
        matches!(&error, Error::UnexpectedResponse { status: Some(200), excerpt, .. } if excerpt.contains("login")),
        "{error:?}"
    );
}
