//! Secrets (passwords, authinfo, session ids, one-time keys) never appear in
//! `Debug`, errors or logs, even at TRACE level.

use panelkit_ispmanager::{Client, Request};
use panelkit_tests::coremanager::CoremanagerPeer;

#[tokio::test]
async fn secrets_stay_out_of_debug_errors_and_logs() {
    let captured = panelkit_tests::logs::TraceCapture::start();

    let peer = CoremanagerPeer::start().await;
    let root_pw = peer.password("root");
    let bob_pw = peer.password("bob");
    let session = Client::builder()
        .url(peer.url())
        .session("root", root_pw.as_str())
        .build()
        .unwrap();
    let authinfo = Client::builder()
        .url(peer.url())
        .authinfo("bob", bob_pw.as_str())
        .build()
        .unwrap();
    let keyed = Client::builder()
        .url(peer.url())
        .one_time_key("bob", None)
        .key_admin("root", root_pw.as_str())
        .build()
        .unwrap();
    let wrong = Client::builder()
        .url(peer.url())
        .session("root", "wr0ng-Pa55")
        .build()
        .unwrap();

    let mut shown = Vec::new();
    session.webdomain().await.unwrap();
    authinfo.webdomain().await.unwrap();
    keyed.webdomain().await.unwrap();
    peer.expire_sessions();
    session.webdomain().await.unwrap();
    let e = wrong.webdomain().await.unwrap_err();
    shown.push(format!("{e} {e:?}"));
    let e = session
        .webdomain_edit_submit(None, &[("name", "bad name"), ("passwd", "n3w-Secret")])
        .await
        .unwrap_err();
    shown.push(format!("{e} {e:?}"));
    let e = session.call("peer.html", &[]).await.unwrap_err();
    shown.push(format!("{e} {e:?}"));
    let request = Request::new("user.edit")
        .param("passwd", "n3w-Secret")
        .param("confirm", "n3w-Secret");
    shown.push(format!("{request:?}"));
    for client in [&session, &authinfo, &keyed, &wrong] {
        shown.push(format!("{client:?} {:?}", client.core()));
    }

    // What must never show: passwords, authinfo, every session id the peer
    // issued, every one-time key.
    let mut secrets = vec![
        root_pw.clone(),
        bob_pw.clone(),
        "wr0ng-Pa55".to_owned(),
        "n3w-Secret".to_owned(),
        format!("bob:{bob_pw}"),
    ];
    for seen in peer.seen() {
        for key in ["auth", "key"] {
            if let Some(v) = seen.params.get(key) {
                secrets.push(v.clone());
            }
        }
    }
    assert!(
        secrets.len() > 6,
        "sessions and keys were issued: {}",
        secrets.len()
    );
    let logs = captured.text();
    assert!(logs.contains("panel_call"), "TRACE logging was captured");
    let everything = format!("{}\n{logs}", shown.join("\n"));
    for secret in &secrets {
        assert!(
            !everything.contains(secret.as_str()),
            "a secret leaked: {secret:?}\n{everything}"
        );
    }
}
