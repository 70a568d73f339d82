//! Secrets the panel hands back (issue 16), against the PHP peer whose
//! answers carry them as the genuine panel stores them: clients' `id_rsa`
//! (OpenSSH private key), web domains' `ssl_key` (PEM) and
//! `backup_password`, the mail domain's `dkim_private`, fetchmail's
//! `source_password`, and server 2's relay and rspamd passwords.
//!
//! A library caller who asks gets them whole; `Debug` of typed records,
//! dynamic values and records, serde output of typed records, TRACE logs and
//! errors show none of them. (One test per file: a TRACE capture is per
//! thread, and a test running beside it on another thread can leave
//! tracing's callsite cache without it; so the one test runs over SOAP, then
//! over JSON.)

use panelkit::ispconfig::records::{self, MailDomain, WebVhostDomain};
use panelkit::ispconfig::{FormRecord, Record, Value};
use panelkit_core::Secret;
use panelkit_tests::{IspconfigPeer, PeerOptions, Wire};

mod overlay_common;
use overlay_common::{map, overlay};

/// The lines of a private key block that carry key material (between its
/// BEGIN and END lines): none of them may show anywhere.
fn key_lines(block: &str) -> Vec<String> {
    assert!(
        block.contains("PRIVATE KEY-----"),
        "a private key block: {block}"
    );
    block
        .lines()
        .filter(|l| !l.starts_with("-----") && l.len() >= 16)
        .map(str::to_owned)
        .collect()
}

/// A stored column of a peer table row, as text.
fn column(rows: &serde_json::Map<String, serde_json::Value>, id: &str, name: &str) -> String {
    rows[id][name]
        .as_str()
        .unwrap_or_else(|| panic!("row {id} has no {name}: {:?}", rows[id]))
        .to_owned()
}

/// Every planted secret the peer holds, read from its stored rows and (for
/// the server configuration, which is no table) from the library, which
/// hands data out whole.
async fn planted(peer: &IspconfigPeer, ispc: &panelkit::ispconfig::Client) -> Vec<String> {
    let mut secrets = Vec::new();
    let clients = peer.table("client").await;
    assert!(clients.len() >= 4);
    for id in clients.keys() {
        secrets.extend(key_lines(&column(&clients, id, "id_rsa")));
    }
    let sites = peer.table("web_domain").await;
    for id in ["1", "2"] {
        secrets.extend(key_lines(&column(&sites, id, "ssl_key")));
        secrets.push(column(&sites, id, "backup_password"));
    }
    secrets.extend(key_lines(&column(
        &peer.table("mail_domain").await,
        "1",
        "dkim_private",
    )));
    secrets.push(column(
        &peer.table("mail_get").await,
        "1",
        "source_password",
    ));
    let mail = ispc
        .generated()
        .server_get(Some(2.into()), Some("mail".into()))
        .await
        .unwrap();
    for name in [
        "relayhost_password",
        "rspamd_password",
        "rspamd_redis_password",
        "rspamd_redis_bayes_password",
    ] {
        let value = mail.get(name).and_then(Value::as_str);
        secrets.push(
            value
                .unwrap_or_else(|| panic!("{name} in {mail:?}"))
                .to_owned(),
        );
    }
    let server = ispc
        .generated()
        .server_get(Some(1.into()), Some("server".into()))
        .await
        .unwrap();
    for name in ["monit_password", "munin_password"] {
        let value = server.get(name).and_then(Value::as_str);
        secrets.push(
            value
                .unwrap_or_else(|| panic!("{name} in {server:?}"))
                .to_owned(),
        );
    }
    secrets
}

/// Asserts that no secret occurs in `shown` (naming where it leaked).
fn assert_hidden(secrets: &[String], shown: &str, what: &str) {
    for secret in secrets {
        assert!(
            !shown.contains(secret.as_str()),
            "{what}: a planted secret shows ({secret:?}):\n{shown}"
        );
    }
}

#[tokio::test]
async fn reads_show_no_secret_but_hand_them_out() {
    // One test for both wires (see above): SOAP, then JSON.
    let captured = panelkit_tests::logs::TraceCapture::start();
    for wire in [Wire::Soap, Wire::Json] {
        reads_on(&captured, wire).await;
    }
}

async fn reads_on(captured: &panelkit_tests::logs::TraceCapture, wire: Wire) {
    let peer = IspconfigPeer::start_with(PeerOptions {
        wire,
        ..PeerOptions::default()
    });
    let ispc = overlay(&peer);
    let secrets = planted(&peer, &ispc).await;
    assert!(
        secrets.len() > 30,
        "keys and passwords planted: {}",
        secrets.len()
    );
    let mut shown = Vec::new();

    // Typed reads: Debug and serde masked; the value itself and reveal() whole.
    let site: WebVhostDomain = ispc.sites().web_domain(1).await.unwrap().unwrap();
    let stored_key = column(&peer.table("web_domain").await, "1", "ssl_key");
    assert_eq!(
        site.ssl_key.as_ref().map(Secret::expose),
        Some(stored_key.as_str())
    );
    let revealed = serde_json::to_string(&site.reveal()).unwrap();
    assert!(revealed.contains(&serde_json::to_string(&stored_key).unwrap()[1..20]));
    assert!(revealed.contains("Backup-1-Passphrase"), "{revealed}");
    shown.push(format!("{site:?}"));
    shown.push(serde_json::to_string(&site).unwrap());
    shown.push(serde_json::to_string_pretty(&site).unwrap());

    let client = ispc.clients().get(1).await.unwrap().unwrap();
    let id_rsa = column(&peer.table("client").await, "1", "id_rsa");
    assert_eq!(
        Record::from_typed(&client).text("id_rsa").as_deref(),
        Some(id_rsa.as_str()),
        "the library hands the key out"
    );
    shown.push(format!("{client:?}"));
    shown.push(serde_json::to_string(&client).unwrap());
    for client in ispc.clients().all().await.unwrap() {
        shown.push(format!("{client:#?}"));
        shown.push(serde_json::to_string(&client).unwrap());
    }

    let domain: MailDomain = ispc.mail().domain(1).await.unwrap().unwrap();
    assert!(domain
        .dkim_private
        .as_ref()
        .is_some_and(|k| k.expose().contains("BEGIN RSA PRIVATE KEY")));
    shown.push(format!("{domain:?}"));
    shown.push(serde_json::to_string(&domain).unwrap());

    let fetch = ispc
        .raw_call("mail_fetchmail_get", vec![1.into()])
        .await
        .unwrap();
    let fetch = records::MailGet::try_from(fetch).unwrap();
    assert_eq!(
        fetch.source_password.as_ref().map(Secret::expose),
        Some("Fetch-Source-Pw-7")
    );
    shown.push(format!("{fetch:?}"));
    shown.push(serde_json::to_string(&fetch).unwrap());

    // Dynamic reads: Value and Record Debug, whole answers and lists.
    for (method, params) in [
        ("client_get", vec![Value::Int(1)]),
        ("client_get", vec![Value::Int(-1)]),
        ("sites_web_domain_get", vec![Value::Int(-1)]),
        ("mail_domain_get", vec![Value::Int(1)]),
        ("mail_fetchmail_get", vec![Value::Int(1)]),
        ("server_get", vec![]),
        ("server_get", vec![Value::Int(2), Value::from("mail")]),
    ] {
        let answer = ispc.raw_call(method, params).await.unwrap();
        shown.push(format!("{answer:?}"));
        shown.push(format!("{answer:#?}"));
        if let Ok(record) = Record::from_value(answer.clone()) {
            shown.push(format!("{record:?}"));
        }
    }
    let raw = ispc.raw_call("client_get", vec![1.into()]).await.unwrap();
    assert_eq!(
        raw.get("id_rsa").and_then(Value::as_str),
        Some(id_rsa.as_str()),
        "a dynamic read hands the key out too"
    );

    // Errors of calls that carried secrets: a fault and the panel's HTML page.
    let e = ispc
        .raw_call(
            "mail_fetchmail_add",
            vec![
                1.into(),
                map(&[("source_password", Value::from("Fetch-Source-Pw-7"))]),
            ],
        )
        .await
        .unwrap_err();
    shown.push(format!("{e} {e:?}"));
    let e = ispc
        .raw_call(
            "sites_web_domain_update",
            vec![
                0.into(),
                Value::Null,
                map(&[("ssl_key", Value::from(stored_key.clone()))]),
            ],
        )
        .await
        .unwrap_err();
    assert!(e.to_string().contains("HTML"), "{e}");
    shown.push(format!("{e} {e:?}"));

    let logs = captured.text();
    assert!(
        logs.contains("client_get"),
        "TRACE logging was captured: {logs}"
    );
    assert_hidden(&secrets, &shown.join("\n"), "Debug, serde or an error");
    assert_hidden(&secrets, &logs, "the TRACE log");
}
