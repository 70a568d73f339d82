// The tests of `ispconfig_records.rs`, included once per wire (SOAP, JSON); `IspconfigPeer`
// is the including module's peer type.

use panelkit_ispconfig::records::{
    Client as ClientRecord, DnsA, DnsSoa, MailDomain, MailUser, MailUserMoveJunk, WebVhostDomain,
};
use panelkit_ispconfig::{from_value, Client, Value};
use serde::de::DeserializeOwned;

fn client(peer: &IspconfigPeer) -> Client {
    Client::builder()
        .remote_methods(panelkit_tests::peer_remote_methods())
        .url(peer.url())
        .credentials(peer.user(), peer.password())
        .build()
        .unwrap()
}

/// A scalar as the database stores it (rows are strings or NULL).
fn stored(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Int(i) => Some(i.to_string()),
        Value::Float(f) => Some(f.to_string()),
        Value::Bool(b) => Some(if *b { "1" } else { "" }.to_owned()),
        other => panic!("not a scalar: {other:?}"),
    }
}

fn entries(v: &Value) -> &[(String, Value)] {
    v.as_map().unwrap_or_else(|| panic!("not a record: {v:?}"))
}

/// Every field of `raw` is in `encoded` with the same stored value, except
/// NULL or empty values of typed fields, which a record leaves out (as the
/// panel treats an absent field), and `password`, which records never read
/// back (the panel would hash the stored hash); `encoded` has nothing `raw`
/// lacks.
fn assert_same_record(raw: &Value, encoded: &Value, what: &str) {
    for (key, value) in entries(raw) {
        if key == "password" {
            assert_eq!(
                encoded.get(key),
                None,
                "{what}: a stored password is not sent back"
            );
            continue;
        }
        match encoded.get(key) {
            Some(e) => assert_eq!(stored(e), stored(value), "{what}: {key}"),
            None => assert!(
                matches!(stored(value).as_deref(), None | Some("")),
                "{what}: {key} = {value:?} lost"
            ),
        }
    }
    for (key, _) in entries(encoded) {
        assert!(raw.get(key).is_some(), "{what}: {key} added");
    }
}

/// Decodes `raw` as `T`, checks nothing is lost, and that `T` survives a
/// trip through PHP's SoapServer (our encoder → ext/soap → our decoder).
async fn check<T>(client: &Client, raw: Value, what: &str) -> T
where
    T: DeserializeOwned + PartialEq + std::fmt::Debug,
    for<'a> &'a T: Into<Value>,
{
    let record: T = from_value(raw.clone()).unwrap_or_else(|e| panic!("{what}: {e}"));
    let encoded: Value = (&record).into();
    assert_same_record(&raw, &encoded, what);
    let echoed = client.raw_call("peer_echo", vec![encoded]).await.unwrap();
    let again: T = from_value(echoed).unwrap();
    assert_eq!(again, record, "{what}: through PHP");
    record
}

#[tokio::test]
async fn records_the_peer_answers_decode_and_encode_without_loss() {
    let peer = IspconfigPeer::start();
    let c = client(&peer);

    let a: DnsA = check(&c, c.dns_a_get(10).await.unwrap(), "dns_a_get").await;
    assert_eq!(a.id, Some(10));
    assert_eq!(a.ttl, Some(3600));
    assert_eq!(a.active, Some(true), "the DNS forms store Y/N");
    assert_eq!(a.data.as_deref(), Some("192.0.2.10"));
    assert_eq!(a.serial, None, "NULL");
    assert_eq!(
        a.other.get("sys_userid"),
        Some(&Value::from("1")),
        "not a form field: kept"
    );

    let txt: DnsA = check(&c, c.dns_a_get(12).await.unwrap(), "dns_a_get txt").await;
    assert!(txt.data.unwrap().contains("Grüße 東京 🙂"));

    let web: WebVhostDomain = check(
        &c,
        c.sites_web_domain_get(1).await.unwrap(),
        "sites_web_domain_get",
    )
    .await;
    assert_eq!(web.domain_id, Some(1));
    assert_eq!(web.log_retention, Some(90));
    assert_eq!(web.pm_max_children, Some(20));
    assert_eq!(web.active, Some(true));
    assert_eq!(web.hd_quota, Some(1000));

    let mail: MailUser = check(&c, c.mail_user_get(1).await.unwrap(), "mail_user_get").await;
    // The form says VARCHAR: the record keeps what the form says.
    assert_eq!(mail.quota.as_deref(), Some("1073741824"));
    assert_eq!(mail.autoresponder, Some(true));
    // A SELECT of y/a/n is an option set, not a flag.
    assert_eq!(mail.move_junk, Some(MailUserMoveJunk::N));
    assert_eq!(mail.password, None, "PASSWORD fields are write-only");

    let cl: ClientRecord = check(&c, c.client_get(1).await.unwrap(), "client_get").await;
    assert_eq!(cl.client_id, Some(1));
    assert_eq!(cl.company_name.as_deref(), Some("Grüße GmbH"));
    assert_eq!(
        cl.other.get("parent_client_id"),
        Some(&Value::from("4")),
        "not a field of the client form"
    );
    assert_eq!(cl.locked, Some(false));

    let zone: DnsSoa = check(&c, c.dns_zone_get(2).await.unwrap(), "dns_zone_get").await;
    assert_eq!(zone.origin.as_deref(), Some("example.com."));
    assert_eq!(zone.dnssec_wanted, Some(false));

    let domain: MailDomain =
        check(&c, c.mail_domain_get(1).await.unwrap(), "mail_domain_get").await;
    assert_eq!(domain.dkim, Some(false));
}

#[tokio::test]
async fn read_merge_write_with_records_changes_nothing_but_the_field_set() {
    let peer = IspconfigPeer::start();
    let c = client(&peer);

    // sites_web_domain_update resets log retention and PHP-FPM pool sizes
    // when they are left out; a whole record keeps them.
    let before = c.sites_web_domain_get(1).await.unwrap();
    let mut web: WebVhostDomain = from_value(before.clone()).unwrap();
    c.sites_web_domain_update(0, 1, &web).await.unwrap();
    assert_eq!(
        c.sites_web_domain_get(1).await.unwrap(),
        before,
        "unchanged"
    );
    web.hd_quota = Some(2000);
    c.sites_web_domain_update(0, 1, web).await.unwrap();
    let after = c.sites_web_domain_get(1).await.unwrap();
    assert_eq!(after.get("hd_quota"), Some(&Value::from("2000")));
    assert_eq!(after.get("log_retention"), Some(&Value::from("90")));
    assert_eq!(after.get("pm_max_children"), Some(&Value::from("20")));

    // The stored password (a hash) is not sent back, so the panel keeps it
    // rather than hashing the hash.
    let before = c.mail_user_get(1).await.unwrap();
    let mut mail: MailUser = from_value(before.clone()).unwrap();
    c.mail_user_update(0, 1, &mail).await.unwrap();
    assert_eq!(c.mail_user_get(1).await.unwrap(), before);
    mail.password = Some("n3w secret".into());
    assert!(!format!("{mail:?}").contains("n3w"), "a Secret");
    assert_eq!(
        Value::from(&mail).get("password"),
        Some(&Value::from("n3w secret")),
        "a new password is sent"
    );

    let before = c.dns_zone_get(2).await.unwrap();
    let zone: DnsSoa = from_value(before.clone()).unwrap();
    c.dns_zone_update(0, 2, &zone).await.unwrap();
    assert_eq!(c.dns_zone_get(2).await.unwrap(), before);

    // client_update is different (3.2.12p1 remote.d/client.inc.php): it
    // merges the stored row, hash included, into `params` itself, and
    // tform's CRYPT hashes whatever arrives. A record leaves the hash out,
    // yet the panel still hashes the hash: every other field survives, the
    // login does not. (panelkit's `clients::update` sends the hash flagged
    // `_ispconfig_pw_crypted`; overlay_ispconfig_clients proves it.)
    let mut set = ClientRecord::default();
    set.password = Some("client secret".into());
    c.client_update(1, 0, &set).await.unwrap();
    let before = c.client_get(1).await.unwrap();
    let hash = before.get("password").cloned().expect("a stored hash");
    let cl: ClientRecord = from_value(before.clone()).unwrap();
    assert!(cl.password.is_none(), "the hash is not read");
    assert!(Value::from(&cl).get("password").is_none(), "nor sent");
    c.client_update(1, 0, &cl).await.unwrap();
    let after = c.client_get(1).await.unwrap();
    assert_ne!(after.get("password"), Some(&hash), "the panel re-hashed it");
    let without_password = |v: &Value| -> Vec<(String, Value)> {
        entries(v)
            .iter()
            .filter(|(k, _)| k != "password")
            .cloned()
            .collect()
    };
    assert_eq!(without_password(&after), without_password(&before));
}

#[tokio::test]
async fn a_new_record_is_sent_strictly() {
    let peer = IspconfigPeer::start();
    let c = client(&peer);
    let mut rec = DnsA::default();
    rec.server_id = Some(1);
    rec.zone = Some(2);
    rec.name = Some("new".into());
    rec.r#type = Some("A".into());
    rec.data = Some("192.0.2.55".into());
    rec.ttl = Some(300);
    rec.active = Some(true);
    let sent = Value::from(&rec);
    assert_eq!(
        sent.get("ttl"),
        Some(&Value::Int(300)),
        "numbers as numbers"
    );
    assert_eq!(
        sent.get("active"),
        Some(&Value::from("Y")),
        "the form's own string"
    );
    assert_eq!(sent.get("serial"), None, "None is left out");
    let id = c.dns_a_add(0, &rec, None).await.unwrap();
    let id = id.as_i64().expect("new id");
    let stored: DnsA = from_value(c.dns_a_get(id).await.unwrap()).unwrap();
    assert_eq!(stored.id, Some(id));
    assert_eq!(
        (stored.name, stored.data, stored.ttl, stored.active),
        (rec.name, rec.data, rec.ttl, rec.active)
    );
}

#[tokio::test]
async fn a_value_that_does_not_fit_is_a_typed_error() {
    let bad = Value::Map(vec![("ttl".into(), Value::from("one hour"))]);
    let err = from_value::<DnsA>(bad).unwrap_err();
    assert!(
        matches!(err, panelkit_ispconfig::Error::UnexpectedResponse { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("one hour"), "{err}");
}
