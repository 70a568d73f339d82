//! Reading a server's certificate fingerprint, for diagnostics.
//!
//! `doctor` shows the SHA-256 of the certificate a panel presents, so an
//! operator can pin it (`pin_sha256`) or compare it with what they expect.
//! Reading it needs a handshake that accepts any certificate; this one
//! stops right after the handshake — no request, no credentials, nothing
//! is ever sent over it — so accepting is harmless.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rustls::pki_types::ServerName;

use crate::{Error, Result};

/// The SHA-256 fingerprint (`AB:CD:…`, as `openssl x509 -fingerprint
/// -sha256` prints it) of the certificate the server at `url` presents;
/// `None` for a plain `http://` URL. Blocking; call it off the async
/// runtime's threads (e.g. `tokio::task::spawn_blocking`).
pub fn server_certificate_sha256(url: &str, timeout: Duration) -> Result<Option<String>> {
    let parsed = reqwest::Url::parse(url).map_err(|e| Error::config(format!("bad URL: {e}")))?;
    if parsed.scheme() != "https" {
        return Ok(None);
    }
    let host = parsed
        .host_str()
        .ok_or_else(|| Error::config("the URL has no host"))?
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    let port = parsed.port_or_known_default().unwrap_or(443);
    let transport = |e: std::io::Error| Error::Transport {
        message: format!("TLS handshake with {host}:{port} for its certificate: {e}"),
        source: Some(Box::new(e)),
    };
    let address = (host.as_str(), port)
        .to_socket_addrs()
        .map_err(transport)?
        .next()
        .ok_or_else(|| Error::config(format!("{host} resolves to no address")))?;
    let mut tcp = TcpStream::connect_timeout(&address, timeout).map_err(transport)?;
    tcp.set_read_timeout(Some(timeout)).map_err(transport)?;
    tcp.set_write_timeout(Some(timeout)).map_err(transport)?;

    let seen = Arc::new(Mutex::new(None));
    let config = super::pin::recording_config(Arc::clone(&seen))?;
    let name = ServerName::try_from(host.clone())
        .map_err(|e| Error::config(format!("bad server name {host}: {e}")))?;
    let mut conn = rustls::ClientConnection::new(Arc::new(config), name)
        .map_err(|e| Error::config(format!("TLS setup: {e}")))?;
    while conn.is_handshaking() {
        conn.complete_io(&mut tcp).map_err(transport)?;
    }
    // Close politely; nothing else is written.
    conn.send_close_notify();
    let _ = conn.complete_io(&mut tcp);
    let _ = tcp.flush();
    let _ = tcp.read(&mut [0u8; 1]);
    let digest = seen
        .lock()
        .map_err(|_| Error::config("certificate recorder poisoned"))?
        .take();
    Ok(digest.map(|bytes: [u8; 32]| {
        bytes
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect::<Vec<_>>()
            .join(":")
    }))
}
