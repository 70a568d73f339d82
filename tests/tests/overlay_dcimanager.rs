//! `panelkit::dcimanager` helpers against the local DCImanager 6 peer
//! (`panelkit_tests::dcimanager`): paged server lists, lookups by id, name,
//! domain and IP, power commands waited through queued and running
//! operations, failed operations, deadlines and 503 bursts, free
//! configurations and user creation with the password kept secret.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use panelkit::dcimanager::{
    Client, ListOptions, NewUser, OrderBy, PowerCommand, ServerKey, WaitOptions, Where,
};
use panelkit_core::dcimanager;
use panelkit_core::rest::RetryPolicy;
use panelkit_core::Error;
use panelkit_tests::dcimanager::{DciPeer, Outcome, PeerOptions};
use serde_json::Value;

fn quick_retry(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        initial_backoff: Duration::from_millis(2),
        max_backoff: Duration::from_millis(5),
        max_elapsed: Duration::from_secs(5),
        ..dcimanager::default_retry()
    }
}

async fn peer(servers: usize) -> DciPeer {
    DciPeer::start(PeerOptions {
        servers,
        ..PeerOptions::default()
    })
    .await
}

fn client(peer: &DciPeer) -> Client {
    let (email, password) = peer.account();
    Client::builder()
        .url(peer.url())
        .credentials(email, password)
        .retry(quick_retry(3))
        .build()
        .unwrap()
}

fn fast(timeout: Duration) -> WaitOptions {
    WaitOptions::with_timeout(timeout)
        .intervals(Duration::from_millis(5), Duration::from_millis(20))
}

#[tokio::test]
async fn list_servers_pages_and_filters() {
    let peer = peer(7).await;
    let dci = client(&peer);
    let all = dci
        .servers()
        .all_with(ListOptions {
            order: Some(OrderBy::desc("id")),
            ..ListOptions::default()
        })
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        all.iter().map(|s| s.id).collect::<Vec<_>>(),
        [7, 6, 5, 4, 3, 2, 1]
    );
    assert_eq!(all[0].domain.as_deref(), Some("srv7.example.com"));
    assert!(all[0].power_is("on"));
    let free = dci
        .servers()
        .all_with(ListOptions {
            filter: Some(Where::is_null("owner_email")),
            ..ListOptions::default()
        })
        .try_collect()
        .await
        .unwrap();
    assert_eq!(free.iter().map(|s| s.id).collect::<Vec<_>>(), [3, 6]);
    let seen = peer.seen_at("/api/dci/v3/server");
    assert_eq!(seen[0].query("limit"), Some("0,100"));
    assert_eq!(seen[1].query("where"), Some("owner_email IS null"));
}

#[tokio::test]
async fn lookups_by_id_name_domain_and_ip_are_exact() {
    let peer = peer(12).await;
    let dci = client(&peer);
    assert_eq!(dci.servers().get(4).await.unwrap().id, 4);
    assert!(matches!(
        dci.servers().get(99).await,
        Err(Error::NotFound { .. })
    ));

    let by_name = dci
        .servers()
        .find(&ServerKey::Name("srv1".into()))
        .await
        .unwrap();
    assert_eq!(by_name.iter().map(|s| s.id).collect::<Vec<_>>(), [1]);
    let filters: Vec<_> = peer
        .seen_at("/api/dci/v3/server")
        .iter()
        .filter_map(|s| s.query("where").map(str::to_owned))
        .collect();
    assert_eq!(filters, ["name EQ 'srv1'"]);

    // srv1 is a prefix of srv10..12 and 192.0.2.1 of 192.0.2.1x: exact only.
    let by_domain = dci
        .servers()
        .find(&ServerKey::Domain("SRV1.example.com.".into()))
        .await
        .unwrap();
    assert_eq!(by_domain.iter().map(|s| s.id).collect::<Vec<_>>(), [1]);
    let by_ip = dci
        .servers()
        .find(&ServerKey::Ip("192.0.2.1".into()))
        .await
        .unwrap();
    assert_eq!(by_ip.iter().map(|s| s.id).collect::<Vec<_>>(), [1]);
    assert!(dci
        .servers()
        .find(&ServerKey::Ip("192.0.2.200".into()))
        .await
        .unwrap()
        .is_empty());

    // A quote cannot be sent: refused before any request.
    let before = peer.seen().len();
    assert!(matches!(
        dci.servers()
            .find(&ServerKey::Name("a' OR name NE '".into()))
            .await,
        Err(Error::Config { .. })
    ));
    assert_eq!(peer.seen().len(), before);
}

#[tokio::test]
async fn power_off_waits_through_queued_and_running() {
    let peer = peer(3).await;
    peer.script_operations(&["queued", "running", "running"], Outcome::Complete);
    let dci = client(&peer);
    let states = Arc::new(Mutex::new(Vec::new()));
    let log = states.clone();
    let wait = fast(Duration::from_secs(10)).on_progress(move |p| {
        log.lock()
            .unwrap()
            .push(p.operation_status.clone().unwrap_or_default())
    });
    let server = dci
        .servers()
        .power_and_wait(2, PowerCommand::Off, &wait)
        .await
        .unwrap();
    assert!(server.power_is("off"));
    assert_eq!(
        *states.lock().unwrap(),
        ["queued", "running", "running", "complete"]
    );
    let posts = peer.seen_at("/api/dci/v3/server/2/power_off");
    assert_eq!(posts.len(), 1);
    assert_eq!(posts[0].method, "POST");
    assert_eq!(
        serde_json::from_slice::<Value>(&posts[0].body).unwrap(),
        serde_json::json!({})
    );
}

#[tokio::test]
async fn power_on_and_reset_end_on() {
    let peer = peer(3).await;
    let dci = client(&peer);
    peer.set_power(1, "off");
    let wait = fast(Duration::from_secs(10));
    assert!(dci
        .servers()
        .power_and_wait(1, PowerCommand::On, &wait)
        .await
        .unwrap()
        .power_is("on"));
    assert!(dci
        .servers()
        .power_and_wait(3, PowerCommand::Reset, &wait)
        .await
        .unwrap()
        .power_is("on"));
    assert_eq!(peer.seen_at("/api/dci/v3/server/3/power_reset").len(), 1);
    // An empty answer to the command is an accepted command.
    peer.empty_power_answers(true);
    assert_eq!(
        dci.servers().power(3, PowerCommand::Reset).await.unwrap(),
        Value::Null
    );
    assert!(dci
        .servers()
        .wait_for_power(3, PowerCommand::Reset, &wait)
        .await
        .unwrap()
        .power_is("on"));
    peer.empty_power_answers(false);
    // The documented rule: power_on only when off or unknown.
    assert!(matches!(
        dci.servers().power(1, PowerCommand::On).await,
        Err(Error::Validation { .. })
    ));
}

#[tokio::test]
async fn a_failed_operation_is_a_typed_error_with_server_and_message() {
    let peer = peer(2).await;
    peer.script_operations(&["running"], Outcome::Failed("BMC did not answer".into()));
    let dci = client(&peer);
    let error = dci
        .servers()
        .power_and_wait(2, PowerCommand::Reset, &fast(Duration::from_secs(10)))
        .await
        .unwrap_err();
    match &error {
        Error::OperationFailed {
            target,
            operation,
            status,
            message,
        } => {
            assert_eq!(target, "server 2");
            assert!(operation.is_some());
            assert_eq!(status, "failed");
            assert_eq!(message, "BMC did not answer");
        }
        other => panic!("expected OperationFailed, got {other:?}"),
    }
    assert!(error.to_string().contains("BMC did not answer"));
}

#[tokio::test]
async fn an_operation_that_never_ends_times_out_naming_what_was_awaited() {
    let peer = peer(2).await;
    peer.script_operations(&["queued", "running"], Outcome::Never);
    let dci = client(&peer);
    let deadline = Duration::from_millis(300);
    let started = std::time::Instant::now();
    let error = dci
        .servers()
        .power_and_wait(1, PowerCommand::Off, &fast(deadline))
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    match &error {
        Error::WaitTimeout {
            waited_for,
            after,
            last_seen,
        } => {
            assert_eq!(*after, deadline);
            assert!(
                waited_for.contains("server 1") && waited_for.contains("power_off"),
                "{waited_for}"
            );
            assert_eq!(
                last_seen.as_deref(),
                Some("power on, state active, operation running")
            );
        }
        other => panic!("expected WaitTimeout, got {other:?}"),
    }
    assert!(error.is_retryable());
}

#[tokio::test]
async fn waiting_survives_503_bursts_longer_than_the_retries() {
    let peer = peer(2).await;
    peer.script_operations(&["queued", "running"], Outcome::Complete);
    let dci = client(&peer);
    dci.servers().power(2, PowerCommand::Off).await.unwrap();
    // 3 attempts per request: a burst of 7 fails two polls outright.
    peer.suspend_for(7);
    let server = dci
        .servers()
        .wait_for_power(2, PowerCommand::Off, &fast(Duration::from_secs(10)))
        .await
        .unwrap();
    assert!(server.power_is("off"));
    let polls = peer.seen_at("/api/dci/v3/server/2");
    assert!(polls.len() >= 7 + 3, "{} polls", polls.len());
}

#[tokio::test]
async fn an_error_that_is_not_transient_ends_the_wait() {
    let peer = peer(2).await;
    let dci = client(&peer);
    assert!(matches!(
        dci.servers()
            .wait_for_power(9, PowerCommand::On, &fast(Duration::from_secs(10)))
            .await,
        Err(Error::NotFound { .. })
    ));
}

#[tokio::test]
async fn free_configurations_are_typed() {
    let peer = peer(9).await;
    let dci = client(&peer);
    let free = dci.configurations().free().await.unwrap();
    // Servers 3, 6, 9 are free: 6 is i9-64Gb, 3 and 9 are e5-32Gb.
    let pairs: Vec<(&str, u64)> = free
        .iter()
        .map(|c| (c.configuration.as_str(), c.free_server_count))
        .collect();
    assert_eq!(pairs, [("e5-32Gb", 2), ("i9-64Gb", 1)]);
}

#[tokio::test]
async fn create_user_sends_the_typed_body_and_keeps_the_password_secret() {
    let peer = peer(0).await;
    let dci = client(&peer);
    let user = NewUser::new("client@example.com", "pässw0rd-secret")
        .role("@user")
        .full_name("A Client");
    assert!(!format!("{user:?}").contains("pässw0rd-secret"));
    let id = dci.users().create(&user).await.unwrap();
    assert!(id > 0);
    let posts = peer.seen_at("/api/dci/v3/user");
    let body: Value = serde_json::from_slice(&posts.last().unwrap().body).unwrap();
    assert_eq!(body["email"], "client@example.com");
    assert_eq!(body["password"], "pässw0rd-secret");
    assert_eq!(body["role"], "@user");
    assert_eq!(body["full_name"], "A Client");
    assert_eq!(peer.users()[0]["roles"][0], "@user");

    // A second one with the same email: the panel's validation error, no secret in it.
    let error = dci.users().create(&user).await.unwrap_err();
    assert!(matches!(error, Error::Validation { .. }), "{error:?}");
    assert!(!format!("{error:?} {error}").contains("pässw0rd-secret"));
    // Refused locally: nothing sent.
    let before = peer.seen().len();
    assert!(matches!(
        dci.users().create(&NewUser::new("no-at-sign", "x")).await,
        Err(Error::Validation { .. })
    ));
    assert_eq!(peer.seen().len(), before);
}

/// The servers listing is the shared `Pages` stream with DCImanager's own
/// end: the `size` total reached ends it without the empty page a plain
/// offset/limit listing would ask for after an exact multiple.
#[tokio::test]
async fn server_pages_end_at_the_size_total() {
    let peer = peer(4).await;
    let dci = client(&peer);
    let all = dci
        .servers()
        .all_with(ListOptions {
            page_size: Some(2),
            ..ListOptions::default()
        })
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.iter().map(|s| s.id).collect::<Vec<_>>(), [1, 2, 3, 4]);
    let limits: Vec<_> = peer
        .seen_at("/api/dci/v3/server")
        .iter()
        .map(|s| s.query("limit").unwrap_or_default().to_owned())
        .collect();
    assert_eq!(limits, ["0,2", "2,2"]);
}

/// A bad filter value is the stream's first (and only) item, a typed error,
/// and nothing is sent.
#[tokio::test]
async fn a_bad_filter_is_the_streams_error() {
    let peer = peer(2).await;
    let dci = client(&peer);
    let before = peer.seen_at("/api/dci/v3/server").len();
    let mut pages = dci.servers().all_with(ListOptions {
        filter: Some(Where::eq("name", "a' OR name NE '")),
        ..ListOptions::default()
    });
    assert!(matches!(
        pages.next().await,
        Some(Err(Error::Config { .. }))
    ));
    assert!(pages.next().await.is_none());
    assert_eq!(peer.seen_at("/api/dci/v3/server").len(), before);
}

/// The user list: this peer, like a panel that ignores `limit`, answers
/// every user at once; a page longer than asked ends the stream instead
/// of asking for the next offset (which would repeat the whole list).
#[tokio::test]
async fn users_are_listed_once_even_when_the_panel_ignores_limit() {
    let peer = peer(0).await;
    let dci = client(&peer);
    for i in 0..101 {
        dci.users()
            .create(&NewUser::new(format!("u{i}@example.com"), "pw"))
            .await
            .unwrap();
    }
    let users = dci.users().all().try_collect().await.unwrap();
    assert_eq!(users.len(), 101);
    assert_eq!(users[100]["email"], "u100@example.com");
    let lists: Vec<_> = peer
        .seen_at("/api/dci/v3/user")
        .into_iter()
        .filter(|s| s.method == "GET")
        .collect();
    assert_eq!(lists.len(), 1);
    assert_eq!(lists[0].query("limit"), Some("0,100"));
}
