// The tests of `overlay_ispconfig_mail.rs`, included once per wire (SOAP, JSON); `IspconfigPeer`
// is the including module's peer type.

use panelkit::ispconfig::mail::{Forwarding, ForwardingRecord};
use panelkit::ispconfig::records::{
    MailAlias, MailAliasdomain, MailDomain, MailDomainCatchall, MailForward, MailUser,
};
use panelkit::ispconfig::Changes;
use panelkit_core::{Error, Secret};

use crate::overlay_common::{group, ids, map, overlay, record, row};

#[tokio::test]
async fn forwarding_adds_always_set_their_type() {
    let peer = IspconfigPeer::start();
    let ispc = overlay(&peer);
    // Raw: none of the four adds writes `type`: the row is of no kind.
    let raw = ispc
        .generated()
        .mail_forward_add(
            2,
            map(&[
                ("server_id", 2.into()),
                ("source", "raw@example.com".into()),
                ("destination", "x@example.org".into()),
                ("active", "y".into()),
            ]),
        )
        .await
        .unwrap()
        .as_i64()
        .unwrap();
    let row = record(ispc.generated().mail_forward_get(raw).await.unwrap());
    assert_eq!(row.text("type").as_deref(), Some(""));
    assert_eq!(
        ispc.mail().forwarding::<MailForward>(raw).await.unwrap(),
        None
    );

    let mail = ispc.mail();
    let alias = mail
        .add_alias("Hello@example.com", "info@example.com")
        .await
        .unwrap();
    let forward = mail
        .add_forward("out@example.com", "a@example.org")
        .await
        .unwrap();
    let catchall = mail
        .add_catchall("example.com", "info@example.com")
        .await
        .unwrap();
    // An alias domain is a mail domain of the same owner, as in the GUI.
    mail.add_domain(2, 2, "example.net", MailDomain::default())
        .await
        .unwrap();
    let alias_domain = mail
        .add_alias_domain("example.net", "example.com")
        .await
        .unwrap();
    async fn check<T: ForwardingRecord>(
        mail: panelkit::ispconfig::mail::Mail<'_>,
        id: i64,
        ty: &str,
        source: &str,
    ) -> T {
        let typed = mail.forwarding::<T>(id).await.unwrap().unwrap();
        let row = crate::overlay_common::row(&typed);
        assert_eq!(row.text("type").as_deref(), Some(ty));
        assert_eq!(row.text("source").as_deref(), Some(source));
        assert_eq!(row.int("server_id"), Some(2), "the domain's server");
        assert_eq!(row.int("sys_groupid"), Some(3), "the domain's owner");
        assert_eq!(row.flag("active"), Some(true));
        typed
    }
    let typed: MailAlias = check(mail, alias, "alias", "hello@example.com").await;
    assert_eq!(typed.allow_send_as, Some(true));
    assert_eq!(typed.source.as_deref(), Some("hello@example.com"));
    check::<MailForward>(mail, forward, "forward", "out@example.com").await;
    check::<MailDomainCatchall>(mail, catchall, "catchall", "@example.com").await;
    check::<MailAliasdomain>(mail, alias_domain, "aliasdomain", "@example.net").await;
    // Read as another kind, a row is absent.
    assert_eq!(mail.forwarding::<MailForward>(alias).await.unwrap(), None);
    // A source outside every mail domain is refused before anything is added.
    assert!(matches!(
        mail.add_alias("x@nowhere.example", "info@example.com")
            .await
            .unwrap_err(),
        Error::NotFound { .. }
    ));
}

#[tokio::test]
async fn forwards_are_never_aliases_and_aliases_never_forwards() {
    let peer = IspconfigPeer::start();
    let ispc = overlay(&peer);
    // Raw: mail_forward_get lists the alias too, and by id answers it.
    let raw = ispc.generated().mail_forward_get(-1).await.unwrap();
    assert_eq!(ids(&raw, "forwarding_id"), [1, 2]);
    let raw_alias = record(ispc.generated().mail_forward_get(1).await.unwrap());
    assert_eq!(raw_alias.text("type").as_deref(), Some("alias"));

    let mail = ispc.mail();
    let forwards: Vec<MailForward> = mail.forwardings().await.unwrap();
    assert_eq!(
        forwards.iter().map(|r| r.forwarding_id).collect::<Vec<_>>(),
        [Some(2)]
    );
    let aliases: Vec<MailAlias> = mail.forwardings().await.unwrap();
    assert_eq!(
        aliases.iter().map(|r| r.forwarding_id).collect::<Vec<_>>(),
        [Some(1)]
    );
    assert_eq!(mail.forwarding::<MailForward>(1).await.unwrap(), None);
    assert!(mail
        .find_forwardings::<MailForward>("sales@example.com")
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        mail.find_forwardings::<MailAlias>("sales@example.com")
            .await
            .unwrap()
            .len(),
        1
    );
    // Deleting or updating through the wrong kind touches nothing.
    assert!(!mail
        .delete_forwarding(Forwarding::Forward, 1)
        .await
        .unwrap());
    assert!(matches!(
        mail.update_forwarding::<MailForward>(
            1,
            Changes::new().set("destination", "x@example.org")
        )
        .await
        .unwrap_err(),
        Error::NotFound { .. }
    ));
    assert!(mail.forwarding::<MailAlias>(1).await.unwrap().is_some());
    // A typed partial change: only the destination is set.
    let mut change = MailForward::default();
    change.destination = Some("c@example.org".into());
    let updated: MailForward = mail.update_forwarding(2, change).await.unwrap();
    assert_eq!(updated.destination.as_deref(), Some("c@example.org"));
    assert_eq!(row(&updated).text("type").as_deref(), Some("forward"));
    assert_eq!(updated.source.as_deref(), Some("team@example.com"));
    assert!(mail.delete_forwarding(Forwarding::Alias, 1).await.unwrap());
}

#[tokio::test]
async fn mailbox_update_sends_an_email_the_panel_accepts_and_keeps_the_password() {
    let peer = IspconfigPeer::start();
    let ispc = overlay(&peer);
    // Raw: the domain of `email` is compared case-sensitively.
    let err = ispc
        .generated()
        .mail_user_update(0, 1, map(&[("email", "Info@Example.com".into())]))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Fault { code, .. } if code == "mail_domain_does_not_exist"),
        "{err:?}"
    );
    let mail = ispc.mail();
    let before = mail.mailbox(1).await.unwrap().unwrap();
    let hash = record(ispc.generated().mail_user_get(1).await.unwrap()).text("password");
    let after = mail
        .update_mailbox(
            1,
            Changes::new()
                .set("email", "Info@Example.com")
                .set("name", "Info"),
        )
        .await
        .unwrap();
    assert_eq!(after.email.as_deref(), Some("info@example.com"));
    assert_eq!(after.name.as_deref(), Some("Info"));
    assert_eq!(
        after.password, None,
        "write-only: a read never carries the hash"
    );
    let stored = record(ispc.generated().mail_user_get(1).await.unwrap());
    assert_eq!(stored.text("password"), hash, "hash kept");
    assert_eq!(after.autoresponder_text, before.autoresponder_text);
    assert_eq!(group(&after), Some(3));
    // A typed partial change without the address: the stored one is sent.
    let mut change = MailUser::default();
    change.quota = Some("0".into());
    let calls = peer.stats().await.calls_of("mail_user_update");
    let quota = mail.update_mailbox(1, change).await.unwrap();
    assert_eq!(peer.stats().await.calls_of("mail_user_update"), calls + 1);
    assert_eq!(quota.email.as_deref(), Some("info@example.com"));
    assert_eq!(quota.quota.as_deref(), Some("0"));
    assert_eq!(quota.name.as_deref(), Some("Info"));
    // Raw read-merge-write by hand re-hashes the stored hash.
    let row = record(ispc.generated().mail_user_get(1).await.unwrap());
    ispc.generated()
        .mail_user_update(0, 1, row.clone().into_value())
        .await
        .unwrap();
    let raw_after = record(ispc.generated().mail_user_get(1).await.unwrap());
    assert_ne!(raw_after.get("password"), row.get("password"));
}

#[tokio::test]
async fn alias_domains_are_checked_like_the_gui_before_anything_is_sent() {
    let peer = IspconfigPeer::start();
    let ispc = overlay(&peer);
    let mail = ispc.mail();
    // example.org belongs to another client than example.com.
    mail.add_domain(3, 2, "example.org", MailDomain::default())
        .await
        .unwrap();
    for (source, code) in [
        ("example.org", "no_domain_perm"),
        ("nowhere.example", "no_domain_perm"),
        ("Example.com", "source_destination_identical_txt"),
    ] {
        match mail.add_alias_domain(source, "example.com").await {
            Err(Error::Validation { code: got, .. }) => assert_eq!(got, code, "{source}"),
            other => panic!("{source}: {other:?}"),
        }
    }
    assert_eq!(peer.stats().await.calls_of("mail_aliasdomain_add"), 0);
}

#[tokio::test]
async fn mailboxes_and_domains_are_added_with_what_they_need() {
    let peer = IspconfigPeer::start();
    let ispc = overlay(&peer);
    let mail = ispc.mail();
    let id = mail
        .add_mailbox(
            "New.User@Example.com",
            &Secret::new("mb-secret"),
            MailUser::default(),
        )
        .await
        .unwrap();
    let mb = mail.mailbox(id).await.unwrap().unwrap();
    assert_eq!(mb.email.as_deref(), Some("new.user@example.com"));
    assert_eq!(mb.login.as_deref(), Some("new.user@example.com"));
    assert_eq!(mb.server_id, Some(2));
    assert_eq!(group(&mb), Some(3));
    let raw = record(ispc.generated().mail_user_get(id).await.unwrap());
    assert!(raw.text("password").unwrap().starts_with("$6$peer$"));
    // From server 2's mail configuration, as the GUI does: maildir_path
    // with [domain] and [localpart], homedir_path, maildir_format, and
    // uid/gid -1 under virtual uid/gid maps; move_junk from the form.
    let stored = row(&mb);
    assert_eq!(stored.text("maildir_format").as_deref(), Some("mdbox"));
    assert_eq!(
        stored.text("maildir").as_deref(),
        Some("/srv/mail/example.com/new.user")
    );
    assert_eq!(stored.text("homedir").as_deref(), Some("/srv/mail"));
    assert_eq!(stored.int("uid"), Some(-1));
    assert_eq!(stored.int("gid"), Some(-1));
    assert_eq!(stored.text("move_junk").as_deref(), Some("y"));
    assert_eq!(
        mail.find_mailbox("NEW.user@example.com")
            .await
            .unwrap()
            .unwrap()
            .mailuser_id,
        Some(id)
    );
    assert!(mail.delete_mailbox(id).await.unwrap());
    assert_eq!(mail.mailbox(id).await.unwrap(), None);

    let domain = mail
        .add_domain(3, 2, "Example.ORG", MailDomain::default())
        .await
        .unwrap();
    let got = mail.domain(domain).await.unwrap().unwrap();
    assert_eq!(got.domain.as_deref(), Some("example.org"));
    assert_eq!(got.dkim_selector.as_deref(), Some("default"));
    assert_eq!(got.active, Some(true));
    assert_eq!(group(&got), Some(4));
    assert_eq!(
        mail.find_domain("example.org.")
            .await
            .unwrap()
            .unwrap()
            .domain_id,
        Some(domain)
    );
    let mut change = MailDomain::default();
    change.active = Some(false);
    let got = mail.update_domain(domain, change).await.unwrap();
    assert_eq!(got.active, Some(false));
    assert_eq!(group(&got), Some(4));
    assert_eq!(got.dkim_selector.as_deref(), Some("default"));
    assert_eq!(mail.domains().await.unwrap().len(), 2);
    assert!(mail.delete_domain(domain).await.unwrap());
}
