//! Test harness: real peers started by the tests.
//!
//! [`IspconfigPeer`] runs PHP's own `SoapServer` (`php -S` with
//! `tests/peers/ispconfig/router.php`), so wire tests see exactly the bytes a
//! panel sends. PHP with the soap extension is required: without it the tests
//! fail with the install command, they never skip.
//!
//! Each peer gets a free port on 127.0.0.1, its own state directory under the
//! system temp dir (the JSON "database", PHP's log) and its own process group,
//! so dropping the peer stops the server and all its workers and removes the
//! directory.
//!
//! [`prism::PrismPeer`] runs Stoplight Prism serving an upstream OpenAPI spec.

pub mod prism;

/// Every Rust code block of the README, compiled (and `no_run` blocks
/// type-checked) as a doc test: the README is what users copy.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

pub mod dcimanager;
pub mod ionos;
pub mod logs;

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// How to install what the peer needs, for failure messages.
const INSTALL: &str = "install PHP's CLI and soap extension: apt-get install -y php-cli php-soap";

/// How long a peer may take to answer its first request.
const START_TIMEOUT: Duration = Duration::from_secs(10);

/// Options for a peer instance.
#[derive(Clone, Debug)]
pub struct PeerOptions {
    /// The remote user's name.
    pub user: String,
    /// The remote user's password.
    pub password: String,
    /// Session lifetime from login (the panel's is 1800 s); sub-second values
    /// are honoured.
    pub session_ttl: Duration,
    /// If set, the remote user may call only these functions (the panel's
    /// "Remote Access" checkboxes); otherwise every function.
    pub functions: Option<Vec<String>>,
    /// PHP built-in server workers: more than one makes concurrency real.
    pub workers: u32,
    /// Whether calls with a dead session count towards the IP lock-out, as
    /// they do on a panel (default). Turn off only to test re-login logic
    /// apart from that hazard.
    pub session_failures_lock: bool,
    /// The ISPConfig release whose method list `get_function_list` answers
    /// (a kept inventory under `inventories/ispconfig/versions/`); the
    /// current inventory's when `None`.
    pub version: Option<String>,
    /// The endpoint [`IspconfigPeer::url`] names: `remote/index.php` (SOAP)
    /// or `remote/json.php` (JSON). The peer serves both either way.
    pub wire: Wire,
}

/// One of the panel's two remote endpoints.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Wire {
    /// `remote/index.php`, PHP's `SoapServer`.
    #[default]
    Soap,
    /// `remote/json.php`, the panel's JSON handler.
    Json,
}

impl Default for PeerOptions {
    fn default() -> Self {
        PeerOptions {
            user: "remote".into(),
            password: "s3cret-pässword".into(),
            session_ttl: Duration::from_secs(1800),
            functions: None,
            workers: 4,
            session_failures_lock: true,
            version: None,
            wire: Wire::Soap,
        }
    }
}

/// What the peer counted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PeerStats {
    /// Calls of `login`, successful or not.
    pub login_calls: u64,
    /// Calls per method name (including `login`); methods never called are absent.
    pub calls: BTreeMap<String, u64>,
    /// Calls refused with `session_does_not_exist`.
    pub session_failures: u64,
    /// The lock-out counter of our IP (failed logins and failed session
    /// lookups in the last 5 minutes; 10 locks the IP out).
    pub failed_attempts: u64,
    /// Every failure the lock-out counter ever counted: a successful login
    /// clears the counter, not this total.
    pub counted: u64,
    /// Calls and logins refused because of the lock-out
    /// (`login_failure_limit`, `session_failure_limit`).
    pub refused: u64,
    /// Sessions that are still valid.
    pub live_sessions: u64,
    /// The most remote calls the peer had between arrival and answer at
    /// once, across its processes (since start or the last reset).
    pub max_in_flight: u64,
}

impl PeerStats {
    /// How often `method` was called.
    pub fn calls_of(&self, method: &str) -> u64 {
        self.calls.get(method).copied().unwrap_or(0)
    }
}

/// A running PHP `SoapServer` that follows ISPConfig's remote semantics.
/// Stopped (with all its worker processes) when dropped.
pub struct IspconfigPeer {
    child: Child,
    port: u16,
    state_dir: PathBuf,
    options: PeerOptions,
}

impl std::fmt::Debug for IspconfigPeer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IspconfigPeer")
            .field("url", &self.url())
            .field("state_dir", &self.state_dir)
            .finish()
    }
}

/// An [`IspconfigPeer`] whose [`IspconfigPeer::url`] is the JSON endpoint.
/// Test files that run on both wires include their tests twice, once with
/// `use panelkit_tests::IspconfigPeer` and once with
/// `use panelkit_tests::JsonPeer as IspconfigPeer`: the same tests, the
/// other transport.
#[derive(Debug)]
pub struct JsonPeer(IspconfigPeer);

impl JsonPeer {
    /// Starts a peer with default options, on the JSON wire.
    pub fn start() -> Self {
        Self::start_with(PeerOptions::default())
    }

    /// Starts a peer with `options`, on the JSON wire.
    pub fn start_with(options: PeerOptions) -> Self {
        JsonPeer(IspconfigPeer::start_with(PeerOptions {
            wire: Wire::Json,
            ..options
        }))
    }
}

impl std::ops::Deref for JsonPeer {
    type Target = IspconfigPeer;
    fn deref(&self) -> &IspconfigPeer {
        &self.0
    }
}

/// The generated method table with the peer's test-only
/// `peer_echo(session_id, value)` added, for JSON clients that call it
/// (the JSON transport sends parameters by name, so it must know them).
pub fn peer_remote_methods() -> &'static [panelkit_core::ispconfig::RemoteMethod] {
    use panelkit_core::ispconfig::{RemoteMethod, RemoteParam};
    static TABLE: std::sync::OnceLock<Vec<RemoteMethod>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table: Vec<RemoteMethod> = panelkit_ispconfig::remote_methods::REMOTE_METHODS
            .iter()
            .map(|m| RemoteMethod {
                name: m.name,
                params: m.params,
                faults: m.faults,
            })
            .collect();
        table.push(RemoteMethod {
            name: "peer_echo",
            params: &[
                RemoteParam {
                    name: "session_id",
                    default: None,
                },
                RemoteParam {
                    name: "value",
                    default: None,
                },
            ],
            faults: &[],
        });
        table.sort_by(|a, b| a.name.cmp(b.name));
        table
    })
}

/// The directory of the PHP peer.
pub fn peer_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("peers/ispconfig")
}

/// Fails the test, naming what to install, unless `php` runs, is PHP 8 or
/// newer (the peer relies on PHP 8 semantics, as a current panel does) and has
/// the soap extension.
pub fn require_php_soap() {
    let out = Command::new("php")
        .args([
            "-r",
            "echo PHP_MAJOR_VERSION, ' ', extension_loaded('soap') ? 'soap' : 'nosoap';",
        ])
        .output()
        .unwrap_or_else(|e| panic!("the ISPConfig wire tests need `php` ({e}); {INSTALL}"));
    let answer = String::from_utf8_lossy(&out.stdout);
    let (major, soap) = answer.trim().split_once(' ').unwrap_or_else(|| {
        panic!(
            "`php -r` did not run ({}): {}; {INSTALL}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        )
    });
    let major: u32 = major.parse().unwrap_or(0);
    assert!(
        major >= 8,
        "the ISPConfig wire tests need PHP 8 or newer, found PHP {major}; {INSTALL}"
    );
    assert!(
        soap == "soap",
        "the ISPConfig wire tests need PHP's soap extension (not loaded); {INSTALL}"
    );
}

/// A directory name no other peer (in this or another test process) uses.
fn unique_state_dir(port: u16) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    std::env::temp_dir().join(format!(
        "panelkit-ispconfig-peer-{}-{n}-{port}-{nanos}",
        std::process::id()
    ))
}

impl IspconfigPeer {
    /// Starts a peer with default options.
    pub fn start() -> Self {
        Self::start_with(PeerOptions::default())
    }

    /// Starts a peer and waits (at most 10 s) until it answers.
    pub fn start_with(options: PeerOptions) -> Self {
        require_php_soap();
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port on 127.0.0.1")
            .port();
        let state_dir = unique_state_dir(port);
        std::fs::create_dir_all(&state_dir).expect("create the peer's state directory");
        let log =
            std::fs::File::create(state_dir.join("php.log")).expect("create the peer's log file");
        let mut command = Command::new("php");
        command
            .args(["-S", &format!("127.0.0.1:{port}"), "router.php"])
            .current_dir(peer_dir())
            .env("PANELKIT_PEER_STATE", state_dir.join("state.json"))
            .env("PANELKIT_PEER_USER", &options.user)
            .env("PANELKIT_PEER_PASSWORD", &options.password)
            .env(
                "PANELKIT_PEER_SESSION_TTL",
                options.session_ttl.as_secs_f64().to_string(),
            )
            .env("PHP_CLI_SERVER_WORKERS", options.workers.max(1).to_string())
            .env(
                "PANELKIT_PEER_SESSION_FAILURES_LOCK",
                if options.session_failures_lock {
                    "1"
                } else {
                    "0"
                },
            )
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("duplicate the log file handle"))
            .stderr(log);
        match &options.functions {
            Some(functions) => command.env("PANELKIT_PEER_FUNCTIONS", functions.join(",")),
            None => command.env_remove("PANELKIT_PEER_FUNCTIONS"),
        };
        match &options.version {
            Some(version) => command.env("PANELKIT_PEER_VERSION", version),
            None => command.env_remove("PANELKIT_PEER_VERSION"),
        };
        // Its own process group, so Drop can stop the workers `php -S` forks
        // (killing only the parent leaves them serving).
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let child = command
            .spawn()
            .unwrap_or_else(|e| panic!("start `php -S` ({e}); {INSTALL}"));
        let mut peer = IspconfigPeer {
            child,
            port,
            state_dir,
            options,
        };
        peer.wait_until_ready();
        peer
    }

    /// Polls the stats endpoint until the router answers, failing the test with
    /// PHP's log when the server exits or does not answer in time.
    fn wait_until_ready(&mut self) {
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "the PHP peer exited ({status}) before answering; its log:\n{}",
                    self.log()
                );
            }
            match blocking_get(self.port, "/_peer/stats") {
                Ok(response) if response.starts_with("HTTP/1.1 200") || response.starts_with("HTTP/1.0 200") => return,
                // A real answer, but an error: the router is broken.
                Ok(response) if response.starts_with("HTTP/") && !response.contains(" 400 ") => panic!(
                    "the PHP peer answered its stats endpoint with an error:\n{response}\nits log:\n{}",
                    self.log()
                ),
                // Not listening yet, or a worker not ready: try again.
                _ => {}
            }
            assert!(
                Instant::now() < deadline,
                "the PHP peer did not answer on port {} within {START_TIMEOUT:?}; its log:\n{}",
                self.port,
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The endpoint of the peer's [`Wire`]: like a panel's
    /// `/remote/index.php` (SOAP) or `/remote/json.php` (JSON).
    pub fn url(&self) -> String {
        match self.options.wire {
            Wire::Soap => self.soap_url(),
            Wire::Json => format!("http://127.0.0.1:{}/remote/json.php", self.port),
        }
    }

    /// The SOAP endpoint, whatever the wire: for tests that speak SOAP
    /// themselves.
    pub fn soap_url(&self) -> String {
        format!("http://127.0.0.1:{}/remote/index.php", self.port)
    }

    /// The endpoint the clients under test use.
    pub fn wire(&self) -> Wire {
        self.options.wire
    }

    /// The remote user's name.
    pub fn user(&self) -> &str {
        &self.options.user
    }

    /// The remote user's password.
    pub fn password(&self) -> &str {
        &self.options.password
    }

    /// The options the peer was started with.
    pub fn options(&self) -> &PeerOptions {
        &self.options
    }

    /// What PHP logged so far (notices, warnings, the built-in server's
    /// access lines): useful in assertion messages.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.state_dir.join("php.log")).unwrap_or_default()
    }

    /// Counters kept by the peer.
    pub async fn stats(&self) -> PeerStats {
        let body = self.control("GET", "stats").await;
        let json: serde_json::Value = serde_json::from_str(&body)
            .unwrap_or_else(|e| panic!("stats are not JSON ({e}): {body}"));
        let number = |key: &str| {
            json[key]
                .as_u64()
                .unwrap_or_else(|| panic!("stats lack {key}: {body}"))
        };
        PeerStats {
            login_calls: number("login_calls"),
            calls: json["calls"]
                .as_object()
                .unwrap_or_else(|| panic!("stats lack calls: {body}"))
                .iter()
                .map(|(k, v)| (k.clone(), v.as_u64().unwrap_or_default()))
                .collect(),
            session_failures: number("session_failures"),
            failed_attempts: number("failed_attempts"),
            counted: number("counted"),
            refused: number("refused"),
            live_sessions: number("live_sessions"),
            max_in_flight: number("max_in_flight"),
        }
    }

    /// Ends every session on the peer, as reaching the end of their life does
    /// on a panel; clients find out only on their next call.
    pub async fn expire_sessions(&self) {
        self.control("POST", "expire_sessions").await;
    }

    /// The parameters the last call of remote method `method` arrived with
    /// (the session id first), as the peer decoded them: what a client
    /// really sent. `Null` when it was never called.
    pub async fn received(&self, method: &str) -> serde_json::Value {
        let body = self.control("GET", &format!("received/{method}")).await;
        serde_json::from_str(&body)
            .unwrap_or_else(|e| panic!("received/{method} is not JSON ({e}): {body}"))
    }

    /// The rows of peer table `name` (`client`, `sys_user`, `web_domain`,
    /// ...) by primary key, as stored: what a call really wrote.
    pub async fn table(&self, name: &str) -> serde_json::Map<String, serde_json::Value> {
        let body = self.control("GET", &format!("table/{name}")).await;
        match serde_json::from_str(&body) {
            Ok(serde_json::Value::Object(rows)) => rows,
            other => panic!("table {name} is not a JSON object ({other:?}): {body}"),
        }
    }

    /// Changes a panel login's password the way the GUI does: only
    /// `sys_user.passwort` (to the peer's hash of `password`).
    pub async fn gui_password_change(&self, username: &str, password: &str) {
        self.control("POST", &format!("gui_password/{username}/{password}"))
            .await;
    }

    /// Back to the seed data, with all counters, sessions and lock-outs cleared.
    pub async fn reset(&self) {
        self.control("POST", "reset").await;
    }

    /// One plain HTTP/1.0 request to a control endpoint; the body of its 200 answer.
    async fn control(&self, method: &str, action: &str) -> String {
        let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", self.port))
            .await
            .expect("connect to the PHP peer");
        let request = format!(
            "{method} /_peer/{action} HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
        stream
            .write_all(request.as_bytes())
            .await
            .expect("send a control request to the PHP peer");
        let mut response = String::new();
        stream
            .read_to_string(&mut response)
            .await
            .expect("read the PHP peer's control answer");
        let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
        assert!(
            head.starts_with("HTTP/1.1 200") || head.starts_with("HTTP/1.0 200"),
            "control request {method} /_peer/{action} failed:\n{response}"
        );
        body.to_owned()
    }
}

/// A blocking GET used while waiting for the server to come up.
fn blocking_get(port: u16, path: &str) -> std::io::Result<String> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(2)))?;
    let request = format!("GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes())?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    Ok(response)
}

impl Drop for IspconfigPeer {
    fn drop(&mut self) {
        // The whole process group: the server and the workers it forked.
        #[cfg(unix)]
        if let Ok(pgid) = libc::pid_t::try_from(self.child.id()) {
            // SAFETY: kill(2) with a negative pid signals that process group;
            // the group is the one spawned for this peer and nothing else.
            unsafe { libc::kill(-pgid, libc::SIGKILL) };
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.state_dir);
    }
}

pub mod coremanager;
