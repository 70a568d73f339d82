// The tests of `ispconfig_burst.rs`, included once per wire (SOAP, JSON); `IspconfigPeer`
// is the including module's peer type.

use std::time::Duration;

use panelkit_core::Error;
use panelkit_ispconfig::Client;
use panelkit_tests::PeerOptions;

/// Workers enough that a burst is really on the wire at once.
const WORKERS: u32 = 8;

/// A short confirmation window, so a test can let it lapse by waiting a
/// little longer (waits only make the session less trusted, never more).
const WINDOW: Duration = Duration::from_millis(100);
const PAST_WINDOW: Duration = Duration::from_millis(250);

fn peer() -> IspconfigPeer {
    IspconfigPeer::start_with(PeerOptions {
        workers: WORKERS,
        ..Default::default()
    })
}

fn client_with(
    peer: &IspconfigPeer,
    password: &str,
    window: Duration,
    max_in_flight: usize,
) -> Client {
    Client::builder()
        .url(peer.url())
        .credentials(peer.user(), password)
        .confirm_window(window)
        .max_in_flight(max_in_flight)
        .build()
        .expect("client builds")
}

fn client(peer: &IspconfigPeer) -> Client {
    client_with(
        peer,
        peer.password(),
        WINDOW,
        panelkit_core::ispconfig::MAX_IN_FLIGHT,
    )
}

/// `n` calls at once through clones of `client`; their outcomes.
async fn burst(client: &Client, n: usize) -> Vec<Result<(), Error>> {
    let tasks: Vec<_> = (0..n as i64)
        .map(|i: i64| {
            let client = client.clone();
            tokio::spawn(async move { client.dns_zone_get(1 + i % 3).await.map(drop) })
        })
        .collect();
    let mut outcomes = Vec::with_capacity(n);
    for task in tasks {
        outcomes.push(task.await.expect("task"));
    }
    outcomes
}

fn assert_all_ok(outcomes: &[Result<(), Error>]) {
    let failed: Vec<String> = outcomes
        .iter()
        .filter_map(|o| o.as_ref().err().map(|e| e.to_string()))
        .collect();
    assert!(failed.is_empty(), "{} failed: {failed:?}", failed.len());
}

/// A live, logged-in client whose session the peer then kills, after the
/// confirmation window has lapsed (the session was idle).
async fn dead_idle_session(peer: &IspconfigPeer) -> Client {
    let client = client(peer);
    client.login().await.unwrap();
    peer.expire_sessions().await;
    tokio::time::sleep(PAST_WINDOW).await;
    client
}

async fn dead_session_burst(n: usize) {
    let peer = peer();
    let client = dead_idle_session(&peer).await;
    let outcomes = burst(&client, n).await;
    assert_all_ok(&outcomes);
    let stats = peer.stats().await;
    assert_eq!(stats.login_calls, 2, "one login, one re-login: {stats:?}");
    assert!(
        stats.counted <= 1,
        "one counted failure per dead session: {stats:?}"
    );
    assert_eq!(stats.refused, 0, "{stats:?}");
    assert_eq!(
        stats.failed_attempts, 0,
        "cleared by the re-login: {stats:?}"
    );
    assert_eq!(
        stats.calls_of("dns_zone_get"),
        n as u64 + stats.session_failures,
        "every call once, plus the replay of the probe: {stats:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dead_session_20_concurrent_calls_all_succeed_with_one_counted_failure() {
    dead_session_burst(20).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dead_session_100_concurrent_calls_all_succeed_with_one_counted_failure() {
    dead_session_burst(100).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dead_session_20_sequential_calls_cost_one_counted_failure() {
    let peer = peer();
    let client = dead_idle_session(&peer).await;
    for _ in 0..20 {
        client.dns_zone_get(2).await.unwrap();
    }
    let stats = peer.stats().await;
    assert_eq!((stats.login_calls, stats.counted), (2, 1), "{stats:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_then_burst_on_a_live_session_sends_one_call_first_and_no_login() {
    let peer = peer();
    let client = client(&peer);
    client.dns_zone_get(2).await.unwrap();
    tokio::time::sleep(PAST_WINDOW).await;
    assert_all_ok(&burst(&client, 50).await);
    let stats = peer.stats().await;
    assert_eq!((stats.login_calls, stats.counted), (1, 0), "{stats:?}");
    assert_eq!(stats.calls_of("dns_zone_get"), 51, "{stats:?}");
    // Then the session dies while the client is idle, and a burst comes.
    peer.expire_sessions().await;
    tokio::time::sleep(PAST_WINDOW).await;
    assert_all_ok(&burst(&client, 50).await);
    let stats = peer.stats().await;
    assert_eq!((stats.login_calls, stats.counted), (2, 1), "{stats:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_that_dies_while_confirmed_costs_at_most_the_calls_in_flight() {
    // The default window: the session was confirmed by the login a moment
    // ago, so calls go out at once; the bound on calls in flight keeps the
    // dead ones under the panel's 10, so the re-login gets in.
    let peer = peer();
    let client = Client::builder()
        .url(peer.url())
        .credentials(peer.user(), peer.password())
        .build()
        .expect("client builds");
    client.login().await.unwrap();
    peer.expire_sessions().await;
    assert_all_ok(&burst(&client, 100).await);
    let stats = peer.stats().await;
    assert_eq!(stats.login_calls, 2, "{stats:?}");
    assert!(
        stats.counted <= panelkit_core::ispconfig::MAX_IN_FLIGHT as u64,
        "at most the calls in flight carried the dead id: {stats:?}"
    );
    // Dead calls the panel handles after the re-login are counted after the
    // count was cleared: some may stay on the counter (for 5 minutes).
    assert_eq!(stats.refused, 0, "{stats:?}");
    assert!(stats.failed_attempts <= stats.counted, "{stats:?}");
}

/// Locks the peer's IP out with 10 failed logins from a client with a wrong
/// password (one at a time: the client never repeats a failed login for the
/// calls that waited for it).
async fn lock_the_ip_out(peer: &IspconfigPeer) {
    let wrong = client_with(peer, "wrong", WINDOW, 8);
    for _ in 0..10 {
        let e = wrong.dns_zone_get(2).await.unwrap_err();
        assert_eq!(e.code(), Some("login_failed"), "{e:?}");
    }
    assert_eq!(peer.stats().await.failed_attempts, 10);
}

fn assert_lockout(e: &Error, code: &str) {
    assert!(matches!(e, Error::RateLimited { .. }), "{e:?}");
    assert_eq!(e.code(), Some(code), "{e:?}");
    let wait = e.retry_after().expect("says when it clears");
    assert!(
        wait > Duration::from_secs(240) && wait <= Duration::from_secs(306),
        "{wait:?}"
    );
    assert!(e.is_retryable(), "retryable later: {e:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_login_fails_every_later_call_fast_without_sending_it() {
    let peer = peer();
    lock_the_ip_out(&peer).await;
    let client = client(&peer);
    let e = client.dns_zone_get(2).await.unwrap_err();
    assert_lockout(&e, "login_failure_limit");
    assert!(e
        .to_string()
        .contains("The login failure limit has been reached."));
    let before = peer.stats().await;
    assert_eq!(before.refused, 1, "{before:?}");
    for outcome in burst(&client, 20).await {
        let e = outcome.expect_err("locked out");
        assert_lockout(&e, "login_failure_limit");
        assert!(e.to_string().contains("not sent"), "{e}");
    }
    assert!(client.login().await.is_err(), "explicit login is held too");
    assert!(client.session().locked_out_for().is_some());
    assert_eq!(peer.stats().await, before, "nothing more reached the peer");
    // The operator clears the panel's counter and tells the client.
    peer.reset().await;
    client.session().reset_lockout();
    assert_all_ok(&burst(&client, 20).await);
    assert_eq!(peer.stats().await.login_calls, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_session_fails_later_calls_fast_without_sending_them() {
    let peer = peer();
    let client = client(&peer);
    client.dns_zone_get(2).await.unwrap();
    lock_the_ip_out(&peer).await;
    // The open session is refused too, once; then nothing goes out.
    let e = client.dns_zone_get(2).await.unwrap_err();
    assert_lockout(&e, "session_failure_limit");
    let before = peer.stats().await;
    assert_eq!(before.refused, 1, "{before:?}");
    for outcome in burst(&client, 30).await {
        assert_lockout(&outcome.expect_err("locked out"), "session_failure_limit");
    }
    assert_eq!(peer.stats().await, before, "nothing more reached the peer");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_in_flight_stay_within_the_bound() {
    let peer = peer();
    let bounded = client_with(&peer, peer.password(), Duration::from_secs(60), 2);
    bounded.login().await.unwrap();
    assert_all_ok(&burst(&bounded, 40).await);
    let stats = peer.stats().await;
    assert!(
        (1..=2).contains(&stats.max_in_flight),
        "at most 2 calls at once: {stats:?}"
    );
    // The same burst without a tight bound really does overlap on this peer,
    // so the bound above is what kept it at 2 (a few tries: overlap is likely,
    // not certain, on a busy machine; the peer's maximum only grows).
    let wide = client_with(&peer, peer.password(), Duration::from_secs(60), 32);
    wide.login().await.unwrap();
    let mut seen = 0;
    for _ in 0..5 {
        assert_all_ok(&burst(&wide, 40).await);
        seen = peer.stats().await.max_in_flight;
        if seen > 2 {
            break;
        }
    }
    assert!(seen > 2, "an unbounded burst overlaps: max {seen}");
}

#[tokio::test]
async fn a_bound_of_zero_is_a_config_error() {
    let e = Client::builder()
        .url("http://127.0.0.1:1/remote/index.php")
        .credentials("remote", "x")
        .max_in_flight(0)
        .build()
        .unwrap_err();
    assert!(matches!(e, Error::Config { .. }), "{e:?}");
}
