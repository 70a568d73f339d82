//! The DCImanager 6 runtime against a local peer built from the vendor's
//! documentation (`panelkit_tests::dcimanager`): token flow with header and
//! cookie, `isp-box-instance`, 3001 expiry with one shared re-login, rejected
//! credentials never retried, 503 bursts, error bodies, HTML pages, paging
//! with `where=`/`orderby=`, and secrets kept out of logs, `Debug` and errors.

use std::time::Duration;

use panelkit_core::dcimanager::{self, ClientBuilder, OrderBy, Service, Where};
use panelkit_core::rest::{Method, RestClient, RetryPolicy};
use panelkit_core::Error;
use panelkit_tests::dcimanager::{DciPeer, PeerOptions};
use serde_json::{json, Value};

/// Retries fast enough for tests, still bounded.
fn quick_retry(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
        max_elapsed: Duration::from_secs(5),
        ..dcimanager::default_retry()
    }
}

fn client(peer: &DciPeer) -> RestClient {
    let (email, password) = peer.account();
    ClientBuilder::new()
        .url(peer.url())
        .credentials(email, password)
        .retry(quick_retry(5))
        .build()
        .unwrap()
}

async fn get(client: &RestClient, function: &str) -> panelkit_core::Result<Value> {
    dcimanager::call(client, Service::Dci, "v3", Method::GET, function, None).await
}

#[tokio::test]
async fn token_travels_as_header_and_cookie_with_box_instance() {
    let peer = DciPeer::start(PeerOptions {
        servers: 3,
        ..PeerOptions::default()
    })
    .await;
    let (email, password) = peer.account();
    let client: RestClient = ClientBuilder::new()
        .url(peer.url())
        .credentials(email.clone(), password.clone())
        .box_instance(true)
        .build()
        .unwrap();
    assert_eq!(get(&client, "/server/2").await.unwrap()["id"], 2);
    assert_eq!(get(&client, "/server/3").await.unwrap()["id"], 3);
    assert_eq!(peer.logins(), 1, "one lazy login serves both calls");

    let logins = peer.seen_at("/api/auth/v4/public/token");
    assert_eq!(logins.len(), 1);
    let body: Value = serde_json::from_slice(&logins[0].body).unwrap();
    assert_eq!(body, json!({"email": email, "password": password}));
    assert_eq!(logins[0].header("isp-box-instance"), Some("true"));
    assert_eq!(logins[0].header("content-type"), Some("application/json"));

    for seen in peer.seen_at("/api/dci/v3/server/2") {
        let header = seen.header("x-xsrf-token").expect("x-xsrf-token header");
        assert!(!header.is_empty());
        assert_eq!(
            seen.cookie("ses6").as_deref(),
            Some(header),
            "ses6 cookie = header"
        );
        assert_eq!(seen.header("isp-box-instance"), Some("true"));
    }
}

#[tokio::test]
async fn no_box_header_unless_asked() {
    let peer = DciPeer::start(PeerOptions {
        servers: 1,
        ..PeerOptions::default()
    })
    .await;
    get(&client(&peer), "/server/1").await.unwrap();
    assert!(peer
        .seen()
        .iter()
        .all(|s| s.header("isp-box-instance").is_none()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn expired_token_renewed_once_for_concurrent_callers() {
    let peer = DciPeer::start(PeerOptions {
        servers: 5,
        login_delay: Duration::from_millis(150),
        ..PeerOptions::default()
    })
    .await;
    let client = client(&peer);
    get(&client, "/server/1").await.unwrap();
    assert_eq!(peer.logins(), 1);

    peer.expire_tokens();
    let calls: Vec<_> = (1..=8)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move { get(&client, &format!("/server/{}", 1 + i % 5)).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().expect("call after re-login");
    }
    assert_eq!(peer.logins(), 2, "eight rejected callers share one login");
}

#[tokio::test]
async fn code_3001_renews_whatever_the_status() {
    let peer = DciPeer::start(PeerOptions {
        servers: 1,
        unauthorized_status: 403,
        ..PeerOptions::default()
    })
    .await;
    let client = client(&peer);
    get(&client, "/server/1").await.unwrap();
    peer.expire_tokens();
    get(&client, "/server/1").await.unwrap();
    assert_eq!(peer.logins(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn rejected_password_is_never_sent_again() {
    let peer = DciPeer::start(PeerOptions {
        servers: 1,
        login_delay: Duration::from_millis(50),
        ..PeerOptions::default()
    })
    .await;
    let (email, _) = peer.account();
    let client: RestClient = ClientBuilder::new()
        .url(peer.url())
        .credentials(email, "wrong-hunter2")
        .retry(quick_retry(5))
        .build()
        .unwrap();
    let calls: Vec<_> = (0..4)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { get(&client, "/server/1").await })
        })
        .collect();
    for call in calls {
        let error = call.await.unwrap().unwrap_err();
        assert!(
            matches!(&error, Error::Auth { code, .. } if code == "3001"),
            "{error:?}"
        );
        assert!(!error.to_string().contains("wrong-hunter2"));
    }
    let later = get(&client, "/server/1").await.unwrap_err();
    assert!(matches!(later, Error::Auth { .. }));
    assert_eq!(
        peer.failed_logins(),
        1,
        "the wrong password reached the panel once"
    );
    assert!(peer.seen_at("/api/dci/v3/server/1").is_empty());
}

#[tokio::test]
async fn long_lived_token_is_used_and_not_renewed() {
    let peer = DciPeer::start(PeerOptions {
        servers: 1,
        ..PeerOptions::default()
    })
    .await;
    let admin = client(&peer);
    let token = dcimanager::create_token(&admin, "2030-01-31 00:00:00", "integration")
        .await
        .unwrap();
    assert_eq!(format!("{token:?}"), "Secret([redacted])");
    let created = peer.seen_at("/api/auth/v4/token");
    let body: Value = serde_json::from_slice(&created[0].body).unwrap();
    assert_eq!(
        body,
        json!({"expires_at": "2030-01-31 00:00:00", "description": "integration"})
    );

    let logins = peer.logins();
    let integration: RestClient = ClientBuilder::new()
        .url(peer.url())
        .token(token.clone())
        .build()
        .unwrap();
    get(&integration, "/server/1").await.unwrap();
    let seen = peer.seen_at("/api/dci/v3/server/1");
    assert_eq!(
        seen.last().unwrap().header("x-xsrf-token"),
        Some(token.expose())
    );
    assert_eq!(peer.logins(), logins, "a given token needs no login");

    peer.expire_tokens();
    let error = get(&integration, "/server/1").await.unwrap_err();
    assert!(matches!(error, Error::Auth { .. }), "{error:?}");
    assert_eq!(peer.logins(), logins, "a given token is never renewed");
}

#[tokio::test]
async fn key_login_for_a_user() {
    let mut accounts = PeerOptions::default().accounts;
    accounts.insert("client@example.com".into(), "client-pass".into());
    let peer = DciPeer::start(PeerOptions {
        servers: 1,
        accounts,
        ..PeerOptions::default()
    })
    .await;
    let admin = client(&peer);
    let key = dcimanager::user_key(&admin, "client@example.com")
        .await
        .unwrap();
    assert_eq!(
        peer.seen_at("/api/auth/v4/user/client%40example.com/key")
            .len(),
        1
    );

    let user: RestClient = ClientBuilder::new()
        .url(peer.url())
        .key(key.clone())
        .build()
        .unwrap();
    get(&user, "/server/1").await.unwrap();
    let exchanged = peer.seen_at("/api/auth/v4/public/key");
    let body: Value = serde_json::from_slice(&exchanged[0].body).unwrap();
    assert_eq!(body["key"], key.expose());

    // The key is spent: a second client with it is refused, once.
    let again: RestClient = ClientBuilder::new()
        .url(peer.url())
        .key(key)
        .build()
        .unwrap();
    assert!(matches!(
        get(&again, "/server/1").await,
        Err(Error::Auth { .. })
    ));
    assert!(matches!(
        get(&again, "/server/1").await,
        Err(Error::Auth { .. })
    ));
    assert_eq!(peer.failed_logins(), 1);
}

#[tokio::test]
async fn suspended_service_retried_within_bounds() {
    let peer = DciPeer::start(PeerOptions {
        servers: 1,
        ..PeerOptions::default()
    })
    .await;
    let client = client(&peer);
    // The login itself meets the suspended service.
    peer.suspend_for(3);
    assert_eq!(get(&client, "/server/1").await.unwrap()["id"], 1);
    assert_eq!(peer.seen_at("/api/auth/v4/public/token").len(), 4);
    assert_eq!(peer.logins(), 1);

    peer.suspend_for(2);
    get(&client, "/server/1").await.unwrap();
    assert_eq!(peer.seen_at("/api/dci/v3/server/1").len(), 1 + 3);

    // POST is retried too: a 503 means the panel did not process it.
    peer.suspend_for(1);
    let created = dcimanager::call(
        &client,
        Service::Dci,
        "v3",
        Method::POST,
        "/user",
        Some(&json!({"email": "new@example.com", "password": "p"})),
    )
    .await
    .unwrap();
    assert!(created["id"].is_u64());
}

#[tokio::test]
async fn endless_503_ends_in_a_typed_error() {
    let peer = DciPeer::start(PeerOptions {
        servers: 1,
        ..PeerOptions::default()
    })
    .await;
    let client = client(&peer);
    get(&client, "/server/1").await.unwrap();
    peer.suspend_for(1000);
    let error = get(&client, "/server/1").await.unwrap_err();
    match &error {
        Error::UnexpectedResponse {
            status: Some(503),
            reason,
            excerpt,
        } => {
            assert!(reason.contains("suspends"), "{reason}");
            assert_eq!(excerpt, "Unavailable");
        }
        other => panic!("{other:?}"),
    }
    assert!(error.is_retryable());
    assert_eq!(peer.seen_at("/api/dci/v3/server/1").len(), 1 + 5);
}

#[tokio::test]
async fn total_time_bounds_retries() {
    let peer = DciPeer::start(PeerOptions::default()).await;
    let (email, password) = peer.account();
    let client: RestClient = ClientBuilder::new()
        .url(peer.url())
        .credentials(email, password)
        .retry(RetryPolicy {
            max_attempts: 1000,
            initial_backoff: Duration::from_millis(20),
            max_backoff: Duration::from_millis(20),
            max_elapsed: Duration::from_millis(200),
            ..dcimanager::default_retry()
        })
        .build()
        .unwrap();
    peer.suspend_for(100_000);
    let error = get(&client, "/server/1").await.unwrap_err();
    assert_eq!(error.status(), Some(503));
    let attempts = peer.seen().len();
    // Waits are 10..20 ms (backoff with jitter): at most 200 / 10 + 1 attempts.
    assert!(
        (2..=21).contains(&attempts),
        "{attempts} attempts in 200 ms of 10..20 ms waits"
    );
}

#[tokio::test]
async fn panel_errors_are_typed() {
    let peer = DciPeer::start(PeerOptions {
        servers: 1,
        ..PeerOptions::default()
    })
    .await;
    let client = client(&peer);
    let missing = get(&client, "/server/999").await.unwrap_err();
    assert!(
        matches!(&missing, Error::NotFound { code, message, status } if code == "404" && *status == Some(404) && message == "Server not found"),
        "{missing:?}"
    );

    let user = json!({"email": "dup@example.com", "password": "p"});
    let create = || {
        dcimanager::call(
            &client,
            Service::Dci,
            "v3",
            Method::POST,
            "/user",
            Some(&user),
        )
    };
    create().await.unwrap();
    let duplicate = create().await.unwrap_err();
    assert!(
        matches!(&duplicate, Error::Validation { fields, .. } if fields == &["email"]),
        "{duplicate:?}"
    );
    assert!(!duplicate.to_string().contains("\"p\""));
}

#[tokio::test]
async fn html_pages_are_unexpected_responses() {
    let peer = DciPeer::start(PeerOptions {
        servers: 1,
        ..PeerOptions::default()
    })
    .await;
    let client = client(&peer);
    get(&client, "/server/1").await.unwrap();
    peer.html_for(1);
    let error = get(&client, "/server/1").await.unwrap_err();
    match error {
        Error::UnexpectedResponse {
            status: Some(200),
            excerpt,
            ..
        } => assert!(excerpt.starts_with("<html>"), "{excerpt}"),
        other => panic!("{other:?}"),
    }
    // An HTML page during login is not a credentials problem: the next call logs in.
    let fresh = self::client(&peer);
    peer.html_for(1);
    assert!(matches!(
        get(&fresh, "/server/1").await,
        Err(Error::UnexpectedResponse { .. })
    ));
    get(&fresh, "/server/1").await.unwrap();
}

#[tokio::test]
async fn lists_are_paged_filtered_and_ordered() {
    let peer = DciPeer::start(PeerOptions {
        servers: 250,
        ..PeerOptions::default()
    })
    .await;
    let client = client(&peer);
    let filter = Where::eq("is_new", false).and(Where::eq("location_id", 2));
    let servers: Vec<Value> = dcimanager::list(Service::Dci, "/server")
        .unwrap()
        .filter(filter)
        .order(OrderBy::desc("id"))
        .page_size(40)
        .stream(client.clone())
        .collect_all()
        .await
        .unwrap();
    let expected: Vec<u64> = (1..=250u64)
        .rev()
        .filter(|id| id % 5 != 0 && 1 + id % 2 == 2)
        .collect();
    let ids: Vec<u64> = servers.iter().map(|s| s["id"].as_u64().unwrap()).collect();
    assert_eq!(ids, expected);
    assert_eq!(ids.len(), 100);

    let pages = peer.seen_at("/api/dci/v3/server");
    let limits: Vec<&str> = pages.iter().map(|p| p.query("limit").unwrap()).collect();
    assert_eq!(
        limits,
        ["0,40", "40,40", "80,40"],
        "size tells when to stop"
    );
    assert_eq!(
        pages[0].query("where"),
        Some("(is_new EQ false) AND (location_id EQ 2)")
    );
    assert_eq!(pages[0].query("orderby"), Some("id desc"));

    // Null checks and patterns reach the panel as written.
    let free: Vec<Value> = dcimanager::list(Service::Dci, "/server")
        .unwrap()
        .filter(Where::is_null("owner_email").and(Where::contains_pattern("domain", "srv1%")))
        .stream(client.clone())
        .collect_all()
        .await
        .unwrap();
    assert!(!free.is_empty());
    assert!(free
        .iter()
        .all(|s| s["owner_email"].is_null() && s["domain"].as_str().unwrap().starts_with("srv1")));
}

#[tokio::test]
async fn a_failing_page_ends_the_stream_with_its_error() {
    let peer = DciPeer::start(PeerOptions {
        servers: 30,
        ..PeerOptions::default()
    })
    .await;
    let client = client(&peer);
    let mut stream = dcimanager::list(Service::Dci, "/server")
        .unwrap()
        .page_size(10)
        .stream::<Value>(client.clone());
    for _ in 0..10 {
        stream.try_next().await.unwrap().unwrap();
    }
    peer.html_for(1);
    assert!(matches!(
        stream.try_next().await,
        Err(Error::UnexpectedResponse { .. })
    ));
    assert!(stream.try_next().await.unwrap().is_none());
}

#[test]
fn secrets_stay_out_of_logs_debug_and_errors() {
    let captured = panelkit_tests::logs::TraceCapture::start();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (password, shown) = runtime.block_on(async {
        let peer = DciPeer::start(PeerOptions {
            servers: 2,
            ..PeerOptions::default()
        })
        .await;
        let (email, password) = peer.account();
        let client: RestClient = ClientBuilder::new()
            .url(peer.url())
            .credentials(email.clone(), password.clone())
            .retry(quick_retry(3))
            .build()
            .unwrap();
        get(&client, "/server/1").await.unwrap();
        peer.expire_tokens();
        get(&client, "/server/2").await.unwrap();
        peer.suspend_for(3);
        let unavailable = get(&client, "/server/1").await.unwrap_err();
        let key = dcimanager::user_key(&client, &email).await.unwrap();
        let wrong: RestClient = ClientBuilder::new()
            .url(peer.url())
            .credentials(email, "wrong-hunter2")
            .build()
            .unwrap();
        let refused = get(&wrong, "/server/1").await.unwrap_err();
        let mut shown = vec![
            format!("{client:?}"),
            format!("{wrong:?}"),
            format!("{unavailable:?} {unavailable}"),
            format!("{refused:?} {refused}"),
            format!("{key:?} {key}"),
        ];
        let tokens: Vec<String> = peer
            .seen()
            .iter()
            .filter_map(|s| s.header("x-xsrf-token").map(str::to_owned))
            .collect();
        assert!(!tokens.is_empty());
        shown.push(captured.text());
        let mut secrets = tokens;
        secrets.push(password);
        secrets.push("wrong-hunter2".into());
        secrets.push(key.expose().to_owned());
        (secrets, shown)
    });
    let logged = shown.last().unwrap();
    assert!(
        logged.contains("logging in"),
        "tracing captured nothing useful: {logged}"
    );
    for text in &shown {
        for secret in &password {
            assert!(!text.contains(secret.as_str()), "{secret} leaked in {text}");
        }
    }
}

#[tokio::test]
async fn paging_is_exact_at_every_boundary() {
    for servers in [0usize, 1, 39, 40, 41, 80, 81] {
        let peer = DciPeer::start(PeerOptions {
            servers,
            ..PeerOptions::default()
        })
        .await;
        let client = client(&peer);
        for page_size in [1u32, 7, 40] {
            let before = peer.seen_at("/api/dci/v3/server").len();
            let items: Vec<Value> = dcimanager::list(Service::Dci, "/server")
                .unwrap()
                .page_size(page_size)
                .stream(client.clone())
                .collect_all()
                .await
                .unwrap();
            let ids: Vec<u64> = items.iter().map(|s| s["id"].as_u64().unwrap()).collect();
            assert_eq!(
                ids,
                (1..=servers as u64).collect::<Vec<_>>(),
                "{servers}/{page_size}"
            );
            let requests = peer.seen_at("/api/dci/v3/server").len() - before;
            let pages = servers.div_ceil(page_size as usize).max(1);
            assert_eq!(
                requests, pages,
                "{servers} items by {page_size}: one request per page"
            );
        }
    }
}

#[tokio::test]
async fn a_list_without_size_ends_on_a_short_page() {
    let peer = DciPeer::start(PeerOptions {
        servers: 12,
        ..PeerOptions::default()
    })
    .await;
    let client = client(&peer);
    // The configuration list carries no `size` and ignores `limit`.
    let configurations: Vec<Value> = dcimanager::list(Service::Dci, "/server/configuration")
        .unwrap()
        .page_size(1)
        .stream(client.clone())
        .collect_all()
        .await
        .unwrap();
    assert_eq!(configurations.len(), 2);
    assert_eq!(
        peer.seen_at("/api/dci/v3/server/configuration").len(),
        1,
        "a page longer than asked is the whole list"
    );
}
