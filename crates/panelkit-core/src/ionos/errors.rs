//! How IONOS error answers become [`Error`]s.
//!
//! Every operation declares one `default` response with the schema
//! `Error {httpStatus, messages[{errorCode, message}]}`. The shared
//! [`decode_error`] picks the class from the status (401 auth, 403
//! permission, 404 not found, 400/409/422 validation, 429 rate limited with
//! its `Retry-After`, anything else a fault) and turns bodies that are not
//! JSON (an HTML page from a proxy, an empty or truncated body) into
//! [`Error::UnexpectedResponse`]; this module reads the IONOS body: the first
//! message's `errorCode` is the code, all messages are kept, and the
//! attribute paths IONOS puts in front of validation messages are the fields.

use crate::rest::{decode_error, ErrorBody, ErrorDecoder, HeaderMap};
use crate::Error;

/// Reads IONOS `Error` bodies.
#[derive(Debug, Default)]
pub struct IonosErrors;

impl ErrorDecoder for IonosErrors {
    fn decode(&self, operation: &str, status: u16, headers: &HeaderMap, body: &[u8]) -> Error {
        decode(operation, status, headers, body)
    }
}

/// The error for a non-2xx answer of `operation`.
pub fn decode(operation: &str, status: u16, headers: &HeaderMap, body: &[u8]) -> Error {
    match decode_error(operation, status, headers, body, read_body) {
        Error::Auth {
            code,
            message,
            hint: None,
            status,
        } => Error::Auth {
            code,
            message,
            hint: Some("check IONOS_USERNAME/IONOS_PASSWORD or IONOS_TOKEN"),
            status,
        },
        other => other,
    }
}

/// The spec's `Error` schema; `None` for any other JSON.
fn read_body(value: &serde_json::Value) -> Option<ErrorBody> {
    let object = value.as_object()?;
    let messages = object.get("messages")?.as_array()?;
    if messages.is_empty() && !object.contains_key("httpStatus") {
        return None;
    }
    let text = |m: &serde_json::Value, key: &str| -> Option<String> {
        match m.get(key)? {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    };
    let code = messages
        .iter()
        .find_map(|m| text(m, "errorCode"))
        .unwrap_or_default();
    let texts: Vec<String> = messages.iter().filter_map(|m| text(m, "message")).collect();
    Some(ErrorBody {
        code,
        fields: texts.iter().filter_map(|t| field_of(t)).collect(),
        message: if texts.is_empty() {
            "no message".to_owned()
        } else {
            texts.join("; ")
        },
    })
}

/// The attribute path IONOS puts in front of a validation message
/// (`[(root).properties.cores] Attribute 'cores' is mandatory` →
/// `(root).properties.cores`).
fn field_of(message: &str) -> Option<String> {
    let rest = message.trim_start().strip_prefix('[')?;
    let (inside, _) = rest.split_once(']')?;
    (inside.contains('.') || inside.starts_with("(root)")).then(|| inside.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_body(status: u16, body: &str) -> Error {
        decode("op", status, &HeaderMap::new(), body.as_bytes())
    }

    const BODY: &str = r#"{"httpStatus": 0, "messages": [{"errorCode": "309", "message": "[(root).properties.cores] Attribute is mandatory"}, {"errorCode": "310", "message": "second"}]}"#;

    #[test]
    fn statuses_pick_the_class() {
        assert!(
            matches!(decode_body(401, BODY), Error::Auth { ref code, hint: Some(_), .. } if code == "309")
        );
        assert!(matches!(decode_body(403, BODY), Error::Permission { .. }));
        assert!(matches!(decode_body(404, BODY), Error::NotFound { .. }));
        assert!(matches!(decode_body(429, BODY), Error::RateLimited { .. }));
        assert!(matches!(decode_body(500, BODY), Error::Fault { .. }));
        assert!(matches!(decode_body(402, BODY), Error::Fault { .. }));
        match decode_body(422, BODY) {
            Error::Validation {
                code,
                message,
                fields,
                status,
            } => {
                assert_eq!(code, "309");
                assert_eq!(status, Some(422));
                assert_eq!(fields, vec!["(root).properties.cores".to_owned()]);
                assert!(message.contains("second"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(decode_body(503, BODY).status(), Some(503));
    }

    #[test]
    fn non_ionos_bodies_are_unexpected() {
        for body in [
            "",
            "<html><body>Bad Gateway</body></html>",
            r#"{"httpStatus": 4"#,
            "[]",
            "{}",
            r#"{"messages": 3}"#,
        ] {
            match decode_body(502, body) {
                Error::UnexpectedResponse { status, .. } => assert_eq!(status, Some(502)),
                other => panic!("{body:?}: {other:?}"),
            }
        }
        assert!(matches!(
            decode_body(429, "<html>"),
            Error::RateLimited { .. }
        ));
    }

    #[test]
    fn message_without_code_uses_status() {
        match decode_body(500, r#"{"messages": [{"message": "boom"}]}"#) {
            Error::Fault { code, message, .. } => {
                assert_eq!(code, "500");
                assert_eq!(message, "op: boom");
            }
            other => panic!("{other:?}"),
        }
    }
}
