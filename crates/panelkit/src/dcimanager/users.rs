//! Users: the list as a [`Pages`] stream, and creating one
//! (`POST /api/dci/v3/user`) from typed input.

use panelkit_core::dcimanager::{self, Service};
use panelkit_core::{Error, Result, Secret};
use panelkit_dcimanager::types::UserCreateBody;
use serde_json::Value;

use super::{pages, Client};
use crate::paging::Pages;

/// A user to create. The password is a [`Secret`]: never in `Debug`, logs or
/// errors.
#[derive(Clone, Debug)]
pub struct NewUser {
    /// The login email.
    pub email: String,
    /// The password.
    pub password: Secret,
    /// The role (`@user`, `@admin`, a custom role); the panel's default
    /// when `None`.
    pub role: Option<String>,
    /// Full name.
    pub full_name: Option<String>,
    /// Phone number.
    pub phone_number: Option<String>,
}

impl NewUser {
    /// A user with an email and a password, the rest left to the panel.
    pub fn new(email: impl Into<String>, password: impl Into<Secret>) -> Self {
        NewUser {
            email: email.into(),
            password: password.into(),
            role: None,
            full_name: None,
            phone_number: None,
        }
    }

    /// Sets the role.
    pub fn role(mut self, role: impl Into<String>) -> Self {
        self.role = Some(role.into());
        self
    }

    /// Sets the full name.
    pub fn full_name(mut self, name: impl Into<String>) -> Self {
        self.full_name = Some(name.into());
        self
    }

    /// Sets the phone number.
    pub fn phone_number(mut self, phone: impl Into<String>) -> Self {
        self.phone_number = Some(phone.into());
        self
    }

    /// The request body, after the local checks (an email with `@`, a
    /// non-empty password).
    fn into_body(self) -> Result<UserCreateBody> {
        let email = self.email.trim();
        let (local, domain) = email.split_once('@').unwrap_or_default();
        if local.is_empty() || domain.is_empty() {
            return Err(invalid(
                "email",
                "a user needs an email address (name@domain)",
            ));
        }
        if self.password.expose().is_empty() {
            return Err(invalid("password", "a user needs a non-empty password"));
        }
        Ok(UserCreateBody {
            email: email.to_owned(),
            password: Some(self.password),
            role: self.role,
            full_name: self.full_name,
            phone_number: self.phone_number,
        })
    }
}

fn invalid(field: &str, message: &str) -> Error {
    Error::Validation {
        code: "local".to_owned(),
        message: message.to_owned(),
        fields: vec![field.to_owned()],
        status: None,
    }
}

/// The user helpers of a [`Client`] (`client.users()`).
#[derive(Clone, Copy, Debug)]
pub struct Users<'a> {
    pub(super) client: &'a Client,
}

impl<'a> Users<'a> {
    /// Every user, page by page (the list operation `user_list`,
    /// `GET /api/dci/v3/user` with `limit=offset,count`), as the panel
    /// answers each (the documentation promises no fixed shape).
    pub fn all(&self) -> Pages<'a, Value> {
        pages(
            self.client.rest(),
            dcimanager::list(Service::Dci, "/user"),
            None,
        )
    }

    /// Creates a user (generated `user_create`); returns its id. An answer
    /// without an id is an [`Error::UnexpectedResponse`].
    pub async fn create(&self, user: &NewUser) -> Result<i64> {
        let body = user.clone().into_body()?;
        let answer = self.client.generated().user_create(&body).await?;
        answer.id.ok_or_else(|| {
            Error::unexpected(Some(200), "user_create: the answer has no \"id\"", b"")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_and_redacts() {
        let user = NewUser::new("a@example.com", "hunter2").role("@user");
        assert!(!format!("{user:?}").contains("hunter2"));
        let body = user.into_body().unwrap();
        assert!(!format!("{body:?}").contains("hunter2"));
        for (email, password, field) in [
            ("nobody", "x", "email"),
            ("@example.com", "x", "email"),
            ("a@", "x", "email"),
            ("a@example.com", "", "password"),
        ] {
            match NewUser::new(email, password).into_body() {
                Err(Error::Validation { fields, .. }) => assert_eq!(fields, [field]),
                other => panic!("{email}: {other:?}"),
            }
        }
    }
}
