//! How IONOS error answers become [`Error`]s.
//!
//! Every operation declares one `default` response with the schema
//! `Error {httpStatus, messages[{errorCode, message}]}`. The status picks the
//! class (401 auth, 403 permission, 404 not found, 422 validation, 429 rate
//! limited, anything else a fault); the first message's `errorCode` is the
//! code and all messages are kept. An answer that is not that JSON (an HTML
//! page from a proxy, an empty or truncated body) is an
//! [`Error::UnexpectedResponse`] with the status and an excerpt — except a 429,
//! which stays [`Error::RateLimited`] whatever its body, because the header is
//! what a retry needs.

use std::time::Duration;

use serde::Deserialize;

use crate::rest::{ErrorDecoder, HeaderMap};
use crate::Error;

/// The spec's `Error` schema.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ErrorBody {
    #[serde(default)]
    http_status: Option<i64>,
    messages: Vec<ErrorMessage>,
}

/// The spec's `ErrorMessage` schema.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ErrorMessage {
    #[serde(default)]
    error_code: Option<String>,
    #[serde(default)]
    message: Option<String>,
}

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
    let parsed = serde_json::from_slice::<ErrorBody>(body)
        .ok()
        .filter(|b| !b.messages.is_empty() || b.http_status.is_some());
    let Some(parsed) = parsed else {
        if status == 429 {
            return Error::RateLimited {
                retry_after: retry_after(headers),
                message: format!("{operation}: HTTP 429"),
            };
        }
        return Error::unexpected(
            Some(status),
            format!("{operation}: HTTP {status} without an IONOS error body"),
            body,
        );
    };
    let code = parsed
        .messages
        .iter()
        .find_map(|m| m.error_code.clone())
        .unwrap_or_else(|| status.to_string());
    let texts: Vec<&str> = parsed
        .messages
        .iter()
        .filter_map(|m| m.message.as_deref())
        .collect();
    let message = if texts.is_empty() {
        format!("{operation}: HTTP {status}")
    } else {
        format!("{operation}: {}", texts.join("; "))
    };
    match status {
        401 => Error::Auth {
            code,
            message,
            hint: Some("check IONOS_USERNAME/IONOS_PASSWORD or IONOS_TOKEN"),
        },
        403 => Error::Permission { code, message },
        404 => Error::NotFound { code, message },
        422 => Error::Validation {
            code,
            fields: texts.iter().filter_map(|t| field_of(t)).collect(),
            message,
        },
        429 => Error::RateLimited {
            retry_after: retry_after(headers),
            message,
        },
        _ => Error::Fault { code, message },
    }
}

/// The attribute path IONOS puts in front of a validation message
/// (`[(root).properties.cores] Attribute 'cores' is mandatory` →
/// `(root).properties.cores`).
fn field_of(message: &str) -> Option<String> {
    let rest = message.trim_start().strip_prefix('[')?;
    let (inside, _) = rest.split_once(']')?;
    (inside.contains('.') || inside.starts_with("(root)")).then(|| inside.to_owned())
}

/// The `Retry-After` header as a delay.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get("retry-after")?.to_str().ok()?.trim();
    value.parse::<u64>().ok().map(Duration::from_secs)
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
        assert!(matches!(decode_body(401, BODY), Error::Auth { ref code, .. } if code == "309"));
        assert!(matches!(decode_body(403, BODY), Error::Permission { .. }));
        assert!(matches!(decode_body(404, BODY), Error::NotFound { .. }));
        assert!(matches!(decode_body(429, BODY), Error::RateLimited { .. }));
        assert!(matches!(decode_body(500, BODY), Error::Fault { .. }));
        assert!(matches!(decode_body(400, BODY), Error::Fault { .. }));
        match decode_body(422, BODY) {
            Error::Validation {
                code,
                message,
                fields,
            } => {
                assert_eq!(code, "309");
                assert_eq!(fields, vec!["(root).properties.cores".to_owned()]);
                assert!(message.contains("second"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn non_json_bodies_are_unexpected() {
        for body in [
            "",
            "<html><body>Bad Gateway</body></html>",
            r#"{"httpStatus": 4"#,
            "[]",
            "{}",
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
            Error::Fault { code, message } => {
                assert_eq!(code, "500");
                assert_eq!(message, "op: boom");
            }
            other => panic!("{other:?}"),
        }
    }
}
