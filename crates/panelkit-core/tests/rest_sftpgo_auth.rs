//! SFTPGo authentication against a local server that behaves like SFTPGo's
//! token endpoints and API: JWT fetch and reuse, renewal before expiry and
//! after a 401 (once), single-flight fetches, rejected passwords not
//! retried, API keys with impersonation, OTP, the user vs admin API, one
//! credential per request, and no secret in Debug, errors or logs.

mod support;

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, SystemTime};

use panelkit_core::rest::{Method, Request, RestClient, RetryPolicy};
use panelkit_core::sftpgo::{ClientBuilder, Realm};
use panelkit_core::{Error, Secret};
use serde_json::json;
use support::{http_date, rfc3339, Recorded, Reply, Server};

const ADMIN_BASIC: &str = "Basic YWRtaW46YWRtaW4tcMOkc3M="; // admin:admin-päss
const USER_BASIC: &str = "Basic YWxpY2U6YWxpY2UtcHc="; // alice:alice-pw
const BOTH: &[&str] = &["BearerAuth", "APIKeyAuth"];

/// The server's side: issued tokens, which are still accepted, knobs.
struct Fake {
    issued: AtomicU64,
    valid: Mutex<HashSet<String>>,
    lifetime: Mutex<Duration>,
    token_delay: Mutex<Duration>,
}

impl Fake {
    fn new() -> Arc<Self> {
        Arc::new(Fake {
            issued: AtomicU64::new(0),
            valid: Mutex::new(HashSet::new()),
            lifetime: Mutex::new(Duration::from_secs(1200)),
            token_delay: Mutex::new(Duration::ZERO),
        })
    }

    fn issue(&self, prefix: &str) -> Reply {
        let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
        let token = format!("{prefix}-jwt-{n}");
        self.valid.lock().unwrap().insert(token.clone());
        let now = SystemTime::now();
        let expires = now + *self.lifetime.lock().unwrap();
        Reply::json(
            200,
            json!({"access_token": token, "expires_at": rfc3339(expires)}),
        )
        .header("Date", http_date(now))
        .delay(*self.token_delay.lock().unwrap())
    }

    fn revoke_all(&self) {
        self.valid.lock().unwrap().clear();
    }

    fn handle(&self, request: &Recorded) -> Reply {
        let unauthorized = || {
            Reply::json(
                401,
                json!({"error": "Unauthorized", "message": "invalid credentials"}),
            )
        };
        let path = request.path().trim_start_matches("/api/v2");
        match path {
            "/token" => {
                if request.header("authorization") == Some(ADMIN_BASIC) {
                    self.issue("admin")
                } else {
                    unauthorized()
                }
            }
            "/user/token" => {
                if request.header("authorization") == Some(USER_BASIC) {
                    self.issue("user")
                } else {
                    unauthorized()
                }
            }
            "/healthz" => Reply::new(200)
                .header("Content-Type", "text/plain")
                .body("ok"),
            _ => {
                let wanted = if path.starts_with("/user/") {
                    "user-"
                } else {
                    "admin-"
                };
                let ok = match (
                    request.header("authorization"),
                    request.header("x-sftpgo-api-key"),
                ) {
                    (Some(auth), None) => auth.strip_prefix("Bearer ").is_some_and(|t| {
                        t.starts_with(wanted) && self.valid.lock().unwrap().contains(t)
                    }),
                    (None, Some(key)) => key == "k3y-secret.bob",
                    _ => false,
                };
                if ok {
                    Reply::json(200, json!({"path": path}))
                } else {
                    unauthorized()
                }
            }
        }
    }
}

/// Every test's server comes from here, so the capturing subscriber is in
/// place before any client code runs (see [`logs`]).
async fn serve(handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> Server {
    logs();
    support::serve(handler).await
}

async fn fake_server(fake: &Arc<Fake>) -> Server {
    let fake = fake.clone();
    serve(move |r| fake.handle(r)).await
}

fn admin_client(server: &Server) -> RestClient {
    ClientBuilder::new()
        .url(&server.url)
        .admin("admin", "admin-päss")
        .build()
        .unwrap()
}

fn get(path: &'static str) -> Request {
    Request::new("op", Method::GET, path).auth(BOTH)
}

fn tokens_fetched(server: &Server) -> usize {
    server.requests_to("/api/v2/token").len() + server.requests_to("/api/v2/user/token").len()
}

fn assert_one_credential_each(server: &Server) {
    for r in server.requests() {
        let expected = usize::from(r.path() != "/healthz");
        assert_eq!(
            r.auth_headers(),
            expected,
            "{} {}: {:?}",
            r.method,
            r.target,
            r.headers
        );
    }
}

#[tokio::test]
async fn token_is_fetched_once_and_reused() {
    let fake = Fake::new();
    let server = fake_server(&fake).await;
    let client = admin_client(&server);
    for _ in 0..3 {
        let answer = client.send(get("/users")).await.unwrap();
        assert_eq!(answer.status, 200);
    }
    assert_eq!(tokens_fetched(&server), 1);
    let token_request = &server.requests_to("/api/v2/token")[0];
    assert_eq!(token_request.method, "GET");
    assert_eq!(token_request.header("authorization"), Some(ADMIN_BASIC));
    for r in server.requests_to("/api/v2/users") {
        assert_eq!(r.header("authorization"), Some("Bearer admin-jwt-1"));
    }
    assert_one_credential_each(&server);
}

#[tokio::test]
async fn token_is_renewed_before_it_expires() {
    let fake = Fake::new();
    *fake.lifetime.lock().unwrap() = Duration::from_secs(4);
    let server = fake_server(&fake).await;
    let client: RestClient = ClientBuilder::new()
        .url(&server.url)
        .admin("admin", "admin-päss")
        .token_refresh_margin(Duration::from_secs(2))
        .build()
        .unwrap();
    client.send(get("/users")).await.unwrap();
    client.send(get("/users")).await.unwrap();
    assert_eq!(tokens_fetched(&server), 1, "still fresh: reused");
    // 4 s lifetime, renewed 2 s before its end: after 2.2 s a new one is
    // fetched although the old one is still valid on the server.
    tokio::time::sleep(Duration::from_millis(2200)).await;
    client.send(get("/users")).await.unwrap();
    assert_eq!(tokens_fetched(&server), 2);
    let users = server.requests_to("/api/v2/users");
    assert_eq!(users.len(), 3, "no request was rejected first");
    assert_eq!(users[2].header("authorization"), Some("Bearer admin-jwt-2"));
    assert_one_credential_each(&server);
}

#[tokio::test]
async fn a_401_renews_the_token_once_and_resends_once() {
    let fake = Fake::new();
    let server = fake_server(&fake).await;
    let client = admin_client(&server);
    client.send(get("/users")).await.unwrap();
    // The server forgets its tokens (restart, logout elsewhere).
    fake.revoke_all();
    client.send(get("/users")).await.unwrap();
    assert_eq!(tokens_fetched(&server), 2);
    let users = server.requests_to("/api/v2/users");
    assert_eq!(users.len(), 3);
    assert_eq!(users[1].header("authorization"), Some("Bearer admin-jwt-1"));
    assert_eq!(users[2].header("authorization"), Some("Bearer admin-jwt-2"));
    assert_one_credential_each(&server);
}

#[tokio::test]
async fn a_second_401_is_final() {
    // The token endpoint works but the API rejects every token: one renewal,
    // one resend, then the 401 is the caller's error.
    let fake = Fake::new();
    let inner = fake.clone();
    let server = serve(move |r| {
        if r.path() == "/api/v2/users" {
            Reply::json(401, json!({"error": "token revoked", "message": ""}))
        } else {
            inner.handle(r)
        }
    })
    .await;
    let client = admin_client(&server);
    let error = client.send(get("/users")).await.unwrap_err();
    assert!(
        matches!(&error, Error::Auth { status: Some(401), message, .. } if message.contains("token revoked")),
        "{error:?}"
    );
    assert_eq!(server.requests_to("/api/v2/users").len(), 2);
    assert_eq!(tokens_fetched(&server), 2);
}

#[tokio::test]
async fn concurrent_callers_share_one_token_fetch() {
    let fake = Fake::new();
    *fake.token_delay.lock().unwrap() = Duration::from_millis(300);
    let server = fake_server(&fake).await;
    let client = admin_client(&server);
    let calls = (0..20).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.send(get("/users")).await })
    });
    for call in calls.collect::<Vec<_>>() {
        call.await.unwrap().unwrap();
    }
    assert_eq!(tokens_fetched(&server), 1);

    // All 20 hold a token the server then forgets: 20 401s, one fetch.
    fake.revoke_all();
    let calls = (0..20).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.send(get("/users")).await })
    });
    for call in calls.collect::<Vec<_>>() {
        call.await.unwrap().unwrap();
    }
    assert_eq!(tokens_fetched(&server), 2);
    assert_one_credential_each(&server);
}

#[tokio::test]
async fn a_rejected_password_is_not_retried() {
    let fake = Fake::new();
    *fake.token_delay.lock().unwrap() = Duration::from_millis(200);
    let server = fake_server(&fake).await;
    let client: RestClient = ClientBuilder::new()
        .url(&server.url)
        .admin("admin", "wrong-password")
        .build()
        .unwrap();
    let calls = (0..10).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.send(get("/users")).await })
    });
    for call in calls.collect::<Vec<_>>() {
        let error = call.await.unwrap().unwrap_err();
        assert!(
            matches!(
                &error,
                Error::Auth {
                    status: Some(401),
                    hint: Some(_),
                    ..
                }
            ),
            "{error:?}"
        );
    }
    // One login for ten callers; the API itself was never called.
    assert_eq!(tokens_fetched(&server), 1);
    assert!(server.requests_to("/api/v2/users").is_empty());
    // Later calls do not send the refused password again either.
    let error = client.send(get("/users")).await.unwrap_err();
    assert!(
        matches!(
            &error,
            Error::Auth {
                status: Some(401),
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(tokens_fetched(&server), 1);

    // With an OTP provider the next login may succeed (a new passcode): it
    // is tried again, once per call.
    let client: RestClient = ClientBuilder::new()
        .url(&server.url)
        .admin("admin", "wrong-password")
        .otp_provider(|_| Some(Secret::new("000000")))
        .build()
        .unwrap();
    client.send(get("/users")).await.unwrap_err();
    client.send(get("/users")).await.unwrap_err();
    assert_eq!(tokens_fetched(&server), 3);
}

#[tokio::test]
async fn api_key_with_impersonation() {
    let fake = Fake::new();
    let server = fake_server(&fake).await;
    let client: RestClient = ClientBuilder::new()
        .url(&server.url)
        .api_key_for_user("k3y-secret", "bob")
        .build()
        .unwrap();
    client.send(get("/users")).await.unwrap();
    let r = &server.requests_to("/api/v2/users")[0];
    assert_eq!(r.header("x-sftpgo-api-key"), Some("k3y-secret.bob"));
    assert_eq!(r.header("authorization"), None);

    // A rejected key is not sent again, and there is nothing to renew.
    let client: RestClient = ClientBuilder::new()
        .url(&server.url)
        .api_key("wrong")
        .build()
        .unwrap();
    let error = client.send(get("/admins")).await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Auth {
                status: Some(401),
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(server.requests_to("/api/v2/admins").len(), 1);
    assert_eq!(tokens_fetched(&server), 0);
    assert_one_credential_each(&server);
}

#[tokio::test]
async fn operations_pick_one_scheme_from_what_is_configured() {
    let fake = Fake::new();
    let server = fake_server(&fake).await;
    // Login and API key both configured: the JWT wins where both fit, the
    // key is used where only it fits.
    let client: RestClient = ClientBuilder::new()
        .url(&server.url)
        .admin("admin", "admin-päss")
        .api_key_for_user("k3y-secret", "bob")
        .build()
        .unwrap();
    client.send(get("/users")).await.unwrap();
    client
        .send(Request::new("key_only", Method::GET, "/keyonly").auth(&["APIKeyAuth"]))
        .await
        .unwrap();
    // No auth for operations without schemes.
    client
        .send(Request::new("healthz", Method::GET, "/healthz").server("/"))
        .await
        .unwrap();
    let users = &server.requests_to("/api/v2/users")[0];
    assert_eq!(users.header("authorization"), Some("Bearer admin-jwt-1"));
    let key_only = &server.requests_to("/api/v2/keyonly")[0];
    assert_eq!(key_only.header("x-sftpgo-api-key"), Some("k3y-secret.bob"));
    assert_eq!(server.requests_to("/healthz")[0].auth_headers(), 0);
    // A header set by hand does not become a second credential.
    client
        .send(get("/users").header("Authorization", "Basic c3RyYXk="))
        .await
        .unwrap();
    assert_one_credential_each(&server);

    // Nothing fits: a configuration error naming what to configure, and
    // nothing is sent.
    let bare: RestClient = ClientBuilder::new().url(&server.url).build().unwrap();
    let before = server.requests().len();
    let error = bare.send(get("/users")).await.unwrap_err();
    assert!(
        matches!(&error, Error::Config { message } if message.contains(".admin(")),
        "{error}"
    );
    assert_eq!(server.requests().len(), before);
}

#[tokio::test]
async fn user_api_paths_use_the_user_login() {
    let fake = Fake::new();
    let server = fake_server(&fake).await;
    let client: RestClient = ClientBuilder::new()
        .url(&server.url)
        .admin("admin", "admin-päss")
        .user("alice", "alice-pw")
        .build()
        .unwrap();
    client.send(get("/user/files")).await.unwrap();
    client.send(get("/users")).await.unwrap();
    client.send(get("/user/dirs")).await.unwrap();
    assert_eq!(server.requests_to("/api/v2/user/token").len(), 1);
    assert_eq!(server.requests_to("/api/v2/token").len(), 1);
    assert_eq!(
        server.requests_to("/api/v2/user/files")[0].header("authorization"),
        Some("Bearer user-jwt-1")
    );
    assert_eq!(
        server.requests_to("/api/v2/users")[0].header("authorization"),
        Some("Bearer admin-jwt-2")
    );
    // The token endpoints called directly take the login's Basic credentials.
    let answer = client
        .send(Request::new("get_user_token", Method::GET, "/user/token").auth(&["BasicAuth"]))
        .await
        .unwrap();
    assert_eq!(answer.status, 200);
    assert_eq!(
        server.requests_to("/api/v2/user/token")[1].header("authorization"),
        Some(USER_BASIC)
    );
    assert_one_credential_each(&server);
}

#[tokio::test]
async fn otp_is_sent_with_logins_only() {
    let fake = Fake::new();
    let server = fake_server(&fake).await;
    let client: RestClient = ClientBuilder::new()
        .url(&server.url)
        .admin("admin", "admin-päss")
        .otp("492039")
        .build()
        .unwrap();
    client.send(get("/users")).await.unwrap();
    assert_eq!(
        server.requests_to("/api/v2/token")[0].header("x-sftpgo-otp"),
        Some("492039")
    );
    assert_eq!(
        server.requests_to("/api/v2/users")[0].header("x-sftpgo-otp"),
        None
    );

    let asked = Arc::new(Mutex::new(Vec::new()));
    let seen = asked.clone();
    let client: RestClient = ClientBuilder::new()
        .url(&server.url)
        .user("alice", "alice-pw")
        .otp_provider(move |realm| {
            seen.lock().unwrap().push(realm);
            Some(Secret::new("771204"))
        })
        .build()
        .unwrap();
    client.send(get("/user/files")).await.unwrap();
    assert_eq!(*asked.lock().unwrap(), vec![Realm::User]);
    assert_eq!(
        server.requests_to("/api/v2/user/token")[0].header("x-sftpgo-otp"),
        Some("771204")
    );
}

#[tokio::test]
async fn a_token_endpoint_outage_is_retried_but_not_forever() {
    // GET /token is idempotent: a 503 is retried; the login then works.
    let fake = Fake::new();
    let inner = fake.clone();
    let failures = Arc::new(AtomicU64::new(2));
    let left = failures.clone();
    let server = serve(move |r| {
        if r.path() == "/api/v2/token" && left.fetch_sub(1, Ordering::SeqCst) > 0 {
            Reply::new(503).header("Retry-After", "0")
        } else {
            inner.handle(r)
        }
    })
    .await;
    let client = admin_client(&server);
    client.send(get("/users")).await.unwrap();
    assert_eq!(server.requests_to("/api/v2/token").len(), 3);

    // Always down: bounded attempts, a typed error with the status.
    let down = serve(|_| Reply::new(503).header("Retry-After", "0")).await;
    let client: RestClient = ClientBuilder::new()
        .url(&down.url)
        .admin("admin", "admin-päss")
        .retry(RetryPolicy {
            max_attempts: 3,
            ..RetryPolicy::default()
        })
        .build()
        .unwrap();
    let error = client.send(get("/users")).await.unwrap_err();
    assert_eq!(error.status(), Some(503), "{error:?}");
    assert_eq!(down.requests().len(), 3);
}

/// A writer that collects tracing output.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Every test's tracing output, at TRACE. The first test to start a server
/// installs the process-wide subscriber; the others wait for it. Tracing
/// caches each callsite's interest for the whole process, so a subscriber
/// set for one thread while other tests run can miss a span another thread
/// registered first (the `panel_call` span went missing that way). With one
/// global subscriber from before any callsite is hit, nothing is missed, and
/// the secrets test reads every test's logs, not only its own.
fn logs() -> &'static Captured {
    static LOGS: OnceLock<Captured> = OnceLock::new();
    LOGS.get_or_init(|| {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        tracing::subscriber::set_global_default(subscriber)
            .expect("no other subscriber in this test binary");
        captured
    })
}

#[tokio::test]
async fn secrets_never_show_in_debug_errors_or_logs() {
    let captured = logs();
    let fake = Fake::new();
    let server = fake_server(&fake).await;
    let builder = ClientBuilder::<RestClient>::new()
        .url(&server.url)
        .admin("admin", "admin-päss")
        .user("alice", "alice-pw")
        .otp("492039")
        .api_key_for_user("k3y-secret", "bob")
        .share_credentials("owner", "share-pw");
    let mut shown = vec![format!("{builder:?}")];
    let client = builder.build().unwrap();
    client.send(get("/users")).await.unwrap();
    client.send(get("/user/files")).await.unwrap();
    fake.revoke_all();
    client.send(get("/users")).await.unwrap();
    shown.push(format!("{client:?}"));
    // An answer whose body is a token: Debug shows its length only.
    let token_answer = client
        .send(Request::new("get_token", Method::GET, "/token").auth(&["BasicAuth"]))
        .await
        .unwrap();
    assert!(token_answer.json::<serde_json::Value>().unwrap()["access_token"].is_string());
    shown.push(format!("{token_answer:?}"));
    let request = get("/users")
        .header("Authorization", "Bearer admin-jwt-1")
        .json(&json!({"password": "new-user-pw"}))
        .unwrap();
    shown.push(format!("{request:?}"));
    let wrong = ClientBuilder::<RestClient>::new()
        .url(&server.url)
        .admin("admin", "wrong-pw")
        .otp("492039")
        .build()
        .unwrap();
    let error = wrong.send(get("/users")).await.unwrap_err();
    shown.push(format!("{error:?}"));
    shown.push(error.to_string());
    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("panel_call"), "spans are logged: {logs}");
    assert!(logs.contains("sftpgo"));
    shown.push(logs);
    for text in &shown {
        for secret in [
            "admin-päss",
            "alice-pw",
            "wrong-pw",
            "492039",
            "k3y-secret",
            "share-pw",
            "new-user-pw",
            "admin-jwt-",
            "user-jwt-",
            &ADMIN_BASIC[6..],
            &USER_BASIC[6..],
        ] {
            assert!(!text.contains(secret), "{secret} leaked in: {text}");
        }
    }
}
