//! ISPConfig fault codes → [`Error`] classes.
//!
//! The panel throws `SoapFault(code, message)` with codes of its own choosing;
//! these are the ones a caller can act on. Everything else stays a
//! [`Error::Fault`] with code and message intact.

use std::time::Duration;

use crate::soap::Fault;
use crate::Error;

/// Shown with `login_failed`: the most common confusion with this API.
pub const LOGIN_HINT: &str =
    "ISPConfig's remote API expects a remote user (System → Remote Users, \
with the functions it may call), not a panel login; note that 10 failed logins in 5 minutes lock \
this IP out";

/// Shown when the panel has locked this IP out.
pub const LOCKOUT_HINT: &str = "ISPConfig counts failed logins and calls with an unknown or \
expired session id per client IP and, at 10 within 5 minutes, refuses every login and call from \
that IP (every tool on it) until 5 minutes after the last one it counted; a client cannot see \
when that was, so this one sends nothing to the panel for 5 minutes from the refusal it saw \
(Session::reset_lockout or a new client sends sooner; an admin can end the lockout at once by \
deleting the IP's row in attempts_login)";

/// The panel's lockout window: failures older than this are not counted,
/// and a lockout ends this long after the last counted failure.
pub const LOCKOUT_WINDOW: Duration = Duration::from_secs(300);

/// How long a client holds its calls after the panel refused its IP: the
/// window from the refusal (the last counted failure came before it), plus a
/// few seconds for failures still being counted by calls that were on the
/// wire at that moment and for the panel's one-second clock.
pub const LOCKOUT_HOLD: Duration = Duration::from_secs(300 + 5);

/// Codes that mean "the session is gone": log in again once and replay.
pub fn is_session_lost(code: &str) -> bool {
    matches!(code, "session_does_not_exist" | "session_id_empty")
}

/// Codes of the panel's IP lockout (`attempts_login` reached 10 within 5
/// minutes): `login_failure_limit` on login, `session_failure_limit` on any
/// call with a session id, valid or not.
pub fn is_lockout(code: &str) -> bool {
    matches!(code, "login_failure_limit" | "session_failure_limit")
}

/// Classifies a fault the panel sent.
pub fn classify(fault: Fault) -> Error {
    let Fault { code, message, .. } = fault;
    let lower_code = code.to_ascii_lowercase();
    if code == "login_failed" {
        return Error::Auth {
            code,
            message,
            hint: Some(LOGIN_HINT),
            status: None,
        };
    }
    // The panel's lockout: a rate limit on failures. Never retried at once;
    // the wait is the fix, and the client's gate holds calls that long.
    if is_lockout(&code) {
        return Error::RateLimited {
            code: Some(code),
            retry_after: Some(LOCKOUT_HOLD),
            message: format!("{message} — {LOCKOUT_HINT}"),
            status: None,
        };
    }
    if is_session_lost(&code) {
        return Error::Auth {
            code,
            message,
            hint: None,
            status: None,
        };
    }
    // The panel spells it both `permission_denied` and "permission denied".
    if lower_code.replace(' ', "_") == "permission_denied" {
        return Error::Permission {
            code,
            message,
            status: None,
        };
    }
    if lower_code.starts_with("no_") && lower_code.ends_with("_found") {
        return Error::NotFound {
            code,
            message,
            status: None,
        };
    }
    if code == "data_processing_error" {
        let fields = validation_keys(&message);
        return Error::Validation {
            code,
            message,
            fields,
            status: None,
        };
    }
    if code == "invalid_id" {
        return Error::Validation {
            code,
            message,
            fields: vec!["primary_id".to_owned()],
            status: None,
        };
    }
    Error::Fault {
        code,
        message,
        status: None,
    }
}

/// `data_processing_error` lists the failed validators as
/// `key1<br />\r\nkey2<br />\r\n`; some forms add prose after a colon.
fn validation_keys(message: &str) -> Vec<String> {
    message
        .split("<br />")
        .map(|part| part.trim())
        .filter(|part| !part.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fault(code: &str, message: &str) -> Fault {
        Fault {
            code: code.into(),
            message: message.into(),
            detail: None,
        }
    }

    #[test]
    fn login_failed_is_auth_with_remote_user_hint() {
        let e = classify(fault(
            "login_failed",
            "The login failed. Username or password wrong.",
        ));
        assert!(matches!(e, Error::Auth { hint: Some(_), .. }));
        assert!(e.to_string().contains("System → Remote Users"));
    }

    #[test]
    fn lockout_is_rate_limited_with_the_panel_code_and_the_wait() {
        for code in ["login_failure_limit", "session_failure_limit"] {
            let e = classify(fault(code, "The login failure limit has been reached."));
            assert!(matches!(e, Error::RateLimited { .. }), "{e:?}");
            assert_eq!(e.code(), Some(code));
            assert_eq!(e.retry_after(), Some(LOCKOUT_HOLD));
            assert!(e.is_retryable());
            let text = e.to_string();
            assert!(text.contains("The login failure limit has been reached."));
            assert!(text.contains("5 minutes"), "{text}");
        }
        assert!(!is_lockout("login_failed"));
    }

    #[test]
    fn permission_both_spellings() {
        assert!(matches!(
            classify(fault("permission_denied", "x")),
            Error::Permission { .. }
        ));
        assert!(matches!(
            classify(fault("permission denied", "x")),
            Error::Permission { .. }
        ));
    }

    #[test]
    fn not_found_family() {
        assert!(matches!(
            classify(fault("no_domain_found", "x")),
            Error::NotFound { .. }
        ));
        assert!(matches!(
            classify(fault("no_client_found", "x")),
            Error::NotFound { .. }
        ));
    }

    #[test]
    fn data_processing_error_splits_keys() {
        let e = classify(fault(
            "data_processing_error",
            "ip_error_wrong<br />\r\nname_error_empty<br />\r\n",
        ));
        match e {
            Error::Validation { fields, .. } => {
                assert_eq!(fields, ["ip_error_wrong", "name_error_empty"])
            }
            other => panic!("expected validation, got {other:?}"),
        }
    }

    #[test]
    fn broken_upstream_throw_stays_a_fault() {
        let e = classify(fault(
            "Server",
            "SoapFault::__construct() expects at least 2 arguments, 1 given",
        ));
        assert!(matches!(e, Error::Fault { ref code, .. } if code == "Server"));
        assert!(matches!(
            classify(fault("Invalid reseller", "x")),
            Error::Fault { .. }
        ));
    }
}
