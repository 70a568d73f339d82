//! Panel users: `user`, `user.edit`, `user.delete`.

use panelkit_core::{Result, Secret};

use super::apply::{check_elid, check_elids, check_fields, merge, pairs, Change};
use super::{Client, Form, UserRow};

/// The user helpers of a [`Client`] (`client.users()`).
#[derive(Clone, Copy, Debug)]
pub struct Users<'a> {
    pub(super) client: &'a Client,
}

impl Users<'_> {
    /// Every user the caller may see (`func=user`), typed rows.
    pub async fn all(&self) -> Result<Vec<UserRow>> {
        self.client.inner.user().await
    }

    /// One user's form (`func=user.edit&elid=NAME`).
    pub async fn get(&self, name: &str) -> Result<Form> {
        check_elid("user name", name)?;
        self.client.inner.user_edit(Some(name)).await
    }

    /// Creates a user (`user.edit` with `sok=ok`, no `elid`) with its
    /// password (sent as `passwd` and `confirm`) and any further fields.
    pub async fn add(
        &self,
        name: &str,
        password: &Secret,
        fields: &[(&str, &str)],
    ) -> Result<Change> {
        check_elid("user name", name)?;
        check_fields(fields)?;
        let mut params = vec![
            ("name", name),
            ("passwd", password.expose()),
            ("confirm", password.expose()),
        ];
        params.extend_from_slice(fields);
        let outcome = self.client.inner.user_edit_submit(None, &params).await?;
        Ok(Change::from_outcome(outcome))
    }

    /// Changes some fields of a user; every other field keeps its value
    /// (read the form, merge, apply the whole form with `sok=ok`).
    pub async fn update(&self, name: &str, changes: &[(&str, &str)]) -> Result<Change> {
        let form = self.get(name).await?;
        let merged = merge(&form, changes)?;
        let outcome = self
            .client
            .inner
            .user_edit_submit(Some(name), &pairs(&merged))
            .await?;
        Ok(Change::from_outcome(outcome))
    }

    /// Deletes users in one group operation (`user.delete`, ids joined with `", "`).
    pub async fn delete(&self, names: &[&str]) -> Result<Change> {
        check_elids(names)?;
        Ok(Change::from_outcome(
            self.client.inner.user_delete(names).await?,
        ))
    }
}
