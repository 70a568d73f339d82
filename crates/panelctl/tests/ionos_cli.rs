//! `panelctl ionos` end to end against the scripted local IONOS server
//! (tests/src/ionos.rs): a create answered 202 with a request to follow,
//! `--wait` through QUEUED → RUNNING → DONE (and FAILED), listings paged,
//! and the token never shown.

use std::process::Output;

use assert_cmd::Command;

use panelkit_tests::ionos::{Reply, ScriptedServer};
use serde_json::json;

const ID: &str = "0a1b2c3d-0000-4000-8000-00000000abcd";
const TOKEN: &str = "ionos-cli-test-token-77";

async fn panelctl(server: &ScriptedServer, args: &[&str]) -> Output {
    let url = server.url();
    let args: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
    tokio::task::spawn_blocking(move || {
        Command::cargo_bin("panelctl")
            .expect("panelctl is built")
            .args(["--config", "/dev/null", "--url", &url])
            .args(&args)
            .env("IONOS_TOKEN", TOKEN)
            .env_remove("IONOS_USERNAME")
            .env_remove("IONOS_PASSWORD")
            .env_remove("IONOS_API_URL")
            .output()
            .expect("panelctl runs")
    })
    .await
    .unwrap()
}

fn json_out(output: &Output) -> serde_json::Value {
    assert!(
        output.status.success(),
        "panelctl failed ({:?}): {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("stdout is JSON")
}

fn accepted(server: &ScriptedServer, method: &str, path: &str, body: serde_json::Value) {
    let status = format!("{}/requests/{ID}/status", server.url());
    server.on(
        method,
        path,
        [Reply::json(202, body).header("Location", status)],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_datacenter_waits_through_the_request_states() {
    let server = ScriptedServer::start().await;
    accepted(
        &server,
        "POST",
        "/datacenters",
        json!({"id": "dc-1", "type": "datacenter", "properties": {"name": "web", "location": "de/fra"}}),
    );
    server.on(
        "GET",
        &format!("/requests/{ID}/status"),
        [
            Reply::request_status(ID, "QUEUED", None),
            Reply::request_status(ID, "RUNNING", None),
            Reply::request_status(ID, "DONE", None),
        ],
    );
    let out = panelctl(
        &server,
        &[
            "ionos",
            "create-datacenter",
            "web",
            "--location",
            "de/fra",
            "--wait",
            "--timeout",
            "60",
        ],
    )
    .await;
    let value = json_out(&out);
    assert_eq!(value["request_id"], ID);
    assert_eq!(value["state"], "DONE");
    assert_eq!(value["value"]["id"], "dc-1");
    let stderr = String::from_utf8_lossy(&out.stderr);
    for state in ["QUEUED", "RUNNING", "DONE"] {
        assert!(
            stderr.contains(&format!("request {ID}: {state}")),
            "progress lines when piped: {stderr}"
        );
    }
    let posted = server.requests_to("POST", "/datacenters");
    assert_eq!(posted.len(), 1);
    assert!(String::from_utf8_lossy(&posted[0].body).contains("\"location\":\"de/fra\""));
    assert!(!stderr.contains(TOKEN) && !String::from_utf8_lossy(&out.stdout).contains(TOKEN));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_request_is_a_typed_failure_naming_it() {
    let server = ScriptedServer::start().await;
    accepted(&server, "DELETE", "/datacenters/dc-9", json!({}));
    server.on(
        "GET",
        &format!("/requests/{ID}/status"),
        [Reply::request_status(ID, "FAILED", Some("quota exceeded"))],
    );
    let out = panelctl(&server, &["ionos", "delete-datacenter", "dc-9", "--wait"]).await;
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(ID) && stderr.contains("quota exceeded"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_wait_the_request_id_is_printed() {
    let server = ScriptedServer::start().await;
    accepted(
        &server,
        "POST",
        "/datacenters/dc-1/servers",
        json!({"id": "srv-1", "properties": {"cores": 2, "ram": 2048}}),
    );
    let value = json_out(
        &panelctl(
            &server,
            &[
                "ionos",
                "create-server",
                "dc-1",
                "app",
                "--cores",
                "2",
                "--ram",
                "2048",
            ],
        )
        .await,
    );
    assert_eq!(value["request_id"], ID);
    assert_eq!(value["value"]["id"], "srv-1");
    assert!(
        server
            .requests_to("GET", &format!("/requests/{ID}/status"))
            .is_empty(),
        "no polling without --wait"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn listings_and_lookups() {
    let server = ScriptedServer::start().await;
    server.on(
        "GET",
        "/datacenters",
        [Reply::json(200, json!({"id": "datacenters", "items": [{"id": "dc-1", "properties": {"location": "de/fra"}}, {"id": "dc-2", "properties": {"location": "us/las"}}]}))],
    );
    server.on(
        "GET",
        "/datacenters/dc-2",
        [Reply::json(
            200,
            json!({"id": "dc-2", "properties": {"location": "us/las"}}),
        )],
    );
    server.on(
        "GET",
        "/datacenters/nope",
        [Reply::ionos_error(404, "309", "Resource does not exist")],
    );
    let all = json_out(&panelctl(&server, &["ionos", "datacenters"]).await);
    assert_eq!(all.as_array().unwrap().len(), 2);
    let listed = server.requests_to("GET", "/datacenters");
    assert_eq!(listed[0].query_value("offset"), Some("0"));
    assert_eq!(listed[0].query_value("limit"), Some("1000"));
    let one = json_out(&panelctl(&server, &["ionos", "datacenter", "dc-2"]).await);
    assert_eq!(one["properties"]["location"], "us/las");
    let missing = panelctl(&server, &["ionos", "datacenter", "nope"]).await;
    assert_eq!(
        missing.status.code(),
        Some(6),
        "{}",
        String::from_utf8_lossy(&missing.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_names_the_api_and_the_contract_and_fails_with_the_auth_code() {
    let server = ScriptedServer::start().await;
    server.on(
        "GET",
        "/",
        [Reply::json(
            200,
            json!({"name": "CLOUD API", "version": "6.0", "href": "https://api.ionos.com/cloudapi/v6"}),
        )],
    );
    server.on(
        "GET",
        "/contracts",
        [Reply::json(
            200,
            json!({"type": "contract", "items": [{"type": "contract", "properties": {"contractNumber": 31_415_926}}]}),
        )],
    );
    let report = json_out(&panelctl(&server, &["ionos", "doctor"]).await);
    assert_eq!(report["panel"], "ionos", "{report}");
    assert!(report.to_string().contains("31415926"), "{report}");
    assert!(!report.to_string().contains(TOKEN));

    let refused = ScriptedServer::start().await;
    refused.on(
        "GET",
        "/",
        [Reply::json(
            200,
            json!({"name": "CLOUD API", "version": "6.0"}),
        )],
    );
    refused.on(
        "GET",
        "/contracts",
        [Reply::json(
            401,
            json!({"httpStatus": 401, "messages": [{"errorCode": "315", "message": "Unauthorized"}]}),
        )],
    );
    let output = panelctl(&refused, &["ionos", "doctor"]).await;
    assert_eq!(
        output.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// panelctl ionos without the IONOS variables, `envs` set on top.
fn without_credentials(envs: &[(&str, &str)]) -> Output {
    let mut command = Command::cargo_bin("panelctl").expect("panelctl is built");
    command
        .args(["--config", "/dev/null", "ionos", "datacenters"])
        .env_remove("PANELCTL_PROFILE");
    for name in [
        "IONOS_TOKEN",
        "IONOS_USERNAME",
        "IONOS_PASSWORD",
        "IONOS_API_URL",
        "PANELKIT_IONOS_TOKEN",
        "PANELKIT_IONOS_USER",
        "PANELKIT_IONOS_PASSWORD",
    ] {
        command.env_remove(name);
    }
    command.envs(envs.iter().copied());
    command.output().expect("panelctl runs")
}

#[test]
fn missing_credentials_are_hinted_with_the_ionos_variables_not_library_calls() {
    let none = without_credentials(&[]);
    assert_eq!(none.status.code(), Some(3));
    let hint = String::from_utf8_lossy(&none.stderr);
    assert!(
        hint.contains("IONOS_TOKEN")
            && hint.contains("IONOS_USERNAME")
            && hint.contains("IONOS_PASSWORD"),
        "{hint}"
    );
    // A user but no password (stdin is no terminal, so nothing is asked).
    let user_only = without_credentials(&[("IONOS_USERNAME", "ops@example.com")]);
    assert_eq!(user_only.status.code(), Some(3));
    let user_hint = String::from_utf8_lossy(&user_only.stderr);
    assert!(user_hint.contains("IONOS_PASSWORD"), "{user_hint}");
    for hint in [hint, user_hint] {
        assert!(!hint.contains("PANELKIT_IONOS_"), "{hint}");
        assert!(!hint.contains(".basic_auth"), "library advice: {hint}");
    }
}
