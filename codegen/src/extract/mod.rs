//! Extractors: upstream material → [`crate::model::Inventory`].
//!
//! Each frontend knows one upstream's layout and quirks, and produces facts
//! only (names, parameters, locations); the inventory never holds upstream code.

pub mod ispconfig;
pub mod openapi;
pub mod php;
