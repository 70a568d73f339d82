//! The dcimanager helpers' upstream operations: each helper with every generated
//! operation it calls. The facts each was audited against are in
//! `crates/panelkit/pins/dcimanager.lock`, written by `cargo xtask pins`;
//! `cargo xtask pins --check` (and `tests/tests/overlay_pins.rs`) fail,
//! naming helper, operation, old and new, when the inventory moves under them.

/// Every helper with the upstream operations it calls, read from this source
/// by `cargo xtask pins` (string literals only).
#[allow(dead_code)] // read by cargo xtask pins, not by the library
pub(crate) const PINS: &[(&str, &[&str])] = &[
    ("Servers::all", &["server_list"]),
    ("Servers::all_with", &["server_list"]),
    ("Servers::get", &["server_get"]),
    ("Servers::find", &["server_list"]),
    (
        "Servers::power",
        &["server_power_on", "server_power_off", "server_power_reset"],
    ),
    (
        "Servers::power_and_wait",
        &[
            "server_power_on",
            "server_power_off",
            "server_power_reset",
            "server_get",
        ],
    ),
    ("Servers::wait_for_power", &["server_get"]),
    ("Configurations::free", &["server_configuration_list"]),
    ("Users::all", &["user_list"]),
    ("Users::create", &["user_create"]),
];
