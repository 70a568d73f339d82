//! `panelctl ispconfig …`.

use panelkit::ispconfig::clients::NewClient;
use panelkit::ispconfig::dns::RecordType;
use panelkit::ispconfig::{tasks, Client};
use panelkit_ispconfig::Value;

use crate::cli::{
    Global, Ispconfig, IspconfigClient, IspconfigDns, IspconfigMailDomain, IspconfigMailUser,
    IspconfigWebDomain,
};
use crate::exit::Failure;
use crate::settings::{self, secret_line_from_stdin};

/// Builds the overlay client (which also reaches every raw method) from the
/// resolved settings.
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
            .generated()
            .list_functions()
            .await
            .map(|names| serde_json::json!(names)),
        Ispconfig::Doctor => return doctor(global, &client).await,
        Ispconfig::Selftest {
            yes,
            client: owner,
            server,
        } => return selftest(global, &client, *yes, *owner, *server).await,
        Ispconfig::Dns(verb) => dns(&client, verb).await,
        Ispconfig::WebDomain(verb) => web_domain(&client, verb).await,
        Ispconfig::MailDomain(verb) => mail_domain(&client, verb).await,
        Ispconfig::MailUser(verb) => mail_user(&client, verb).await,
        Ispconfig::Client(verb) => client_verb(&client, verb).await,
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
    let logout = client.generated().logout().await;
    let value = result?;
    logout?;
    Ok(value)
}

/// `ispconfig doctor`: prints the report, then fails with the class of its
/// worst finding so scripts can act on the exit code.
async fn doctor(global: &Global, client: &Client) -> Result<serde_json::Value, Failure> {
    let report = panelkit::ispconfig::doctor::diagnose(client).await;
    let logout = client.generated().logout().await;
    let report = report?;
    logout?;
    let value = json(&report)?;
    if report.healthy() {
        eprintln!(
            "panelctl: the panel matches ISPConfig {}; the remote user may use every audited helper",
            report.version_range().unwrap_or_default()
        );
        return Ok(value);
    }
    // The report is what the operator needs, failure or not: print it
    // before the exit code says what is wrong.
    let style = crate::render::Style::for_stdout(global.output, global.color);
    println!("{}", crate::render::render(&value, style).trim_end());
    if report.matches.is_empty() {
        return Err(Failure::with_code(
            crate::exit::code::FAULT,
            format!(
                "the panel matches no committed ISPConfig release ({} unknown methods, {} \
                 missing): see README, \"After a panel upgrade\"",
                report.unknown.len(),
                report.missing.len()
            ),
        ));
    }
    if !report.blocked_helpers.is_empty() {
        return Err(Failure::with_code(
            crate::exit::code::PERMISSION,
            format!(
                "the remote user lacks function groups {} audited helpers need (see \
                 blocked_helpers); tick them under System → Remote Users",
                report.blocked_helpers.len()
            ),
        ));
    }
    Ok(value)
}

/// `ispconfig selftest`: refuses without consent, prints the step table,
/// fails with the partial-failure code when a step failed.
async fn selftest(
    global: &Global,
    client: &Client,
    yes: bool,
    owner: Option<i64>,
    server: i64,
) -> Result<serde_json::Value, Failure> {
    let consent = yes || std::env::var("PANELKIT_SELFTEST").is_ok_and(|v| v == "1");
    if !consent {
        return Err(Failure::config(
            "selftest writes scratch records to the panel (and deletes them again): \
             run it with --yes or PANELKIT_SELFTEST=1",
        ));
    }
    let options = panelkit::ispconfig::selftest::Options {
        client_id: owner,
        server_id: server,
        ..Default::default()
    };
    let report = panelkit::ispconfig::selftest::run(client, &options).await;
    let logout = client.generated().logout().await;
    let value = json(&report.steps)?;
    if report.passed() {
        logout?;
        eprintln!(
            "panelctl: selftest passed: {} steps, nothing left behind",
            report.steps.len()
        );
        return Ok(value);
    }
    let style = crate::render::Style::for_stdout(global.output, global.color);
    println!("{}", crate::render::render(&value, style).trim_end());
    let failed = report.steps.iter().filter(|s| !s.ok).count();
    Err(Failure::partial(format!(
        "selftest: {failed} of {} steps failed; left behind: {}",
        report.steps.len(),
        if report.left_behind.is_empty() {
            "nothing".to_owned()
        } else {
            report.left_behind.join(", ")
        }
    )))
}

/// Any serializable answer as JSON, typed records' secrets included: the
/// one redaction step in `main` masks them unless `--show-secrets`.
fn json(value: impl serde::Serialize) -> panelkit_core::Result<serde_json::Value> {
    panelkit_core::ispconfig::fields::revealing(|| serde_json::to_value(value))
        .map_err(|e| panelkit_core::Error::config(format!("cannot show the answer: {e}")))
}

async fn dns(client: &Client, verb: &IspconfigDns) -> panelkit_core::Result<serde_json::Value> {
    let dns = client.dns();
    match verb {
        IspconfigDns::List { zone } => {
            let zone = dns.zone(zone).await?;
            json(dns.records(&zone).await?)
        }
        IspconfigDns::Add {
            zone,
            name,
            rtype,
            data,
        } => json(tasks::dns_add(client, zone, name, rtype, data).await?),
        IspconfigDns::Delete { rtype, id } => {
            let rtype: RecordType = rtype.parse()?;
            let deleted = dns.delete_record(rtype, *id).await?;
            Ok(serde_json::json!({"id": id, "type": rtype.to_string(), "deleted": deleted}))
        }
    }
}

async fn web_domain(
    client: &Client,
    verb: &IspconfigWebDomain,
) -> panelkit_core::Result<serde_json::Value> {
    match verb {
        IspconfigWebDomain::Add {
            domain,
            client: owner,
            server,
        } => {
            let sites = client.sites();
            let id = sites
                .add_web_domain(*owner, *server, domain, Default::default())
                .await?;
            json(sites.web_domain(id).await?)
        }
        IspconfigWebDomain::Get { id } => match client.sites().web_domain(*id).await? {
            Some(domain) => json(domain),
            None => Err(panelkit_core::Error::NotFound {
                status: None,
                code: "no_web_domain".to_owned(),
                message: format!("there is no web domain {id}"),
            }),
        },
        IspconfigWebDomain::Set { id, field, value } => {
            json(tasks::web_domain_update(client, &id.to_string(), field, value).await?)
        }
    }
}

async fn mail_domain(
    client: &Client,
    verb: &IspconfigMailDomain,
) -> panelkit_core::Result<serde_json::Value> {
    let mail = client.mail();
    match verb {
        IspconfigMailDomain::Add {
            domain,
            client: owner,
            server,
        } => {
            let id = mail
                .add_domain(*owner, *server, domain, Default::default())
                .await?;
            json(mail.domain(id).await?)
        }
    }
}

async fn client_verb(
    client: &Client,
    verb: &IspconfigClient,
) -> panelkit_core::Result<serde_json::Value> {
    let clients = client.clients();
    match verb {
        IspconfigClient::List => json(clients.all().await?),
        IspconfigClient::Add {
            username,
            contact,
            email,
            company,
            parent,
            reseller_limit,
        } => {
            let password = secret_line_from_stdin("client add (the client's panel password)")
                .map_err(|f| panelkit_core::Error::config(f.to_string()))?;
            let new = NewClient {
                username: username.clone(),
                password,
                contact_name: contact.clone(),
                email: email.clone(),
                company_name: company.clone(),
            };
            let id = match reseller_limit {
                Some(limit) => {
                    clients
                        .add_reseller(new, *limit, Default::default())
                        .await?
                }
                None => clients.add(*parent, new, Default::default()).await?,
            };
            json(clients.get(id).await?)
        }
    }
}

async fn mail_user(
    client: &Client,
    verb: &IspconfigMailUser,
) -> panelkit_core::Result<serde_json::Value> {
    let mail = client.mail();
    match verb {
        IspconfigMailUser::Add { email } => {
            let password = secret_line_from_stdin("mail-user add (mailbox password)")
                .map_err(|f| panelkit_core::Error::config(f.to_string()))?;
            let id = mail
                .add_mailbox(email, &password, Default::default())
                .await?;
            json(mail.mailbox(id).await?)
        }
        IspconfigMailUser::List { domain } => json(mail.mailboxes(domain.as_deref()).await?),
    }
}
