//! Reading DCImanager 6 error answers: `{"error": {"code", "msg", "value"}}`.
//!
//! The documentation names one code, 3001 ("Unauthorized": the token is
//! missing, wrong or was deleted after 60 idle minutes), read as
//! [`Error::Auth`] whatever the status. Everything else is classified by the
//! HTTP status the panel sent with it ([`Error::from_status`]), keeping the
//! panel's code and message, and the keys of `value` as validation fields.

use serde::Deserialize;
use serde_json::Value;

use crate::rest::{ErrorDecoder, HeaderMap};
use crate::Error;

/// The panel's "unauthorized" code.
pub const UNAUTHORIZED: i64 = 3001;

/// The [`ErrorDecoder`] of DCImanager 6.
#[derive(Debug, Default)]
pub struct DciErrors;

#[derive(Deserialize)]
struct Envelope {
    error: Body,
}

#[derive(Deserialize)]
struct Body {
    code: Option<Value>,
    msg: Option<Value>,
    #[serde(default)]
    value: Value,
}

impl ErrorDecoder for DciErrors {
    fn decode(&self, operation: &str, status: u16, headers: &HeaderMap, body: &[u8]) -> Error {
        match serde_json::from_slice::<Envelope>(body) {
            Ok(envelope) => classify(status, headers, envelope.error),
            Err(_) => Error::unexpected(Some(status), describe(operation, status, body), body),
        }
    }
}

/// Why a body that is not the panel's error object came back.
fn describe(operation: &str, status: u16, body: &[u8]) -> String {
    let trimmed = body.trim_ascii_start();
    let what = if body.is_empty() {
        "an empty body"
    } else if trimmed.starts_with(b"<") {
        "an HTML page"
    } else if trimmed.starts_with(b"{") || trimmed.starts_with(b"[") {
        "JSON that is not the panel's error object (truncated?)"
    } else {
        "a body that is not JSON"
    };
    let hint = if status == 503 {
        " (the panel suspends idle services and answers 503 until they are up)"
    } else {
        ""
    };
    format!("{operation}: HTTP {status} with {what}{hint}")
}

fn text(value: Option<Value>) -> String {
    match value {
        Some(Value::String(s)) => s,
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

fn classify(status: u16, headers: &HeaderMap, body: Body) -> Error {
    let numeric = body.code.as_ref().and_then(|c| match c {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    });
    let code = match (&numeric, body.code) {
        (Some(n), _) => n.to_string(),
        (None, other) => text(other),
    };
    let message = text(body.msg);
    if numeric == Some(UNAUTHORIZED) || status == 401 {
        return Error::Auth {
            code,
            message,
            hint: Some("the token is missing, wrong, or was deleted after 60 idle minutes"),
            status: Some(status),
        };
    }
    let retry_after = crate::rest::retry_after(headers, std::time::SystemTime::now());
    Error::from_status(status, code, message, fields_of(&body.value), retry_after)
}

/// The field names an error's `value` points at: the keys of an object, the
/// strings of a list, or the string itself.
fn fields_of(value: &Value) -> Vec<String> {
    match value {
        Value::Object(map) => map.keys().cloned().collect(),
        Value::Array(items) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        Value::String(s) if !s.is_empty() => vec![s.clone()],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(status: u16, body: &str) -> Error {
        DciErrors.decode("op", status, &HeaderMap::new(), body.as_bytes())
    }

    #[test]
    fn unauthorized_is_auth() {
        let e = decode(401, r#"{"error":{"code":3001,"msg":"Unauthorized"}}"#);
        assert!(
            matches!(&e, Error::Auth { code, message, .. } if code == "3001" && message == "Unauthorized")
        );
        // The code decides even with another status.
        assert!(matches!(
            decode(400, r#"{"error":{"code":3001,"msg":"x"}}"#),
            Error::Auth { .. }
        ));
    }

    #[test]
    fn statuses_classify() {
        assert!(matches!(
            decode(403, r#"{"error":{"code":7,"msg":"no"}}"#),
            Error::Permission { .. }
        ));
        assert!(
            matches!(decode(404, r#"{"error":{"code":"x","msg":"gone"}}"#), Error::NotFound { code, .. } if code == "x")
        );
        let e = decode(
            400,
            r#"{"error":{"code":1,"msg":"bad","value":{"email":"taken"}}}"#,
        );
        assert!(matches!(&e, Error::Validation { fields, .. } if fields == &["email"]));
        let e = decode(500, r#"{"error":{"code":42,"msg":"boom"}}"#);
        assert!(
            matches!(&e, Error::Fault { code, message, .. } if code == "42" && message == "boom")
        );
    }

    #[test]
    fn non_error_bodies_are_unexpected_with_an_excerpt() {
        for (body, says) in [
            ("<html><body>502 Bad Gateway</body></html>", "HTML page"),
            ("", "empty body"),
            (r#"{"error":{"code":1,"ms"#, "truncated"),
            ("Service Unavailable", "not JSON"),
        ] {
            match decode(503, body) {
                Error::UnexpectedResponse {
                    status,
                    reason,
                    excerpt,
                } => {
                    assert_eq!(status, Some(503));
                    assert!(reason.contains(says), "{reason}");
                    assert!(reason.contains("suspends"), "{reason}");
                    assert_eq!(excerpt, crate::error::excerpt(body.as_bytes()));
                }
                other => panic!("{other:?}"),
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics(status in 100u16..600, body in proptest::collection::vec(proptest::num::u8::ANY, 0..200)) {
            let _ = DciErrors.decode("op", status, &HeaderMap::new(), &body);
        }

        #[test]
        fn any_json_value_never_panics(code in proptest::option::of(".*"), msg in ".*", n in proptest::num::i64::ANY) {
            let body = serde_json::json!({"error": {"code": code, "msg": msg, "value": {"n": n}}});
            let _ = DciErrors.decode("op", 400, &HeaderMap::new(), body.to_string().as_bytes());
        }
    }
}
