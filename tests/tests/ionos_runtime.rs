//! The IONOS runtime against a local server the tests script
//! (`panelkit_tests::ionos`): request tracking through its whole lifecycle,
//! error bodies, authentication headers, client defaults and redaction.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use panelkit_core::ionos::tracking::{wait_for, RequestState};
use panelkit_core::ionos::{Accepted, ClientBuilder, RequestHandle, WaitOptions, SCHEMES};
use panelkit_core::rest::{Method, Request, RestClient, RetryPolicy};
use panelkit_core::Error;
use panelkit_tests::ionos::{Reply, ScriptedServer};

const REQUEST_ID: &str = "15f67991-0f51-4efc-a8ad-ef1fb31a480c";
const STATUS_PATH: &str = "/requests/15f67991-0f51-4efc-a8ad-ef1fb31a480c/status";
const PASSWORD: &str = "pässword-hunter2";
const TOKEN: &str = "eyJ0eXAiOiJKV1QiLCJraWQiOiJ0b2tlbi1zZWNyZXQ";

/// A client whose own retries are off, so every scripted reply reaches the
/// code under test.
fn client(server: &ScriptedServer) -> RestClient {
    ClientBuilder::new()
        .url(server.url())
        .basic_auth("user@example.com", PASSWORD)
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

/// A client with the default retry policy, its backoff shortened.
fn retrying_client(server: &ScriptedServer) -> RestClient {
    ClientBuilder::new()
        .url(server.url())
        .token(TOKEN)
        .retry(RetryPolicy {
            initial_backoff: Duration::from_millis(10),
            max_backoff: Duration::from_millis(20),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap()
}

fn fast(timeout: Duration) -> WaitOptions {
    WaitOptions::with_timeout(timeout)
        .intervals(Duration::from_millis(5), Duration::from_millis(20))
}

/// Scripts `POST /datacenters` → 202 with a Location naming the request.
fn script_create(server: &ScriptedServer) {
    server.on(
        "POST",
        "/datacenters",
        [Reply::json(
            202,
            serde_json::json!({"id": "dc-1", "type": "datacenter", "properties": {"name": "x", "location": "de/fra"}}),
        )
        .header("Location", format!("{}{STATUS_PATH}", server.url()))],
    );
}

/// Creates a datacenter the way generated code does.
async fn create(client: &RestClient) -> Accepted<serde_json::Value> {
    let request = Request::new("datacentersPost", Method::POST, "/datacenters")
        .auth(SCHEMES)
        .json(&serde_json::json!({"properties": {"name": "x", "location": "de/fra"}}))
        .unwrap();
    let response = client.send(request).await.unwrap();
    let value = response.json().unwrap();
    Accepted::from_response(client, &response, value)
}

#[tokio::test]
async fn request_goes_queued_running_done_with_progress() {
    let server = ScriptedServer::start().await;
    script_create(&server);
    server.on(
        "GET",
        STATUS_PATH,
        [
            Reply::request_status(REQUEST_ID, "QUEUED", None),
            Reply::request_status(REQUEST_ID, "QUEUED", None),
            Reply::request_status(REQUEST_ID, "RUNNING", None),
            Reply::request_status(
                REQUEST_ID,
                "DONE",
                Some("Request has been successfully executed"),
            ),
        ],
    );
    let client = client(&server);
    let accepted = create(&client).await;
    assert_eq!(accepted.request_id(), Some(REQUEST_ID));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let observer = seen.clone();
    let options = fast(Duration::from_secs(10)).on_progress(move |p| {
        observer.lock().unwrap().push((p.state.clone(), p.polls));
    });
    let value = accepted.wait_with(&options).await.unwrap();
    assert_eq!(value["id"], "dc-1");
    assert_eq!(
        *seen.lock().unwrap(),
        vec![
            (RequestState::Queued, 1),
            (RequestState::Queued, 2),
            (RequestState::Running, 3),
            (RequestState::Done, 4),
        ]
    );
    let polls = server.requests_to("GET", STATUS_PATH);
    assert_eq!(polls.len(), 4);
    // Pauses grow between polls (5 ms, 7.5 ms, 11.25 ms): never a busy loop.
    for pair in polls.windows(2) {
        assert!(pair[1].at - pair[0].at >= Duration::from_millis(5));
    }
    // Exactly one Authorization header, Basic, on every request.
    for request in server.requests() {
        let auth = request.header_values("authorization");
        assert_eq!(auth.len(), 1, "{request:?}");
        assert!(auth[0].starts_with("Basic "));
    }
}

#[tokio::test]
async fn progress_reports_targets_and_message() {
    let server = ScriptedServer::start().await;
    server.on(
        "GET",
        STATUS_PATH,
        [Reply::request_status(
            REQUEST_ID,
            "RUNNING",
            Some("working"),
        )],
    );
    let handle = RequestHandle::new(&client(&server), REQUEST_ID);
    let progress = handle.status().await.unwrap();
    assert_eq!(progress.state, RequestState::Running);
    assert_eq!(progress.message.as_deref(), Some("working"));
    assert_eq!(progress.targets.len(), 1);
    assert_eq!(progress.targets[0].id.as_deref(), Some("dc-1"));
    assert_eq!(progress.targets[0].kind.as_deref(), Some("datacenter"));
    assert_eq!(progress.targets[0].state, Some(RequestState::Running));
}

#[tokio::test]
async fn failed_request_is_a_typed_error_with_id_and_message() {
    let server = ScriptedServer::start().await;
    script_create(&server);
    server.on(
        "GET",
        STATUS_PATH,
        [
            Reply::request_status(REQUEST_ID, "RUNNING", None),
            Reply::request_status(REQUEST_ID, "FAILED", Some("[VDC-5-1830] out of quota")),
        ],
    );
    let client = client(&server);
    let error = create(&client)
        .await
        .wait_with(&fast(Duration::from_secs(10)))
        .await
        .unwrap_err();
    match &error {
        Error::RequestFailed {
            request_id,
            message,
        } => {
            assert_eq!(request_id, REQUEST_ID);
            assert_eq!(message, "[VDC-5-1830] out of quota");
        }
        other => panic!("{other:?}"),
    }
    assert!(error.to_string().contains(REQUEST_ID));
    assert!(!error.is_retryable());
}

#[tokio::test]
async fn deadline_ends_the_wait_with_a_timeout() {
    let server = ScriptedServer::start().await;
    server.on(
        "GET",
        STATUS_PATH,
        [Reply::request_status(REQUEST_ID, "QUEUED", None)],
    );
    let handle = RequestHandle::new(&client(&server), REQUEST_ID);
    let started = Instant::now();
    let deadline = Duration::from_millis(300);
    let error = handle.wait_with(&fast(deadline)).await.unwrap_err();
    assert!(
        matches!(error, Error::Timeout { after: Some(d) } if d == deadline),
        "{error:?}"
    );
    assert!(started.elapsed() >= deadline);
    assert!(server.requests_to("GET", STATUS_PATH).len() >= 3);
}

#[tokio::test]
async fn a_poll_that_hangs_is_cut_at_the_deadline() {
    let server = ScriptedServer::start().await;
    server.on(
        "GET",
        STATUS_PATH,
        [Reply::request_status(REQUEST_ID, "DONE", None).delayed(Duration::from_secs(30))],
    );
    let handle = RequestHandle::new(&client(&server), REQUEST_ID);
    let started = Instant::now();
    let error = handle
        .wait_with(&fast(Duration::from_millis(200)))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    // Well before the 30 s the answer would take.
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[tokio::test]
async fn polling_survives_transient_trouble() {
    let server = ScriptedServer::start().await;
    script_create(&server);
    server.on(
        "GET",
        STATUS_PATH,
        [
            // Not visible yet right after creation.
            Reply::ionos_error(404, "309", "Resource does not exist"),
            Reply::request_status(REQUEST_ID, "QUEUED", None),
            Reply::new(503, "<html><body>Service Unavailable</body></html>"),
            Reply::ionos_error(500, "100", "Internal error"),
            Reply::hang_up(),
            Reply::new(502, ""),
            Reply::ionos_error(429, "429", "Too many requests").header("Retry-After", "0"),
            Reply::request_status(REQUEST_ID, "RUNNING", None),
            Reply::request_status(REQUEST_ID, "DONE", None),
        ],
    );
    let client = client(&server);
    let value = create(&client)
        .await
        .wait_with(&fast(Duration::from_secs(20)))
        .await
        .unwrap();
    assert_eq!(value["id"], "dc-1");
    assert_eq!(server.requests_to("GET", STATUS_PATH).len(), 9);
}

#[tokio::test]
async fn polling_honours_retry_after_seconds() {
    let server = ScriptedServer::start().await;
    server.on(
        "GET",
        STATUS_PATH,
        [
            Reply::ionos_error(429, "429", "Too many requests").header("Retry-After", "1"),
            Reply::request_status(REQUEST_ID, "DONE", None),
        ],
    );
    let handle = RequestHandle::new(&client(&server), REQUEST_ID);
    handle
        .wait_with(&fast(Duration::from_secs(20)))
        .await
        .unwrap();
    let polls = server.requests_to("GET", STATUS_PATH);
    assert_eq!(polls.len(), 2);
    assert!(polls[1].at - polls[0].at >= Duration::from_secs(1));
}

#[tokio::test]
async fn not_found_after_an_answer_or_past_the_grace_is_an_error() {
    let server = ScriptedServer::start().await;
    server.on(
        "GET",
        STATUS_PATH,
        [
            Reply::request_status(REQUEST_ID, "QUEUED", None),
            Reply::ionos_error(404, "309", "Resource does not exist"),
        ],
    );
    let handle = RequestHandle::new(&client(&server), REQUEST_ID);
    let error = handle
        .wait_with(&fast(Duration::from_secs(10)))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::NotFound { .. }), "{error:?}");

    let server = ScriptedServer::start().await;
    server.on("GET", STATUS_PATH, [Reply::ionos_error(404, "309", "gone")]);
    let handle = RequestHandle::new(&client(&server), REQUEST_ID);
    let options = fast(Duration::from_secs(10)).not_found_grace(Duration::from_millis(50));
    let error = handle.wait_with(&options).await.unwrap_err();
    assert!(matches!(error, Error::NotFound { .. }), "{error:?}");
}

#[tokio::test]
async fn polling_stops_on_bad_credentials() {
    let server = ScriptedServer::start().await;
    server.on(
        "GET",
        STATUS_PATH,
        [Reply::ionos_error(401, "315", "Unauthorized")],
    );
    let handle = RequestHandle::new(&client(&server), REQUEST_ID);
    let error = handle
        .wait_with(&fast(Duration::from_secs(10)))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Auth { .. }), "{error:?}");
    assert_eq!(server.requests_to("GET", STATUS_PATH).len(), 1);
}

#[tokio::test]
async fn location_without_a_request_gives_a_handle_less_result() {
    let server = ScriptedServer::start().await;
    // What prism sends: the spec's example, the literal word.
    server.on(
        "DELETE",
        "/datacenters/dc-1",
        [Reply::new(202, "").header("Location", "string")],
    );
    server.on("DELETE", "/datacenters/dc-2", [Reply::new(202, "")]);
    let client = client(&server);
    for path in ["/datacenters/dc-1", "/datacenters/dc-2"] {
        let response = client
            .send(Request::new("datacentersDelete", Method::DELETE, path).auth(SCHEMES))
            .await
            .unwrap();
        let accepted = Accepted::from_response(&client, &response, ());
        assert!(accepted.request.is_none());
        let error = accepted.wait().await.unwrap_err();
        match error {
            Error::UnexpectedResponse { status, reason, .. } => {
                assert_eq!(status, Some(202));
                assert!(reason.contains("datacentersDelete"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
    }
}

#[tokio::test]
async fn wait_for_polls_a_resource_until_the_check_passes() {
    let server = ScriptedServer::start().await;
    let path = "/datacenters/dc-1";
    server.on(
        "GET",
        path,
        [
            Reply::ionos_error(404, "309", "Resource does not exist"),
            Reply::json(
                200,
                serde_json::json!({"id": "dc-1", "metadata": {"state": "BUSY"}}),
            ),
            Reply::json(
                200,
                serde_json::json!({"id": "dc-1", "metadata": {"state": "AVAILABLE"}}),
            ),
        ],
    );
    let client = client(&server);
    let got = wait_for(
        || {
            let client = client.clone();
            async move {
                client
                    .send(Request::new("datacentersFindById", Method::GET, path).auth(SCHEMES))
                    .await?
                    .json::<serde_json::Value>()
            }
        },
        |dc| dc["metadata"]["state"] == "AVAILABLE",
        &fast(Duration::from_secs(10)),
    )
    .await
    .unwrap();
    assert_eq!(got["metadata"]["state"], "AVAILABLE");
    assert_eq!(server.requests_to("GET", path).len(), 3);
}

#[tokio::test]
async fn error_bodies_become_typed_errors() {
    let server = ScriptedServer::start().await;
    let cases: Vec<(&str, Reply)> = vec![
        ("/e401", Reply::ionos_error(401, "315", "Unauthorized")),
        ("/e403", Reply::ionos_error(403, "361", "Access denied")),
        (
            "/e404",
            Reply::ionos_error(404, "309", "Resource does not exist"),
        ),
        (
            "/e422",
            Reply::ionos_error(
                422,
                "100",
                "[(root).properties.cores] Attribute is mandatory",
            ),
        ),
        (
            "/e429",
            Reply::ionos_error(429, "429", "slow down").header("Retry-After", "7"),
        ),
        ("/e500", Reply::ionos_error(500, "100", "boom")),
        (
            "/html",
            Reply::new(502, "<html><body>Bad Gateway</body></html>"),
        ),
        ("/empty", Reply::new(500, "")),
        (
            "/truncated",
            Reply::new(400, r#"{"httpStatus": 400, "messages": [{"errorCo"#),
        ),
        (
            "/wrongtype",
            Reply::new(400, r#"{"httpStatus": "x", "messages": 3}"#),
        ),
    ];
    for (path, reply) in &cases {
        server.on("GET", path, [reply.clone()]);
    }
    let client = client(&server);
    let mut errors = Vec::new();
    for (path, _) in &cases {
        let error = client
            .send(Request::new("probe", Method::GET, *path).auth(SCHEMES))
            .await
            .unwrap_err();
        errors.push(error);
    }
    assert!(matches!(&errors[0], Error::Auth { code, .. } if code == "315"));
    assert!(matches!(&errors[1], Error::Permission { code, .. } if code == "361"));
    assert!(matches!(&errors[2], Error::NotFound { code, .. } if code == "309"));
    assert!(
        matches!(&errors[3], Error::Validation { fields, .. } if fields == &["(root).properties.cores"])
    );
    assert!(
        matches!(&errors[4], Error::RateLimited { retry_after: Some(d), .. } if *d == Duration::from_secs(7))
    );
    assert!(
        matches!(&errors[5], Error::Fault { code, message, status: Some(500) } if code == "100" && message.contains("boom"))
    );
    for error in &errors[6..] {
        assert!(
            matches!(error, Error::UnexpectedResponse { .. }),
            "{error:?}"
        );
    }
    assert_eq!(errors[6].status(), Some(502));
    assert!(errors[6].to_string().contains("Bad Gateway"));
}

#[tokio::test]
async fn token_auth_sends_one_bearer_header_and_no_auth_where_none_is_declared() {
    let server = ScriptedServer::start().await;
    server.on(
        "GET",
        "/",
        [Reply::json(200, serde_json::json!({"name": "CLOUD API"}))],
    );
    server.on(
        "GET",
        "/datacenters",
        [Reply::json(200, serde_json::json!({"items": []}))],
    );
    let client: RestClient = ClientBuilder::new()
        .url(server.url())
        .basic_auth("user@example.com", PASSWORD)
        .token(TOKEN)
        .build()
        .unwrap();
    client
        .send(Request::new("apiInfoGet", Method::GET, "/"))
        .await
        .unwrap();
    client
        .send(Request::new("datacentersGet", Method::GET, "/datacenters").auth(SCHEMES))
        .await
        .unwrap();
    let requests = server.requests();
    assert!(requests[0].header_values("authorization").is_empty());
    assert_eq!(
        requests[1].header_values("authorization"),
        vec![format!("Bearer {TOKEN}")]
    );
}

#[tokio::test]
async fn client_defaults_apply_to_declaring_operations_unless_overridden() {
    let server = ScriptedServer::start().await;
    for path in ["/a", "/b", "/c"] {
        server.on("GET", path, [Reply::json(200, serde_json::json!({}))]);
    }
    let client: RestClient = ClientBuilder::new()
        .url(server.url())
        .token(TOKEN)
        .depth(2)
        .pretty(false)
        .contract_number(31_337)
        .build()
        .unwrap();
    let declared = panelkit_core::ionos::DEFAULTABLE;
    client
        .send(
            Request::new("a", Method::GET, "/a")
                .auth(SCHEMES)
                .defaults(declared),
        )
        .await
        .unwrap();
    client
        .send(
            Request::new("b", Method::GET, "/b")
                .auth(SCHEMES)
                .defaults(declared)
                .query("depth", 5)
                .header("X-Contract-Number", 7),
        )
        .await
        .unwrap();
    client
        .send(Request::new("c", Method::GET, "/c").auth(SCHEMES))
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests[0].query_value("depth"), Some("2"));
    assert_eq!(requests[0].query_value("pretty"), Some("false"));
    assert_eq!(
        requests[0].header_values("x-contract-number"),
        vec!["31337"]
    );
    assert_eq!(requests[1].query_value("depth"), Some("5"));
    assert_eq!(requests[1].query_value("pretty"), Some("false"));
    assert_eq!(requests[1].header_values("x-contract-number"), vec!["7"]);
    assert!(requests[2].query.is_empty());
    assert!(requests[2].header_values("x-contract-number").is_empty());
}

#[tokio::test]
async fn secrets_stay_out_of_debug_and_errors() {
    let server = ScriptedServer::start().await;
    // An error page that echoes nothing secret, and an auth failure.
    server.on(
        "GET",
        "/x",
        [Reply::ionos_error(401, "315", "Unauthorized")],
    );
    for client in [
        client(&server),
        ClientBuilder::new()
            .url(server.url())
            .token(TOKEN)
            .build()
            .unwrap(),
    ] {
        let error = client
            .send(Request::new("x", Method::GET, "/x").auth(SCHEMES))
            .await
            .unwrap_err();
        let handle = RequestHandle::new(&client, REQUEST_ID);
        for shown in [
            format!("{client:?}"),
            format!("{error:?}"),
            error.to_string(),
            format!("{handle:?}"),
        ] {
            assert!(!shown.contains(PASSWORD), "{shown}");
            assert!(!shown.contains(TOKEN), "{shown}");
            assert!(!shown.contains("dXNlckBleGFtcGxlLmNvbT"), "{shown}"); // base64 of the user
        }
    }
}

#[tokio::test]
async fn rate_limited_reads_are_retried_after_retry_after_seconds() {
    let server = ScriptedServer::start().await;
    server.on(
        "GET",
        "/datacenters",
        [
            Reply::ionos_error(429, "429", "slow down").header("Retry-After", "1"),
            Reply::json(200, serde_json::json!({"items": []}))
                .header("X-RateLimit-Limit", "120")
                .header("X-RateLimit-Remaining", "119")
                .header("X-RateLimit-Burst", "50"),
        ],
    );
    let client = retrying_client(&server);
    let response = client
        .send(Request::new("datacentersGet", Method::GET, "/datacenters").auth(SCHEMES))
        .await
        .unwrap();
    let limit = response.rate_limit().unwrap();
    assert_eq!(
        (limit.limit, limit.remaining, limit.burst),
        (Some(120), Some(119), Some(50))
    );
    let requests = server.requests_to("GET", "/datacenters");
    assert_eq!(requests.len(), 2);
    assert!(requests[1].at - requests[0].at >= Duration::from_secs(1));
}

/// `Retry-After` as an IMF-fixdate `seconds` from now (rounded up to the
/// next whole second, as the format has no fractions).
fn http_date_in(seconds: u64) -> String {
    let at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + seconds
        + 1;
    let days = at / 86_400;
    let (h, m, s) = (at % 86_400 / 3600, at % 3600 / 60, at % 60);
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][(days % 7) as usize];
    let month = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][(month - 1) as usize];
    format!("{weekday}, {day:02} {month} {year} {h:02}:{m:02}:{s:02} GMT")
}

#[tokio::test]
async fn rate_limited_reads_are_retried_after_an_http_date() {
    let server = ScriptedServer::start().await;
    let date = http_date_in(1);
    server.on(
        "GET",
        "/datacenters",
        [
            Reply::ionos_error(429, "429", "slow down").header("Retry-After", date.clone()),
            Reply::json(200, serde_json::json!({"items": []})),
        ],
    );
    let client = retrying_client(&server);
    client
        .send(Request::new("datacentersGet", Method::GET, "/datacenters").auth(SCHEMES))
        .await
        .unwrap();
    let requests = server.requests_to("GET", "/datacenters");
    assert_eq!(requests.len(), 2, "{date}");
    // The date is at least one whole second ahead when the 429 is sent.
    assert!(
        requests[1].at - requests[0].at >= Duration::from_secs(1),
        "{date}"
    );
}

#[tokio::test]
async fn unavailable_is_retried_for_idempotent_requests_only() {
    let server = ScriptedServer::start().await;
    let busy = || Reply::ionos_error(503, "503", "maintenance");
    server.on(
        "PUT",
        "/datacenters/dc-1",
        [
            busy(),
            busy(),
            Reply::json(202, serde_json::json!({"id": "dc-1"})),
        ],
    );
    server.on(
        "POST",
        "/datacenters",
        [busy(), Reply::json(202, serde_json::json!({}))],
    );
    let client = retrying_client(&server);
    client
        .send(
            Request::new("datacentersPut", Method::PUT, "/datacenters/dc-1")
                .auth(SCHEMES)
                .json(&serde_json::json!({"properties": {}}))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(server.requests_to("PUT", "/datacenters/dc-1").len(), 3);
    let error = client
        .send(
            Request::new("datacentersPost", Method::POST, "/datacenters")
                .auth(SCHEMES)
                .json(&serde_json::json!({"properties": {}}))
                .unwrap(),
        )
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert_eq!(
        server.requests_to("POST", "/datacenters").len(),
        1,
        "a POST is never re-sent"
    );
}

#[tokio::test]
async fn retries_are_bounded() {
    let server = ScriptedServer::start().await;
    server.on(
        "GET",
        "/datacenters",
        [Reply::ionos_error(503, "503", "maintenance")],
    );
    let client = retrying_client(&server);
    let error = client
        .send(Request::new("datacentersGet", Method::GET, "/datacenters").auth(SCHEMES))
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert_eq!(
        server.requests_to("GET", "/datacenters").len(),
        RetryPolicy::default().max_attempts as usize
    );
}

#[test]
fn secrets_stay_out_of_trace_logs() {
    let captured = panelkit_tests::logs::TraceCapture::start();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let server = ScriptedServer::start().await;
        script_create(&server);
        server.on(
            "GET",
            STATUS_PATH,
            [
                Reply::ionos_error(500, "100", "boom"),
                Reply::request_status(REQUEST_ID, "DONE", None),
            ],
        );
        server.on(
            "GET",
            "/denied",
            [Reply::ionos_error(401, "315", "Unauthorized")],
        );
        for client in [
            client(&server),
            ClientBuilder::new()
                .url(server.url())
                .token(TOKEN)
                .build()
                .unwrap(),
        ] {
            create(&client)
                .await
                .wait_with(&fast(Duration::from_secs(10)))
                .await
                .unwrap();
            let _ = client
                .send(Request::new("denied", Method::GET, "/denied").auth(SCHEMES))
                .await;
        }
        let handle = RequestHandle::new(&client(&server), "0000");
        server.on(
            "GET",
            "/requests/0000/status",
            [Reply::request_status("0000", "QUEUED", None)],
        );
        let _ = handle.wait_with(&fast(Duration::from_millis(30))).await;
    });
    let logged = captured.text();
    assert!(
        logged.contains("transient error"),
        "the run logged nothing useful: {logged}"
    );
    assert!(logged.contains("not done before the deadline"), "{logged}");
    for secret in [PASSWORD, TOKEN, "dXNlckBleGFtcGxlLmNvbT"] {
        assert!(!logged.contains(secret), "{secret} logged:\n{logged}");
    }
}
