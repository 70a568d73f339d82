//! Why a command failed, and the exit code each class of failure gets, so
//! scripts can tell "fix your input" from "log in again" from "try again later".

use std::fmt;

use panelkit_core::Error;

/// Exit codes by failure class (1 is anything unclassed, 2 is clap's usage error).
pub mod code {
    /// A usage error: clap's own code, also for a `--columns` the answer lacks.
    pub const USAGE: u8 = 2;
    /// Bad configuration or unreadable/unwritable local files.
    pub const CONFIG: u8 = 3;
    /// Credentials or session rejected.
    pub const AUTH: u8 = 4;
    /// Not allowed.
    pub const PERMISSION: u8 = 5;
    /// No such object.
    pub const NOT_FOUND: u8 = 6;
    /// The panel refused the input.
    pub const VALIDATION: u8 = 7;
    /// Rate limited: try again later. Also ISPConfig's IP lockout
    /// (`login_failure_limit`, `session_failure_limit`): the message says
    /// how long until it clears, and the client sent nothing meanwhile.
    pub const RATE_LIMITED: u8 = 8;
    /// The panel reported another error.
    pub const FAULT: u8 = 9;
    /// The answer was not what the protocol promises.
    pub const UNEXPECTED: u8 = 10;
    /// Network trouble or a timeout: try again later.
    pub const TRANSPORT: u8 = 11;
    /// Some items of a batch failed (others succeeded).
    pub const PARTIAL: u8 = 12;
}

/// Every exit code with its meaning, as `panelctl --help` lists them.
pub const CODES: &[(u8, &str)] = &[
    (0, "success"),
    (1, "any other failure"),
    (
        code::USAGE,
        "usage error (unknown option, missing argument, unknown column)",
    ),
    (code::CONFIG, "configuration or local file problem"),
    (code::AUTH, "credentials or session rejected"),
    (code::PERMISSION, "not allowed"),
    (code::NOT_FOUND, "no such object"),
    (code::VALIDATION, "the panel refused the input"),
    (
        code::RATE_LIMITED,
        "rate limited or locked out: try again later",
    ),
    (code::FAULT, "the panel reported another error"),
    (code::UNEXPECTED, "an answer the protocol does not allow"),
    (code::TRANSPORT, "network trouble or a timeout"),
    (
        code::PARTIAL,
        "partly done: some items failed or were skipped",
    ),
];

/// A failed command.
#[derive(Debug)]
pub struct Failure {
    message: String,
    code: u8,
}

impl Failure {
    /// A configuration or local-file failure.
    pub fn config(message: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            code: code::CONFIG,
        }
    }

    /// A failure of class `code` (one of [`code`]).
    pub fn with_code(code: u8, message: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            code,
        }
    }

    /// Some items of a batch failed.
    pub fn partial(message: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            code: code::PARTIAL,
        }
    }

    /// The process exit code.
    pub fn exit_code(&self) -> u8 {
        self.code
    }
}

/// The exit code for a panel error.
pub fn code_of(error: &Error) -> u8 {
    match error {
        Error::Auth { .. } => code::AUTH,
        Error::Permission { .. } => code::PERMISSION,
        Error::NotFound { .. } => code::NOT_FOUND,
        Error::Validation { .. } => code::VALIDATION,
        Error::RateLimited { .. } => code::RATE_LIMITED,
        Error::Fault { .. } | Error::OperationFailed { .. } => code::FAULT,
        // A JSON conversion that failed: the answer was not of the shape expected.
        Error::UnexpectedResponse { .. } | Error::Json { .. } => code::UNEXPECTED,
        Error::Transport { .. } | Error::Timeout { .. } | Error::WaitTimeout { .. } => {
            code::TRANSPORT
        }
        Error::Config { .. } => code::CONFIG,
        // Error is non-exhaustive: a class added later is at least a failure.
        #[allow(unreachable_patterns)]
        _ => 1,
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure {
            code: code_of(&error),
            message: error.to_string(),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// A doctor report as the command's answer, or — when a probe failed — the
/// report printed and the failure class of its first error.
pub fn doctor(report: panelkit::doctor::Report) -> Result<serde_json::Value, Failure> {
    let value = serde_json::to_value(&report)
        .map_err(|e| Failure::config(format!("cannot show the report: {e}")))?;
    match report.first_error {
        None => Ok(value),
        Some(error) => {
            println!(
                "{}",
                serde_json::to_string_pretty(&value).unwrap_or_default()
            );
            let failed = report.probes.iter().filter(|p| !p.ok).count();
            Err(Failure {
                message: format!(
                    "{} doctor: {failed} of {} probes failed: {error}",
                    report.panel,
                    report.probes.len()
                ),
                code: code_of(&error),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_error_class_has_its_own_code() {
        let errors = [
            Error::Auth {
                status: None,
                code: "login_failed".into(),
                message: "x".into(),
                hint: None,
            },
            Error::Permission {
                status: None,
                code: "p".into(),
                message: "x".into(),
            },
            Error::NotFound {
                status: None,
                code: "n".into(),
                message: "x".into(),
            },
            Error::Validation {
                status: None,
                code: "v".into(),
                message: "x".into(),
                fields: vec![],
            },
            Error::RateLimited {
                code: None,
                status: None,
                retry_after: None,
                message: "x".into(),
            },
            Error::Fault {
                status: None,
                code: "f".into(),
                message: "x".into(),
            },
            Error::unexpected(Some(200), "html", b"<html>"),
            Error::Timeout { after: None },
            Error::config("bad"),
            Error::OperationFailed {
                target: "server 1".into(),
                operation: None,
                status: "failed".into(),
                message: String::new(),
            },
            Error::WaitTimeout {
                waited_for: "server 1".into(),
                after: std::time::Duration::from_secs(1),
                last_seen: None,
            },
        ];
        let codes: Vec<u8> = errors.iter().map(code_of).collect();
        assert_eq!(codes, [4, 5, 6, 7, 8, 9, 10, 11, 3, 9, 11]);
        let f = Failure::from(Error::config("no such file"));
        assert_eq!(f.exit_code(), code::CONFIG);
        assert_eq!(f.to_string(), "configuration error: no such file");
    }

    #[test]
    fn an_ispconfig_lockout_is_rate_limited_and_says_when_it_clears() {
        let lockout = panelkit_core::ispconfig::faults::classify(panelkit_core::soap::Fault {
            code: "login_failure_limit".into(),
            message: "The login failure limit has been reached.".into(),
            detail: None,
        });
        let f = Failure::from(lockout);
        assert_eq!(f.exit_code(), code::RATE_LIMITED);
        let text = f.to_string();
        assert!(
            text.starts_with("rate limited (login_failure_limit): The login failure limit"),
            "{text}"
        );
        assert!(text.contains("5 minutes"), "{text}");
        assert!(text.ends_with("(retry after 305 s)"), "{text}");
    }
}
