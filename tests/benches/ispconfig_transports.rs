//! End to end through each ISPConfig transport: 1,000
//! `dns_rr_get_all_by_zone` calls (zone 2 of the seed, four records) with the
//! generated client against the PHP peer, over SOAP (`remote/index.php`) and
//! over JSON (`remote/json.php`). Prints calls/s and the p50/p99 latency of
//! each. Calls go one after the other, so the numbers are per-call costs
//! (client encode + PHP + decode), not the peer's parallelism.
//! Run: `cargo bench -p panelkit-tests --bench ispconfig_transports`.
//!
//! The two transports alternate in blocks of 50 calls, so a machine shared
//! with other work loads them alike.

use std::time::{Duration, Instant};

use panelkit_ispconfig::Client;
use panelkit_tests::{IspconfigPeer, PeerOptions, Wire};

const CALLS: usize = 1_000;
const BLOCK: usize = 50;

fn client(peer: &IspconfigPeer, url: String) -> Client {
    Client::builder()
        .url(url)
        .credentials(peer.user(), peer.password())
        .build()
        .expect("client builds")
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

fn report(name: &str, mut samples: Vec<Duration>, total: Duration) {
    samples.sort();
    println!(
        "{name:<5}: {:>7.0} calls/s  p50 {:>6.2} ms  p99 {:>6.2} ms  ({} calls)",
        samples.len() as f64 / total.as_secs_f64(),
        percentile(&samples, 0.50).as_secs_f64() * 1e3,
        percentile(&samples, 0.99).as_secs_f64() * 1e3,
        samples.len()
    );
}

fn main() {
    let quick = !std::env::args().any(|a| a == "--bench");
    let calls = if quick { 2 * BLOCK / 10 } else { CALLS };
    let peer = IspconfigPeer::start_with(PeerOptions {
        wire: Wire::Soap,
        ..PeerOptions::default()
    });
    let soap_url = peer.soap_url();
    let json_url = soap_url.replace("/index.php", "/json.php");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let clients = [
            ("SOAP", client(&peer, soap_url)),
            ("JSON", client(&peer, json_url)),
        ];
        // Warm-up: login and a few calls each; both must answer alike.
        let mut answers = Vec::new();
        for (_, c) in &clients {
            for _ in 0..5 {
                c.dns_rr_get_all_by_zone(2).await.expect("call");
            }
            answers.push(c.dns_rr_get_all_by_zone(2).await.expect("call"));
        }
        assert_eq!(answers[0], answers[1], "both transports answer alike");
        assert_eq!(answers[0].as_list().map(<[_]>::len), Some(4));
        let mut samples = [Vec::with_capacity(calls), Vec::with_capacity(calls)];
        let mut totals = [Duration::ZERO; 2];
        let block = BLOCK.min(calls);
        for _ in 0..calls / block {
            for (i, (_, c)) in clients.iter().enumerate() {
                let block_start = Instant::now();
                for _ in 0..block {
                    let start = Instant::now();
                    std::hint::black_box(c.dns_rr_get_all_by_zone(2).await.expect("call"));
                    samples[i].push(start.elapsed());
                }
                totals[i] += block_start.elapsed();
            }
        }
        if quick {
            return;
        }
        println!(
            "{calls} sequential dns_rr_get_all_by_zone calls per transport, PHP peer, 4 workers"
        );
        for (i, (name, _)) in clients.iter().enumerate() {
            report(name, std::mem::take(&mut samples[i]), totals[i]);
        }
    });
}
