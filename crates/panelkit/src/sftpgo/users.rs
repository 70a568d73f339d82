//! Users: listing them page by page, reading, deleting, and creating them
//! with sane defaults, checked before anything is sent.
//!
//! `POST /users` accepts a user with no home directory, no permissions and no
//! status, and what the server then does depends on its configuration (or it
//! answers a 400 naming one field at a time). [`NewUser`] fills the gaps the
//! way an operator expects: home `BASE/USERNAME`, full permissions on `/`,
//! status enabled; and it rejects a bad username or home locally with a
//! [`Error::Validation`] naming the field.

use std::collections::BTreeMap;

use panelkit_core::{Error, Result, Secret};
use panelkit_sftpgo::types::{ApiResponse, GetUsersOrder, Permission, User};

use super::lists::{as_i64, order, ListOptions};
use super::Client;
use crate::paging::Pages;

/// How a new user logs in.
#[derive(Clone, Debug)]
pub enum Credentials {
    /// A password (redacted in Debug).
    Password(Secret),
    /// SSH public keys (`ssh-ed25519 AAAA...`), at least one.
    PublicKeys(Vec<String>),
}

/// A user to create; see [`Users::create`].
#[derive(Clone, Debug)]
pub struct NewUser {
    username: String,
    credentials: Credentials,
    home_dir: Option<String>,
    permissions: BTreeMap<String, Vec<Permission>>,
    enabled: bool,
    extra: User,
}

impl NewUser {
    /// A user who logs in with `password`.
    pub fn with_password(username: impl Into<String>, password: impl Into<Secret>) -> Self {
        Self::new(username.into(), Credentials::Password(password.into()))
    }

    /// A user who logs in with SSH `keys`.
    pub fn with_public_keys(
        username: impl Into<String>,
        keys: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        let keys = keys.into_iter().map(Into::into).collect();
        Self::new(username.into(), Credentials::PublicKeys(keys))
    }

    fn new(username: String, credentials: Credentials) -> Self {
        NewUser {
            username,
            credentials,
            home_dir: None,
            permissions: BTreeMap::from([("/".to_owned(), vec![Permission::Star])]),
            enabled: true,
            extra: User::default(),
        }
    }

    /// An explicit home directory (absolute) instead of `BASE/USERNAME`.
    pub fn home_dir(mut self, dir: impl Into<String>) -> Self {
        self.home_dir = Some(dir.into());
        self
    }

    /// Replaces the default permissions (`/` → `*`) with `permissions`.
    pub fn permissions(mut self, permissions: BTreeMap<String, Vec<Permission>>) -> Self {
        self.permissions = permissions;
        self
    }

    /// Creates the user disabled (status 0) instead of enabled.
    pub fn disabled(mut self) -> Self {
        self.enabled = false;
        self
    }

    /// Any other field of the upstream [`User`] (quota, filters, groups,
    /// ...); the fields this type manages override the ones set here.
    pub fn extra(mut self, user: User) -> Self {
        self.extra = user;
        self
    }

    /// The upstream [`User`] this creates, after the local checks; the home
    /// defaults to `home_base/username`.
    pub fn into_user(self, home_base: &str) -> Result<User> {
        check_username(&self.username)?;
        let home = match self.home_dir {
            Some(dir) => dir,
            None => format!("{}/{}", home_base.trim_end_matches('/'), self.username),
        };
        check_home_dir(&home)?;
        if self.permissions.is_empty() || !self.permissions.contains_key("/") {
            return Err(invalid(
                "permissions",
                "permissions must include the root directory `/`",
            ));
        }
        let mut user = self.extra;
        match self.credentials {
            Credentials::Password(password) => {
                if password.expose().is_empty() {
                    return Err(invalid("password", "password is empty"));
                }
                user.password = Some(password);
            }
            Credentials::PublicKeys(keys) => {
                if keys.is_empty() || keys.iter().any(|k| k.trim().is_empty()) {
                    return Err(invalid(
                        "public_keys",
                        "at least one non-empty public key is needed",
                    ));
                }
                user.public_keys = Some(keys);
            }
        }
        user.username = Some(self.username);
        user.home_dir = Some(home);
        user.permissions = Some(self.permissions);
        user.status = Some(i64::from(self.enabled));
        Ok(user)
    }
}

/// A validation error on `field` before anything was sent.
fn invalid(field: &str, message: &str) -> Error {
    Error::Validation {
        code: "local".to_owned(),
        message: message.to_owned(),
        fields: vec![field.to_owned()],
        status: None,
    }
}

/// SFTPGo's own rule (unless the server relaxes it): usernames are made of
/// letters, digits, `-`, `_`, `.`, `@`; never a path and never `.`/`..`.
fn check_username(username: &str) -> Result<()> {
    if username.is_empty() || username.len() > 255 {
        return Err(invalid("username", "username must be 1 to 255 characters"));
    }
    if username == "." || username == ".." {
        return Err(invalid("username", "username cannot be `.` or `..`"));
    }
    if !username
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '@'))
    {
        return Err(invalid(
            "username",
            "username may only contain ASCII letters, digits, `-`, `_`, `.`, `@`",
        ));
    }
    Ok(())
}

/// The home must be an absolute, clean path: SFTPGo rejects relative homes,
/// and a `..` component would put the user outside the base.
fn check_home_dir(home: &str) -> Result<()> {
    if !home.starts_with('/') {
        return Err(invalid(
            "home_dir",
            "home directory must be an absolute path",
        ));
    }
    if home.split('/').any(|part| part == ".." || part == ".") {
        return Err(invalid(
            "home_dir",
            "home directory cannot contain `.` or `..` components",
        ));
    }
    if home.chars().any(char::is_control) {
        return Err(invalid(
            "home_dir",
            "home directory cannot contain control characters",
        ));
    }
    Ok(())
}

/// The user helpers of a [`Client`] (`client.users()`).
#[derive(Clone, Copy, Debug)]
pub struct Users<'a> {
    pub(super) client: &'a Client,
}

impl<'a> Users<'a> {
    /// Every user (generated `get_users`, `GET /users`), by username, in
    /// pages of [`PAGE_SIZE`](super::lists::PAGE_SIZE).
    pub fn all(&self) -> Pages<'a, User> {
        self.all_with(ListOptions::default())
    }

    /// Users from `options.offset` on, in `options`' order.
    pub fn all_with(&self, options: ListOptions) -> Pages<'a, User> {
        let client = self.client.generated();
        Pages::new(options.request_size(), move |offset, limit| {
            let order = order(&options, GetUsersOrder::Asc, GetUsersOrder::Desc);
            Box::pin(
                client
                    .get_users()
                    .offset(as_i64(offset))
                    .limit(as_i64(limit))
                    .order(order)
                    .send(),
            )
        })
        .starting_at(options.offset)
    }

    /// One user (generated `get_user_by_username`, `GET /users/{username}`);
    /// an unknown name is the server's [`Error::NotFound`].
    pub async fn get(&self, username: &str) -> Result<User> {
        self.client.generated().get_user_by_username(username).await
    }

    /// Deletes a user (generated `delete_user`, `DELETE /users/{username}`);
    /// an unknown name is the server's [`Error::NotFound`].
    pub async fn delete(&self, username: &str) -> Result<ApiResponse> {
        self.client.generated().delete_user(username).await
    }

    /// Creates `user` (`POST /users`, generated `add_user`) after the local
    /// checks and returns the user as the server stored it.
    pub async fn create(&self, user: NewUser) -> Result<User> {
        let body = user.into_user(self.client.home_base())?;
        self.client.generated().add_user(&body).await
    }

    /// Changes only the fields `changes` sets: reads the user (generated
    /// `get_user_by_username`), puts the changes over it and writes the
    /// whole user back (generated `update_user`), since `PUT /users/{name}`
    /// resets what it is not sent. `filters` is merged key by key, so that
    /// changing the allowed IPs keeps the other filters. Returns the user as
    /// stored afterwards.
    pub async fn update(&self, username: &str, changes: &User) -> Result<User> {
        let generated = self.client.generated();
        let current = generated.get_user_by_username(username).await?;
        let merged = merge(&current, changes)?;
        generated.update_user(username, &merged).await?;
        generated.get_user_by_username(username).await
    }
}

/// `changes` over `current`: every field `changes` sets replaces the
/// current one, except `filters`, whose keys replace one by one.
fn merge(current: &User, changes: &User) -> Result<User> {
    let mut merged = serde_json::to_value(current)?;
    let serde_json::Value::Object(changes) = serde_json::to_value(changes)? else {
        return Ok(current.clone());
    };
    if let Some(target) = merged.as_object_mut() {
        for (key, value) in changes {
            match (target.get_mut(&key), value) {
                (Some(serde_json::Value::Object(old)), serde_json::Value::Object(new))
                    if key == "filters" =>
                {
                    old.extend(new);
                }
                (_, value) => {
                    target.insert(key, value);
                }
            }
        }
    }
    Ok(serde_json::from_value(merged)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_fill_home_permissions_and_status() {
        let user = NewUser::with_password("alice", "pw")
            .into_user("/srv/data/")
            .unwrap();
        assert_eq!(user.home_dir.as_deref(), Some("/srv/data/alice"));
        assert_eq!(user.status, Some(1));
        let perms = user.permissions.unwrap();
        assert_eq!(perms.len(), 1);
        assert!(matches!(perms["/"].as_slice(), [Permission::Star]));
        assert_eq!(user.password.unwrap().expose(), "pw");
    }

    #[test]
    fn bad_input_is_a_typed_validation_error_naming_the_field() {
        let field = |r: Result<User>| match r {
            Err(Error::Validation {
                fields,
                status: None,
                ..
            }) => fields[0].clone(),
            other => panic!("expected a local validation error, got {other:?}"),
        };
        assert_eq!(
            field(NewUser::with_password("", "pw").into_user("/h")),
            "username"
        );
        assert_eq!(
            field(NewUser::with_password("a/b", "pw").into_user("/h")),
            "username"
        );
        assert_eq!(
            field(NewUser::with_password("..", "pw").into_user("/h")),
            "username"
        );
        assert_eq!(
            field(
                NewUser::with_password("bob", "pw")
                    .home_dir("rel/bob")
                    .into_user("/h")
            ),
            "home_dir"
        );
        assert_eq!(
            field(
                NewUser::with_password("bob", "pw")
                    .home_dir("/srv/../etc")
                    .into_user("/h")
            ),
            "home_dir"
        );
        assert_eq!(
            field(NewUser::with_password("bob", "").into_user("/h")),
            "password"
        );
        let no_keys: [&str; 0] = [];
        assert_eq!(
            field(NewUser::with_public_keys("bob", no_keys).into_user("/h")),
            "public_keys"
        );
    }

    #[test]
    fn updates_replace_the_given_fields_and_merge_filters_key_by_key() {
        let current: User = serde_json::from_value(serde_json::json!({
            "username": "u", "quota_size": 5, "home_dir": "/h",
            "filters": {"allowed_ip": ["1.2.3.4/32"], "denied_login_methods": ["password"]}
        }))
        .unwrap();
        let changes: User = serde_json::from_value(serde_json::json!({
            "quota_size": 9, "filters": {"allowed_ip": ["10.0.0.0/8"]}
        }))
        .unwrap();
        let merged = serde_json::to_value(merge(&current, &changes).unwrap()).unwrap();
        assert_eq!(merged["quota_size"], 9);
        assert_eq!(merged["home_dir"], "/h");
        assert_eq!(
            merged["filters"]["allowed_ip"],
            serde_json::json!(["10.0.0.0/8"])
        );
        assert_eq!(
            merged["filters"]["denied_login_methods"],
            serde_json::json!(["password"])
        );
    }

    #[test]
    fn the_password_never_shows_in_debug() {
        let user = NewUser::with_password("alice", "hunter2-secret");
        assert!(!format!("{user:?}").contains("hunter2-secret"));
    }
}
