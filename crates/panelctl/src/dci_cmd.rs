//! `panelctl dci …`: DCImanager 6.

use std::pin::Pin;

use futures_core::Stream;
use panelkit_core::dcimanager::{self, Service};
use panelkit_core::rest::Method;
use panelkit_dcimanager::Client;
use serde_json::Value;

use crate::cli::{Dci, Global};
use crate::exit::Failure;
use crate::settings;

/// Runs a `dci` subcommand; the result is printed by the caller.
pub async fn run(global: &Global, command: &Dci) -> Result<Value, Failure> {
    let client = client(global)?;
    let value = match command {
        Dci::Servers => Value::Array(all(&client, Service::Dci, "/server").await?),
        Dci::Server { id } => client.server_get(*id).await?,
        Dci::Users => Value::Array(all(&client, Service::Dci, "/user").await?),
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
            dcimanager::call(
                client.rest(),
                service,
                version,
                method,
                &function,
                body.as_ref(),
            )
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

/// Every item of a list, page by page.
async fn all(client: &Client, service: Service, function: &str) -> Result<Vec<Value>, Failure> {
    let mut stream = dcimanager::list(service, function)?.stream::<Value>(client.rest().clone());
    let mut items = Vec::new();
    while let Some(item) = std::future::poll_fn(|cx| Pin::new(&mut stream).poll_next(cx)).await {
        items.push(item?);
    }
    Ok(items)
}
