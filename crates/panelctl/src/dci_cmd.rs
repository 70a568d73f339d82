//! `panelctl dci …`: DCImanager 6. Power commands go through the audited
//! `panelkit::dcimanager` helpers; `--wait` follows the operation (a spinner
//! on a terminal, one line per change of state otherwise, as `ionos` does).

use std::io::IsTerminal;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use panelkit::dcimanager::{
    Client, Method, NewUser, PowerCommand, ServerProgress, Service, WaitOptions,
};
use serde_json::{json, Value};

use crate::cli::{Dci, DciWait, Global, PowerAction};
use crate::exit::Failure;
use crate::settings::{self, secret_line_from_stdin};

/// Runs a `dci` subcommand; the result is printed by the caller.
pub async fn run(global: &Global, command: &Dci) -> Result<Value, Failure> {
    let client = client(global)?;
    let value = match command {
        Dci::Doctor => return crate::exit::doctor(panelkit::doctor::dcimanager(&client).await),
        Dci::Servers => show(client.servers().all().try_collect().await?)?,
        Dci::Server { id } => show(client.servers().get(*id).await?)?,
        Dci::Users => Value::Array(client.users().all().try_collect().await?),
        Dci::Power {
            action,
            server_id,
            wait,
        } => power(client, *action, *server_id, wait).await?,
        Dci::Configurations => show(client.configurations().free().await?)?,
        Dci::UserCreate {
            email,
            role,
            full_name,
            phone_number,
            user_password_stdin: _,
        } => {
            let password = secret_line_from_stdin("--user-password-stdin")?;
            let mut user = NewUser::new(email.clone(), password);
            user.role = role.clone();
            user.full_name = full_name.clone();
            user.phone_number = phone_number.clone();
            json!({"id": client.users().create(&user).await?, "email": email})
        }
        Dci::Call {
            method,
            service,
            version,
            path,
            body,
        } => {
            let service = Service::parse(service).ok_or_else(|| {
                Failure::config(format!(
                    "unknown service {service:?} (auth, dci, eservice, ip, ipmiproxy, ldap)"
                ))
            })?;
            let method = Method::from_bytes(method.to_ascii_uppercase().as_bytes())
                .map_err(|_| Failure::config(format!("unknown HTTP method {method:?}")))?;
            let body: Option<Value> = body
                .as_deref()
                .map(serde_json::from_str)
                .transpose()
                .map_err(|e| Failure::config(format!("body: not JSON ({e})")))?;
            // The panel's documentation writes paths with and without the slash.
            let function = format!("/{}", path.trim_start_matches('/'));
            client
                .raw_call(service, version, method, &function, body.as_ref())
                .await?
        }
    };
    Ok(value)
}

fn client(global: &Global) -> Result<Client, Failure> {
    let mut resolved = settings::resolve(global, "dci")?;
    let url = resolved.require_url("dci")?.to_owned();
    let mut tls =
        panelkit_core::http::TlsConfig::default().danger_accept_invalid_certs(resolved.insecure);
    if let Some(ca) = &resolved.ca_file {
        tls = tls.ca_file(ca);
    }
    let builder = Client::builder().url(url).tls(tls);
    let builder = if let Some(token) = resolved.token.clone() {
        builder.token(token)
    } else {
        let user = resolved.require_user("dci")?.to_owned();
        let password = resolved.require_password("dci")?;
        builder.credentials(user, password)
    };
    Ok(builder.build()?)
}

fn show(value: impl serde::Serialize) -> Result<Value, Failure> {
    serde_json::to_value(value).map_err(|e| Failure::config(format!("cannot show the answer: {e}")))
}

/// Sends the command; with `--wait`, follows the operation and shows the
/// server as it ended.
async fn power(
    client: panelkit::dcimanager::Client,
    action: PowerAction,
    server_id: i64,
    wait: &DciWait,
) -> Result<Value, Failure> {
    let command = match action {
        PowerAction::On => PowerCommand::On,
        PowerAction::Off => PowerCommand::Off,
        PowerAction::Reset => PowerCommand::Reset,
    };
    let servers = client.servers();
    if !wait.wait {
        let answer = servers.power(server_id, command).await?;
        return Ok(json!({"server_id": server_id, "command": command.as_str(), "answer": answer}));
    }
    let bar = spinner();
    let observe = {
        let bar = bar.clone();
        // Without a terminal: a line only when the state changes.
        let last = Arc::new(Mutex::new(String::new()));
        move |p: &ServerProgress| {
            let text = p.describe();
            match &bar {
                Some(bar) => {
                    bar.set_message(format!("server {}: {text}", p.server_id));
                    bar.tick();
                }
                None => {
                    let mut last = last.lock().unwrap_or_else(|e| e.into_inner());
                    if *last != text {
                        eprintln!(
                            "server {}: {text} ({:.0} s)",
                            p.server_id,
                            p.elapsed.as_secs_f64()
                        );
                        *last = text;
                    }
                }
            }
        }
    };
    // A quarter second first: a power command often finishes in seconds.
    let options = WaitOptions::interactive(Duration::from_secs(wait.timeout)).on_progress(observe);
    let result = servers.power_and_wait(server_id, command, &options).await;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let server = result?;
    Ok(json!({"server_id": server_id, "command": command.as_str(), "server": show(server)?}))
}

/// A spinner on a terminal; `None` when stderr is piped (lines instead).
fn spinner() -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.enable_steady_tick(Duration::from_millis(120));
    Some(bar)
}
