//! `selftest`: every audited helper end to end against a real panel, on
//! scratch records it creates and always deletes again.
//!
//! It writes to the panel (a scratch client unless one is given, two zones
//! whose names share a prefix, records, a web domain with FTP and shell
//! users, a mail domain with a mailbox, an alias and a forward, a database
//! user and a database), reads each back, updates some partially, checks
//! the footgun fixes on the live answers, then deletes everything in reverse
//! order — also after a failed step — and says what it could not delete.
//! Every step records the helper, the upstream methods behind it, whether
//! it held and how long it took.

use std::future::Future;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use panelkit_core::{Error, Result, Secret};
use panelkit_ispconfig::records::{self, DnsA, FtpUser, MailUser, ShellUser, WebVhostDomain};
use serde::Serialize;

use super::clients::NewClient;
use super::dns::{RecordType, Zone};
use super::mail::Forwarding;
use super::record::Record;
use super::{pins, Changes, Client};

/// What to run against.
#[derive(Clone, Debug)]
pub struct Options {
    /// An existing client to own the scratch records; `None`: a scratch
    /// client is added (and deleted at the end).
    pub client_id: Option<i64>,
    /// The server for web, mail, DNS and databases (a single-server panel's
    /// is 1).
    pub server_id: i64,
    /// Makes the scratch names unique (`selftest-<tag>.example`); from the
    /// clock unless set.
    pub tag: String,
}

impl Default for Options {
    fn default() -> Self {
        let secs = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        Options {
            client_id: None,
            server_id: 1,
            tag: format!("{:06x}", secs % 0xff_ffff),
        }
    }
}

/// One step of the run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Step {
    /// What was done (`web domain: partial update keeps log_retention`).
    pub step: String,
    /// The helper exercised (`Sites::update_web_domain`).
    pub helper: &'static str,
    /// The upstream methods behind it.
    pub methods: &'static [&'static str],
    /// Whether it worked and every check on the answer held.
    pub ok: bool,
    /// Wall time in milliseconds.
    pub ms: u64,
    /// Why it failed.
    pub error: Option<String>,
}

/// The whole run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Every step, in order, clean-up included.
    pub steps: Vec<Step>,
    /// What the run created and could not delete (empty: nothing left).
    pub left_behind: Vec<String>,
}

impl Report {
    /// Whether every step held and nothing was left behind.
    pub fn passed(&self) -> bool {
        self.steps.iter().all(|s| s.ok) && self.left_behind.is_empty()
    }
}

/// Something the run created, deleted again at the end.
#[derive(Clone, Debug)]
enum Created {
    Client(i64),
    Zone(i64),
    Record(RecordType, i64),
    WebDomain(i64),
    FtpUser(i64),
    ShellUser(i64),
    MailDomain(i64),
    Mailbox(i64),
    Forwarding(Forwarding, i64),
    DatabaseUser(i64),
    Database(i64),
}

struct Run<'a> {
    client: &'a Client,
    steps: Vec<Step>,
    created: Vec<Created>,
}

/// A check on a live answer that did not hold.
fn check(holds: bool, what: impl Into<String>) -> Result<()> {
    if holds {
        Ok(())
    } else {
        Err(Error::unexpected(None, what.into(), b""))
    }
}

impl Run<'_> {
    /// Runs one step; `None` when it failed (the failure is recorded).
    async fn step<T>(
        &mut self,
        step: impl Into<String>,
        helper: &'static str,
        work: impl Future<Output = Result<T>>,
    ) -> Option<T> {
        let started = Instant::now();
        let result = work.await;
        let ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let (ok, error, value) = match result {
            Ok(value) => (true, None, Some(value)),
            Err(error) => (false, Some(error.to_string()), None),
        };
        self.steps.push(Step {
            step: step.into(),
            helper,
            methods: pins::methods_of(helper),
            ok,
            ms,
            error,
        });
        value
    }

    /// Records `id` for the clean-up, passing it on.
    fn created(&mut self, what: Created) {
        self.created.push(what);
    }
}

/// Runs the self-test (see the module docs); never fails itself: every
/// failure is a step of the report.
pub async fn run(client: &Client, options: &Options) -> Report {
    let mut run = Run {
        client,
        steps: Vec::new(),
        created: Vec::new(),
    };
    exercise(&mut run, options).await;
    let left_behind = clean_up(&mut run).await;
    Report {
        steps: run.steps,
        left_behind,
    }
}

async fn exercise(run: &mut Run<'_>, options: &Options) {
    let c = run.client;
    let tag = &options.tag;
    let server = options.server_id;
    let password = Secret::new(format!("Pk-{tag}-Selftest-1!"));

    // A client to own everything.
    let owner = match options.client_id {
        Some(id) => id,
        None => {
            let new = NewClient {
                username: format!("pkselftest{tag}"),
                password: password.clone(),
                contact_name: "panelkit selftest".to_owned(),
                email: format!("selftest-{tag}@example.com"),
                company_name: String::new(),
            };
            let added = run
                .step(
                    "client: add with the form's defaults",
                    "Clients::add",
                    async {
                        let id = c.clients().add(0, new, records::Client::default()).await?;
                        let got = c.clients().get(id).await?;
                        check(
                            got.as_ref().and_then(|g| g.limit_web_domain) == Some(-1),
                            "the client's limits are the form's (-1)",
                        )?;
                        Ok(id)
                    },
                )
                .await;
            let Some(id) = added else { return };
            run.created(Created::Client(id));
            id
        }
    };

    // DNS: two zones sharing a prefix, exact lookup, records, partial update.
    let origin = format!("selftest-{tag}.example");
    let longer = format!("{origin}.au");
    for name in [&longer, &origin] {
        let zone = run
            .step(
                format!("dns: add zone {name}"),
                "Dns::add_zone",
                c.dns()
                    .add_zone(owner, server, name, &format!("ns1.{origin}"), "hostmaster"),
            )
            .await;
        if let Some(id) = zone {
            run.created(Created::Zone(id));
        }
    }
    let zone: Option<Zone> = run
        .step(
            "dns: zone lookup is exact beside a prefix-sharing zone",
            "Dns::zone",
            async {
                let zone = c.dns().zone(&origin).await?;
                check(
                    zone.origin == format!("{origin}."),
                    format!("looked up {origin}, got {}", zone.origin),
                )?;
                Ok(zone)
            },
        )
        .await;
    if let Some(zone) = &zone {
        for (name, rtype, data) in [
            ("www", RecordType::A, "192.0.2.10"),
            ("", RecordType::Mx, format!("10 mail.{origin}.").as_str()),
            ("", RecordType::Txt, "v=selftest"),
        ] {
            let added = run
                .step(
                    format!("dns: add {rtype} record"),
                    "Dns::add_record",
                    async {
                        let id = c.dns().add_record(zone, name, rtype, data).await?;
                        let stored = c.dns().record(rtype, id).await?.unwrap_or_default();
                        check(
                            stored.text("type").as_deref() == Some(rtype.to_string().as_str()),
                            format!("the {rtype} record is stored with its type"),
                        )?;
                        check(
                            stored.text("active").as_deref() == Some("Y"),
                            "the record is active",
                        )?;
                        check(stored.int("ttl").is_some_and(|t| t > 0), "it has a ttl")?;
                        Ok(id)
                    },
                )
                .await;
            if let Some(id) = added {
                run.created(Created::Record(rtype, id));
                if rtype == RecordType::A {
                    run.step(
                        "dns: partial update keeps the other fields",
                        "Dns::update_record",
                        async {
                            c.dns()
                                .update_record(rtype, id, Changes::new().set("ttl", 7200))
                                .await?;
                            let a: DnsA = c.dns().get(id).await?.unwrap_or_default();
                            check(a.ttl == Some(7200), "the ttl changed")?;
                            check(a.data.as_deref() == Some("192.0.2.10"), "the data was kept")
                        },
                    )
                    .await;
                }
            }
        }
    }

    // Sites: a web domain, a partial update, FTP and shell users.
    let site_id = run
        .step(
            "sites: add a web domain with the form's defaults",
            "Sites::add_web_domain",
            async {
                let id = c
                    .sites()
                    .add_web_domain(owner, server, &origin, WebVhostDomain::default())
                    .await?;
                let site = c.sites().web_domain(id).await?.unwrap_or_default();
                check(site.suexec == Some(true), "suexec is the form's y")?;
                check(
                    site.log_retention == Some(30),
                    "log retention is the form's 30",
                )?;
                Ok(id)
            },
        )
        .await;
    if let Some(site_id) = site_id {
        run.created(Created::WebDomain(site_id));
        run.step(
            "sites: partial update keeps log retention, pools and owner",
            "Sites::update_web_domain",
            async {
                let before = c.sites().web_domain(site_id).await?.unwrap_or_default();
                let mut change = WebVhostDomain::default();
                change.hd_quota = Some(512);
                let after = c.sites().update_web_domain(site_id, change).await?;
                check(after.hd_quota == Some(512), "the quota changed")?;
                check(
                    after.log_retention == before.log_retention
                        && after.pm_max_children == before.pm_max_children,
                    "log retention and PHP-FPM pool sizes were kept",
                )?;
                check(
                    Record::from_typed(&after).int("sys_groupid")
                        == Record::from_typed(&before).int("sys_groupid"),
                    "the owner was kept",
                )
            },
        )
        .await;
        let site = c.sites().web_domain(site_id).await.ok().flatten();
        if let Some(site) = site {
            let ftp = run
                .step(
                    "sites: add an FTP user",
                    "Sites::add_ftp_user",
                    c.sites().add_ftp_user(
                        &site,
                        &format!("pkst{tag}ftp"),
                        &password,
                        FtpUser::default(),
                    ),
                )
                .await;
            if let Some(id) = ftp {
                run.created(Created::FtpUser(id));
            }
            let shell = run
                .step(
                    "sites: add a shell user",
                    "Sites::add_shell_user",
                    c.sites().add_shell_user(
                        &site,
                        &format!("pkst{tag}sh"),
                        &password,
                        ShellUser::default(),
                    ),
                )
                .await;
            if let Some(id) = shell {
                run.created(Created::ShellUser(id));
            }
            let db_user = run
                .step(
                    "databases: add a database user",
                    "Databases::add_user",
                    c.databases()
                        .add_user(owner, server, &format!("pkst{tag}u"), &password),
                )
                .await;
            if let Some(user_id) = db_user {
                run.created(Created::DatabaseUser(user_id));
                let db = run
                    .step(
                        "databases: add a database",
                        "Databases::add_database",
                        c.databases().add_database(
                            &site,
                            &format!("pkst{tag}db"),
                            user_id,
                            records::Database::default(),
                        ),
                    )
                    .await;
                if let Some(id) = db {
                    run.created(Created::Database(id));
                }
            }
        }
    }

    // Mail: a domain, a mailbox with its maildir, an alias and a forward.
    let mail_domain = run
        .step(
            "mail: add a mail domain",
            "Mail::add_domain",
            c.mail()
                .add_domain(owner, server, &origin, records::MailDomain::default()),
        )
        .await;
    if let Some(id) = mail_domain {
        run.created(Created::MailDomain(id));
        let mailbox = run
            .step(
                "mail: add a mailbox with its maildir",
                "Mail::add_mailbox",
                async {
                    let id = c
                        .mail()
                        .add_mailbox(&format!("box@{origin}"), &password, MailUser::default())
                        .await?;
                    let stored = c.mail().mailbox(id).await?.unwrap_or_default();
                    let maildir = Record::from_typed(&stored).text("maildir");
                    check(
                        maildir.is_some_and(|m| m.contains(&origin)),
                        "the maildir names the domain",
                    )?;
                    Ok(id)
                },
            )
            .await;
        if let Some(id) = mailbox {
            run.created(Created::Mailbox(id));
        }
        for (kind, helper, source, destination) in [
            (
                Forwarding::Alias,
                "Mail::add_alias",
                format!("alias@{origin}"),
                format!("box@{origin}"),
            ),
            (
                Forwarding::Forward,
                "Mail::add_forward",
                format!("fwd@{origin}"),
                "selftest@example.org".to_owned(),
            ),
        ] {
            let added = run
                .step(
                    format!("mail: add {}", helper.trim_start_matches("Mail::add_")),
                    helper,
                    c.mail().add_forwarding(kind, &source, &destination),
                )
                .await;
            if let Some(id) = added {
                run.created(Created::Forwarding(kind, id));
            }
        }
    }
}

/// Deletes what the run created, newest first; answers what could not be
/// deleted.
async fn clean_up(run: &mut Run<'_>) -> Vec<String> {
    let c = run.client;
    let mut left = Vec::new();
    while let Some(created) = run.created.pop() {
        let (what, helper): (String, &'static str) = match &created {
            Created::Client(id) => (format!("client {id}"), "Clients::delete"),
            Created::Zone(id) => (format!("zone {id}"), "Dns::delete_zone"),
            Created::Record(t, id) => (format!("{t} record {id}"), "Dns::delete_record"),
            Created::WebDomain(id) => (format!("web domain {id}"), "Sites::delete_web_domain"),
            Created::FtpUser(id) => (format!("FTP user {id}"), "Sites::delete_ftp_user"),
            Created::ShellUser(id) => (format!("shell user {id}"), "Sites::delete_shell_user"),
            Created::MailDomain(id) => (format!("mail domain {id}"), "Mail::delete_domain"),
            Created::Mailbox(id) => (format!("mailbox {id}"), "Mail::delete_mailbox"),
            Created::Forwarding(kind, id) => (format!("{kind:?} {id}"), "Mail::delete_forwarding"),
            Created::DatabaseUser(id) => (format!("database user {id}"), "Databases::delete_user"),
            Created::Database(id) => (format!("database {id}"), "Databases::delete_database"),
        };
        let deleted = run
            .step(format!("clean up: delete {what}"), helper, async {
                let gone = match created {
                    Created::Client(id) => c.clients().delete(id).await?,
                    Created::Zone(id) => c.dns().delete_zone(id).await?,
                    Created::Record(t, id) => c.dns().delete_record(t, id).await?,
                    Created::WebDomain(id) => c.sites().delete_web_domain(id).await?,
                    Created::FtpUser(id) => c.sites().delete_ftp_user(id).await?,
                    Created::ShellUser(id) => c.sites().delete_shell_user(id).await?,
                    Created::MailDomain(id) => c.mail().delete_domain(id).await?,
                    Created::Mailbox(id) => c.mail().delete_mailbox(id).await?,
                    Created::Forwarding(kind, id) => c.mail().delete_forwarding(kind, id).await?,
                    Created::DatabaseUser(id) => c.databases().delete_user(id).await?,
                    Created::Database(id) => c.databases().delete_database(id).await?,
                };
                check(gone, "nothing was deleted")
            })
            .await;
        if deleted.is_none() {
            left.push(what);
        }
    }
    left
}
