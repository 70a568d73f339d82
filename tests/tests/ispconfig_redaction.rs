//! Secrets never reach logs: a full session (login, calls, a failed login,
//! logout) with tracing at TRACE level, and neither the password nor any
//! session id appears in what was logged.

use std::sync::{Arc, Mutex};

use panelkit_ispconfig::Client;
use panelkit_tests::IspconfigPeer;

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn no_secret_in_trace_output() {
    let peer = IspconfigPeer::start();
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
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

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
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
