//! Decoding a 10,000-record `dns_rr_get_all_by_zone` answer as the panel's
//! `remote/json.php` sends it: panelkit's JSON transport decoder, PHP's
//! `json_decode` of the same bytes, and a bare
//! `serde_json::from_slice::<IgnoredAny>` pass as the floor. Prints
//! records/s for each and the ratios.
//! Run: `cargo bench -p panelkit-core --bench json_decode`.
//!
//! The bytes are PHP's own: the records are written once, then the PHP
//! process re-encodes them with `json_encode` exactly as the handler prints
//! its answer (`\/` and `\uXXXX` escapes included) before any timing. The
//! three are sampled in rounds (one run of each per round, PHP kept warm),
//! medians over the rounds, as in the `soap_decode` bench.

use std::hint::black_box;
use std::io::{BufRead, BufReader, Write as _};
use std::process::{Command, Stdio};
use std::time::Instant;

use panelkit_core::ispconfig::json::decode_response;
use panelkit_core::soap::{DecodeLimits, Value};

const RECORDS: usize = 10_000;
/// Rounds of samples (one run of each decoder per round).
const ROUNDS: usize = 15;

/// The answer envelope with rows shaped like the panel's `dns_rr` rows (all
/// values strings, as database rows are), the same rows as `soap_decode`.
fn answer() -> serde_json::Value {
    let rows: Vec<serde_json::Value> = (0..RECORDS)
        .map(|i| {
            let rtype = ["A", "AAAA", "MX", "TXT", "CNAME"][i % 5];
            let comment = if i % 10 == 0 {
                "imported <legacy> Grüße / ok"
            } else {
                ""
            };
            serde_json::json!({
                "id": (i + 1).to_string(),
                "sys_userid": "1",
                "sys_groupid": (i % 7 + 1).to_string(),
                "sys_perm_user": "riud",
                "sys_perm_group": "riud",
                "sys_perm_other": "",
                "server_id": "1",
                "zone": "42",
                "name": format!("host-{i}.example.com."),
                "type": rtype,
                "data": format!("192.0.{}.{}", i / 256 % 256, i % 256),
                "aux": (i % 3 * 10).to_string(),
                "ttl": "3600",
                "active": "Y",
                "stamp": "2026-11-24 01:38:00",
                "serial": (2026112400 + i % 100).to_string(),
                "weight": "0",
                "port": "0",
                "comment": comment,
                "update_acl": "",
            })
        })
        .collect();
    serde_json::json!({"code": "ok", "message": "", "response": rows})
}

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

/// Seconds one run of `run` takes.
fn time<F: FnMut()>(mut run: F) -> f64 {
    let start = Instant::now();
    run();
    start.elapsed().as_secs_f64()
}

fn ours(body: &[u8], limits: &DecodeLimits) -> Value {
    decode_response(&[], "dns_rr_get_all_by_zone", false, 200, body, limits)
        .expect("the bench answer decodes")
}

/// PHP's `json_decode` of the answer in `path`, in a process that stays up.
struct Php {
    child: std::process::Child,
    stdout: BufReader<std::process::ChildStdout>,
}

impl Php {
    /// Starts PHP, which rewrites `path` as `json_encode` prints it.
    fn start(path: &std::path::Path) -> Php {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/php/json_decode.php");
        let mut child = Command::new("php")
            .args([script, &path.to_string_lossy()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("php is required for this bench: apt-get install -y php-cli");
        let mut stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
        let mut line = String::new();
        stdout
            .read_line(&mut line)
            .expect("PHP bench process answers");
        assert_eq!(line.trim(), "ready", "PHP bench process did not start");
        Php { child, stdout }
    }

    /// Seconds PHP took for one decode.
    fn sample(&mut self) -> f64 {
        let stdin = self.child.stdin.as_mut().expect("piped stdin");
        stdin
            .write_all(b"go\n")
            .and_then(|()| stdin.flush())
            .expect("PHP bench process is running");
        let mut line = String::new();
        self.stdout
            .read_line(&mut line)
            .expect("PHP bench process answers");
        line.trim()
            .parse()
            .unwrap_or_else(|_| panic!("PHP prints seconds per decode, not {line:?}"))
    }

    fn stop(mut self) {
        drop(self.child.stdin.take());
        let status = self.child.wait().expect("PHP bench process ends");
        assert!(status.success(), "PHP bench failed: {status}");
    }
}

fn main() {
    let limits = DecodeLimits::default();
    // `cargo test --benches` runs bench binaries with --bench absent; keep it cheap then.
    if !std::env::args().any(|a| a == "--bench") {
        let body = serde_json::to_vec(&answer()).unwrap();
        assert_eq!(
            ours(&body, &limits).as_list().map(<[_]>::len),
            Some(RECORDS)
        );
        return;
    }
    let path = std::env::temp_dir().join(format!("panelkit-bench-{}.json", std::process::id()));
    std::fs::write(&path, serde_json::to_vec(&answer()).unwrap()).expect("write bench input");
    let mut php = Php::start(&path);
    let body = std::fs::read(&path).expect("read PHP's bytes");
    let _ = std::fs::remove_file(&path);
    assert!(
        body.windows(6).any(|w| w == br"\u00fc"),
        "PHP's json_encode escapes"
    );
    assert_eq!(
        ours(&body, &limits).as_list().map(<[_]>::len),
        Some(RECORDS)
    );
    let floor = |b: &[u8]| serde_json::from_slice::<serde::de::IgnoredAny>(b).expect("valid JSON");
    black_box(floor(black_box(&body)));
    let (mut us, mut bare, mut theirs) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        us.push(time(|| {
            black_box(ours(black_box(&body), &limits));
        }));
        bare.push(time(|| {
            black_box(floor(black_box(&body)));
        }));
        theirs.push(php.sample());
    }
    php.stop();
    let (us, bare, php) = (median(us), median(bare), median(theirs));
    let rate = |s: f64| RECORDS as f64 / s;
    println!(
        "input: {RECORDS} records, {:.1} MB as json.php sends them; median of {ROUNDS} interleaved rounds",
        body.len() as f64 / 1e6
    );
    println!(
        "panelkit json decode     : {:>8.1} ms  {:>10.0} records/s",
        us * 1e3,
        rate(us)
    );
    println!(
        "PHP json_decode          : {:>8.1} ms  {:>10.0} records/s",
        php * 1e3,
        rate(php)
    );
    println!(
        "serde_json IgnoredAny    : {:>8.1} ms  {:>10.0} records/s",
        bare * 1e3,
        rate(bare)
    );
    println!("panelkit vs PHP          : {:.2}× PHP's speed", php / us);
    println!(
        "panelkit vs bare parse   : {:.2}× the floor's time",
        us / bare
    );
}
