//! JWTs from Basic credentials: `GET /token` (admins) and `GET /user/token`
//! (users), answered `{"access_token", "expires_at"}`.
//!
//! One [`TokenSource`] per login. Callers share its token; when it is due
//! (its lifetime, measured against the server's own `Date`, is nearly over)
//! or was rejected, the first caller fetches a new one while the others wait
//! for that one fetch (single-flight). A fetch that fails is shared too:
//! callers that were waiting get its error instead of sending the same
//! credentials again. Credentials the server refused (401/403 from the
//! token endpoint) are never sent again by this client, unless an OTP
//! provider may give a better passcode next time.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::Deserialize;

use crate::rest::{parse_http_date, Method, Request, RestClient};
use crate::{Error, Result, Secret};

/// Which API a login is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Realm {
    /// The admin API (`GET /token`; everything outside `/user/...`).
    Admin,
    /// The user API (`GET /user/token`; paths under `/user/...`).
    User,
}

impl Realm {
    /// The realm of an API path (relative to the API prefix).
    pub fn of_path(path: &str) -> Realm {
        if path == "/user" || path.starts_with("/user/") {
            Realm::User
        } else {
            Realm::Admin
        }
    }

    fn token_path(self) -> (&'static str, &'static str) {
        match self {
            Realm::Admin => ("get_token", "/token"),
            Realm::User => ("get_user_token", "/user/token"),
        }
    }
}

/// Where the `X-SFTPGO-OTP` passcode for a login comes from.
#[derive(Clone)]
pub enum Otp {
    /// The same passcode every time.
    Static(Secret),
    /// Asked for at each login (a TOTP generator, a prompt).
    Provider(Arc<dyn Fn(Realm) -> Option<Secret> + Send + Sync>),
}

impl std::fmt::Debug for Otp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Otp::Static(_) => f.write_str("Otp::Static([redacted])"),
            Otp::Provider(_) => f.write_str("Otp::Provider(..)"),
        }
    }
}

impl Otp {
    fn passcode(&self, realm: Realm) -> Option<Secret> {
        match self {
            Otp::Static(code) => Some(code.clone()),
            Otp::Provider(provider) => provider(realm),
        }
    }
}

struct Token {
    value: Secret,
    /// When to fetch a new one instead of using this one.
    renew_at: Instant,
}

#[derive(Default)]
struct State {
    token: Option<Token>,
    /// The last fetch's failure, for callers that waited on it.
    failure: Option<Error>,
    /// The server rejected these credentials: they are never sent again
    /// (a new client with other credentials is the fix). Not set when an
    /// OTP provider is configured: its next passcode may succeed.
    rejected: Option<Error>,
}

/// A login's JWT, fetched lazily, renewed before it expires and after the
/// server rejects it.
pub struct TokenSource {
    realm: Realm,
    username: String,
    password: Secret,
    otp: Option<Otp>,
    refresh_margin: Duration,
    state: tokio::sync::Mutex<State>,
    /// Fetches finished (success or failure): a waiter that sees it move
    /// knows someone fetched while it waited.
    fetches: AtomicU64,
}

impl std::fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenSource")
            .field("realm", &self.realm)
            .field("username", &self.username)
            .field("password", &self.password)
            .field("otp", &self.otp)
            .field("refresh_margin", &self.refresh_margin)
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    expires_at: Option<String>,
}

/// Without an `expires_at` (or with one we cannot read) the token is used
/// until the server rejects it.
const UNKNOWN_LIFETIME: Duration = Duration::from_secs(365 * 86_400);

impl TokenSource {
    /// A source for `username`'s JWT in `realm`.
    pub fn new(
        realm: Realm,
        username: String,
        password: Secret,
        otp: Option<Otp>,
        refresh_margin: Duration,
    ) -> Self {
        TokenSource {
            realm,
            username,
            password,
            otp,
            refresh_margin,
            state: tokio::sync::Mutex::new(State::default()),
            fetches: AtomicU64::new(0),
        }
    }

    /// `Basic` credentials of this login (for the token endpoints called
    /// directly).
    pub fn basic(&self) -> Secret {
        basic_auth(&self.username, self.password.expose())
    }

    /// A token that is not due, fetching one if needed (single-flight).
    pub async fn token(&self, client: &RestClient) -> Result<Secret> {
        let seen = self.fetches.load(Ordering::Acquire);
        let mut state = self.state.lock().await;
        if let Some(rejected) = &state.rejected {
            return Err(rejected.duplicate());
        }
        if let Some(token) = &state.token {
            if Instant::now() < token.renew_at {
                return Ok(token.value.clone());
            }
        }
        if self.fetches.load(Ordering::Acquire) != seen {
            // A fetch ended while we waited for the lock and left no usable
            // token: share its failure rather than repeating it.
            if let Some(failure) = &state.failure {
                return Err(failure.duplicate());
            }
        }
        let result = self.fetch(client).await;
        self.fetches.fetch_add(1, Ordering::AcqRel);
        match result {
            Ok(token) => {
                let value = token.value.clone();
                state.token = Some(token);
                state.failure = None;
                Ok(value)
            }
            Err(error) => {
                state.token = None;
                state.failure = Some(error.duplicate());
                let refused = matches!(error, Error::Auth { .. } | Error::Permission { .. });
                if refused && !matches!(self.otp, Some(Otp::Provider(_))) {
                    state.rejected = Some(error.duplicate());
                }
                Err(error)
            }
        }
    }

    /// The server rejected `sent` (a 401): forget it unless it was already
    /// replaced, so the next [`TokenSource::token`] fetches a fresh one.
    pub async fn reject(&self, sent: &str) {
        let mut state = self.state.lock().await;
        if state
            .token
            .as_ref()
            .is_some_and(|token| token.value.expose() == sent)
        {
            state.token = None;
        }
    }

    async fn fetch(&self, client: &RestClient) -> Result<Token> {
        let (operation, path) = self.realm.token_path();
        let basic = basic_auth(&self.username, self.password.expose());
        let otp = self.otp.as_ref().and_then(|otp| otp.passcode(self.realm));
        let request = Request::new(operation, Method::GET, path)
            .header("Authorization", basic.expose())
            .header_opt("X-SFTPGO-OTP", otp.as_ref().map(Secret::expose));
        let sent_at = Instant::now();
        let answer = client.send(request).await.map_err(|e| match e {
            Error::Auth {
                code,
                message,
                status,
                ..
            } => Error::Auth {
                code,
                message,
                hint: Some(match self.realm {
                    Realm::Admin => {
                        "check the admin's username and password (and the OTP if 2FA is on)"
                    }
                    Realm::User => {
                        "check the user's username and password (and the OTP if 2FA is on)"
                    }
                }),
                status,
            },
            other => other,
        })?;
        let parsed: TokenAnswer = answer.json()?;
        if parsed.access_token.is_empty() {
            return Err(Error::unexpected(
                Some(answer.status),
                format!("{operation}: empty access_token"),
                b"",
            ));
        }
        // The lifetime as the server sees it (its Date header against its
        // expires_at), so a skewed local clock does not matter.
        let server_now = answer
            .header("date")
            .and_then(parse_http_date)
            .unwrap_or_else(SystemTime::now);
        let lifetime = parsed
            .expires_at
            .as_deref()
            .and_then(parse_rfc3339)
            .map(|expires| expires.duration_since(server_now).unwrap_or(Duration::ZERO))
            .unwrap_or(UNKNOWN_LIFETIME);
        let margin = self.refresh_margin.min(lifetime / 2);
        tracing::debug!(
            realm = ?self.realm,
            lifetime_s = lifetime.as_secs(),
            "fetched a JWT"
        );
        Ok(Token {
            value: Secret::new(parsed.access_token),
            renew_at: sent_at + (lifetime - margin),
        })
    }
}

/// `Basic base64(user:password)`.
pub fn basic_auth(user: &str, password: &str) -> Secret {
    let mut raw = Vec::with_capacity(user.len() + password.len() + 1);
    raw.extend_from_slice(user.as_bytes());
    raw.push(b':');
    raw.extend_from_slice(password.as_bytes());
    let value = Secret::new(format!("Basic {}", base64(&raw)));
    raw.fill(0);
    value
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Parses an RFC 3339 date-time (`2026-11-24T20:30:00Z`,
/// `2026-11-24T21:30:00.123+01:00`).
pub fn parse_rfc3339(text: &str) -> Option<SystemTime> {
    let text = text.trim();
    let bytes = text.as_bytes();
    if bytes.len() < 20 || !text.is_ascii() {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = &text[range];
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten()
    };
    if bytes[4] != b'-'
        || bytes[7] != b'-'
        || !matches!(bytes[10], b'T' | b't' | b' ')
        || bytes[13] != b':'
        || bytes[16] != b':'
    {
        return None;
    }
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut rest = &text[19..];
    let mut nanos = 0u32;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        let kept = &fraction[..digits.min(9)];
        nanos = kept.parse::<u32>().ok()? * 10u32.pow(9 - kept.len() as u32);
        rest = &fraction[digits..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ if rest.len() == 6
            && matches!(rest.as_bytes()[0], b'+' | b'-')
            && rest.as_bytes()[3] == b':' =>
        {
            let sign = if rest.starts_with('-') { -1 } else { 1 };
            let (h, m): (i64, i64) = (rest[1..3].parse().ok()?, rest[4..6].parse().ok()?);
            if h > 23 || m > 59 {
                return None;
            }
            sign * (h * 3600 + m * 60)
        }
        _ => return None,
    };
    let days = crate::rest::days_from_civil(year, month as u32, day as u32);
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset;
    let secs = u64::try_from(secs).ok()?;
    Some(UNIX_EPOCH + Duration::new(secs, nanos))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_auth_is_rfc7617() {
        assert_eq!(
            basic_auth("Aladdin", "open sesame").expose(),
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
        assert_eq!(basic_auth("a", "").expose(), "Basic YTo=");
        assert_eq!(basic_auth("ab", "c").expose(), "Basic YWI6Yw==");
        assert_eq!(basic_auth("ü", "p").expose(), "Basic w7w6cA==");
    }

    #[test]
    fn rfc3339() {
        let at = |s| UNIX_EPOCH + Duration::from_secs(s);
        assert_eq!(
            parse_rfc3339("2015-10-21T07:28:00Z"),
            Some(at(1_445_412_480))
        );
        assert_eq!(
            parse_rfc3339("2015-10-21T09:28:00+02:00"),
            Some(at(1_445_412_480))
        );
        assert_eq!(
            parse_rfc3339("2015-10-21T07:28:00.5Z"),
            Some(at(1_445_412_480) + Duration::from_millis(500))
        );
        for bad in [
            "",
            "2015-10-21",
            "2015-13-21T07:28:00Z",
            "2015-10-21T07:28:00",
            "2015-10-21T07:28:00+2",
            "2015-10-21T07:28:00.Z",
            "1969-12-31T23:59:59Z",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
    }

    #[test]
    fn realms_by_path() {
        assert_eq!(Realm::of_path("/user/files"), Realm::User);
        assert_eq!(Realm::of_path("/user"), Realm::User);
        assert_eq!(Realm::of_path("/users/bob"), Realm::Admin);
        assert_eq!(Realm::of_path("/admins"), Realm::Admin);
    }
}
