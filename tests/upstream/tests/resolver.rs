//! The resolver against a local HTTP server playing the repository host
//! (`/<owner>/<name>/<commit>/<path>`, like raw.githubusercontent.com).

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use upstream::{Error, Resolver, UpstreamFile};

const SPEC: &[u8] = b"openapi: 3.0.3\ninfo: {title: t, version: v1}\npaths: {}\n";

fn sha256_hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let digest = <sha2::Sha256 as sha2::Digest>::digest(bytes);
    digest.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

fn spec_sha256() -> String {
    sha256_hex(SPEC)
}

fn recorded(sha256: &str) -> UpstreamFile {
    UpstreamFile {
        repository: "owner/project".into(),
        commit: "0123456789abcdef0123456789abcdef01234567".into(),
        path: "openapi/openapi.yaml".into(),
        sha256: sha256.into(),
    }
}

/// A repository host serving `body` at the recorded file's path (404
/// elsewhere), counting the requests for it.
struct Host {
    base: String,
    hits: Arc<AtomicUsize>,
}

fn host(body: &'static [u8]) -> Host {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let wanted = format!(
        "/owner/project/{}/openapi/openapi.yaml",
        recorded("").commit
    );
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request_line = String::new();
            let _ = reader.read_line(&mut request_line);
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let path = request_line.split(' ').nth(1).unwrap_or("");
            let mut stream = stream;
            if path == wanted {
                counter.fetch_add(1, Ordering::SeqCst);
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(body);
            } else {
                let _ = stream.write_all(
                    b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                );
            }
        }
    });
    Host { base, hits }
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    match std::fs::read_dir(dir) {
        Ok(entries) => entries.flatten().map(|e| e.path()).collect(),
        Err(_) => Vec::new(),
    }
}

#[test]
fn found_by_hash_below_the_upstream_dir_without_a_download() {
    let dir = tempfile::tempdir().unwrap();
    // Any layout: a decoy with the right name, the real file elsewhere.
    std::fs::create_dir_all(dir.path().join("a/openapi")).unwrap();
    std::fs::write(dir.path().join("a/openapi/openapi.yaml"), b"other").unwrap();
    std::fs::create_dir_all(dir.path().join("b/c")).unwrap();
    std::fs::write(dir.path().join("b/c/spec-copy.yml"), SPEC).unwrap();
    let cache = tempfile::tempdir().unwrap();
    let host = host(SPEC);
    let resolver = Resolver::new(
        Some(dir.path().to_owned()),
        Some(cache.path().to_owned()),
        &host.base,
    );
    let found = resolver.resolve(&recorded(&spec_sha256())).unwrap();
    assert_eq!(found, dir.path().join("b/c/spec-copy.yml"));
    assert_eq!(host.hits.load(Ordering::SeqCst), 0);
    assert!(files_in(cache.path()).is_empty());
}

#[test]
fn downloaded_once_into_an_empty_cache_and_reused() {
    let cache = tempfile::tempdir().unwrap();
    let cache_dir = cache.path().join("panelkit/upstream");
    let host = host(SPEC);
    let resolver = Resolver::new(None, Some(cache_dir.clone()), &host.base);
    let file = recorded(&spec_sha256());
    let first = resolver.resolve(&file).unwrap();
    assert_eq!(first, cache_dir.join(spec_sha256()));
    assert_eq!(std::fs::read(&first).unwrap(), SPEC);
    let again = resolver.resolve(&file).unwrap();
    assert_eq!(again, first);
    assert_eq!(
        host.hits.load(Ordering::SeqCst),
        1,
        "the second resolve downloads nothing"
    );
    assert_eq!(files_in(&cache_dir), vec![first]);
}

#[test]
fn an_upstream_dir_without_the_file_falls_back_to_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("openapi.yaml"), b"another version").unwrap();
    let cache = tempfile::tempdir().unwrap();
    let host = host(SPEC);
    let resolver = Resolver::new(
        Some(dir.path().to_owned()),
        Some(cache.path().to_owned()),
        &host.base,
    );
    let found = resolver.resolve(&recorded(&spec_sha256())).unwrap();
    assert_eq!(found, cache.path().join(spec_sha256()));
    assert_eq!(host.hits.load(Ordering::SeqCst), 1);
}

#[test]
fn a_hash_mismatch_names_both_hashes_and_caches_nothing() {
    let cache = tempfile::tempdir().unwrap();
    let host = host(b"tampered: true\n");
    let resolver = Resolver::new(None, Some(cache.path().to_owned()), &host.base);
    let expected = spec_sha256();
    let error = resolver.resolve(&recorded(&expected)).unwrap_err();
    let Error::Mismatch {
        expected: e,
        actual,
        ..
    } = &error
    else {
        panic!("expected a mismatch, got {error}");
    };
    assert_eq!(e, &expected);
    assert_eq!(actual, &sha256_hex(b"tampered: true\n"));
    let message = error.to_string();
    assert!(message.contains(&expected), "{message}");
    assert!(message.contains(actual.as_str()), "{message}");
    assert!(
        files_in(cache.path()).is_empty(),
        "{:?}",
        files_in(cache.path())
    );
}

#[test]
fn a_damaged_cache_entry_is_replaced() {
    let cache = tempfile::tempdir().unwrap();
    let entry = cache.path().join(spec_sha256());
    std::fs::write(&entry, b"half a file").unwrap();
    let host = host(SPEC);
    let resolver = Resolver::new(None, Some(cache.path().to_owned()), &host.base);
    assert_eq!(resolver.resolve(&recorded(&spec_sha256())).unwrap(), entry);
    assert_eq!(std::fs::read(&entry).unwrap(), SPEC);
    assert_eq!(host.hits.load(Ordering::SeqCst), 1);
}

#[test]
fn offline_without_the_variable_fails_within_seconds_with_everything_needed() {
    // A port nobody listens on: the host is unreachable.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let cache = tempfile::tempdir().unwrap();
    let resolver = Resolver::new(None, Some(cache.path().to_owned()), &base);
    let file = recorded(&spec_sha256());
    let started = Instant::now();
    let error = resolver.resolve(&file).unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(15));
    let message = error.to_string();
    for needed in [
        "PANELKIT_UPSTREAM_DIR is not set",
        "owner/project@0123456789abcdef0123456789abcdef01234567:openapi/openapi.yaml",
        &spec_sha256(),
        &file.url(&base),
    ] {
        assert!(
            message.contains(needed),
            "{needed:?} missing from: {message}"
        );
    }
    assert!(files_in(cache.path()).is_empty());
}

#[test]
fn the_error_names_the_upstream_dir_when_it_was_searched() {
    let dir = tempfile::tempdir().unwrap();
    let host = host(b"");
    let resolver = Resolver::new(Some(dir.path().to_owned()), None, &host.base);
    let message = resolver
        .resolve(&recorded(&spec_sha256()))
        .unwrap_err()
        .to_string();
    assert!(
        message.contains(&format!("PANELKIT_UPSTREAM_DIR={}", dir.path().display())),
        "{message}"
    );
}

#[test]
fn provenance_is_read_from_an_inventory() {
    let dir = tempfile::tempdir().unwrap();
    let inventory = dir.path().join("inventory.json");
    std::fs::write(
        &inventory,
        format!(
            r#"{{"source": {{"repository": "owner/project", "commit": "0123456789abcdef0123456789abcdef01234567",
                "root": "openapi/openapi.yaml", "sha256": "{}"}}, "extractor": {{"name": "openapi"}}}}"#,
            spec_sha256().to_uppercase()
        ),
    )
    .unwrap();
    assert_eq!(
        UpstreamFile::from_inventory(&inventory).unwrap(),
        recorded(&spec_sha256())
    );
    std::fs::write(&inventory, r#"{"source": {"repository": "o/p"}}"#).unwrap();
    let error = UpstreamFile::from_inventory(&inventory).unwrap_err();
    assert!(error.to_string().contains("no source.commit"), "{error}");
}

#[test]
fn the_committed_inventories_record_every_spec_the_tests_use() {
    let root = codegen::regen::workspace_root();
    let recorded = upstream::recorded(&root).unwrap();
    let names: Vec<&str> = recorded.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        [
            "inventories/ionos/inventory.json",
            "inventories/ionos/versions/v5.json",
            "inventories/sftpgo/inventory.json",
            "inventories/sftpgo/versions/v2.7.5.json",
        ]
    );
}
