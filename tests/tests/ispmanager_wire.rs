//! ISPmanager client against the local COREmanager peer: auth modes, session
//! expiry with a single re-login, su, lang, documents of every kind, broken
//! answers, and POST bodies (no secrets in URLs).

use std::time::Duration;

use panelkit_core::coremanager::Format;
use panelkit_core::Error;
use panelkit_ispmanager::{Client, Document, Outcome, Request, Secret};
use panelkit_tests::coremanager::{CoremanagerOptions, CoremanagerPeer};

fn root(peer: &CoremanagerPeer) -> Client {
    Client::builder()
        .url(peer.url())
        .session("root", peer.password("root"))
        .build()
        .expect("client builds")
}

#[tokio::test]
async fn session_login_is_lazy_and_every_call_is_a_post_without_query() {
    let peer = CoremanagerPeer::start().await;
    let client = root(&peer);
    assert!(peer.seen().is_empty(), "building the client sends nothing");
    let rows = client.webdomain().await.unwrap();
    assert_eq!(rows.len(), 1);
    let seen = peer.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].params["func"], "auth");
    assert_eq!(seen[1].params["func"], "webdomain");
    let session = seen[1].params["auth"].clone();
    assert!(!session.is_empty());
    for s in &seen {
        assert_eq!(s.method, "POST");
        assert_eq!(s.target, "/ispmgr", "parameters belong in the body");
        assert_eq!(s.params["out"], "json");
    }
    assert!(seen[0].body.contains("password="));
    // the session is reused
    client.webdomain().await.unwrap();
    assert_eq!(peer.calls_of("auth"), 1);
}

#[tokio::test]
async fn one_row_list_arrives_as_an_object_and_is_still_a_list() {
    let peer = CoremanagerPeer::start().await;
    let client = root(&peer);
    let rows = client.webdomain().await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].name(), Some("bob.example"));
    assert_eq!(rows[0].owner(), Some("bob"));
    assert!(rows[0].0.has("php"), "flag elements are kept");
    peer.add_domain("second.example", "root");
    let rows = client.webdomain().await.unwrap();
    let names: Vec<_> = rows.iter().filter_map(|r| r.name()).collect();
    assert_eq!(names, ["bob.example", "second.example"]);
}

#[tokio::test]
async fn expired_session_is_replaced_once_for_all_concurrent_callers() {
    let peer = CoremanagerPeer::start_with(CoremanagerOptions {
        auth_delay: Duration::from_millis(150),
        ..CoremanagerOptions::default()
    })
    .await;
    let client = root(&peer);
    client.login().await.unwrap();
    peer.expire_sessions();
    let mut tasks = Vec::new();
    for _ in 0..25 {
        let client = client.clone();
        tasks.push(tokio::spawn(async move { client.webdomain().await }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap().unwrap().len(), 1);
    }
    assert_eq!(peer.calls_of("auth"), 2, "one login, one re-login");
}

#[tokio::test]
async fn idle_session_is_dropped_by_the_panel_and_renewed() {
    let peer = CoremanagerPeer::start_with(CoremanagerOptions {
        session_idle: Duration::from_millis(200),
        ..CoremanagerOptions::default()
    })
    .await;
    let client = root(&peer);
    client.webdomain().await.unwrap();
    tokio::time::sleep(Duration::from_millis(350)).await;
    client.webdomain().await.unwrap();
    assert_eq!(peer.calls_of("auth"), 2);
    assert_eq!(
        peer.calls_of("webdomain"),
        3,
        "the refused call is replayed once"
    );
}

#[tokio::test]
async fn a_rejected_password_is_never_retried() {
    let peer = CoremanagerPeer::start_with(CoremanagerOptions {
        auth_delay: Duration::from_millis(150),
        ..CoremanagerOptions::default()
    })
    .await;
    let client = Client::builder()
        .url(peer.url())
        .session("root", "wrong")
        .build()
        .unwrap();
    let mut tasks = Vec::new();
    for _ in 0..10 {
        let client = client.clone();
        tasks.push(tokio::spawn(async move { client.webdomain().await }));
    }
    for t in tasks {
        match t.await.unwrap() {
            Err(Error::Auth { code, hint, .. }) => {
                assert_eq!(code, "auth");
                assert!(hint.is_some());
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(
        peer.calls_of("auth"),
        1,
        "callers queued behind a failed login share it"
    );
    assert_eq!(peer.calls_of("webdomain"), 0);
}

#[tokio::test]
async fn authinfo_goes_with_every_call_in_the_body() {
    let peer = CoremanagerPeer::start().await;
    let client = Client::builder()
        .url(peer.url())
        .authinfo("bob", peer.password("bob"))
        .build()
        .unwrap();
    client.webdomain().await.unwrap();
    client.webdomain().await.unwrap();
    assert_eq!(peer.calls_of("auth"), 0);
    for s in peer.seen() {
        assert_eq!(
            s.params["authinfo"],
            format!("bob:{}", peer.password("bob"))
        );
        assert_eq!(s.target, "/ispmgr");
    }
}

#[tokio::test]
async fn one_time_keys_are_minted_by_the_admin_and_spent_once() {
    for redirect in [false, true] {
        let peer = CoremanagerPeer::start_with(CoremanagerOptions {
            newkey_redirect: redirect,
            ..CoremanagerOptions::default()
        })
        .await;
        peer.add_domain("root-only.example", "root");
        let client = Client::builder()
            .url(peer.url())
            .one_time_key("bob", None)
            .key_admin("root", peer.password("root"))
            .build()
            .unwrap();
        let rows = client.webdomain().await.unwrap();
        assert_eq!(rows.len(), 1, "the session is bob's");
        let seen = peer.seen();
        let newkey = seen
            .iter()
            .find(|s| s.params["func"] == "session.newkey")
            .unwrap();
        let auth = seen.iter().find(|s| s.params["func"] == "auth").unwrap();
        assert_eq!(newkey.params["username"], "bob");
        assert!(newkey.params["key"].len() >= 16);
        assert_eq!(auth.params["key"], newkey.params["key"]);
        assert!(!auth.params.contains_key("password"));
        // after expiry a fresh key is minted
        peer.expire_sessions();
        client.webdomain().await.unwrap();
        assert_eq!(peer.calls_of("session.newkey"), 2);
        assert_eq!(peer.calls_of("auth"), 2);
    }
}

#[tokio::test]
async fn a_given_key_works_once_and_then_needs_an_admin() {
    let peer = CoremanagerPeer::start().await;
    let admin = root(&peer);
    let key = "0123456789abcdefghij";
    admin
        .call("session.newkey", &[("username", "bob"), ("key", key)])
        .await
        .unwrap();
    let client = Client::builder()
        .url(peer.url())
        .one_time_key("bob", Some(Secret::new(key)))
        .build()
        .unwrap();
    assert_eq!(client.webdomain().await.unwrap().len(), 1);
    peer.expire_sessions();
    match client.webdomain().await {
        Err(Error::Auth { code, .. }) => assert_eq!(code, "key_spent"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn su_acts_as_another_user_and_only_admins_may() {
    let peer = CoremanagerPeer::start().await;
    peer.add_domain("root.example", "root");
    let client = root(&peer);
    assert_eq!(client.webdomain().await.unwrap().len(), 2);
    let as_bob = client.su("bob");
    assert_eq!(as_bob.webdomain().await.unwrap().len(), 1);
    assert_eq!(peer.seen().last().unwrap().params["su"], "bob");
    let bob = Client::builder()
        .url(peer.url())
        .authinfo("bob", peer.password("bob"))
        .su("root")
        .build()
        .unwrap();
    assert!(matches!(
        bob.webdomain().await,
        Err(Error::Permission { .. })
    ));
}

#[tokio::test]
async fn lang_picks_the_message_language() {
    let peer = CoremanagerPeer::start().await;
    let client = root(&peer).lang("ru");
    match client.webdomain_edit(Some("missing.example")).await {
        Err(Error::NotFound { code, message, .. }) => {
            assert_eq!(code, "missed");
            assert!(message.contains("WWW-домен не найден"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(peer.seen().last().unwrap().params["lang"], "ru");
}

#[tokio::test]
async fn forms_read_and_apply_with_sok() {
    let peer = CoremanagerPeer::start().await;
    let client = root(&peer);
    let form = client.webdomain_edit(Some("bob.example")).await.unwrap();
    assert_eq!(form.elid.as_deref(), Some("bob.example"));
    assert_eq!(form.get("owner"), Some("bob"));
    let outcome = client
        .webdomain_edit_submit(
            None,
            &[("name", "new.example"), ("owner", "bob"), ("php", "on")],
        )
        .await
        .unwrap();
    assert_eq!(outcome, Outcome::Ok);
    let sent = peer.seen().last().unwrap().clone();
    assert_eq!(sent.params["sok"], "ok");
    assert!(!sent.params.contains_key("elid"));
    assert_eq!(peer.domains(), ["bob.example", "new.example"]);
    // edit an existing one
    client
        .webdomain_edit_submit(Some("new.example"), &[("php", "off")])
        .await
        .unwrap();
    assert_eq!(peer.seen().last().unwrap().params["elid"], "new.example");
}

#[tokio::test]
async fn panel_errors_are_typed() {
    let peer = CoremanagerPeer::start().await;
    let client = root(&peer);
    match client
        .webdomain_edit_submit(None, &[("owner", "bob")])
        .await
    {
        Err(Error::Validation { code, fields, .. }) => {
            assert_eq!(code, "empty");
            assert_eq!(fields, ["name"]);
        }
        other => panic!("{other:?}"),
    }
    match client
        .webdomain_edit_submit(None, &[("name", "no dot")])
        .await
    {
        Err(Error::Validation { code, fields, .. }) => {
            assert_eq!(code, "value");
            assert_eq!(fields, ["name"]);
        }
        other => panic!("{other:?}"),
    }
    match client
        .webdomain_edit_submit(None, &[("name", "bob.example")])
        .await
    {
        Err(Error::Fault { code, .. }) => assert_eq!(code, "exists"),
        other => panic!("{other:?}"),
    }
    match client.call("no.such.func", &[]).await {
        Err(Error::NotFound { code, .. }) => assert_eq!(code, "missed"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn restart_needed_is_reported() {
    let peer = CoremanagerPeer::start_with(CoremanagerOptions {
        restart_after_edit: true,
        ..CoremanagerOptions::default()
    })
    .await;
    let outcome = root(&peer)
        .webdomain_edit_submit(Some("bob.example"), &[("php", "off")])
        .await
        .unwrap();
    assert_eq!(outcome, Outcome::RestartNeeded);
}

#[tokio::test]
async fn group_operations_join_ids_with_comma_space() {
    let peer = CoremanagerPeer::start().await;
    peer.add_domain("a.example", "root");
    peer.add_domain("b.example", "root");
    let client = root(&peer);
    let outcome = client
        .webdomain_delete(&["a.example", "b.example"])
        .await
        .unwrap();
    assert_eq!(outcome, Outcome::Ok);
    let sent = peer.seen().last().unwrap().clone();
    assert_eq!(sent.params["elid"], "a.example, b.example");
    assert!(
        sent.body.contains("elid=a.example%2C+b.example"),
        "{}",
        sent.body
    );
    assert_eq!(peer.domains(), ["bob.example"]);
}

#[tokio::test]
async fn redirects_are_documents() {
    let peer = CoremanagerPeer::start_with(CoremanagerOptions {
        newkey_redirect: true,
        ..CoremanagerOptions::default()
    })
    .await;
    let doc = root(&peer)
        .call(
            "session.newkey",
            &[("username", "bob"), ("key", "0123456789abcdefXYZ")],
        )
        .await
        .unwrap();
    match doc {
        Document::Redirect(to) => assert!(to.starts_with("func=auth&username=bob"), "{to}"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn broken_answers_are_unexpected_responses() {
    let peer = CoremanagerPeer::start().await;
    let client = root(&peer);
    match client.call("peer.html", &[]).await {
        Err(Error::UnexpectedResponse {
            status,
            reason,
            excerpt,
        }) => {
            assert_eq!(status, Some(502));
            assert!(reason.contains("HTML"), "{reason}");
            assert!(excerpt.contains("502 Bad Gateway"));
        }
        other => panic!("{other:?}"),
    }
    match client.call("peer.empty", &[]).await {
        Err(Error::UnexpectedResponse { reason, .. }) => {
            assert!(reason.contains("empty"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
    match client.call("peer.truncated", &[]).await {
        Err(Error::UnexpectedResponse { reason, .. }) => {
            assert!(reason.contains("truncated"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn xml_output_for_panels_whose_json_is_broken() {
    let peer = CoremanagerPeer::start_with(CoremanagerOptions {
        broken_json: true,
        ..CoremanagerOptions::default()
    })
    .await;
    let json = root(&peer);
    assert!(matches!(
        json.webdomain().await,
        Err(Error::UnexpectedResponse { .. })
    ));
    let xml = Client::builder()
        .url(peer.url())
        .session("root", peer.password("root"))
        .format(Format::Xml)
        .build()
        .unwrap();
    let rows = xml.webdomain().await.unwrap();
    assert_eq!(rows[0].name(), Some("bob.example"));
    assert_eq!(peer.seen().last().unwrap().params["out"], "xml");
    let form = xml.webdomain_edit(Some("bob.example")).await.unwrap();
    assert_eq!(form.get("owner"), Some("bob"));
}

#[tokio::test]
async fn a_request_from_a_log_line_runs_as_is() {
    let peer = CoremanagerPeer::start().await;
    let request = Request::from_log_line(
        "Nov 24 10:00:00 [1:2] core_module INFO Request [10.0.0.1][root] 'clicked_button=ok&func=webdomain.edit&name=log.example&owner=bob&sfrom=ajax&sok=ok&progressid=false&operafake=1&php=*&note='",
    )
    .unwrap();
    let doc = root(&peer).execute(request).await.unwrap();
    assert_eq!(doc, Document::Ok);
    let sent = peer.seen().last().unwrap().clone();
    for dropped in [
        "clicked_button",
        "sfrom",
        "progressid",
        "operafake",
        "php",
        "note",
    ] {
        assert!(!sent.params.contains_key(dropped), "{dropped} was sent");
    }
    assert!(peer.domains().contains(&"log.example".to_owned()));
}

#[tokio::test]
async fn configuration_mistakes_are_config_errors() {
    for builder in [
        Client::builder().session("u", "p"),
        Client::builder().url("ftp://x/ispmgr").session("u", "p"),
        Client::builder()
            .url("https://x:1500/ispmgr?authinfo=u:p")
            .session("u", "p"),
        Client::builder().url("https://x:1500/ispmgr"),
        Client::builder()
            .url("https://x:1500/ispmgr")
            .one_time_key("bob", None),
    ] {
        assert!(matches!(builder.build(), Err(Error::Config { .. })));
    }
    let peer = CoremanagerPeer::start().await;
    assert!(matches!(
        root(&peer).call("webdomain", &[("out", "xml")]).await,
        Err(Error::Config { .. })
    ));
}

#[tokio::test]
async fn a_session_idle_near_the_limit_is_replaced_before_use() {
    let peer = CoremanagerPeer::start_with(CoremanagerOptions {
        session_idle: Duration::from_millis(400),
        ..CoremanagerOptions::default()
    })
    .await;
    let client = Client::builder()
        .url(peer.url())
        .session("root", peer.password("root"))
        .session_idle(Duration::from_millis(400))
        .build()
        .unwrap();
    client.webdomain().await.unwrap();
    // used again in time: the same session
    tokio::time::sleep(Duration::from_millis(150)).await;
    client.webdomain().await.unwrap();
    assert_eq!(peer.calls_of("auth"), 1);
    // idle past the limit: a new session first, no refused call
    tokio::time::sleep(Duration::from_millis(450)).await;
    client.webdomain().await.unwrap();
    assert_eq!(peer.calls_of("auth"), 2);
    assert_eq!(peer.calls_of("webdomain"), 3, "no call was refused");
}
