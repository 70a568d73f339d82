//! Audit pins of the IONOS Cloud helpers: every generated operation each one
//! wraps, with the signature (request line, parameters, body, 2xx answer)
//! it was audited against in `inventories/ionos/inventory.json`.
//! `tests/tests/overlay_rest_pins.rs` fails, naming helper, operation, old
//! and new signature, when a regenerated inventory changes one of them:
//! re-audit the helper, then update its lines here.

use crate::pins::{pin, Pin};

/// The upstream version the pins were audited against.
pub const AUDITED_VERSION: &str = "v6";

/// Every helper's pins.
pub const PINS: &[Pin] = &[
    pin(
        "Client::create_datacenter_and_wait",
        "datacentersPost",
        "POST /datacenters datacentersPost(query:pretty: boolean = true, query:depth: integer(int32) = 0, header:X-Contract-Number: integer(int32)?) body #Datacenter -> 202 #Datacenter",
        "sha256:9ab18858f047cecc",
    ),
    pin(
        "Client::create_datacenter_and_wait",
        "requestsStatusGet",
        "GET /requests/{requestId}/status requestsStatusGet(path:requestId: string, query:pretty: boolean = true, query:depth: integer(int32) = 0, header:X-Contract-Number: integer(int32)?) -> 200 #RequestStatus",
        "sha256:d6979be47ee6638e",
    ),
    pin(
        "Client::delete_datacenter_and_wait",
        "datacentersDelete",
        "DELETE /datacenters/{datacenterId} datacentersDelete(path:datacenterId: string, query:pretty: boolean = true, query:depth: integer(int32) = 0, header:X-Contract-Number: integer(int32)?) -> 202",
        "sha256:001a637cb7e2fc38",
    ),
    pin(
        "Client::delete_server_and_wait",
        "datacentersServersDelete",
        "DELETE /datacenters/{datacenterId}/servers/{serverId} datacentersServersDelete(path:datacenterId: string, path:serverId: string, query:pretty: boolean = true, query:depth: integer(int32) = 0, header:X-Contract-Number: integer(int32)?, query:deleteVolumes: boolean?) -> 202",
        "sha256:b5c2105c006e146b",
    ),
    pin(
        "Client::delete_volume_and_wait",
        "datacentersVolumesDelete",
        "DELETE /datacenters/{datacenterId}/volumes/{volumeId} datacentersVolumesDelete(path:datacenterId: string, path:volumeId: string, query:pretty: boolean = true, query:depth: integer(int32) = 0, header:X-Contract-Number: integer(int32)?) -> 202",
        "sha256:ddd18483fa26d515",
    ),
    pin(
        "Client::list_datacenters",
        "datacentersGet",
        "GET /datacenters datacentersGet(query:pretty: boolean = true, query:depth: integer(int32) = 0, header:X-Contract-Number: integer(int32)?, query:offset: integer(int32) = 0, query:limit: integer(int32) = 1000) -> 200 #Datacenters",
        "sha256:54830f79bcb2dfb3",
    ),
    pin(
        "Client::list_servers",
        "datacentersServersGet",
        "GET /datacenters/{datacenterId}/servers datacentersServersGet(path:datacenterId: string, query:pretty: boolean = true, query:depth: integer(int32) = 0, query:upgradeNeeded: boolean?, header:X-Contract-Number: integer(int32)?, query:offset: integer(int32) = 0, query:limit: integer(int32) = 1000) -> 200 #Servers",
        "sha256:0f8f4eb25a3cd5cf",
    ),
    pin(
        "Client::list_volumes",
        "datacentersVolumesGet",
        "GET /datacenters/{datacenterId}/volumes datacentersVolumesGet(path:datacenterId: string, query:pretty: boolean = true, query:depth: integer(int32) = 0, header:X-Contract-Number: integer(int32)?, query:offset: integer(int32) = 0, query:limit: integer(int32) = 1000) -> 200 #Volumes",
        "sha256:dd5745312f0ebc1b",
    ),
    pin(
        "Client::list_nics",
        "datacentersServersNicsGet",
        "GET /datacenters/{datacenterId}/servers/{serverId}/nics datacentersServersNicsGet(path:datacenterId: string, path:serverId: string, query:pretty: boolean = true, query:depth: integer(int32) = 0, header:X-Contract-Number: integer(int32)?, query:offset: integer(int32) = 0, query:limit: integer(int32) = 1000) -> 200 #Nics",
        "sha256:564d29d459d2edc3",
    ),
    pin(
        "Client::create_datacenter",
        "datacentersPost",
        "POST /datacenters datacentersPost(query:pretty: boolean = true, query:depth: integer(int32) = 0, header:X-Contract-Number: integer(int32)?) body #Datacenter -> 202 #Datacenter",
        "sha256:9ab18858f047cecc",
    ),
    pin(
        "Client::create_server",
        "datacentersServersPost",
        "POST /datacenters/{datacenterId}/servers datacentersServersPost(path:datacenterId: string, query:pretty: boolean = true, query:depth: integer(int32) = 0, header:X-Contract-Number: integer(int32)?) body #Server -> 202 #Server",
        "sha256:7f40fde06798a9c0",
    ),
    pin(
        "Client::create_server_and_wait",
        "datacentersServersPost",
        "POST /datacenters/{datacenterId}/servers datacentersServersPost(path:datacenterId: string, query:pretty: boolean = true, query:depth: integer(int32) = 0, header:X-Contract-Number: integer(int32)?) body #Server -> 202 #Server",
        "sha256:7f40fde06798a9c0",
    ),
    pin(
        "Client::create_server_and_wait",
        "requestsStatusGet",
        "GET /requests/{requestId}/status requestsStatusGet(path:requestId: string, query:pretty: boolean = true, query:depth: integer(int32) = 0, header:X-Contract-Number: integer(int32)?) -> 200 #RequestStatus",
        "sha256:d6979be47ee6638e",
    ),
    pin(
        "Client::delete_datacenter",
        "datacentersDelete",
        "DELETE /datacenters/{datacenterId} datacentersDelete(path:datacenterId: string, query:pretty: boolean = true, query:depth: integer(int32) = 0, header:X-Contract-Number: integer(int32)?) -> 202",
        "sha256:001a637cb7e2fc38",
    ),
    pin(
        "Client::delete_server",
        "datacentersServersDelete",
        "DELETE /datacenters/{datacenterId}/servers/{serverId} datacentersServersDelete(path:datacenterId: string, path:serverId: string, query:pretty: boolean = true, query:depth: integer(int32) = 0, header:X-Contract-Number: integer(int32)?, query:deleteVolumes: boolean?) -> 202",
        "sha256:b5c2105c006e146b",
    ),
    pin(
        "Client::delete_volume",
        "datacentersVolumesDelete",
        "DELETE /datacenters/{datacenterId}/volumes/{volumeId} datacentersVolumesDelete(path:datacenterId: string, path:volumeId: string, query:pretty: boolean = true, query:depth: integer(int32) = 0, header:X-Contract-Number: integer(int32)?) -> 202",
        "sha256:ddd18483fa26d515",
    ),
    pin(
        "Client::datacenter",
        "datacentersFindById",
        "GET /datacenters/{datacenterId} datacentersFindById(path:datacenterId: string, query:pretty: boolean = true, query:depth: integer(int32) = 0, header:X-Contract-Number: integer(int32)?) -> 200 #Datacenter",
        "sha256:b4f22255e4e56081",
    ),
];
