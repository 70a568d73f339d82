//! Decoding a 10,000-record `dns_rr_get_all_by_zone` answer (about 15 MB):
//! panelkit's decoder, PHP ext/soap's `SoapClient` on the same bytes, and a
//! bare quick-xml tokenize-only pass as the floor. Prints records/s for each
//! and the ratios. Run: `cargo bench -p panelkit-core --bench soap_decode`.
//!
//! PHP with the soap extension is required (`apt-get install -y php-cli php-soap`).

use std::fmt::Write as _;
use std::hint::black_box;
use std::process::Command;
use std::time::Instant;

use panelkit_core::soap::{decode_response, DecodeLimits, Response};

const RECORDS: usize = 10_000;
const ITERATIONS: usize = 9;

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

fn time<F: FnMut()>(mut run: F) -> f64 {
    run(); // warm-up
    median(
        (0..ITERATIONS)
            .map(|_| {
                let start = Instant::now();
                run();
                start.elapsed().as_secs_f64()
            })
            .collect(),
    )
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

fn php_median(path: &std::path::Path) -> f64 {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/php/decode.php");
    let out = Command::new("php")
        .args([script, &path.to_string_lossy(), &ITERATIONS.to_string()])
        .output()
        .expect("php is required for this bench: apt-get install -y php-cli php-soap");
    assert!(
        out.status.success(),
        "PHP bench failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .expect("PHP prints its median in seconds")
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
    let ours = time(|| {
        black_box(decode_response(Some(200), black_box(bytes), &limits).ok());
    });
    let floor = time(|| {
        black_box(quick_xml_floor(black_box(bytes)));
    });
    let php = php_median(&path);
    let _ = std::fs::remove_file(&path);

    let rate = |s: f64| RECORDS as f64 / s;
    println!(
        "input: {RECORDS} records, {:.1} MB; median of {ITERATIONS} runs each",
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
