//! `panelctl ionos …`: IONOS Cloud API v6, with `--wait` following the
//! request the API answers 202 with (a progress bar on a terminal, one line
//! per state change otherwise).

use std::io::IsTerminal;
use std::time::Duration;

use panelkit_ionos::types::{Datacenter, DatacenterProperties, Server, ServerProperties};
use panelkit_ionos::{Accepted, Client, ClientBuilder, WaitOptions};
use serde_json::{json, Value};

use crate::cli::{Global, Ionos, Wait};
use crate::exit::Failure;
use crate::settings;

/// Largest page the API serves.
const PAGE: i32 = 1000;

/// Runs an `ionos` subcommand; the result is printed by the caller.
pub async fn run(global: &Global, command: &Ionos) -> Result<Value, Failure> {
    let client = client(global)?;
    Ok(match command {
        Ionos::Doctor => return crate::exit::doctor(panelkit::doctor::ionos(&client).await),
        Ionos::Datacenters => {
            let mut all = Vec::new();
            let mut offset = 0;
            loop {
                let page = client.datacenters_get().offset(offset).limit(PAGE).await?;
                let items = page.items.unwrap_or_default();
                let len = items.len() as i32;
                all.extend(items);
                if len < PAGE {
                    break;
                }
                offset += len;
            }
            show(all)?
        }
        Ionos::Datacenter { id } => show(client.datacenters_find_by_id(id).await?)?,
        Ionos::Servers { datacenter } => show(client.datacenters_servers_get(datacenter).await?)?,
        Ionos::Volumes { datacenter } => show(client.datacenters_volumes_get(datacenter).await?)?,
        Ionos::CreateDatacenter {
            name,
            location,
            description,
            wait,
        } => {
            let body = Datacenter {
                properties: DatacenterProperties {
                    name: Some(name.clone()),
                    location: location.clone(),
                    description: description.clone(),
                    ..Default::default()
                },
                ..Default::default()
            };
            finish(client.datacenters_post(&body).await?, wait).await?
        }
        Ionos::DeleteDatacenter { id, wait } => {
            finish(client.datacenters_delete(id).await?, wait).await?
        }
        Ionos::CreateServer {
            datacenter,
            name,
            cores,
            ram,
            wait,
        } => {
            let body = Server {
                properties: ServerProperties {
                    name: Some(name.clone()),
                    cores: *cores,
                    ram: *ram,
                    ..Default::default()
                },
                ..Default::default()
            };
            finish(
                client.datacenters_servers_post(datacenter, &body).await?,
                wait,
            )
            .await?
        }
        Ionos::DeleteServer {
            datacenter,
            id,
            delete_volumes,
            wait,
        } => {
            let accepted = client
                .datacenters_servers_delete(datacenter, id)
                .delete_volumes(*delete_volumes)
                .await?;
            finish(accepted, wait).await?
        }
    })
}

/// Credentials from the IONOS variables the SDKs use, else the profile.
fn client(global: &Global) -> Result<Client, Failure> {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let mut builder = if env("IONOS_TOKEN").is_some() || env("IONOS_USERNAME").is_some() {
        ClientBuilder::from_env()?
    } else {
        let mut resolved = settings::resolve(global, "ionos")?;
        let builder = match resolved.url.clone() {
            Some(url) => ClientBuilder::new().url(url),
            None => ClientBuilder::new(),
        };
        if let Some(token) = resolved.token.clone() {
            builder.token(token)
        } else {
            let user = resolved.require_user("ionos")?.to_owned();
            let password = resolved.require_password("ionos")?;
            builder.basic_auth(user, password)
        }
    };
    if let Some(url) = &global.url {
        builder = builder.url(url.clone());
    }
    if global.insecure || global.ca_file.is_some() {
        return Err(Failure::config(
            "--insecure and --ca-file are for self-hosted panels; the IONOS API has a public certificate",
        ));
    }
    Ok(builder.build()?)
}

fn show(value: impl serde::Serialize) -> Result<Value, Failure> {
    serde_json::to_value(value).map_err(|e| Failure::config(format!("cannot show the answer: {e}")))
}

/// The 202 answer, after waiting for its request when asked.
async fn finish<T: serde::Serialize>(accepted: Accepted<T>, wait: &Wait) -> Result<Value, Failure> {
    let request_id = accepted.request_id().map(str::to_owned);
    if !wait.wait {
        return Ok(json!({"request_id": request_id, "value": show(accepted.into_value())?}));
    }
    let bar = progress_bar();
    let on_progress = {
        let bar = bar.clone();
        move |p: &panelkit_core::ionos::RequestProgress| match &bar {
            Some(bar) => {
                bar.set_message(format!("{} {}", p.request_id, p.state.as_str()));
                bar.tick();
            }
            None => eprintln!(
                "request {}: {} ({:.0} s)",
                p.request_id,
                p.state.as_str(),
                p.elapsed.as_secs_f64()
            ),
        }
    };
    let options =
        WaitOptions::with_timeout(Duration::from_secs(wait.timeout)).on_progress(on_progress);
    let result = accepted.wait_with(&options).await;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok(json!({"request_id": request_id, "state": "DONE", "value": show(result?)?}))
}

/// A spinner on a terminal; `None` when stderr is piped (lines instead).
fn progress_bar() -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.enable_steady_tick(Duration::from_millis(120));
    Some(bar)
}
