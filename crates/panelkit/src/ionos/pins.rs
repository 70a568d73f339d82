//! The ionos helpers' upstream operations: each helper with every generated
//! operation it calls. The facts each was audited against are in
//! `crates/panelkit/pins/ionos.lock`, written by `cargo xtask pins`;
//! `cargo xtask pins --check` (and `tests/tests/overlay_pins.rs`) fail,
//! naming helper, operation, old and new, when the inventory moves under them.

/// Every helper with the upstream operations it calls, read from this source
/// by `cargo xtask pins` (string literals only).
#[allow(dead_code)] // read by cargo xtask pins, not by the library
pub(crate) const PINS: &[(&str, &[&str])] = &[
    (
        "Client::create_datacenter_and_wait",
        &["datacentersPost", "requestsStatusGet"],
    ),
    ("Client::delete_datacenter_and_wait", &["datacentersDelete"]),
    (
        "Client::delete_server_and_wait",
        &["datacentersServersDelete"],
    ),
    (
        "Client::delete_volume_and_wait",
        &["datacentersVolumesDelete"],
    ),
    ("Client::list_datacenters", &["datacentersGet"]),
    ("Client::list_servers", &["datacentersServersGet"]),
    ("Client::list_volumes", &["datacentersVolumesGet"]),
    ("Client::list_nics", &["datacentersServersNicsGet"]),
    ("Client::create_datacenter", &["datacentersPost"]),
    ("Client::create_server", &["datacentersServersPost"]),
    (
        "Client::create_server_and_wait",
        &["datacentersServersPost", "requestsStatusGet"],
    ),
    ("Client::delete_datacenter", &["datacentersDelete"]),
    ("Client::delete_server", &["datacentersServersDelete"]),
    ("Client::delete_volume", &["datacentersVolumesDelete"]),
    ("Client::datacenter", &["datacentersFindById"]),
];
