// The tests of `overlay_ispconfig_sites.rs`, included once per wire (SOAP, JSON); `IspconfigPeer`
// is the including module's peer type.

use panelkit::ispconfig::records::{Cron, FtpUser, ShellUser, WebVhostDomain};
use panelkit::ispconfig::sites::Schedule;
use panelkit::ispconfig::{Changes, Value};
use panelkit_core::{Error, Secret};

use crate::overlay_common::{group, map, overlay, record, row};

#[tokio::test]
async fn web_domain_update_keeps_log_retention_and_php_fpm_settings() {
    let peer = IspconfigPeer::start();
    let ispc = overlay(&peer);
    // Raw: leaving them out resets log_retention to 30 and the pools to 1.
    ispc.generated()
        .sites_web_domain_update(0, 2, map(&[("hd_quota", 2000.into())]))
        .await
        .unwrap();
    let raw = record(ispc.generated().sites_web_domain_get(2).await.unwrap());
    assert_eq!(raw.text("hd_quota").as_deref(), Some("2000"));
    assert_eq!(raw.text("pm_max_children").as_deref(), Some("1"));
    assert_eq!(raw.text("pm_start_servers").as_deref(), Some("1"));
    assert_eq!(raw.text("pm_max_spare_servers").as_deref(), Some("1"));

    // Helper: only hd_quota changes.
    let before = ispc.sites().web_domain(1).await.unwrap().unwrap();
    assert_eq!(before.log_retention, Some(90));
    let after = ispc
        .sites()
        .update_web_domain(1, Changes::new().set("hd_quota", 3000))
        .await
        .unwrap();
    assert_eq!(after.hd_quota, Some(3000));
    let (before, after) = (row(&before), row(&after));
    for (key, value) in before.fields() {
        if key != "hd_quota" {
            assert_eq!(after.get(key), Some(value), "{key} changed");
        }
    }
}

#[tokio::test]
async fn web_domain_update_with_a_missing_id_never_reaches_the_html_page() {
    let peer = IspconfigPeer::start();
    let ispc = overlay(&peer);
    let raw = ispc
        .generated()
        .sites_web_domain_update(0, Value::Null, map(&[("php", "fast-cgi".into())]))
        .await
        .unwrap_err();
    assert!(
        matches!(
            raw,
            Error::UnexpectedResponse {
                status: Some(200),
                ..
            }
        ),
        "{raw:?}"
    );
    let calls = peer.stats().await.calls_of("sites_web_domain_update");
    let err = ispc
        .sites()
        .update_web_domain(0, Changes::new().set("php", "fast-cgi"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Validation { ref code, .. } if code == "invalid_id"),
        "{err:?}"
    );
    assert_eq!(
        peer.stats().await.calls_of("sites_web_domain_update"),
        calls
    );
    assert_eq!(peer.stats().await.calls_of("sites_web_domain_get"), 0);
}

#[tokio::test]
async fn web_domain_add_writes_a_vhost() {
    let peer = IspconfigPeer::start();
    let ispc = overlay(&peer);
    // Raw: the remote API applies none of the form's defaults, so the
    // panel refuses what its own GUI would have filled in (as the genuine
    // 3.2.12p1 does: these keys, in form order there).
    let refused = ispc
        .generated()
        .sites_web_domain_add(
            2,
            map(&[
                ("server_id", 1.into()),
                ("domain", "raw.example.com".into()),
                ("traffic_quota", (-1).into()),
                ("active", "y".into()),
            ]),
            None,
        )
        .await
        .unwrap_err();
    match &refused {
        Error::Validation { fields, .. } => {
            let mut fields = fields.clone();
            fields.sort();
            assert_eq!(
                fields,
                [
                    "allow_override_error_empty",
                    "hd_quota_error_empty",
                    "hd_quota_error_regex",
                    "http_port_error_regex",
                    "https_port_error_regex",
                    "pm_max_requests_error_regex",
                    "pm_process_idle_timeout_error_regex",
                ]
            );
        }
        other => panic!("{other:?}"),
    }
    // With those given, the form's `type` is still not written: the row is
    // no web site.
    let raw_id = ispc
        .generated()
        .sites_web_domain_add(
            2,
            map(&[
                ("server_id", 1.into()),
                ("domain", "raw.example.com".into()),
                ("traffic_quota", (-1).into()),
                ("hd_quota", (-1).into()),
                ("allow_override", "All".into()),
                ("pm_max_requests", 0.into()),
                ("pm_process_idle_timeout", 10.into()),
                ("http_port", 80.into()),
                ("https_port", 443.into()),
                ("active", "y".into()),
            ]),
            None,
        )
        .await
        .unwrap()
        .as_i64()
        .unwrap();
    let raw = record(ispc.generated().sites_web_domain_get(raw_id).await.unwrap());
    assert_eq!(raw.text("type").as_deref(), Some(""));
    assert_eq!(ispc.sites().web_domain(raw_id).await.unwrap(), None);

    let mut stats = WebVhostDomain::default();
    stats.stats_password = Some(Secret::new("stats-secret"));
    assert!(!format!("{stats:?}").contains("stats-secret"), "redacted");
    let id = ispc
        .sites()
        .add_web_domain(2, 1, "new.example.com", stats)
        .await
        .unwrap();
    let site = ispc.sites().web_domain(id).await.unwrap().unwrap();
    assert_eq!(row(&site).text("type").as_deref(), Some("vhost"));
    assert_eq!(site.domain.as_deref(), Some("new.example.com"));
    assert_eq!(group(&site), Some(3));
    // The form's defaults, as the GUI stores them (the peer's server 1 is
    // nginx, so PHP is php-fpm there).
    assert_eq!(site.log_retention, Some(30));
    assert_eq!(site.pm_max_children, Some(10));
    assert_eq!(site.suexec, Some(true));
    assert_eq!(site.errordocs, Some(true));
    assert_eq!(site.proxy_protocol, Some(true));
    assert_eq!(site.http_port, Some(0));
    assert_eq!(row(&site).text("stats_type").as_deref(), Some("awstats"));
    assert_eq!(row(&site).text("php").as_deref(), Some("php-fpm"));
    assert_eq!(row(&site).text("vhost_type").as_deref(), Some("name"));
    assert_eq!(site.stats_password, None, "write-only");
    // The statistics password hash survives a helper update; a raw
    // read-merge-write by hand hashes it again.
    let raw_site = || async { record(ispc.generated().sites_web_domain_get(id).await.unwrap()) };
    let hash = raw_site().await.text("stats_password");
    assert!(hash.as_deref().unwrap().starts_with("$6$peer$"));
    ispc.sites()
        .update_web_domain(id, Changes::new().set("hd_quota", 10))
        .await
        .unwrap();
    let site = raw_site().await;
    assert_eq!(site.text("stats_password"), hash);
    ispc.generated()
        .sites_web_domain_update(0, id, site.clone().into_value())
        .await
        .unwrap();
    let raw = record(ispc.generated().sites_web_domain_get(id).await.unwrap());
    assert_ne!(raw.text("stats_password"), hash);
    let found = ispc
        .sites()
        .find_web_domains("new.example.com")
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(ispc.sites().web_domains().await.unwrap().len(), 3);
    assert!(ispc.sites().delete_web_domain(id).await.unwrap());
    assert!(
        !ispc.sites().delete_web_domain(raw_id).await.unwrap(),
        "not a vhost"
    );
}

#[tokio::test]
async fn ftp_users_get_the_sites_fields_and_their_password_is_never_echoed() {
    let peer = IspconfigPeer::start();
    let ispc = overlay(&peer);
    let site = ispc.sites().web_domain(1).await.unwrap().unwrap();
    let id = ispc
        .sites()
        .add_ftp_user(
            &site,
            "c2ftp",
            &Secret::new("ftp-pässword"),
            FtpUser::default(),
        )
        .await
        .unwrap();
    let user = ispc.sites().ftp_user(id).await.unwrap().unwrap();
    assert_eq!(user.parent_domain_id, Some(1));
    assert_eq!(user.server_id, Some(1));
    assert_eq!(
        row(&user).text("uid").as_deref(),
        Some("web1"),
        "not a form field: kept in other"
    );
    assert_eq!(row(&user).text("gid").as_deref(), Some("client2"));
    assert_eq!(user.dir.as_deref(), Some("/var/www/clients/client2/web1"));
    assert_eq!(group(&user), Some(3), "owned like the site");
    assert_eq!(user.active, Some(true));
    let raw_user = || async { record(ispc.generated().sites_ftp_user_get(id).await.unwrap()) };
    let hash = raw_user().await.text("password").unwrap();
    assert!(hash.starts_with("$6$peer$"), "{hash}");
    assert_eq!(ispc.sites().ftp_users(&site).await.unwrap().len(), 1);

    // Helper update: the stored hash stays.
    let updated = ispc
        .sites()
        .update_ftp_user(id, Changes::new().set("quota_size", 500))
        .await
        .unwrap();
    assert_eq!(updated.quota_size, Some(500));
    assert_eq!(raw_user().await.text("password"), Some(hash.clone()));
    // A new password through a typed change is hashed once, and never shown.
    let mut change = FtpUser::default();
    change.password = Some(Secret::new("new-secret"));
    let changes = Changes::from(change.clone());
    assert!(!format!("{change:?}{changes:?}").contains("new-secret"));
    ispc.sites().update_ftp_user(id, change).await.unwrap();
    assert_ne!(raw_user().await.text("password"), Some(hash.clone()));

    // Raw read-merge-write by hand sends the hash back: the panel hashes it
    // again and the password is lost.
    let row = record(ispc.generated().sites_ftp_user_get(id).await.unwrap());
    let stored = row.text("password");
    ispc.generated()
        .sites_ftp_user_update(0, id, row.into_value())
        .await
        .unwrap();
    let after = record(ispc.generated().sites_ftp_user_get(id).await.unwrap());
    assert_ne!(after.text("password"), stored, "double-hashed");
    assert!(ispc.sites().delete_ftp_user(id).await.unwrap());
}

#[tokio::test]
async fn shell_users_and_cron_jobs_belong_to_their_site() {
    let peer = IspconfigPeer::start();
    let ispc = overlay(&peer);
    let site = ispc.sites().web_domain(2).await.unwrap().unwrap();
    let shell = ispc
        .sites()
        .add_shell_user(
            &site,
            "c3shell",
            &Secret::new("sh-secret"),
            ShellUser::default(),
        )
        .await
        .unwrap();
    let user = ispc.sites().shell_user(shell).await.unwrap().unwrap();
    assert_eq!(user.puser.as_deref(), Some("web2"));
    assert_eq!(user.pgroup.as_deref(), Some("client3"));
    assert_eq!(row(&user).text("shell").as_deref(), Some("/bin/bash"));
    assert_eq!(row(&user).text("chroot").as_deref(), Some("no"));
    assert_eq!(group(&user), Some(4));
    let raw_user = || async { record(ispc.generated().sites_shell_user_get(shell).await.unwrap()) };
    let hash = raw_user().await.text("password");
    let mut change = ShellUser::default();
    change.active = Some(false);
    let user = ispc.sites().update_shell_user(shell, change).await.unwrap();
    assert_eq!(user.active, Some(false));
    assert_eq!(raw_user().await.text("password"), hash);
    assert_eq!(group(&user), Some(4));
    assert_eq!(ispc.sites().shell_users(&site).await.unwrap().len(), 1);

    // Raw cron add: no type, not active, no server unless given.
    let raw = ispc
        .generated()
        .sites_cron_add(
            3,
            map(&[
                ("server_id", 1.into()),
                ("parent_domain_id", 2.into()),
                ("run_min", "*".into()),
                ("run_hour", "*".into()),
                ("run_mday", "*".into()),
                ("run_month", "*".into()),
                ("run_wday", "*".into()),
                ("command", "https://shop.example.com/cron".into()),
            ]),
        )
        .await
        .unwrap()
        .as_i64()
        .unwrap();
    let raw = record(ispc.generated().sites_cron_get(raw).await.unwrap());
    assert_eq!(raw.text("type").as_deref(), Some(""));
    assert_eq!(raw.text("active").as_deref(), Some("n"));

    let schedule = Schedule::parse("*/5 * * * *").unwrap();
    let cron = ispc
        .sites()
        .add_cron_job(
            &site,
            &schedule,
            "https://shop.example.com/cron",
            Cron::default(),
        )
        .await
        .unwrap();
    let job = ispc.sites().cron_job(cron).await.unwrap().unwrap();
    assert_eq!(row(&job).text("type").as_deref(), Some("url"));
    assert_eq!(job.active, Some(true));
    assert_eq!(job.run_min.as_deref(), Some("*/5"));
    assert_eq!(job.parent_domain_id, Some(2));
    assert_eq!(group(&job), Some(4));
    let mut change = Cron::default();
    change.run_hour = Some("3".into());
    let job = ispc.sites().update_cron_job(cron, change).await.unwrap();
    assert_eq!(job.run_min.as_deref(), Some("*/5"));
    assert_eq!(job.run_hour.as_deref(), Some("3"));
    assert_eq!(ispc.sites().cron_jobs(&site).await.unwrap().len(), 2);
    assert!(ispc.sites().delete_cron_job(cron).await.unwrap());
    assert!(ispc.sites().delete_shell_user(shell).await.unwrap());
    assert_eq!(ispc.sites().cron_job(cron).await.unwrap(), None);
}
