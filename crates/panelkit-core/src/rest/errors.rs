//! Non-2xx answers as [`Error`]s: the status picks the class, the panel's
//! JSON error body supplies code and message, and anything else (an HTML
//! page from a proxy, an empty or cut-off body, text) is an
//! [`Error::UnexpectedResponse`] keeping the status and an excerpt.

use std::time::SystemTime;

use reqwest::header::HeaderMap;

use super::retry::retry_after;
use crate::Error;

/// What a panel's error body says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ErrorBody {
    /// The panel's error code (empty when it has none: the status is used).
    pub code: String,
    /// The panel's message.
    pub message: String,
    /// Field names the panel blamed.
    pub fields: Vec<String>,
}

/// Decodes a non-2xx answer (messages start with `operation`): `read` pulls the panel's fields out of a JSON
/// body (`None`: not the panel's error shape). A 429 is always
/// [`Error::RateLimited`] with its `Retry-After`, whatever the body.
pub fn decode_error(
    operation: &str,
    status: u16,
    headers: &HeaderMap,
    body: &[u8],
    read: impl FnOnce(&serde_json::Value) -> Option<ErrorBody>,
) -> Error {
    let wait = retry_after(headers, SystemTime::now());
    let parsed = match shape(headers, body) {
        Shape::Json(value) => read(&value)
            .ok_or("the JSON error body does not have the panel's error fields".to_owned()),
        Shape::Other(reason) => Err(reason),
    };
    match parsed {
        Ok(found) => {
            let code = if found.code.is_empty() {
                status.to_string()
            } else {
                found.code
            };
            // The operation named in the message: "which call failed" is the
            // first thing a reader of a log needs.
            let message = format!("{operation}: {}", found.message);
            Error::from_status(status, code, message, found.fields, wait)
        }
        Err(reason) if status == 429 => Error::RateLimited {
            code: None,
            retry_after: wait,
            message: format!("{operation}: HTTP 429 ({reason})"),
            status: Some(429),
        },
        Err(reason) => Error::unexpected(
            Some(status),
            format!("{operation}: HTTP {status}: {reason}"),
            body,
        ),
    }
}

enum Shape {
    Json(serde_json::Value),
    Other(String),
}

/// What kind of body this is, judged by its bytes first (servers mislabel
/// content types both ways).
fn shape(headers: &HeaderMap, body: &[u8]) -> Shape {
    let text = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map_or(&[][..], |start| &body[start..]);
    if text.is_empty() {
        return Shape::Other("empty body".to_owned());
    }
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if text[0] == b'<' || content_type.starts_with("text/html") {
        return Shape::Other("an HTML page instead of a JSON error".to_owned());
    }
    match serde_json::from_slice::<serde_json::Value>(text) {
        Ok(value) => Shape::Json(value),
        Err(e) if e.is_eof() => Shape::Other("truncated JSON error body".to_owned()),
        Err(_) if matches!(text[0], b'{' | b'[') => {
            Shape::Other("malformed JSON error body".to_owned())
        }
        Err(_) => Shape::Other(format!(
            "a non-JSON body ({})",
            if content_type.is_empty() {
                "no content type"
            } else {
                content_type.as_str()
            }
        )),
    }
}

/// Reads the common shapes `{"message": ..}`, `{"error": ..}`,
/// `{"error": {"code", "message"}}`, `{"code", "detail"|"title"}`.
pub fn common_error_body(value: &serde_json::Value) -> Option<ErrorBody> {
    let object = value.as_object()?;
    let text = |key: &str| -> Option<String> {
        match object.get(key)? {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    };
    if let Some(inner) = object.get("error").filter(|v| v.is_object()) {
        return common_error_body(inner);
    }
    let message = ["message", "error", "msg", "detail", "title"]
        .iter()
        .find_map(|key| text(key).filter(|s| !s.is_empty()))?;
    Some(ErrorBody {
        code: text("code")
            .or_else(|| text("errorCode"))
            .unwrap_or_default(),
        message,
        fields: Vec::new(),
    })
}

/// Generic error decoding: [`common_error_body`], status for the class.
#[derive(Debug, Default)]
pub struct StatusErrors;

impl super::ErrorDecoder for StatusErrors {
    fn decode(&self, operation: &str, status: u16, headers: &HeaderMap, body: &[u8]) -> Error {
        decode_error(operation, status, headers, body, common_error_body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(status: u16, body: &str) -> Error {
        decode_error(
            "op",
            status,
            &HeaderMap::new(),
            body.as_bytes(),
            common_error_body,
        )
    }

    #[test]
    fn classes_by_status() {
        let body = r#"{"message": "no", "code": "E1"}"#;
        assert!(matches!(decode(401, body), Error::Auth { .. }));
        assert!(matches!(decode(403, body), Error::Permission { .. }));
        assert!(matches!(decode(404, body), Error::NotFound { .. }));
        assert!(matches!(decode(400, body), Error::Validation { .. }));
        assert!(matches!(decode(422, body), Error::Validation { .. }));
        assert!(matches!(decode(429, body), Error::RateLimited { .. }));
        assert!(matches!(decode(500, body), Error::Fault { ref code, .. } if code == "E1"));
        for status in [400, 401, 403, 404, 422, 429, 500, 503] {
            assert_eq!(decode(status, body).status(), Some(status));
            assert_eq!(decode(status, "").status(), Some(status));
        }
    }

    #[test]
    fn bodies_that_are_not_the_panels_error() {
        for (body, reason) in [
            ("", "empty body"),
            ("  \n", "empty body"),
            ("<html><body>Bad Gateway</body></html>", "HTML page"),
            (r#"{"message": "cut"#, "truncated JSON"),
            ("{nope}", "malformed JSON"),
            ("plain words", "non-JSON"),
            ("[1, 2]", "does not have the panel's error fields"),
        ] {
            match decode(502, body) {
                Error::UnexpectedResponse {
                    status,
                    reason: r,
                    excerpt,
                } => {
                    assert_eq!(status, Some(502));
                    assert!(r.contains(reason), "{body:?}: {r}");
                    assert_eq!(excerpt, crate::error::excerpt(body.as_bytes()));
                }
                other => panic!("{body:?}: {other:?}"),
            }
        }
        // 429 stays rate limiting whatever the body.
        assert!(matches!(
            decode(429, "<html>slow down</html>"),
            Error::RateLimited { .. }
        ));
    }
}
