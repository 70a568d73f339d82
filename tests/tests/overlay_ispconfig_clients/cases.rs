// The tests of `overlay_ispconfig_clients.rs`, included once per wire (SOAP, JSON); `IspconfigPeer`
// is the including module's peer type.

use panelkit::ispconfig::clients::NewClient;
use panelkit::ispconfig::records::{self, Database, DatabaseUser};
use panelkit::ispconfig::{Changes, Client, Record};
use panelkit_core::{Error, Secret};

use crate::overlay_common::{group, map, overlay, record, row};

/// The stored password hash of client `id`, read raw (typed records never
/// carry it).
async fn client_hash(ispc: &Client, id: i64) -> Option<String> {
    record(ispc.generated().client_get(id).await.unwrap()).text("password")
}

fn new_client(username: &str, company: &str) -> NewClient {
    NewClient {
        username: username.into(),
        password: Secret::new("client-secret"),
        contact_name: "Carla".into(),
        email: format!("{username}@example.org"),
        company_name: company.into(),
    }
}

#[tokio::test]
async fn client_update_hides_the_argument_order_and_keeps_reseller_and_owner() {
    let peer = IspconfigPeer::start();
    let ispc = overlay(&peer);
    // Raw, called like every other update (owner, id, params): the panel
    // reads client 4 (the reseller) and refuses client 1 as its reseller.
    let err = ispc
        .generated()
        .client_update(4, 1, map(&[("contact_name", "New".into())]))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Fault { code, .. } if code == "Invalid reseller"),
        "{err:?}"
    );
    // Raw in its own order but with the reseller id: re-owns the record.
    ispc.generated()
        .client_update(1, 4, map(&[("contact_name", "Raw".into())]))
        .await
        .unwrap();
    let raw = record(ispc.generated().client_get(1).await.unwrap());
    assert_eq!(raw.int("sys_groupid"), Some(5), "now the reseller's group");

    let before = row(&ispc.clients().get(2).await.unwrap().unwrap());
    let mut change = records::Client::default();
    change.contact_name = Some("Ann B.".into());
    let after = ispc.clients().update(2, change).await.unwrap();
    assert_eq!(after.contact_name.as_deref(), Some("Ann B."));
    let after = row(&after);
    for key in [
        "sys_userid",
        "sys_groupid",
        "parent_client_id",
        "company_name",
        "email",
    ] {
        assert_eq!(after.get(key), before.get(key), "{key}");
    }
    let reseller = ispc.clients().get(4).await.unwrap().unwrap();
    assert_eq!(reseller.contact_name.as_deref(), Some("Rita"));
    // A client of a reseller stays the reseller's.
    let one = ispc
        .clients()
        .update(1, Changes::new().set("contact_name", "Taro"))
        .await
        .unwrap();
    assert_eq!(row(&one).int("parent_client_id"), Some(4));
    // Moving to another reseller: the raw call re-owns the row but keeps
    // parent_client_id (a half-move); the helper refuses before sending.
    ispc.generated()
        .client_update(3, 4, map(&[("parent_client_id", 4.into())]))
        .await
        .unwrap();
    let half = record(ispc.generated().client_get(3).await.unwrap());
    assert_eq!(
        (half.int("sys_groupid"), half.int("parent_client_id")),
        (Some(5), Some(0))
    );
    let calls = peer.stats().await.calls_of("client_update");
    assert!(matches!(
        ispc.clients().update(2, Changes::new().move_to(4)).await.unwrap_err(),
        Error::Validation { ref code, .. } if code == "unsupported_move"
    ));
    assert_eq!(peer.stats().await.calls_of("client_update"), calls);
    assert_eq!(ispc.clients().of_reseller(4).await.unwrap().len(), 1);
}

#[tokio::test]
async fn client_update_keeps_the_password_the_raw_call_rehashes() {
    let peer = IspconfigPeer::start();
    let ispc = overlay(&peer);
    let id = ispc
        .clients()
        .add(0, new_client("pw1", "PW One"), records::Client::default())
        .await
        .unwrap();
    let hash = client_hash(&ispc, id).await;
    assert!(hash.as_deref().unwrap().starts_with("$6$peer$"));
    let kept = ispc
        .clients()
        .update(id, Changes::new().set("company_name", "PW 1"))
        .await
        .unwrap();
    assert_eq!(kept.password, None, "write-only");
    assert_eq!(client_hash(&ispc, id).await, hash, "hash kept");
    assert_eq!(kept.company_name.as_deref(), Some("PW 1"));
    let mut change = records::Client::default();
    change.password = Some(Secret::new("fresh"));
    ispc.clients().update(id, change).await.unwrap();
    assert_ne!(
        client_hash(&ispc, id).await,
        hash,
        "a new password is hashed once"
    );
    // Raw: a plain update re-hashes the stored hash: the client is locked out.
    let before = client_hash(&ispc, id).await;
    ispc.generated()
        .client_update(id, 0, map(&[("company_name", "PW one".into())]))
        .await
        .unwrap();
    let after = client_hash(&ispc, id).await;
    assert_ne!(after, before, "double-hashed");
}

#[tokio::test]
async fn filters_match_exactly_where_the_raw_filter_turns_into_like() {
    let peer = IspconfigPeer::start();
    let ispc = overlay(&peer);
    for (user, company) in [("c100", "100% Hosting"), ("c101", "100 Pro Hosting")] {
        ispc.clients()
            .add(0, new_client(user, company), records::Client::default())
            .await
            .unwrap();
    }
    // Raw: a `%` in the value makes it LIKE: `100% Hosting` matches both,
    // and `_` matches any character.
    let raw = ispc
        .generated()
        .client_get(map(&[("company_name", "100% Hosting".into())]))
        .await
        .unwrap();
    assert_eq!(raw.as_list().unwrap().len(), 2);
    let raw_case = ispc
        .generated()
        .client_get(map(&[("company_name", "a_b ltd".into())]))
        .await
        .unwrap();
    assert_eq!(raw_case.as_list().unwrap().len(), 1, "= ignores case");

    let clients = ispc.clients();
    let exact = clients.find_by_company("100% Hosting").await.unwrap();
    assert_eq!(exact.len(), 1);
    assert_eq!(exact[0].username.as_deref(), Some("c100"));
    assert!(clients.find_by_company("A_B%").await.unwrap().is_empty());
    assert!(clients.find_by_company("a_b ltd").await.unwrap().is_empty());
    assert_eq!(clients.find_by_company("A_B Ltd").await.unwrap().len(), 1);
    assert_eq!(
        clients
            .find_by_username("c101")
            .await
            .unwrap()
            .unwrap()
            .company_name
            .as_deref(),
        Some("100 Pro Hosting")
    );
    assert_eq!(clients.find_by_username("c10%").await.unwrap(), None);
}

#[tokio::test]
async fn clients_and_resellers_are_added_with_their_system_user_and_group() {
    let peer = IspconfigPeer::start();
    let ispc = overlay(&peer);
    let clients = ispc.clients();
    let reseller = clients
        .add_reseller(new_client("res2", "Res Two"), 0, records::Client::default())
        .await
        .unwrap();
    // A typed extra: its fields are sent, the defaults fill the rest.
    let mut extra = records::Client::default();
    extra.customer_no = Some("C-0042".into());
    let client = clients
        .add(reseller, new_client("sub1", "Sub One"), extra)
        .await
        .unwrap();
    let got = clients.get(client).await.unwrap().unwrap();
    assert_eq!(row(&got).int("parent_client_id"), Some(reseller));
    assert_eq!(got.customer_no.as_deref(), Some("C-0042"));
    assert_eq!(got.locked, Some(false), "the helper's default");
    let hash = client_hash(&ispc, client).await;
    assert!(hash.as_deref().unwrap().starts_with("$6$peer$"));
    let resellers = clients.resellers().await.unwrap();
    let ids: Vec<_> = resellers.iter().filter_map(|r| r.client_id).collect();
    assert_eq!(ids, [4, reseller]);
    assert_eq!(clients.all().await.unwrap().len(), 6);
    // Its group maps back to it, as the overlay finds owners.
    let group = ispc.generated().client_get_groupid(client).await.unwrap();
    let mut probe = Record::new();
    probe.set("sys_groupid", group);
    assert_eq!(ispc.owner_of(&probe).await.unwrap(), client);
    let updated = clients
        .update(client, Changes::new().set("company_name", "Sub 1"))
        .await
        .unwrap();
    assert_eq!(client_hash(&ispc, client).await, hash, "hash kept");
    assert_eq!(updated.company_name.as_deref(), Some("Sub 1"));
    assert_eq!(updated.customer_no.as_deref(), Some("C-0042"));
    assert!(clients.delete(client).await.unwrap());
    assert_eq!(clients.get(client).await.unwrap(), None);
    assert!(matches!(
        ispc.generated()
            .client_get_groupid(client)
            .await
            .unwrap_err(),
        Error::NotFound { .. }
    ));
}

#[tokio::test]
async fn the_admins_records_are_owned_by_client_zero() {
    let peer = IspconfigPeer::start();
    let ispc = overlay(&peer);
    // Raw: the admin's group answers invalid_id (client_get(0) inside).
    assert!(matches!(
        ispc.generated().client_get_by_groupid(1).await.unwrap_err(),
        Error::Validation { ref code, .. } if code == "invalid_id"
    ));
    let zone = ispc
        .dns()
        .add_zone(0, 1, "admin.example", "ns1.example.net", "hostmaster")
        .await
        .unwrap();
    let zone = ispc.dns().zone_by_id(zone).await.unwrap().unwrap();
    assert_eq!(zone.record.int("sys_groupid"), Some(1));
    assert_eq!(ispc.owner_of(&zone.record).await.unwrap(), 0);
    // Records added to it stay the admin's.
    let id = ispc
        .dns()
        .add_record(
            &zone,
            "www",
            panelkit::ispconfig::dns::RecordType::A,
            "192.0.2.7",
        )
        .await
        .unwrap();
    let rr = ispc
        .dns()
        .record(panelkit::ispconfig::dns::RecordType::A, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(rr.int("sys_groupid"), Some(1));
    assert_eq!(
        ispc.owner_of(&Record::new()).await.unwrap_err().status(),
        None
    );
}

#[tokio::test]
async fn databases_and_users_belong_to_the_site_and_keep_their_password() {
    let peer = IspconfigPeer::start();
    let ispc = overlay(&peer);
    let dbs = ispc.databases();
    let user = dbs
        .add_user(2, 1, "c2_user", &Secret::new("db-secret"))
        .await
        .unwrap();
    let raw_hash = || async {
        record(
            ispc.generated()
                .sites_database_user_get(user)
                .await
                .unwrap(),
        )
        .text("database_password")
    };
    let typed_user = dbs.user(user).await.unwrap().unwrap();
    assert_eq!(typed_user.database_password, None, "write-only");
    assert!(raw_hash().await.unwrap().starts_with("$6$peer$"));
    assert_eq!(group(&typed_user), Some(3));
    let site = ispc.sites().web_domain(1).await.unwrap().unwrap();
    let db = dbs
        .add_database(&site, "c2_db", user, Database::default())
        .await
        .unwrap();
    let other = dbs
        .add_database(&site, "c2xdb", user, Database::default())
        .await
        .unwrap();
    let got = dbs.database(db).await.unwrap().unwrap();
    assert_eq!(got.parent_domain_id, Some(1));
    assert_eq!(got.server_id, Some(1));
    assert_eq!(row(&got).text("type").as_deref(), Some("mysql"));
    assert_eq!(got.database_quota, Some(-1));
    assert_eq!(got.active, Some(true));
    assert_eq!(group(&got), Some(3), "the site's owner");
    // Raw: `c2_db%` is LIKE and `_` matches the x of c2xdb.
    let raw = ispc
        .generated()
        .sites_database_get(map(&[("database_name", "c2_db%".into())]))
        .await
        .unwrap();
    assert_eq!(raw.as_list().unwrap().len(), 2);
    let found = dbs.find_databases("c2_db").await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].database_id, Some(db));
    assert!(dbs.find_databases("c2_db%").await.unwrap().is_empty());
    assert_eq!(dbs.databases().await.unwrap().len(), 2);
    // Updates keep owner and password.
    let mut change = Database::default();
    change.remote_access = Some(true);
    let got = dbs.update_database(db, change).await.unwrap();
    assert_eq!(got.remote_access, Some(true));
    assert_eq!(got.database_name.as_deref(), Some("c2_db"));
    assert_eq!(group(&got), Some(3));
    let hash = raw_hash().await;
    let mut change = DatabaseUser::default();
    change.database_user = Some("c2_user2".into());
    let u = dbs.update_user(user, change).await.unwrap();
    assert_eq!(u.database_user.as_deref(), Some("c2_user2"));
    assert_eq!(raw_hash().await, hash);
    assert_eq!(dbs.find_users("c2_user2").await.unwrap().len(), 1);
    assert!(dbs.delete_database(other).await.unwrap());
    assert!(dbs.delete_database(db).await.unwrap());
    assert!(dbs.delete_user(user).await.unwrap());
    assert!(matches!(
        dbs.add_database(&site, "x", 0, Database::default())
            .await
            .unwrap_err(),
        Error::Validation { .. }
    ));
}

#[tokio::test]
async fn reads_answer_option_and_vec_whatever_shape_the_panel_sends() {
    let peer = IspconfigPeer::start();
    let ispc = overlay(&peer);
    let raw = ispc.generated();
    // Raw: nil for an absent id, a record for a present one, a list for -1
    // and for a filter (empty when nothing matches), an empty array for an id
    // that is neither a number nor an array, a fault for 0.
    assert_eq!(
        raw.client_get(999).await.unwrap(),
        panelkit::ispconfig::Value::Null
    );
    assert!(raw.client_get(2).await.unwrap().as_map().is_some());
    assert_eq!(
        raw.client_get(-1).await.unwrap().as_list().unwrap().len(),
        4
    );
    let none = raw
        .client_get(map(&[("company_name", "nobody".into())]))
        .await
        .unwrap();
    assert_eq!(none.as_list().unwrap().len(), 0);
    assert_eq!(
        raw.client_get("abc")
            .await
            .unwrap()
            .as_list()
            .unwrap()
            .len(),
        0
    );
    assert!(matches!(
        raw.client_get(0).await.unwrap_err(),
        Error::Validation { .. }
    ));

    let clients = ispc.clients();
    assert_eq!(clients.get(999).await.unwrap(), None);
    assert_eq!(clients.get(2).await.unwrap().unwrap().client_id, Some(2));
    assert_eq!(clients.all().await.unwrap().len(), 4);
    assert!(clients.find_by_company("nobody").await.unwrap().is_empty());
    assert_eq!(clients.find_by_username("nobody").await.unwrap(), None);
    let calls = peer.stats().await.calls_of("client_get");
    assert!(matches!(
        clients.get(0).await.unwrap_err(),
        Error::Validation { .. }
    ));
    assert_eq!(
        peer.stats().await.calls_of("client_get"),
        calls,
        "0 never sent"
    );
}
