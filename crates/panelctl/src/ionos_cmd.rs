//! `panelctl ionos …`: IONOS Cloud API v6, with `--wait` following the
//! request the API answers 202 with (a progress bar on a terminal, one line
//! per state change otherwise).

use std::io::IsTerminal;
use std::time::Duration;

use panelkit::ionos::types::ServerProperties;
use panelkit::ionos::{Accepted, Client, NewDatacenter, NewServer, RequestProgress, WaitOptions};
use serde_json::{json, Value};

use crate::cli::{Global, Ionos, Wait};
use crate::exit::Failure;
use crate::settings;

/// Runs an `ionos` subcommand; the result is printed by the caller. Every
/// verb goes through `panelkit::ionos`: listings are its page streams,
/// creations and deletions its helpers (local checks first), `--wait` the
/// request tracking they return.
pub async fn run(global: &Global, command: &Ionos) -> Result<Value, Failure> {
    let client = client(global)?;
    Ok(match command {
        Ionos::Doctor => return crate::exit::doctor(panelkit::doctor::ionos(&client).await),
        Ionos::Datacenters => show(client.datacenters().all().try_collect().await?)?,
        Ionos::Datacenter { id } => show(client.datacenters().get(id).await?)?,
        Ionos::Servers { datacenter } => {
            show(client.servers(datacenter).all().try_collect().await?)?
        }
        Ionos::Volumes { datacenter } => {
            show(client.volumes(datacenter).all().try_collect().await?)?
        }
        Ionos::CreateDatacenter {
            name,
            location,
            description,
            wait,
        } => {
            let mut datacenter = NewDatacenter::new(name.clone(), location.clone());
            if let Some(description) = description {
                datacenter = datacenter.description(description.clone());
            }
            finish(client.datacenters().create(datacenter).await?, wait).await?
        }
        Ionos::DeleteDatacenter { id, wait } => {
            finish(client.datacenters().delete(id).await?, wait).await?
        }
        Ionos::CreateServer {
            datacenter,
            name,
            cores,
            ram,
            wait,
        } => {
            let server = NewServer::new(ServerProperties {
                name: Some(name.clone()),
                ..ServerProperties::new(*cores, *ram)
            });
            finish(client.servers(datacenter).create(server).await?, wait).await?
        }
        Ionos::DeleteServer {
            datacenter,
            id,
            delete_volumes,
            wait,
        } => {
            let accepted = client
                .servers(datacenter)
                .delete(id, *delete_volumes)
                .await?;
            finish(accepted, wait).await?
        }
    })
}

/// Credentials from the IONOS variables the SDKs use (`IONOS_TOKEN`, or
/// `IONOS_USERNAME` and `IONOS_PASSWORD`), else flags, `PANELKIT_IONOS_*`
/// and the profile. A missing piece is named the way README and `--help`
/// name it.
fn client(global: &Global) -> Result<Client, Failure> {
    if global.insecure || global.ca_file.is_some() {
        return Err(Failure::config(
            "--insecure and --ca-file are for self-hosted panels; the IONOS API has a public certificate",
        ));
    }
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let mut builder = if env("IONOS_TOKEN").is_some() || env("IONOS_USERNAME").is_some() {
        let builder = Client::from_env()?;
        match (
            env("IONOS_TOKEN"),
            env("IONOS_USERNAME"),
            env("IONOS_PASSWORD"),
        ) {
            (None, Some(user), None) => {
                // A user from the environment, the password from
                // --password-stdin, the profile or the prompt.
                let password = settings::resolve(global, "ionos")?.require_password("ionos")?;
                builder.basic_auth(user, password)
            }
            _ => builder,
        }
    } else {
        let mut resolved = settings::resolve(global, "ionos")?;
        let builder = match resolved.url.clone() {
            Some(url) => Client::builder().url(url),
            None => Client::builder(),
        };
        if let Some(token) = resolved.token.clone() {
            builder.token(token)
        } else if resolved.user.is_some() {
            let user = resolved.require_user("ionos")?.to_owned();
            let password = resolved.require_password("ionos")?;
            builder.basic_auth(user, password)
        } else {
            return Err(Failure::config(
                "no IONOS credentials: set IONOS_TOKEN, or IONOS_USERNAME and IONOS_PASSWORD \
                 (or pass --user and --password-stdin), or add `token = …` or `user = …` to the \
                 profile's [ionos] table",
            ));
        }
    };
    if let Some(url) = &global.url {
        builder = builder.url(url.clone());
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
        move |p: &RequestProgress| match &bar {
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
