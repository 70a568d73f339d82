//! Download throughput and memory: 1 GiB served by a local HTTP server
//! (generated on the fly, in this process), fetched by `curl -o /dev/null`
//! and by panelkit's `RestClient::send_streaming` consuming the body as a
//! stream. Prints MiB/s for each, the ratio, and this process's peak RSS
//! (server included). Run: `cargo bench -p panelkit-core --bench rest_download`.
//!
//! curl is required (`apt-get install -y curl`).

#[path = "../tests/support/mod.rs"]
mod support;

use std::future::poll_fn;
use std::pin::Pin;
use std::process::Command;
use std::time::{Duration, Instant};

use futures_core::Stream;
use panelkit_core::rest::{Method, Request, RestClient};
use panelkit_core::sftpgo::ClientBuilder;
use support::{serve, Reply};

const GIB: u64 = 1 << 30;
const RUNS: usize = 5;

fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn mib_per_s(d: Duration) -> f64 {
    GIB as f64 / 1048576.0 / d.as_secs_f64()
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let server = runtime.block_on(serve(|_| {
        Reply::new(200)
            .header("Content-Type", "application/octet-stream")
            .generated(0, GIB)
    }));
    let url = format!("{}/api/v2/user/files?path=big.bin", server.url);
    let client: RestClient = ClientBuilder::new()
        .url(&server.url)
        .api_key("k")
        .build()
        .unwrap();
    let rss_start = status_kib("VmRSS:");

    let mut curl_times = Vec::new();
    let mut ours_times = Vec::new();
    for _ in 0..RUNS {
        let started = Instant::now();
        let out = Command::new("curl")
            .args([
                "-s",
                "-f",
                "-o",
                "/dev/null",
                "-H",
                "X-SFTPGO-API-KEY: k",
                "-w",
                "%{size_download}",
            ])
            .arg(&url)
            .output()
            .expect("curl (apt-get install -y curl)");
        curl_times.push(started.elapsed());
        assert!(out.status.success(), "curl failed");
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), GIB.to_string());

        let started = Instant::now();
        let received = runtime.block_on(async {
            let download = client
                .send_streaming(
                    Request::new("download_user_file", Method::GET, "/user/files")
                        .auth(&["APIKeyAuth"])
                        .query("path", "big.bin"),
                )
                .await
                .unwrap();
            let mut stream = download.bytes_stream();
            let mut received = 0u64;
            while let Some(chunk) = poll_fn(|cx| Pin::new(&mut stream).poll_next(cx)).await {
                received += chunk.unwrap().len() as u64;
            }
            received
        });
        ours_times.push(started.elapsed());
        assert_eq!(received, GIB);
    }
    let (curl, ours) = (median(curl_times), median(ours_times));
    println!("1 GiB download from a local server, median of {RUNS}:");
    println!("  curl -o /dev/null      {:8.0} MiB/s", mib_per_s(curl));
    println!("  panelkit send_streaming {:7.0} MiB/s", mib_per_s(ours));
    println!(
        "  panelkit / curl         {:7.1} %",
        100.0 * curl.as_secs_f64() / ours.as_secs_f64()
    );
    println!(
        "  this process (client + server): RSS at start {:.1} MiB, peak (VmHWM) {:.1} MiB",
        rss_start as f64 / 1024.0,
        status_kib("VmHWM:") as f64 / 1024.0
    );
    drop(server);
}
