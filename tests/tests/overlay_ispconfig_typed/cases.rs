// The tests of `overlay_ispconfig_typed.rs`, included once per wire (SOAP, JSON); `IspconfigPeer`
// is the including module's peer type.

use panelkit::ispconfig::dns::{NewRecord, RecordType};
use panelkit::ispconfig::records::{
    self, DatabaseUser, DnsA, DnsMx, FtpUser, MailUser, ShellUser, WebVhostDomain,
};
use panelkit::ispconfig::{Changes, FormRecord, Record, Value};
use panelkit_core::Secret;

use crate::overlay_common::{overlay, record, row};

/// Asserts that every field `sent` sets has the same value in `got`.
fn assert_set_fields_equal<T: FormRecord>(sent: &T, got: &T) {
    let got = row(got);
    for (key, value) in row(sent).fields() {
        assert_eq!(got.get(key), Some(value), "{key}");
    }
}

#[tokio::test]
async fn typed_web_domain_add_reads_back_equal_on_the_fields_set() {
    let peer = IspconfigPeer::start();
    let ispc = overlay(&peer);
    let mut site = WebVhostDomain::default();
    site.hd_quota = Some(2500);
    site.traffic_quota = Some(10_000);
    site.pm_max_children = Some(12);
    site.pm_start_servers = Some(3);
    site.pm_min_spare_servers = Some(2);
    site.pm_max_spare_servers = Some(4);
    site.log_retention = Some(45);
    site.active = Some(false);
    let id = ispc
        .sites()
        .add_web_domain(3, 1, "typed.example.com", site.clone())
        .await
        .unwrap();
    let got = ispc.sites().web_domain(id).await.unwrap().unwrap();
    assert_set_fields_equal(&site, &got);
    assert_eq!(got.domain.as_deref(), Some("typed.example.com"));
    assert_eq!(got.domain_id, Some(id));
    // The helper's defaults fill what the typed record left out.
    assert_eq!(got.vhost_type.as_ref().map(|t| t.as_str()), Some("name"));
    assert_eq!(row(&got).text("type").as_deref(), Some("vhost"));
    // And the typed record reads back through the generic decoder the same.
    let raw = record(ispc.generated().sites_web_domain_get(id).await.unwrap());
    assert_eq!(raw.typed::<WebVhostDomain>().unwrap(), got);
}

#[tokio::test]
async fn typed_partial_update_keeps_untouched_and_unknown_fields() {
    let peer = IspconfigPeer::start();
    let ispc = overlay(&peer);
    let before = ispc.sites().web_domain(1).await.unwrap().unwrap();
    assert_eq!(before.log_retention, Some(90));
    assert_eq!(
        (
            before.pm_max_children,
            before.pm_start_servers,
            before.pm_min_spare_servers,
            before.pm_max_spare_servers
        ),
        (Some(20), Some(4), Some(2), Some(6))
    );
    // Columns the form does not define travel in `other`.
    assert!(
        before.other.contains_key("sys_userid"),
        "{:?}",
        before.other
    );
    assert_eq!(
        before.other.get("last_quota_notification"),
        Some(&Value::Null)
    );
    let mut change = WebVhostDomain::default();
    change.hd_quota = Some(4242);
    let after = ispc.sites().update_web_domain(1, change).await.unwrap();
    assert_eq!(after.hd_quota, Some(4242));
    let mut expected = before.clone();
    expected.hd_quota = Some(4242);
    assert_eq!(after, expected, "only hd_quota changed");

    // Read, modify, write back the whole typed record: nothing else moves.
    let mut whole = after.clone();
    whole.pm_max_children = Some(30);
    let again = ispc
        .sites()
        .update_web_domain(1, whole.clone())
        .await
        .unwrap();
    assert_eq!(again, whole);
    // The raw call with the same partial change resets what it leaves out.
    let mut raw_change = WebVhostDomain::default();
    raw_change.hd_quota = Some(1);
    ispc.generated()
        .sites_web_domain_update(0, 1, raw_change)
        .await
        .unwrap();
    let raw = ispc.sites().web_domain(1).await.unwrap().unwrap();
    assert_eq!(raw.log_retention, Some(30));
    assert_eq!(raw.pm_max_children, Some(1));
}

#[tokio::test]
async fn typed_mailbox_and_database_user_round_trip_and_keep_the_hash() {
    let peer = IspconfigPeer::start();
    let ispc = overlay(&peer);
    let mail = ispc.mail();
    let mut extra = MailUser::default();
    extra.name = Some("Typed Person".into());
    extra.quota = Some("1024".into());
    extra.disableimap = Some(true);
    let id = mail
        .add_mailbox("typed@example.com", &Secret::new("mb-pass"), extra.clone())
        .await
        .unwrap();
    let got = mail.mailbox(id).await.unwrap().unwrap();
    assert_set_fields_equal(&extra, &got);
    let hash =
        || async { record(ispc.generated().mail_user_get(id).await.unwrap()).text("password") };
    let stored = hash().await;
    let mut change = MailUser::default();
    change.disableimap = Some(false);
    let after = mail.update_mailbox(id, change).await.unwrap();
    assert_eq!(after.disableimap, Some(false));
    assert_eq!(after.name.as_deref(), Some("Typed Person"));
    assert_eq!(after.email.as_deref(), Some("typed@example.com"));
    assert_eq!(hash().await, stored, "hash kept");

    let dbs = ispc.databases();
    let user = dbs
        .add_user(2, 1, "c2_typed", &Secret::new("db-pass"))
        .await
        .unwrap();
    let got: DatabaseUser = dbs.user(user).await.unwrap().unwrap();
    assert_eq!(got.database_user.as_deref(), Some("c2_typed"));
    assert_eq!(got.server_id, Some(1));
    assert_eq!(got.database_password, None, "write-only");
}

#[tokio::test]
async fn dns_records_read_typed_and_take_typed_partial_changes() {
    let peer = IspconfigPeer::start();
    let ispc = overlay(&peer);
    let dns = ispc.dns();
    let zone = dns.zone("example.com").await.unwrap();
    let soa = zone.typed().unwrap();
    assert_eq!(soa.origin.as_deref(), Some("example.com."));
    let id = dns
        .add(
            &zone,
            NewRecord::new(RecordType::Mx, "@", "mail.example.com.")
                .priority(20)
                .ttl(600),
        )
        .await
        .unwrap();
    let mx: DnsMx = dns.get(id).await.unwrap().unwrap();
    assert_eq!(mx.data.as_deref(), Some("mail.example.com."));
    assert_eq!(mx.aux, Some(20));
    assert_eq!(mx.ttl, Some(600));
    assert_eq!(mx.active, Some(true));
    // The dynamic record converts to the same typed one.
    let dynamic = dns.record(RecordType::Mx, id).await.unwrap().unwrap();
    assert_eq!(dynamic.typed::<DnsMx>().unwrap(), mx);
    // Of another type, the typed read answers nothing.
    assert_eq!(dns.get::<DnsA>(id).await.unwrap(), None);
    // The seed has an apex MX too.
    let found = dns.find::<DnsMx>(&zone, "example.com.").await.unwrap();
    assert_eq!(found.len(), 2);
    assert!(found.contains(&mx));
    // A typed partial change: only the TTL.
    let mut change = DnsMx::default();
    change.ttl = Some(7200);
    let after = dns
        .update_record(RecordType::Mx, id, change)
        .await
        .unwrap()
        .into_typed::<DnsMx>()
        .unwrap();
    let mut expected = mx.clone();
    expected.ttl = Some(7200);
    // The stamp and serial-related columns may move; the form's fields do not.
    for info in DnsMx::FIELDS {
        assert_eq!(
            row(&after).get(info.name),
            row(&expected).get(info.name),
            "{}",
            info.name
        );
    }
}

#[test]
fn typed_passwords_never_show_in_debug() {
    const PASSWORD: &str = "hunter2-typed";
    let secret = || Some(Secret::new(PASSWORD));
    let mut ftp = FtpUser::default();
    ftp.password = secret();
    let mut shell = ShellUser::default();
    shell.password = secret();
    let mut mailbox = MailUser::default();
    mailbox.password = secret();
    let mut client = records::Client::default();
    client.password = secret();
    let mut db_user = DatabaseUser::default();
    db_user.database_password = secret();
    let mut site = WebVhostDomain::default();
    site.stats_password = secret();
    let shown = format!(
        "{ftp:?}{shell:?}{mailbox:?}{client:?}{db_user:?}{site:?}{:?}{:?}{:?}",
        Changes::from(ftp.clone()),
        Changes::from(client.clone()),
        Changes::from(site.clone())
    );
    assert!(!shown.contains(PASSWORD), "{shown}");
    // They are sent, though: as secrets of the change.
    let changes = Changes::from(db_user);
    assert!(changes.sets("database_password"));
    assert_eq!(changes.fields().get("database_password"), None);
    // A password read from the panel (a hash) is dropped, never carried back.
    let read: Record = [("password", "$6$peer$hash"), ("username", "u")]
        .into_iter()
        .collect();
    let ftp = read.typed::<FtpUser>().unwrap();
    assert_eq!(ftp.password, None);
    assert!(!Changes::from(ftp).sets("password"));
}
