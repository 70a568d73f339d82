//! Decoding a 10,000-record `dns_rr_get_all_by_zone` answer (about 19 MB):
//! panelkit's decoder, PHP ext/soap's `SoapClient` on the same bytes, and a
//! bare quick-xml tokenize-only pass as the floor. Prints records/s for each
//! and the ratios. Run: `cargo bench -p panelkit-core --bench soap_decode`.
//!
//! The three are sampled in rounds (one run of each per round, PHP in a
//! process kept warm), so a machine shared with other work loads them alike
//! and the ratios stay meaningful; medians over the rounds.
//!
//! PHP with the soap extension is required (`apt-get install -y php-cli php-soap`).

use std::fmt::Write as _;
use std::hint::black_box;
use std::io::{BufRead, BufReader, Write as _};
use std::process::{Command, Stdio};
use std::time::Instant;

use panelkit_core::soap::{decode_response, DecodeLimits, Response};

const RECORDS: usize = 10_000;
/// Rounds of samples (one run of each decoder per round).
const ROUNDS: usize = 15;

/// A row field: its name and how to make its value for row `i`.
type Field = (&'static str, fn(usize) -> String);

/// A response shaped like the panel's: a SOAP-ENC:Array of ns2:Map rows whose
/// values are all strings, as database rows are.
fn response() -> String {
    let fields: [Field; 20] = [
        ("id", |i| (i + 1).to_string()),
        ("sys_userid", |_| "1".into()),
        ("sys_groupid", |i| (i % 7 + 1).to_string()),
        ("sys_perm_user", |_| "riud".into()),
        ("sys_perm_group", |_| "riud".into()),
        ("sys_perm_other", |_| String::new()),
        ("server_id", |_| "1".into()),
        ("zone", |_| "42".into()),
        ("name", |i| format!("host-{i}.example.com.")),
        ("type", |i| {
            ["A", "AAAA", "MX", "TXT", "CNAME"][i % 5].into()
        }),
        ("data", |i| format!("192.0.{}.{}", i / 256 % 256, i % 256)),
        ("aux", |i| (i % 3 * 10).to_string()),
        ("ttl", |_| "3600".into()),
        ("active", |_| "Y".into()),
        ("stamp", |_| "2026-11-24 01:38:00".into()),
        ("serial", |i| (2026112400 + i % 100).to_string()),
        ("weight", |_| "0".into()),
        ("port", |_| "0".into()),
        ("comment", |i| {
            if i % 10 == 0 {
                "imported &lt;legacy&gt; Grüße".into()
            } else {
                String::new()
            }
        }),
        ("update_acl", |_| String::new()),
    ];
    let mut out = String::with_capacity(16 << 20);
    out.push_str(r#"<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="/remote/index.php" xmlns:ns2="http://xml.apache.org/xml-soap" xmlns:SOAP-ENC="http://schemas.xmlsoap.org/soap/encoding/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" SOAP-ENV:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><SOAP-ENV:Body><ns1:dns_rr_get_all_by_zoneResponse>"#);
    let _ = write!(
        out,
        r#"<return SOAP-ENC:arrayType="ns2:Map[{RECORDS}]" xsi:type="SOAP-ENC:Array">"#
    );
    for i in 0..RECORDS {
        out.push_str(r#"<item xsi:type="ns2:Map">"#);
        for (key, value) in &fields {
            let _ = write!(
                out,
                r#"<item><key xsi:type="xsd:string">{key}</key><value xsi:type="xsd:string">{}</value></item>"#,
                value(i)
            );
        }
        out.push_str("</item>");
    }
    out.push_str(
        "</return></ns1:dns_rr_get_all_by_zoneResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>\n",
    );
    out
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

fn quick_xml_floor(body: &[u8]) -> usize {
    let mut reader = quick_xml::Reader::from_reader(body);
    let mut events = 0usize;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => return events,
            Ok(event) => {
                black_box(&event);
                events += 1;
            }
            Err(e) => panic!("bench input is malformed: {e}"),
        }
    }
}

/// PHP ext/soap decoding the answer in `path`, in a process that stays up:
/// one untimed warm-up, then one timed decode per [`Php::sample`].
struct Php {
    child: std::process::Child,
    stdout: BufReader<std::process::ChildStdout>,
}

impl Php {
    fn start(path: &std::path::Path) -> Php {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/php/decode.php");
        let mut child = Command::new("php")
            .args([script, &path.to_string_lossy()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("php is required for this bench: apt-get install -y php-cli php-soap");
        let stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
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
    // `cargo test --benches` runs bench binaries with --bench absent; keep it cheap then.
    if !std::env::args().any(|a| a == "--bench") {
        let body = response();
        assert!(matches!(
            decode_response(Some(200), body.as_bytes(), &DecodeLimits::default()),
            Ok(Response::Return(_))
        ));
        return;
    }
    let body = response();
    // For profilers: only our decoder, many times.
    if std::env::var_os("PANELKIT_BENCH_PROFILE").is_some() {
        for _ in 0..30 {
            black_box(
                decode_response(
                    Some(200),
                    black_box(body.as_bytes()),
                    &DecodeLimits::default(),
                )
                .ok(),
            );
        }
        return;
    }
    let path = std::env::temp_dir().join(format!("panelkit-bench-{}.xml", std::process::id()));
    std::fs::write(&path, &body).expect("write bench input");
    let bytes = body.as_bytes();
    let limits = DecodeLimits::default();

    match decode_response(Some(200), bytes, &limits) {
        Ok(Response::Return(v)) => assert_eq!(v.as_list().map(<[_]>::len), Some(RECORDS)),
        other => panic!("bench input did not decode: {other:?}"),
    }
    let mut php = Php::start(&path);
    // Warm-up of ours and the floor (PHP warms itself up).
    black_box(decode_response(Some(200), black_box(bytes), &limits).ok());
    black_box(quick_xml_floor(black_box(bytes)));
    let (mut ours, mut floor, mut theirs) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        ours.push(time(|| {
            black_box(decode_response(Some(200), black_box(bytes), &limits).ok());
        }));
        floor.push(time(|| {
            black_box(quick_xml_floor(black_box(bytes)));
        }));
        theirs.push(php.sample());
    }
    php.stop();
    let _ = std::fs::remove_file(&path);
    let (ours, floor, php) = (median(ours), median(floor), median(theirs));

    let rate = |s: f64| RECORDS as f64 / s;
    println!(
        "input: {RECORDS} records, {:.1} MB; median of {ROUNDS} interleaved rounds",
        bytes.len() as f64 / 1e6
    );
    println!(
        "panelkit decode_response : {:>8.1} ms  {:>10.0} records/s",
        ours * 1e3,
        rate(ours)
    );
    println!(
        "PHP ext/soap SoapClient  : {:>8.1} ms  {:>10.0} records/s",
        php * 1e3,
        rate(php)
    );
    println!(
        "quick-xml tokenize only  : {:>8.1} ms  {:>10.0} records/s",
        floor * 1e3,
        rate(floor)
    );
    println!("panelkit vs PHP          : {:.1}× faster", php / ours);
    println!(
        "panelkit vs tokenizer    : {:.2}× the floor's time",
        ours / floor
    );
}
