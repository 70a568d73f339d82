//! The ionos helpers' upstream operations: each helper with every generated
//! operation it calls. The facts each was audited against are in
//! `crates/panelkit/pins/ionos.lock`, written by `cargo xtask pins`;
//! `cargo xtask pins --check` (and `tests/tests/overlay_pins.rs`) fail,
//! naming helper, operation, old and new, when the inventory moves under them.

/// Every helper with the upstream operations it calls, read from this source
/// by `cargo xtask pins` (string literals only).
#[allow(dead_code)] // read by cargo xtask pins, not by the library
pub(crate) const PINS: &[(&str, &[&str])] = &[
    ("Datacenters::all", &["datacentersGet"]),
    ("Datacenters::get", &["datacentersFindById"]),
    ("Datacenters::create", &["datacentersPost"]),
    (
        "Datacenters::create_and_wait",
        &["datacentersPost", "requestsStatusGet"],
    ),
    ("Datacenters::delete", &["datacentersDelete"]),
    (
        "Datacenters::delete_and_wait",
        &["datacentersDelete", "requestsStatusGet"],
    ),
    ("Servers::all", &["datacentersServersGet"]),
    ("Servers::get", &["datacentersServersFindById"]),
    ("Servers::create", &["datacentersServersPost"]),
    (
        "Servers::create_and_wait",
        &["datacentersServersPost", "requestsStatusGet"],
    ),
    ("Servers::delete", &["datacentersServersDelete"]),
    (
        "Servers::delete_and_wait",
        &["datacentersServersDelete", "requestsStatusGet"],
    ),
    ("Volumes::all", &["datacentersVolumesGet"]),
    ("Volumes::get", &["datacentersVolumesFindById"]),
    ("Volumes::delete", &["datacentersVolumesDelete"]),
    (
        "Volumes::delete_and_wait",
        &["datacentersVolumesDelete", "requestsStatusGet"],
    ),
    ("Nics::all", &["datacentersServersNicsGet"]),
    ("Nics::get", &["datacentersServersNicsFindById"]),
];
