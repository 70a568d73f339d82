//! Runtime shared by every panelkit generated client.
//!
//! Small, stable and hand-written: generated crates build a request description
//! and hand it to one non-generic executor here; only the decoding of answers is
//! typed in the generated code.
//!
//! - [`Secret`]: passwords, session ids, tokens; redacted everywhere.
//! - [`Error`]: the one error model, with panel detail on top.
//! - [`http`]: the HTTP transport (rustls; system roots, a CA file, or a pinned
//!   certificate; verification off only when asked, with a warning).
//! - [`soap`]: PHP-`SoapServer`-style RPC codec (encode, decode, serde).
//! - [`ispconfig`]: the ISPConfig session runtime the generated client calls.
//! - [`openapi`]: helpers for OpenAPI-generated types (string enums, `oneOf`).
//! - [`rest`]: the REST/JSON executor the OpenAPI-generated clients call.
//! - [`sftpgo`]: SFTPGo's builder, authentication and error reading.
//! - [`coremanager`]: the COREmanager-family (ISPmanager, BILLmanager, ...)
//!   runtime: HTTP and `mgrctl` transports, auth modes, document decoding.
//! - [`dcimanager`]: DCImanager 6's builder, token auth, 503 retry, paging.
//! - [`ionos`]: IONOS Cloud builder, authentication, errors and request tracking.
//!
//! ## Features
//!
//! One feature per protocol (`soap`, `coremanager`, `rest`) and one per panel
//! (`ispconfig`, `ispmanager`, `sftpgo`, `ionos`, `dcimanager`), each panel
//! implying its protocol; `full` (the default) is all of them. A generated
//! crate asks for exactly its panel, so an SFTPGo client compiles neither the
//! SOAP codec nor quick-xml nor tokio's `process`. [`Error`], [`Secret`],
//! [`http`] and [`redact`] are always there: the error model stays one type
//! whatever is enabled (see [`error`]).
//!
//! Everything here is `async` on [tokio](https://tokio.rs), any flavour (the
//! multi-threaded runtime or `current_thread`); no runtime is started here.
//! Programs start one, usually with `#[tokio::main]` (tokio's `macros` and
//! `rt-multi-thread` features); see the `panelkit` crate's quick start.

#![warn(missing_docs)]

#[cfg(feature = "coremanager")]
pub mod coremanager;
#[cfg(feature = "dcimanager")]
pub mod dcimanager;
pub mod error;
pub mod http;
#[cfg(feature = "ionos")]
pub mod ionos;
#[cfg(feature = "ispconfig")]
pub mod ispconfig;
#[cfg(feature = "rest")]
pub mod openapi;
pub mod redact;
#[cfg(feature = "rest")]
pub mod rest;
pub mod secret;
#[cfg(feature = "sftpgo")]
pub mod sftpgo;
#[cfg(feature = "soap")]
pub mod soap;

pub use error::{Error, Result};

/// What the macros of generated code reach for; not a public API.
#[doc(hidden)]
pub mod __private {
    pub use serde;
}
pub use secret::Secret;
