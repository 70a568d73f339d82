//! Web domains, FTP users, shell users and cron jobs.
//!
//! Footguns fixed here (besides the shared ones in [`super::crud`]):
//! - `sites_web_domain_update` sets `log_retention` to 30 and the PHP-FPM
//!   pool sizes (`pm_max_children`, `pm_start_servers`, `pm_min_spare_servers`,
//!   `pm_max_spare_servers`) to 1 *before* merging the stored record whenever
//!   `params` leaves them out: [`Sites::update_web_domain`] always sends the
//!   stored values (read-merge-write);
//! - `sites_web_domain_get` reads any `web_domain` row (subdomains and alias
//!   domains live there too): only `vhost` rows are web domains here;
//! - FTP/shell users and cron jobs are added with the site's server, owner,
//!   system user/group and directory, since inserts apply no form defaults;
//! - passwords are taken as [`Secret`] and a stored password hash is never
//!   sent back by an update (the panel would hash the hash).
//!
//! Reads answer the generated typed records (`records::WebVhostDomain`,
//! `FtpUser`, `ShellUser`, `Cron`); adds take one as `extra` (its `None`
//! fields are not sent, the defaults below fill what it leaves out); updates
//! take anything that is `Into<Changes>`: a typed record with only the
//! changed fields set, or dynamic [`Changes`].

use panelkit_core::soap::Value;
use panelkit_core::{Result, Secret};

use panelkit_ispconfig::records::{Cron, FtpUser, ShellUser, WebVhostDomain};

use panelkit_ispconfig::crud as descriptors;

use super::crud::{self, Changes, Form};
use super::filter::Filter;
use super::record::Record;
use super::Client;

/// `sites_web_domain_*` reads any `web_domain` row: only `vhost` ones are
/// web domains.
impl Form for descriptors::SitesWebDomain {
    const WHAT: &'static str = "web domain";
    const ROW_KIND: Option<&'static str> = Some("vhost");
    const FILLED_BY_PANEL: &'static [&'static str] = &[
        // sites_web_domain_add sets them to "-" for the vhost plugin to fill.
        "document_root",
        "system_user",
        "system_group",
        // NOTEMPTY only for sub- and alias domains (the form's other branch).
        "web_folder",
    ];
}

impl Form for descriptors::SitesFtpUser {
    const WHAT: &'static str = "FTP user";
}

impl Form for descriptors::SitesShellUser {
    const WHAT: &'static str = "shell user";
}

impl Form for descriptors::SitesCron {
    const WHAT: &'static str = "cron job";
}

/// When a cron job runs, in crontab fields (`*`, `*/5`, `1,2`, ...).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schedule {
    /// Minute.
    pub minute: String,
    /// Hour.
    pub hour: String,
    /// Day of month.
    pub day_of_month: String,
    /// Month.
    pub month: String,
    /// Day of week.
    pub day_of_week: String,
}

impl Schedule {
    /// A schedule from the five crontab fields (`"*/5 * * * *"`); `None`
    /// unless there are exactly five.
    pub fn parse(crontab: &str) -> Option<Schedule> {
        let mut parts = crontab.split_whitespace().map(str::to_owned);
        let s = Schedule {
            minute: parts.next()?,
            hour: parts.next()?,
            day_of_month: parts.next()?,
            month: parts.next()?,
            day_of_week: parts.next()?,
        };
        parts.next().is_none().then_some(s)
    }
}

/// Site helpers; from [`Client::sites`].
#[derive(Clone, Copy, Debug)]
pub struct Sites<'a> {
    pub(crate) client: &'a Client,
}

/// The site-derived fields every FTP/shell user and cron job needs.
fn site_fields(site: &Record) -> Record {
    let mut r = Record::new();
    for (from, to) in [
        ("server_id", "server_id"),
        ("domain_id", "parent_domain_id"),
    ] {
        if let Some(v) = site.get(from) {
            r.set(to, v.clone());
        }
    }
    r
}

impl Sites<'_> {
    /// The web domain with id `id`; `None` when absent or not a `vhost`.
    pub async fn web_domain(&self, id: i64) -> Result<Option<WebVhostDomain>> {
        crud::get_typed::<descriptors::SitesWebDomain>(self.client, id).await
    }

    /// Every web domain (`vhost`).
    pub async fn web_domains(&self) -> Result<Vec<WebVhostDomain>> {
        crud::all_typed::<descriptors::SitesWebDomain>(self.client).await
    }

    /// Web domains named exactly `domain`.
    pub async fn find_web_domains(&self, domain: &str) -> Result<Vec<WebVhostDomain>> {
        crud::find_typed::<descriptors::SitesWebDomain>(
            self.client,
            Filter::new().eq("domain", domain),
        )
        .await
    }

    /// Adds web domain `domain` on server `server_id` for client `client_id`
    /// (0: the admin), as the GUI's site form would store it: the form's
    /// defaults (SSI/suEXEC/error documents/statistics/proxy protocol as
    /// the form sets them, PHP-FPM `ondemand` pool sizes, log retention 30
    /// days, active), a name-based `vhost` on every IP (`*`), PHP
    /// `fast-cgi` — `php-fpm` on an nginx server, read from the server's
    /// web configuration — and unlimited quotas (`-1`; the GUI makes you type
    /// one). `extra` sets or overrides fields (its `None` fields are not
    /// sent); a required field left empty is refused before anything is sent.
    pub async fn add_web_domain(
        &self,
        client_id: i64,
        server_id: i64,
        domain: &str,
        extra: WebVhostDomain,
    ) -> Result<i64> {
        crud::check_id("server", "server_id", server_id)?;
        let extra = Record::from_typed(&extra);
        let mut row: Record = [
            ("server_id", Value::Int(server_id)),
            ("domain", domain.into()),
        ]
        .into_iter()
        .collect();
        for (k, v) in extra.fields() {
            row.set(k.clone(), v.clone());
        }
        if row.get("php").is_none() {
            // web_vhost_domain_edit.php: fast-cgi is offered as php-fpm on nginx.
            let web = self.client.server_config(server_id, "web").await?;
            let nginx = web.text("server_type").as_deref() == Some("nginx");
            row.set("php", if nginx { "php-fpm" } else { "fast-cgi" });
        }
        // What the GUI's onSubmit sets (the form's own defaults for these,
        // `y`, are no option of theirs).
        for (key, value) in [
            ("ip_address", Value::from("*")),
            ("vhost_type", "name".into()),
            ("hd_quota", Value::Int(-1)),
        ] {
            row.set_default(key, value);
        }
        crud::add::<descriptors::SitesWebDomain>(self.client, client_id, row).await
    }

    /// Changes a web domain: read-merge-write, so omitted fields (log
    /// retention, PHP-FPM settings, everything else) keep their values and
    /// the owner is kept; answers the record afterwards. A move to another
    /// client ([`Changes::move_to`]) is refused before anything is sent: the
    /// remote update would re-own the row but leave the site's directories,
    /// system user and FTP/shell users with the old client.
    pub async fn update_web_domain(
        &self,
        id: i64,
        changes: impl Into<Changes>,
    ) -> Result<WebVhostDomain> {
        let changes: Changes = changes.into();
        crud::refuse_move(
            "web domain",
            id,
            &changes,
            "its document_root, system user and group, open_basedir and FTP/shell users \
             (the GUI's moving code does not run for remote updates)",
        )?;
        crud::update_typed::<descriptors::SitesWebDomain>(self.client, id, changes).await
    }

    /// Deletes a web domain; answers whether one was deleted.
    pub async fn delete_web_domain(&self, id: i64) -> Result<bool> {
        crud::delete::<descriptors::SitesWebDomain>(self.client, id).await
    }

    /// The FTP user with id `id`.
    pub async fn ftp_user(&self, id: i64) -> Result<Option<FtpUser>> {
        crud::get_typed::<descriptors::SitesFtpUser>(self.client, id).await
    }

    /// FTP users of `site` (a web domain record).
    pub async fn ftp_users(&self, site: &WebVhostDomain) -> Result<Vec<FtpUser>> {
        let filter = Filter::new().eq("parent_domain_id", site_id(site)?);
        crud::find_typed::<descriptors::SitesFtpUser>(self.client, filter).await
    }

    /// Adds FTP user `username` to `site`, with the site's server, owner,
    /// system user/group and document root, unlimited quota, active.
    pub async fn add_ftp_user(
        &self,
        site: &WebVhostDomain,
        username: &str,
        password: &Secret,
        extra: FtpUser,
    ) -> Result<i64> {
        let login = SiteLogin {
            user_field: "uid",
            group_field: "gid",
        };
        let defaults = [
            ("quota_size", Value::Int(-1)),
            ("quota_files", Value::Int(-1)),
            ("ul_ratio", Value::Int(-1)),
            ("dl_ratio", Value::Int(-1)),
            ("ul_bandwidth", Value::Int(-1)),
            ("dl_bandwidth", Value::Int(-1)),
            ("active", "y".into()),
        ];
        let extra = Record::from_typed(&extra);
        self.add_login::<descriptors::SitesFtpUser, _>(
            login, site, username, password, extra, defaults,
        )
        .await
    }

    /// Adds a login (FTP or shell user) to `site`: the site's server and
    /// owner, its system user and group under the form's names, its document
    /// root as home, then `extra`, then `defaults` for what is still unset
    /// (inserts do not apply the form's defaults).
    async fn add_login<F: Form, const N: usize>(
        &self,
        login: SiteLogin,
        site: &WebVhostDomain,
        username: &str,
        password: &Secret,
        extra: Record,
        defaults: [(&str, Value); N],
    ) -> Result<i64> {
        let site = &Record::from_typed(site);
        let owner = self.client.owner_of(site).await?;
        let mut row = site_fields(site);
        row.set("username", username);
        row.set("password", password.expose());
        for (from, to) in [
            ("system_user", login.user_field),
            ("system_group", login.group_field),
            ("document_root", "dir"),
        ] {
            if let Some(v) = site.get(from) {
                row.set(to, v.clone());
            }
        }
        for (k, v) in extra.fields() {
            row.set(k.clone(), v.clone());
        }
        for (key, value) in defaults {
            row.set_default(key, value);
        }
        crud::add::<F>(self.client, owner, row).await
    }

    /// Changes an FTP user (read-merge-write; the stored password hash is
    /// never sent back — set `password` in the changes to change it).
    pub async fn update_ftp_user(&self, id: i64, changes: impl Into<Changes>) -> Result<FtpUser> {
        crud::update_typed::<descriptors::SitesFtpUser>(self.client, id, changes).await
    }

    /// Deletes an FTP user.
    pub async fn delete_ftp_user(&self, id: i64) -> Result<bool> {
        crud::delete::<descriptors::SitesFtpUser>(self.client, id).await
    }

    /// The shell user with id `id`.
    pub async fn shell_user(&self, id: i64) -> Result<Option<ShellUser>> {
        crud::get_typed::<descriptors::SitesShellUser>(self.client, id).await
    }

    /// Shell users of `site`.
    pub async fn shell_users(&self, site: &WebVhostDomain) -> Result<Vec<ShellUser>> {
        let filter = Filter::new().eq("parent_domain_id", site_id(site)?);
        crud::find_typed::<descriptors::SitesShellUser>(self.client, filter).await
    }

    /// Adds shell user `username` to `site` (the site's server, owner,
    /// system user/group and document root; `/bin/bash`, no chroot, active).
    pub async fn add_shell_user(
        &self,
        site: &WebVhostDomain,
        username: &str,
        password: &Secret,
        extra: ShellUser,
    ) -> Result<i64> {
        let login = SiteLogin {
            user_field: "puser",
            group_field: "pgroup",
        };
        let defaults = [
            ("shell", Value::from("/bin/bash")),
            ("chroot", "no".into()),
            ("quota_size", Value::Int(-1)),
            ("active", "y".into()),
        ];
        let extra = Record::from_typed(&extra);
        self.add_login::<descriptors::SitesShellUser, _>(
            login, site, username, password, extra, defaults,
        )
        .await
    }

    /// Changes a shell user (read-merge-write, password hash never echoed; set
    /// `password` in the changes to change it).
    pub async fn update_shell_user(
        &self,
        id: i64,
        changes: impl Into<Changes>,
    ) -> Result<ShellUser> {
        crud::update_typed::<descriptors::SitesShellUser>(self.client, id, changes).await
    }

    /// Deletes a shell user.
    pub async fn delete_shell_user(&self, id: i64) -> Result<bool> {
        crud::delete::<descriptors::SitesShellUser>(self.client, id).await
    }

    /// The cron job with id `id`.
    pub async fn cron_job(&self, id: i64) -> Result<Option<Cron>> {
        crud::get_typed::<descriptors::SitesCron>(self.client, id).await
    }

    /// Cron jobs of `site`.
    pub async fn cron_jobs(&self, site: &WebVhostDomain) -> Result<Vec<Cron>> {
        let filter = Filter::new().eq("parent_domain_id", site_id(site)?);
        crud::find_typed::<descriptors::SitesCron>(self.client, filter).await
    }

    /// Adds a cron job to `site` (its server and owner): `command` is a URL
    /// (type `url`, the form's default) unless `extra` sets `type`.
    pub async fn add_cron_job(
        &self,
        site: &WebVhostDomain,
        schedule: &Schedule,
        command: &str,
        extra: Cron,
    ) -> Result<i64> {
        let site = &Record::from_typed(site);
        let extra = Record::from_typed(&extra);
        let owner = self.client.owner_of(site).await?;
        let mut row = site_fields(site);
        for (key, value) in [
            ("run_min", &schedule.minute),
            ("run_hour", &schedule.hour),
            ("run_mday", &schedule.day_of_month),
            ("run_month", &schedule.month),
            ("run_wday", &schedule.day_of_week),
        ] {
            row.set(key, value.as_str());
        }
        row.set("command", command);
        for (k, v) in extra.fields() {
            row.set(k.clone(), v.clone());
        }
        row.set_default("type", "url");
        row.set_default("log", "n");
        row.set_default("active", "y");
        crud::add::<descriptors::SitesCron>(self.client, owner, row).await
    }

    /// Changes a cron job (read-merge-write, owner kept).
    pub async fn update_cron_job(&self, id: i64, changes: impl Into<Changes>) -> Result<Cron> {
        crud::update_typed::<descriptors::SitesCron>(self.client, id, changes).await
    }

    /// Deletes a cron job.
    pub async fn delete_cron_job(&self, id: i64) -> Result<bool> {
        crud::delete::<descriptors::SitesCron>(self.client, id).await
    }
}

fn site_id(site: &WebVhostDomain) -> Result<i64> {
    crud::check_id("web domain", "domain_id", site.domain_id.unwrap_or(0))
}

/// Where a site login's form keeps the site's system user and group
/// (`uid`/`gid` for FTP users, `puser`/`pgroup` for shell users).
struct SiteLogin {
    user_field: &'static str,
    group_field: &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules_need_five_fields() {
        let s = Schedule::parse("*/5 2 * * 1-5").unwrap();
        assert_eq!((s.minute.as_str(), s.day_of_week.as_str()), ("*/5", "1-5"));
        assert!(Schedule::parse("* * * *").is_none());
        assert!(Schedule::parse("* * * * * *").is_none());
    }

    #[test]
    fn site_fields_link_to_the_site() {
        let site: Record = [("domain_id", "7"), ("server_id", "1"), ("domain", "x")]
            .into_iter()
            .collect();
        let r = site_fields(&site);
        assert_eq!(r.int("parent_domain_id"), Some(7));
        assert_eq!(r.int("server_id"), Some(1));
        assert_eq!(r.get("domain"), None);
    }
}
