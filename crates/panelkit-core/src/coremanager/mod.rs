//! Runtime for the COREmanager family: ISPmanager (`ispmgr`), BILLmanager
//! (`billmgr`), VMmanager, DNSmanager (`dnsmgr`), IPmanager (`ipmgr`).
//!
//! Every function is `func=NAME` with named parameters; answers are documents
//! (lists, forms, ok, errors). The generated `panelkit-ispmanager` crate
//! builds a [`Request`] per function and hands it to [`Client::execute`], the
//! one executor.
//!
//! - [`transport`]: HTTPS (`POST`, form body) or the local `mgrctl`, behind
//!   one [`Transport`] trait.
//! - [`auth`]: session (`func=auth`, single-flight re-login), `authinfo`, or a
//!   one-time key.
//! - [`document`]: `out=json` / `out=xml` → [`Document`].
//! - [`errors`]: the panel's error types → [`crate::Error`].
//! - [`request`]: [`Request`], including [`Request::from_log_line`].

pub mod auth;
mod client;
pub mod document;
pub mod errors;
pub mod request;
pub mod transport;

pub use auth::Auth;
pub use client::{decode_reply, secret_value, Client, ClientBuilder, SESSION_IDLE};
pub use document::{Document, Expect, Field, Form, Format, Outcome, Row};
pub use request::{ParamValue, Request};
pub use transport::{HttpEndpoint, Mgrctl, Transport};
