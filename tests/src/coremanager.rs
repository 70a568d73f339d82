//! A local COREmanager (ISPmanager) peer written from the vendor's documented
//! behaviour, and a fake `mgrctl` for the local transport.
//!
//! The peer is a small HTTP/1.1 server on 127.0.0.1 that speaks
//! `/ispmgr?func=…` with `out=json` (text under `"$"`, attributes under
//! `"$name"`, a single child as an object, several as an array) and `out=xml`:
//! - `func=auth` with `username`+`password`, or `username`+`key` (a key made
//!   by `func=session.newkey` as an administrator, usable once) → `<auth id=…>`;
//!   `auth=<id>` on later calls, dropped after an idle period; `authinfo=u:p`
//!   on every call; `su=` for administrators; `lang=` for error messages;
//! - lists (`webdomain`, one row → an object), forms (`webdomain.edit`, read
//!   and `sok=ok`), group operations (`webdomain.delete` with `elid=a, b`),
//!   `<ok/>`, `<ok>restart</ok>`, redirects and `<error type= object=>`;
//! - test-only functions `peer.html`, `peer.empty`, `peer.truncated` answer
//!   like a broken panel or proxy would.
//!
//! Every request is recorded (method, URL, body), so tests can check that
//! secrets travel only in POST bodies.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

mod tables;
use tables::{Obj, Op, TABLES};

/// Peer settings.
#[derive(Clone, Debug)]
pub struct CoremanagerOptions {
    /// Users: name → (password, is administrator).
    pub users: BTreeMap<String, (String, bool)>,
    /// Sessions die after this long without a request (the panel's is an hour).
    pub session_idle: Duration,
    /// How long `func=auth` takes (to let concurrent callers pile up).
    pub auth_delay: Duration,
    /// Answer applied web domain forms with `<ok>restart</ok>`.
    pub restart_after_edit: bool,
    /// Answer `session.newkey` with a redirect to `func=auth&key=` (as the
    /// guide describes) instead of `<ok/>`.
    pub newkey_redirect: bool,
    /// Break every `out=json` answer (some panels' JSON output is broken).
    pub broken_json: bool,
}

impl Default for CoremanagerOptions {
    fn default() -> Self {
        let mut users = BTreeMap::new();
        users.insert("root".to_owned(), ("r00t-pässword".to_owned(), true));
        users.insert("bob".to_owned(), ("b0b-secret".to_owned(), false));
        CoremanagerOptions {
            users,
            session_idle: Duration::from_secs(3600),
            auth_delay: Duration::ZERO,
            restart_after_edit: false,
            newkey_redirect: false,
            broken_json: false,
        }
    }
}

/// One request as the peer saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seen {
    /// HTTP method.
    pub method: String,
    /// Request target (path and query) exactly as sent.
    pub target: String,
    /// The raw body.
    pub body: String,
    /// Decoded parameters (query and body).
    pub params: BTreeMap<String, String>,
}

#[derive(Debug)]
struct Session {
    user: String,
    last_used: Instant,
}

#[derive(Debug)]
struct WebDomain {
    name: String,
    owner: String,
    php: bool,
}

#[derive(Debug, Default)]
struct State {
    sessions: BTreeMap<String, Session>,
    keys: BTreeMap<String, String>,
    domains: Vec<WebDomain>,
    /// Objects of [`tables::TABLES`], one vector per table.
    tables: Vec<Vec<Obj>>,
    seen: Vec<Seen>,
    calls: BTreeMap<String, u64>,
}

struct Shared {
    options: CoremanagerOptions,
    state: Mutex<State>,
    next_id: AtomicU64,
}

/// A running peer; stops when dropped.
pub struct CoremanagerPeer {
    port: u16,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl std::fmt::Debug for CoremanagerPeer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CoremanagerPeer")
            .field("port", &self.port)
            .finish_non_exhaustive()
    }
}

impl Drop for CoremanagerPeer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl CoremanagerPeer {
    /// Starts a peer with default options (call inside a tokio runtime).
    pub async fn start() -> Self {
        Self::start_with(CoremanagerOptions::default()).await
    }

    /// Starts a peer with these options.
    pub async fn start_with(options: CoremanagerOptions) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let port = listener.local_addr().expect("local addr").port();
        let state = State {
            domains: vec![WebDomain {
                name: "bob.example".to_owned(),
                owner: "bob".to_owned(),
                php: true,
            }],
            tables: tables::seed(),
            ..State::default()
        };
        let shared = Arc::new(Shared {
            options,
            state: Mutex::new(state),
            next_id: AtomicU64::new(1),
        });
        let server = shared.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let shared = server.clone();
                tokio::spawn(async move {
                    let _ = serve(stream, shared).await;
                });
            }
        });
        CoremanagerPeer { port, shared, task }
    }

    /// The endpoint, `http://127.0.0.1:PORT/ispmgr`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/ispmgr", self.port)
    }

    /// A user's password.
    pub fn password(&self, user: &str) -> String {
        self.shared.options.users[user].0.clone()
    }

    /// Every request so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.shared.state.lock().unwrap().seen.clone()
    }

    /// How often `func` was called.
    pub fn calls_of(&self, func: &str) -> u64 {
        let state = self.shared.state.lock().unwrap();
        state.calls.get(func).copied().unwrap_or(0)
    }

    /// Drops every session, as the panel does after an idle hour.
    pub fn expire_sessions(&self) {
        self.shared.state.lock().unwrap().sessions.clear();
    }

    /// Adds a web domain owned by `owner`.
    pub fn add_domain(&self, name: &str, owner: &str) {
        self.shared.state.lock().unwrap().domains.push(WebDomain {
            name: name.to_owned(),
            owner: owner.to_owned(),
            php: false,
        });
    }

    /// The fields of an object of the table listed by `list_func` (`user`,
    /// `email`, `db`, `domain.sublist`) whose key is `key`, if it exists.
    pub fn object(&self, list_func: &str, key: &str) -> Option<BTreeMap<String, String>> {
        let state = self.shared.state.lock().unwrap();
        let (i, _) = tables::lookup(list_func)?;
        let table = &TABLES[i];
        state.tables[i]
            .iter()
            .find(|o| o.get(table.key) == key)
            .map(|o| o.fields.clone())
    }

    /// Keys of the objects of the table listed by `list_func` under `plid`
    /// (empty for top-level tables), in order.
    pub fn keys(&self, list_func: &str, plid: &str) -> Vec<String> {
        let state = self.shared.state.lock().unwrap();
        let Some((i, _)) = tables::lookup(list_func) else {
            return Vec::new();
        };
        let table = &TABLES[i];
        state.tables[i]
            .iter()
            .filter(|o| o.plid == plid)
            .map(|o| o.get(table.key).to_owned())
            .collect()
    }

    /// Names of the web domains, in order.
    pub fn domains(&self) -> Vec<String> {
        let state = self.shared.state.lock().unwrap();
        state.domains.iter().map(|d| d.name.clone()).collect()
    }
}

async fn serve(mut stream: TcpStream, shared: Arc<Shared>) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let header_end = loop {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(at) = find(&buf, b"\r\n\r\n") {
            break at;
        }
    };
    let head = String::from_utf8_lossy(&buf[..header_end]).into_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default().to_owned();
    let mut parts = request_line.split(' ');
    let method = parts.next().unwrap_or_default().to_owned();
    let target = parts.next().unwrap_or_default().to_owned();
    let length: usize = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse().ok())
        .unwrap_or(0);
    let mut body = buf[header_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    let body = String::from_utf8_lossy(&body).into_owned();
    let mut params = BTreeMap::new();
    if let Some((_, query)) = target.split_once('?') {
        decode_form(query, &mut params);
    }
    decode_form(&body, &mut params);
    let seen = Seen {
        method,
        target,
        body,
        params: params.clone(),
    };
    let func = params.get("func").cloned().unwrap_or_default();
    if func == "auth" && !shared.options.auth_delay.is_zero() {
        tokio::time::sleep(shared.options.auth_delay).await;
    }
    let reply = handle(&shared, seen, &func, &params);
    let response = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        reply.status,
        if reply.status == 200 { "OK" } else { "Error" },
        reply.content_type,
        reply.body.len()
    );
    stream.write_all(response.as_bytes()).await?;
    stream.write_all(&reply.body).await?;
    stream.shutdown().await
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn decode_form(text: &str, out: &mut BTreeMap<String, String>) {
    for pair in text.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        out.insert(unescape(k), unescape(v));
    }
}

fn unescape(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

struct Reply {
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
}

/// A document element: name, attributes, text, children.
#[derive(Clone, Debug, Default)]
struct El {
    name: String,
    attrs: Vec<(String, String)>,
    text: String,
    children: Vec<El>,
}

impl El {
    fn new(name: &str) -> Self {
        El {
            name: name.to_owned(),
            ..El::default()
        }
    }
    fn text(mut self, text: &str) -> Self {
        self.text = text.to_owned();
        self
    }
    fn attr(mut self, k: &str, v: &str) -> Self {
        self.attrs.push((k.to_owned(), v.to_owned()));
        self
    }
    fn child(mut self, child: El) -> Self {
        self.children.push(child);
        self
    }
}

fn render_json(el: &El) -> serde_json::Value {
    let mut map = serde_json::Map::new();
    for (k, v) in &el.attrs {
        map.insert(format!("${k}"), serde_json::Value::String(v.clone()));
    }
    if !el.text.is_empty() {
        map.insert("$".to_owned(), serde_json::Value::String(el.text.clone()));
    }
    let mut groups: BTreeMap<&str, Vec<serde_json::Value>> = BTreeMap::new();
    for c in &el.children {
        groups
            .entry(c.name.as_str())
            .or_default()
            .push(render_json(c));
    }
    for (name, mut values) in groups {
        // One child is an object, several are an array: as the panel does.
        let value = if values.len() == 1 {
            values.remove(0)
        } else {
            serde_json::Value::Array(values)
        };
        map.insert(name.to_owned(), value);
    }
    serde_json::Value::Object(map)
}

fn render_xml(el: &El, out: &mut String) {
    out.push('<');
    out.push_str(&el.name);
    for (k, v) in &el.attrs {
        out.push_str(&format!(" {k}=\"{}\"", xml_escape(v)));
    }
    if el.text.is_empty() && el.children.is_empty() {
        out.push_str("/>");
        return;
    }
    out.push('>');
    out.push_str(&xml_escape(&el.text));
    for c in &el.children {
        render_xml(c, out);
    }
    out.push_str(&format!("</{}>", el.name));
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn error(kind: &str, object: &str, lang: &str, msg_en: &str, msg_ru: &str) -> El {
    let msg = if lang == "ru" { msg_ru } else { msg_en };
    El::new("error")
        .attr("type", kind)
        .attr("object", object)
        .attr("lang", lang)
        .child(El::new("msg").text(msg))
        .child(El::new("param").attr("name", "object").text(object))
}

fn handle(shared: &Shared, seen: Seen, func: &str, params: &BTreeMap<String, String>) -> Reply {
    let mut state = shared.state.lock().unwrap();
    state.seen.push(seen);
    *state.calls.entry(func.to_owned()).or_default() += 1;
    let out = params.get("out").map(String::as_str).unwrap_or("html");
    let lang = params.get("lang").map(String::as_str).unwrap_or("en");
    match func {
        "peer.html" => {
            return Reply {
                status: 502,
                content_type: "text/html",
                body: b"<html><body><h1>502 Bad Gateway</h1></body></html>".to_vec(),
            }
        }
        "peer.empty" => {
            return Reply {
                status: 200,
                content_type: "application/json",
                body: Vec::new(),
            }
        }
        "peer.truncated" => {
            return Reply {
                status: 200,
                content_type: "application/json",
                body: br#"{"doc":{"elem":[{"name":{"$":"a.exa"#.to_vec(),
            }
        }
        _ => {}
    }
    let body = match authenticate(shared, &mut state, func, params, lang) {
        Err(e) => e,
        Ok(user) => dispatch(shared, &mut state, func, params, lang, &user),
    };
    let mut doc = El::new("doc").attr("lang", lang).attr("func", func);
    if body.name == "#list" {
        doc.children.extend(body.children);
    } else {
        doc = doc.child(body);
    }
    let (content_type, text) = if out == "xml" {
        let mut text = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        render_xml(&doc, &mut text);
        ("text/xml", text)
    } else if shared.options.broken_json {
        (
            "application/json",
            "{\"doc\":{\"$lang\":\"en\",,}".to_owned(),
        )
    } else {
        let mut top = serde_json::Map::new();
        top.insert("doc".to_owned(), render_json(&doc));
        (
            "application/json",
            serde_json::Value::Object(top).to_string(),
        )
    };
    Reply {
        status: 200,
        content_type,
        body: text.into_bytes(),
    }
}

/// Who the call runs as, after `auth`/`authinfo` and `su`; `Err` is the
/// answer to send right away (an error, or the session of `func=auth`).
fn authenticate(
    shared: &Shared,
    state: &mut State,
    func: &str,
    params: &BTreeMap<String, String>,
    lang: &str,
) -> Result<String, El> {
    let users = &shared.options.users;
    let bad_password = || {
        error(
            "auth",
            "badpassword",
            lang,
            "Invalid username or password",
            "Неверное имя пользователя или пароль",
        )
    };
    if func == "auth" {
        let user = params.get("username").cloned().unwrap_or_default();
        let ok = match (params.get("password"), params.get("key")) {
            (Some(p), _) => users.get(&user).is_some_and(|(pw, _)| pw == p),
            (None, Some(k)) => state.keys.get(k) == Some(&user),
            _ => false,
        };
        if !ok {
            return Err(bad_password());
        }
        if let Some(k) = params.get("key") {
            state.keys.remove(k); // one use only
        }
        let id = format!(
            "{:016x}{:08x}",
            shared.next_id.fetch_add(1, Ordering::SeqCst) * 0x9e37_79b9,
            std::process::id()
        );
        state.sessions.insert(
            id.clone(),
            Session {
                user,
                last_used: Instant::now(),
            },
        );
        return Err(El::new("auth").attr("id", &id).text(&id));
    }
    let caller = if let Some(info) = params.get("authinfo") {
        let (user, pass) = info.split_once(':').unwrap_or((info, ""));
        let known = users.get(user).is_some_and(|(pw, _)| pw == pass);
        if !known {
            return Err(bad_password());
        }
        user.to_owned()
    } else if let Some(id) = params.get("auth") {
        let idle = shared.options.session_idle;
        match state.sessions.get_mut(id) {
            Some(s) if s.last_used.elapsed() <= idle => {
                s.last_used = Instant::now();
                s.user.clone()
            }
            _ => {
                state.sessions.remove(id);
                return Err(error(
                    "auth",
                    "",
                    lang,
                    "Your session has expired",
                    "Сессия истекла",
                ));
            }
        }
    } else {
        return Err(error(
            "auth",
            "",
            lang,
            "Authorization required",
            "Требуется авторизация",
        ));
    };
    match params.get("su") {
        Some(target) if target != &caller => {
            let admin = users.get(&caller).is_some_and(|(_, admin)| *admin);
            if !admin {
                return Err(error(
                    "access",
                    "su",
                    lang,
                    "Insufficient privileges",
                    "Недостаточно прав",
                ));
            }
            if !users.contains_key(target) {
                return Err(error(
                    "missed",
                    "user",
                    lang,
                    "User not found",
                    "Пользователь не найден",
                ));
            }
            Ok(target.clone())
        }
        _ => Ok(caller),
    }
}

fn dispatch(
    shared: &Shared,
    state: &mut State,
    func: &str,
    params: &BTreeMap<String, String>,
    lang: &str,
    user: &str,
) -> El {
    let admin = shared.options.users.get(user).is_some_and(|(_, a)| *a);
    let visible = |d: &WebDomain| admin || d.owner == user;
    let submit = params.get("sok").is_some_and(|s| !s.is_empty());
    let elid = params.get("elid").cloned().unwrap_or_default();
    match func {
        "whoami" => El::new("name").text(user),
        "webdomain" => {
            // A list is a run of `elem` children; returned in a wrapper the
            // caller flattens.
            let mut list = El::new("#list");
            for d in state.domains.iter().filter(|d| visible(d)) {
                let mut elem = El::new("elem")
                    .child(El::new("name").text(&d.name))
                    .child(El::new("owner").text(&d.owner))
                    .child(
                        El::new("docroot")
                            .text(&format!("/var/www/{}/data/www/{}", d.owner, d.name)),
                    );
                if d.php {
                    elem = elem.child(El::new("php"));
                }
                list = list.child(elem);
            }
            list
        }
        "webdomain.edit" if !submit => {
            if elid.is_empty() {
                return El::new("#list")
                    .child(El::new("name"))
                    .child(El::new("owner").text(user));
            }
            match state.domains.iter().find(|d| d.name == elid && visible(d)) {
                Some(d) => El::new("#list")
                    .child(El::new("elid").text(&d.name))
                    .child(El::new("name").text(&d.name))
                    .child(El::new("owner").text(&d.owner)),
                None => error(
                    "missed",
                    "webdomain",
                    lang,
                    "Web domain not found",
                    "WWW-домен не найден",
                ),
            }
        }
        "webdomain.edit" => {
            let name = params.get("name").cloned().unwrap_or_default();
            if elid.is_empty() {
                if name.is_empty() {
                    return error(
                        "empty",
                        "name",
                        lang,
                        "Field 'Domain name' is empty",
                        "Поле 'Имя домена' не заполнено",
                    );
                }
                if name.contains(' ') || !name.contains('.') {
                    return error(
                        "value",
                        "name",
                        lang,
                        "Invalid value of 'Domain name'",
                        "Неверное значение поля 'Имя домена'",
                    );
                }
                if state.domains.iter().any(|d| d.name == name) {
                    return error(
                        "exists",
                        "webdomain",
                        lang,
                        "Web domain already exists",
                        "WWW-домен уже существует",
                    );
                }
                let owner = params
                    .get("owner")
                    .cloned()
                    .unwrap_or_else(|| user.to_owned());
                state.domains.push(WebDomain {
                    name,
                    owner,
                    php: params.get("php").is_some_and(|p| p == "on"),
                });
            } else {
                let Some(d) = state
                    .domains
                    .iter_mut()
                    .find(|d| d.name == elid && (admin || d.owner == user))
                else {
                    return error(
                        "missed",
                        "webdomain",
                        lang,
                        "Web domain not found",
                        "WWW-домен не найден",
                    );
                };
                if let Some(php) = params.get("php") {
                    d.php = php == "on";
                }
            }
            if shared.options.restart_after_edit {
                El::new("ok").text("restart")
            } else {
                El::new("ok")
            }
        }
        "webdomain.delete" => {
            let names: Vec<&str> = elid.split(", ").filter(|n| !n.is_empty()).collect();
            if names.is_empty() {
                return error(
                    "empty",
                    "elid",
                    lang,
                    "Nothing selected",
                    "Ничего не выбрано",
                );
            }
            for n in &names {
                if !state.domains.iter().any(|d| d.name == *n && visible(d)) {
                    return error(
                        "missed",
                        "webdomain",
                        lang,
                        "Web domain not found",
                        "WWW-домен не найден",
                    );
                }
            }
            state.domains.retain(|d| !names.contains(&d.name.as_str()));
            El::new("ok")
        }
        "session.newkey" => {
            if !admin {
                return error(
                    "access",
                    "session.newkey",
                    lang,
                    "Insufficient privileges",
                    "Недостаточно прав",
                );
            }
            let (Some(username), Some(key)) = (params.get("username"), params.get("key")) else {
                return error("empty", "key", lang, "Key is empty", "Ключ не задан");
            };
            if key.len() < 16 {
                return error(
                    "value",
                    "key",
                    lang,
                    "The key is too short",
                    "Ключ слишком короткий",
                );
            }
            state.keys.insert(key.clone(), username.clone());
            if shared.options.newkey_redirect {
                El::new("redirect").text(&format!(
                    "func=auth&username={username}&key=[key]&checkcookie=no"
                ))
            } else {
                El::new("ok")
            }
        }
        _ => match tables::lookup(func) {
            Some((i, op)) => table_call(shared, state, i, op, params, lang, user, admin),
            None => error(
                "missed",
                "func",
                lang,
                "Unknown function",
                "Неизвестная функция",
            ),
        },
    }
}

/// A list, form or group operation on one of [`tables::TABLES`].
#[allow(clippy::too_many_arguments)]
fn table_call(
    shared: &Shared,
    state: &mut State,
    i: usize,
    op: Op,
    params: &BTreeMap<String, String>,
    lang: &str,
    user: &str,
    admin: bool,
) -> El {
    let table = &TABLES[i];
    if table.admin_only && !admin {
        return error(
            "access",
            table.list,
            lang,
            "Insufficient privileges",
            "Недостаточно прав",
        );
    }
    let plid = params.get("plid").cloned().unwrap_or_default();
    if table.nested && plid.is_empty() {
        return error(
            "empty",
            "plid",
            lang,
            "The parent object is not selected",
            "Не выбран родительский объект",
        );
    }
    let submit = params.get("sok").is_some_and(|s| !s.is_empty());
    let elid = params.get("elid").cloned().unwrap_or_default();
    let visible = |o: &Obj| {
        o.plid == plid && (admin || !o.fields.contains_key("owner") || o.get("owner") == user)
    };
    let missed = || {
        error(
            "missed",
            table.list,
            lang,
            "Object not found",
            "Объект не найден",
        )
    };
    let ok = || {
        if shared.options.restart_after_edit {
            El::new("ok").text("restart")
        } else {
            El::new("ok")
        }
    };
    let objects = &mut state.tables[i];
    match op {
        Op::List => {
            let mut list = El::new("#list");
            for o in objects.iter().filter(|o| visible(o)) {
                let mut elem = El::new("elem");
                for (k, v) in &o.fields {
                    elem = elem.child(El::new(k).text(v));
                }
                list = list.child(elem);
            }
            list
        }
        Op::Edit if !submit => {
            let mut form = El::new("#list");
            if elid.is_empty() {
                for (k, v) in table.defaults {
                    form = form.child(El::new(k).text(v));
                }
                return form;
            }
            let Some(o) = objects
                .iter()
                .find(|o| visible(o) && o.get(table.key) == elid)
            else {
                return missed();
            };
            form = form.child(El::new("elid").text(&elid));
            for (k, v) in &o.fields {
                form = form.child(El::new(k).text(v));
            }
            form
        }
        Op::Edit => {
            // The form as sent: every field left out takes its default.
            let mut fields: BTreeMap<String, String> = table
                .defaults
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect();
            for (k, _) in table.defaults {
                if let Some(v) = params.get(*k) {
                    fields.insert((*k).to_owned(), v.clone());
                }
            }
            if table.key != "rkey" {
                // The key is read-only once the object exists: `elid` names it.
                let key = params
                    .get(table.key)
                    .filter(|_| elid.is_empty())
                    .unwrap_or(&elid);
                fields.insert(table.key.to_owned(), key.clone());
            }
            if fields.contains_key("owner") && fields["owner"].is_empty() {
                fields.insert("owner".to_owned(), user.to_owned());
            }
            if table.key == "rkey" {
                let key = tables::record_key(&fields["name"], &fields["rtype"], &fields["value"]);
                fields.insert("rkey".to_owned(), key);
            }
            let key = fields.get(table.key).cloned().unwrap_or_default();
            if key.trim().is_empty() || fields.get("name").is_some_and(|n| n.is_empty()) {
                return error(
                    "empty",
                    "name",
                    lang,
                    "Field 'Name' is empty",
                    "Поле 'Имя' не заполнено",
                );
            }
            if elid.is_empty() {
                if objects
                    .iter()
                    .any(|o| o.plid == plid && o.get(table.key) == key)
                {
                    return error(
                        "exists",
                        table.list,
                        lang,
                        "Object already exists",
                        "Объект уже существует",
                    );
                }
                objects.push(Obj { plid, fields });
            } else {
                let Some(o) = objects
                    .iter_mut()
                    .find(|o| visible(o) && o.get(table.key) == elid)
                else {
                    return missed();
                };
                o.fields = fields;
            }
            ok()
        }
        Op::Delete => {
            let keys: Vec<&str> = elid.split(", ").filter(|n| !n.is_empty()).collect();
            if keys.is_empty() {
                return error(
                    "empty",
                    "elid",
                    lang,
                    "Nothing selected",
                    "Ничего не выбрано",
                );
            }
            for k in &keys {
                if !objects.iter().any(|o| visible(o) && o.get(table.key) == *k) {
                    return missed();
                }
            }
            objects.retain(|o| !(o.plid == plid && keys.contains(&o.get(table.key))));
            ok()
        }
    }
}

/// Writes a fake `mgrctl` into `dir`: it appends its arguments (one line per
/// call, tab-separated) to `dir/args.log` and prints what the real one would
/// for a few functions: `webdomain` (a one-row list as an object),
/// `webdomain.delete` (ok), `fail.doc` (an error document, exit 1),
/// `fail.exit` (nothing on stdout, a message on stderr, exit 3),
/// `sleep` (hangs). Returns the script's path.
pub fn fake_mgrctl(dir: &Path) -> PathBuf {
    let script = dir.join("mgrctl");
    let log = dir.join("args.log");
    let text = format!(
        r#"#!/bin/sh
printf '%s\t' "$@" >> '{log}'
printf '\n' >> '{log}'
# -m MGR -o FORMAT FUNC k=v...
[ "$1" = "-m" ] && [ "$3" = "-o" ] || {{ echo "usage: mgrctl -m MGR [-o FORMAT] FUNC [k=v ...]" >&2; exit 2; }}
func="$5"
case "$func" in
  webdomain)
    if [ "$4" = xml ]; then
      echo '<?xml version="1.0" encoding="UTF-8"?><doc><elem><name>local.example</name><owner>root</owner></elem></doc>'
    else
      echo '{{"doc":{{"elem":{{"name":{{"$":"local.example"}},"owner":{{"$":"root"}}}}}}}}'
    fi ;;
  webdomain.delete) echo '{{"doc":{{"ok":{{}}}}}}' ;;
  fail.doc) echo '{{"doc":{{"error":{{"$type":"missed","$object":"webdomain","msg":{{"$":"Not found"}}}}}}}}'; exit 1 ;;
  fail.exit) echo "mgrctl: cannot connect to ispmgr" >&2; exit 3 ;;
  sleep) sleep 30 ;;
  *) echo '{{"doc":{{"error":{{"$type":"missed","$object":"func","msg":{{"$":"Unknown function"}}}}}}}}'; exit 1 ;;
esac
"#,
        log = log.display()
    );
    std::fs::write(&script, text).expect("write fake mgrctl");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755))
            .expect("chmod fake mgrctl");
    }
    script
}

/// The argument lines the fake `mgrctl` in `dir` was called with.
pub fn mgrctl_calls(dir: &Path) -> Vec<Vec<String>> {
    std::fs::read_to_string(dir.join("args.log"))
        .unwrap_or_default()
        .lines()
        .map(|l| {
            l.split('\t')
                .filter(|a| !a.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .collect()
}
