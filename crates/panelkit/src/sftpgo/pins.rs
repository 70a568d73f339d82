//! Audit pins of the SFTPGo helpers: every generated operation each one
//! wraps, with the signature (request line, parameters, body, 2xx answer)
//! it was audited against in `inventories/sftpgo/inventory.json`.
//! `tests/tests/overlay_rest_pins.rs` fails, naming helper, operation, old
//! and new signature, when a regenerated inventory changes one of them:
//! re-audit the helper, then update its lines here.

use crate::pins::{pin, Pin};

/// The upstream version the pins were audited against.
pub const AUDITED_VERSION: &str = "main";

/// Every helper's pins.
pub const PINS: &[Pin] = &[
    pin(
        "Users::create",
        "add_user",
        "POST /users add_user(query:confidential_data: integer?) body #User -> 201 #User",
        "sha256:0df3da55099a7c50",
    ),
    pin(
        "Client::start_quota_scan_and_wait",
        "start_user_quota_scan",
        "POST /quotas/users/{username}/scan start_user_quota_scan(path:username: string) -> 202 #ApiResponse",
        "sha256:0d2f0ec36f8ea29e",
    ),
    pin(
        "Client::start_quota_scan_and_wait",
        "get_users_quota_scans",
        "GET /quotas/users/scans get_users_quota_scans() -> 200 [#QuotaScan]",
        "sha256:e4d6707f950f1fb2",
    ),
    pin(
        "Client::list_users",
        "get_users",
        "GET /users get_users(query:offset: integer = 0, query:limit: integer = 100, query:order: #GetUsersOrder?) -> 200 [#User]",
        "sha256:e774cc189013ff4e",
    ),
    pin(
        "Client::list_admins",
        "get_admins",
        "GET /admins get_admins(query:offset: integer = 0, query:limit: integer = 100, query:order: #GetAdminsOrder?) -> 200 [#Admin]",
        "sha256:ac1111a5913b4eb3",
    ),
    pin(
        "Client::list_folders",
        "get_folders",
        "GET /folders get_folders(query:offset: integer = 0, query:limit: integer = 100, query:order: #GetFoldersOrder?) -> 200 [#BaseVirtualFolder]",
        "sha256:bf8e26cc3a796721",
    ),
    pin(
        "Users::update",
        "get_user_by_username",
        "GET /users/{username} get_user_by_username(path:username: string, query:confidential_data: integer?) -> 200 #User",
        "sha256:88ddcb6578032bc5",
    ),
    pin(
        "Users::update",
        "update_user",
        "PUT /users/{username} update_user(path:username: string, query:disconnect: integer?) body #User -> 200 #ApiResponse",
        "sha256:d2e970977da718cb",
    ),
    pin(
        "Client::list_users_with",
        "get_users",
        "GET /users get_users(query:offset: integer = 0, query:limit: integer = 100, query:order: #GetUsersOrder?) -> 200 [#User]",
        "sha256:e774cc189013ff4e",
    ),
    pin(
        "Client::list_admins_with",
        "get_admins",
        "GET /admins get_admins(query:offset: integer = 0, query:limit: integer = 100, query:order: #GetAdminsOrder?) -> 200 [#Admin]",
        "sha256:ac1111a5913b4eb3",
    ),
    pin(
        "Client::list_folders_with",
        "get_folders",
        "GET /folders get_folders(query:offset: integer = 0, query:limit: integer = 100, query:order: #GetFoldersOrder?) -> 200 [#BaseVirtualFolder]",
        "sha256:bf8e26cc3a796721",
    ),
    pin(
        "Client::list_api_keys",
        "get_api_keys",
        "GET /apikeys get_api_keys(query:offset: integer = 0, query:limit: integer = 100, query:order: #GetApiKeysOrder?) -> 200 [#APIKey]",
        "sha256:58574a5d454f3716",
    ),
    pin(
        "Client::list_api_keys_with",
        "get_api_keys",
        "GET /apikeys get_api_keys(query:offset: integer = 0, query:limit: integer = 100, query:order: #GetApiKeysOrder?) -> 200 [#APIKey]",
        "sha256:58574a5d454f3716",
    ),
];
