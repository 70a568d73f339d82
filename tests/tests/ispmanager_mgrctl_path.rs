//! `Mgrctl::program("mgrctl")` finds the program on `PATH`. Alone in its test
//! binary because it changes this process's `PATH`.

#![cfg(unix)]

use panelkit_ispmanager::{Client, Mgrctl};
use panelkit_tests::coremanager::{fake_mgrctl, mgrctl_calls};

#[tokio::test]
async fn mgrctl_is_found_on_path() {
    let dir = tempfile::tempdir().unwrap();
    fake_mgrctl(dir.path());
    let path = format!(
        "{}:{}",
        dir.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    // The only test in this binary: nothing else reads the environment meanwhile.
    std::env::set_var("PATH", path);
    let client = Client::builder()
        .mgrctl(Mgrctl::new("ispmgr").program("mgrctl"))
        .build()
        .unwrap();
    assert_eq!(client.webdomain().await.unwrap().len(), 1);
    assert_eq!(mgrctl_calls(dir.path()).len(), 1);
}
