//! `panelctl ispconfig …`.

use panelkit_ispconfig::{Client, Value};

use crate::cli::{Global, Ispconfig};
use crate::exit::Failure;
use crate::settings;

/// Builds a client from the resolved settings.
fn client(global: &Global) -> Result<Client, Failure> {
    let mut resolved = settings::resolve(global, "ispconfig")?;
    let url = resolved.require_url("ispconfig")?.to_owned();
    let user = resolved.require_user("ispconfig")?.to_owned();
    let password = resolved.require_password("ispconfig")?;
    let mut builder = Client::builder()
        .url(url)
        .credentials(user, password)
        .danger_accept_invalid_certs(resolved.insecure);
    if let Some(ca) = &resolved.ca_file {
        builder = builder.ca_file(ca);
    }
    Ok(builder.build()?)
}

/// Runs an `ispconfig` subcommand; the result is printed by the caller.
pub async fn run(global: &Global, command: &Ispconfig) -> Result<serde_json::Value, Failure> {
    let client = client(global)?;
    let result = match command {
        Ispconfig::Functions => client
            .list_functions()
            .await
            .map(|names| serde_json::json!(names)),
        Ispconfig::Call { method, params } => {
            let params = params
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    serde_json::from_str::<serde_json::Value>(p)
                        .map(Value::from)
                        .map_err(|e| {
                            Failure::config(format!("parameter {}: not JSON ({e}): {p}", i + 1))
                        })
                })
                .collect::<Result<Vec<_>, _>>()?;
            match client.raw_call(method, params).await {
                Ok(value) => serde_json::to_value(&value).map_err(|e| {
                    panelkit_core::Error::config(format!("cannot show the answer: {e}"))
                }),
                Err(e) => Err(e),
            }
        }
    };
    // Log out even when the call failed; the call's error wins.
    let logout = client.logout().await;
    let value = result?;
    logout?;
    Ok(value)
}
