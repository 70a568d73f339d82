//! `panelctl ispmanager` and `panelctl dci` end to end against the local
//! peers written from the vendors' documented behaviour (tests/src/), and a
//! fake `mgrctl` for the local transport.

use std::process::Output;

use assert_cmd::Command;

use panelkit_tests::coremanager::{fake_mgrctl, CoremanagerPeer};
use panelkit_tests::dcimanager::{DciPeer, PeerOptions};

/// Runs panelctl (blocking, off the runtime that serves the peers).
async fn panelctl(envs: Vec<(&'static str, String)>, args: Vec<String>, stdin: String) -> Output {
    tokio::task::spawn_blocking(move || {
        let mut command = Command::cargo_bin("panelctl").expect("panelctl is built");
        command
            .args(["--config", "/dev/null"])
            .args(&args)
            .env_remove("PANELCTL_PROFILE")
            .write_stdin(stdin);
        for (k, v) in envs {
            command.env(k, v);
        }
        command.output().expect("panelctl runs")
    })
    .await
    .expect("runner")
}

fn json(output: &Output) -> serde_json::Value {
    assert!(
        output.status.success(),
        "panelctl failed ({:?}): {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("stdout is JSON")
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

const LOG_LINE: &str = "Feb  6 08:08:07 [2346:23826] core_module INFO Request [188.120.252.33][root] 'clicked_button=ok&func=domain.edit&ip=8.8.8.8&name=domain.name&operafake=1486357687433&progressid=false&sfrom=ajax&sok=ok&zoom-ip=*&empty='";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn from_log_prints_the_request_without_a_panel() {
    let out = panelctl(
        vec![],
        args(&["ispmanager", "from-log", LOG_LINE]),
        String::new(),
    )
    .await;
    assert_eq!(
        json(&out),
        "func=domain.edit&ip=8.8.8.8&name=domain.name&sok=ok"
    );
    let bad = panelctl(
        vec![],
        args(&["ispmanager", "from-log", "no request here"]),
        String::new(),
    )
    .await;
    assert_eq!(bad.status.code(), Some(3));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ispmanager_list_form_call_and_from_log_run_over_https_sessions() {
    let peer = CoremanagerPeer::start().await;
    peer.add_domain("shop.example", "root");
    let env = vec![
        ("PANELKIT_ISPMANAGER_URL", peer.url()),
        ("PANELKIT_ISPMANAGER_USER", "root".to_owned()),
    ];
    let password = format!("{}\n", peer.password("root"));
    let run = |list: &[&str]| {
        let mut all = vec!["--password-stdin".to_owned()];
        all.extend(args(list));
        panelctl(env.clone(), all, password.clone())
    };
    let rows = json(&run(&["ispmanager", "list", "webdomain"]).await);
    assert!(
        rows.as_array()
            .unwrap()
            .iter()
            .any(|r| r["name"] == "shop.example"),
        "{rows}"
    );
    let form = json(
        &run(&[
            "ispmanager",
            "form",
            "webdomain.edit",
            "--elid",
            "shop.example",
        ])
        .await,
    );
    assert_eq!(form["name"], "shop.example", "{form}");
    let deleted = json(
        &run(&[
            "ispmanager",
            "call",
            "webdomain.delete",
            "elid=shop.example",
        ])
        .await,
    );
    assert_eq!(deleted["ok"], true, "{deleted}");
    assert!(!peer.domains().contains(&"shop.example".to_owned()));
    let line = "Nov 24 10:00:00 [1:2] core_module INFO Request [10.0.0.1][root] 'func=webdomain&sfrom=ajax'";
    let replayed = json(&run(&["ispmanager", "from-log", line, "--run"]).await);
    assert!(replayed.is_array(), "{replayed}");
    // The password travels in POST bodies only, never in a URL.
    for seen in peer.seen() {
        assert!(!format!("{seen:?}").contains("?authinfo"), "{seen:?}");
    }
    let wrong = panelctl(
        env.clone(),
        args(&["--password-stdin", "ispmanager", "list", "webdomain"]),
        "wrong\n".to_owned(),
    )
    .await;
    assert_eq!(
        wrong.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&wrong.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ispmanager_local_mgrctl() {
    let dir = std::env::temp_dir().join(format!("panelctl-mgrctl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mgrctl = fake_mgrctl(&dir);
    let mgrctl = mgrctl.to_str().unwrap();
    let rows = json(
        &panelctl(
            vec![],
            args(&[
                "ispmanager",
                "--local",
                "--mgrctl",
                mgrctl,
                "list",
                "webdomain",
            ]),
            String::new(),
        )
        .await,
    );
    assert_eq!(
        rows[0]["name"], "local.example",
        "a one-row list arriving as an object: {rows}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dci_servers_server_and_call() {
    let peer = DciPeer::start(PeerOptions {
        servers: 7,
        ..Default::default()
    })
    .await;
    let (email, password) = peer.account();
    let env = vec![
        ("PANELKIT_DCI_URL", peer.url()),
        ("PANELKIT_DCI_USER", email),
    ];
    let stdin = format!("{password}\n");
    let run = |list: &[&str]| {
        let mut all = vec!["--password-stdin".to_owned()];
        all.extend(args(list));
        panelctl(env.clone(), all, stdin.clone())
    };
    let servers = json(&run(&["dci", "servers"]).await);
    assert_eq!(
        servers.as_array().unwrap().len(),
        7,
        "every page: {servers}"
    );
    let server = json(&run(&["dci", "server", "3"]).await);
    assert!(server.to_string().contains('3'), "{server}");
    let raw = json(&run(&["dci", "call", "get", "dci", "v3", "/server"]).await);
    assert!(raw["list"].is_array(), "{raw}");
    let bad = run(&["dci", "call", "GET", "nosuch", "v3", "/x"]).await;
    assert_eq!(bad.status.code(), Some(3));
    let missing = run(&["dci", "server", "99"]).await;
    assert_eq!(
        missing.status.code(),
        Some(6),
        "{}",
        String::from_utf8_lossy(&missing.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_probes_ispmanager_and_dci_and_fails_with_the_auth_code() {
    let peer = CoremanagerPeer::start().await;
    let env = vec![
        ("PANELKIT_ISPMANAGER_URL", peer.url()),
        ("PANELKIT_ISPMANAGER_USER", "root".to_owned()),
    ];
    let run = |password: String| {
        panelctl(
            env.clone(),
            args(&["--password-stdin", "ispmanager", "doctor"]),
            format!("{password}\n"),
        )
    };
    let report = json(&run(peer.password("root")).await);
    assert_eq!(report["panel"], "ispmanager", "{report}");
    assert_eq!(report["probes"][0]["ok"], true, "{report}");
    assert!(
        report["probes"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("root"),
        "{report}"
    );
    let wrong = run("not-the-password".to_owned()).await;
    assert_eq!(
        wrong.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&wrong.stderr)
    );

    let dci = DciPeer::start(PeerOptions::default()).await;
    let (email, password) = dci.account();
    let report = json(
        &panelctl(
            vec![
                ("PANELKIT_DCI_URL", dci.url()),
                ("PANELKIT_DCI_USER", email.clone()),
            ],
            args(&["--password-stdin", "dci", "doctor"]),
            format!("{password}\n"),
        )
        .await,
    );
    assert_eq!(report["probes"][0]["ok"], true, "{report}");
    assert!(report.to_string().contains("session"), "{report}");
}
