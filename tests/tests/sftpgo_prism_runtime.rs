//! The REST runtime against Prism serving SFTPGo's spec, with hand-built
//! requests: what the runtime sends is what the spec describes (Prism
//! rejects anything else with 400/401), and Prism's answers decode.

use panelkit_core::rest::{Method, Multipart, Request, RestClient, StreamBody};
use panelkit_core::sftpgo::ClientBuilder;
use panelkit_core::Error;
use panelkit_tests::prism::PrismPeer;
use serde_json::json;

const BOTH: &[&str] = &["BearerAuth", "APIKeyAuth"];

fn client(prism: &PrismPeer) -> RestClient {
    ClientBuilder::new()
        .url(prism.url())
        .api_prefix("")
        .admin("admin", "admin-password")
        .user("alice", "alice-password")
        .build()
        .unwrap()
}

#[tokio::test]
async fn hand_built_requests_pass_prism() {
    let prism = PrismPeer::sftpgo();
    eprintln!("prism listening after {:?}", prism.started_in());
    let client = client(&prism);

    // GET /version with a JWT fetched from prism's GET /token (Basic).
    let version = client
        .send(Request::new("get_version", Method::GET, "/version").auth(BOTH))
        .await
        .unwrap();
    assert_eq!(version.status, 200);
    let body: serde_json::Value = version.json().unwrap();
    assert!(body.get("version").is_some(), "{body}");

    // POST /users with a JSON body: 201 with a Location header.
    let created = client
        .send(
            Request::new("add_user", Method::POST, "/users")
                .auth(BOTH)
                .json(&json!({
                    "username": "bob",
                    "password": "bob-password",
                    "status": 1,
                    "home_dir": "/srv/sftpgo/bob",
                    "permissions": {"/": ["*"]}
                }))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(created.status, 201);
    assert!(created.header("location").is_some());

    // The healthz path-level server override (no prefix) and text/plain.
    let health = client
        .send(Request::new("healthz", Method::GET, "/healthz").server("/"))
        .await
        .unwrap();
    assert_eq!(health.text().unwrap(), "ok");

    // The user API with the user's JWT: raw upload with X-SFTPGO-MTIME.
    let upload = client
        .send(
            Request::new("create_user_file", Method::POST, "/user/files/upload")
                .auth(BOTH)
                .query("path", "dir/file.txt")
                .query("mkdir_parents", true)
                .header("X-SFTPGO-MTIME", 1_700_000_000_000u64)
                .stream_body(
                    "application/octet-stream",
                    StreamBody::from_reader(&b"hello prism"[..]),
                ),
        )
        .await
        .unwrap();
    assert_eq!(upload.status, 201);

    // Multipart upload. Prism 5.14.2 reads repeated form fields as an array
    // only under a bracketed name (`filenames[]`; with `filenames` it answers
    // 400 "filenames must be array"), while SFTPGo itself reads exactly
    // `filenames` (r.MultipartForm.File["filenames"]). The bracketed name is
    // used here to prove the encoding (boundary, parts, file names, types)
    // passes Prism; real clients must send `filenames`.
    let multipart = client
        .send(
            Request::new("create_user_files", Method::POST, "/user/files")
                .auth(BOTH)
                .query("path", "/")
                .multipart(
                    Multipart::new()
                        .file("filenames[]", "a.txt", StreamBody::from(b"a".to_vec()))
                        .file("filenames[]", "b.txt", StreamBody::from_reader(&b"b"[..])),
                ),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}: {:#?}", prism.violations()));
    assert_eq!(multipart.status, 201);

    // A download as a stream.
    let download = client
        .send_streaming(
            Request::new("download_user_file", Method::GET, "/user/files")
                .auth(BOTH)
                .query("path", "dir/file.txt"),
        )
        .await
        .unwrap();
    assert!(matches!(download.status, 200 | 206));
    download.write_to(Vec::new()).await.unwrap();

    assert!(
        prism.violations().is_empty(),
        "prism saw violations: {:#?}",
        prism.violations()
    );
}

#[tokio::test]
async fn requests_prism_rejects_are_typed_errors() {
    let prism = PrismPeer::sftpgo();
    let client = client(&prism);
    // A body field of the wrong type: 400, a Validation error.
    let error = client
        .send(
            Request::new("add_user", Method::POST, "/users")
                .auth(BOTH)
                .json(&json!({"username": 5}))
                .unwrap(),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::Validation {
                status: Some(400),
                ..
            }
        ),
        "{error:?}"
    );
    // A query parameter of the wrong type.
    let error = client
        .send(
            Request::new("get_users", Method::GET, "/users")
                .auth(BOTH)
                .query("limit", "many"),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::Validation {
                status: Some(400),
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(prism.violations().len(), 2, "{:#?}", prism.violations());
    // No credentials at all: 401, an Auth error.
    let bare: RestClient = ClientBuilder::new()
        .url(prism.url())
        .api_prefix("")
        .build()
        .unwrap();
    let error = bare
        .send(Request::new("get_version", Method::GET, "/version"))
        .await
        .unwrap_err();
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
}
