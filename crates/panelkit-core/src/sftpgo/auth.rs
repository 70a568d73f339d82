//! Which credential a request carries, and renewing it after a 401.
//!
//! SFTPGo's schemes: `BearerAuth` (a JWT), `APIKeyAuth` (`X-SFTPGO-API-KEY`)
//! and `BasicAuth` (only on `GET /token`, `GET /user/token` and the public
//! `/shares/{id}` operations). Exactly one is sent per request, picked among
//! the operation's schemes by what is configured, preferring a JWT from a
//! login over an API key over a static bearer token. Paths under `/user/`
//! belong to the user API and use the user login; the rest use the admin
//! login.

use std::sync::Arc;

use super::token::{basic_auth, Realm, TokenSource};
use crate::http::HttpRequest;
use crate::rest::{Auth, BoxFuture, RestClient};
use crate::{Error, Result, Secret};

/// Header of the API-key scheme.
pub const API_KEY_HEADER: &str = "X-SFTPGO-API-KEY";

/// Everything that may authenticate requests; any subset may be configured.
#[derive(Debug, Default)]
pub(crate) struct Credentials {
    pub admin: Option<Arc<TokenSource>>,
    pub user: Option<Arc<TokenSource>>,
    pub api_key: Option<Secret>,
    pub bearer: Option<Secret>,
    pub share: Option<(String, Secret)>,
}

#[derive(Debug)]
pub(crate) struct SftpgoAuth {
    pub credentials: Credentials,
}

/// The API path of a request URL: its path without the client's prefix.
fn api_path<'a>(url: &'a str, base_url: &str) -> &'a str {
    let path_of = |u: &'a str| -> &'a str {
        let after_scheme = u.find("://").map_or(u, |i| &u[i + 3..]);
        let path = after_scheme.find('/').map_or("", |i| &after_scheme[i..]);
        path.split(['?', '#']).next().unwrap_or("")
    };
    let url_path = path_of(url);
    let base_path = base_url
        .find("://")
        .map(|i| &base_url[i + 3..])
        .and_then(|rest| rest.find('/').map(|j| &rest[j..]))
        .unwrap_or("");
    url_path.strip_prefix(base_path).unwrap_or(url_path)
}

impl SftpgoAuth {
    fn login_for(&self, realm: Realm) -> Option<&Arc<TokenSource>> {
        match realm {
            Realm::Admin => self.credentials.admin.as_ref(),
            Realm::User => self.credentials.user.as_ref(),
        }
    }

    /// What is configured, for error messages (never values).
    fn configured(&self) -> String {
        let c = &self.credentials;
        let mut names = Vec::new();
        for (present, name) in [
            (c.admin.is_some(), ".admin(..)"),
            (c.user.is_some(), ".user(..)"),
            (c.api_key.is_some(), ".api_key(..)"),
            (c.bearer.is_some(), ".bearer_token(..)"),
            (c.share.is_some(), ".share_credentials(..)"),
        ] {
            if present {
                names.push(name);
            }
        }
        if names.is_empty() {
            "nothing".to_owned()
        } else {
            names.join(", ")
        }
    }

    async fn header_for(
        &self,
        client: &RestClient,
        path: &str,
        schemes: &'static [&'static str],
    ) -> Result<(&'static str, Secret)> {
        let accepts = |scheme: &str| schemes.contains(&scheme);
        let realm = Realm::of_path(path);
        let basic_only = accepts("BasicAuth") && !accepts("BearerAuth") && !accepts("APIKeyAuth");
        if basic_only {
            // The token endpoints take the login's own credentials; the public
            // share endpoints take the share's.
            let credentials = match path {
                "/token" | "/user/token" => self.login_for(realm).map(|l| l.basic()),
                _ => self
                    .credentials
                    .share
                    .as_ref()
                    .map(|(user, password)| basic_auth(user, password.expose())),
            };
            return credentials.map(|c| ("Authorization", c)).ok_or_else(|| {
                Error::config(format!(
                    "{path} takes Basic credentials: configure {} (configured: {})",
                    match path {
                        "/token" => ".admin(user, password)",
                        "/user/token" => ".user(user, password)",
                        _ => ".share_credentials(user, password)",
                    },
                    self.configured()
                ))
            });
        }
        if accepts("BearerAuth") {
            if let Some(login) = self.login_for(realm) {
                let token = login.token(client).await?;
                return Ok((
                    "Authorization",
                    Secret::new(format!("Bearer {}", token.expose())),
                ));
            }
        }
        if accepts("APIKeyAuth") {
            if let Some(key) = &self.credentials.api_key {
                return Ok((API_KEY_HEADER, key.clone()));
            }
        }
        if accepts("BearerAuth") {
            if let Some(token) = &self.credentials.bearer {
                return Ok((
                    "Authorization",
                    Secret::new(format!("Bearer {}", token.expose())),
                ));
            }
        }
        Err(Error::config(format!(
            "{path} accepts {schemes:?}; it needs {} (configured: {})",
            match (realm, accepts("APIKeyAuth")) {
                (Realm::Admin, true) =>
                    ".admin(user, password), .api_key(key) or .bearer_token(jwt)",
                (Realm::Admin, false) => ".admin(user, password) or .bearer_token(jwt)",
                (Realm::User, true) => ".user(user, password), .api_key(key) or .bearer_token(jwt)",
                (Realm::User, false) => ".user(user, password) or .bearer_token(jwt)",
            },
            self.configured()
        )))
    }
}

impl Auth for SftpgoAuth {
    fn authorize<'a>(
        &'a self,
        client: &'a RestClient,
        request: &'a mut HttpRequest,
        schemes: &'static [&'static str],
    ) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            let path = api_path(&request.url, client.base_url()).to_owned();
            // Exactly one scheme: drop anything the caller set by hand.
            request.headers.retain(|(name, _)| {
                !name.eq_ignore_ascii_case("authorization")
                    && !name.eq_ignore_ascii_case(API_KEY_HEADER)
            });
            let (name, value) = self.header_for(client, &path, schemes).await?;
            request
                .headers
                .push((name.to_owned(), value.expose().to_owned()));
            Ok(())
        })
    }

    fn renew<'a>(
        &'a self,
        client: &'a RestClient,
        sent: &'a HttpRequest,
    ) -> BoxFuture<'a, Result<bool>> {
        Box::pin(async move {
            let Some(token) = sent.headers.iter().find_map(|(name, value)| {
                name.eq_ignore_ascii_case("authorization")
                    .then(|| value.strip_prefix("Bearer "))
                    .flatten()
            }) else {
                // An API key or Basic credentials: nothing to renew, and
                // rejected credentials are never sent again.
                return Ok(false);
            };
            let realm = Realm::of_path(api_path(&sent.url, client.base_url()));
            match self.login_for(realm) {
                // A JWT from this login (the current one or one already
                // replaced): the next send fetches or uses the fresh one.
                Some(login) => {
                    login.reject(token).await;
                    Ok(true)
                }
                // A static bearer token: nothing to renew it with.
                None => Ok(false),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_paths() {
        let base = "http://127.0.0.1:8080/api/v2";
        assert_eq!(
            api_path("http://127.0.0.1:8080/api/v2/user/files?path=a", base),
            "/user/files"
        );
        assert_eq!(api_path("http://127.0.0.1:8080/healthz", base), "/healthz");
        assert_eq!(
            api_path("http://127.0.0.1:4010/token", "http://127.0.0.1:4010"),
            "/token"
        );
    }
}
