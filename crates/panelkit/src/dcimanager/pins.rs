//! Audit pins of the DCImanager helpers: every generated operation each one
//! wraps, with the signature (request line, parameters, body, answer) it was
//! audited against in `inventories/dcimanager/inventory.json`.
//! `tests/tests/overlay_rest_pins.rs` fails, naming helper, operation, old
//! and new signature, when a regenerated inventory changes one of them:
//! re-audit the helper, then update its lines here.

use crate::pins::{pin, Pin};

/// The upstream version the pins were audited against.
pub const AUDITED_VERSION: &str = "6";

/// Every helper's pins.
pub const PINS: &[Pin] = &[
    pin(
        "Client::list_servers",
        "server_list",
        "GET /api/dci/v3/server server_list(query:where: string?, query:orderby: string?, query:limit: string?) -> 200 #ServerListPage",
        "sha256:ddea97c169ff87a3",
    ),
    pin(
        "Client::server",
        "server_get",
        "GET /api/dci/v3/server/{server_id} server_get(path:server_id: integer(int64)) -> 200 any",
        "sha256:7c92c660ba941498",
    ),
    pin(
        "Client::find_servers",
        "server_list",
        "GET /api/dci/v3/server server_list(query:where: string?, query:orderby: string?, query:limit: string?) -> 200 #ServerListPage",
        "sha256:ddea97c169ff87a3",
    ),
    pin(
        "Client::power",
        "server_power_on",
        "POST /api/dci/v3/server/{server_id}/power_on server_power_on(path:server_id: integer(int64)) body #ServerPowerOnBody -> 200 any",
        "sha256:d8a43d11259cf4e7",
    ),
    pin(
        "Client::power",
        "server_power_off",
        "POST /api/dci/v3/server/{server_id}/power_off server_power_off(path:server_id: integer(int64)) body #ServerPowerOffBody -> 200 any",
        "sha256:ef17e99181c1a99e",
    ),
    pin(
        "Client::power",
        "server_power_reset",
        "POST /api/dci/v3/server/{server_id}/power_reset server_power_reset(path:server_id: integer(int64)) body #ServerPowerResetBody -> 200 any",
        "sha256:88888ad4dca6ffef",
    ),
    pin(
        "Client::power_and_wait",
        "server_power_on",
        "POST /api/dci/v3/server/{server_id}/power_on server_power_on(path:server_id: integer(int64)) body #ServerPowerOnBody -> 200 any",
        "sha256:d8a43d11259cf4e7",
    ),
    pin(
        "Client::power_and_wait",
        "server_power_off",
        "POST /api/dci/v3/server/{server_id}/power_off server_power_off(path:server_id: integer(int64)) body #ServerPowerOffBody -> 200 any",
        "sha256:ef17e99181c1a99e",
    ),
    pin(
        "Client::power_and_wait",
        "server_power_reset",
        "POST /api/dci/v3/server/{server_id}/power_reset server_power_reset(path:server_id: integer(int64)) body #ServerPowerResetBody -> 200 any",
        "sha256:88888ad4dca6ffef",
    ),
    pin(
        "Client::power_and_wait",
        "server_get",
        "GET /api/dci/v3/server/{server_id} server_get(path:server_id: integer(int64)) -> 200 any",
        "sha256:7c92c660ba941498",
    ),
    pin(
        "Client::wait_for_power",
        "server_get",
        "GET /api/dci/v3/server/{server_id} server_get(path:server_id: integer(int64)) -> 200 any",
        "sha256:7c92c660ba941498",
    ),
    pin(
        "Client::free_configurations",
        "server_configuration_list",
        "GET /api/dci/v3/server/configuration server_configuration_list(query:where: string?, query:orderby: string?, query:limit: string?) -> 200 #ServerConfigurationListPage",
        "sha256:1fbf1f400f84c6c0",
    ),
    pin(
        "Client::create_user",
        "user_create",
        "POST /api/dci/v3/user user_create() body #UserCreateBody -> 200 #UserCreateAnswer",
        "sha256:9b98cfac43723434",
    ),
    pin(
        "Client::list_users",
        "user_list",
        "GET /api/dci/v3/user user_list(query:where: string?, query:orderby: string?, query:limit: string?) -> 200 #UserListPage",
        "sha256:d1d0757ca9150bab",
    ),
];
