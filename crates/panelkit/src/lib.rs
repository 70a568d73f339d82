//! The hand-audited layer above panelkit's generated panel clients.
//!
//! The generated crates (`panelkit-<panel>`) expose every upstream method as
//! the panel defines it, footguns included. This crate adds, per panel, a small
//! set of helpers for the tasks people do most, each of which fixes the
//! panel's known traps (records written without their type, updates that reset
//! settings, owners silently changed, prefix matches where an exact match was
//! meant, ...) and is pinned to the upstream signature it was audited against
//! (see each panel's `pins` module): a panel upgrade that changes a wrapped
//! method fails a test instead of silently breaking a fix.
//!
//! One cargo feature and one module per panel:
//! - `ispconfig` (default): [`ispconfig`], ISPConfig 3 over SOAP.
//! - `ispmanager`: `ispmanager`, ISPmanager 6 (COREmanager family).
//! - `sftpgo`: `sftpgo`, the SFTPGo REST API.
//! - `ionos`: `ionos`, the IONOS Cloud API v6.
//! - `dcimanager`: `dcimanager`, DCImanager 6.

#![warn(missing_docs)]

pub use panelkit_core::{Error, Result, Secret};

pub mod fleet;

#[cfg(feature = "ispconfig")]
pub mod ispconfig;

#[cfg(feature = "ispmanager")]
pub mod ispmanager;

pub mod paging;
pub mod pins;

#[cfg(feature = "sftpgo")]
pub mod sftpgo;

#[cfg(feature = "ionos")]
pub mod ionos;

#[cfg(feature = "dcimanager")]
pub mod dcimanager;
