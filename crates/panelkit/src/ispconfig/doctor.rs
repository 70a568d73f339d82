//! `doctor`: what an operator needs to know about a panel before blaming the
//! tool — which ISPConfig releases it can be, and which function groups the
//! remote user lacks for each audited helper.
//!
//! Everything is read, nothing written, and no call can count towards the
//! panel's IP lockout: one `get_function_list` (every method the panel
//! serves, whatever the remote user may call), then one probe per function
//! group the audited helpers need — a `*_get` of that group with id 0. The
//! panel checks the permission first (`permission_denied`) and the id
//! second (`invalid_id`, nothing read), so the answer tells whether the
//! group is ticked without touching any record. Permission faults are not
//! counted by the lockout; only failed logins and dead sessions are.
//!
//! It also names the endpoints (whether `remote/json.php` answers beside
//! the SOAP one, probed with an empty session id, which is not counted
//! either) and the SHA-256 of the panel's TLS certificate, read by a bare
//! handshake that sends nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use panelkit_core::soap::Value;
use panelkit_core::{Error, Result};
use panelkit_ispconfig::{permissions, releases};
use serde::Serialize;

use super::pins;
use super::Client;

/// PHP's constructor, listed by `get_function_list` but no remote method.
const NOT_A_METHOD: &str = "__construct";

/// What [`diagnose`] found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The committed releases whose methods are exactly the panel's, oldest
    /// first (empty: none matches, see `unknown` and `missing`).
    pub matches: Vec<String>,
    /// The panel's methods that no committed release has (a newer or
    /// patched panel).
    pub unknown: Vec<String>,
    /// Methods of the newest committed release the panel lacks.
    pub missing: Vec<String>,
    /// Each function group the audited helpers need, and whether the remote
    /// user has it.
    pub groups: Vec<GroupCheck>,
    /// The audited helpers the remote user cannot use, with the groups
    /// they lack.
    pub blocked_helpers: Vec<BlockedHelper>,
    /// The endpoints: SOAP (every call above went there) and JSON.
    pub endpoints: Endpoints,
    /// The SHA-256 fingerprint (`AB:CD:…`) of the certificate the panel
    /// presents, to pin it or compare; `None` over plain HTTP. The client's
    /// own TLS settings (system roots, CA file or pin) accepted it, or no
    /// call above would have worked.
    pub tls_sha256: Option<String>,
}

/// The panel's remote API endpoints.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Endpoints {
    /// The SOAP endpoint (`…/remote/index.php`): the client's URL, or the
    /// one beside its JSON endpoint.
    pub soap: String,
    /// The JSON endpoint beside it (`…/remote/json.php`).
    pub json: String,
    /// Whether the JSON endpoint answered in the panel's JSON shape.
    pub json_answers: bool,
}

/// One function group, probed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GroupCheck {
    /// The group's label (System → Remote Users), e.g. `Client functions`.
    pub group: String,
    /// The method probed (a `*_get` of the group, with id 0).
    pub probe: Option<String>,
    /// Whether the remote user has the group; `None` when no probe was
    /// possible (the group has no `*_get` method) or the answer was unclear.
    pub allowed: Option<bool>,
}

/// A helper the remote user cannot use.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BlockedHelper {
    /// The helper (`Mail::add_mailbox`).
    pub helper: String,
    /// For each permission check it fails: the function checked and the
    /// groups any one of which would allow it.
    pub lacks: Vec<String>,
}

impl Report {
    /// Whether anything needs the operator's attention: no matching release,
    /// or helpers the remote user cannot use.
    pub fn healthy(&self) -> bool {
        !self.matches.is_empty() && self.blocked_helpers.is_empty()
    }

    /// The matching releases as a range (`3.2.10–3.2.12p1`), or `None`.
    pub fn version_range(&self) -> Option<String> {
        match (self.matches.first(), self.matches.last()) {
            (Some(first), Some(last)) if first == last => Some(first.clone()),
            (Some(first), Some(last)) => Some(format!("{first}–{last}")),
            _ => None,
        }
    }
}

/// Diagnoses the panel `client` talks to, as its remote user (see the
/// module docs for what is sent).
pub async fn diagnose(client: &Client) -> Result<Report> {
    let functions = client.generated().list_functions().await?;
    let offered: Vec<&str> = functions
        .iter()
        .map(String::as_str)
        .filter(|f| *f != NOT_A_METHOD)
        .collect();
    let known: BTreeSet<&str> = releases::RELEASES
        .iter()
        .flat_map(|r| r.methods.iter().copied())
        .collect();
    let newest = releases::RELEASES.last().map(|r| r.methods).unwrap_or(&[]);
    let offered_set: BTreeSet<&str> = offered.iter().copied().collect();
    let matches = releases::matching(&offered)
        .into_iter()
        .map(str::to_owned)
        .collect();
    let unknown = offered_set
        .iter()
        .filter(|f| !known.contains(*f))
        .map(|f| (*f).to_owned())
        .collect();
    let missing = newest
        .iter()
        .filter(|m| !offered_set.contains(*m))
        .map(|m| (*m).to_owned())
        .collect();

    let needed = needed_groups();
    let mut held: BTreeMap<&'static str, Option<bool>> = BTreeMap::new();
    let mut groups = Vec::new();
    for group in &needed {
        let probe = probe_for(group);
        let allowed = match probe {
            Some(method) => probe_group(client, method).await?,
            None => None,
        };
        held.insert(group, allowed);
        groups.push(GroupCheck {
            group: (*group).to_owned(),
            probe: probe.map(str::to_owned),
            allowed,
        });
    }
    let session = client.generated().session();
    let (json, json_answers) = session.probe_json_endpoint().await?;
    let soap = match session.transport() {
        panelkit_core::ispconfig::Transport::Soap => session.url().to_owned(),
        // A JSON client's URL is json.php; the SOAP endpoint is beside it.
        panelkit_core::ispconfig::Transport::Json => {
            format!("{}/index.php", json.trim_end_matches("/json.php"))
        }
    };
    let tls_url = soap.clone();
    let tls_sha256 = tokio::task::spawn_blocking(move || {
        panelkit_core::http::server_certificate_sha256(&tls_url, Duration::from_secs(10))
    })
    .await
    .map_err(|e| Error::config(format!("certificate probe: {e}")))??;
    Ok(Report {
        matches,
        unknown,
        missing,
        groups,
        blocked_helpers: blocked_helpers(&held),
        endpoints: Endpoints {
            soap,
            json,
            json_answers,
        },
        tls_sha256,
    })
}

/// Every group some check of some audited helper's methods allows, sorted.
fn needed_groups() -> BTreeSet<&'static str> {
    pins::methods()
        .flat_map(permissions::checks)
        .flat_map(|check| check.groups.iter().copied())
        .collect()
}

/// A side-effect-free probe for `group`: one of its `*_get` methods that
/// checks only itself, called with id 0 — the shortest name, which is the
/// plain record read (`server_get` rather than `config_value_get`).
fn probe_for(group: &str) -> Option<&'static str> {
    permissions::CHECKS
        .iter()
        .filter(|(method, checks)| {
            method.ends_with("_get")
                && checks.len() == 1
                && checks[0].function == *method
                && checks[0].groups.contains(&group)
        })
        .map(|(method, _)| *method)
        .min_by_key(|method| (method.len(), *method))
}

/// `Some(true)` when `method(0)` gets past the permission check,
/// `Some(false)` on `permission_denied`.
async fn probe_group(client: &Client, method: &str) -> Result<Option<bool>> {
    // By name: the probe is picked at run time from the generated permissions
    // table (any group's plain read), so there is no one generated method to call.
    match client.raw_call(method, vec![Value::Int(0)]).await {
        Err(Error::Permission { code, .. }) if code == "permission_denied" => Ok(Some(false)),
        // Past the check: an answer, `invalid_id`, or another refusal of id 0.
        Ok(_) | Err(Error::Validation { .. }) | Err(Error::NotFound { .. }) => Ok(Some(true)),
        Err(Error::Fault { .. }) | Err(Error::UnexpectedResponse { .. }) => Ok(None),
        Err(other) => Err(other),
    }
}

/// The helpers some of whose checks no held group allows.
fn blocked_helpers(held: &BTreeMap<&'static str, Option<bool>>) -> Vec<BlockedHelper> {
    let mut out = Vec::new();
    for helper in pins::helpers() {
        let mut lacks = Vec::new();
        for (method, checks) in pins::required_permissions(helper) {
            for check in checks {
                let allowed = check
                    .groups
                    .iter()
                    .any(|g| held.get(g).copied().flatten() != Some(false));
                if !allowed {
                    let any_of: Vec<String> =
                        check.groups.iter().map(|g| format!("'{g}'")).collect();
                    lacks.push(format!(
                        "{method}: {} ({})",
                        any_of.join(" or "),
                        check.function
                    ));
                }
            }
        }
        if !lacks.is_empty() {
            out.push(BlockedHelper {
                helper: helper.to_owned(),
                lacks,
            });
        }
    }
    out
}
