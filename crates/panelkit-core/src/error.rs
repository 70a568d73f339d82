//! The one error model shared by every panel client.
//!
//! Each variant is a class a caller can act on (re-authenticate, fix input, retry
//! later, report a bug); panel detail (fault code, field keys, body excerpt) rides
//! along. Nothing here ever holds a secret: messages come from the panel or from
//! us, and request parameters are never copied into errors.

use std::fmt;
use std::time::Duration;

/// Result with panelkit's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Longest body excerpt kept in an error, in characters.
pub const EXCERPT_CHARS: usize = 200;

/// Everything that can go wrong talking to a panel.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The panel rejected the credentials or the session (wrong password,
    /// expired session that could not be renewed, locked-out IP).
    Auth {
        /// Panel error code (`login_failed`, `session_does_not_exist`, ...).
        code: String,
        /// The panel's message.
        message: String,
        /// What the user most likely got wrong, when we know.
        hint: Option<&'static str>,
        /// HTTP status, for panels that answer errors with one (REST).
        status: Option<u16>,
    },
    /// Authenticated, but not allowed to do this.
    Permission {
        /// Panel error code.
        code: String,
        /// The panel's message.
        message: String,
        /// HTTP status, for panels that answer errors with one (REST).
        status: Option<u16>,
    },
    /// The object asked for does not exist.
    NotFound {
        /// Panel error code (`no_domain_found`, ...).
        code: String,
        /// The panel's message.
        message: String,
        /// HTTP status, for panels that answer errors with one (REST).
        status: Option<u16>,
    },
    /// The panel refused the input; `fields` names the offending keys.
    Validation {
        /// Panel error code (`data_processing_error`, ...).
        code: String,
        /// The panel's message, as sent.
        message: String,
        /// Field keys or validation keys the panel named.
        fields: Vec<String>,
        /// HTTP status, for panels that answer errors with one (REST).
        status: Option<u16>,
    },
    /// Too many requests (or, on ISPConfig, too many failures: its IP
    /// lockout); try again after `retry_after` if given.
    RateLimited {
        /// The panel's code, when it named one (ISPConfig's
        /// `login_failure_limit`, `session_failure_limit`).
        code: Option<String>,
        /// How long the panel asked us (or the panel's rules tell us) to wait.
        retry_after: Option<Duration>,
        /// The panel's message.
        message: String,
        /// HTTP status, for panels that answer errors with one (REST).
        status: Option<u16>,
    },
    /// Any other error the panel reported in its own protocol.
    Fault {
        /// Panel error code (SOAP faultcode, error type, ...).
        code: String,
        /// The panel's message.
        message: String,
        /// HTTP status, for panels that answer errors with one (REST).
        status: Option<u16>,
    },
    /// The answer was not what the protocol promises: an HTML page, an empty or
    /// truncated body, malformed XML/JSON, a wrong content type or shape.
    UnexpectedResponse {
        /// HTTP status, when the answer came over HTTP.
        status: Option<u16>,
        /// What was wrong with it.
        reason: String,
        /// The start of the body (at most [`EXCERPT_CHARS`] characters).
        excerpt: String,
    },
    /// An asynchronous request the panel accepted and later reported as
    /// failed (IONOS request status `FAILED`).
    RequestFailed {
        /// The panel's request id, to look the request up later.
        request_id: String,
        /// The panel's message.
        message: String,
    },
    /// An operation the panel started on an object (a DCImanager server's
    /// power command, ...) and later reported as failed.
    OperationFailed {
        /// The object it ran on (`server 12`).
        target: String,
        /// The panel's operation id, when it gave one.
        operation: Option<String>,
        /// The operation's status as the panel spelled it.
        status: String,
        /// The panel's explanation (`status_info`), when it gave one.
        message: String,
    },
    /// A wait for a change the caller asked for (an operation to finish, a
    /// state to be reached) passed its deadline; the change may still happen.
    WaitTimeout {
        /// What was awaited (`server 12: power_status on, no operation running`).
        waited_for: String,
        /// The deadline.
        after: Duration,
        /// The last state seen, when any poll succeeded.
        last_seen: Option<String>,
    },
    /// The request never got a complete answer (connect, TLS, I/O).
    Transport {
        /// What failed.
        message: String,
        /// The underlying error.
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
    /// No answer within the time allowed.
    Timeout {
        /// The limit that was exceeded, when known.
        after: Option<Duration>,
    },
    /// The client was configured wrongly (bad URL, unreadable CA file, ...).
    Config {
        /// What is wrong.
        message: String,
    },
    /// A value did not convert to or from JSON (`serde_json::to_value`,
    /// `from_value`, ... in the caller's code): its shape is not what the
    /// type expects. `?` on a `serde_json::Error` gives this.
    Json {
        /// The JSON error.
        source: serde_json::Error,
    },
}

impl From<serde_json::Error> for Error {
    fn from(source: serde_json::Error) -> Self {
        Error::Json { source }
    }
}

impl Error {
    /// HTTP status of the answer that caused this error, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Auth { status, .. }
            | Error::Permission { status, .. }
            | Error::NotFound { status, .. }
            | Error::Validation { status, .. }
            | Error::RateLimited { status, .. }
            | Error::Fault { status, .. }
            | Error::UnexpectedResponse { status, .. } => *status,
            _ => None,
        }
    }

    /// The error class an HTTP status stands for, with the panel's code and
    /// message: 401 auth, 403 permission, 404 not found, 400/409/422
    /// validation, 429 rate limited, any other status a fault. Panels call
    /// it after reading their own error body; `fields` and `retry_after`
    /// are used where the class has them.
    pub fn from_status(
        status: u16,
        code: impl Into<String>,
        message: impl Into<String>,
        fields: Vec<String>,
        retry_after: Option<Duration>,
    ) -> Self {
        let (code, message, status) = (code.into(), message.into(), Some(status));
        match status {
            Some(401) => Error::Auth {
                code,
                message,
                hint: None,
                status,
            },
            Some(403) => Error::Permission {
                code,
                message,
                status,
            },
            Some(404) => Error::NotFound {
                code,
                message,
                status,
            },
            Some(400 | 409 | 422) => Error::Validation {
                code,
                message,
                fields,
                status,
            },
            Some(429) => Error::RateLimited {
                code: None,
                retry_after,
                message,
                status,
            },
            _ => Error::Fault {
                code,
                message,
                status,
            },
        }
    }

    /// How long the panel asked us to wait before trying again, if it said.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::RateLimited { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// A copy for another caller that shares this outcome (single-flight
    /// logins): everything but a transport error's source, whose message is
    /// kept in the text.
    pub fn duplicate(&self) -> Error {
        match self {
            Error::Auth {
                code,
                message,
                hint,
                status,
            } => Error::Auth {
                code: code.clone(),
                message: message.clone(),
                hint: *hint,
                status: *status,
            },
            Error::Permission {
                code,
                message,
                status,
            } => Error::Permission {
                code: code.clone(),
                message: message.clone(),
                status: *status,
            },
            Error::NotFound {
                code,
                message,
                status,
            } => Error::NotFound {
                code: code.clone(),
                message: message.clone(),
                status: *status,
            },
            Error::Validation {
                code,
                message,
                fields,
                status,
            } => Error::Validation {
                code: code.clone(),
                message: message.clone(),
                fields: fields.clone(),
                status: *status,
            },
            Error::RateLimited {
                code,
                retry_after,
                message,
                status,
            } => Error::RateLimited {
                code: code.clone(),
                retry_after: *retry_after,
                message: message.clone(),
                status: *status,
            },
            Error::Fault {
                code,
                message,
                status,
            } => Error::Fault {
                code: code.clone(),
                message: message.clone(),
                status: *status,
            },
            Error::UnexpectedResponse {
                status,
                reason,
                excerpt,
            } => Error::UnexpectedResponse {
                status: *status,
                reason: reason.clone(),
                excerpt: excerpt.clone(),
            },
            Error::Transport { message, source } => Error::Transport {
                message: match source {
                    Some(source) => format!("{message}: {source}"),
                    None => message.clone(),
                },
                source: None,
            },
            Error::RequestFailed {
                request_id,
                message,
            } => Error::RequestFailed {
                request_id: request_id.clone(),
                message: message.clone(),
            },
            Error::Timeout { after } => Error::Timeout { after: *after },
            Error::OperationFailed {
                target,
                operation,
                status,
                message,
            } => Error::OperationFailed {
                target: target.clone(),
                operation: operation.clone(),
                status: status.clone(),
                message: message.clone(),
            },
            Error::WaitTimeout {
                waited_for,
                after,
                last_seen,
            } => Error::WaitTimeout {
                waited_for: waited_for.clone(),
                after: *after,
                last_seen: last_seen.clone(),
            },
            Error::Config { message } => Error::Config {
                message: message.clone(),
            },
            // serde_json::Error is not Clone; the copy keeps its message.
            Error::Json { source } => Error::Json {
                source: serde::de::Error::custom(source),
            },
        }
    }

    /// The panel's error code, for errors the panel reported.
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::Auth { code, .. }
            | Error::Permission { code, .. }
            | Error::NotFound { code, .. }
            | Error::Validation { code, .. }
            | Error::Fault { code, .. } => Some(code),
            Error::RateLimited { code, .. } => code.as_deref(),
            _ => None,
        }
    }

    /// Whether repeating the same request later may succeed.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::RateLimited { .. }
            | Error::Timeout { .. }
            | Error::WaitTimeout { .. }
            | Error::Transport { .. } => true,
            Error::UnexpectedResponse {
                status: Some(s), ..
            }
            | Error::Fault {
                status: Some(s), ..
            } => matches!(s, 502..=504),
            _ => false,
        }
    }

    /// Builds an [`Error::UnexpectedResponse`] with a short, single-line excerpt
    /// of `body`.
    pub fn unexpected(status: Option<u16>, reason: impl Into<String>, body: &[u8]) -> Self {
        Error::UnexpectedResponse {
            status,
            reason: reason.into(),
            excerpt: excerpt(body),
        }
    }

    /// The error with every secret the client sent in the request removed
    /// from its texts (messages, reasons, excerpts): each secret as sent and
    /// as a proxy or firewall page would echo it (URL-encoded, XML- or
    /// JSON-escaped), a prefix of one cut off by an excerpt's end, and any
    /// private key block. Excerpts stay bounded. Secrets shorter than four
    /// characters are left alone (they would erase ordinary words).
    pub fn scrub<S: AsRef<str>>(mut self, secrets: &[S]) -> Self {
        let forms = crate::redact::sent_forms(secrets);
        let clean = |text: &mut String| *text = crate::redact::scrub_text(text, &forms);
        match &mut self {
            Error::Auth { code, message, .. }
            | Error::Permission { code, message, .. }
            | Error::NotFound { code, message, .. }
            | Error::Validation { code, message, .. }
            | Error::Fault { code, message, .. } => {
                clean(code);
                clean(message);
            }
            Error::RateLimited { message, .. }
            | Error::RequestFailed { message, .. }
            | Error::OperationFailed { message, .. }
            | Error::Transport { message, .. }
            | Error::Config { message } => clean(message),
            Error::UnexpectedResponse {
                reason, excerpt, ..
            } => {
                clean(reason);
                clean(excerpt);
                if excerpt.chars().count() > EXCERPT_CHARS + 1 {
                    *excerpt = excerpt.chars().take(EXCERPT_CHARS).chain(['…']).collect();
                }
            }
            Error::WaitTimeout { last_seen, .. } => {
                if let Some(text) = last_seen {
                    clean(text);
                }
            }
            // Raised by the caller's own conversions, never built from a
            // request or an answer the client sent secrets with.
            Error::Timeout { .. } | Error::Json { .. } => {}
        }
        self
    }

    /// Builds an [`Error::Transport`] from any error.
    pub fn transport(
        message: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Error::Transport {
            message: message.into(),
            source: Some(source.into()),
        }
    }

    /// Builds an [`Error::Config`].
    pub fn config(message: impl Into<String>) -> Self {
        Error::Config {
            message: message.into(),
        }
    }
}

/// The first [`EXCERPT_CHARS`] characters of `body`, lossily decoded, with
/// whitespace runs collapsed so the excerpt fits on one line.
pub fn excerpt(body: &[u8]) -> String {
    let head = &body[..body.len().min(EXCERPT_CHARS * 4)];
    let text = String::from_utf8_lossy(head);
    let mut out = String::new();
    let mut chars = 0;
    let mut last_space = false;
    for c in text.chars() {
        if chars == EXCERPT_CHARS {
            out.push('…');
            break;
        }
        let c = if c.is_whitespace() || c.is_control() {
            ' '
        } else {
            c
        };
        if c == ' ' && last_space {
            continue;
        }
        last_space = c == ' ';
        out.push(c);
        chars += 1;
    }
    out.trim().to_owned()
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Auth {
                code,
                message,
                hint,
                ..
            } => {
                write!(f, "authentication failed ({code}): {message}")?;
                if let Some(hint) = hint {
                    write!(f, " — {hint}")?;
                }
                Ok(())
            }
            Error::Permission { code, message, .. } => {
                write!(f, "permission denied ({code}): {message}")
            }
            Error::NotFound { code, message, .. } => write!(f, "not found ({code}): {message}"),
            Error::Validation {
                code,
                message,
                fields,
                ..
            } => {
                write!(f, "validation failed ({code})")?;
                if fields.is_empty() {
                    write!(f, ": {message}")
                } else {
                    write!(f, ": {}", fields.join(", "))
                }
            }
            Error::RateLimited {
                code,
                retry_after,
                message,
                ..
            } => {
                write!(f, "rate limited")?;
                if let Some(code) = code {
                    write!(f, " ({code})")?;
                }
                write!(f, ": {message}")?;
                if let Some(d) = retry_after {
                    write!(f, " (retry after {} s)", d.as_secs_f64())?;
                }
                Ok(())
            }
            Error::Fault { code, message, .. } => write!(f, "panel fault {code}: {message}"),
            Error::UnexpectedResponse {
                status,
                reason,
                excerpt,
            } => {
                write!(f, "unexpected response")?;
                if let Some(s) = status {
                    write!(f, " (HTTP {s})")?;
                }
                write!(f, ": {reason}")?;
                if !excerpt.is_empty() {
                    write!(f, "; body starts: {excerpt:?}")?;
                }
                Ok(())
            }
            Error::RequestFailed {
                request_id,
                message,
            } => write!(f, "request {request_id} failed: {message}"),
            Error::OperationFailed {
                target,
                operation,
                status,
                message,
            } => {
                write!(f, "{target}: operation")?;
                if let Some(id) = operation {
                    write!(f, " {id}")?;
                }
                write!(f, " ended {status}")?;
                if !message.is_empty() {
                    write!(f, ": {message}")?;
                }
                Ok(())
            }
            Error::WaitTimeout {
                waited_for,
                after,
                last_seen,
            } => {
                write!(
                    f,
                    "gave up after {} s waiting for {waited_for}",
                    after.as_secs_f64()
                )?;
                if let Some(last) = last_seen {
                    write!(f, " (last seen: {last})")?;
                }
                Ok(())
            }
            Error::Transport { message, source } => {
                write!(f, "transport error: {message}")?;
                if let Some(source) = source {
                    write!(f, ": {source}")?;
                }
                Ok(())
            }
            Error::Timeout { after: Some(d) } => write!(f, "timed out after {} s", d.as_secs_f64()),
            Error::Timeout { after: None } => write!(f, "timed out"),
            Error::Config { message } => write!(f, "configuration error: {message}"),
            Error::Json { source } => write!(f, "JSON conversion failed: {source}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport {
                source: Some(s), ..
            } => Some(s.as_ref()),
            Error::Json { source } => Some(source),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_errors_convert_with_their_source() {
        fn decode(text: &str) -> Result<u32> {
            Ok(serde_json::from_str::<u32>(text)?)
        }
        let error = decode("\"x\"").unwrap_err();
        assert!(matches!(error, Error::Json { .. }), "{error:?}");
        assert!(error
            .to_string()
            .starts_with("JSON conversion failed: invalid type"));
        let source = std::error::Error::source(&error).expect("the JSON error");
        assert!(source.is::<serde_json::Error>());
        assert_eq!(error.duplicate().to_string(), error.to_string());
        assert!(!error.is_retryable());
    }

    #[test]
    fn excerpt_is_short_and_single_line() {
        let body = format!("<html>\n  <body>{}</body></html>", "x".repeat(1000));
        let e = excerpt(body.as_bytes());
        assert!(e.chars().count() <= EXCERPT_CHARS + 1);
        assert!(!e.contains('\n'));
        assert!(e.starts_with("<html> <body>xxx"));
    }

    #[test]
    fn excerpt_survives_invalid_utf8() {
        assert_eq!(excerpt(&[0xff, b'a']), "\u{fffd}a");
    }

    #[test]
    fn operation_failures_and_wait_timeouts_read_well_and_duplicate() {
        let failed = Error::OperationFailed {
            target: "server 12".into(),
            operation: Some("77".into()),
            status: "failed".into(),
            message: "BMC did not answer".into(),
        };
        assert_eq!(
            failed.to_string(),
            "server 12: operation 77 ended failed: BMC did not answer"
        );
        assert!(!failed.is_retryable());
        assert_eq!(failed.duplicate().to_string(), failed.to_string());
        let waited = Error::WaitTimeout {
            waited_for: "server 12: power_on".into(),
            after: Duration::from_secs(5),
            last_seen: Some("power off".into()),
        };
        assert_eq!(
            waited.to_string(),
            "gave up after 5 s waiting for server 12: power_on (last seen: power off)"
        );
        assert!(waited.is_retryable());
        assert_eq!(waited.duplicate().to_string(), waited.to_string());
    }

    #[test]
    fn retryable_classes() {
        assert!(Error::Timeout { after: None }.is_retryable());
        assert!(!Error::Fault {
            code: "x".into(),
            message: "y".into(),
            status: None,
        }
        .is_retryable());
        assert!(Error::unexpected(Some(503), "busy", b"").is_retryable());
        assert!(!Error::unexpected(Some(200), "html", b"<html>").is_retryable());
    }
}
