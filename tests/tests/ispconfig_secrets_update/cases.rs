// The tests of `ispconfig_secrets_update.rs`, included once per wire (SOAP, JSON); `IspconfigPeer`
// is the including module's peer type.

use panelkit::ispconfig::records::WebVhostDomain;
use panelkit::ispconfig::Changes;
use panelkit_core::Secret;

use crate::overlay_common::overlay;

/// A stored column of a peer table row, as text.
fn column(rows: &serde_json::Map<String, serde_json::Value>, id: &str, name: &str) -> String {
    rows[id][name]
        .as_str()
        .unwrap_or_else(|| panic!("row {id} has no {name}: {:?}", rows[id]))
        .to_owned()
}

#[tokio::test]
async fn read_merge_write_sends_a_stored_key_only_when_changed() {
    let peer = IspconfigPeer::start();
    let ispc = overlay(&peer);
    let stored_key = column(&peer.table("web_domain").await, "1", "ssl_key");
    let sent_params = |received: serde_json::Value| received[3].clone();

    // A change of another field: the stored key is not sent, and stays.
    let after = ispc
        .sites()
        .update_web_domain(1, Changes::new().set("hd_quota", 2000))
        .await
        .unwrap();
    assert_eq!(after.hd_quota, Some(2000));
    let sent = sent_params(peer.received("sites_web_domain_update").await);
    assert_eq!(sent["hd_quota"], 2000, "the update arrived: {sent}");
    assert!(
        sent.get("ssl_key").is_none(),
        "the key was sent back: {sent}"
    );
    assert_eq!(
        column(&peer.table("web_domain").await, "1", "ssl_key"),
        stored_key
    );

    // The whole typed record as read, passed back with one field changed:
    // the key it carries is the stored one, so it is not sent either.
    let mut site: WebVhostDomain = ispc.sites().web_domain(1).await.unwrap().unwrap();
    site.hd_quota = Some(3000);
    ispc.sites().update_web_domain(1, site).await.unwrap();
    let sent = sent_params(peer.received("sites_web_domain_update").await);
    assert_eq!(sent["hd_quota"], 3000, "the update arrived: {sent}");
    assert!(
        sent.get("ssl_key").is_none(),
        "an unchanged key was sent back: {sent}"
    );

    // A new key set by the caller is sent, and stored.
    let new_key = "-----BEGIN PRIVATE KEY-----\nTmV3S2V5TWF0ZXJpYWxGb3JUaGVTaXRl\n-----END PRIVATE KEY-----\n";
    let after = ispc
        .sites()
        .update_web_domain(
            1,
            Changes::new().set_secret("ssl_key", Secret::new(new_key)),
        )
        .await
        .unwrap();
    let sent = sent_params(peer.received("sites_web_domain_update").await);
    assert_eq!(sent["ssl_key"], new_key);
    assert_eq!(
        column(&peer.table("web_domain").await, "1", "ssl_key"),
        new_key
    );
    assert_eq!(after.ssl_key.as_ref().map(Secret::expose), Some(new_key));
    assert!(!format!("{after:?}").contains("TmV3S2V5"));

    // The same for a mail domain's DKIM key.
    let dkim = column(&peer.table("mail_domain").await, "1", "dkim_private");
    ispc.mail()
        .update_domain(1, Changes::new().set("active", "n"))
        .await
        .unwrap();
    let sent = sent_params(peer.received("mail_domain_update").await);
    assert_eq!(sent["active"], "n", "the update arrived: {sent}");
    assert!(
        sent.get("dkim_private").is_none(),
        "the key was sent back: {sent}"
    );
    assert_eq!(
        column(&peer.table("mail_domain").await, "1", "dkim_private"),
        dkim
    );
}
