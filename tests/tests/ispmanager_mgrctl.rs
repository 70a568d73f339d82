//! The local `mgrctl` transport against a fake `mgrctl` that logs its
//! arguments and answers like the real one.

#![cfg(unix)]

use std::time::Duration;

use panelkit_core::coremanager::Format;
use panelkit_core::Error;
use panelkit_ispmanager::{Client, Mgrctl, Outcome};
use panelkit_tests::coremanager::{fake_mgrctl, mgrctl_calls};

fn local(dir: &std::path::Path) -> Client {
    Client::builder()
        .mgrctl(Mgrctl::new("ispmgr").program(fake_mgrctl(dir)))
        .build()
        .expect("no credentials needed: mgrctl runs as the invoking user")
}

#[tokio::test]
async fn lists_run_mgrctl_with_json_output_and_no_credentials() {
    let dir = tempfile::tempdir().unwrap();
    let rows = local(dir.path()).webdomain().await.unwrap();
    assert_eq!(rows.len(), 1, "a one-row list printed as an object");
    assert_eq!(rows[0].name(), Some("local.example"));
    assert_eq!(
        mgrctl_calls(dir.path()),
        [["-m", "ispmgr", "-o", "json", "webdomain"]]
    );
}

#[tokio::test]
async fn su_and_group_ids_become_arguments() {
    let dir = tempfile::tempdir().unwrap();
    let outcome = local(dir.path())
        .su("bob")
        .webdomain_delete(&["a.example", "b.example"])
        .await
        .unwrap();
    assert_eq!(outcome, Outcome::Ok);
    let calls = mgrctl_calls(dir.path());
    assert_eq!(
        calls[0],
        [
            "-m",
            "ispmgr",
            "-o",
            "json",
            "webdomain.delete",
            "elid=a.example, b.example",
            "su=bob"
        ]
    );
    assert!(
        !calls[0].iter().any(|a| a.starts_with("auth")),
        "no credentials on the command line"
    );
}

#[tokio::test]
async fn xml_output_through_mgrctl() {
    let dir = tempfile::tempdir().unwrap();
    let client = Client::builder()
        .mgrctl(Mgrctl::new("ispmgr").program(fake_mgrctl(dir.path())))
        .format(Format::Xml)
        .build()
        .unwrap();
    let rows = client.webdomain().await.unwrap();
    assert_eq!(rows[0].owner(), Some("root"));
    assert_eq!(mgrctl_calls(dir.path())[0][3], "xml");
}

#[tokio::test]
async fn failures_are_typed() {
    let dir = tempfile::tempdir().unwrap();
    let client = local(dir.path());
    // an error document with a non-zero exit: the document wins
    match client.call("fail.doc", &[]).await {
        Err(Error::NotFound { code, .. }) => assert_eq!(code, "missed"),
        other => panic!("{other:?}"),
    }
    // nothing on stdout: the exit status and stderr
    match client.call("fail.exit", &[]).await {
        Err(Error::Transport { message, .. }) => {
            assert!(message.contains("cannot connect to ispmgr"), "{message}");
            assert!(message.contains('3'), "{message}");
        }
        other => panic!("{other:?}"),
    }
    let slow = Client::builder()
        .mgrctl(
            Mgrctl::new("ispmgr")
                .program(fake_mgrctl(dir.path()))
                .timeout(Duration::from_millis(300)),
        )
        .build()
        .unwrap();
    assert!(matches!(
        slow.call("sleep", &[]).await,
        Err(Error::Timeout { .. })
    ));
    let missing = Client::builder()
        .mgrctl(Mgrctl::new("ispmgr").program(dir.path().join("no-such-mgrctl")))
        .build()
        .unwrap();
    match missing.webdomain().await {
        Err(Error::Transport { message, .. }) => {
            assert!(message.contains("cannot run"), "{message}")
        }
        other => panic!("{other:?}"),
    }
}
