//! What the peers get wrong with SFTPGo answers and the generated client gets
//! right: `dumpdata`'s `BackupData` decodes as itself (progenitor and
//! openapi-generator decode it as the `oneOf` sibling `ApiResponse` and lose
//! the data), typed `Location` headers, `/healthz` outside the API prefix,
//! CSV exports, lenient records, unknown enum values, redacted secrets.
//!
//! Answers come from a one-shot local HTTP server that also records the
//! request line, so the path and headers the client sent are checked too.

use panelkit_sftpgo::events::GetFsEventsResponse;
use panelkit_sftpgo::types::{ApiKey, BackupData, DumpdataOutput, FsProviders, Permission, User};
use panelkit_sftpgo::Client;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Serves one answer; returns the base URL and a handle yielding the raw request head.
async fn one_shot(
    status: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (String, tokio::task::JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let mut answer = format!(
        "HTTP/1.1 {status}\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        answer.push_str(&format!("{name}: {value}\r\n"));
    }
    answer.push_str("\r\n");
    answer.push_str(body);
    let handle = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut buf = vec![0u8; 16 * 1024];
        let mut head = Vec::new();
        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = socket.read(&mut buf).await.unwrap();
            if n == 0 {
                break;
            }
            head.extend_from_slice(&buf[..n]);
        }
        socket.write_all(answer.as_bytes()).await.unwrap();
        socket.shutdown().await.ok();
        String::from_utf8_lossy(&head).into_owned()
    });
    (format!("http://{addr}"), handle)
}

fn client(url: &str) -> Client {
    Client::builder()
        .url(url)
        .api_key("test-key")
        .build()
        .unwrap()
}

const BACKUP: &str = r#"{
  "users": [{"username": "alice", "status": 1, "permissions": {"/": ["*"]},
             "filesystem": {"provider": 0}, "some_future_field": true}],
  "folders": [{"name": "shared", "mapped_path": "/srv/shared"}],
  "admins": [], "api_keys": [], "version": 17
}"#;

#[tokio::test]
async fn dumpdata_returns_backup_data_as_itself() {
    let (url, request) = one_shot("200 OK", &[("content-type", "application/json")], BACKUP).await;
    let answer = client(&url).dumpdata().output_data(1).await.unwrap();
    let head = request.await.unwrap();
    assert!(
        head.starts_with("GET /api/v2/dumpdata?output-data=1 HTTP/1.1"),
        "{head}"
    );
    let DumpdataOutput::BackupData(backup) = answer else {
        panic!("decoded as {answer:?}, not BackupData")
    };
    let users = backup.users.unwrap();
    assert_eq!(users[0].username.as_deref(), Some("alice"));
    assert_eq!(
        users[0].permissions.as_ref().unwrap()["/"],
        [Permission::Star]
    );
    let provider: Option<FsProviders> = users[0].filesystem.as_ref().unwrap().provider;
    assert_eq!(provider, Some(0));
    assert_eq!(backup.folders.unwrap()[0].name.as_deref(), Some("shared"));
    assert_eq!(backup.version, Some(17));
}

#[tokio::test]
async fn dumpdata_to_a_file_returns_the_api_response() {
    let (url, _request) = one_shot(
        "200 OK",
        &[("content-type", "application/json")],
        r#"{"message": "Data saved", "error": ""}"#,
    )
    .await;
    let answer = client(&url)
        .dumpdata()
        .output_file("backup.json")
        .await
        .unwrap();
    match answer {
        DumpdataOutput::ApiResponse(r) => assert_eq!(r.message.as_deref(), Some("Data saved")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn backup_data_decodes_directly_through_the_union() {
    let union: DumpdataOutput = serde_json::from_str(BACKUP).unwrap();
    assert!(matches!(
        union,
        DumpdataOutput::BackupData(BackupData { .. })
    ));
    let empty: DumpdataOutput = serde_json::from_str("{}").unwrap();
    assert!(matches!(empty, DumpdataOutput::ApiResponse(_)));
}

#[tokio::test]
async fn create_answers_expose_location_and_object_id() {
    let (url, request) = one_shot(
        "201 Created",
        &[
            ("content-type", "application/json"),
            ("location", "/api/v2/apikeys/abc"),
            ("x-object-id", "abc"),
        ],
        r#"{"mesage": "ok", "key": "abc.secret"}"#,
    )
    .await;
    // API keys are managed with a JWT only (the spec's own security), so an
    // API-key client is refused before anything is sent.
    let refused = client("http://127.0.0.1:9")
        .add_api_key(&ApiKey::default())
        .await;
    assert!(refused.is_err());
    let jwt = Client::builder()
        .url(&url)
        .bearer_token("jwt")
        .build()
        .unwrap();
    let answer = jwt
        .add_api_key(&ApiKey::default())
        .send_with_headers()
        .await
        .unwrap();
    assert_eq!(answer.status, 201);
    assert_eq!(answer.header("Location"), Some("/api/v2/apikeys/abc"));
    assert_eq!(answer.header("X-Object-ID"), Some("abc"));
    let key = answer.body.key.as_ref().unwrap();
    assert_eq!(key.expose(), "abc.secret");
    assert!(!format!("{:?}", answer.body).contains("abc.secret"));
    let head = request.await.unwrap();
    assert!(head.starts_with("POST /api/v2/apikeys HTTP/1.1"), "{head}");
    let lower = head.to_ascii_lowercase();
    assert!(lower.contains("authorization: bearer jwt"), "{head}");
    assert!(!lower.contains("x-sftpgo-api-key"), "{head}");
}

#[tokio::test]
async fn healthz_is_served_outside_the_api_prefix_as_text() {
    let (url, request) = one_shot(
        "200 OK",
        &[("content-type", "text/plain; charset=utf-8")],
        "ok",
    )
    .await;
    assert_eq!(client(&url).healthz().await.unwrap(), "ok");
    let head = request.await.unwrap();
    assert!(head.starts_with("GET /healthz HTTP/1.1"), "{head}");
    assert!(
        !head.to_ascii_lowercase().contains("x-sftpgo-api-key"),
        "{head}"
    );
}

#[tokio::test]
async fn csv_exports_decode_as_text() {
    let csv = "Time,Action,Username\n1,upload,alice\n";
    let (url, request) = one_shot("200 OK", &[("content-type", "text/csv")], csv).await;
    let answer = client(&url).get_fs_events().csv_export(true).await;
    let head = request.await.unwrap();
    assert!(head.contains("csv_export=true"), "{head}");
    match answer.unwrap() {
        GetFsEventsResponse::Text(text) => assert_eq!(text, csv),
        other => panic!("{other:?}"),
    }
}

#[test]
fn records_are_lenient_and_skip_absent_fields() {
    let user: User = serde_json::from_str(
        r#"{"username": "bob", "status": 7, "password": "hunter2", "unknown": {"x": 1}}"#,
    )
    .unwrap();
    assert_eq!(user.status, Some(7));
    assert!(!format!("{user:?}").contains("hunter2"));
    let encoded = serde_json::to_value(&User {
        username: Some("carol".into()),
        ..User::default()
    })
    .unwrap();
    assert_eq!(encoded, serde_json::json!({"username": "carol"}));
    let perms: Vec<Permission> = serde_json::from_str(r#"["list", "teleport"]"#).unwrap();
    assert_eq!(
        perms,
        [Permission::List, Permission::Unknown("teleport".into())]
    );
}

#[test]
fn conformance_table_covers_every_operation_once() {
    use panelkit_sftpgo::conformance::OPERATIONS as CALLS;
    let names: Vec<&str> = CALLS.iter().map(|c| c.name).collect();
    assert_eq!(names, panelkit_sftpgo::OPERATIONS);
    assert_eq!(names.len(), 119);
    let token = CALLS.iter().find(|c| c.name == "get_token").unwrap();
    assert_eq!(token.auth, ["BasicAuth"]);
    let health = CALLS.iter().find(|c| c.name == "healthz").unwrap();
    assert!(health.auth.is_empty());
}

#[tokio::test]
async fn a_conformance_call_sends_a_valid_request() {
    let (url, request) = one_shot("200 OK", &[("content-type", "application/json")], "{}").await;
    let call = panelkit_sftpgo::conformance::OPERATIONS
        .iter()
        .find(|c| c.name == "create_user_file")
        .unwrap();
    (call.call)(&client(&url)).await.unwrap();
    let head = request.await.unwrap();
    assert!(
        head.starts_with("POST /api/v2/user/files/upload?path=x HTTP/1.1"),
        "{head}"
    );
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: application/octet-stream"),
        "{head}"
    );
}
