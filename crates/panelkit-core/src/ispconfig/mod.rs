//! Runtime for ISPConfig 3's remote API (`/remote/index.php`, PHP `SoapServer`).
//!
//! The generated `panelkit-ispconfig` crate wraps a [`Session`]: every generated
//! method is one line that calls [`Session::call`] with its upstream name and
//! positional arguments; the session id is supplied here, never by the caller.
//!
//! - [`ClientBuilder`]: URL, remote-user credentials, TLS, timeouts, limits.
//! - [`Session`]: lazy login, single-flight re-login, proactive refresh, logout.
//! - [`faults`]: the panel's fault codes mapped onto [`crate::Error`].
//! - [`fields`]: lenient decoding / strict encoding of the typed records
//!   generated from the panel's form definitions.

mod builder;
pub mod faults;
pub mod fields;
mod gate;
mod session;

pub use builder::{ClientBuilder, CONFIRM_WINDOW, MAX_IN_FLIGHT};
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
