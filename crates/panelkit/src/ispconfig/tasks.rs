//! Whole tasks as the examples run them, as functions so tests can run them
//! against a peer too.

use panelkit_core::{Error, Result};

use super::crud::Changes;
use super::dns::{NewRecord, RecordType};
use super::record::Record;
use super::records::WebVhostDomain;
use super::Client;

/// Reads `PANELKIT_ISPCONFIG_URL`, `_USER`, `_PASSWORD` (and
/// `PANELKIT_ISPCONFIG_INSECURE=1` to skip TLS verification, logged) and
/// builds a client; a missing variable is a [`Error::Config`] naming it.
pub fn client_from_env() -> Result<Client> {
    let var =
        |name: &str| std::env::var(name).map_err(|_| Error::config(format!("{name} is not set")));
    let insecure = std::env::var("PANELKIT_ISPCONFIG_INSECURE").is_ok_and(|v| v == "1");
    Client::builder()
        .url(var("PANELKIT_ISPCONFIG_URL")?)
        .credentials(
            var("PANELKIT_ISPCONFIG_USER")?,
            var("PANELKIT_ISPCONFIG_PASSWORD")?,
        )
        .danger_accept_invalid_certs(insecure)
        .build()
}

/// Adds one record `NAME TYPE DATA` to the zone with origin exactly `zone`
/// and answers it as stored (MX/SRV data may start with the priority).
pub async fn dns_add(
    client: &Client,
    zone: &str,
    name: &str,
    rtype: &str,
    data: &str,
) -> Result<Record> {
    let rtype: RecordType = rtype.parse()?;
    let dns = client.dns();
    let zone = dns.zone(zone).await?;
    let id = dns.add(&zone, NewRecord::parse(rtype, name, data)?).await?;
    dns.record(rtype, id).await?.ok_or_else(|| Error::NotFound {
        status: None,
        code: "record_not_found".to_owned(),
        message: format!("record {id} vanished right after it was added"),
    })
}

/// Sets `field` of web domain `domain_id` to `value` (everything else kept)
/// and answers the record after the update. The field is named at run time,
/// so the change goes in dynamically (as text; the panel's form converts it).
pub async fn web_domain_update(
    client: &Client,
    domain_id: &str,
    field: &str,
    value: &str,
) -> Result<WebVhostDomain> {
    let id: i64 = domain_id.trim().parse().map_err(|_| Error::Validation {
        status: None,
        code: "invalid_id".to_owned(),
        message: format!("DOMAIN_ID must be a number, got {domain_id:?}"),
        fields: vec!["domain_id".to_owned()],
    })?;
    if field.trim().is_empty() {
        return Err(Error::Validation {
            status: None,
            code: "invalid_field".to_owned(),
            message: "FIELD is empty".to_owned(),
            fields: vec![],
        });
    }
    client
        .sites()
        .update_web_domain(id, Changes::new().set(field.trim(), value))
        .await
}

/// Writes `record` (a [`Record`], a typed record, ...) as pretty JSON and a
/// newline to `out`; a closed pipe (`example | head`) is not an error.
pub fn print_json(out: &mut impl std::io::Write, record: &impl serde::Serialize) -> Result<()> {
    let json = serde_json::to_string_pretty(record)
        .map_err(|e| Error::config(format!("cannot print the record as JSON: {e}")))?;
    match writeln!(out, "{json}") {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::config(format!("cannot write to stdout: {e}")))
        }
        _ => Ok(()),
    }
}
