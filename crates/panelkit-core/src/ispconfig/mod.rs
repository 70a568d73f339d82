//! Runtime for ISPConfig 3's remote API (`/remote/index.php`, PHP `SoapServer`).
//!
//! The generated `panelkit-ispconfig` crate wraps a [`Session`]: every generated
//! method is one line that calls [`Session::call`] with its upstream name and
//! positional arguments; the session id is supplied here, never by the caller.
//!
//! - [`ClientBuilder`]: URL, remote-user credentials, TLS, timeouts, limits.
//! - [`Session`]: lazy login, single-flight re-login, proactive refresh, logout.
//! - [`faults`]: the panel's fault codes mapped onto [`crate::Error`].

mod builder;
pub mod faults;
mod session;

pub use builder::ClientBuilder;
pub use session::Session;
