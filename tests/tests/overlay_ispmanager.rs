//! `panelkit::ispmanager` against the local COREmanager peer: each trap of
//! the raw calls shown (where the raw call can misbehave) next to the helper
//! that avoids it.

use panelkit::ispmanager::{Change, Client};
use panelkit::{Error, Secret};
use panelkit_tests::coremanager::{CoremanagerOptions, CoremanagerPeer};

fn root(peer: &CoremanagerPeer) -> Client {
    Client::builder()
        .url(peer.url())
        .session("root", peer.password("root"))
        .build()
        .expect("client builds")
}

/// An applied change against the default peer (which asks for no restart).
fn done(change: Change) {
    assert!(
        !change.restart_needed,
        "the default peer asks for no restart"
    );
}

fn field<'a>(fields: &'a std::collections::BTreeMap<String, String>, name: &str) -> &'a str {
    fields.get(name).map_or("", String::as_str)
}

#[tokio::test]
async fn a_form_read_with_changes_changes_nothing_the_helper_applies_with_sok() {
    let peer = CoremanagerPeer::start().await;
    let client = root(&peer);
    // Raw: parameters without sok=ok only read the form; no error, no change.
    client
        .raw_call("user.edit", &[("elid", "bob"), ("fullname", "Robert")])
        .await
        .unwrap();
    let bob = peer.object("user", "bob").unwrap();
    assert_eq!(
        field(&bob, "fullname"),
        "Bob Example",
        "the raw call was silently a read"
    );
    // Helper: applied.
    let change = client
        .users()
        .update("bob", &[("fullname", "Robert")])
        .await
        .unwrap();
    assert!(!change.restart_needed);
    let bob = peer.object("user", "bob").unwrap();
    assert_eq!(field(&bob, "fullname"), "Robert");
    let last = peer.seen().pop().unwrap();
    assert_eq!(last.params["sok"], "ok");
    assert_eq!(last.params["elid"], "bob");
}

#[tokio::test]
async fn a_partial_submit_resets_the_other_fields_the_helper_merges() {
    let peer = CoremanagerPeer::start().await;
    let client = root(&peer);
    // Raw: sok=ok with one field resets the limits to their defaults.
    client
        .generated()
        .user_edit_submit(Some("bob"), &[("fullname", "Robert")])
        .await
        .unwrap();
    let bob = peer.object("user", "bob").unwrap();
    assert_eq!(
        field(&bob, "limit_db"),
        "10",
        "raw submit reset limit_db (was 3)"
    );
    assert_eq!(
        field(&bob, "limit_emails"),
        "10",
        "raw submit reset limit_emails (was 20)"
    );

    let peer = CoremanagerPeer::start().await;
    let helpers = root(&peer);
    done(
        helpers
            .users()
            .update("bob", &[("fullname", "Robert")])
            .await
            .unwrap(),
    );
    let bob = peer.object("user", "bob").unwrap();
    assert_eq!(field(&bob, "fullname"), "Robert");
    assert_eq!(field(&bob, "limit_db"), "3", "kept");
    assert_eq!(field(&bob, "limit_emails"), "20", "kept");
    assert_eq!(field(&bob, "limit_webdomains"), "5", "kept");

    // The same for mailboxes and databases.
    done(
        helpers
            .mail()
            .update_mailbox("info@bob.example", &[("maxsize", "4096")])
            .await
            .unwrap(),
    );
    let mailbox = peer.object("email", "info@bob.example").unwrap();
    assert_eq!(field(&mailbox, "maxsize"), "4096");
    assert_eq!(field(&mailbox, "note"), "front desk", "kept");
    assert_eq!(
        field(&mailbox, "owner"),
        "bob",
        "kept, not re-owned to the caller"
    );
    done(
        helpers
            .databases()
            .update_database("bob_shop", &[("charset", "latin1")])
            .await
            .unwrap(),
    );
    let db = peer.object("db", "bob_shop").unwrap();
    assert_eq!(field(&db, "charset"), "latin1");
    assert_eq!(field(&db, "owner"), "bob", "kept");
}

#[tokio::test]
async fn an_id_with_a_comma_selects_other_objects_the_helper_refuses_it() {
    let peer = CoremanagerPeer::start().await;
    let client = root(&peer);
    let helpers = client.clone();
    for db in ["a", "b"] {
        done(
            helpers
                .databases()
                .add_database(db, &[("owner", "bob")])
                .await
                .unwrap(),
        );
    }
    // Raw: one "id" with a comma deletes two databases.
    client.generated().db_delete(&["a, b"]).await.unwrap();
    assert_eq!(
        peer.keys("db", ""),
        ["bob_shop"],
        "raw call deleted a and b"
    );

    for db in ["a", "b"] {
        done(helpers.databases().add_database(db, &[]).await.unwrap());
    }
    let calls = peer.seen().len();
    let err = helpers
        .databases()
        .delete_databases(&["a, b"])
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Validation { code, .. } if code == "comma_in_id"),
        "{err:?}"
    );
    let err = helpers.databases().delete_databases(&[]).await.unwrap_err();
    assert!(
        matches!(&err, Error::Validation { code, .. } if code == "empty_selection"),
        "{err:?}"
    );
    assert_eq!(peer.seen().len(), calls, "nothing was sent");
    // Several ids: one group operation, joined with ", ".
    done(
        helpers
            .databases()
            .delete_databases(&["a", "b"])
            .await
            .unwrap(),
    );
    assert_eq!(peer.keys("db", ""), ["bob_shop"]);
    let last = peer.seen().pop().unwrap();
    assert_eq!(last.params["func"], "db.delete");
    assert_eq!(last.params["elid"], "a, b");
}

#[tokio::test]
async fn dns_records_live_under_their_zone() {
    let peer = CoremanagerPeer::start().await;
    let client = root(&peer);
    // Raw: without plid the panel refuses.
    let err = client.raw_call("domain.sublist", &[]).await.unwrap_err();
    assert!(format!("{err}").contains("plid"), "{err}");

    let helpers = client;
    let rows = helpers.dns().records("bob.example").await.unwrap();
    let names: Vec<_> = rows.iter().filter_map(|r| r.get("name")).collect();
    assert_eq!(names, ["www", "mail"], "only this zone's records");
    let change = helpers
        .dns()
        .add_record(
            "bob.example",
            &[("name", "ftp"), ("rtype", "cname"), ("value", "www")],
        )
        .await
        .unwrap();
    assert!(!change.restart_needed);
    let ids = peer.keys("domain.sublist", "bob.example");
    assert_eq!(ids.len(), 3);
    let www = ids
        .iter()
        .find(|id| id.starts_with("www "))
        .unwrap()
        .clone();
    done(
        helpers
            .dns()
            .update_record("bob.example", &www, &[("value", "192.0.2.11")])
            .await
            .unwrap(),
    );
    let rows = helpers.dns().records("bob.example").await.unwrap();
    let www_row = rows.iter().find(|r| r.get("name") == Some("www")).unwrap();
    assert_eq!(www_row.get("value"), Some("192.0.2.11"));
    assert_eq!(www_row.get("rtype"), Some("a"), "type kept");
    assert_eq!(www_row.get("ttl"), Some("3600"), "ttl kept");
    let ids = peer.keys("domain.sublist", "bob.example");
    let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    done(
        helpers
            .dns()
            .delete_records("bob.example", &id_refs)
            .await
            .unwrap(),
    );
    assert!(peer.keys("domain.sublist", "bob.example").is_empty());
    assert_eq!(
        peer.keys("domain.sublist", "other.example").len(),
        1,
        "the other zone is untouched"
    );
    let last = peer.seen().pop().unwrap();
    assert_eq!(last.params["plid"], "bob.example");
}

#[tokio::test]
async fn one_row_lists_are_typed_rows() {
    let peer = CoremanagerPeer::start().await;
    let helpers = root(&peer);
    let users = helpers.users().all().await.unwrap();
    assert_eq!(
        users.len(),
        1,
        "one row arrives as an object and is still a list"
    );
    assert_eq!(users[0].name(), Some("bob"));
    assert_eq!(users[0].limit_db(), Some("3"));
    let boxes = helpers.mail().mailboxes().await.unwrap();
    assert_eq!(boxes[0].name(), Some("info@bob.example"));
    assert_eq!(boxes[0].owner(), Some("bob"));
    let dbs = helpers.databases().databases().await.unwrap();
    assert_eq!(dbs[0].name(), Some("bob_shop"));
    let sites = helpers.sites().webdomains().await.unwrap();
    assert_eq!(sites[0].name(), Some("bob.example"));
    let form = helpers.users().get("bob").await.unwrap();
    assert_eq!(form.get("fullname"), Some("Bob Example"));
}

#[tokio::test]
async fn restart_needed_is_surfaced() {
    let peer = CoremanagerPeer::start_with(CoremanagerOptions {
        restart_after_edit: true,
        ..CoremanagerOptions::default()
    })
    .await;
    let helpers = root(&peer);
    let change = helpers
        .sites()
        .add_webdomain("new.example", &[("php", "on")])
        .await
        .unwrap();
    assert!(change.restart_needed);
    let change = helpers
        .sites()
        .update_webdomain("new.example", &[("php", "off")])
        .await
        .unwrap();
    assert!(change.restart_needed);
    let change = helpers
        .sites()
        .delete_webdomains(&["new.example"])
        .await
        .unwrap();
    assert!(
        !change.restart_needed,
        "the peer answers plain ok to deletes of web domains"
    );
}

#[tokio::test]
async fn su_acts_as_the_user() {
    let peer = CoremanagerPeer::start().await;
    let helpers = root(&peer);
    done(
        helpers
            .databases()
            .add_database("root_only", &[("owner", "root")])
            .await
            .unwrap(),
    );
    let as_bob = helpers.su("bob");
    let dbs = as_bob.databases().databases().await.unwrap();
    let names: Vec<_> = dbs.iter().filter_map(|r| r.name()).collect();
    assert_eq!(names, ["bob_shop"], "bob sees only his own");
    assert_eq!(peer.seen().pop().unwrap().params["su"], "bob");
    done(
        as_bob
            .databases()
            .add_database("bob_blog", &[])
            .await
            .unwrap(),
    );
    assert_eq!(
        field(&peer.object("db", "bob_blog").unwrap(), "owner"),
        "bob"
    );
    // bob is no administrator: the user list is refused with a typed error.
    let err = as_bob.users().all().await.unwrap_err();
    assert!(matches!(err, Error::Permission { .. }), "{err:?}");
}

#[tokio::test]
async fn create_user_sends_the_password_and_fields_the_helper_owns_are_refused() {
    let peer = CoremanagerPeer::start().await;
    let helpers = root(&peer);
    done(
        helpers
            .users()
            .add("carol", &Secret::from("c4rol-pass"), &[("limit_db", "2")])
            .await
            .unwrap(),
    );
    let carol = peer.object("user", "carol").unwrap();
    assert_eq!(field(&carol, "limit_db"), "2");
    let sent = peer.seen().pop().unwrap();
    assert_eq!(sent.params["passwd"], "c4rol-pass");
    assert_eq!(sent.params["confirm"], "c4rol-pass");
    assert!(
        !sent.target.contains("c4rol"),
        "the password travels in the body"
    );
    for bad in ["elid", "sok", "plid", "su", "auth", "func"] {
        let err = helpers
            .users()
            .update("carol", &[(bad, "x")])
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Validation { .. }), "{bad}: {err:?}");
    }
    let err = helpers.users().get("").await.unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    done(helpers.users().delete(&["carol"]).await.unwrap());
    assert!(peer.object("user", "carol").is_none());
}
