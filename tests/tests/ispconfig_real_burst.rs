//! By hand, against the genuine ISPConfig 3.2.12p1 (the `ispconfig-real`
//! harness, which CI cannot run): a session killed on the panel, then bursts
//! of calls through clones of one client, as in issue 21's table.
//!
//! ```sh
//! eval "$(bash …/ispconfig-real/start.sh | tail -n 5)"   # exports ISPC_REAL_URL, _USER, _PASSWORD, _DIR
//! cargo test -p panelkit-tests --test ispconfig_real_burst -- --ignored --nocapture
//! ```
//! `ISPC_REAL_URL` may point at a second `php -S` (with
//! `PHP_CLI_SERVER_WORKERS`) serving the same instance. The panel's side is
//! read from its database through the instance's MariaDB socket: the general
//! query log tells how many logins were attempted and how many failures the
//! panel counted (`attempts_login` inserts and updates), whatever the client
//! says. Only the public client API is used, so the same file measures any
//! version of the client.

use std::process::Command;
use std::time::Duration;

use panelkit_ispconfig::Client;

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} must be set (see the file's header)"))
}

/// Runs SQL as root on the instance's socket; the output, tab-separated.
fn sql(query: &str) -> String {
    let socket = format!("{}/mysql/mysqld.sock", env("ISPC_REAL_DIR"));
    let out = Command::new("mariadb")
        .args(["--no-defaults", "-uroot", "--socket", &socket, "-N", "-B"])
        .args(["dbispconfig", "-e", query])
        .output()
        .expect("run the mariadb client");
    assert!(
        out.status.success(),
        "{query}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

fn count(query: &str) -> u64 {
    sql(query).parse().unwrap_or(0)
}

/// Clears the lockout counter and the query log.
fn fresh_panel() {
    sql("DELETE FROM attempts_login");
    sql("SET GLOBAL log_output = 'TABLE'; SET GLOBAL general_log = 1; TRUNCATE mysql.general_log");
}

/// What the panel did since [`fresh_panel`].
fn panel_side() -> String {
    let logged = |like: &str| {
        count(&format!(
            "SELECT COUNT(*) FROM mysql.general_log WHERE command_type = 'Query' \
             AND CONVERT(argument USING utf8mb4) LIKE '{like}'"
        ))
    };
    let attempted = logged("DELETE FROM remote_session WHERE tstamp < UNIX_TIMESTAMP()%");
    let sessions = logged("INSERT INTO remote_session%");
    let counted = logged("INSERT INTO `attempts_login`%") + logged("UPDATE `attempts_login` SET%");
    let times = count(
        "SELECT COALESCE(MAX(times), 0) FROM attempts_login \
         WHERE login_time > NOW() - INTERVAL 5 MINUTE",
    );
    format!(
        "logins {sessions} of {attempted} attempted | counted {counted} | counter now {times} | locked out {}",
        if times >= 10 { "YES" } else { "no" }
    )
}

#[derive(Clone, Copy, Debug)]
enum Kill {
    /// The session stays.
    None,
    /// Rows deleted from remote_session (restart, cleanup, logout elsewhere).
    Delete,
    /// The session's end of life moved into the past.
    Expire,
}

#[derive(Clone, Copy, Debug)]
enum Shape {
    Concurrent(usize),
    Sequential(usize),
    /// One call awaited first, then the rest at once.
    OneThen(usize),
}

async fn scenario(name: &str, kill: Kill, idle: Duration, shape: Shape) {
    let client = Client::builder()
        .url(env("ISPC_REAL_URL"))
        .credentials(env("ISPC_REAL_USER"), env("ISPC_REAL_PASSWORD"))
        .build()
        .expect("client builds");
    fresh_panel();
    client.login().await.expect("login");
    match kill {
        Kill::None => {}
        Kill::Delete => drop(sql("DELETE FROM remote_session")),
        Kill::Expire => drop(sql(
            "UPDATE remote_session SET tstamp = UNIX_TIMESTAMP() - 1",
        )),
    }
    tokio::time::sleep(idle).await;
    let one = |client: Client| async move { client.server_get_all().await.map(drop) };
    let mut outcomes = Vec::new();
    let concurrent = |n: usize| {
        let tasks: Vec<_> = (0..n).map(|_| tokio::spawn(one(client.clone()))).collect();
        async move {
            let mut out = Vec::new();
            for t in tasks {
                out.push(t.await.expect("task"));
            }
            out
        }
    };
    match shape {
        Shape::Concurrent(n) => outcomes.extend(concurrent(n).await),
        Shape::Sequential(n) => {
            for _ in 0..n {
                outcomes.push(one(client.clone()).await);
            }
        }
        Shape::OneThen(n) => {
            outcomes.push(one(client.clone()).await);
            outcomes.extend(concurrent(n - 1).await);
        }
    }
    let ok = outcomes.iter().filter(|o| o.is_ok()).count();
    let mut codes: std::collections::BTreeMap<String, usize> = Default::default();
    for e in outcomes.iter().filter_map(|o| o.as_ref().err()) {
        *codes
            .entry(e.code().unwrap_or("(no code)").to_owned())
            .or_default() += 1;
    }
    println!(
        "| {name} | ok {ok} | failed {} {codes:?} | {} |",
        outcomes.len() - ok,
        panel_side()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs the genuine panel: ISPC_REAL_URL, _USER, _PASSWORD, _DIR"]
async fn genuine_panel_bursts() {
    let idle = Duration::from_secs(6);
    let now = Duration::ZERO;
    use Kill::*;
    use Shape::*;
    let cases: [(&str, Kill, Duration, Shape); 12] = [
        ("live, 100 concurrent", None, now, Concurrent(100)),
        ("dead, 10 concurrent", Delete, now, Concurrent(10)),
        ("dead, 20 concurrent", Delete, now, Concurrent(20)),
        ("dead, 100 concurrent", Delete, now, Concurrent(100)),
        (
            "dead, idle 6 s, 20 concurrent",
            Delete,
            idle,
            Concurrent(20),
        ),
        (
            "dead, idle 6 s, 100 concurrent",
            Delete,
            idle,
            Concurrent(100),
        ),
        ("expired, 20 concurrent", Expire, now, Concurrent(20)),
        (
            "expired, idle 6 s, 20 concurrent",
            Expire,
            idle,
            Concurrent(20),
        ),
        ("dead, 20 sequential", Delete, now, Sequential(20)),
        ("dead, one then 99 concurrent", Delete, now, OneThen(100)),
        (
            "live, idle 6 s, 100 concurrent",
            None,
            idle,
            Concurrent(100),
        ),
        ("dead, idle 6 s, one then 99", Delete, idle, OneThen(100)),
    ];
    for (name, kill, wait, shape) in cases {
        scenario(name, kill, wait, shape).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs the genuine panel: ISPC_REAL_URL, _USER, _PASSWORD, _DIR"]
async fn genuine_panel_lockout_then_burst() {
    let client = Client::builder()
        .url(env("ISPC_REAL_URL"))
        .credentials(env("ISPC_REAL_USER"), env("ISPC_REAL_PASSWORD"))
        .build()
        .expect("client builds");
    fresh_panel();
    // As after 10 counted failures from this IP (the panel stores md5(IP)).
    sql("INSERT INTO attempts_login (ip, times, login_time) VALUES (MD5('127.0.0.1'), 10, NOW())");
    let first = client.server_get_all().await.expect_err("locked out");
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.server_get_all().await })
        })
        .collect();
    let mut later = Vec::new();
    for task in tasks {
        later.push(task.await.expect("task").expect_err("still locked out"));
    }
    println!("first: {first}");
    println!("later (1 of {}): {}", later.len(), later[0]);
    println!("| locked out, 1 then 20 concurrent | {} |", panel_side());
    sql("DELETE FROM attempts_login");
}
