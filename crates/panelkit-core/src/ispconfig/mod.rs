//! Runtime for ISPConfig 3's remote API: SOAP at `/remote/index.php` (PHP
//! `SoapServer`) or JSON at `/remote/json.php`.
//!
//! The generated `panelkit-ispconfig` crate wraps a [`Session`]: every generated
//! method is one line that calls [`Session::call`] with its upstream name and
//! positional arguments; the session id is supplied here, never by the caller.
//!
//! - [`ClientBuilder`]: URL, remote-user credentials, TLS, timeouts, limits,
//!   the confirmation window and the bound on calls in flight.
//! - [`Session`]: lazy login, single-flight re-login, proactive refresh,
//!   logout, and the admission of calls described below.
//! - [`faults`]: the panel's fault codes mapped onto [`crate::Error`].
//! - [`fields`]: lenient decoding / strict encoding of the typed records
//!   generated from the panel's form definitions.
//!
//! # Bursts, dead sessions and the IP lockout
//!
//! ISPConfig counts, per client IP, failed logins **and calls made with an
//! unknown or expired session id** (`attempts_login`). At 10 within 5 minutes
//! it refuses every login (`login_failure_limit`) and every call on any open
//! session (`session_failure_limit`) from that IP — for every tool on it —
//! until 5 minutes after the last counted one; a successful login clears the
//! count. Sessions die early for reasons a client cannot see (a panel
//! restart, cleanup, a logout elsewhere), so refreshing before the 1800 s
//! lifetime is not enough: every call already on the wire with the dead id is
//! counted. Measured on the genuine 3.2.12p1 with one client whose session was
//! deleted on the panel, then N calls at once through its clones (single-flight
//! re-login alone, before this gate):
//!
//! | scenario | outcome |
//! |---|---|
//! | live session, 100 concurrent | all ok |
//! | dead session, 5 or 9 concurrent | all ok, one re-login clears the count |
//! | dead session, 10, 20 or 100 concurrent (or expired) | **all fail, IP locked out** for 5 minutes |
//! | dead session, 20 sequential; or one call awaited, then 99 | all ok, one counted |
//!
//! So the client ([`Session::call`]):
//!
//! 1. **Confirms before it trusts.** A session is *confirmed* right after its
//!    login and for [`CONFIRM_WINDOW`] (5 s, [`ClientBuilder::confirm_window`])
//!    after any call the panel answered past its session check. While it is
//!    not, exactly one call goes out; the others wait. If it succeeds they all
//!    go; if the panel says the session is gone, the one re-login runs and
//!    they go on the new session. A dead session found this way costs one
//!    counted failure, however many calls were waiting.
//! 2. **Bounds the calls in flight** to [`MAX_IN_FLIGHT`] (8,
//!    [`ClientBuilder::max_in_flight`]), shared by all clones. A session that
//!    dies while confirmed can only have that many calls carrying its id —
//!    fewer than 10, so the re-login still gets in. (Dead calls the panel
//!    handles after that login are counted after the count was cleared and
//!    stay on it for 5 minutes.)
//! 3. **Fails fast once locked out.** On `login_failure_limit` or
//!    `session_failure_limit` every call fails with [`crate::Error::RateLimited`]
//!    (the panel's code in `code`, `retry_after` set) *without being sent*,
//!    for 5 minutes (plus 5 s) from the refusal: the panel's counter is not
//!    visible, and the last counted failure came before the refusal, so that
//!    is the latest the lockout can end. [`Session::reset_lockout`] (an
//!    operator cleared `attempts_login`) or a new client sends sooner; a
//!    successful answer also ends it.
//!
//! # Two transports
//!
//! SOAP (`remote/index.php`) and JSON (`remote/json.php`, see [`json`]) reach
//! the same methods with the same sessions and the same lockout; only the
//! encoding of a call and the reading of its answer differ. The gate and the
//! login logic know nothing of the wire, so both transports are governed
//! alike, and a JSON fault is classified into the same [`crate::Error`] as
//! its SOAP twin.

mod builder;
pub mod faults;
pub mod fields;
mod gate;
pub mod json;
mod session;

pub use builder::{ClientBuilder, Transport, CONFIRM_WINDOW, MAX_IN_FLIGHT};
pub use json::{MessagePiece, RemoteFault, RemoteMethod, RemoteParam};
pub use session::Session;

use crate::soap::Value;

/// An optional positional argument: the caller's value, and how to make the
/// default the upstream declares.
pub type OptionalArg = (Option<Value>, fn() -> Value);

/// Positional arguments with PHP defaults, as generated methods pass them:
/// trailing `None`s are left out (so PHP applies its own default); a `None`
/// before a given argument is sent as the upstream's declared default.
pub fn positional<const N: usize>(mut args: Vec<Value>, optional: [OptionalArg; N]) -> Vec<Value> {
    let given = optional
        .iter()
        .rposition(|(v, _)| v.is_some())
        .map_or(0, |i| i + 1);
    for (value, default) in optional.into_iter().take(given) {
        args.push(value.unwrap_or_else(default));
    }
    args
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positional_trims_trailing_defaults_and_fills_gaps() {
        let none = || Value::Null;
        let empty = || Value::String(String::new());
        assert_eq!(
            positional(vec![Value::Int(1)], [(None, none), (None, empty)]),
            [Value::Int(1)]
        );
        assert_eq!(
            positional(vec![], [(None, none), (Some(Value::from("web")), empty)]),
            [Value::Null, Value::from("web")]
        );
        assert_eq!(
            positional(vec![], [(Some(Value::Int(2)), none), (None, empty)]),
            [Value::Int(2)]
        );
    }
}
