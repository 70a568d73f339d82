//! [`PrismPeer`]: Stoplight Prism serving an upstream OpenAPI spec as a
//! validating mock server. Every request is checked against the spec; one
//! that does not conform is answered 400 (SFTPGo's spec has no 422) or 401
//! (no credentials) and its violations are written to Prism's log and the
//! `sl-violations` header.
//!
//! Prism is installed by `cargo xtask test` into `tests/peers/prism/`
//! (pinned with a lock file). Without it the tests fail with the install
//! command; they never skip.
//!
//! Each peer gets a free port on 127.0.0.1 and its own process group, so
//! dropping it stops Prism (node) and anything it started.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The Prism version the tests are written against.
pub const PRISM_VERSION: &str = "5.14.2";

/// How long Prism may take to load a spec and listen (it takes about 2 s on
/// an idle machine; the tests share two cores with much else).
const START_TIMEOUT: Duration = Duration::from_secs(90);

/// The workspace root of the checkout the tests run in (found at run time,
/// see [`codegen::regen::workspace_root`]).
pub fn workspace_root() -> PathBuf {
    codegen::regen::workspace_root()
}

/// The upstream file `inventory` (relative to the workspace root) was
/// extracted from, through the resolver (`PANELKIT_UPSTREAM_DIR`, else the
/// per-user cache, else a download checked against the recorded sha256);
/// fails the test with the resolver's message when it cannot be had.
pub fn upstream_spec(inventory: &str) -> PathBuf {
    upstream::path_for(&workspace_root(), inventory)
}

/// SFTPGo's spec (main).
pub fn sftpgo_spec() -> PathBuf {
    upstream_spec("inventories/sftpgo/inventory.json")
}

fn prism_dir() -> PathBuf {
    workspace_root().join("tests/peers/prism")
}

/// How to install Prism, for failure messages.
pub fn install_command() -> String {
    format!(
        "Prism {PRISM_VERSION} is not installed: run `cargo xtask test`, or `npm ci --prefix {}` (Node.js >= 18.20 and npm: apt-get install -y nodejs npm)",
        prism_dir().display()
    )
}

/// The installed Prism executable; fails the test with the install command
/// if it is missing or another version.
pub fn prism_bin() -> PathBuf {
    let bin = prism_dir().join("node_modules/.bin/prism");
    let version = Command::new(&bin)
        .arg("--version")
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned());
    match version {
        Some(v) if v == PRISM_VERSION => bin,
        Some(v) => panic!(
            "Prism {v} found, {PRISM_VERSION} expected; {}",
            install_command()
        ),
        None => panic!("{}", install_command()),
    }
}

/// A running `prism mock` on 127.0.0.1.
pub struct PrismPeer {
    child: Child,
    port: u16,
    log: PathBuf,
    started_in: Duration,
}

impl PrismPeer {
    /// Starts Prism serving `spec` and waits until it listens.
    pub fn start(spec: &Path) -> Self {
        let bin = prism_bin();
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let log =
            std::env::temp_dir().join(format!("panelkit-prism-{}-{port}.log", std::process::id()));
        let log_file = std::fs::File::create(&log).expect("Prism log file");
        let mut command = Command::new(bin);
        command
            .arg("mock")
            .arg(spec)
            .args(["-h", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().expect("log handle"))
            .stderr(log_file);
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            command.process_group(0);
            // SAFETY: prctl(2) in the child before exec, async-signal-safe:
            // Prism dies with the thread that started it, even if the test
            // process is killed before Drop runs.
            unsafe {
                command.pre_exec(|| {
                    libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                    Ok(())
                });
            }
        }
        let started = Instant::now();
        let child = command
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start Prism ({e}); {}", install_command()));
        let mut peer = PrismPeer {
            child,
            port,
            log,
            started_in: Duration::ZERO,
        };
        loop {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            if let Ok(Some(status)) = peer.child.try_wait() {
                panic!(
                    "Prism exited ({status}) before listening; its log:\n{}",
                    peer.log()
                );
            }
            if started.elapsed() > START_TIMEOUT {
                panic!(
                    "Prism did not listen within {START_TIMEOUT:?}; its log:\n{}",
                    peer.log()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        peer.started_in = started.elapsed();
        peer
    }

    /// Starts Prism serving SFTPGo's spec.
    pub fn sftpgo() -> Self {
        Self::start(&sftpgo_spec())
    }

    /// The mock's base URL (`http://127.0.0.1:PORT`). Prism serves the
    /// spec's routes without a relative server prefix such as `/api/v2`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// How long Prism took to listen.
    pub fn started_in(&self) -> Duration {
        self.started_in
    }

    /// Prism's output so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The violations of our requests Prism logged (one line each). Prism
    /// also logs where its own generated answers miss the spec
    /// (`Violation: response...`, e.g. example strings that are not
    /// base64 for `format: byte`): those are not ours and not listed here.
    pub fn violations(&self) -> Vec<String> {
        self.log()
            .lines()
            .filter(|l| l.contains("Violation:") && !l.contains("Violation: response"))
            .map(|l| l.trim().to_owned())
            .collect()
    }
}

impl Drop for PrismPeer {
    fn drop(&mut self) {
        #[cfg(unix)]
        if let Ok(pgid) = libc::pid_t::try_from(self.child.id()) {
            // SAFETY: kill(2) with a negative pid signals that process group;
            // the group was created for this peer and holds nothing else.
            unsafe { libc::kill(-pgid, libc::SIGKILL) };
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}
