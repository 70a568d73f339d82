//! Live smoke test against a real panel, for people who have one:
//!
//! ```sh
//! PANELKIT_ISPCONFIG_URL=https://panel:8080/remote/index.php PANELKIT_ISPCONFIG_USER=remote \
//! PANELKIT_ISPCONFIG_PASSWORD=... [PANELKIT_ISPCONFIG_INSECURE=1] [PANELKIT_ISPCONFIG_ZONE=example.com] \
//! cargo test -p panelkit-tests --test ispconfig_live -- --ignored
//! ```
//! Read-only: logs in, lists functions, reads servers (and a zone's records
//! when PANELKIT_ISPCONFIG_ZONE is set), logs out.

use panelkit_ispconfig::{Client, Value};

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} must be set for the live test"))
}

#[tokio::test]
#[ignore = "needs a real ISPConfig panel (PANELKIT_ISPCONFIG_URL/_USER/_PASSWORD)"]
async fn live_panel_smoke() {
    let insecure = std::env::var("PANELKIT_ISPCONFIG_INSECURE").is_ok_and(|v| v == "1");
    let client = Client::builder()
        .url(env("PANELKIT_ISPCONFIG_URL"))
        .credentials(
            env("PANELKIT_ISPCONFIG_USER"),
            env("PANELKIT_ISPCONFIG_PASSWORD"),
        )
        .danger_accept_invalid_certs(insecure)
        .build()
        .expect("client builds");
    client.login().await.expect("login");
    let functions = client.list_functions().await.expect("get_function_list");
    assert!(!functions.is_empty());
    let unknown: Vec<&String> = functions
        .iter()
        .filter(|f| !panelkit_ispconfig::METHODS.contains(&f.as_str()))
        .collect();
    eprintln!(
        "{} functions; not in this crate's inventory: {unknown:?}",
        functions.len()
    );
    if functions.iter().any(|f| f == "server_get_all") {
        let servers = client.server_get_all().await.expect("server_get_all");
        assert!(
            servers.as_list().is_some(),
            "server_get_all returns a list: {servers:?}"
        );
    }
    if let Ok(zone) = std::env::var("PANELKIT_ISPCONFIG_ZONE") {
        let origin = format!("{}.", zone.trim_end_matches('.'));
        let filter: Value = [("origin", origin.as_str())].into_iter().collect();
        let zones = client.dns_zone_get(filter).await.expect("dns_zone_get");
        let id = zones
            .as_list()
            .and_then(|rows| {
                rows.iter()
                    .find(|r| r.get("origin").and_then(Value::as_str) == Some(origin.as_str()))
            })
            .and_then(|r| r.get("id").and_then(Value::as_i64))
            .expect("the zone exists");
        client
            .dns_rr_get_all_by_zone(id)
            .await
            .expect("dns_rr_get_all_by_zone");
    }
    client.logout().await.expect("logout");
}
