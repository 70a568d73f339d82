//! The generated `panelkit-dcimanager` crate against the documentation-built
//! peer: typed operations over the DCImanager runtime (token, errors,
//! paging), and the typed list stream over generated item types.

use panelkit_core::dcimanager::{self, OrderBy, Service, Where};
use panelkit_core::Error;
use panelkit_dcimanager::types::{
    PublicTokenBody, ServerListItem, UserCreateBody, UserKeyCreateBody,
};
use panelkit_dcimanager::{Client, Secret};
use panelkit_tests::dcimanager::{DciPeer, PeerOptions};

async fn peer(servers: usize) -> (DciPeer, Client) {
    let peer = DciPeer::start(PeerOptions {
        servers,
        ..PeerOptions::default()
    })
    .await;
    let (email, password) = peer.account();
    let client = Client::builder()
        .url(peer.url())
        .credentials(email, password)
        .build()
        .unwrap();
    (peer, client)
}

#[tokio::test]
async fn typed_operations_reach_the_documented_paths() {
    let (peer, client) = peer(12).await;
    let page = client
        .server_list()
        .r#where(Where::eq("is_new", false).render().unwrap())
        .orderby(OrderBy::asc("id").render().unwrap())
        .limit("0,5")
        .await
        .unwrap();
    let ids: Vec<i64> = page.list.iter().map(|s| s.id.unwrap()).collect();
    assert_eq!(ids, [1, 2, 3, 4, 6]);
    assert_eq!(page.size, Some(10));
    let seen = &peer.seen_at("/api/dci/v3/server")[0];
    assert_eq!(seen.query("where"), Some("is_new EQ false"));
    assert_eq!(seen.query("limit"), Some("0,5"));

    let free = client.server_configuration_list().await.unwrap();
    let total: i64 = free.list.iter().map(|c| c.free_server_count.unwrap()).sum();
    assert_eq!(total, 4, "servers 3, 6, 9 and 12 have no owner");

    let created = client
        .user_create(&UserCreateBody {
            email: "new@example.com".into(),
            password: Some(Secret::new("n3w-pass")),
            ..UserCreateBody::default()
        })
        .await
        .unwrap();
    assert!(created.id.unwrap() > 0);
    let sent = &peer.seen_at("/api/dci/v3/user")[0];
    let body: serde_json::Value = serde_json::from_slice(&sent.body).unwrap();
    assert_eq!(body["password"], "n3w-pass", "the secret goes on the wire");
    assert_eq!(body["email"], "new@example.com");

    let missing = client.server_get(999).await.unwrap_err();
    assert!(matches!(missing, Error::NotFound { .. }), "{missing:?}");
}

#[tokio::test]
async fn public_and_key_operations() {
    let (peer, client) = peer(1).await;
    let (email, password) = peer.account();
    // The login operation itself, without credentials attached.
    let answer = client
        .public_token(&PublicTokenBody {
            email: email.clone(),
            password: Some(Secret::new(password)),
        })
        .await
        .unwrap();
    let token = answer.token.clone().expect("a token");
    assert!(!format!("{answer:?}").contains(token.expose()));
    assert!(peer.seen_at("/api/auth/v4/public/token")[0]
        .header("x-xsrf-token")
        .is_none());

    let key = client
        .user_key_create(&email, &UserKeyCreateBody::default())
        .await
        .unwrap()
        .key
        .expect("a key");
    let by_key = Client::builder().url(peer.url()).key(key).build().unwrap();
    by_key.server_get(1).await.unwrap();
}

#[tokio::test]
async fn typed_list_stream_pages_through_everything() {
    let (peer, client) = peer(95).await;
    let servers: Vec<ServerListItem> = dcimanager::list(Service::Dci, "/server")
        .unwrap()
        .filter(Where::is_null("owner_email"))
        .order(OrderBy::desc("id"))
        .page_size(10)
        .stream(client.rest().clone())
        .collect_all()
        .await
        .unwrap();
    let expected: Vec<i64> = (1..=95).rev().filter(|id| id % 3 == 0).collect();
    let ids: Vec<i64> = servers.iter().map(|s| s.id.unwrap()).collect();
    assert_eq!(ids, expected);
    assert_eq!(peer.seen_at("/api/dci/v3/server").len(), 4);
}

/// Every generated operation, called with minimal arguments, reaches the
/// route its endpoint-list entry names, with the token as header and cookie
/// exactly when the entry says it needs one.
#[tokio::test]
async fn every_generated_operation_reaches_its_documented_route() {
    use codegen::model::{Inventory, Protocol};
    let root = codegen::regen::workspace_root();
    let text = std::fs::read_to_string(root.join("inventories/dcimanager/inventory.json")).unwrap();
    let inventory = Inventory::from_json(&text).unwrap();
    let (peer, client) = peer(3).await;
    assert_eq!(
        panelkit_dcimanager::conformance::OPERATIONS.len(),
        inventory.operations.len()
    );
    for op in panelkit_dcimanager::conformance::OPERATIONS {
        let Protocol::Http {
            method,
            path,
            security,
            ..
        } = &inventory.operation(op.name).unwrap().protocol
        else {
            panic!("{}: not HTTP", op.name);
        };
        let before = peer.seen().len();
        // The peer implements only part of the API: answers do not matter here.
        let _ = (op.call)(&client).await;
        let seen = peer.seen();
        let sent = seen[before..]
            .iter()
            .rev()
            .find(|s| s.path != "/api/auth/v4/public/token" || op.name == "public_token")
            .unwrap_or_else(|| panic!("{}: nothing sent", op.name));
        assert_eq!(sent.method, method.as_str(), "{}", op.name);
        let template: Vec<&str> = path.split('/').collect();
        let actual: Vec<&str> = sent.path.split('/').collect();
        assert_eq!(
            template.len(),
            actual.len(),
            "{}: {} vs {path}",
            op.name,
            sent.path
        );
        for (t, a) in template.iter().zip(&actual) {
            assert!(
                t.starts_with('{') || t == a,
                "{}: {} vs {path}",
                op.name,
                sent.path
            );
        }
        let token = sent.header("x-xsrf-token");
        assert_eq!(
            token.is_some(),
            !security.is_empty(),
            "{}: token header",
            op.name
        );
        assert_eq!(
            sent.cookie("ses6").as_deref(),
            token,
            "{}: ses6 cookie",
            op.name
        );
        assert_eq!(op.auth.is_empty(), security.is_empty(), "{}", op.name);
    }
}
