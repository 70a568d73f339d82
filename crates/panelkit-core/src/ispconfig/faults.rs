//! ISPConfig fault codes → [`Error`] classes.
//!
//! The panel throws `SoapFault(code, message)` with codes of its own choosing;
//! these are the ones a caller can act on. Everything else stays a
//! [`Error::Fault`] with code and message intact.

use crate::soap::Fault;
use crate::Error;

/// Shown with `login_failed`: the most common confusion with this API.
pub const LOGIN_HINT: &str =
    "ISPConfig's remote API expects a remote user (System → Remote Users, \
with the functions it may call), not a panel login; note that 10 failed logins in 5 minutes lock \
this IP out";

/// Shown when the panel has locked this IP out.
pub const LOCKOUT_HINT: &str = "the panel locks an IP out for 5 minutes after 10 failed logins \
or failed session lookups; wait before trying again";

/// Codes that mean "the session is gone": log in again once and replay.
pub fn is_session_lost(code: &str) -> bool {
    matches!(code, "session_does_not_exist" | "session_id_empty")
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
    // The panel's lock-out: never retried, and the wait is the fix.
    if matches!(
        code.as_str(),
        "login_failure_limit" | "session_failure_limit"
    ) {
        return Error::Auth {
            code,
            message,
            hint: Some(LOCKOUT_HINT),
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
