//! panelkit's generator as a library.
//!
//! Data flows one way: an extractor ([`extract`]) reads upstream material into an
//! [`model::Inventory`], which is committed; an emitter ([`emit`]) turns an inventory
//! into the source files of a generated crate. [`regen`] ties the committed
//! inventories to their crates and checks freshness; [`diff`] compares two
//! inventories for upgrade review; [`surface`] lists a crate's public API, one
//! line per item, for snapshot review.

#![warn(missing_docs)]

pub mod diff;
pub mod emit;
pub mod extract;
pub mod fixups;
pub mod inventories;
pub mod model;
pub mod regen;
pub mod schema_type;
pub mod surface;
