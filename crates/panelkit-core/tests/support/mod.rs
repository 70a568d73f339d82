//! A small HTTP/1.1 server the REST tests control: every request is
//! recorded (method, target, headers, body, arrival time) and answered by
//! the test's handler. Bodies may be sent with Content-Length or chunked
//! (streamed uploads); answers may be generated on the fly (large
//! downloads), delayed, or cut short (truncated bodies).

#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// A request as the server received it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    /// Header names lowercased, in order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub at: Instant,
}

impl Recorded {
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn header_count(&self, name: &str) -> usize {
        let name = name.to_ascii_lowercase();
        self.headers.iter().filter(|(n, _)| *n == name).count()
    }

    /// How many credentials the request carried (Authorization and
    /// X-SFTPGO-API-KEY headers).
    pub fn auth_headers(&self) -> usize {
        self.header_count("authorization") + self.header_count("x-sftpgo-api-key")
    }
}

/// What the body of an answer is.
#[derive(Clone, Debug)]
pub enum ReplyBody {
    Bytes(Vec<u8>),
    /// `len` bytes of [`pattern_byte`] starting at `offset`, generated while
    /// written.
    Generated {
        offset: u64,
        len: u64,
    },
    /// Announces `announced` bytes, sends these, then closes the connection.
    Truncated {
        announced: usize,
        sent: Vec<u8>,
    },
    /// `count` chunks of `size` pattern bytes with `gap` between them.
    Trickle {
        count: u64,
        size: u64,
        gap: Duration,
    },
    /// Announces `announced` bytes, sends `sent`, then holds the connection
    /// open without sending more.
    Stalled {
        announced: usize,
        sent: Vec<u8>,
    },
}

/// An answer.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: ReplyBody,
    pub delay: Option<Duration>,
}

impl Reply {
    pub fn new(status: u16) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            body: ReplyBody::Bytes(Vec::new()),
            delay: None,
        }
    }

    pub fn json(status: u16, value: serde_json::Value) -> Self {
        Reply::new(status)
            .header("Content-Type", "application/json")
            .body(value.to_string().into_bytes())
    }

    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_owned(), value.into()));
        self
    }

    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = ReplyBody::Bytes(body.into());
        self
    }

    pub fn generated(mut self, offset: u64, len: u64) -> Self {
        self.body = ReplyBody::Generated { offset, len };
        self
    }

    pub fn truncated(mut self, announced: usize, sent: impl Into<Vec<u8>>) -> Self {
        self.body = ReplyBody::Truncated {
            announced,
            sent: sent.into(),
        };
        self
    }

    pub fn trickle(mut self, count: u64, size: u64, gap: Duration) -> Self {
        self.body = ReplyBody::Trickle { count, size, gap };
        self
    }

    pub fn stalled(mut self, announced: usize, sent: impl Into<Vec<u8>>) -> Self {
        self.body = ReplyBody::Stalled {
            announced,
            sent: sent.into(),
        };
        self
    }

    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }
}

/// The byte at `position` of every generated body.
pub fn pattern_byte(position: u64) -> u8 {
    (position % 251) as u8
}

type Handler = dyn Fn(&Recorded) -> Reply + Send + Sync;

/// A running server; stops when dropped.
pub struct Server {
    pub url: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Server {
    /// Every request so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }

    /// Requests to `path` (without query).
    pub fn requests_to(&self, path: &str) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|r| r.path() == path)
            .collect()
    }
}

/// Starts a server on 127.0.0.1 answering with `handler`.
pub async fn serve(handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(Mutex::new(Vec::new()));
    let handler: Arc<Handler> = Arc::new(handler);
    let recorded = requests.clone();
    let task = tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let handler = handler.clone();
            let recorded = recorded.clone();
            tokio::spawn(async move {
                let _ = connection(stream, handler, recorded).await;
            });
        }
    });
    Server {
        url,
        requests,
        task,
    }
}

async fn connection(
    stream: TcpStream,
    handler: Arc<Handler>,
    recorded: Arc<Mutex<Vec<Recorded>>>,
) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::with_capacity(64 * 1024, read);
    loop {
        let Some(request) = read_request(&mut reader).await? else {
            return Ok(());
        };
        recorded.lock().unwrap().push(request.clone());
        let reply = handler(&request);
        if let Some(delay) = reply.delay {
            tokio::time::sleep(delay).await;
        }
        if !write_reply(&mut write, &reply).await? {
            return Ok(());
        }
    }
}

async fn read_request(
    reader: &mut BufReader<tokio::net::tcp::OwnedReadHalf>,
) -> std::io::Result<Option<Recorded>> {
    let mut line = String::new();
    if reader.read_line(&mut line).await? == 0 {
        return Ok(None);
    }
    let at = Instant::now();
    let mut parts = line.trim_end().splitn(3, ' ');
    let method = parts.next().unwrap_or("").to_owned();
    let target = parts.next().unwrap_or("").to_owned();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).await?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
    }
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let mut body = Vec::new();
    if header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size).await?;
            let size = usize::from_str_radix(size.trim().split(';').next().unwrap_or(""), 16)
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
            if size == 0 {
                // Trailers, then the empty line.
                loop {
                    let mut trailer = String::new();
                    reader.read_line(&mut trailer).await?;
                    if trailer.trim_end().is_empty() {
                        break;
                    }
                }
                break;
            }
            let start = body.len();
            body.resize(start + size, 0);
            reader.read_exact(&mut body[start..]).await?;
            let mut crlf = [0u8; 2];
            reader.read_exact(&mut crlf).await?;
        }
    } else if let Some(length) = header("content-length").and_then(|v| v.parse::<usize>().ok()) {
        body.resize(length, 0);
        reader.read_exact(&mut body).await?;
    }
    Ok(Some(Recorded {
        method,
        target,
        headers,
        body,
        at,
    }))
}

/// Writes `reply`; returns whether the connection stays open.
async fn write_reply(
    write: &mut tokio::net::tcp::OwnedWriteHalf,
    reply: &Reply,
) -> std::io::Result<bool> {
    let length = match &reply.body {
        ReplyBody::Bytes(bytes) => bytes.len() as u64,
        ReplyBody::Generated { len, .. } => *len,
        ReplyBody::Truncated { announced, .. } | ReplyBody::Stalled { announced, .. } => {
            *announced as u64
        }
        ReplyBody::Trickle { count, size, .. } => count * size,
    };
    let mut head = format!(
        "HTTP/1.1 {} X\r\nContent-Length: {length}\r\n",
        reply.status
    );
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    write.write_all(head.as_bytes()).await?;
    match &reply.body {
        ReplyBody::Bytes(bytes) => write.write_all(bytes).await?,
        ReplyBody::Generated { offset, len } => {
            // One buffer holding the pattern from any phase: a chunk is a
            // slice of it, so the server's memory stays flat too.
            const CHUNK: usize = 64 * 1024;
            let pattern: Vec<u8> = (0..(CHUNK + 251) as u64).map(pattern_byte).collect();
            let mut position = *offset;
            let end = offset + len;
            while position < end {
                let n = ((end - position) as usize).min(CHUNK);
                let phase = (position % 251) as usize;
                write.write_all(&pattern[phase..phase + n]).await?;
                position += n as u64;
            }
        }
        ReplyBody::Truncated { sent, .. } => {
            write.write_all(sent).await?;
            write.shutdown().await?;
            return Ok(false);
        }
        ReplyBody::Trickle { count, size, gap } => {
            for i in 0..*count {
                if i > 0 {
                    tokio::time::sleep(*gap).await;
                }
                let chunk: Vec<u8> = (i * size..(i + 1) * size).map(pattern_byte).collect();
                write.write_all(&chunk).await?;
                write.flush().await?;
            }
        }
        ReplyBody::Stalled { sent, .. } => {
            write.write_all(sent).await?;
            write.flush().await?;
            tokio::time::sleep(Duration::from_secs(3600)).await;
            return Ok(false);
        }
    }
    write.flush().await?;
    Ok(true)
}

/// An IMF-fixdate for `t` (the `Date` / `Retry-After` header form).
pub fn http_date(t: std::time::SystemTime) -> String {
    let secs = t.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    format!(
        "{}, {d:02} {} {y:04} {:02}:{:02}:{:02} GMT",
        weekdays[(days % 7) as usize],
        months[(m - 1) as usize],
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// An RFC 3339 UTC date-time for `t`.
pub fn rfc3339(t: std::time::SystemTime) -> String {
    // Reuse the HTTP date's calendar: "Sun, 06 Nov 1994 08:49:37 GMT".
    let text = http_date(t);
    let parts: Vec<&str> = text.split(' ').collect();
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = months.iter().position(|m| *m == parts[2]).unwrap() + 1;
    format!("{}-{month:02}-{}T{}Z", parts[3], parts[1], parts[4])
}
