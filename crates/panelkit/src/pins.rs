//! The audit pin type the REST panels' `pins` modules list (the same shape
//! as ISPConfig's): a helper, one generated operation it wraps, and the
//! upstream signature it was audited against, checked by
//! `tests/tests/overlay_rest_pins.rs` with `codegen::pins`.

/// One helper's audit of one generated operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pin {
    /// The helper (`Users::create`).
    pub helper: &'static str,
    /// The upstream operation it calls (`add_user`, `datacentersPost`).
    pub method: &'static str,
    /// The signature it was audited against (`codegen::pins::signature`):
    /// request line, parameters with their location, body and 2xx answer.
    pub signature: &'static str,
    /// `codegen::pins::hash` of that signature's facts.
    pub hash: &'static str,
}

/// Shorthand for a [`Pin`] in a `const` table.
#[cfg_attr(
    not(any(feature = "sftpgo", feature = "ionos", feature = "dcimanager")),
    allow(dead_code)
)]
pub(crate) const fn pin(
    helper: &'static str,
    method: &'static str,
    signature: &'static str,
    hash: &'static str,
) -> Pin {
    Pin {
        helper,
        method,
        signature,
        hash,
    }
}
