//! SFTPGo's error answers: `{"error": "...", "message": "..."}`.

use crate::rest::{decode_error, ErrorBody, ErrorDecoder, HeaderMap};
use crate::Error;

/// Reads SFTPGo's error answers: `{"error": "...", "message": "..."}` (the
/// spec's `ApiResponse`); the status picks the class, SFTPGo has no error
/// codes (the status stands in). Other bodies are unexpected responses.
#[derive(Debug, Default)]
pub struct SftpgoErrors;

impl ErrorDecoder for SftpgoErrors {
    fn decode(&self, operation: &str, status: u16, headers: &HeaderMap, body: &[u8]) -> Error {
        decode_error(operation, status, headers, body, read_api_response)
    }
}

/// The message of an `ApiResponse` body, both fields kept when both say
/// something.
fn read_api_response(value: &serde_json::Value) -> Option<ErrorBody> {
    let object = value.as_object()?;
    let field = |name: &str| match object.get(name) {
        Some(serde_json::Value::String(text)) => Some(text.trim()),
        _ => None,
    };
    let (error, message) = (field("error"), field("message"));
    if error.is_none() && message.is_none() {
        return None;
    }
    let text = match (error.unwrap_or(""), message.unwrap_or("")) {
        ("", "") => "(no message)".to_owned(),
        (e, "") | ("", e) => e.to_owned(),
        (e, m) if e == m => e.to_owned(),
        (e, m) => format!("{m}: {e}"),
    };
    Some(ErrorBody {
        code: String::new(),
        message: text,
        fields: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(status: u16, body: &str) -> Error {
        SftpgoErrors.decode("add_user", status, &HeaderMap::new(), body.as_bytes())
    }

    #[test]
    fn api_response_bodies() {
        let e = decode(
            400,
            r#"{"error": "Validation error: username is mandatory", "message": ""}"#,
        );
        assert!(matches!(&e, Error::Validation { message, code, .. }
            if message == "add_user: Validation error: username is mandatory" && code == "400"));
        let e = decode(404, r#"{"message": "Not Found", "error": "no such user"}"#);
        assert!(
            matches!(&e, Error::NotFound { message, .. } if message == "add_user: Not Found: no such user")
        );
        let e = decode(500, r#"{"message": "", "error": ""}"#);
        assert!(matches!(&e, Error::Fault { message, .. } if message == "add_user: (no message)"));
        assert!(matches!(
            decode(401, r#"{"error": "x"}"#),
            Error::Auth {
                status: Some(401),
                ..
            }
        ));
        assert!(matches!(
            decode(403, r#"{"error": "x"}"#),
            Error::Permission {
                status: Some(403),
                ..
            }
        ));
        assert!(matches!(
            decode(413, r#"{"error": "x"}"#),
            Error::Fault {
                status: Some(413),
                ..
            }
        ));
        // Not an ApiResponse: a typed unexpected answer, status kept.
        assert!(matches!(
            decode(500, r#"{"detail": "x"}"#),
            Error::UnexpectedResponse {
                status: Some(500),
                ..
            }
        ));
        assert!(matches!(
            decode(502, "<html>bad gateway</html>"),
            Error::UnexpectedResponse {
                status: Some(502),
                ..
            }
        ));
    }
}
