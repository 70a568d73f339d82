//! IONOS credentials: HTTP Basic or a bearer token, exactly one
//! `Authorization` header per request.
//!
//! The spec lists two schemes on every operation but `GET /`: `Basic
//! Authentication` (http basic) and `Token Authentication` (an apiKey in the
//! `Authorization` header whose value is `Bearer <token>`). A generator that
//! reads both as independent headers sends two `Authorization` headers; here
//! the configured credential picks the one scheme.

use base64::Engine as _;

use crate::http::HttpRequest;
use crate::rest::{Auth, BoxFuture, RestClient};
use crate::{Error, Result, Secret};

/// The spec's name of the Basic scheme.
pub const BASIC_SCHEME: &str = "Basic Authentication";
/// The spec's name of the token scheme.
pub const TOKEN_SCHEME: &str = "Token Authentication";
/// Both schemes, as the spec lists them on every authenticated operation.
pub const SCHEMES: &[&str] = &[BASIC_SCHEME, TOKEN_SCHEME];

/// How requests are authenticated.
#[derive(Clone, Debug)]
pub enum Credentials {
    /// HTTP Basic with the IONOS account (or a sub-user).
    Basic {
        /// The user name (an e-mail address).
        username: String,
        /// The password.
        password: Secret,
    },
    /// A token from the IONOS auth API, sent as `Authorization: Bearer`.
    Token(Secret),
}

impl Credentials {
    /// Which scheme these credentials use.
    pub fn scheme(&self) -> &'static str {
        match self {
            Credentials::Basic { .. } => BASIC_SCHEME,
            Credentials::Token(_) => TOKEN_SCHEME,
        }
    }

    /// The `Authorization` header value.
    fn header_value(&self) -> String {
        match self {
            Credentials::Basic { username, password } => {
                let pair = format!("{username}:{}", password.expose());
                format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(pair)
                )
            }
            Credentials::Token(token) => format!("Bearer {}", token.expose()),
        }
    }
}

/// [`Auth`] for IONOS: one `Authorization` header from the configured
/// credentials, when the operation accepts their scheme.
#[derive(Debug)]
pub struct IonosAuth {
    credentials: Credentials,
}

impl IonosAuth {
    /// Authentication with `credentials`.
    pub fn new(credentials: Credentials) -> Self {
        IonosAuth { credentials }
    }
}

impl Auth for IonosAuth {
    fn authorize<'a>(
        &'a self,
        _client: &'a RestClient,
        request: &'a mut HttpRequest,
        schemes: &'static [&'static str],
    ) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            let scheme = self.credentials.scheme();
            if !schemes.contains(&scheme) {
                return Err(Error::config(format!(
                    "the configured {scheme} does not fit this operation (it accepts {schemes:?})"
                )));
            }
            request
                .headers
                .retain(|(name, _)| !name.eq_ignore_ascii_case("authorization"));
            request
                .headers
                .push(("Authorization".to_owned(), self.credentials.header_value()));
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_header_is_rfc7617() {
        let c = Credentials::Basic {
            username: "Aladdin".into(),
            password: "open sesame".into(),
        };
        assert_eq!(c.header_value(), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        assert!(!format!("{c:?}").contains("sesame"));
    }

    #[test]
    fn token_header_is_bearer_and_redacted_in_debug() {
        let c = Credentials::Token("tok-123".into());
        assert_eq!(c.header_value(), "Bearer tok-123");
        assert!(!format!("{:?}", IonosAuth::new(c)).contains("tok-123"));
    }
}
