//! Databases: `db`, `db.edit`, `db.delete`.

use panelkit_core::Result;

use super::apply::{check_elid, check_elids, check_fields, merge, pairs, Change};
use super::{Client, DbRow, Form};

/// The database helpers of a [`Client`] (`client.databases()`).
#[derive(Clone, Copy, Debug)]
pub struct Databases<'a> {
    pub(super) client: &'a Client,
}

impl Databases<'_> {
    /// Every database the caller may see (`func=db`), typed rows.
    pub async fn databases(&self) -> Result<Vec<DbRow>> {
        self.client.inner.db().await
    }

    /// One database's form (`func=db.edit&elid=ID`).
    pub async fn database(&self, id: &str) -> Result<Form> {
        check_elid("database id", id)?;
        self.client.inner.db_edit(Some(id)).await
    }

    /// Creates a database (`db.edit` with `sok=ok`, no `elid`).
    pub async fn add_database(&self, name: &str, fields: &[(&str, &str)]) -> Result<Change> {
        check_elid("database name", name)?;
        check_fields(fields)?;
        let mut params = vec![("name", name)];
        params.extend_from_slice(fields);
        let outcome = self.client.inner.db_edit_submit(None, &params).await?;
        Ok(Change::from_outcome(outcome))
    }

    /// Changes some fields of a database; every other field keeps its value.
    pub async fn update_database(&self, id: &str, changes: &[(&str, &str)]) -> Result<Change> {
        let form = self.database(id).await?;
        let merged = merge(&form, changes)?;
        let outcome = self
            .client
            .inner
            .db_edit_submit(Some(id), &pairs(&merged))
            .await?;
        Ok(Change::from_outcome(outcome))
    }

    /// Deletes databases in one group operation (`db.delete`).
    pub async fn delete_databases(&self, ids: &[&str]) -> Result<Change> {
        check_elids(ids)?;
        Ok(Change::from_outcome(
            self.client.inner.db_delete(ids).await?,
        ))
    }
}
