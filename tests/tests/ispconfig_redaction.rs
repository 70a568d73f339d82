//! Secrets never reach logs: a full session (login, calls, a failed login,
//! logout) with tracing at TRACE level, and neither the password nor any
//! session id appears in what was logged.

use panelkit_ispconfig::Client;
use panelkit_tests::{IspconfigPeer, PeerOptions, Wire};

#[test]
fn no_secret_in_trace_output() {
    // One test per file (a TRACE capture is per thread): SOAP, then JSON.
    let captured = panelkit_tests::logs::TraceCapture::start();
    for wire in [Wire::Soap, Wire::Json] {
        session_on(&captured, wire);
    }
}

fn session_on(captured: &panelkit_tests::logs::TraceCapture, wire: Wire) {
    let peer = IspconfigPeer::start_with(PeerOptions {
        wire,
        ..PeerOptions::default()
    });
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();

    let session_id = runtime.block_on(async {
        let client = Client::builder()
            .url(peer.url())
            .credentials(peer.user(), peer.password())
            .build()
            .unwrap();
        client.dns_zone_get(2).await.unwrap();
        // The session id, fetched the way a curious user would: a raw login.
        let raw = client
            .session()
            .call_without_session("login", vec![peer.user().into(), peer.password().into()])
            .await;
        client.logout().await.unwrap();
        let wrong = Client::builder()
            .url(peer.url())
            .credentials(peer.user(), "wrong-hunter2")
            .build()
            .unwrap();
        assert!(wrong.dns_zone_get(2).await.is_err());
        raw.unwrap().as_str().unwrap().to_owned()
    });

    let logs = captured.text();
    assert!(
        logs.contains("dns_zone_get"),
        "the calls were logged at all:\n{logs}"
    );
    assert!(!logs.contains(peer.password()), "password leaked:\n{logs}");
    assert!(
        !logs.contains("wrong-hunter2"),
        "rejected password leaked:\n{logs}"
    );
    assert!(!logs.contains(&session_id), "session id leaked:\n{logs}");
}
