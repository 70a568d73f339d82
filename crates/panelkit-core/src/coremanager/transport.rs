//! How a call reaches the panel: over HTTPS, or through the local `mgrctl`.
//!
//! Both sit behind [`Transport`], a trait object, so the client, the generated
//! crate and the tests do not care which one carries the call.

use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::time::Duration;

use bytes::Bytes;

use super::document::Format;
use super::request::{form_encode, Request};
use crate::http::{HttpRequest, HttpTransport};
use crate::{Error, Result};

/// A boxed, sendable future (the trait must stay object-safe).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// One call as it goes on the wire: the request with the parameters the client
/// adds (`auth`/`authinfo`, `su`, `lang`) and the output format.
#[derive(Clone, Debug)]
pub struct Call {
    /// Function and parameters.
    pub request: Request,
    /// `out=` format.
    pub format: Format,
}

/// The raw answer.
#[derive(Clone, Debug)]
pub struct Reply {
    /// HTTP status, when the call went over HTTP.
    pub status: Option<u16>,
    /// `Content-Type`, when known.
    pub content_type: Option<String>,
    /// The body (mgrctl: its standard output).
    pub body: Bytes,
}

/// Carries calls to a panel.
pub trait Transport: Send + Sync + fmt::Debug {
    /// Sends one call and returns the whole answer.
    fn send<'a>(&'a self, call: &'a Call) -> BoxFuture<'a, Result<Reply>>;

    /// Whether the transport is authenticated by itself, so the client adds no
    /// credentials (`mgrctl` runs with the invoking user's rights).
    fn self_authenticating(&self) -> bool {
        false
    }
}

/// HTTPS to `https://host:1500/<mgr>`: every call is a `POST` with a
/// form-encoded body, so passwords, `authinfo` and session ids never appear in
/// URLs, proxy logs or the panel's access log.
#[derive(Clone, Debug)]
pub struct HttpEndpoint {
    transport: HttpTransport,
    url: String,
}

impl HttpEndpoint {
    /// Calls go to `url` (`https://HOST:1500/ispmgr`) through `transport`.
    pub fn new(transport: HttpTransport, url: impl Into<String>) -> Self {
        HttpEndpoint {
            transport,
            url: url.into(),
        }
    }

    /// The endpoint URL.
    pub fn url(&self) -> &str {
        &self.url
    }
}

/// The form body of a call: `func`, `out`, then the parameters.
pub fn form_body(call: &Call) -> String {
    let mut body = format!(
        "func={}&out={}",
        form_encode(call.request.func()),
        call.format.as_param()
    );
    for (name, value) in call.request.params() {
        body.push('&');
        body.push_str(&form_encode(name));
        body.push('=');
        body.push_str(&form_encode(value.expose()));
    }
    body
}

impl Transport for HttpEndpoint {
    fn send<'a>(&'a self, call: &'a Call) -> BoxFuture<'a, Result<Reply>> {
        Box::pin(async move {
            let request = HttpRequest::post(self.url.clone(), form_body(call))
                .header("Content-Type", "application/x-www-form-urlencoded");
            let response = self.transport.send(request).await?;
            Ok(Reply {
                status: Some(response.status),
                content_type: response.content_type().map(str::to_owned),
                body: response.body,
            })
        })
    }
}

/// The default location of `mgrctl` on a panel host.
pub const MGRCTL: &str = "/usr/local/mgr5/sbin/mgrctl";

/// The panel's local command-line client: `mgrctl -m <mgr> -o json FUNC k=v …`.
///
/// It needs no password: the panel trusts the invoking user (root, or a panel
/// user acting through `su=`). Parameters are command-line arguments, which
/// other local users can see in the process list while it runs; prefer the
/// HTTP transport for calls that carry passwords on shared hosts.
#[derive(Clone, Debug)]
pub struct Mgrctl {
    program: PathBuf,
    manager: String,
    timeout: Duration,
}

impl Mgrctl {
    /// `mgrctl` at [`MGRCTL`] for manager `manager` (`ispmgr`, `billmgr`, ...),
    /// with a 300 s timeout.
    pub fn new(manager: impl Into<String>) -> Self {
        Mgrctl {
            program: PathBuf::from(MGRCTL),
            manager: manager.into(),
            timeout: Duration::from_secs(300),
        }
    }

    /// Runs this program instead (a `mgrctl` elsewhere, or a name found on `PATH`).
    pub fn program(mut self, program: impl Into<PathBuf>) -> Self {
        self.program = program.into();
        self
    }

    /// Kills the process after this long.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The manager name.
    pub fn manager(&self) -> &str {
        &self.manager
    }

    /// The arguments for a call (secrets included: they go to the child only).
    pub fn args(&self, call: &Call) -> Vec<String> {
        let mut args = vec![
            "-m".to_owned(),
            self.manager.clone(),
            "-o".to_owned(),
            call.format.as_param().to_owned(),
            call.request.func().to_owned(),
        ];
        for (name, value) in call.request.params() {
            args.push(format!("{name}={}", value.expose()));
        }
        args
    }
}

impl Transport for Mgrctl {
    fn send<'a>(&'a self, call: &'a Call) -> BoxFuture<'a, Result<Reply>> {
        Box::pin(async move {
            let mut command = tokio::process::Command::new(&self.program);
            command
                .args(self.args(call))
                .stdin(std::process::Stdio::null())
                .kill_on_drop(true);
            let output = tokio::time::timeout(self.timeout, command.output())
                .await
                .map_err(|_| Error::Timeout {
                    after: Some(self.timeout),
                })?
                .map_err(|e| Error::Transport {
                    message: format!("cannot run {}: {e}", self.program.display()),
                    source: None,
                })?;
            // An error document on stdout says more than the exit status.
            let stdout_empty = output.stdout.iter().all(u8::is_ascii_whitespace);
            if !output.status.success() && stdout_empty {
                return Err(Error::Transport {
                    message: format!(
                        "{} exited with {}: {}",
                        self.program.display(),
                        output.status,
                        crate::error::excerpt(&output.stderr)
                    ),
                    source: None,
                });
            }
            Ok(Reply {
                status: None,
                content_type: None,
                body: output.stdout.into(),
            })
        })
    }

    fn self_authenticating(&self) -> bool {
        true
    }
}
