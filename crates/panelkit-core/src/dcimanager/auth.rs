//! DCImanager 6 authentication: a token sent both as the `x-xsrf-token`
//! header and as the `ses6` cookie.
//!
//! A token comes from `POST /api/auth/v4/public/token {email, password}`
//! (renewable: the panel deletes tokens after 60 idle minutes, answering
//! 3001/401, and we log in again), from a one-time key via
//! `POST /api/auth/v4/public/key {key}` (not renewable: the key is spent),
//! or is given by the caller (a long-lived token; not renewable).
//!
//! Renewal is single-flight: concurrent callers whose token was rejected wait
//! for one login and all use its token. Rejected credentials are never sent
//! again: after a login the panel refused, every call fails with that error
//! without contacting the panel (repeated failed logins lock accounts out).

use std::fmt;

use serde::Deserialize;
use tokio::sync::Mutex;

use crate::http::HttpRequest;
use crate::rest::{Auth, BoxFuture, Method, Request, RestClient};
use crate::{Error, Result, Secret};

/// The header that carries the token.
pub const TOKEN_HEADER: &str = "x-xsrf-token";
/// The cookie that carries the token.
pub const TOKEN_COOKIE: &str = "ses6";
/// The header that marks a request made on the panel's own host.
pub const BOX_HEADER: &str = "isp-box-instance";

/// Where tokens come from.
pub(crate) enum Credentials {
    /// Email and password: logs in lazily and again when the token dies.
    Password {
        /// Account email.
        email: String,
        /// Account password.
        password: Secret,
    },
    /// A one-time key: exchanged for a token once.
    Key(Secret),
    /// A token obtained elsewhere (for example a long-lived one).
    Token(Secret),
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::Password { email, password } => f
                .debug_struct("Password")
                .field("email", email)
                .field("password", password)
                .finish(),
            Credentials::Key(key) => f.debug_tuple("Key").field(key).finish(),
            Credentials::Token(token) => f.debug_tuple("Token").field(token).finish(),
        }
    }
}

#[derive(Default)]
struct State {
    token: Option<Secret>,
    /// A login the panel refused: returned to every later caller.
    refused: Option<Error>,
}

/// The [`Auth`] of DCImanager 6.
pub(crate) struct DciAuth {
    credentials: Credentials,
    box_instance: bool,
    state: Mutex<State>,
}

impl fmt::Debug for DciAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DciAuth")
            .field("credentials", &self.credentials)
            .field("box_instance", &self.box_instance)
            .finish_non_exhaustive()
    }
}

/// The answer of `public/token` and `public/key`.
#[derive(Deserialize)]
struct TokenAnswer {
    token: String,
}

impl DciAuth {
    pub(crate) fn new(credentials: Credentials, box_instance: bool) -> Self {
        let token = match &credentials {
            Credentials::Token(token) => Some(token.clone()),
            _ => None,
        };
        DciAuth {
            credentials,
            box_instance,
            state: Mutex::new(State {
                token,
                refused: None,
            }),
        }
    }

    /// The current token, logging in first if there is none. Callers queue on
    /// the lock, so one login serves all of them.
    async fn token(&self, client: &RestClient) -> Result<Secret> {
        let mut state = self.state.lock().await;
        if let Some(token) = &state.token {
            return Ok(token.clone());
        }
        self.login_locked(client, &mut state).await
    }

    async fn login_locked(&self, client: &RestClient, state: &mut State) -> Result<Secret> {
        if let Some(refused) = &state.refused {
            return Err(refused.duplicate());
        }
        let request = match &self.credentials {
            Credentials::Password { email, password } => Request::new(
                "auth_public_token",
                Method::POST,
                "/api/auth/v4/public/token",
            )
            .json(&serde_json::json!({"email": email, "password": password.expose()}))?,
            Credentials::Key(key) => {
                Request::new("auth_public_key", Method::POST, "/api/auth/v4/public/key")
                    .json(&serde_json::json!({"key": key.expose()}))?
            }
            Credentials::Token(_) => {
                return Err(Error::Auth {
                    code: "3001".into(),
                    message: "Unauthorized".into(),
                    hint: Some(
                        "the token given to the client was rejected (expired or deleted); \
                         a given token cannot be renewed",
                    ),
                    status: None,
                })
            }
        };
        let request = if self.box_instance {
            request.header(BOX_HEADER, "true")
        } else {
            request
        };
        tracing::debug!(
            panel = "dcimanager",
            operation = request.operation,
            "logging in"
        );
        let answer = match client.send(request).await {
            Ok(answer) => answer,
            Err(e) => {
                let e = refused(e, &self.credentials);
                if matches!(e, Error::Auth { .. }) {
                    state.refused = Some(e.duplicate());
                }
                return Err(e);
            }
        };
        let token = Secret::new(answer.json::<TokenAnswer>()?.token);
        if token.is_empty() {
            return Err(Error::unexpected(
                Some(answer.status),
                "login answered an empty token",
                b"",
            ));
        }
        state.token = Some(token.clone());
        Ok(token)
    }
}

/// The error of a login the panel answered with an error: a panel-reported
/// error becomes an authentication error (keeping the panel's code and
/// message); transport trouble and unexpected answers stay what they are.
fn refused(error: Error, credentials: &Credentials) -> Error {
    let hint = match credentials {
        Credentials::Key(_) => {
            "the one-time key was refused (spent, expired after an hour, or wrong)"
        }
        _ => "the panel refused the email and password",
    };
    match error {
        Error::Auth {
            code,
            message,
            status,
            ..
        }
        | Error::Permission {
            code,
            message,
            status,
        }
        | Error::NotFound {
            code,
            message,
            status,
        }
        | Error::Validation {
            code,
            message,
            status,
            ..
        }
        | Error::Fault {
            code,
            message,
            status,
        } => Error::Auth {
            code,
            message,
            hint: Some(hint),
            status,
        },
        other => other,
    }
}

/// The token a request was sent with.
fn sent_token(request: &HttpRequest) -> Option<&str> {
    request
        .headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(TOKEN_HEADER))
        .map(|(_, value)| value.as_str())
}

impl Auth for DciAuth {
    fn authorize<'a>(
        &'a self,
        client: &'a RestClient,
        request: &'a mut HttpRequest,
        _schemes: &'static [&'static str],
    ) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            let token = self.token(client).await?;
            request
                .headers
                .push((TOKEN_HEADER.to_owned(), token.expose().to_owned()));
            request.headers.push((
                "cookie".to_owned(),
                format!("{TOKEN_COOKIE}={}", token.expose()),
            ));
            if self.box_instance {
                request.headers.push((BOX_HEADER.to_owned(), "true".into()));
            }
            Ok(())
        })
    }

    fn renew<'a>(
        &'a self,
        client: &'a RestClient,
        rejected: &'a HttpRequest,
    ) -> BoxFuture<'a, Result<bool>> {
        Box::pin(async move {
            let mut state = self.state.lock().await;
            let replaced = state
                .token
                .as_ref()
                .is_some_and(|current| Some(current.expose()) != sent_token(rejected));
            if replaced {
                // Somebody renewed it while this request was under way.
                return Ok(true);
            }
            if !matches!(self.credentials, Credentials::Password { .. }) {
                return Ok(false);
            }
            tracing::debug!(panel = "dcimanager", "token rejected; logging in again");
            state.token = None;
            self.login_locked(client, &mut state).await.map(|_| true)
        })
    }
}
