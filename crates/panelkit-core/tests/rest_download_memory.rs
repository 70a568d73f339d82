//! A 1 GiB download consumed as a stream keeps the process's memory flat.
//! Alone in its test binary so no other test's allocations blur the
//! measurement; the server generates the bytes on the fly in this process
//! (its memory is flat too: one 64 KiB buffer).

mod support;

use std::future::poll_fn;
use std::pin::Pin;
use std::time::Instant;

use futures_core::Stream;
use panelkit_core::rest::{Method, Request, RestClient};
use panelkit_core::sftpgo::ClientBuilder;
use support::{pattern_byte, serve, Reply};

const GIB: u64 = 1 << 30;

/// Resident set size of this process, in bytes (Linux).
fn rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status (Linux)");
    let line = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .expect("VmRSS line");
    let kib: u64 = line
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .expect("VmRSS value");
    kib * 1024
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_gib_download_does_not_grow_memory() {
    let server = serve(|_| {
        Reply::new(200)
            .header("Content-Type", "application/octet-stream")
            .generated(0, GIB)
    })
    .await;
    let client: RestClient = ClientBuilder::new()
        .url(&server.url)
        .api_key("k")
        .build()
        .unwrap();
    let request = || {
        Request::new("download_user_file", Method::GET, "/user/files")
            .auth(&["APIKeyAuth"])
            .query("path", "big.bin")
    };
    // Warm up: connection pool, TLS-less client, allocator arenas.
    let warm = client.send_streaming(request()).await.unwrap();
    let mut warm = warm.bytes_stream();
    for _ in 0..64 {
        poll_fn(|cx| Pin::new(&mut warm).poll_next(cx)).await;
    }
    drop(warm);

    let before = rss();
    let started = Instant::now();
    let download = client.send_streaming(request()).await.unwrap();
    assert_eq!(download.content_length(), Some(GIB));
    let mut stream = download.bytes_stream();
    let (mut received, mut largest_chunk, mut peak) = (0u64, 0usize, before);
    let mut next_sample = 0u64;
    while let Some(chunk) = poll_fn(|cx| Pin::new(&mut stream).poll_next(cx)).await {
        let chunk = chunk.unwrap();
        // Spot-check the content: first and last byte of every chunk.
        assert_eq!(chunk[0], pattern_byte(received));
        assert_eq!(
            chunk[chunk.len() - 1],
            pattern_byte(received + chunk.len() as u64 - 1)
        );
        largest_chunk = largest_chunk.max(chunk.len());
        received += chunk.len() as u64;
        if received >= next_sample {
            peak = peak.max(rss());
            next_sample += 16 << 20;
        }
    }
    let elapsed = started.elapsed();
    peak = peak.max(rss());
    assert_eq!(received, GIB);
    let growth = peak.saturating_sub(before);
    eprintln!(
        "1 GiB streamed: RSS before {:.1} MiB, peak {:.1} MiB (growth {:.1} MiB), largest chunk {} KiB, {:.0} MiB/s (debug build, server in-process)",
        before as f64 / 1048576.0,
        peak as f64 / 1048576.0,
        growth as f64 / 1048576.0,
        largest_chunk / 1024,
        GIB as f64 / 1048576.0 / elapsed.as_secs_f64()
    );
    assert!(
        growth < 64 << 20,
        "memory grew by {} MiB while streaming 1 GiB",
        growth >> 20
    );
}
