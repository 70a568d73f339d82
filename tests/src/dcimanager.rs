//! A local DCImanager 6 peer: an HTTP server that behaves as the vendor's
//! documentation describes (see `inventories/dcimanager/endpoints.json` for
//! the sources), for wire tests of the DCImanager client.
//!
//! - `POST /api/auth/v4/public/token {email, password}` → `{confirmed, id,
//!   token}`; a wrong password → `{"error": {"code": 3001, "msg":
//!   "Unauthorized"}}`.
//! - Every other call needs the token both as `x-xsrf-token` and as the
//!   `ses6` cookie; otherwise 3001 (with [`PeerOptions::unauthorized_status`]).
//! - `POST /api/auth/v4/user/{user}/key` → `{id, key}`; `POST
//!   /api/auth/v4/public/key {key}` → a token (the key is spent);
//!   `POST /api/auth/v4/token {expires_at, description}` → `{id, token}`.
//! - `GET /api/dci/v3/server` (`where=`, `orderby=`, `limit=offset,count`) →
//!   `{list, size}`; `GET /api/dci/v3/server/{id}`; `GET
//!   /api/dci/v3/server/configuration`; `GET`/`POST /api/dci/v3/user`.
//! - `POST /api/dci/v3/server/{id}/power_on|power_off|power_reset` with `{}`
//!   (vendor page "Server power supply management logic": `power_on` only
//!   when the power is off or unknown, `power_off` only when it is on,
//!   `power_reset` always, leaving the server on) starts an operation shown
//!   on the server as `operation: {id, status, status_info, progress_info}`.
//!   Each `GET /api/dci/v3/server/{id}` then moves it one step through the
//!   scripted statuses ([`DciPeer::script_operations`]; default `queued`,
//!   `running`), and after the last one the operation ends as scripted:
//!   `complete` with the new `power_status`, `failed` with a `status_info`
//!   message, or never. The documentation does not show the command's answer
//!   nor the status spellings: the peer answers `{"id": OPERATION}` and uses
//!   the spellings above.
//! - Test controls: forget every token (the panel's 60 idle minutes), answer
//!   the next N requests with 503 (a suspended service) or with an HTML page.
//!
//! The `where=` reader understands what the client's builder writes:
//! conditions `field EQ|NE|CP value` and `field IS null`, each optionally
//! negated with `NOT` and wrapped in parentheses, joined by `AND`.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// How the peer behaves.
#[derive(Clone, Debug)]
pub struct PeerOptions {
    /// Accounts: email → password.
    pub accounts: BTreeMap<String, String>,
    /// Number of servers in the inventory (ids 1..=n).
    pub servers: usize,
    /// The HTTP status sent with error 3001.
    pub unauthorized_status: u16,
    /// How long a login takes (to make concurrent callers overlap).
    pub login_delay: Duration,
}

impl Default for PeerOptions {
    fn default() -> Self {
        PeerOptions {
            accounts: BTreeMap::from([("admin@example.com".into(), "s3cret-pässword".into())]),
            servers: 0,
            unauthorized_status: 401,
            login_delay: Duration::ZERO,
        }
    }
}

/// One request as the peer saw it.
#[derive(Clone, Debug)]
pub struct Seen {
    /// HTTP method.
    pub method: String,
    /// Path without the query.
    pub path: String,
    /// Decoded query parameters in order.
    pub query: Vec<(String, String)>,
    /// Headers, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Seen {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// A cookie's value.
    pub fn cookie(&self, name: &str) -> Option<String> {
        let cookies = self.header("cookie")?;
        cookies.split(';').find_map(|pair| {
            let (n, v) = pair.trim().split_once('=')?;
            (n == name).then(|| v.to_owned())
        })
    }

    /// A query parameter's value.
    pub fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// How scripted operations end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Status `complete`, power set as the command leads to.
    Complete,
    /// Status `failed` with this message in `status_info.msg`.
    Failed(String),
    /// Stays at the last scripted status forever.
    Never,
}

#[derive(Clone, Debug)]
struct Script {
    statuses: Vec<String>,
    outcome: Outcome,
}

impl Default for Script {
    fn default() -> Self {
        Script {
            statuses: vec!["queued".into(), "running".into()],
            outcome: Outcome::Complete,
        }
    }
}

/// An operation under way on a server.
#[derive(Clone, Debug)]
struct Running {
    remaining: Vec<String>,
    outcome: Outcome,
    power_after: &'static str,
}

#[derive(Default)]
struct State {
    servers: BTreeMap<usize, Value>,
    running: BTreeMap<usize, Running>,
    script: Script,
    empty_power_answers: bool,
    tokens: BTreeMap<String, String>,
    keys: BTreeMap<String, String>,
    users: Vec<Value>,
    next_id: u64,
    logins: usize,
    failed_logins: usize,
    unavailable: usize,
    html: usize,
    seen: Vec<Seen>,
}

/// A running peer; stops when dropped.
pub struct DciPeer {
    addr: SocketAddr,
    options: PeerOptions,
    state: Arc<Mutex<State>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for DciPeer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl DciPeer {
    /// Starts a peer on a free port of 127.0.0.1.
    pub async fn start(options: PeerOptions) -> DciPeer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local address");
        let state = Arc::new(Mutex::new(State {
            next_id: 1,
            ..State::default()
        }));
        let (task_state, task_options) = (state.clone(), options.clone());
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (state, options) = (task_state.clone(), task_options.clone());
                tokio::spawn(async move {
                    let _ = serve(stream, state, options).await;
                });
            }
        });
        DciPeer {
            addr,
            options,
            state,
            task,
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The first account's email and password.
    pub fn account(&self) -> (String, String) {
        let (email, password) = self.options.accounts.iter().next().expect("an account");
        (email.clone(), password.clone())
    }

    /// Forgets every token, as the panel does after 60 idle minutes.
    pub fn expire_tokens(&self) {
        self.state.lock().unwrap().tokens.clear();
    }

    /// Answers the next `n` requests with 503.
    pub fn suspend_for(&self, n: usize) {
        self.state.lock().unwrap().unavailable = n;
    }

    /// Answers the next `n` requests with an HTML page (status 200).
    pub fn html_for(&self, n: usize) {
        self.state.lock().unwrap().html = n;
    }

    /// How the following power commands' operations go: `statuses` shown
    /// one per poll, then `outcome`.
    pub fn script_operations(&self, statuses: &[&str], outcome: Outcome) {
        self.state.lock().unwrap().script = Script {
            statuses: statuses.iter().map(|s| (*s).to_owned()).collect(),
            outcome,
        };
    }

    /// Answers power commands with an empty body (200) instead of
    /// `{"id": OPERATION}`: the answer is undocumented.
    pub fn empty_power_answers(&self, yes: bool) {
        self.state.lock().unwrap().empty_power_answers = yes;
    }

    /// Sets a server's `power_status` (`on`, `off`, `unknown`).
    pub fn set_power(&self, id: usize, status: &str) {
        let mut st = self.state.lock().unwrap();
        stored(&mut st, id)["power_status"] = json!(status);
    }

    /// A server as the peer holds it now (without advancing its operation).
    pub fn server_now(&self, id: usize) -> Value {
        let mut st = self.state.lock().unwrap();
        stored(&mut st, id).clone()
    }

    /// The users created so far.
    pub fn users(&self) -> Vec<Value> {
        self.state.lock().unwrap().users.clone()
    }

    /// Successful logins so far.
    pub fn logins(&self) -> usize {
        self.state.lock().unwrap().logins
    }

    /// Refused logins so far.
    pub fn failed_logins(&self) -> usize {
        self.state.lock().unwrap().failed_logins
    }

    /// Every request so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.state.lock().unwrap().seen.clone()
    }

    /// Requests so far whose path is `path`.
    pub fn seen_at(&self, path: &str) -> Vec<Seen> {
        self.seen().into_iter().filter(|s| s.path == path).collect()
    }
}

async fn serve(
    mut stream: TcpStream,
    state: Arc<Mutex<State>>,
    options: PeerOptions,
) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or_default().split(' ');
    let method = first.next().unwrap_or_default().to_owned();
    let target = first.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_owned(), parse_query(q)),
        None => (target.clone(), Vec::new()),
    };
    let seen = Seen {
        method,
        path,
        query,
        headers,
        body,
    };
    let (status, content_type, answer) = respond(&seen, &state, &options).await;
    let reply = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        answer.len()
    );
    stream.write_all(reply.as_bytes()).await?;
    stream.write_all(&answer).await?;
    stream.shutdown().await
}

fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (n, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(n), decode(v))
        })
        .collect()
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        let escaped = (byte == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match (byte, escaped) {
            (_, Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b'+', None) => {
                out.push(b' ');
                i += 1;
            }
            (b, None) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

type Answer = (u16, &'static str, Vec<u8>);

fn json_answer(status: u16, value: Value) -> Answer {
    (status, "application/json", value.to_string().into_bytes())
}

fn error(status: u16, code: i64, msg: &str, value: Option<Value>) -> Answer {
    let mut error = json!({"code": code, "msg": msg});
    if let Some(value) = value {
        error["value"] = value;
    }
    json_answer(status, json!({ "error": error }))
}

fn server(id: usize) -> Value {
    json!({
        "id": id,
        "name": format!("srv{id}"),
        "domain": format!("srv{id}.example.com"),
        "ip": [{"name": format!("192.0.2.{id}"), "family": "ipv4", "status": "assigned"}],
        "operation": null,
        "configuration": if id.is_multiple_of(2) { "i9-64Gb" } else { "e5-32Gb" },
        "state": "active",
        "power_status": "on",
        "owner_email": if id.is_multiple_of(3) { Value::Null } else { json!(format!("user{}@example.com", id % 3)) },
        "is_new": id.is_multiple_of(5),
        "location_id": 1 + id % 2,
    })
}

async fn respond(seen: &Seen, state: &Mutex<State>, options: &PeerOptions) -> Answer {
    {
        let mut st = state.lock().unwrap();
        st.seen.push(seen.clone());
        if st.unavailable > 0 {
            st.unavailable -= 1;
            return (503, "text/plain", b"Unavailable".to_vec());
        }
        if st.html > 0 {
            st.html -= 1;
            return (
                200,
                "text/html",
                b"<html><body><h1>Login</h1></body></html>".to_vec(),
            );
        }
    }
    let body: Value = if seen.body.is_empty() {
        Value::Null
    } else {
        match serde_json::from_slice(&seen.body) {
            Ok(v) => v,
            Err(_) => return error(400, 1, "Invalid JSON", None),
        }
    };
    let route = (seen.method.as_str(), seen.path.as_str());
    match route {
        ("POST", "/api/auth/v4/public/token") => {
            tokio::time::sleep(options.login_delay).await;
            let email = body["email"].as_str().unwrap_or_default();
            let password = body["password"].as_str().unwrap_or_default();
            let mut st = state.lock().unwrap();
            if options.accounts.get(email).map(String::as_str) != Some(password) {
                st.failed_logins += 1;
                return error(options.unauthorized_status, 3001, "Unauthorized", None);
            }
            st.logins += 1;
            Some(issue(&mut st, email))
        }
        ("POST", "/api/auth/v4/public/key") => {
            let key = body["key"].as_str().unwrap_or_default();
            let mut st = state.lock().unwrap();
            match st.keys.remove(key) {
                Some(email) => {
                    st.logins += 1;
                    Some(issue(&mut st, &email))
                }
                None => {
                    st.failed_logins += 1;
                    return error(options.unauthorized_status, 3001, "Unauthorized", None);
                }
            }
        }
        _ => None,
    }
    .map(|v| json_answer(200, v))
    .unwrap_or_else(|| authenticated(seen, &body, state, options))
}

fn issue(st: &mut State, email: &str) -> Value {
    let id = st.next_id;
    st.next_id += 1;
    let token = format!("{id}-tok-{:08x}", id.wrapping_mul(0x9e37_79b9));
    st.tokens.insert(token.clone(), email.to_owned());
    json!({"confirmed": true, "id": id.to_string(), "token": token})
}

fn authenticated(seen: &Seen, body: &Value, state: &Mutex<State>, options: &PeerOptions) -> Answer {
    let header = seen.header("x-xsrf-token").map(str::to_owned);
    let cookie = seen.cookie("ses6");
    let mut st = state.lock().unwrap();
    let valid = match (&header, &cookie) {
        (Some(h), Some(c)) if h == c => st.tokens.contains_key(h),
        _ => false,
    };
    if !valid {
        return error(options.unauthorized_status, 3001, "Unauthorized", None);
    }
    let segments: Vec<&str> = seen.path.trim_start_matches('/').split('/').collect();
    match (seen.method.as_str(), segments.as_slice()) {
        ("POST", ["api", "auth", "v4", "user", user, "key"]) => {
            let user = decode(user);
            if !options.accounts.contains_key(&user) {
                return error(404, 404, "User not found", None);
            }
            let id = st.next_id;
            st.next_id += 1;
            let key = format!("{id}-key-{:08x}", id.wrapping_mul(0x85eb_ca6b));
            st.keys.insert(key.clone(), user);
            json_answer(200, json!({"id": id.to_string(), "key": key}))
        }
        ("GET", ["api", "auth", "v4", "self", "session"]) => {
            // The session the token belongs to (who and which token); the
            // vendor's public code reads it to check a token.
            let token = header.as_deref().unwrap_or_default();
            let email = st.tokens[token].clone();
            let id = token.split('-').next().unwrap_or_default().to_owned();
            json_answer(200, json!({"id": id, "email": email}))
        }
        ("POST", ["api", "auth", "v4", "token"]) => {
            if !body["expires_at"].is_string() {
                return error(
                    400,
                    2,
                    "Validation error",
                    Some(json!({"expires_at": "required"})),
                );
            }
            let email = st.tokens[header.as_deref().unwrap_or_default()].clone();
            json_answer(200, issue(&mut st, &email))
        }
        ("GET", ["api", "dci", "v3", "server"]) => {
            let items: Vec<Value> = (1..=options.servers)
                .map(|id| stored(&mut st, id).clone())
                .collect();
            list_servers(seen, items)
        }
        ("GET", ["api", "dci", "v3", "server", "configuration"]) => {
            let mut counts: BTreeMap<String, u64> = BTreeMap::new();
            for id in 1..=options.servers {
                let s = server(id);
                if s["owner_email"].is_null() {
                    *counts
                        .entry(s["configuration"].as_str().unwrap_or_default().to_owned())
                        .or_default() += 1;
                }
            }
            let list: Vec<Value> = counts
                .into_iter()
                .map(|(c, n)| json!({"configuration": c, "free_server_count": n}))
                .collect();
            json_answer(200, json!({ "list": list }))
        }
        ("GET", ["api", "dci", "v3", "server", id]) => match id.parse::<usize>() {
            Ok(id) if (1..=options.servers).contains(&id) => {
                let shown = stored(&mut st, id).clone();
                advance(&mut st, id);
                json_answer(200, shown)
            }
            _ => error(404, 404, "Server not found", None),
        },
        ("POST", ["api", "dci", "v3", "server", id, command]) => {
            let Some(id) = id
                .parse::<usize>()
                .ok()
                .filter(|id| (1..=options.servers).contains(id))
            else {
                return error(404, 404, "Server not found", None);
            };
            power(&mut st, id, command, body)
        }
        ("GET", ["api", "dci", "v3", "user"]) => {
            let size = st.users.len();
            json_answer(200, json!({"list": st.users, "size": size}))
        }
        ("POST", ["api", "dci", "v3", "user"]) => {
            let email = body["email"].as_str().unwrap_or_default().to_owned();
            if email.is_empty() || st.users.iter().any(|u| u["email"] == email.as_str()) {
                return error(400, 2, "Validation error", Some(json!({"email": email})));
            }
            if body["password"].as_str().unwrap_or_default().is_empty() {
                return error(
                    400,
                    2,
                    "Validation error",
                    Some(json!({"password": "required"})),
                );
            }
            let role = body["role"].as_str().unwrap_or("@user").to_owned();
            let id = st.next_id;
            st.next_id += 1;
            st.users.push(json!({"id": id, "email": email, "server_count": 0, "roles": [role],
                                 "full_name": body["full_name"], "phone_number": body["phone_number"]}));
            json_answer(200, json!({ "id": id }))
        }
        _ => error(404, 404, "Not found", None),
    }
}

/// The server as held now (created from [`server`] on first use).
fn stored(st: &mut State, id: usize) -> &mut Value {
    st.servers.entry(id).or_insert_with(|| server(id))
}

/// Starts a power command's operation, if the documented rules allow it.
fn power(st: &mut State, id: usize, command: &str, body: &Value) -> Answer {
    if !body.is_object() {
        return error(
            400,
            2,
            "Validation error",
            Some(json!({"body": "{} expected"})),
        );
    }
    let power = stored(st, id)["power_status"]
        .as_str()
        .unwrap_or("unknown")
        .to_ascii_lowercase();
    let power_after = match command {
        "power_on" if power == "off" || power == "unknown" => "on",
        "power_off" if power == "on" => "off",
        "power_reset" => "on",
        "power_on" | "power_off" => {
            return error(
                400,
                2,
                "Power command not applicable in this power status",
                Some(json!({"power_status": power})),
            )
        }
        _ => return error(404, 404, "Not found", None),
    };
    let operation = st.next_id;
    st.next_id += 1;
    let script = st.script.clone();
    let mut statuses = script.statuses.into_iter();
    let first = statuses.next().unwrap_or_else(|| "running".to_owned());
    stored(st, id)["operation"] = json!({
        "id": operation, "status": first, "status_info": {}, "progress_info": []
    });
    st.running.insert(
        id,
        Running {
            remaining: statuses.collect(),
            outcome: script.outcome,
            power_after,
        },
    );
    if st.empty_power_answers {
        return (200, "application/json", Vec::new());
    }
    json_answer(200, json!({ "id": operation }))
}

/// Moves a server's operation one step on.
fn advance(st: &mut State, id: usize) {
    let Some(mut running) = st.running.remove(&id) else {
        return;
    };
    if !running.remaining.is_empty() {
        let next = running.remaining.remove(0);
        stored(st, id)["operation"]["status"] = json!(next);
        st.running.insert(id, running);
        return;
    }
    match running.outcome.clone() {
        Outcome::Complete => {
            let server = stored(st, id);
            server["operation"]["status"] = json!("complete");
            server["power_status"] = json!(running.power_after);
        }
        Outcome::Failed(message) => {
            let server = stored(st, id);
            server["operation"]["status"] = json!("failed");
            server["operation"]["status_info"] = json!({ "msg": message });
        }
        Outcome::Never => {
            st.running.insert(id, running);
        }
    }
}

fn list_servers(seen: &Seen, mut items: Vec<Value>) -> Answer {
    if let Some(filter) = seen.query("where") {
        match parse_where(filter) {
            Some(conditions) => items.retain(|s| conditions.iter().all(|c| c.matches(s))),
            None => return error(400, 3, "Invalid filter", Some(json!({"where": filter}))),
        }
    }
    if let Some(order) = seen.query("orderby") {
        let (field, direction) = order.split_once(' ').unwrap_or((order, "asc"));
        items.sort_by(|a, b| {
            let ordering = compare(&a[field], &b[field]);
            if direction == "desc" {
                ordering.reverse()
            } else {
                ordering
            }
        });
    }
    let size = items.len();
    let (offset, limit) = match seen.query("limit") {
        Some(limit) => match limit.split_once(',') {
            Some((o, c)) => match (o.parse::<usize>(), c.parse::<usize>()) {
                (Ok(o), Ok(c)) => (o, c),
                _ => return error(400, 3, "Invalid limit", Some(json!({"limit": limit}))),
            },
            None => match limit.parse::<usize>() {
                Ok(c) => (0, c),
                Err(_) => return error(400, 3, "Invalid limit", Some(json!({"limit": limit}))),
            },
        },
        None => (0, usize::MAX),
    };
    let page: Vec<Value> = items.into_iter().skip(offset).take(limit).collect();
    json_answer(200, json!({"list": page, "size": size}))
}

fn compare(a: &Value, b: &Value) -> std::cmp::Ordering {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x
            .as_f64()
            .unwrap_or_default()
            .total_cmp(&y.as_f64().unwrap_or_default()),
        _ => a.to_string().cmp(&b.to_string()),
    }
}

struct Condition {
    negated: bool,
    field: String,
    op: String,
    value: Value,
}

impl Condition {
    fn matches(&self, item: &Value) -> bool {
        let actual = &item[self.field.as_str()];
        let hit = match self.op.as_str() {
            "EQ" => actual == &self.value,
            "NE" => actual != &self.value,
            "IS" => actual.is_null(),
            "CP" => {
                let pattern = self.value.as_str().unwrap_or_default();
                let text = actual.as_str().unwrap_or_default();
                like(text, pattern)
            }
            _ => false,
        };
        hit != self.negated
    }
}

/// SQL-like `%` matching.
fn like(text: &str, pattern: &str) -> bool {
    let parts: Vec<&str> = pattern.split('%').collect();
    let mut rest = text;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            match rest.strip_prefix(part) {
                Some(r) => rest = r,
                None => return false,
            }
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else {
            match rest.find(part) {
                Some(at) => rest = &rest[at + part.len()..],
                None => return false,
            }
        }
    }
    rest.is_empty()
}

fn strip_parens(mut text: &str) -> &str {
    loop {
        let t = text.trim();
        match t.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
            Some(inner) => text = inner,
            None => return t,
        }
    }
}

fn parse_where(filter: &str) -> Option<Vec<Condition>> {
    filter
        .split(" AND ")
        .map(|part| {
            let mut text = strip_parens(part);
            let mut negated = false;
            if let Some(rest) = text.strip_prefix("NOT ") {
                negated = true;
                text = strip_parens(rest);
            }
            let mut words = text.splitn(3, ' ');
            let field = words.next()?.to_owned();
            let op = words.next()?.to_owned();
            let raw = words.next()?;
            let value = if op == "IS" {
                (raw == "null").then_some(Value::Null)?
            } else if let Some(s) = raw.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
                json!(s)
            } else if raw == "true" || raw == "false" {
                json!(raw == "true")
            } else {
                json!(raw.parse::<i64>().ok()?)
            };
            Some(Condition {
                negated,
                field,
                op,
                value,
            })
        })
        .collect()
}
