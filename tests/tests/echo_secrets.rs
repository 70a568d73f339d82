//! A proxy or firewall that reflects the request in an HTML error page
//! (issue 16): whatever the client sent — a SOAP login, a COREmanager form
//! POST, a REST call with Basic auth, an API key, a bearer token or a JSON
//! login — the error's excerpt holds none of its secrets, raw, escaped as
//! sent, HTML-escaped, or cut at the excerpt's end.
//!
//! The echo server (127.0.0.1 only) answers every request with HTTP 400 and
//! a page reflecting the request (target, headers, body) from just before
//! the first secret it finds, so the secret lands inside the excerpt; token
//! endpoints may instead issue a token, so the call after them carries it.

use std::sync::Arc;

use base64::Engine as _;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// The password every client sends: characters each escaping changes.
const PASSWORD: &str = "EchoPw&<ö>\"1";
/// A token the echo server issues, and an API key.
const TOKEN: &str = "EchoTok.eyJhbGciOi.x-123";
const API_KEY: &str = "EchoKey-42.abcdef";

/// How the page reflects the request.
#[derive(Clone, Copy, Debug)]
enum Echo {
    /// As received.
    Raw,
    /// HTML-escaped, as a careful error template would.
    Html,
    /// As received, pushed so the first secret straddles the excerpt's cut.
    Cut,
}

struct EchoServer {
    url: String,
}

impl EchoServer {
    /// Serves until the test ends. `markers`: what the page starts near;
    /// `issue_tokens`: answer token/login endpoints with a token.
    async fn start(echo: Echo, markers: Vec<String>, issue_tokens: bool) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let markers = Arc::new(markers);
        tokio::spawn(async move {
            loop {
                let Ok((mut stream, _)) = listener.accept().await else {
                    return;
                };
                let markers = markers.clone();
                tokio::spawn(async move {
                    let Some(request) = read_request(&mut stream).await else {
                        return;
                    };
                    let target = request.lines().next().unwrap_or("").to_owned();
                    let answer = if issue_tokens && target.contains("token") {
                        let body = serde_json::json!({
                            "access_token": TOKEN, "expires_at": "2099-01-01T00:00:00Z", "token": TOKEN
                        })
                        .to_string();
                        format!(
                            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                            body.len()
                        )
                    } else {
                        let page = page(&request, &markers, echo);
                        format!(
                            "HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{page}",
                            page.len()
                        )
                    };
                    let _ = stream.write_all(answer.as_bytes()).await;
                    let _ = stream.shutdown().await;
                });
            }
        });
        EchoServer { url }
    }
}

/// The whole request as text (head and body, by Content-Length).
async fn read_request(stream: &mut tokio::net::TcpStream) -> Option<String> {
    let mut data = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 {
            break;
        }
        data.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&data);
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            if data.len() >= end + 4 + length {
                break;
            }
        }
    }
    Some(String::from_utf8_lossy(&data).into_owned())
}

/// The error page: "You sent:" and the request from shortly before the
/// first marker.
fn page(request: &str, markers: &[String], echo: Echo) -> String {
    let at = markers
        .iter()
        .filter_map(|m| request.find(m.as_str()))
        .min()
        .unwrap_or(0);
    let mut from = at.saturating_sub(20);
    while !request.is_char_boundary(from) {
        from -= 1;
    }
    let reflected = &request[from..];
    let shown = match echo {
        Echo::Raw => reflected.to_owned(),
        Echo::Html => reflected
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;"),
        // The excerpt keeps 200 characters: the secret starts 8 before.
        Echo::Cut => format!("{}{}", "x".repeat(192 - 20 - "You sent: ".len()), reflected),
    };
    format!("You sent: {shown}")
}

/// What must not show: every secret's distinctive part, in each form a
/// client sends it.
fn needles() -> Vec<String> {
    let basic =
        |user: &str| base64::engine::general_purpose::STANDARD.encode(format!("{user}:{PASSWORD}"));
    vec![
        "EchoPw".to_owned(),
        "EchoTok".to_owned(),
        "EchoKey".to_owned(),
        basic("admin")[..12].to_owned(),
        basic("root")[..12].to_owned(),
    ]
}

/// The markers the server starts its echo near.
fn markers() -> Vec<String> {
    let mut m = needles();
    m.push("Basic ".to_owned());
    m.push("Bearer ".to_owned());
    m
}

fn assert_scrubbed(what: &str, echo: Echo, e: &panelkit_core::Error) {
    let shown = format!("{e}\n{e:?}");
    for needle in needles() {
        assert!(
            !shown.contains(&needle),
            "{what} ({echo:?}): {needle:?} survives:\n{shown}"
        );
    }
    assert!(
        shown.contains("You sent"),
        "{what} ({echo:?}): the echo is in the error:\n{shown}"
    );
    // (A mask at the excerpt's end may itself be cut: `<redacte…`.)
    assert!(
        shown.contains("<redacte"),
        "{what} ({echo:?}): a secret was echoed and masked:\n{shown}"
    );
}

const ECHOES: [Echo; 3] = [Echo::Raw, Echo::Html, Echo::Cut];

#[tokio::test]
async fn soap_login_echoed() {
    for echo in ECHOES {
        let server = EchoServer::start(echo, markers(), false).await;
        let client = panelkit_ispconfig::Client::builder()
            .url(format!("{}/remote/index.php", server.url))
            .credentials("admin", PASSWORD)
            .build()
            .unwrap();
        let e = client.dns_zone_get(1).await.unwrap_err();
        assert_scrubbed("SOAP login", echo, &e);
    }
}

#[tokio::test]
async fn coremanager_form_posts_echoed() {
    for echo in ECHOES {
        let server = EchoServer::start(echo, markers(), false).await;
        let session = panelkit_ispmanager::Client::builder()
            .url(format!("{}/ispmgr", server.url))
            .session("root", PASSWORD)
            .build()
            .unwrap();
        let e = session.webdomain().await.unwrap_err();
        assert_scrubbed("COREmanager session login", echo, &e);
        let authinfo = panelkit_ispmanager::Client::builder()
            .url(format!("{}/ispmgr", server.url))
            .authinfo("root", PASSWORD)
            .build()
            .unwrap();
        let e = authinfo.webdomain().await.unwrap_err();
        assert_scrubbed("COREmanager authinfo", echo, &e);
    }
}

#[tokio::test]
async fn rest_credentials_echoed() {
    for echo in ECHOES {
        // SFTPGo: an API key header; Basic auth for a JWT; then the JWT.
        let server = EchoServer::start(echo, markers(), false).await;
        let keyed = panelkit_sftpgo::Client::builder()
            .url(&server.url)
            .api_key(API_KEY)
            .build()
            .unwrap();
        let e = keyed.get_version().await.unwrap_err();
        assert_scrubbed("SFTPGo API key", echo, &e);
        let admin = panelkit_sftpgo::Client::builder()
            .url(&server.url)
            .admin("admin", PASSWORD)
            .build()
            .unwrap();
        let e = admin.get_version().await.unwrap_err();
        assert_scrubbed("SFTPGo Basic auth for a JWT", echo, &e);
        let tokens = EchoServer::start(echo, markers(), true).await;
        let admin = panelkit_sftpgo::Client::builder()
            .url(&tokens.url)
            .admin("admin", PASSWORD)
            .build()
            .unwrap();
        let e = admin.get_version().await.unwrap_err();
        assert_scrubbed("SFTPGo JWT", echo, &e);

        // IONOS: Basic auth and a token.
        let ionos = panelkit_ionos::Client::builder()
            .url(&server.url)
            .basic_auth("admin", PASSWORD)
            .build()
            .unwrap();
        let e = ionos.datacenters_get().await.unwrap_err();
        assert_scrubbed("IONOS Basic auth", echo, &e);
        let ionos = panelkit_ionos::Client::builder()
            .url(&server.url)
            .token(TOKEN)
            .build()
            .unwrap();
        let e = ionos.datacenters_get().await.unwrap_err();
        assert_scrubbed("IONOS token", echo, &e);

        // DCImanager: a JSON login; then the token it answered.
        let dci = panelkit_dcimanager::Client::builder()
            .url(&server.url)
            .credentials("admin@example.com", PASSWORD)
            .build()
            .unwrap();
        let e = dci.self_session().await.unwrap_err();
        assert_scrubbed("DCImanager login", echo, &e);
        let dci = panelkit_dcimanager::Client::builder()
            .url(&tokens.url)
            .credentials("admin@example.com", PASSWORD)
            .build()
            .unwrap();
        let e = dci.self_session().await.unwrap_err();
        assert_scrubbed("DCImanager token", echo, &e);
    }
}
