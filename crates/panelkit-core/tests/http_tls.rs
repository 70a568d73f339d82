//! The HTTP transport against real local servers: a TLS server with a
//! self-signed certificate made at test time, and raw TCP servers that stall,
//! refuse or send too much.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use panelkit_core::http::{HttpConfig, HttpRequest, HttpTransport, TlsConfig};
use panelkit_core::Error;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

struct TlsServer {
    port: u16,
    cert_pem: String,
    fingerprint: String,
}

/// An HTTPS server on 127.0.0.1 answering every request with "ok".
async fn tls_server() -> TlsServer {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let key = rcgen::KeyPair::generate().unwrap();
    let params =
        rcgen::CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
            .unwrap();
    let cert = params.self_signed(&key).unwrap();
    let der = cert.der().to_vec();
    let fingerprint = Sha256::digest(&der)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":");
    let config = rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(
            vec![rustls::pki_types::CertificateDer::from(der)],
            rustls::pki_types::PrivateKeyDer::try_from(key.serialize_der()).unwrap(),
        )
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut buf = [0u8; 4096];
                let _ = tls.read(&mut buf).await;
                let _ = tls
                    .write_all(
                        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
                    )
                    .await;
                let _ = tls.shutdown().await;
            });
        }
    });
    TlsServer {
        port,
        cert_pem: cert.pem(),
        fingerprint,
    }
}

fn transport(tls: TlsConfig) -> HttpTransport {
    HttpTransport::new(HttpConfig {
        tls,
        timeout: Duration::from_secs(5),
        ..HttpConfig::default()
    })
    .unwrap()
}

async fn get(
    transport: &HttpTransport,
    port: u16,
) -> Result<panelkit_core::http::HttpResponse, Error> {
    transport
        .send(HttpRequest::get(format!(
            "https://localhost:{port}/remote/index.php"
        )))
        .await
}

#[tokio::test]
async fn self_signed_is_rejected_by_default_with_a_helpful_message() {
    let server = tls_server().await;
    let err = get(&transport(TlsConfig::default()), server.port)
        .await
        .unwrap_err();
    match &err {
        Error::Transport { message, .. } => {
            assert!(message.contains("certificate"), "{message}");
            assert!(message.contains("pinned SHA-256"), "{message}");
        }
        other => panic!("expected a transport error, got {other:?}"),
    }
}

#[tokio::test]
async fn ca_file_is_trusted() {
    let server = tls_server().await;
    let dir = std::env::temp_dir().join(format!(
        "panelkit-ca-{}-{}",
        std::process::id(),
        server.port
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let ca = dir.join("panel.pem");
    std::fs::write(&ca, &server.cert_pem).unwrap();
    let response = get(&transport(TlsConfig::default().ca_file(&ca)), server.port)
        .await
        .unwrap();
    assert_eq!((response.status, &response.body[..]), (200, &b"ok"[..]));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn pinned_fingerprint_in_any_format_is_trusted() {
    let server = tls_server().await;
    for pin in [
        server.fingerprint.clone(),
        server.fingerprint.to_lowercase(),
        server.fingerprint.replace(':', ""),
    ] {
        let tls = TlsConfig::default().pin_sha256(&pin).unwrap();
        let response = get(&transport(tls), server.port).await.unwrap();
        assert_eq!(response.status, 200);
    }
}

#[tokio::test]
async fn wrong_pin_is_rejected() {
    let server = tls_server().await;
    let tls = TlsConfig::default().pin_sha256(&"00".repeat(32)).unwrap();
    let err = get(&transport(tls), server.port).await.unwrap_err();
    assert!(
        matches!(err, Error::Transport { ref message, .. } if message.contains("fingerprint")),
        "{err:?}"
    );
}

#[test]
fn malformed_pins_and_ca_files_are_config_errors() {
    for pin in ["", "abc", &"zz".repeat(32), &"ab".repeat(31)] {
        assert!(
            matches!(
                TlsConfig::default().pin_sha256(pin),
                Err(Error::Config { .. })
            ),
            "{pin}"
        );
    }
    let missing = HttpTransport::new(HttpConfig {
        tls: TlsConfig::default().ca_file("/nonexistent/ca.pem"),
        ..HttpConfig::default()
    })
    .unwrap_err();
    assert!(
        matches!(missing, Error::Config { ref message } if message.contains("/nonexistent/ca.pem")),
        "{missing:?}"
    );
}

/// Collects formatted tracing output.
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

#[tokio::test]
async fn insecure_mode_works_and_warns() {
    let server = tls_server().await;
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let transport = tracing::subscriber::with_default(subscriber, || {
        transport(TlsConfig::default().danger_accept_invalid_certs(true))
    });
    assert_eq!(get(&transport, server.port).await.unwrap().status, 200);
    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("WARN") && logs.contains("verification is OFF"),
        "{logs}"
    );
}

/// A plain TCP server that runs `answer` on every connection.
async fn raw_server<F, Fut>(answer: F) -> u16
where
    F: Fn(tokio::net::TcpStream) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            answer(stream).await;
        }
    });
    port
}

#[tokio::test]
async fn stalled_server_times_out() {
    let port = raw_server(|stream| async move {
        tokio::time::sleep(Duration::from_secs(5)).await;
        drop(stream);
    })
    .await;
    let transport = HttpTransport::new(HttpConfig {
        timeout: Duration::from_millis(300),
        ..HttpConfig::default()
    })
    .unwrap();
    let err = transport
        .send(HttpRequest::get(format!("http://127.0.0.1:{port}/")))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Timeout { after: Some(d) } if d == Duration::from_millis(300)),
        "{err:?}"
    );
    assert!(err.is_retryable());
}

#[tokio::test]
async fn refused_connection_is_a_transport_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let err = transport(TlsConfig::default())
        .send(HttpRequest::get(format!(
            "http://127.0.0.1:{port}/?session_id=leak"
        )))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(
        !format!("{err} {err:?}").contains("leak"),
        "query leaked: {err}"
    );
}

async fn answer_with(mut stream: tokio::net::TcpStream, response: &'static [u8]) {
    let mut buf = [0u8; 4096];
    let _ = stream.read(&mut buf).await;
    let _ = stream.write_all(response).await;
}

#[tokio::test]
async fn oversized_bodies_are_refused_with_and_without_length() {
    let with_length = raw_server(|s| answer_with(s, b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\n0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789")).await;
    let chunked = raw_server(|s| answer_with(s, b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n0123456789012345678901234567890123456789012345678901234567890123456789")).await;
    let transport = HttpTransport::new(HttpConfig {
        max_response_bytes: 50,
        ..HttpConfig::default()
    })
    .unwrap();
    for port in [with_length, chunked] {
        let err = transport
            .send(HttpRequest::get(format!("http://127.0.0.1:{port}/")))
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::UnexpectedResponse { status: Some(200), ref reason, .. } if reason.contains("larger than 50")),
            "{err:?}"
        );
    }
}

#[tokio::test]
async fn error_statuses_are_returned_not_raised() {
    let port = raw_server(|s| {
        answer_with(s, b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\nContent-Type: text/xml\r\nConnection: close\r\n\r\nfail")
    })
    .await;
    let response = transport(TlsConfig::default())
        .send(HttpRequest::post(format!("http://127.0.0.1:{port}/"), "x"))
        .await
        .unwrap();
    assert_eq!(response.status, 500);
    assert_eq!(response.content_type(), Some("text/xml"));
    assert_eq!(&response.body[..], b"fail");
}

/// The SFTPGo builder's TLS options reach the transport: verification on by
/// default, a pin or a CA file trusts the self-signed server, a malformed pin
/// is a build error.
#[tokio::test]
async fn sftpgo_builder_tls_options() {
    use panelkit_core::rest::{Method, Request, RestClient};
    use panelkit_core::sftpgo::ClientBuilder;

    let server = tls_server().await;
    let url = format!("https://localhost:{}", server.port);
    let healthz = || Request::new("healthz", Method::GET, "/healthz").server("/");
    let plain: RestClient = ClientBuilder::new().url(&url).build().unwrap();
    let err = plain.send(healthz()).await.unwrap_err();
    assert!(
        matches!(&err, Error::Transport { message, .. } if message.contains("certificate")),
        "{err:?}"
    );
    let pinned: RestClient = ClientBuilder::new()
        .url(&url)
        .pin_sha256(&server.fingerprint)
        .build()
        .unwrap();
    assert_eq!(pinned.send(healthz()).await.unwrap().text().unwrap(), "ok");

    let ca = std::env::temp_dir().join(format!(
        "panelkit-sftpgo-ca-{}-{}.pem",
        std::process::id(),
        server.port
    ));
    std::fs::write(&ca, &server.cert_pem).unwrap();
    let with_ca: RestClient = ClientBuilder::new().url(&url).ca_file(&ca).build().unwrap();
    assert_eq!(with_ca.send(healthz()).await.unwrap().status, 200);
    std::fs::remove_file(&ca).unwrap();

    let bad = ClientBuilder::<RestClient>::new()
        .url(&url)
        .pin_sha256("not-hex")
        .build()
        .unwrap_err();
    assert!(matches!(bad, Error::Config { .. }), "{bad:?}");
    let no_scheme = ClientBuilder::<RestClient>::new()
        .url("sftpgo.example.com")
        .build()
        .unwrap_err();
    assert!(matches!(no_scheme, Error::Config { .. }), "{no_scheme:?}");
}

/// Every panel's builder offers the same trust options (they are written
/// once, in `http::http_options!`) and reports a malformed pin at `build`,
/// never silently dropping it.
#[test]
fn every_builder_reports_a_malformed_pin_at_build() {
    use panelkit_core::{coremanager, dcimanager, ionos, ispconfig, rest::RestClient, sftpgo};

    let url = "https://panel.example.com";
    let errors = [
        ispconfig::ClientBuilder::<ispconfig::Session>::new()
            .url(url)
            .credentials("remote", "secret")
            .pin_sha256("not-hex")
            .build()
            .err(),
        coremanager::ClientBuilder::<coremanager::Client>::new()
            .url(url)
            .pin_sha256("not-hex")
            .build()
            .err(),
        sftpgo::ClientBuilder::<RestClient>::new()
            .url(url)
            .pin_sha256("not-hex")
            .build()
            .err(),
        dcimanager::ClientBuilder::<RestClient>::new()
            .url(url)
            .token("t")
            .pin_sha256("not-hex")
            .build()
            .err(),
        ionos::ClientBuilder::<RestClient>::new()
            .url(url)
            .token("t")
            .pin_sha256("not-hex")
            .build()
            .err(),
    ];
    for (panel, error) in ["ispconfig", "coremanager", "sftpgo", "dcimanager", "ionos"]
        .iter()
        .zip(errors)
    {
        match error {
            Some(Error::Config { .. }) => {}
            other => panic!("{panel}: a malformed pin gave {other:?}"),
        }
    }
}

#[tokio::test]
async fn the_certificate_fingerprint_is_read_without_trusting_it() {
    let server = tls_server().await;
    let url = format!("https://127.0.0.1:{}/remote/index.php", server.port);
    let got = tokio::task::spawn_blocking(move || {
        panelkit_core::http::server_certificate_sha256(&url, Duration::from_secs(5))
    })
    .await
    .unwrap()
    .unwrap();
    assert_eq!(got.as_deref(), Some(server.fingerprint.as_str()));
    // Plain HTTP has no certificate.
    assert_eq!(
        panelkit_core::http::server_certificate_sha256(
            "http://127.0.0.1:1/x",
            Duration::from_secs(1)
        )
        .unwrap(),
        None
    );
}
