//! How the client proves who it is, and the session it keeps.
//!
//! - [`Auth::Session`]: `func=auth` with user and password gives a session id,
//!   sent as `auth=<id>`; the panel drops it after an idle hour, and then the
//!   client logs in again, once, for all concurrent callers (single flight),
//!   and replays the call once. A session idle for nearly that long is
//!   replaced before it is used, saving the refused round trip. A rejected
//!   password is never retried.
//! - [`Auth::Authinfo`]: `authinfo=user:pass` on every call, no session.
//! - [`Auth::Key`]: a one-time key: `func=session.newkey` as an administrator
//!   makes it, `func=auth&username=&key=` spends it for a session. With
//!   administrator credentials a fresh key is minted whenever the session must
//!   be replaced.

use std::sync::atomic::{AtomicU64, Ordering};

use tokio::sync::Mutex;

use crate::{Error, Secret};

/// Credentials and the authentication method.
#[derive(Clone, Debug)]
pub enum Auth {
    /// No credentials: the transport authenticates itself (`mgrctl`).
    None,
    /// Session login with a panel user's password.
    Session {
        /// Panel user.
        user: String,
        /// Their password.
        password: Secret,
    },
    /// `authinfo=user:password` on every call.
    Authinfo {
        /// Panel user.
        user: String,
        /// Their password.
        password: Secret,
    },
    /// One-time key login for `username`.
    Key {
        /// The user to log in as.
        username: String,
        /// A key already registered with `session.newkey`, used for the first login.
        key: Option<Secret>,
        /// Administrator credentials (sent as `authinfo`) to register new keys.
        admin: Option<(String, Secret)>,
    },
}

impl Auth {
    /// Whether this method keeps a session.
    pub fn uses_session(&self) -> bool {
        matches!(self, Auth::Session { .. } | Auth::Key { .. })
    }

    /// `user:password` for `authinfo`.
    pub(crate) fn authinfo(user: &str, password: &Secret) -> Secret {
        Secret::new(format!("{user}:{}", password.expose()))
    }
}

/// The current session and what the last login attempt did; shared by clones.
#[derive(Debug, Default)]
pub(crate) struct SessionState {
    pub(crate) state: Mutex<State>,
    /// Login attempts finished; read without the lock so a waiting caller can
    /// tell whether an attempt ended (and failed) while it waited.
    pub(crate) completed: AtomicU64,
    /// When the session was last used (the panel drops it after an idle
    /// period); a plain lock, so finishing a call never waits for a login.
    pub(crate) last_used: std::sync::Mutex<Option<std::time::Instant>>,
}

#[derive(Debug, Default)]
pub(crate) struct State {
    pub(crate) current: Option<(Secret, u64)>,
    /// Increases with every successful login.
    pub(crate) generation: u64,
    /// The last attempt's failure, shared with the callers queued behind it.
    pub(crate) failure: Option<Failure>,
    /// The caller-given one-time key has been spent.
    pub(crate) key_spent: bool,
}

#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) completed: u64,
    pub(crate) replacing: u64,
    pub(crate) error: Error,
}

impl SessionState {
    pub(crate) fn attempts(&self) -> u64 {
        self.completed.load(Ordering::SeqCst)
    }

    pub(crate) fn finish_attempt(&self) -> u64 {
        self.completed.fetch_add(1, Ordering::SeqCst) + 1
    }

    /// Notes that the session was just used (or made).
    pub(crate) fn touch(&self) {
        if let Ok(mut last) = self.last_used.lock() {
            *last = Some(std::time::Instant::now());
        }
    }

    /// How long the session has been idle, if it was ever used.
    pub(crate) fn idle_for(&self) -> Option<std::time::Duration> {
        self.last_used
            .lock()
            .ok()
            .and_then(|last| last.map(|at| at.elapsed()))
    }
}

/// A fresh one-time key: 24 random bytes from the system, as hex.
pub fn random_key() -> Result<Secret, Error> {
    use std::io::Read;
    let mut bytes = [0u8; 24];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .map_err(|e| Error::config(format!("cannot read /dev/urandom for a one-time key: {e}")))?;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    Ok(Secret::new(hex))
}
