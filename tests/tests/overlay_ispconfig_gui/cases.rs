// The tests of `overlay_ispconfig_gui.rs`, included once per wire (SOAP, JSON); `IspconfigPeer`
// is the including module's peer type.

use panelkit::ispconfig::clients::NewClient;
use panelkit::ispconfig::records::{self, MailUser, WebVhostDomain};
use panelkit::ispconfig::{Changes, FormRecord};
use panelkit_core::{Error, Secret};
use panelkit_tests::PeerOptions;

use crate::overlay_common::{map, overlay};

fn new_client(username: &str) -> NewClient {
    NewClient {
        username: username.to_owned(),
        password: Secret::new("Client-Pass-1!"),
        contact_name: "Contact Person".to_owned(),
        email: format!("{username}@example.com"),
        company_name: String::new(),
    }
}

/// The stored row `id` of peer table `table`.
async fn stored(peer: &IspconfigPeer, table: &str, id: i64) -> serde_json::Value {
    peer.table(table)
        .await
        .get(&id.to_string())
        .cloned()
        .unwrap_or_else(|| panic!("no {table} row {id}"))
}

fn text(row: &serde_json::Value, key: &str) -> String {
    match &row[key] {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Every field of form `T` with a literal default is stored with it, except
/// the fields named in `deliberate` (the helper's own knowledge, listed in
/// its docs) and the ones the caller set.
fn assert_form_defaults<T: FormRecord>(row: &serde_json::Value, deliberate: &[&str]) {
    let mut checked = 0;
    for field in T::FIELDS {
        let Some(default) = field.default else {
            continue;
        };
        if field.secrecy.is_some() || deliberate.contains(&field.name) {
            continue;
        }
        let stored = text(row, field.name);
        // An INTEGER column stores an empty default as 0, on the panel too.
        let same = stored == default || (default.is_empty() && stored == "0");
        assert!(
            same,
            "{}: stored {stored:?}, the form's default (as the GUI stores it) is {default:?}",
            field.name
        );
        checked += 1;
    }
    assert!(checked > 5, "only {checked} defaults checked");
}

#[tokio::test]
async fn client_add_stores_the_form_defaults_and_a_working_login() {
    let peer = IspconfigPeer::start();
    let ispc = overlay(&peer);
    let id = ispc
        .clients()
        .add(0, new_client("gui1"), records::Client::default())
        .await
        .unwrap();
    let row = stored(&peer, "client", id).await;
    assert_form_defaults::<records::Client>(
        &row,
        &[
            // the caller's
            "username",
            "contact_name",
            "email",
            "company_name",
            "parent_client_id",
            "limit_client",
            // deliberate: no master template, the GUI's language and theme,
            // every option of the two lists the form requires but leaves empty
            "template_master",
            "language",
            "usertheme",
            "web_php_options",
            "ssh_chroot",
        ],
    );
    assert_eq!(text(&row, "limit_web_domain"), "-1");
    assert_eq!(text(&row, "web_servers"), "1");
    assert_eq!(
        text(&row, "web_php_options"),
        "no,fast-cgi,cgi,mod,suphp,php-fpm"
    );
    assert_eq!(text(&row, "ssh_chroot"), "no,jailkit");
    let users = peer.table("sys_user").await;
    let login = users
        .values()
        .find(|u| u["username"] == "gui1")
        .expect("a panel login");
    assert_eq!(login["modules"], "dashboard,mail,sites,dns,tools,help");
}

#[tokio::test]
async fn resellers_can_manage_clients_whatever_their_limit() {
    let peer = IspconfigPeer::start();
    let ispc = overlay(&peer);
    let unlimited = ispc
        .clients()
        .add_reseller(new_client("res-unlimited"), -1, records::Client::default())
        .await
        .unwrap();
    let limited = ispc
        .clients()
        .add_reseller(new_client("res-five"), 5, records::Client::default())
        .await
        .unwrap();
    for (id, username, limit) in [
        (unlimited, "res-unlimited", "-1"),
        (limited, "res-five", "5"),
    ] {
        assert_eq!(
            text(&stored(&peer, "client", id).await, "limit_client"),
            limit
        );
        let users = peer.table("sys_user").await;
        let login = users.values().find(|u| u["username"] == username).unwrap();
        assert!(
            text(login, "modules").ends_with(",client"),
            "{username}: {login}"
        );
    }
    // Raw, as client_add does it, a reseller with -1 gets no client module.
    let raw = ispc
        .generated()
        .client_add(
            0,
            map(&[
                ("username", "raw-res".into()),
                ("password", "x-Pass-1!".into()),
                ("contact_name", "Raw".into()),
                ("email", "raw@example.com".into()),
                ("limit_client", (-1).into()),
                ("language", "en".into()),
                ("web_php_options", "no".into()),
                ("ssh_chroot", "no".into()),
            ]),
        )
        .await
        .unwrap();
    assert!(raw.as_i64().is_some());
    let users = peer.table("sys_user").await;
    let login = users.values().find(|u| u["username"] == "raw-res").unwrap();
    assert!(!text(login, "modules").contains("client"), "{login}");
}

#[tokio::test]
async fn client_update_without_a_password_leaves_both_password_columns() {
    let peer = IspconfigPeer::start();
    let ispc = overlay(&peer);
    let id = ispc
        .clients()
        .add(0, new_client("pwuser"), records::Client::default())
        .await
        .unwrap();
    let login_key = |users: &serde_json::Map<String, serde_json::Value>| {
        users
            .iter()
            .find(|(_, u)| u["username"] == "pwuser")
            .map(|(k, _)| k.clone())
            .expect("a panel login")
    };
    let key = login_key(&peer.table("sys_user").await);
    // A password changed in the GUI: sys_user only; client.password is stale.
    peer.gui_password_change("pwuser", "Changed-In-GUI-9").await;
    let before_user = peer.table("sys_user").await[&key]["passwort"].clone();
    let before_client = stored(&peer, "client", id).await["password"].clone();
    assert!(before_client
        .as_str()
        .is_some_and(|hash| hash.starts_with("$6$peer$")));
    assert_ne!(before_user, before_client);
    ispc.clients()
        .update(id, Changes::new().set("company_name", "Renamed GmbH"))
        .await
        .unwrap();
    let after_client = stored(&peer, "client", id).await;
    assert_eq!(text(&after_client, "company_name"), "Renamed GmbH");
    assert_eq!(after_client["password"], before_client);
    assert_eq!(
        peer.table("sys_user").await[&key]["passwort"],
        before_user,
        "the GUI's new password still works"
    );
    // Sending the stored hash back, as before, brings the old one back.
    let hash = text(&stored(&peer, "client", id).await, "password");
    ispc.generated()
        .client_update(
            id,
            0,
            map(&[
                ("password", hash.clone().into()),
                ("_ispconfig_pw_crypted", 1.into()),
            ]),
        )
        .await
        .unwrap();
    assert_eq!(
        peer.table("sys_user").await[&key]["passwort"],
        hash.as_str()
    );
}

#[tokio::test]
async fn web_domain_moves_are_refused_before_anything_is_sent() {
    let peer = IspconfigPeer::start();
    let ispc = overlay(&peer);
    let err = ispc
        .sites()
        .update_web_domain(1, Changes::new().set("hd_quota", 5).move_to(3))
        .await
        .unwrap_err();
    match &err {
        Error::Validation { code, message, .. } => {
            assert_eq!(code, "unsupported_move");
            assert!(message.contains("document_root"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    let stats = peer.stats().await;
    assert_eq!(stats.calls_of("sites_web_domain_update"), 0);
    assert_eq!(stats.calls_of("sites_web_domain_get"), 0);
}

#[tokio::test]
async fn required_fields_left_empty_are_refused_naming_field_and_check() {
    let peer = IspconfigPeer::start();
    let ispc = overlay(&peer);
    let mut extra = WebVhostDomain::default();
    extra.allow_override = Some(String::new());
    let err = ispc
        .sites()
        .add_web_domain(2, 1, "empty.example.com", extra)
        .await
        .unwrap_err();
    match &err {
        Error::Validation { code, fields, .. } => {
            assert_eq!(code, "allow_override_error_empty");
            assert_eq!(fields, &["allow_override"]);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(peer.stats().await.calls_of("sites_web_domain_add"), 0);
}

#[tokio::test]
async fn web_domain_and_mailbox_adds_store_what_the_gui_stores() {
    let peer = IspconfigPeer::start();
    let ispc = overlay(&peer);
    let site = ispc
        .sites()
        .add_web_domain(2, 1, "gui.example.com", WebVhostDomain::default())
        .await
        .unwrap();
    let row = stored(&peer, "web_domain", site).await;
    assert_form_defaults::<WebVhostDomain>(
        &row,
        &[
            "server_id",
            "domain",
            // set by sites_web_domain_add and the vhost plugin
            "document_root",
            "system_user",
            "system_group",
            // the GUI's onSubmit: a name-based vhost; every IP; php-fpm on
            // nginx (the peer's server 1)
            "type",
            "vhost_type",
            "ip_address",
            "php",
        ],
    );
    assert_eq!(text(&row, "type"), "vhost");
    assert_eq!(text(&row, "hd_quota"), "-1");

    let mailbox = ispc
        .mail()
        .add_mailbox(
            "new@example.com",
            &Secret::new("Mb-Pass-1!"),
            MailUser::default(),
        )
        .await
        .unwrap();
    let row = stored(&peer, "mail_user", mailbox).await;
    assert_form_defaults::<MailUser>(
        &row,
        &[
            "server_id",
            "email",
            "login",
            // from the mail server's configuration
            "maildir",
            "homedir",
            "maildir_format",
            "uid",
            "gid",
        ],
    );
    assert_eq!(text(&row, "maildir"), "/srv/mail/example.com/new");
    assert_eq!(text(&row, "move_junk"), "y");
}

#[tokio::test]
async fn restricted_remote_users_are_told_the_function_group_they_lack() {
    // A mail-only remote user: every mail_* function, nothing of "Client
    // functions".
    let functions = [
        "mail_domain_get",
        "mail_user_add",
        "mail_user_get",
        "server_get",
    ]
    .map(str::to_owned)
    .to_vec();
    let peer = IspconfigPeer::start_with(PeerOptions {
        functions: Some(functions),
        ..PeerOptions::default()
    });
    let ispc = overlay(&peer);
    let err = ispc
        .mail()
        .add_mailbox(
            "nobody@example.com",
            &Secret::new("x-Pass-1!"),
            MailUser::default(),
        )
        .await
        .unwrap_err();
    match &err {
        Error::Permission { code, message, .. } => {
            assert_eq!(code, "permission_denied");
            assert!(message.contains("'Client functions'"), "{message}");
            assert!(message.contains("client_get_id"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        peer.stats().await.calls_of("mail_user_add"),
        0,
        "nothing written"
    );
}

#[test]
fn each_helper_names_the_function_groups_it_needs() {
    use panelkit::ispconfig::pins::required_permissions;
    let needs = required_permissions("Mail::add_mailbox");
    let groups = |method: &str| -> Vec<Vec<&str>> {
        needs
            .iter()
            .find(|(m, _)| *m == method)
            .unwrap_or_else(|| panic!("{method} not among {needs:?}"))
            .1
            .iter()
            .map(|check| check.groups.to_vec())
            .collect()
    };
    assert_eq!(groups("mail_user_add"), [["Mail user functions"]]);
    assert!(groups("client_get_by_groupid")
        .iter()
        .all(|any_of| any_of.contains(&"Client functions")));
    assert!(groups("server_get")[0].contains(&"Server functions"));
    assert!(required_permissions("No::such_helper").is_empty());
}
