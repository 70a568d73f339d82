//! Admission of calls to one panel: how many may be on the wire, whether the
//! session is known to be alive, and whether the panel has locked this IP out.
//!
//! ISPConfig counts, per client IP, failed logins **and calls made with an
//! unknown or expired session id**; at 10 within 5 minutes it refuses every
//! login and every call from that IP for 5 minutes. A session can die on the
//! panel at any time for reasons a client cannot see (restart, cleanup, a
//! logout elsewhere), and every call already on the wire with the dead id is
//! counted. So the gate lets calls through freely only while the session is
//! *confirmed* (just logged in, or a call succeeded within the confirmation
//! window); otherwise exactly one call (the *probe*) goes out and the others
//! wait for its outcome. A bound on calls in flight caps what can be on the
//! wire when a confirmed session dies anyway.
//!
//! Nothing here knows the wire format: the SOAP session uses it, and a JSON
//! transport (`remote/json.php`, same sessions, same fault codes) can hold the
//! same gate.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use tokio::sync::{Notify, Semaphore, SemaphorePermit};

use super::faults;
use crate::{Error, Result};

/// Limits of a [`Gate`], set on the builder.
#[derive(Clone, Copy, Debug)]
pub(crate) struct GateConfig {
    /// How long after a login or a successful call the session counts as alive.
    pub confirm_window: Duration,
    /// Calls (logins included) on the wire at once, at most.
    pub max_in_flight: usize,
}

/// Shared by every clone of one client.
pub(crate) struct Gate {
    config: GateConfig,
    in_flight: Semaphore,
    state: Mutex<State>,
    /// Woken when a probe ends, the session is confirmed or a lockout is seen.
    changed: Notify,
}

#[derive(Default)]
struct State {
    /// The session is known alive until then.
    confirmed_until: Option<Instant>,
    /// A call is out to find out whether an unconfirmed session is alive.
    probing: bool,
    /// The panel refused this IP.
    lockout: Option<Lockout>,
}

/// A refusal seen from the panel (`login_failure_limit`, `session_failure_limit`).
struct Lockout {
    /// When we saw it.
    seen: Instant,
    /// Until then nothing is sent.
    until: Instant,
    /// The panel's code.
    code: String,
}

/// Leave to send one call; dropping it ends the call's turn (and a probe's
/// hold on the others).
pub(crate) struct Ticket<'g> {
    gate: &'g Gate,
    probe: bool,
    _slot: SemaphorePermit<'g>,
}

impl Gate {
    pub(crate) fn new(config: GateConfig) -> Self {
        Gate {
            config,
            in_flight: Semaphore::new(config.max_in_flight),
            state: Mutex::new(State::default()),
            changed: Notify::new(),
        }
    }

    /// Admission for a call with the session id: a slot in flight, then either
    /// straight through (session confirmed), or as the probe, or after the
    /// probe. Fails at once, sending nothing, while the IP is locked out.
    pub(crate) async fn admit(&self) -> Result<Ticket<'_>> {
        self.check_lockout()?;
        // The slot first: the confirmation must still hold when the call
        // actually goes out, not only when it started queueing.
        let slot = self.slot_permit().await?;
        loop {
            let mut changed = std::pin::pin!(self.changed.notified());
            {
                let mut state = self.lock();
                if let Some(error) = state.refusal() {
                    return Err(error);
                }
                if state.confirmed_until.is_some_and(|t| t > Instant::now()) {
                    return Ok(Ticket {
                        gate: self,
                        probe: false,
                        _slot: slot,
                    });
                }
                if !state.probing {
                    state.probing = true;
                    return Ok(Ticket {
                        gate: self,
                        probe: true,
                        _slot: slot,
                    });
                }
                // Registered before the lock is released, so a wake-up between
                // here and the await is not lost.
                changed.as_mut().enable();
            }
            changed.await;
        }
    }

    /// A slot in flight for a round trip that does not use the session
    /// (login, logout, session-less methods). `respect_lockout`: fail fast
    /// while locked out (logout does not: the panel never refuses it).
    pub(crate) async fn slot(&self, respect_lockout: bool) -> Result<SemaphorePermit<'_>> {
        if respect_lockout {
            self.check_lockout()?;
        }
        self.slot_permit().await
    }

    async fn slot_permit(&self) -> Result<SemaphorePermit<'_>> {
        // The semaphore is never closed; the error arm is for completeness.
        self.in_flight
            .acquire()
            .await
            .map_err(|_| Error::config("the client's call gate was closed"))
    }

    /// The session is alive now: after a login, or a call the panel answered
    /// past its session check. Releases waiting calls; a panel that answers
    /// is also no longer refusing this IP.
    pub(crate) fn confirm(&self) {
        {
            let mut state = self.lock();
            state.confirmed_until = Some(Instant::now() + self.config.confirm_window);
            state.lockout = None;
        }
        self.changed.notify_waiters();
    }

    /// Feeds the outcome of a call made with the session id into the gate.
    pub(crate) fn observe<T>(&self, result: &Result<T>) {
        match result {
            Ok(_) => self.confirm(),
            Err(e) if e.code().is_some_and(faults::is_session_lost) => self.unconfirm(),
            // Faults the panel raises only after it found the session.
            Err(Error::Permission { .. } | Error::NotFound { .. } | Error::Validation { .. }) => {
                self.confirm()
            }
            // A transport error, a lockout or another fault proves nothing.
            Err(_) => {}
        }
    }

    /// The session turned out dead: hold calls until a login confirms anew.
    fn unconfirm(&self) {
        self.lock().confirmed_until = None;
    }

    /// Records a lockout if `error` is the panel refusing this IP; called for
    /// every round trip, logins included.
    pub(crate) fn note_refusal(&self, error: &Error) {
        let Some(code) = error.code().filter(|c| faults::is_lockout(c)) else {
            return;
        };
        let now = Instant::now();
        {
            let mut state = self.lock();
            state.confirmed_until = None;
            state.lockout = Some(Lockout {
                seen: now,
                until: now + faults::LOCKOUT_HOLD,
                code: code.to_owned(),
            });
        }
        tracing::warn!(
            panel = "ispconfig",
            code,
            hold_s = faults::LOCKOUT_HOLD.as_secs(),
            "the panel locked this IP out; holding calls"
        );
        self.changed.notify_waiters();
    }

    /// How long calls are still held because of a lockout, if they are.
    pub(crate) fn locked_for(&self) -> Option<Duration> {
        let state = self.lock();
        let until = state.lockout.as_ref()?.until;
        until.checked_duration_since(Instant::now())
    }

    /// Forgets a lockout: the next call goes to the panel (as a probe).
    pub(crate) fn reset_lockout(&self) {
        self.lock().lockout = None;
        self.changed.notify_waiters();
    }

    fn check_lockout(&self) -> Result<()> {
        match self.lock().refusal() {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // The state stays consistent across a panic (plain assignments).
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl State {
    /// The fail-fast error while a lockout holds; forgets one that is over.
    fn refusal(&mut self) -> Option<Error> {
        let lockout = self.lockout.as_ref()?;
        let now = Instant::now();
        let Some(left) = lockout
            .until
            .checked_duration_since(now)
            .filter(|d| !d.is_zero())
        else {
            self.lockout = None;
            return None;
        };
        let ago = now.duration_since(lockout.seen).as_secs();
        Some(Error::RateLimited {
            code: Some(lockout.code.clone()),
            retry_after: Some(Duration::from_secs(left.as_secs() + 1)),
            message: format!(
                "not sent: the panel refused this IP {ago} s ago — {}",
                faults::LOCKOUT_HINT
            ),
            status: None,
        })
    }
}

impl Drop for Ticket<'_> {
    fn drop(&mut self) {
        if self.probe {
            self.gate.lock().probing = false;
            self.gate.changed.notify_waiters();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gate(window_ms: u64, max: usize) -> Gate {
        Gate::new(GateConfig {
            confirm_window: Duration::from_millis(window_ms),
            max_in_flight: max,
        })
    }

    fn lockout_error() -> Error {
        faults::classify(crate::soap::Fault {
            code: "session_failure_limit".into(),
            message: "The Session failure limit has been reached.".into(),
            detail: None,
        })
    }

    #[tokio::test]
    async fn unconfirmed_admits_one_probe_and_holds_the_rest_until_it_ends() {
        let gate = gate(60_000, 8);
        let probe = gate.admit().await.unwrap();
        assert!(probe.probe);
        let mut second = std::pin::pin!(gate.admit());
        assert!(
            futures_poll_once(second.as_mut()).is_none(),
            "held while the probe is out"
        );
        drop(probe);
        let next = second.await.unwrap();
        assert!(next.probe, "without a confirmation the next call probes");
    }

    #[tokio::test]
    async fn confirmation_releases_the_queue() {
        let gate = gate(60_000, 8);
        let probe = gate.admit().await.unwrap();
        let mut waiting = std::pin::pin!(gate.admit());
        assert!(futures_poll_once(waiting.as_mut()).is_none());
        gate.observe::<()>(&Ok(()));
        let ticket = waiting.await.unwrap();
        assert!(!ticket.probe);
        drop(probe);
        // A dead session closes the door again.
        gate.observe::<()>(&Err(Error::Auth {
            code: "session_does_not_exist".into(),
            message: String::new(),
            hint: None,
            status: None,
        }));
        assert!(gate.admit().await.unwrap().probe);
    }

    #[tokio::test]
    async fn a_zero_window_serialises_every_call() {
        let gate = gate(0, 8);
        gate.confirm();
        let first = gate.admit().await.unwrap();
        assert!(first.probe);
        let mut second = std::pin::pin!(gate.admit());
        assert!(futures_poll_once(second.as_mut()).is_none());
    }

    #[tokio::test]
    async fn in_flight_bound_holds_confirmed_calls() {
        let gate = gate(60_000, 2);
        gate.confirm();
        let a = gate.admit().await.unwrap();
        let _b = gate.admit().await.unwrap();
        let mut c = std::pin::pin!(gate.admit());
        assert!(futures_poll_once(c.as_mut()).is_none(), "third waits");
        drop(a);
        assert!(!c.await.unwrap().probe);
    }

    #[tokio::test]
    async fn a_lockout_fails_fast_and_wakes_the_waiters() {
        let gate = gate(60_000, 8);
        let probe = gate.admit().await.unwrap();
        let mut waiting = std::pin::pin!(gate.admit());
        assert!(futures_poll_once(waiting.as_mut()).is_none());
        gate.note_refusal(&lockout_error());
        let error = waiting.await.err().expect("fails fast");
        drop(probe);
        assert_eq!(error.code(), Some("session_failure_limit"));
        let wait = error.retry_after().expect("says when");
        assert!(wait <= faults::LOCKOUT_HOLD + Duration::from_secs(1));
        assert!(wait >= faults::LOCKOUT_HOLD - Duration::from_secs(5));
        let text = error.to_string();
        assert!(text.contains("not sent"), "{text}");
        assert!(text.contains("session_failure_limit"), "{text}");
        assert!(gate.slot(true).await.is_err());
        assert!(gate.slot(false).await.is_ok(), "logout still goes");
        assert!(gate.locked_for().is_some());
        gate.reset_lockout();
        assert!(gate.locked_for().is_none());
        assert!(gate.admit().await.unwrap().probe);
    }

    #[test]
    fn other_errors_are_not_lockouts() {
        let gate = gate(1000, 1);
        gate.note_refusal(&Error::Auth {
            code: "login_failed".into(),
            message: String::new(),
            hint: None,
            status: None,
        });
        assert!(gate.locked_for().is_none());
    }

    /// Polls a future once with a no-op waker: `Some` if it completed.
    fn futures_poll_once<F: std::future::Future>(
        future: std::pin::Pin<&mut F>,
    ) -> Option<F::Output> {
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        match future.poll(&mut cx) {
            std::task::Poll::Ready(v) => Some(v),
            std::task::Poll::Pending => None,
        }
    }
}
