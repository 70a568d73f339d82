//! The hand-audited layer above panelkit's generated panel clients.
//!
//! The generated crates (`panelkit-<panel>`) expose every upstream method as
//! the panel defines it, footguns included. This crate adds, per panel, a small
//! set of helpers for the tasks people do most, each of which fixes the
//! panel's known traps (records written without their type, updates that reset
//! settings, owners silently changed, prefix matches where an exact match was
//! meant, ...) and is pinned to the upstream signature it was audited against
//! (each panel's helper → method table in its `pins` module, the audited facts
//! in `crates/panelkit/pins/<panel>.lock`): a panel upgrade that changes a
//! wrapped method fails `cargo xtask pins --check` instead of silently
//! breaking a fix.
//!
//! Every panel module has the same shape: a `Client` with `builder()` (and
//! `from_env()` where the panel has conventional variables), `generated()`
//! for the whole generated client, a raw call by name or path where the
//! protocol has one (`raw_call`), helpers per area (`dns()`, `sites()`,
//! `users()`, …) and [`paging::Pages`] streams for paged listings.
//!
//! One cargo feature and one module per panel:
//! - `ispconfig` (default): [`ispconfig`], ISPConfig 3 over SOAP.
//! - `ispmanager`: `ispmanager`, ISPmanager 6 (COREmanager family).
//! - `sftpgo`: `sftpgo`, the SFTPGo REST API.
//! - `ionos`: `ionos`, the IONOS Cloud API v6.
//! - `dcimanager`: `dcimanager`, DCImanager 6.
//!
//! # Quick start
//!
//! ```toml
//! [dependencies]
//! panelkit = "0.1"                      # features: ispconfig (default), ispmanager, sftpgo, ionos, dcimanager
//! tokio = { version = "1", features = ["rt-multi-thread", "macros"] }
//! ```
//!
//! Every client is `async` and runs on [tokio](https://tokio.rs), any flavour
//! (the multi-threaded runtime or `current_thread`); panelkit starts no
//! runtime itself.
//!
//! ```no_run
//! use panelkit::ispconfig::{dns::RecordType, Client};
//!
//! #[tokio::main]
//! async fn main() -> panelkit::Result<()> {
//!     let ispc = Client::builder()
//!         .url("https://panel.example.com:8080/remote/index.php")
//!         .credentials("remote_user", "secret") // a Secret: never in Debug, logs or errors
//!         .build()?; // nothing sent yet: login is lazy
//!     let zone = ispc.dns().zone("example.com").await?; // exactly that origin
//!     let id = ispc.dns().add_record(&zone, "www", RecordType::A, "192.0.2.1").await?;
//!     println!("added record {id:?}");
//!     Ok(())
//! }
//! ```
//!
//! Errors are one model, [`Error`]: match on its class (auth, permission,
//! not found, validation, ...) or ask [`Error::is_retryable`].

#![warn(missing_docs)]

pub use panelkit_core::{Error, Result, Secret};

pub mod fleet;

#[cfg(feature = "ispconfig")]
pub mod ispconfig;

#[cfg(feature = "ispmanager")]
pub mod ispmanager;

pub mod doctor;
pub mod paging;

#[cfg(feature = "sftpgo")]
pub mod sftpgo;

#[cfg(feature = "ionos")]
pub mod ionos;

#[cfg(feature = "dcimanager")]
pub mod dcimanager;
