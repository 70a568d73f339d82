//! Request and response values, with a `Debug` that never shows secrets.

use std::fmt;

use bytes::Bytes;

/// Header names whose values are never shown.
const SENSITIVE_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
    "x-xsrf-token",
    "x-sftpgo-api-key",
    "x-api-key",
];

/// Substrings that make any header name sensitive.
const SENSITIVE_PARTS: &[&str] = &[
    "token", "secret", "password", "key", "auth", "session", "otp",
];

/// Whether a header's value must be redacted when shown.
pub fn is_sensitive_header(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    SENSITIVE_HEADERS.contains(&lower.as_str()) || SENSITIVE_PARTS.iter().any(|p| lower.contains(p))
}

/// A request to send. `Debug` redacts sensitive headers and shows only the
/// body's length.
#[derive(Clone)]
pub struct HttpRequest {
    /// HTTP method.
    pub method: reqwest::Method,
    /// Absolute URL.
    pub url: String,
    /// Headers in order.
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Bytes,
}

impl HttpRequest {
    /// A `POST` with `body`.
    pub fn post(url: impl Into<String>, body: impl Into<Bytes>) -> Self {
        HttpRequest {
            method: reqwest::Method::POST,
            url: url.into(),
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// A `GET` without body.
    pub fn get(url: impl Into<String>) -> Self {
        HttpRequest {
            method: reqwest::Method::GET,
            url: url.into(),
            headers: Vec::new(),
            body: Bytes::new(),
        }
    }

    /// Adds a header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str(),
                    if is_sensitive_header(n) {
                        "[redacted]"
                    } else {
                        v.as_str()
                    },
                )
            })
            .collect();
        let url = reqwest::Url::parse(&self.url)
            .map(|u| loggable_url(&u))
            .unwrap_or_else(|_| "[invalid URL]".to_owned());
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &url)
            .field("headers", &headers)
            .field("body_bytes", &self.body.len())
            .finish()
    }
}

/// An answer, whatever its status.
#[derive(Clone)]
pub struct HttpResponse {
    /// HTTP status code.
    pub status: u16,
    /// Response headers.
    pub headers: reqwest::header::HeaderMap,
    /// The whole body.
    pub body: Bytes,
}

impl HttpResponse {
    /// The `Content-Type` header, if present and readable.
    pub fn content_type(&self) -> Option<&str> {
        self.header("content-type")
    }

    /// A header's value, if present and readable.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v)| {
                let shown = if is_sensitive_header(n.as_str()) {
                    "[redacted]"
                } else {
                    v.to_str().unwrap_or("[binary]")
                };
                (n.as_str(), shown)
            })
            .collect();
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("headers", &headers)
            .field("body_bytes", &self.body.len())
            .finish()
    }
}

/// A URL fit for logs and errors: no user info, no query, no fragment.
pub fn loggable_url(url: &reqwest::Url) -> String {
    let mut shown = url.clone();
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    shown.set_query(None);
    shown.set_fragment(None);
    shown.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_sensitive_headers_and_body() {
        let request = HttpRequest::post(
            "https://u:pw@panel.example/api?token=abc",
            "password=hunter2",
        )
        .header("Authorization", "Basic c2VjcmV0")
        .header("Cookie", "ses6=abc")
        .header("x-xsrf-token", "tok")
        .header("Accept", "application/json");
        let shown = format!("{request:?}");
        for secret in [
            "c2VjcmV0",
            "ses6=abc",
            "\"tok\"",
            "hunter2",
            "token=abc",
            "pw@",
        ] {
            assert!(!shown.contains(secret), "{secret} leaked: {shown}");
        }
        assert!(shown.contains("application/json"));
        assert!(shown.contains("body_bytes: 16"));
    }
}
