//! A local HTTP server the IONOS tests script, for what prism cannot show:
//! a request that goes QUEUED → RUNNING → DONE (prism always answers
//! `QUEUED`), failures, slow or broken answers, rate limits.
//!
//! Each route (method + path, query ignored) answers from its own queue of
//! [`Reply`]s, in order; the last reply repeats once the queue is down to
//! it. A request to a route that has none gets a 599 that fails the test
//! visibly. Every request is recorded ([`Recorded`]) with its arrival time.
//!
//! The server speaks just enough HTTP/1.1: it reads the head and a
//! `Content-Length` body, answers and closes the connection.

use std::collections::{BTreeMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One scripted answer.
#[derive(Clone, Debug)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// Headers, in order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: String,
    /// Wait this long before answering (a slow server).
    pub delay: Duration,
    /// Close the connection without answering (a broken server).
    pub hang_up: bool,
}

impl Reply {
    /// An answer with a status and a body (JSON content type when the body
    /// starts like JSON).
    pub fn new(status: u16, body: impl Into<String>) -> Self {
        let body = body.into();
        let mut headers = Vec::new();
        if body.starts_with('{') || body.starts_with('[') {
            headers.push(("Content-Type".to_owned(), "application/json".to_owned()));
        } else if body.starts_with('<') {
            headers.push(("Content-Type".to_owned(), "text/html".to_owned()));
        }
        Reply {
            status,
            headers,
            body,
            delay: Duration::ZERO,
            hang_up: false,
        }
    }

    /// A JSON answer.
    pub fn json(status: u16, value: serde_json::Value) -> Self {
        Reply::new(status, value.to_string())
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_owned(), value.into()));
        self
    }

    /// Answers after `delay`.
    pub fn delayed(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// A connection closed without an answer.
    pub fn hang_up() -> Self {
        Reply {
            hang_up: true,
            ..Reply::new(0, "")
        }
    }

    /// A `RequestStatus` answer in state `status` (QUEUED, RUNNING, DONE,
    /// FAILED) with an optional message.
    pub fn request_status(id: &str, status: &str, message: Option<&str>) -> Self {
        let mut metadata = serde_json::json!({
            "status": status,
            "etag": "45480eb3fbfc31f1d916c1eaa4abdcc3",
            "targets": [{"target": {"id": "dc-1", "type": "datacenter", "href": "https://x/datacenters/dc-1"}, "status": status}],
        });
        if let Some(message) = message {
            metadata["message"] = message.into();
        }
        Reply::json(
            200,
            serde_json::json!({"id": id, "type": "request-status", "href": format!("https://x/requests/{id}/status"), "metadata": metadata}),
        )
    }

    /// An IONOS `Error` answer.
    pub fn ionos_error(status: u16, code: &str, message: &str) -> Self {
        Reply::json(
            status,
            serde_json::json!({"httpStatus": status, "messages": [{"errorCode": code, "message": message}]}),
        )
    }
}

/// A request the server received.
#[derive(Clone, Debug)]
pub struct Recorded {
    /// HTTP method.
    pub method: String,
    /// Path without the query.
    pub path: String,
    /// Query parameters in order, percent-decoded.
    pub query: Vec<(String, String)>,
    /// Headers in order (names lower-cased).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
    /// When it arrived.
    pub at: Instant,
}

impl Recorded {
    /// All values of header `name`.
    pub fn header_values(&self, name: &str) -> Vec<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The value of query parameter `name`.
    pub fn query_value(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct State {
    routes: BTreeMap<(String, String), VecDeque<Reply>>,
    log: Vec<Recorded>,
}

/// The scripted server; stops when dropped.
pub struct ScriptedServer {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    task: tokio::task::JoinHandle<()>,
}

impl std::fmt::Debug for ScriptedServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScriptedServer")
            .field("addr", &self.addr)
            .finish()
    }
}

impl ScriptedServer {
    /// Starts a server on a free port of 127.0.0.1 (inside a tokio runtime).
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let state = Arc::new(Mutex::new(State::default()));
        let shared = state.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, shared.clone()));
            }
        });
        ScriptedServer { addr, state, task }
    }

    /// The server's root URL (`http://127.0.0.1:PORT`).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Scripts `replies` for `method path` (appended to any already there).
    pub fn on(&self, method: &str, path: &str, replies: impl IntoIterator<Item = Reply>) {
        let mut state = self.state.lock().unwrap();
        state
            .routes
            .entry((method.to_owned(), path.to_owned()))
            .or_default()
            .extend(replies);
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.state.lock().unwrap().log.clone()
    }

    /// The requests received for `method path`.
    pub fn requests_to(&self, method: &str, path: &str) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|r| r.method == method && r.path == path)
            .collect()
    }
}

impl Drop for ScriptedServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(mut stream: TcpStream, state: Arc<Mutex<State>>) {
    let Some(recorded) = read_request(&mut stream).await else {
        return;
    };
    let reply = {
        let mut state = state.lock().unwrap();
        let key = (recorded.method.clone(), recorded.path.clone());
        state.log.push(recorded);
        match state.routes.get_mut(&key) {
            Some(queue) if queue.len() > 1 => queue.pop_front(),
            Some(queue) => queue.front().cloned(),
            None => None,
        }
    };
    let reply = reply.unwrap_or_else(|| Reply::new(599, "no reply scripted for this route"));
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    if reply.hang_up {
        return;
    }
    let mut head = format!(
        "HTTP/1.1 {} Scripted\r\nContent-Length: {}\r\nConnection: close\r\n",
        reply.status,
        reply.body.len()
    );
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes()).await;
    let _ = stream.write_all(reply.body.as_bytes()).await;
    let _ = stream.shutdown().await;
}

async fn read_request(stream: &mut TcpStream) -> Option<Recorded> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let at = Instant::now();
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_owned();
    let target = first.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buffer[head_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_owned(), q.to_owned()),
        None => (target, String::new()),
    };
    let query = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (n, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(n), percent_decode(v))
        })
        .collect();
    Some(Recorded {
        method,
        path,
        query,
        headers,
        body,
        at,
    })
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match u8::from_str_radix(&text[i + 1..i + 3], 16) {
                Ok(b) => {
                    out.push(b);
                    i += 3;
                    continue;
                }
                Err(_) => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The IONOS Cloud API v6 spec `inventories/ionos/inventory.json` was
/// extracted from (through the upstream resolver), for Prism.
pub fn spec() -> std::path::PathBuf {
    crate::prism::upstream_spec("inventories/ionos/inventory.json")
}
