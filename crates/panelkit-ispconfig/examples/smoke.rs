//! Smoke test against a real panel: log in, list functions, find a zone, print
//! its records as JSON, log out.
//!
//! ```sh
//! PANELKIT_ISPCONFIG_URL=https://panel:8080/remote/index.php \
//! PANELKIT_ISPCONFIG_USER=remote PANELKIT_ISPCONFIG_PASSWORD=... \
//! [PANELKIT_ISPCONFIG_INSECURE=1] cargo run -p panelkit-ispconfig --example smoke -- example.com
//! ```
//! Exits non-zero with the typed error on stderr on any failure.

use std::io::Write;
use std::process::ExitCode;

use panelkit_ispconfig::{Client, Error, Value};

#[tokio::main]
async fn main() -> ExitCode {
    let Some(zone) = std::env::args().nth(1) else {
        eprintln!("usage: smoke ZONE   (with PANELKIT_ISPCONFIG_URL, _USER, _PASSWORD set)");
        return ExitCode::from(2);
    };
    match run(&zone).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn env(name: &str) -> Result<String, Error> {
    std::env::var(name).map_err(|_| Error::config(format!("{name} is not set")))
}

async fn run(zone: &str) -> Result<(), Error> {
    let insecure = std::env::var("PANELKIT_ISPCONFIG_INSECURE").is_ok_and(|v| v == "1");
    let client = Client::builder()
        .url(env("PANELKIT_ISPCONFIG_URL")?)
        .credentials(
            env("PANELKIT_ISPCONFIG_USER")?,
            env("PANELKIT_ISPCONFIG_PASSWORD")?,
        )
        .danger_accept_invalid_certs(insecure)
        .build()?;
    client.login().await?;
    let functions = client.list_functions().await?;
    eprintln!(
        "{} remote functions available to this user",
        functions.len()
    );

    let result = print_zone_records(&client, zone).await;
    // Log out even when the lookup failed; report the first error.
    let logout = client.logout().await;
    result.and(logout)
}

async fn print_zone_records(client: &Client, zone: &str) -> Result<(), Error> {
    let zone_id = zone_id(client, zone).await?;
    let records = client.dns_rr_get_all_by_zone(zone_id).await?;
    let json = serde_json::to_string_pretty(&records)
        .map_err(|e| Error::config(format!("cannot print records as JSON: {e}")))?;
    // A closed pipe (`smoke ZONE | head`) is not an error worth a panic.
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = writeln!(stdout, "{json}") {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            return Err(Error::config(format!("cannot write to stdout: {e}")));
        }
    }
    Ok(())
}

/// The id of the zone whose origin is exactly `zone` (with or without the
/// trailing dot). `dns_zone_get_id` matches by prefix and rejects the dot, so
/// filter on the stored origin (`example.com.`) and check it exactly.
async fn zone_id(client: &Client, zone: &str) -> Result<i64, Error> {
    let origin = format!("{}.", zone.trim_end_matches('.'));
    let filter: Value = [("origin", origin.as_str())].into_iter().collect();
    let zones = client.dns_zone_get(filter).await?;
    let rows = zones.as_list().unwrap_or_default();
    rows.iter()
        .find(|row| row.get("origin").and_then(Value::as_str) == Some(origin.as_str()))
        .and_then(|row| row.get("id").and_then(Value::as_i64))
        .ok_or_else(|| Error::NotFound {
            code: "no_domain_found".to_owned(),
            message: format!("no zone with origin {origin}"),
            status: None,
        })
}
