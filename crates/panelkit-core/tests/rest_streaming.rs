//! Streamed bodies against a local server: raw uploads from a file and from
//! any AsyncRead (with X-SFTPGO-MTIME and mkdir_parents, as SFTPGo's
//! `POST /user/files/upload` takes them), multipart forms, downloads with
//! Range → 206, and streams never sent twice.

mod support;

use std::future::poll_fn;
use std::pin::Pin;

use futures_core::Stream;
use panelkit_core::rest::{Download, Method, Multipart, Request, RestClient, StreamBody};
use panelkit_core::sftpgo::ClientBuilder;
use panelkit_core::Error;
use serde_json::json;
use support::{pattern_byte, serve, Recorded, Reply, Server};

const TOTAL: u64 = 10_000_000;

fn client(server: &Server) -> RestClient {
    ClientBuilder::new()
        .url(&server.url)
        .api_key("k3y")
        .build()
        .unwrap()
}

/// Answers like SFTPGo's file API: uploads 201, downloads with Range.
fn files(request: &Recorded) -> Reply {
    match (request.method.as_str(), request.path()) {
        ("POST", "/api/v2/user/files/upload") | ("POST", "/api/v2/user/files") => {
            Reply::json(201, json!({"message": "Upload completed"}))
        }
        ("GET", "/api/v2/user/files") => match request.header("range") {
            Some(range) => {
                let (start, end) = range
                    .strip_prefix("bytes=")
                    .and_then(|r| r.split_once('-'))
                    .map(|(a, b)| (a.parse::<u64>().unwrap(), b.parse::<u64>().unwrap()))
                    .unwrap();
                Reply::new(206)
                    .header("Content-Type", "application/octet-stream")
                    .header("Content-Range", format!("bytes {start}-{end}/{TOTAL}"))
                    .header("Accept-Ranges", "bytes")
                    .generated(start, end - start + 1)
            }
            None => Reply::new(200)
                .header("Content-Type", "application/octet-stream")
                .generated(0, TOTAL),
        },
        _ => Reply::json(404, json!({"error": "not found", "message": ""})),
    }
}

fn upload(body: StreamBody) -> Request {
    Request::new("create_user_file", Method::POST, "/user/files/upload")
        .auth(&["BearerAuth", "APIKeyAuth"])
        .query("path", "dir/sub/file.bin")
        .query("mkdir_parents", true)
        .header("X-SFTPGO-MTIME", 1_700_000_000_000u64)
        .stream_body("application/octet-stream", body)
}

fn payload(len: usize) -> Vec<u8> {
    (0..len as u64).map(|i| (i * 7 % 256) as u8).collect()
}

#[tokio::test]
async fn upload_from_a_file() {
    let server = serve(files).await;
    let data = payload(3 * 1024 * 1024 + 17);
    let path = std::env::temp_dir().join(format!("panelkit-upload-{}.bin", std::process::id()));
    std::fs::write(&path, &data).unwrap();
    let body = StreamBody::file(&path).await.unwrap();
    assert_eq!(body.length(), Some(data.len() as u64));
    let answer = client(&server).send(upload(body)).await.unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(answer.status, 201);
    let r = &server.requests()[0];
    assert_eq!(
        r.target,
        "/api/v2/user/files/upload?path=dir%2Fsub%2Ffile.bin&mkdir_parents=true"
    );
    assert_eq!(r.header("x-sftpgo-mtime"), Some("1700000000000"));
    assert_eq!(r.header("content-type"), Some("application/octet-stream"));
    assert_eq!(
        r.header("content-length"),
        Some(data.len().to_string().as_str())
    );
    assert_eq!(r.header("x-sftpgo-api-key"), Some("k3y"));
    assert!(r.body == data, "the file arrived intact");

    // A tokio File handed over directly streams too (chunked: no length).
    std::fs::write(&path, &data[..1000]).unwrap();
    let file = tokio::fs::File::open(&path).await.unwrap();
    client(&server)
        .send(upload(StreamBody::from(file)))
        .await
        .unwrap();
    std::fs::remove_file(&path).unwrap();
    let r = &server.requests()[1];
    assert_eq!(r.header("transfer-encoding"), Some("chunked"));
    assert_eq!(r.body, data[..1000]);
}

#[tokio::test]
async fn upload_from_any_async_reader() {
    let server = serve(files).await;
    // A pipe written by another task while the upload is going out.
    let (mut writer, reader) = tokio::io::duplex(4096);
    let data = payload(1024 * 1024);
    let sent = data.clone();
    let feeder = tokio::spawn(async move {
        use tokio::io::AsyncWriteExt;
        for chunk in sent.chunks(10_000) {
            writer.write_all(chunk).await.unwrap();
        }
    });
    let answer = client(&server)
        .send(upload(StreamBody::from_reader(reader)))
        .await
        .unwrap();
    feeder.await.unwrap();
    assert_eq!(answer.status, 201);
    let r = &server.requests()[0];
    assert_eq!(r.header("transfer-encoding"), Some("chunked"));
    assert_eq!(r.header("x-sftpgo-mtime"), Some("1700000000000"));
    assert!(r.body == data);
}

#[tokio::test]
async fn streamed_uploads_are_never_sent_twice() {
    // 503 on a PUT (idempotent) would be retried, and a 401 would be
    // replayed after a renewal: not with a stream that is already spent.
    let server = serve(|r| match r.method.as_str() {
        "PUT" => Reply::new(503),
        _ => Reply::json(401, json!({"error": "expired", "message": ""})),
    })
    .await;
    let client: RestClient = ClientBuilder::new()
        .url(&server.url)
        .bearer_token("jwt")
        .build()
        .unwrap();
    let put = Request::new("put", Method::PUT, "/user/files/upload")
        .auth(&["BearerAuth"])
        .stream_body("text/plain", StreamBody::from_reader(&b"hello"[..]));
    let error = client.send(put).await.unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert_eq!(server.requests().len(), 1);

    let post = upload(StreamBody::from_reader(&b"hello"[..]));
    let spare = post.clone();
    let error = client.send(post).await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Auth {
                status: Some(401),
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(server.requests().len(), 2);
    // A clone shares the spent stream: a typed error, nothing sent.
    let error = client.send(spare).await.unwrap_err();
    assert!(
        matches!(&error, Error::Config { message } if message.contains("already sent")),
        "{error:?}"
    );
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn multipart_upload() {
    let server = serve(files).await;
    let reader_part = StreamBody::from_reader(&b"second file, streamed"[..]);
    let form = Multipart::new()
        .file(
            "filenames",
            "a.txt",
            StreamBody::from(b"first file".to_vec()),
        )
        .file_with_type("filenames", "b.csv", "text/csv", reader_part)
        .text("note", "hello");
    let request = Request::new("create_user_files", Method::POST, "/user/files")
        .auth(&["BearerAuth", "APIKeyAuth"])
        .query("path", "/uploads")
        .multipart(form);
    let answer = client(&server).send(request).await.unwrap();
    assert_eq!(answer.status, 201);
    let r = &server.requests()[0];
    let content_type = r.header("content-type").unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("{content_type}"));
    let body = String::from_utf8(r.body.clone()).unwrap();
    let parts: Vec<&str> = body
        .split(&format!("--{boundary}"))
        .filter(|p| !p.trim().is_empty() && p.trim() != "--")
        .collect();
    assert_eq!(parts.len(), 3, "{body}");
    assert!(parts[0].contains(r#"name="filenames"; filename="a.txt""#));
    assert!(parts[0].contains("application/octet-stream"));
    assert!(
        parts[0].ends_with("\r\n\r\nfirst file\r\n"),
        "{:?}",
        parts[0]
    );
    assert!(parts[1].contains(r#"filename="b.csv""#) && parts[1].contains("text/csv"));
    assert!(parts[1].ends_with("\r\n\r\nsecond file, streamed\r\n"));
    assert!(parts[2].contains(r#"name="note""#) && parts[2].ends_with("\r\n\r\nhello\r\n"));
}

async fn next(
    stream: &mut (impl Stream<Item = panelkit_core::Result<bytes::Bytes>> + Unpin),
) -> Option<panelkit_core::Result<bytes::Bytes>> {
    poll_fn(|cx| Pin::new(&mut *stream).poll_next(cx)).await
}

fn download(range: Option<&str>) -> Request {
    Request::new("download_user_file", Method::GET, "/user/files")
        .auth(&["BearerAuth", "APIKeyAuth"])
        .query("path", "big.bin")
        .header_opt("Range", range)
}

#[tokio::test]
async fn download_with_range_is_206() {
    let server = serve(files).await;
    let client = client(&server);
    let part: Download = client
        .send_streaming(download(Some("bytes=1000-1999999")))
        .await
        .unwrap();
    assert_eq!(part.status, 206);
    assert_eq!(
        part.header("content-range"),
        Some("bytes 1000-1999999/10000000")
    );
    assert_eq!(part.content_length(), Some(1_999_000));
    let mut sink = Vec::new();
    let written = part.write_to(&mut sink).await.unwrap();
    assert_eq!(written, 1_999_000);
    assert!(sink
        .iter()
        .enumerate()
        .all(|(i, b)| *b == pattern_byte(1000 + i as u64)));

    // The whole file as a Stream of chunks, checked as they come.
    let whole = client.send_streaming(download(None)).await.unwrap();
    assert_eq!(whole.status, 200);
    let mut stream = whole.bytes_stream();
    let (mut position, mut chunks) = (0u64, 0);
    while let Some(chunk) = next(&mut stream).await {
        let chunk = chunk.unwrap();
        assert!(chunk
            .iter()
            .enumerate()
            .all(|(i, b)| *b == pattern_byte(position + i as u64)));
        position += chunk.len() as u64;
        chunks += 1;
    }
    assert_eq!(position, TOTAL);
    assert!(chunks > 1, "streamed, not one buffer");
}

#[tokio::test]
async fn failed_downloads_are_typed_errors() {
    let server = serve(files).await;
    let missing =
        Request::new("download_share_file", Method::GET, "/shares/x/files").auth(&["BasicAuth"]);
    let client: RestClient = ClientBuilder::new()
        .url(&server.url)
        .share_credentials("owner", "share-pw")
        .build()
        .unwrap();
    let error = client.send_streaming(missing).await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::NotFound {
                status: Some(404),
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(
        server.requests()[0].header("authorization"),
        Some("Basic b3duZXI6c2hhcmUtcHc=")
    );

    // A body cut off mid-download ends the stream with a transport error.
    let cut = serve(|_| Reply::new(200).truncated(1_000_000, vec![0u8; 1000])).await;
    let client: RestClient = ClientBuilder::new()
        .url(&cut.url)
        .api_key("k")
        .build()
        .unwrap();
    let answer = client.send_streaming(download(None)).await.unwrap();
    let error = answer.write_to(Vec::new()).await.unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
}

/// A reader that yields `count` chunks of `size` bytes with `gap` between
/// them, then (if `stall`) stops without ending.
fn slow_reader(
    count: usize,
    size: usize,
    gap: std::time::Duration,
    stall: bool,
) -> tokio::io::DuplexStream {
    let (mut writer, reader) = tokio::io::duplex(size);
    tokio::spawn(async move {
        use tokio::io::AsyncWriteExt;
        for i in 0..count {
            if i > 0 {
                tokio::time::sleep(gap).await;
            }
            if writer.write_all(&vec![b'x'; size]).await.is_err() {
                return;
            }
        }
        if stall {
            tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
        }
    });
    reader
}

fn short_timeout_client(server: &Server) -> RestClient {
    ClientBuilder::new()
        .url(&server.url)
        .api_key("k3y")
        .timeout(std::time::Duration::from_millis(400))
        .build()
        .unwrap()
}

#[tokio::test]
async fn uploads_and_downloads_are_bound_by_progress_not_total_time() {
    use std::time::Duration;
    let server = serve(|r| match r.path() {
        "/api/v2/user/files" => Reply::new(200).trickle(8, 1000, Duration::from_millis(200)),
        "/api/v2/stalled" => Reply::new(200).stalled(1_000_000, vec![1u8; 1000]),
        _ => files(r),
    })
    .await;
    let client = short_timeout_client(&server);

    // An upload taking 1.4 s (seven 200 ms gaps) with a 400 ms timeout: it
    // keeps moving, so it is not cut.
    let answer = client
        .send(upload(StreamBody::from_reader(slow_reader(
            8,
            1000,
            Duration::from_millis(200),
            false,
        ))))
        .await
        .unwrap();
    assert_eq!(answer.status, 201);
    assert_eq!(server.requests()[0].body.len(), 8000);

    // The same for a download as slow: every chunk arrives within the timeout.
    let download = client.send_streaming(download(None)).await.unwrap();
    let mut sink = Vec::new();
    assert_eq!(download.write_to(&mut sink).await.unwrap(), 8000);

    // An upload that stops moving ends with a timeout instead of hanging.
    let error = client
        .send(upload(StreamBody::from_reader(slow_reader(
            1,
            1000,
            Duration::ZERO,
            true,
        ))))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");

    // A download that stops moving too, through both ways of reading it.
    let stalled = || Request::new("stalled", Method::GET, "/stalled").auth(&["APIKeyAuth"]);
    let error = client
        .send_streaming(stalled())
        .await
        .unwrap()
        .write_to(Vec::new())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    let mut stream = client
        .send_streaming(stalled())
        .await
        .unwrap()
        .bytes_stream();
    let first = next(&mut stream).await.unwrap().unwrap();
    assert_eq!(first.len(), 1000);
    let error = next(&mut stream).await.unwrap().unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert!(
        next(&mut stream).await.is_none(),
        "the stream ends after its error"
    );
}
