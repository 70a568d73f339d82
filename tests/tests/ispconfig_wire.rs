//! Wire tests: the generated ISPConfig client against PHP's own `SoapServer`
//! following the panel's remote semantics (tests/peers/ispconfig).

use panelkit_core::Error;
use panelkit_ispconfig::{from_value, Client, Value};
use panelkit_tests::{IspconfigPeer, PeerOptions};
use serde::Deserialize;

fn client(peer: &IspconfigPeer) -> Client {
    Client::builder().url(peer.url()).credentials(peer.user(), peer.password()).build().expect("client builds")
}

fn map(entries: &[(&str, Value)]) -> Value {
    entries.iter().map(|(k, v)| (*k, v.clone())).collect()
}

#[tokio::test]
async fn login_is_lazy_and_happens_once() {
    let peer = IspconfigPeer::start();
    let client = client(&peer);
    assert_eq!(peer.stats().await.login_calls, 0, "building a client must not log in");
    client.dns_zone_get(2).await.unwrap();
    client.dns_zone_get(3).await.unwrap();
    assert_eq!(peer.stats().await.login_calls, 1);
}

#[tokio::test]
async fn records_decode_with_escaping_and_non_ascii() {
    let peer = IspconfigPeer::start();
    let client = client(&peer);
    let rows = client.dns_rr_get_all_by_zone(2).await.unwrap();
    let rows = rows.as_list().expect("a list of rows");
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0].get("data"), Some(&Value::from("192.0.2.10")));
    assert_eq!(rows[2].get("data"), Some(&Value::from("v=spf1 a mx ~all <&> \"quoted\" 'single'")));
    assert_eq!(rows[3].get("name"), Some(&Value::from("münchen")));

    #[derive(Deserialize)]
    struct Record {
        id: u64,
        zone: u32,
        name: String,
        ttl: u32,
        aux: u16,
    }
    let typed: Vec<Record> = from_value(Value::List(rows.to_vec())).unwrap();
    assert_eq!((typed[1].id, typed[1].zone, typed[1].aux, typed[1].ttl), (11, 2, 10, 3600));
    assert_eq!(typed[1].name, "example.com.");

    let client_row = client.client_get(1).await.unwrap();
    assert_eq!(client_row.get("company_name"), Some(&Value::from("Grüße GmbH")));
    assert_eq!(client_row.get("contact_name"), Some(&Value::from("東京 Taro 🙂")));
    let mail = client.mail_user_get(1).await.unwrap();
    assert_eq!(mail.get("autoresponder_text"), Some(&Value::from("Bin im Urlaub.\r\nGrüße")));
}

#[tokio::test]
async fn nested_maps_lists_empty_lists_nil_bool_int_float() {
    let peer = IspconfigPeer::start();
    let client = client(&peer);
    let config = client.server_get(Some(1.into()), None).await.unwrap();
    let json = serde_json::to_value(&config).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "global": {"version": "3.2.12p1", "active": true, "load": 0.25, "cpus": 2, "note": null},
            "web": {"php_versions": ["8.1", "8.2"], "limits": {"memory": 512, "ratio": 1.5}, "empty": []},
            "dns": {"bind_user": "bind", "nameservers": []}
        })
    );
    // A default argument before a given one is sent as the upstream default.
    let web = client.server_get(None, Some("web".into())).await.unwrap();
    assert_eq!(web.get("limits").and_then(|l| l.get("memory")), Some(&Value::Int(512)));
    assert_eq!(client.server_get_all().await.unwrap().as_list().map(<[Value]>::len), Some(2));
    assert_eq!(client.monitor_jobqueue_count(None).await.unwrap(), Value::Int(7));
    assert_eq!(client.sites_web_domain_set_status(1, "inactive").await.unwrap(), Value::Bool(true));
    assert_eq!(client.sites_web_domain_set_status(1, "bogus").await.unwrap(), Value::Bool(false));
    assert_eq!(client.dns_zone_get(3).await.unwrap().get("origin"), Some(&Value::from("empty.example.")));
    // An absent record is an empty array.
    assert_eq!(client.dns_zone_get(999).await.unwrap(), Value::List(Vec::new()));
    assert_eq!(client.dns_rr_get_all_by_zone(3).await.unwrap(), Value::List(Vec::new()));
}

#[tokio::test]
async fn get_data_record_shapes_and_like_filters() {
    let peer = IspconfigPeer::start();
    let client = client(&peer);
    assert_eq!(client.client_get(-1).await.unwrap().as_list().map(<[Value]>::len), Some(3));
    let exact = client.client_get(map(&[("company_name", "A_B Ltd".into())])).await.unwrap();
    assert_eq!(exact.as_list().map(<[Value]>::len), Some(1));
    // `%` turns the filter into LIKE, where `_` matches any character.
    let like = client.client_get(map(&[("company_name", "A_B%".into())])).await.unwrap();
    assert_eq!(like.as_list().map(<[Value]>::len), Some(2));
    let paged = client.client_get(map(&[("#OFFSET#", 1.into()), ("#LIMIT#", 1.into())])).await.unwrap();
    assert_eq!(paged.as_list().unwrap()[0].get("client_id"), Some(&Value::from("2")));
    let err = client.client_get(0).await.unwrap_err();
    assert!(matches!(err, Error::Validation { ref code, .. } if code == "invalid_id"), "{err:?}");
}

#[tokio::test]
async fn zone_id_lookup_shows_the_prefix_footgun() {
    let peer = IspconfigPeer::start();
    let client = client(&peer);
    // The raw method matches by prefix and finds example.com.au. (id 1).
    assert_eq!(client.dns_zone_get_id("example.com").await.unwrap(), Value::Int(1));
    let err = client.dns_zone_get_id("example.com.").await.unwrap_err();
    assert!(matches!(err, Error::NotFound { ref code, .. } if code == "no_domain_found"), "{err:?}");
}

#[tokio::test]
async fn faults_map_to_typed_errors() {
    let peer = IspconfigPeer::start();
    let client = client(&peer);
    let invalid = client.dns_a_add(1, map(&[("data", "not-an-ip".into()), ("name", "".into())]), None).await;
    match invalid.unwrap_err() {
        Error::Validation { code, fields, .. } => {
            assert_eq!(code, "data_processing_error");
            assert_eq!(fields, ["data_error_wrong", "name_error_empty"]);
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    let not_found = client.client_get_id(99).await.unwrap_err();
    assert!(matches!(not_found, Error::NotFound { .. }), "{not_found:?}");
    let broken = client.client_delete_everything(1).await.unwrap_err();
    match &broken {
        Error::Fault { code, message } => {
            assert_eq!(code, "Server");
            assert!(message.contains("SoapFault::__construct()"), "{message}");
        }
        other => panic!("expected a fault, got {other:?}"),
    }
    let reseller = client.client_update(1, 77, map(&[("contact_name", "x".into())])).await.unwrap_err();
    assert!(matches!(reseller, Error::Fault { ref code, .. } if code == "Invalid reseller"), "{reseller:?}");
    let unknown = client.raw_call("no_such_method", vec![]).await.unwrap_err();
    assert!(matches!(unknown, Error::Fault { ref code, .. } if code == "invalid_method"), "{unknown:?}");
}

#[tokio::test]
async fn permission_denied_is_a_permission_error() {
    let peer = IspconfigPeer::start_with(PeerOptions { functions: Some(vec!["dns_zone_get".into()]), ..Default::default() });
    let client = client(&peer);
    client.dns_zone_get(2).await.unwrap();
    let err = client.client_get(1).await.unwrap_err();
    assert!(matches!(err, Error::Permission { .. }), "{err:?}");
}

#[tokio::test]
async fn html_answer_to_primary_id_zero_is_unexpected_response() {
    let peer = IspconfigPeer::start();
    let client = client(&peer);
    let err = client.sites_web_domain_update(1, 0, map(&[("php", "fast-cgi".into())])).await.unwrap_err();
    match &err {
        Error::UnexpectedResponse { status, reason, excerpt } => {
            assert_eq!(*status, Some(200));
            assert!(reason.contains("HTML"), "{reason}");
            assert!(excerpt.contains("Warning"), "{excerpt}");
        }
        other => panic!("expected an unexpected-response error, got {other:?}"),
    }
}

#[tokio::test]
async fn raw_generated_update_resets_omitted_settings() {
    // The footgun the overlay will fix: the raw update resets log_retention.
    let peer = IspconfigPeer::start();
    let client = client(&peer);
    assert_eq!(client.sites_web_domain_get(1).await.unwrap().get("log_retention"), Some(&Value::from("90")));
    client.sites_web_domain_update(1, 1, map(&[("php", "fast-cgi".into())])).await.unwrap();
    let after = client.sites_web_domain_get(1).await.unwrap();
    assert_eq!(after.get("log_retention"), Some(&Value::from("30")));
    assert_eq!(after.get("php"), Some(&Value::from("fast-cgi")));
}

#[tokio::test]
async fn raw_call_and_list_functions() {
    let peer = IspconfigPeer::start();
    let client = client(&peer);
    let zone = client.raw_call("dns_zone_get", vec![2.into()]).await.unwrap();
    assert_eq!(zone.get("origin"), Some(&Value::from("example.com.")));
    let functions = client.list_functions().await.unwrap();
    assert!(functions.contains(&"dns_rr_get_all_by_zone".to_owned()));
    assert!(!functions.iter().any(|f| f == "__construct"), "{functions:?}");
    // Everything the peer offers is in the generated crate.
    for f in &functions {
        assert!(panelkit_ispconfig::METHODS.contains(&f.as_str()), "{f} missing from METHODS");
    }
}

#[tokio::test]
async fn insert_then_delete_round_trip() {
    let peer = IspconfigPeer::start();
    let client = client(&peer);
    let params = map(&[
        ("server_id", 1.into()),
        ("zone", 2.into()),
        ("name", "api".into()),
        ("type", "A".into()),
        ("data", "192.0.2.44".into()),
        ("ttl", 300.into()),
        ("active", "Y".into()),
    ]);
    let id = client.dns_a_add(0, params, Some(true.into())).await.unwrap();
    let id = id.as_i64().expect("new id");
    let rows = client.dns_rr_get_all_by_zone(2).await.unwrap();
    let row = rows.as_list().unwrap().iter().find(|r| r.get("id").and_then(Value::as_i64) == Some(id)).cloned();
    assert_eq!(row.and_then(|r| r.get("ttl").cloned()), Some(Value::from("300")));
    assert_eq!(client.dns_a_delete(id, None).await.unwrap(), Value::Int(1));
}

#[tokio::test]
async fn expired_session_relogs_in_once_for_100_concurrent_calls() {
    let peer = IspconfigPeer::start();
    let client = client(&peer);
    client.login().await.unwrap();
    assert_eq!(peer.stats().await.login_calls, 1);
    peer.expire_sessions().await;
    let tasks: Vec<_> = (0..100)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move { client.dns_zone_get(1 + i % 3).await })
        })
        .collect();
    for task in tasks {
        task.await.expect("task").expect("call succeeds after re-login");
    }
    assert_eq!(peer.stats().await.login_calls, 2, "exactly one re-login for all 100 callers");
}

#[tokio::test]
async fn wrong_password_is_never_retried() {
    let peer = IspconfigPeer::start();
    let client = Client::builder().url(peer.url()).credentials(peer.user(), "wrong").build().unwrap();
    let err = client.dns_zone_get(1).await.unwrap_err();
    match &err {
        Error::Auth { code, hint, .. } => {
            assert_eq!(code, "login_failed");
            assert!(hint.is_some());
        }
        other => panic!("expected an auth error, got {other:?}"),
    }
    assert!(err.to_string().contains("System → Remote Users"), "{err}");
    assert_eq!(peer.stats().await.login_calls, 1);
    assert!(client.dns_zone_get(1).await.is_err());
    assert_eq!(peer.stats().await.login_calls, 2, "one more call, one more login, never a loop");
    assert_eq!(peer.stats().await.calls.get("dns_zone_get"), None, "no call without a session");
}

#[tokio::test]
async fn logout_ends_the_session() {
    let peer = IspconfigPeer::start();
    let client = client(&peer);
    client.dns_zone_get(2).await.unwrap();
    client.logout().await.unwrap();
    assert_eq!(peer.stats().await.calls.get("logout"), Some(&1));
    client.logout().await.unwrap(); // no session: nothing to do
    assert_eq!(peer.stats().await.calls.get("logout"), Some(&1));
    client.dns_zone_get(2).await.unwrap();
    assert_eq!(peer.stats().await.login_calls, 2);
}

#[tokio::test]
async fn secrets_never_show() {
    let peer = IspconfigPeer::start();
    let client = client(&peer);
    client.login().await.unwrap();
    let shown = format!("{client:?} {client:#?}");
    assert!(!shown.contains(peer.password()), "{shown}");
    let wrong = Client::builder().url(peer.url()).credentials(peer.user(), "hunter2-wrong").build().unwrap();
    let err = wrong.dns_zone_get(1).await.unwrap_err();
    assert!(!format!("{err} {err:?}").contains("hunter2-wrong"));
}

#[tokio::test]
async fn bad_configuration_is_a_config_error() {
    assert!(matches!(Client::builder().credentials("u", "p").build(), Err(Error::Config { .. })));
    assert!(matches!(Client::builder().url("ftp://x").credentials("u", "p").build(), Err(Error::Config { .. })));
    assert!(matches!(Client::builder().url("http://x").build(), Err(Error::Config { .. })));
    assert!(matches!(Client::builder().url("https://x").credentials("u", "p").pin_sha256("zz").build(), Err(Error::Config { .. })));
}

#[tokio::test]
async fn unreachable_panel_is_a_transport_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = Client::builder()
        .url(format!("http://127.0.0.1:{port}/remote/index.php"))
        .credentials("u", "p")
        .build()
        .unwrap();
    let err = client.dns_zone_get(1).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(err.is_retryable());
}
