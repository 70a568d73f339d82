//! Test harness: real peers started by the tests.
//!
//! [`IspconfigPeer`] runs PHP's own `SoapServer` (`php -S` with
//! `tests/peers/ispconfig/router.php`), so wire tests see exactly the bytes a
//! panel sends. PHP with the soap extension is required: without it the tests
//! fail with the install command, they never skip.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Options for a peer instance.
#[derive(Clone, Debug)]
pub struct PeerOptions {
    /// The remote user's name.
    pub user: String,
    /// The remote user's password.
    pub password: String,
    /// Session lifetime in seconds (the panel's is 1800).
    pub session_ttl: u64,
    /// If set, the remote user may call only these functions.
    pub functions: Option<Vec<String>>,
}

impl Default for PeerOptions {
    fn default() -> Self {
        PeerOptions { user: "remote".into(), password: "s3cret-pässword".into(), session_ttl: 1800, functions: None }
    }
}

/// What the peer counted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeerStats {
    /// Calls of `login`, successful or not.
    pub login_calls: u64,
    /// Calls per method name (including `login`).
    pub calls: std::collections::BTreeMap<String, u64>,
}

/// A running PHP `SoapServer` that follows ISPConfig's remote semantics.
/// Stopped when dropped.
pub struct IspconfigPeer {
    child: Child,
    port: u16,
    state_dir: PathBuf,
    options: PeerOptions,
}

fn peer_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("peers/ispconfig")
}

/// Fails the test with the install command when PHP or its soap extension is missing.
pub fn require_php_soap() {
    let out = Command::new("php").arg("-m").output().unwrap_or_else(|e| {
        panic!("`php` is required by the ISPConfig wire tests ({e}); install it: apt-get install -y php-cli php-soap")
    });
    let modules = String::from_utf8_lossy(&out.stdout);
    assert!(
        modules.lines().any(|l| l.trim() == "soap"),
        "PHP's soap extension is required by the ISPConfig wire tests; install it: apt-get install -y php-soap"
    );
}

impl IspconfigPeer {
    /// Starts a peer with default options.
    pub fn start() -> Self {
        Self::start_with(PeerOptions::default())
    }

    /// Starts a peer and waits until it answers.
    pub fn start_with(options: PeerOptions) -> Self {
        require_php_soap();
        let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
        let state_dir = std::env::temp_dir().join(format!("panelkit-peer-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&state_dir).expect("peer state dir");
        let mut command = Command::new("php");
        command
            .args(["-S", &format!("127.0.0.1:{port}"), "router.php"])
            .current_dir(peer_dir())
            .env("PANELKIT_PEER_STATE", state_dir.join("state.json"))
            .env("PANELKIT_PEER_USER", &options.user)
            .env("PANELKIT_PEER_PASSWORD", &options.password)
            .env("PANELKIT_PEER_SESSION_TTL", options.session_ttl.to_string())
            // Several workers, as a real web server has: concurrency is real.
            .env("PHP_CLI_SERVER_WORKERS", "4")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if let Some(functions) = &options.functions {
            command.env("PANELKIT_PEER_FUNCTIONS", functions.join(","));
        }
        let child = command.spawn().expect("start php -S");
        let peer = IspconfigPeer { child, port, state_dir, options };
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "the PHP peer did not start listening on port {port} within 10 s");
            std::thread::sleep(Duration::from_millis(20));
        }
        peer
    }

    /// The SOAP endpoint, like a panel's `/remote/index.php`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/remote/index.php", self.port)
    }

    /// The remote user's name.
    pub fn user(&self) -> &str {
        &self.options.user
    }

    /// The remote user's password.
    pub fn password(&self) -> &str {
        &self.options.password
    }

    /// Counters kept by the peer.
    pub async fn stats(&self) -> PeerStats {
        let body = self.control("GET", "stats").await;
        let json: serde_json::Value = serde_json::from_str(&body).expect("stats JSON");
        PeerStats {
            login_calls: json["login_calls"].as_u64().expect("login_calls"),
            calls: json["calls"]
                .as_object()
                .expect("calls")
                .iter()
                .map(|(k, v)| (k.clone(), v.as_u64().unwrap_or_default()))
                .collect(),
        }
    }

    /// Ends every session on the peer, as expiry does on a panel.
    pub async fn expire_sessions(&self) {
        self.control("POST", "expire_sessions").await;
    }

    async fn control(&self, method: &str, action: &str) -> String {
        let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", self.port)).await.expect("connect to peer");
        let request = format!(
            "{method} /_peer/{action} HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
        stream.write_all(request.as_bytes()).await.expect("send control request");
        let mut response = String::new();
        stream.read_to_string(&mut response).await.expect("read control response");
        let (head, body) = response.split_once("\r\n\r\n").expect("HTTP response");
        assert!(head.starts_with("HTTP/1.") && head.contains(" 200 "), "control {action} failed: {head}");
        body.to_owned()
    }
}

impl Drop for IspconfigPeer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.state_dir);
    }
}
