//! `panelkit::sftpgo` helpers: user creation and listings against Prism
//! serving SFTPGo's spec (Prism rejects any request the spec does not allow),
//! quota-scan waiting and paging against a local server the test scripts.

use std::time::Duration;

use panelkit::sftpgo::{Client, NewUser};
use panelkit::Error;
use panelkit_tests::ionos::{Reply, ScriptedServer};
use panelkit_tests::prism::PrismPeer;
use serde_json::json;

fn prism_client(prism: &PrismPeer) -> Client {
    Client::builder()
        .url(prism.url())
        .api_prefix("")
        .api_key("prism-api-key")
        .build()
        .unwrap()
        .with_home_base("/srv/sftpgo/data")
}

fn local_client(server: &ScriptedServer) -> Client {
    Client::builder()
        .url(server.url())
        .api_key("local-api-key")
        .build()
        .unwrap()
}

#[tokio::test]
async fn create_and_list_pass_prism() {
    let prism = PrismPeer::sftpgo();
    let sftpgo = prism_client(&prism);

    let created = sftpgo
        .users()
        .create(NewUser::with_password("alice", "alice-password"))
        .await
        .unwrap();
    // Prism answers the spec's example user; that it answered 201 at all
    // means the body we sent is valid.
    assert!(created.username.is_some());
    let keyed = sftpgo
        .users()
        .create(
            NewUser::with_public_keys(
                "bob",
                ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDummyKeyForTests bob"],
            )
            .home_dir("/home/bob"),
        )
        .await
        .unwrap();
    assert!(keyed.username.is_some());

    let users = sftpgo.list_users().try_collect().await.unwrap();
    assert!(!users.is_empty());
    let admins = sftpgo.list_admins().try_collect().await.unwrap();
    assert!(!admins.is_empty());
    let folders = sftpgo.list_folders().try_collect().await.unwrap();
    assert!(!folders.is_empty());

    assert!(
        prism.violations().is_empty(),
        "prism violations: {:?}",
        prism.violations()
    );
}

#[tokio::test]
async fn create_rejects_bad_input_before_sending() {
    let server = ScriptedServer::start().await;
    let sftpgo = local_client(&server);
    let error = sftpgo
        .users()
        .create(NewUser::with_password("../etc", "pw"))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Validation { fields, status: None, .. } if fields == &["username"]),
        "{error:?}"
    );
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn create_sends_the_defaults() {
    let server = ScriptedServer::start().await;
    server.on(
        "POST",
        "/api/v2/users",
        [Reply::json(201, json!({"username": "carol", "status": 1}))],
    );
    let sftpgo = local_client(&server).with_home_base("/data/");
    sftpgo
        .users()
        .create(NewUser::with_password("carol", "pw"))
        .await
        .unwrap();
    let sent: serde_json::Value =
        serde_json::from_slice(&server.requests_to("POST", "/api/v2/users")[0].body).unwrap();
    assert_eq!(
        sent,
        json!({"username": "carol", "password": "pw", "home_dir": "/data/carol", "permissions": {"/": ["*"]}, "status": 1})
    );
}

#[tokio::test]
async fn quota_scan_waits_until_the_user_leaves_the_scan_list() {
    let server = ScriptedServer::start().await;
    server.on(
        "POST",
        "/api/v2/quotas/users/alice/scan",
        [Reply::json(202, json!({"message": "Scan started"}))],
    );
    let scanning =
        json!([{"username": "alice", "start_time": 1}, {"username": "bob", "start_time": 2}]);
    server.on(
        "GET",
        "/api/v2/quotas/users/scans",
        [
            Reply::json(200, scanning.clone()),
            Reply::json(200, scanning),
            Reply::json(200, json!([{"username": "bob", "start_time": 2}])),
        ],
    );
    local_client(&server)
        .start_quota_scan_and_wait("alice", Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(
        server
            .requests_to("POST", "/api/v2/quotas/users/alice/scan")
            .len(),
        1
    );
    let polls = server.requests_to("GET", "/api/v2/quotas/users/scans");
    assert_eq!(polls.len(), 3);
    // Backoff: the second pause is longer than the first.
    let first = polls[1].at - polls[0].at;
    let second = polls[2].at - polls[1].at;
    assert!(second > first, "{first:?} then {second:?}");
}

#[tokio::test]
async fn quota_scan_that_never_ends_is_a_timeout() {
    let server = ScriptedServer::start().await;
    server.on(
        "POST",
        "/api/v2/quotas/users/alice/scan",
        [Reply::json(202, json!({"message": "Scan started"}))],
    );
    server.on(
        "GET",
        "/api/v2/quotas/users/scans",
        [Reply::json(200, json!([{"username": "alice"}]))],
    );
    let error = local_client(&server)
        .start_quota_scan_and_wait("alice", Duration::from_millis(700))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Timeout { after: Some(d) } if d == Duration::from_millis(700)),
        "{error:?}"
    );
    assert!(
        server
            .requests_to("GET", "/api/v2/quotas/users/scans")
            .len()
            >= 2
    );
}

#[tokio::test]
async fn quota_scan_already_running_is_waited_for() {
    let server = ScriptedServer::start().await;
    server.on(
        "POST",
        "/api/v2/quotas/users/alice/scan",
        [Reply::json(
            409,
            json!({"message": "another scan is in progress"}),
        )],
    );
    server.on(
        "GET",
        "/api/v2/quotas/users/scans",
        [Reply::json(200, json!([]))],
    );
    local_client(&server)
        .start_quota_scan_and_wait("alice", Duration::from_secs(5))
        .await
        .unwrap();
}

fn users(from: usize, count: usize) -> serde_json::Value {
    (from..from + count)
        .map(|i| json!({"username": format!("user{i:05}")}))
        .collect()
}

#[tokio::test]
async fn users_are_paged_by_500_until_a_short_page() {
    let server = ScriptedServer::start().await;
    server.on(
        "GET",
        "/api/v2/users",
        [
            Reply::json(200, users(0, 500)),
            Reply::json(200, users(500, 500)),
            Reply::json(200, users(1000, 203)),
        ],
    );
    let all = local_client(&server)
        .list_users()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 1203);
    assert_eq!(all[1202].username.as_deref(), Some("user01202"));
    let asked: Vec<(String, String, String)> = server
        .requests_to("GET", "/api/v2/users")
        .iter()
        .map(|r| {
            let q = |n| r.query_value(n).unwrap_or_default().to_owned();
            (q("offset"), q("limit"), q("order"))
        })
        .collect();
    let expect = |o: &str| (o.to_owned(), "500".to_owned(), "ASC".to_owned());
    assert_eq!(asked, vec![expect("0"), expect("500"), expect("1000")]);
}

#[tokio::test]
async fn a_failing_page_ends_the_listing_with_its_error() {
    let server = ScriptedServer::start().await;
    server.on(
        "GET",
        "/api/v2/folders",
        [
            Reply::json(
                200,
                json!((0..500)
                    .map(|i| json!({"name": format!("f{i}")}))
                    .collect::<Vec<_>>()),
            ),
            Reply::json(500, json!({"error": "db down", "message": ""})),
        ],
    );
    let error = local_client(&server)
        .list_folders()
        .try_collect()
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(500), "{error:?}");
}
