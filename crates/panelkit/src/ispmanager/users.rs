//! Panel users: `user`, `user.edit`, `user.delete`.

use panelkit_core::{Result, Secret};

use super::apply::{check_elid, check_elids, check_fields, merge, pairs, Change};
use super::{Form, Ispmanager, UserRow};

impl Ispmanager {
    /// Every user the caller may see (`func=user`), typed rows.
    pub async fn users(&self) -> Result<Vec<UserRow>> {
        self.client.user().await
    }

    /// One user's form (`func=user.edit&elid=NAME`).
    pub async fn user(&self, name: &str) -> Result<Form> {
        check_elid("user name", name)?;
        self.client.user_edit(Some(name)).await
    }

    /// Creates a user (`user.edit` with `sok=ok`, no `elid`) with its
    /// password (sent as `passwd` and `confirm`) and any further fields.
    pub async fn create_user(
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
        let outcome = self.client.user_edit_submit(None, &params).await?;
        Ok(Change::from_outcome(outcome))
    }

    /// Changes some fields of a user; every other field keeps its value
    /// (read the form, merge, apply the whole form with `sok=ok`).
    pub async fn update_user(&self, name: &str, changes: &[(&str, &str)]) -> Result<Change> {
        let form = self.user(name).await?;
        let merged = merge(&form, changes)?;
        let outcome = self
            .client
            .user_edit_submit(Some(name), &pairs(&merged))
            .await?;
        Ok(Change::from_outcome(outcome))
    }

    /// Deletes users in one group operation (`user.delete`, ids joined with `", "`).
    pub async fn delete_users(&self, names: &[&str]) -> Result<Change> {
        check_elids(names)?;
        Ok(Change::from_outcome(self.client.user_delete(names).await?))
    }
}
