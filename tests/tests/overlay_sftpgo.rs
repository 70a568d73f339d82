//! `panelkit::sftpgo` handlers: every helper against Prism serving SFTPGo's
//! spec (Prism rejects any request the spec does not allow), and the request
//! each sends, quota-scan waiting and paging against a local server the
//! test scripts.

use std::time::Duration;

use panelkit::sftpgo::types::{Admin, ApiKey, BackupData, BaseVirtualFolder};
use panelkit::sftpgo::{Client, ListOptions, LoadOptions, Method, NewUser, Request};
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

/// API keys are managed by an admin's JWT only (`/apikeys` accepts
/// `BearerAuth`, not an API key).
fn bearer(url: String) -> Client {
    Client::builder()
        .url(url)
        .api_prefix("")
        .bearer_token("admin-jwt")
        .build()
        .unwrap()
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

    let users = sftpgo.users().all().try_collect().await.unwrap();
    assert!(!users.is_empty());
    let admins = sftpgo.admins().all().try_collect().await.unwrap();
    assert!(!admins.is_empty());
    let folders = sftpgo.folders().all().try_collect().await.unwrap();
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
        .quota()
        .scan_and_wait("alice", Duration::from_secs(10))
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
        .quota()
        .scan_and_wait("alice", Duration::from_millis(700))
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
        .quota()
        .scan_and_wait("alice", Duration::from_secs(5))
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
        .users()
        .all()
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
        .folders()
        .all()
        .try_collect()
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(500), "{error:?}");
}

/// Every helper but the users' create and the listings above, against the
/// spec: Prism answers only a request the spec allows, so an answer that
/// decodes plus no violation says each request line, query and body is
/// right.
#[tokio::test]
async fn every_handler_passes_prism() {
    let prism = PrismPeer::sftpgo();
    let sftpgo = prism_client(&prism);

    assert!(sftpgo
        .users()
        .get("alice")
        .await
        .unwrap()
        .username
        .is_some());
    sftpgo.users().delete("alice").await.unwrap();
    assert!(sftpgo
        .admins()
        .get("root")
        .await
        .unwrap()
        .username
        .is_some());
    let admin: Admin = serde_json::from_value(
        json!({"username": "ops", "password": "ops-password", "permissions": ["*"]}),
    )
    .unwrap();
    assert!(sftpgo
        .admins()
        .create(admin)
        .await
        .unwrap()
        .username
        .is_some());
    sftpgo.admins().delete("ops").await.unwrap();
    assert!(sftpgo.folders().get("f1").await.unwrap().name.is_some());
    let folder: BaseVirtualFolder =
        serde_json::from_value(json!({"name": "f1", "mapped_path": "/srv/f1"})).unwrap();
    assert!(sftpgo
        .folders()
        .create(&folder)
        .await
        .unwrap()
        .name
        .is_some());
    sftpgo.folders().delete("f1").await.unwrap();
    let admin = bearer(prism.url());
    let key: ApiKey = serde_json::from_value(json!({"name": "ci", "scope": 1})).unwrap();
    admin.api_keys().create(&key).await.unwrap();
    admin.api_keys().all().try_collect().await.unwrap();
    admin.api_keys().delete("key-id").await.unwrap();
    sftpgo.quota().scans().await.unwrap();
    sftpgo.quota().start_scan("alice").await.unwrap();
    sftpgo.connections().all().await.unwrap();
    sftpgo.connections().close("conn-1").await.unwrap();
    sftpgo.maintenance().version().await.unwrap();
    sftpgo.maintenance().status().await.unwrap();
    sftpgo.maintenance().dump().await.unwrap();
    sftpgo
        .maintenance()
        .dump_to_file("backup.json")
        .await
        .unwrap();
    let backup: BackupData = serde_json::from_value(json!({"users": [], "version": 16})).unwrap();
    let options = LoadOptions {
        scan_quota: Some(2),
        mode: Some(1),
    };
    sftpgo.maintenance().load(&backup, options).await.unwrap();

    assert!(
        prism.violations().is_empty(),
        "prism violations: {:?}",
        prism.violations()
    );
}

/// The request line, query and body each new helper sends, and that the
/// answer is decoded into the typed value.
#[tokio::test]
async fn handlers_send_their_operation_and_decode_the_answer() {
    let server = ScriptedServer::start().await;
    let ok = || Reply::json(200, json!({"message": "done"}));
    server.on(
        "GET",
        "/api/v2/users/alice",
        [Reply::json(200, json!({"username": "alice", "uid": 1001}))],
    );
    server.on("DELETE", "/api/v2/users/alice", [ok()]);
    server.on(
        "GET",
        "/api/v2/admins/root",
        [Reply::json(200, json!({"username": "root", "status": 1}))],
    );
    server.on(
        "POST",
        "/api/v2/admins",
        [Reply::json(201, json!({"username": "ops", "status": 1}))],
    );
    server.on("DELETE", "/api/v2/admins/ops", [ok()]);
    server.on(
        "GET",
        "/api/v2/folders/f1",
        [Reply::json(
            200,
            json!({"name": "f1", "mapped_path": "/srv/f1"}),
        )],
    );
    server.on(
        "POST",
        "/api/v2/folders",
        [Reply::json(
            201,
            json!({"name": "f1", "mapped_path": "/srv/f1"}),
        )],
    );
    server.on("DELETE", "/api/v2/folders/f1", [ok()]);
    server.on(
        "POST",
        "/api/v2/apikeys",
        [Reply::json(
            201,
            json!({"mesage": "created", "key": "k3y-s3cret"}),
        )],
    );
    server.on("DELETE", "/api/v2/apikeys/key-1", [ok()]);
    server.on(
        "GET",
        "/api/v2/apikeys",
        [Reply::json(200, json!([{"id": "key-1", "name": "ci"}]))],
    );
    server.on(
        "GET",
        "/api/v2/quotas/users/scans",
        [Reply::json(
            200,
            json!([{"username": "bob", "start_time": 7}]),
        )],
    );
    server.on(
        "POST",
        "/api/v2/quotas/users/bob/scan",
        [Reply::json(202, json!({"message": "Scan started"}))],
    );
    server.on(
        "GET",
        "/api/v2/connections",
        [Reply::json(
            200,
            json!([{"connection_id": "SFTP_1", "username": "bob"}]),
        )],
    );
    server.on("DELETE", "/api/v2/connections/SFTP_1", [ok()]);
    server.on(
        "GET",
        "/api/v2/version",
        [Reply::json(200, json!({"version": "2.7.5"}))],
    );
    server.on(
        "GET",
        "/api/v2/dumpdata",
        [
            Reply::json(200, json!({"users": [], "version": 16})),
            Reply::json(200, json!({"message": "Data saved"})),
        ],
    );
    server.on("POST", "/api/v2/loaddata", [ok()]);
    let sftpgo = local_client(&server);

    let user = sftpgo.users().get("alice").await.unwrap();
    assert_eq!(
        (user.username.as_deref(), user.uid),
        (Some("alice"), Some(1001))
    );
    assert_eq!(
        sftpgo
            .users()
            .delete("alice")
            .await
            .unwrap()
            .message
            .as_deref(),
        Some("done")
    );
    assert_eq!(sftpgo.admins().get("root").await.unwrap().status, Some(1));
    let admin: Admin = serde_json::from_value(json!({"username": "ops"})).unwrap();
    sftpgo.admins().create(admin).await.unwrap();
    let sent: serde_json::Value =
        serde_json::from_slice(&server.requests_to("POST", "/api/v2/admins")[0].body).unwrap();
    // Created enabled: a missing status would be stored as 0 (disabled).
    assert_eq!(sent, json!({"username": "ops", "status": 1}));
    sftpgo.admins().delete("ops").await.unwrap();
    let folder = sftpgo.folders().get("f1").await.unwrap();
    assert_eq!(folder.mapped_path.as_deref(), Some("/srv/f1"));
    let folder: BaseVirtualFolder =
        serde_json::from_value(json!({"name": "f1", "mapped_path": "/srv/f1"})).unwrap();
    sftpgo.folders().create(&folder).await.unwrap();
    let sent: serde_json::Value =
        serde_json::from_slice(&server.requests_to("POST", "/api/v2/folders")[0].body).unwrap();
    assert_eq!(sent, json!({"name": "f1", "mapped_path": "/srv/f1"}));
    sftpgo.folders().delete("f1").await.unwrap();
    let admin = bearer(format!("{}/api/v2", server.url()));
    let key: ApiKey = serde_json::from_value(json!({"name": "ci", "scope": 1})).unwrap();
    let created = admin.api_keys().create(&key).await.unwrap();
    assert_eq!(created.key.unwrap().expose(), "k3y-s3cret");
    admin.api_keys().delete("key-1").await.unwrap();
    let keys = admin
        .api_keys()
        .all_with(ListOptions {
            offset: 3,
            page_size: Some(10),
            descending: true,
        })
        .try_collect()
        .await
        .unwrap();
    assert_eq!(keys[0].id.as_deref(), Some("key-1"));
    let asked = &server.requests_to("GET", "/api/v2/apikeys")[0];
    assert_eq!(
        ["offset", "limit", "order"].map(|n| asked.query_value(n).unwrap_or_default().to_owned()),
        ["3", "10", "DESC"]
    );
    let scans = sftpgo.quota().scans().await.unwrap();
    assert_eq!(scans[0].username.as_deref(), Some("bob"));
    sftpgo.quota().start_scan("bob").await.unwrap();
    let connections = sftpgo.connections().all().await.unwrap();
    assert_eq!(connections[0].connection_id.as_deref(), Some("SFTP_1"));
    sftpgo.connections().close("SFTP_1").await.unwrap();
    assert_eq!(
        sftpgo
            .maintenance()
            .version()
            .await
            .unwrap()
            .version
            .as_deref(),
        Some("2.7.5")
    );
    sftpgo.maintenance().dump().await.unwrap();
    sftpgo
        .maintenance()
        .dump_to_file("nightly.json")
        .await
        .unwrap();
    let dumps = server.requests_to("GET", "/api/v2/dumpdata");
    assert_eq!(dumps[0].query_value("output-data"), Some("1"));
    assert_eq!(dumps[0].query_value("output-file"), None);
    assert_eq!(dumps[1].query_value("output-data"), Some("0"));
    assert_eq!(dumps[1].query_value("output-file"), Some("nightly.json"));
    let backup: BackupData = serde_json::from_value(json!({"version": 16})).unwrap();
    let options = LoadOptions {
        scan_quota: Some(2),
        mode: None,
    };
    sftpgo.maintenance().load(&backup, options).await.unwrap();
    let load = &server.requests_to("POST", "/api/v2/loaddata")[0];
    assert_eq!(load.query_value("scan-quota"), Some("2"));
    assert_eq!(load.query_value("mode"), None);

    // Every request above was one call to its own operation: nothing else.
    let lines: Vec<String> = server
        .requests()
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert!(
        lines.contains(&"DELETE /api/v2/users/alice".to_owned()),
        "{lines:?}"
    );
    assert!(
        lines.contains(&"POST /api/v2/quotas/users/bob/scan".to_owned()),
        "{lines:?}"
    );
    assert!(
        lines.contains(&"DELETE /api/v2/connections/SFTP_1".to_owned()),
        "{lines:?}"
    );
    assert_eq!(lines.len(), 19, "{lines:?}");
}

/// `raw_call` sends the request as built, under the API prefix, with the
/// client's credentials, and returns the answer as received.
#[tokio::test]
async fn raw_call_sends_any_request_with_the_credentials() {
    let server = ScriptedServer::start().await;
    server.on(
        "GET",
        "/api/v2/events/fs",
        [Reply::json(200, json!([{"id": "e1"}]))],
    );
    let answer = local_client(&server)
        .raw_call(
            Request::new("get_fs_events", Method::GET, "/events/fs")
                .auth(&["BearerAuth", "APIKeyAuth"])
                .query("limit", 1),
        )
        .await
        .unwrap();
    assert_eq!(answer.status, 200);
    let events: serde_json::Value = answer.json().unwrap();
    assert_eq!(events[0]["id"], "e1");
    let sent = &server.requests_to("GET", "/api/v2/events/fs")[0];
    assert_eq!(sent.query_value("limit"), Some("1"));
    assert_eq!(sent.header_values("x-sftpgo-api-key"), ["local-api-key"]);
}
