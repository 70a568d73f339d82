// The tests of `ispconfig_wire.rs`, included once per wire (SOAP, JSON); `IspconfigPeer`
// is the including module's peer type.

use std::time::Duration;

use panelkit_core::Error;
use panelkit_ispconfig::{from_value, Client, Value};
use panelkit_tests::{PeerOptions, Wire};
use serde::Deserialize;

fn client(peer: &IspconfigPeer) -> Client {
    Client::builder()
        .url(peer.url())
        .credentials(peer.user(), peer.password())
        .build()
        .expect("client builds")
}

fn client_with_password(peer: &IspconfigPeer, password: &str) -> Client {
    Client::builder()
        .url(peer.url())
        .credentials(peer.user(), password)
        .build()
        .expect("client builds")
}

fn map(entries: &[(&str, Value)]) -> Value {
    entries.iter().map(|(k, v)| (*k, v.clone())).collect()
}

fn s(text: &str) -> Value {
    Value::from(text)
}

fn len(v: &Value) -> usize {
    v.as_list()
        .unwrap_or_else(|| panic!("expected a list, got {v:?}"))
        .len()
}

fn field<'v>(v: &'v Value, key: &str) -> &'v Value {
    v.get(key).unwrap_or_else(|| panic!("no {key} in {v:?}"))
}

// ---- login and sessions ------------------------------------------------------------

#[tokio::test]
async fn login_is_lazy_and_happens_once() {
    let peer = IspconfigPeer::start();
    let client = client(&peer);
    assert_eq!(
        peer.stats().await.login_calls,
        0,
        "building a client must not log in"
    );
    client.dns_zone_get(2).await.unwrap();
    client.dns_zone_get(3).await.unwrap();
    client.client_get(1).await.unwrap();
    let stats = peer.stats().await;
    assert_eq!(stats.login_calls, 1);
    assert_eq!(stats.calls_of("dns_zone_get"), 2);
    assert_eq!(stats.live_sessions, 1);
}

#[tokio::test]
async fn expired_session_relogs_in_once_for_100_concurrent_calls() {
    // The client's single-flight re-login on its own: dead-session calls are
    // kept out of the peer's lock-out counter here (see the next test).
    let peer = IspconfigPeer::start_with(PeerOptions {
        session_failures_lock: false,
        ..Default::default()
    });
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
        task.await
            .expect("task")
            .expect("call succeeds after re-login");
    }
    let stats = peer.stats().await;
    assert_eq!(
        stats.login_calls, 2,
        "exactly one re-login for all 100 callers"
    );
    assert!(stats.session_failures >= 1);
    assert_eq!(stats.calls_of("dns_zone_get"), 100 + stats.session_failures);
}

#[tokio::test]
async fn a_burst_on_a_dead_session_never_turns_into_a_login_loop() {
    // On a real panel every call refused for a dead session counts as a failed
    // login; 10 in 5 minutes lock the IP out (`session_failure_limit`, then
    // `login_failure_limit` even for the right password). The client's gate
    // keeps fewer than 10 dead calls on the wire (tests/ispconfig_burst.rs
    // covers it in detail): one re-login, and every call succeeds.
    let peer = IspconfigPeer::start();
    let client = client(&peer);
    client.login().await.unwrap();
    peer.expire_sessions().await;
    let tasks: Vec<_> = (0..40)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.dns_zone_get(2).await })
        })
        .collect();
    for task in tasks {
        task.await.expect("task").expect("no lockout");
    }
    let stats = peer.stats().await;
    assert_eq!(stats.login_calls, 2, "one login, one re-login: {stats:?}");
    assert_eq!(stats.refused, 0, "{stats:?}");
}

#[tokio::test]
async fn session_end_of_life_relogs_in_once() {
    let peer = IspconfigPeer::start_with(PeerOptions {
        session_ttl: Duration::from_millis(800),
        ..Default::default()
    });
    let client = client(&peer); // believes the panel's 1800 s
    client.dns_zone_get(2).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1000)).await;
    client.dns_zone_get(2).await.unwrap();
    let stats = peer.stats().await;
    assert_eq!((stats.login_calls, stats.session_failures), (2, 1));
    assert_eq!(
        stats.failed_attempts, 0,
        "a successful login clears the IP's failures"
    );
}

#[tokio::test]
async fn known_lifetime_refreshes_before_the_panel_refuses() {
    let ttl = Duration::from_secs(2);
    let peer = IspconfigPeer::start_with(PeerOptions {
        session_ttl: ttl,
        ..Default::default()
    });
    let client = Client::builder()
        .url(peer.url())
        .credentials(peer.user(), peer.password())
        .session_lifetime(ttl)
        .build()
        .unwrap();
    client.dns_zone_get(2).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1200)).await;
    client.dns_zone_get(2).await.unwrap();
    let stats = peer.stats().await;
    assert_eq!(
        stats.login_calls, 2,
        "refreshed within the last half of the lifetime"
    );
    assert_eq!(
        stats.session_failures, 0,
        "no call was sent with a dying session"
    );
}

#[tokio::test]
async fn wrong_password_is_never_retried() {
    let peer = IspconfigPeer::start();
    // Not a word of the panel's message: errors are scrubbed of the
    // password the client sent, wherever it appears.
    let client = client_with_password(&peer, "not-the-password");
    let err = client.dns_zone_get(1).await.unwrap_err();
    match &err {
        Error::Auth {
            code,
            message,
            hint,
            ..
        } => {
            assert_eq!(code, "login_failed");
            assert_eq!(message, "The login failed. Username or password wrong.");
            assert!(hint.is_some());
        }
        other => panic!("expected an auth error, got {other:?}"),
    }
    assert!(err.to_string().contains("System → Remote Users"), "{err}");
    assert!(!err.is_retryable());
    assert_eq!(peer.stats().await.login_calls, 1);
    assert!(matches!(
        client.dns_zone_get(1).await,
        Err(Error::Auth { .. })
    ));
    let stats = peer.stats().await;
    assert_eq!(
        stats.login_calls, 2,
        "one more call, one more login, never a loop"
    );
    assert_eq!(
        stats.calls_of("dns_zone_get"),
        0,
        "no call without a session"
    );
    assert_eq!(stats.failed_attempts, 2);
}

#[tokio::test]
async fn concurrent_callers_share_one_failed_login() {
    let peer = IspconfigPeer::start();
    let client = client_with_password(&peer, "wrong");
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.dns_zone_get(2).await })
        })
        .collect();
    let mut codes = Vec::new();
    for task in tasks {
        codes.push(
            task.await
                .expect("task")
                .expect_err("a wrong password fails")
                .code()
                .map(str::to_owned),
        );
    }
    let stats = peer.stats().await;
    assert_eq!(
        stats.login_calls, 1,
        "20 callers waiting for one login share its failure: {stats:?}, {codes:?}"
    );
    assert!(
        codes.iter().all(|c| c.as_deref() == Some("login_failed")),
        "{codes:?}"
    );
}

#[tokio::test]
async fn ten_failed_logins_lock_the_ip_out() {
    let peer = IspconfigPeer::start();
    let wrong = client_with_password(&peer, "wrong");
    for _ in 0..10 {
        let err = wrong.dns_zone_get(2).await.unwrap_err();
        assert_eq!(err.code(), Some("login_failed"));
    }
    assert_eq!(peer.stats().await.failed_attempts, 10);
    // Locked: refused before the password is even looked at.
    let right = client(&peer);
    let err = right.dns_zone_get(2).await.unwrap_err();
    assert_eq!(err.code(), Some("login_failure_limit"), "{err:?}");
    assert!(
        err.to_string()
            .contains("The login failure limit has been reached."),
        "{err}"
    );
    // A rate limit: retryable once the panel's window is over.
    assert_eq!(
        err.retry_after(),
        Some(panelkit_core::ispconfig::faults::LOCKOUT_HOLD)
    );
    assert_eq!(
        peer.stats().await.login_calls,
        11,
        "the locked-out login was not retried"
    );
    // The operator clears the panel's counter and tells the client.
    peer.reset().await;
    right.session().reset_lockout();
    right
        .dns_zone_get(2)
        .await
        .expect("works again once the lock-out is gone");
}

#[tokio::test]
async fn logout_ends_the_session() {
    let peer = IspconfigPeer::start();
    let client = client(&peer);
    client.dns_zone_get(2).await.unwrap();
    client.logout().await.unwrap();
    let stats = peer.stats().await;
    assert_eq!((stats.calls_of("logout"), stats.live_sessions), (1, 0));
    client.logout().await.unwrap(); // no session: nothing to send
    assert_eq!(peer.stats().await.calls_of("logout"), 1);
    client.dns_zone_get(2).await.unwrap();
    assert_eq!(
        peer.stats().await.login_calls,
        2,
        "the next call logs in again"
    );
    // The raw method answers PHP's true and really ends the session.
    assert_eq!(
        client.raw_call("logout", vec![]).await.unwrap(),
        Value::Bool(true)
    );
    client.dns_zone_get(2).await.unwrap();
    let stats = peer.stats().await;
    assert_eq!((stats.login_calls, stats.session_failures), (3, 1));
}

#[tokio::test]
async fn secrets_never_show() {
    let peer = IspconfigPeer::start();
    let client = client(&peer);
    client.login().await.unwrap();
    let shown = format!("{client:?} {client:#?}");
    assert!(!shown.contains(peer.password()), "{shown}");
    let password = "hunter2-wrong";
    let wrong = client_with_password(&peer, password);
    let shown = format!("{wrong:?} {wrong:#?}");
    assert!(!shown.contains(password), "{shown}");
    let mut errors = vec![wrong.dns_zone_get(1).await.unwrap_err()];
    peer.expire_sessions().await;
    errors.push(
        client
            .client_template_additional_get("x")
            .await
            .unwrap_err(),
    );
    errors.push(
        client
            .sites_web_domain_update(0, Value::Null, map(&[]))
            .await
            .unwrap_err(),
    );
    for err in errors {
        let text = format!("{err} {err:?}");
        assert!(
            !text.contains(password) && !text.contains(peer.password()),
            "{text}"
        );
    }
}

// ---- answers: shapes and values ----------------------------------------------------

#[tokio::test]
async fn records_decode_with_escaping_and_non_ascii() {
    let peer = IspconfigPeer::start();
    let client = client(&peer);
    let rows = client.dns_rr_get_all_by_zone(2).await.unwrap();
    let rows = rows.as_list().expect("a list of rows");
    assert_eq!(rows.len(), 4);
    assert_eq!(field(&rows[0], "data"), &s("192.0.2.10"));
    assert_eq!(
        field(&rows[2], "data"),
        &s("v=spf1 a mx ~all <&> \"quoted\" 'single' Grüße 東京 🙂")
    );
    assert_eq!(field(&rows[3], "name"), &s("xn--mnchen-3ya"));
    // Database rows: every value a string, SQL NULL a nil.
    assert_eq!(field(&rows[1], "aux"), &s("10"));
    assert_eq!(field(&rows[1], "serial"), &Value::Null);

    #[derive(Deserialize)]
    struct Record {
        id: u64,
        zone: u32,
        name: String,
        ttl: u32,
        aux: u16,
        serial: Option<u32>,
    }
    let typed: Vec<Record> = from_value(Value::List(rows.to_vec())).unwrap();
    assert_eq!(
        (typed[1].id, typed[1].zone, typed[1].aux, typed[1].ttl),
        (11, 2, 10, 3600)
    );
    assert_eq!(
        (typed[1].name.as_str(), typed[1].serial),
        ("example.com.", None)
    );

    let client_row = client.client_get(1).await.unwrap();
    assert_eq!(field(&client_row, "company_name"), &s("Grüße GmbH"));
    assert_eq!(field(&client_row, "contact_name"), &s("東京 Taro 🙂"));
    // Stored empty, answered from the client's assigned templates.
    assert_eq!(field(&client_row, "template_additional"), &s("1:2"));
    assert_eq!(
        field(&client.client_get(2).await.unwrap(), "contact_name"),
        &s("Ann <ann@example.com> & \"Co\"")
    );
    let mail = client.mail_user_get(1).await.unwrap();
    assert_eq!(
        field(&mail, "autoresponder_text"),
        &s("Bin im Urlaub.\r\nGrüße <Team> & \"Co\"")
    );
    assert_eq!(field(&mail, "last_quota_notification"), &Value::Null);
    let domain = client.mail_domain_get(1).await.unwrap();
    assert_eq!(
        (field(&domain, "domain"), field(&domain, "active")),
        (&s("example.com"), &s("y"))
    );
    let config = client
        .system_config_get("misc", Some("company_name".into()))
        .await
        .unwrap();
    assert_eq!(config, s("Grüße & Söhne <GmbH> \"東京\" 'Tokyo' 🚀"));
    let motd = client.config_value_get("interface", "motd").await.unwrap();
    assert_eq!(
        field(&motd, "value"),
        &s("Wartung: <b>Sonntag</b> & \"später\" 🙂")
    );
}

#[tokio::test]
async fn nested_maps_with_integer_keys_lists_and_empty_lists() {
    let peer = IspconfigPeer::start();
    let client = client(&peer);
    // Without a server id: keyed by server id, so a Map with integer keys.
    let all = client.server_get(None, None).await.unwrap();
    let keys: Vec<&str> = all
        .as_map()
        .expect("a map")
        .iter()
        .map(|(k, _)| k.as_str())
        .collect();
    assert_eq!(keys, ["1", "2"]);
    let json = serde_json::to_value(field(&all, "1")).unwrap();
    assert_eq!(json["global"]["hostname"], "panel.example.com");
    assert_eq!(
        json["web"]["website_path"],
        "/var/www/clients/client[client_id]/web[website_id]"
    );
    assert_eq!(
        json["rescue"],
        serde_json::json!([]),
        "an empty PHP array travels as an empty list"
    );
    assert_eq!(
        serde_json::to_value(
            client
                .server_get(Some(2.into()), Some("mail".into()))
                .await
                .unwrap()
        )
        .unwrap(),
        serde_json::json!({
            "module": "postfix_mysql", "maildir_path": "/srv/mail/[domain]/[localpart]",
            "homedir_path": "/srv/mail", "maildir_format": "mdbox", "mailuser_uid": "5000",
            "mailuser_gid": "5000", "mailbox_virtual_uidgid_maps": "y", "pop3_imap_daemon": "dovecot",
            // A library caller gets the section whole, its stored logins too.
            "relayhost": "[smtp.relay.example]:587", "relayhost_user": "mx-relay",
            "relayhost_password": "Relay-Pw-Q9z", "content_filter": "rspamd",
            "rspamd_password": "Rspamd-Web-Pw-4", "rspamd_redis_servers": "127.0.0.1:6379",
            "rspamd_redis_password": "Redis-Pw-5", "rspamd_redis_bayes_password": "Redis-Bayes-Pw-6"
        })
    );
    // A default argument before a given one is sent as the upstream default.
    let web = client.server_get(None, Some("dns".into())).await.unwrap();
    assert_eq!(field(field(&web, "1"), "bind_user"), &s("bind"));
    assert_eq!(
        field(&web, "2"),
        &Value::Null,
        "a section the server lacks is null"
    );
    assert_eq!(
        client
            .server_get(Some(1.into()), Some("rescue".into()))
            .await
            .unwrap(),
        Value::List(vec![])
    );
    assert_eq!(
        client.server_get(Some(99.into()), None).await.unwrap(),
        Value::List(vec![])
    );
    let servers = client.server_get_all().await.unwrap();
    assert_eq!(len(&servers), 2);
    assert_eq!(
        field(&servers.as_list().unwrap()[1], "server_name"),
        &s("mx.example.com")
    );
    assert_eq!(
        client.dns_rr_get_all_by_zone(3).await.unwrap(),
        Value::List(vec![])
    );
    assert_eq!(
        client.client_template_additional_get(2).await.unwrap(),
        Value::List(vec![])
    );
    assert_eq!(
        len(&client.client_template_additional_get(1).await.unwrap()),
        1
    );
}

#[tokio::test]
async fn scalars_bool_int_float_string_and_nil() {
    let peer = IspconfigPeer::start();
    let client = client(&peer);
    assert_eq!(
        client
            .system_config_get("misc", Some("nope".into()))
            .await
            .unwrap(),
        Value::Bool(false)
    );
    assert_eq!(
        client.system_config_get("nope", None).await.unwrap(),
        Value::Bool(false)
    );
    assert_eq!(client.client_get_id(3).await.unwrap(), Value::Int(2));
    assert_eq!(
        client.client_get_id(1).await.unwrap(),
        Value::Int(0),
        "the admin is client 0"
    );
    assert_eq!(
        client.monitor_jobqueue_count(None).await.unwrap(),
        s("3"),
        "a COUNT() column: a string"
    );
    assert_eq!(
        client.config_value_get("nope", "nope").await.unwrap(),
        Value::Null
    );
    assert_eq!(
        client.dns_zone_get(999).await.unwrap(),
        Value::Null,
        "an absent record is nil"
    );
    assert_eq!(client.client_get(999).await.unwrap(), Value::Null);

    // Computed columns are numbers; used_percentage is a float from round(),
    // or the integer 0 for a site that uses nothing.
    let quota = client.quota_get_by_user(Value::Null).await.unwrap();
    let sites = quota.as_list().expect("a list of sites");
    assert_eq!(sites.len(), 2);
    assert_eq!(field(&sites[0], "domain"), &s("example.com"));
    // PHP's json_encode writes a whole float as an integer (`50`, no
    // JSON_PRESERVE_ZERO_FRACTION in the panel's handler); SOAP keeps xsd:float.
    let fifty = match peer.wire() {
        Wire::Soap => Value::Float(50.0),
        Wire::Json => Value::Int(50),
    };
    assert_eq!(field(&sites[0], "used_percentage"), &fifty);
    assert_eq!(field(&sites[0], "used_raw"), &Value::Int(524_288_000));
    assert_eq!(field(&sites[0], "hard_raw"), &Value::Int(2_097_152_000));
    assert_eq!(field(&sites[0], "log_retention"), &s("90"));
    assert_eq!(field(&sites[1], "used_percentage"), &Value::Int(0));
    assert_eq!(field(&sites[1], "soft_raw"), &Value::Int(-1));
    assert_eq!(field(&sites[1], "last_quota_notification"), &Value::Null);
    assert_eq!(len(&client.quota_get_by_user(3).await.unwrap()), 1);

    #[derive(Deserialize)]
    struct Quota {
        domain_id: u32,
        used: i64,
        used_percentage: f64,
        soft_raw: i64,
    }
    let typed: Vec<Quota> = from_value(quota).unwrap();
    assert_eq!(
        (typed[0].domain_id, typed[0].used, typed[0].used_percentage),
        (1, 512_000, 50.0)
    );
    assert_eq!((typed[1].used_percentage, typed[1].soft_raw), (0.0, -1));
}

#[tokio::test]
async fn get_data_record_shapes_and_like_filters() {
    let peer = IspconfigPeer::start();
    let client = client(&peer);
    assert_eq!(len(&client.client_get(-1).await.unwrap()), 4);
    let exact = client
        .client_get(map(&[("company_name", s("A_B Ltd"))]))
        .await
        .unwrap();
    assert_eq!(len(&exact), 1);
    // `%` turns the filter into LIKE, where `_` matches any character.
    let like = client
        .client_get(map(&[("company_name", s("A_B%"))]))
        .await
        .unwrap();
    let names: Vec<&Value> = like
        .as_list()
        .unwrap()
        .iter()
        .map(|r| field(r, "company_name"))
        .collect();
    assert_eq!(names, [&s("A_B Ltd"), &s("AxB Ltd")]);
    // `=` is case-insensitive, as MySQL's collation is.
    assert_eq!(
        len(&client
            .client_get(map(&[("company_name", s("a_b ltd"))]))
            .await
            .unwrap()),
        1
    );
    let paged = client
        .client_get(map(&[("#OFFSET#", 1.into()), ("#LIMIT#", 2.into())]))
        .await
        .unwrap();
    let ids: Vec<&Value> = paged
        .as_list()
        .unwrap()
        .iter()
        .map(|r| field(r, "client_id"))
        .collect();
    assert_eq!(ids, [&s("2"), &s("3")]);
    // An offset without a limit is ignored.
    assert_eq!(
        len(&client
            .client_get(map(&[("#OFFSET#", 3.into())]))
            .await
            .unwrap()),
        4
    );
    // An unknown column is an SQL error the panel swallows: an empty list.
    assert_eq!(
        client
            .client_get(map(&[("no_such_column", s("x"))]))
            .await
            .unwrap(),
        Value::List(vec![])
    );
    // Neither a number nor an array: an empty answer.
    assert_eq!(client.client_get("abc").await.unwrap(), Value::List(vec![]));
    for id in [0, -2] {
        let err = client.client_get(id).await.unwrap_err();
        match &err {
            Error::Validation { code, message, .. } => {
                assert_eq!(
                    (code.as_str(), message.as_str()),
                    ("invalid_id", "The ID has to be > 0 or -1.")
                )
            }
            other => panic!("expected invalid_id, got {other:?}"),
        }
    }
    // The exact-origin lookup the overlay uses instead of dns_zone_get_id.
    let zone = client
        .dns_zone_get(map(&[("origin", s("example.com."))]))
        .await
        .unwrap();
    assert_eq!(len(&zone), 1);
    assert_eq!(field(&zone.as_list().unwrap()[0], "id"), &s("2"));
}

#[tokio::test]
async fn zone_id_lookup_shows_the_prefix_footgun() {
    let peer = IspconfigPeer::start();
    let client = client(&peer);
    // The raw method matches by prefix and finds example.com.au. (id 1).
    assert_eq!(
        client.dns_zone_get_id("example.com").await.unwrap(),
        Value::Int(1)
    );
    assert_eq!(
        client.dns_zone_get_id("empty.example").await.unwrap(),
        Value::Int(3)
    );
    match client.dns_zone_get_id("example.com.").await.unwrap_err() {
        Error::NotFound { code, message, .. } => {
            assert_eq!(
                (code.as_str(), message.as_str()),
                ("no_domain_found", "Invalid domain name.")
            )
        }
        other => panic!("expected not found, got {other:?}"),
    }
    match client.dns_zone_get_id("nope.org").await.unwrap_err() {
        Error::NotFound { message, .. } => {
            assert_eq!(message, "There is no domain ID with informed domain name.")
        }
        other => panic!("expected not found, got {other:?}"),
    }
}

// ---- writes -----------------------------------------------------------------------------

#[tokio::test]
async fn dns_a_add_writes_every_form_field_but_not_the_type() {
    let peer = IspconfigPeer::start();
    let client = client(&peer);
    let params = map(&[
        ("server_id", 1.into()),
        ("zone", 2.into()),
        ("name", s("API")),
        ("data", s("192.0.2.44")),
        ("ttl", 300.into()),
        ("active", true.into()),
    ]);
    let id = client.dns_a_add(2, params, None).await.unwrap();
    let id = match id {
        Value::Int(id) => id,
        other => panic!("expected the new id, got {other:?}"),
    };
    let row = client.dns_a_get(id).await.unwrap();
    assert_eq!(
        field(&row, "type"),
        &s(""),
        "dns_a_add does not set the type"
    );
    assert_eq!(
        field(&row, "name"),
        &s("api"),
        "lower-cased by the form's filter"
    );
    assert_eq!(field(&row, "active"), &s("1"), "PHP's true, not Y");
    assert_eq!(
        (field(&row, "serial"), field(&row, "stamp")),
        (&s("0"), &s("")),
        "form defaults not applied"
    );
    assert_eq!(
        field(&row, "sys_groupid"),
        &s("3"),
        "owned by client 2's group"
    );

    // Everything given, and the zone's serial bumped.
    let serial_before = field(&client.dns_zone_get(2).await.unwrap(), "serial").clone();
    let full = map(&[
        ("server_id", 1.into()),
        ("zone", 2.into()),
        ("name", s("www2")),
        ("type", s("A")),
        ("data", s("192.0.2.45")),
        ("ttl", 3600.into()),
        ("active", s("Y")),
    ]);
    let id2 = client
        .dns_a_add(0, full, Some(true.into()))
        .await
        .unwrap()
        .as_i64()
        .expect("new id");
    let serial_after = field(&client.dns_zone_get(2).await.unwrap(), "serial").clone();
    assert_ne!(
        serial_before, serial_after,
        "update_serial bumps the zone's serial"
    );
    assert_eq!(
        field(&client.dns_a_get(id2).await.unwrap(), "type"),
        &s("A")
    );

    // dns_a_get / dns_a_delete act on any dns_rr row, whatever its type.
    assert_eq!(
        field(&client.dns_a_get(11).await.unwrap(), "type"),
        &s("MX")
    );
    assert_eq!(client.dns_a_delete(id, None).await.unwrap(), Value::Int(1));
    assert_eq!(client.dns_a_delete(id, None).await.unwrap(), Value::Int(0));
    assert_eq!(client.dns_a_get(id).await.unwrap(), Value::Null);
}

#[tokio::test]
async fn validation_errors_name_the_form_keys() {
    let peer = IspconfigPeer::start();
    let client = client(&peer);
    let err = client
        .dns_a_add(
            0,
            map(&[("data", s("not-an-ip")), ("name", s("bad name!"))]),
            None,
        )
        .await
        .unwrap_err();
    match &err {
        Error::Validation {
            code,
            message,
            fields,
            ..
        } => {
            assert_eq!(code, "data_processing_error");
            // Sent as `key<br />\r\n` per key, and kept as sent.
            assert_eq!(
                message,
                "name_error_regex<br />\r\nip_error_wrong<br />\r\nttl_range_error<br />\r\n"
            );
            assert_eq!(
                fields,
                &["name_error_regex", "ip_error_wrong", "ttl_range_error"]
            );
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert!(err.to_string().contains("ip_error_wrong"), "{err}");
    let err = client
        .sites_web_domain_update(0, 1, map(&[("log_retention", s("forever"))]))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Validation { fields, .. } if fields == &["log_retention_error_regex"]),
        "{err:?}"
    );
    let err = client
        .mail_user_update(
            0,
            1,
            map(&[("email", s("info@example.com")), ("quota", s("lots"))]),
        )
        .await;
    assert!(
        matches!(&err, Err(Error::Validation { fields, .. }) if fields == &["quota_error_isint", "quota_error_value"]),
        "{err:?}"
    );
}

#[tokio::test]
async fn web_domain_update_resets_omitted_settings_and_counts_changed_rows() {
    // The footgun the overlay fixes: the raw update resets log_retention and
    // the PHP-FPM pool sizes unless they are sent again.
    let peer = IspconfigPeer::start();
    let client = client(&peer);
    let before = client.sites_web_domain_get(1).await.unwrap();
    assert_eq!(
        (
            field(&before, "log_retention"),
            field(&before, "pm_max_children")
        ),
        (&s("90"), &s("20"))
    );
    assert_eq!(
        client
            .sites_web_domain_update(0, 1, map(&[("php", s("fast-cgi"))]))
            .await
            .unwrap(),
        Value::Int(1)
    );
    let after = client.sites_web_domain_get(1).await.unwrap();
    assert_eq!(field(&after, "php"), &s("fast-cgi"));
    assert_eq!(field(&after, "log_retention"), &s("30"));
    for pm in [
        "pm_max_children",
        "pm_start_servers",
        "pm_min_spare_servers",
        "pm_max_spare_servers",
    ] {
        assert_eq!(field(&after, pm), &s("1"), "{pm}");
    }
    // Read, merge, write keeps them; nothing changed means 0 affected rows.
    assert_eq!(
        client
            .sites_web_domain_update(0, 1, after.clone())
            .await
            .unwrap(),
        Value::Int(0)
    );
    assert_eq!(
        client
            .sites_web_domain_set_status(1, "inactive")
            .await
            .unwrap(),
        Value::Int(1)
    );
    assert_eq!(
        field(&client.sites_web_domain_get(1).await.unwrap(), "active"),
        &s("n")
    );
    let err = client
        .sites_web_domain_set_status(1, "bogus")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Fault { code, .. } if code == "status_undefined"),
        "{err:?}"
    );
}

#[tokio::test]
async fn client_update_takes_the_reseller_second_and_reowns_the_record() {
    let peer = IspconfigPeer::start();
    let client = client(&peer);
    let params = map(&[("contact_name", s("<b>Neu</b>\nName"))]);
    assert_eq!(
        client.client_update(1, 4, params).await.unwrap(),
        Value::Int(1)
    );
    let row = client.client_get(1).await.unwrap();
    assert_eq!(
        field(&row, "contact_name"),
        &s("NeuName"),
        "the form strips tags and newlines"
    );
    assert_eq!(
        (field(&row, "sys_userid"), field(&row, "sys_groupid")),
        (&s("5"), &s("5")),
        "now the reseller's"
    );
    for reseller in [77, 3] {
        match client
            .client_update(2, reseller, map(&[("contact_name", s("x"))]))
            .await
            .unwrap_err()
        {
            Error::Fault { code, message, .. } => {
                assert_eq!(
                    (code.as_str(), message.as_str()),
                    ("Invalid reseller", "Selected client is not a reseller.")
                )
            }
            other => panic!("expected the reseller fault, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn mail_user_update_checks_the_domain_of_the_email_it_is_given() {
    let peer = IspconfigPeer::start();
    let client = client(&peer);
    // Without `email` the domain check compares null with null and passes.
    assert_eq!(
        client
            .mail_user_update(0, 1, map(&[("quota", s("2048"))]))
            .await
            .unwrap(),
        Value::Int(1)
    );
    for email in ["info@other.org", "INFO@EXAMPLE.COM"] {
        let err = client
            .mail_user_update(0, 1, map(&[("email", s(email))]))
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::Fault { code, .. } if code == "mail_domain_does_not_exist"),
            "{err:?}"
        );
    }
    let params = map(&[
        ("email", s("info@example.com")),
        ("name", s("<i>Info</i> Team")),
    ]);
    assert_eq!(
        client.mail_user_update(0, 1, params).await.unwrap(),
        Value::Int(1)
    );
    let row = client.mail_user_get(1).await.unwrap();
    assert_eq!(
        (field(&row, "name"), field(&row, "quota")),
        (&s("Info Team"), &s("2048"))
    );
}

// ---- errors -------------------------------------------------------------------------------

#[tokio::test]
async fn faults_map_to_typed_errors() {
    let peer = IspconfigPeer::start();
    let client = client(&peer);
    let err = client.client_get_id(99).await.unwrap_err();
    match &err {
        Error::NotFound { code, message, .. } => {
            assert_eq!(code, "no_client_found");
            assert_eq!(message, "There is no sys_user account with this userid.");
        }
        other => panic!("expected not found, got {other:?}"),
    }
    let unknown = client.raw_call("no_such_method", vec![]).await.unwrap_err();
    assert!(
        matches!(&unknown, Error::Fault { code, message, .. } if code == "invalid_method"
        && message == "Method no_such_method does not exist"),
        "{unknown:?}"
    );
    // The method map is case-sensitive.
    let upper = client
        .raw_call("DNS_ZONE_GET", vec![2.into()])
        .await
        .unwrap_err();
    assert!(
        matches!(&upper, Error::Fault { code, .. } if code == "invalid_method"),
        "{upper:?}"
    );
    let empty = client.system_config_get("", None).await.unwrap_err();
    assert!(
        matches!(&empty, Error::Fault { code, .. } if code == "invalid_function_parameter"),
        "{empty:?}"
    );
    let no_client = client.dns_a_add(99, map(&[]), None).await.unwrap_err();
    assert!(
        matches!(&no_client, Error::Fault { code, message, .. } if code == "invalid_client_id" && message == "Invalid client_id 99"),
        "{no_client:?}"
    );
    // Too few arguments: PHP's ArgumentCountError, as a SOAP-ENV:Server
    // fault. Over JSON every parameter is passed (a missing one as null), so
    // the method runs: `dns_zone_get(null)` lists nothing (genuine 3.2.12p1).
    let few = client.raw_call("dns_zone_get", vec![]).await;
    match peer.wire() {
        Wire::Soap => assert!(
            matches!(&few, Err(Error::Fault { code, message, .. }) if code == "Server"
            && message.contains("Too few arguments")),
            "{few:?}"
        ),
        Wire::Json => assert_eq!(few.unwrap(), Value::List(vec![])),
    }
    client
        .dns_zone_get(2)
        .await
        .expect("the session survives every fault");
    assert_eq!(peer.stats().await.login_calls, 1);
}

#[tokio::test]
async fn broken_upstream_throw_is_a_server_fault() {
    // client_template_additional_get throws SoapFault with one argument; PHP 8
    // turns that into a SOAP-ENV:Server fault about SoapFault::__construct().
    let peer = IspconfigPeer::start();
    let client = client(&peer);
    let err = client
        .client_template_additional_get("abc")
        .await
        .unwrap_err();
    if peer.wire() == Wire::Json {
        // The JSON handler catches only SoapFault: the ArgumentCountError
        // ends the script with PHP's fatal error page (genuine 3.2.12p1).
        match &err {
            Error::UnexpectedResponse { excerpt, .. } => assert!(
                excerpt.contains("SoapFault::__construct() expects at least 2 arguments"),
                "{excerpt}"
            ),
            other => panic!("expected the HTML error page, got {other:?}"),
        }
        assert_eq!(
            len(&client.client_template_additional_get(1).await.unwrap()),
            1
        );
        return;
    }
    match &err {
        Error::Fault { code, message, .. } => {
            assert_eq!(code, "Server");
            assert_eq!(
                message,
                "SoapFault::__construct() expects at least 2 arguments, 1 given"
            );
        }
        other => panic!("expected a fault, got {other:?}"),
    }
    assert!(!err.is_retryable());
    assert_eq!(
        len(&client.client_template_additional_get(1).await.unwrap()),
        1
    );
}

#[tokio::test]
async fn permission_denied_is_a_permission_error() {
    let functions = ["dns_zone_get", "get_function_list"]
        .map(String::from)
        .to_vec();
    let peer = IspconfigPeer::start_with(PeerOptions {
        functions: Some(functions),
        ..Default::default()
    });
    let client = client(&peer);
    client.dns_zone_get(2).await.unwrap();
    // Checks the dns_zone_get permission, not its own.
    assert_eq!(len(&client.dns_rr_get_all_by_zone(2).await.unwrap()), 4);
    for err in [
        client.client_get(1).await.unwrap_err(),
        client.dns_zone_get_id("example.com").await.unwrap_err(),
    ] {
        match &err {
            Error::Permission { code, message, .. } => {
                assert_eq!(code, "permission_denied");
                assert_eq!(
                    message,
                    "You do not have the permissions to access this function."
                );
            }
            other => panic!("expected a permission error, got {other:?}"),
        }
    }
    assert!(
        client
            .list_functions()
            .await
            .unwrap()
            .contains(&"client_get".to_owned()),
        "lists what it refuses"
    );
}

#[tokio::test]
async fn html_answer_is_an_unexpected_response() {
    let peer = IspconfigPeer::start();
    let client = client(&peer);
    // A nil primary_id reaches tform's "Primary ID fehlt!" error page: HTML
    // with HTTP 200, not a fault. (An id of 0 is refused as invalid_id first.)
    let err = client
        .sites_web_domain_update(0, Value::Null, map(&[("php", s("fast-cgi"))]))
        .await
        .unwrap_err();
    match &err {
        Error::UnexpectedResponse {
            status,
            excerpt,
            reason,
        } => {
            assert_eq!(*status, Some(200));
            assert!(reason.contains("HTML page"), "{reason}");
            assert!(excerpt.contains("Primary ID fehlt!"), "{excerpt}");
        }
        other => panic!("expected an unexpected-response error, got {other:?}"),
    }
    assert_eq!(err.status(), Some(200));
    assert!(!err.is_retryable());
    let zero = client
        .sites_web_domain_update(0, 0, map(&[("php", s("fast-cgi"))]))
        .await
        .unwrap_err();
    assert_eq!(zero.code(), Some("invalid_id"), "{zero:?}");
    // dns_a_add with update_serial but no zone: the record is written, then
    // the serial update has no zone id and the answer is that HTML page.
    let params = map(&[
        ("name", s("orphan")),
        ("data", s("192.0.2.99")),
        ("ttl", 300.into()),
    ]);
    let err = client
        .dns_a_add(0, params, Some(true.into()))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::UnexpectedResponse {
                status: Some(200),
                ..
            }
        ),
        "{err:?}"
    );
    let orphans = client.dns_rr_get_all_by_zone(0).await.unwrap();
    assert_eq!(
        field(&orphans.as_list().unwrap()[0], "name"),
        &s("orphan"),
        "written despite the error"
    );
}

// ---- escape hatches and configuration -------------------------------------------------

#[tokio::test]
async fn raw_call_and_list_functions() {
    let peer = IspconfigPeer::start();
    let client = client(&peer);
    let zone = client
        .raw_call("dns_zone_get", vec![2.into()])
        .await
        .unwrap();
    assert_eq!(field(&zone, "origin"), &s("example.com."));
    let dns = client
        .raw_call("server_get", vec![1.into(), s("dns")])
        .await
        .unwrap();
    assert_eq!(field(&dns, "bind_user"), &s("bind"));
    // The panel's own list has PHP's constructor in it; list_functions drops it.
    let raw = client.get_function_list().await.unwrap();
    assert!(raw.as_list().unwrap().contains(&s("__construct")));
    let functions = client.list_functions().await.unwrap();
    assert_eq!(functions.len(), len(&raw) - 1);
    assert!(
        !functions.iter().any(|f| f == "__construct"),
        "{functions:?}"
    );
    for expected in [
        "login",
        "dns_rr_get_all_by_zone",
        "sites_web_domain_update",
        "quota_get_by_user",
    ] {
        assert!(
            functions.iter().any(|f| f == expected),
            "{expected} missing from {functions:?}"
        );
    }
    // Everything the peer offers is in the generated crate, with its name
    // (but the peer's own test-only `peer_*` helpers).
    for f in functions.iter().filter(|f| !f.starts_with("peer_")) {
        assert!(
            panelkit_ispconfig::METHODS.contains(&f.as_str()),
            "{f} missing from METHODS"
        );
    }
}

#[tokio::test]
async fn bad_configuration_is_a_config_error() {
    assert!(matches!(
        Client::builder().credentials("u", "p").build(),
        Err(Error::Config { .. })
    ));
    assert!(matches!(
        Client::builder()
            .url("ftp://x")
            .credentials("u", "p")
            .build(),
        Err(Error::Config { .. })
    ));
    assert!(matches!(
        Client::builder().url("http://x").build(),
        Err(Error::Config { .. })
    ));
    assert!(matches!(
        Client::builder()
            .url("https://x")
            .credentials("u", "p")
            .pin_sha256("zz")
            .build(),
        Err(Error::Config { .. })
    ));
}

#[tokio::test]
async fn unreachable_panel_is_a_transport_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Client::builder()
        .url(format!("http://127.0.0.1:{port}/remote/index.php"))
        .credentials("u", "p")
        .build()
        .unwrap();
    let err = client.dns_zone_get(1).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(err.is_retryable());
}
