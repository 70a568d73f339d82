//! The generated `panelkit-ionos` client end to end against the scripted
//! local server: a 202 create through a generated method, then `wait()`
//! through QUEUED → RUNNING → DONE; client defaults and per-call overrides
//! on the wire; the latest rate-limit headers; the kubeconfig as YAML text;
//! a form-encoded snapshot body; a body built with `new` carries its
//! required fields, and an answer without them still decodes.

use std::time::Duration;

use panelkit_ionos::types::{
    Datacenter, DatacenterProperties, DatacentersVolumesCreateSnapshotPostRequest, Server,
    ServerProperties, Type,
};
use panelkit_ionos::{Client, PerCall, RequestState, WaitOptions};
use panelkit_tests::ionos::{Reply, ScriptedServer};

const ID: &str = "0a1b2c3d-0000-4000-8000-00000000abcd";

fn client(server: &ScriptedServer) -> Client {
    Client::builder()
        .url(server.url())
        .token("generated-client-token")
        .depth(1)
        .contract_number(42)
        .build()
        .unwrap()
}

#[tokio::test]
async fn create_a_datacenter_and_wait_for_it() {
    let server = ScriptedServer::start().await;
    let status = format!("/requests/{ID}/status");
    server.on(
        "POST",
        "/datacenters",
        [Reply::json(
            202,
            serde_json::json!({"id": "dc-1", "type": "datacenter", "properties": {"name": "web", "location": "de/fra"}}),
        )
        .header("Location", format!("{}{status}", server.url()))
        .header("X-RateLimit-Remaining", "41")
        .header("X-RateLimit-Limit", "120")],
    );
    server.on(
        "GET",
        &status,
        [
            Reply::request_status(ID, "QUEUED", None),
            Reply::request_status(ID, "RUNNING", None),
            Reply::request_status(ID, "DONE", None),
        ],
    );
    let client = client(&server);
    let body = Datacenter::new(DatacenterProperties {
        name: Some("web".into()),
        ..DatacenterProperties::new("de/fra".into())
    });
    let accepted = client.datacenters_post(&body).await.unwrap();
    assert_eq!(accepted.request_id(), Some(ID));
    assert_eq!(accepted.value.r#type, Some(Type::Datacenter));
    let rate = client.rest().last_rate_limit().unwrap();
    assert_eq!((rate.remaining, rate.limit), (Some(41), Some(120)));

    let states = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = states.clone();
    let options = WaitOptions::with_timeout(Duration::from_secs(10))
        .intervals(Duration::from_millis(5), Duration::from_millis(10))
        .on_progress(move |p| seen.lock().unwrap().push(p.state.clone()));
    let created = accepted.wait_with(&options).await.unwrap();
    assert_eq!(created.id.as_deref(), Some("dc-1"));
    assert_eq!(
        *states.lock().unwrap(),
        [
            RequestState::Queued,
            RequestState::Running,
            RequestState::Done
        ]
    );

    let post = &server.requests_to("POST", "/datacenters")[0];
    assert_eq!(post.query_value("depth"), Some("1"));
    assert_eq!(post.header_values("x-contract-number"), ["42"]);
    assert_eq!(
        post.header_values("authorization"),
        ["Bearer generated-client-token"]
    );
    let sent: serde_json::Value = serde_json::from_slice(&post.body).unwrap();
    assert_eq!(sent["properties"]["location"], "de/fra");
}

#[tokio::test]
async fn per_call_defaults_and_text_and_form_bodies() {
    let server = ScriptedServer::start().await;
    server.on(
        "GET",
        "/datacenters/dc-1",
        [Reply::json(
            200,
            serde_json::json!({"id": "dc-1", "properties": {"location": "de/fra"}}),
        )],
    );
    server.on(
        "GET",
        "/k8s/k-1/kubeconfig",
        [Reply::new(200, "apiVersion: v1\nkind: Config\n")
            .header("Content-Type", "application/yaml")],
    );
    server.on(
        "POST",
        "/datacenters/dc-1/volumes/v-1/create-snapshot",
        [Reply::json(202, serde_json::json!({"id": "snap-1"}))],
    );
    let client = client(&server);
    client
        .with_depth(5)
        .with_contract_number(7)
        .datacenters_find_by_id("dc-1")
        .await
        .unwrap();
    client.datacenters_find_by_id("dc-1").await.unwrap();
    let gets = server.requests_to("GET", "/datacenters/dc-1");
    assert_eq!(gets[0].query_value("depth"), Some("5"));
    assert_eq!(gets[0].header_values("x-contract-number"), ["7"]);
    assert_eq!(
        gets[1].query_value("depth"),
        Some("1"),
        "the override was for one client only"
    );

    let yaml = client.k8s_kubeconfig_get("k-1").await.unwrap();
    assert!(yaml.starts_with("apiVersion: v1"));

    let form = DatacentersVolumesCreateSnapshotPostRequest {
        name: Some("nightly backup".into()),
        sec_auth_protection: Some(true),
        ..Default::default()
    };
    let accepted = client
        .datacenters_volumes_create_snapshot_post("dc-1", "v-1")
        .body(&form)
        .await
        .unwrap();
    assert!(accepted.request.is_none(), "no Location, no handle");
    let post = &server.requests_to("POST", "/datacenters/dc-1/volumes/v-1/create-snapshot")[0];
    assert_eq!(
        post.header_values("content-type"),
        ["application/x-www-form-urlencoded"]
    );
    let body = String::from_utf8(post.body.clone()).unwrap();
    assert!(body.contains("name=nightly+backup"), "{body}");
    assert!(body.contains("secAuthProtection=true"), "{body}");
}

/// Required fields are arguments of `new` (no `Default` to leave one at
/// zero), so they are on the wire; the `depth=0` answer, which carries only
/// `id`, `href` and `type`, still decodes.
#[tokio::test]
async fn a_body_built_with_new_sends_its_required_fields() {
    let server = ScriptedServer::start().await;
    server.on(
        "POST",
        "/datacenters/dc-1/servers",
        [Reply::json(
            202,
            serde_json::json!({"id": "s-1", "type": "server", "href": "https://api/servers/s-1"}),
        )],
    );
    let client = client(&server);
    let body = Server::new(ServerProperties {
        name: Some("web1".into()),
        ..ServerProperties::new(2, 2048)
    });
    let accepted = client
        .datacenters_servers_post("dc-1", &body)
        .await
        .unwrap();
    assert_eq!(accepted.value.id.as_deref(), Some("s-1"));
    // Absent from the answer: the empty value, not a decode error.
    assert_eq!(accepted.value.properties.cores, 0);

    let post = &server.requests_to("POST", "/datacenters/dc-1/servers")[0];
    let sent: serde_json::Value = serde_json::from_slice(&post.body).unwrap();
    assert_eq!(
        sent["properties"],
        serde_json::json!({"cores": 2, "ram": 2048, "name": "web1"})
    );
}

/// The README's IONOS example, kept compiling (never run: it needs a real
/// account).
#[allow(dead_code)]
async fn readme_example() -> panelkit_ionos::Result<()> {
    use panelkit_ionos::ClientBuilder;
    let ionos: Client = ClientBuilder::from_env()?.depth(1).build()?;
    let dc = Datacenter::new(DatacenterProperties::new("de/fra".into()));
    let accepted = ionos.datacenters_post(&dc).await?;
    let options = WaitOptions::with_timeout(Duration::from_secs(1800))
        .on_progress(|p| eprintln!("{}: {}", p.request_id, p.state));
    let created = accepted.wait_with(&options).await?;
    let deep = ionos
        .with_depth(3)
        .datacenters_find_by_id(created.id.as_deref().unwrap_or(""))
        .await?;
    let _ = deep;
    Ok(())
}
