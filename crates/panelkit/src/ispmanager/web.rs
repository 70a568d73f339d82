//! Web domains: `webdomain`, `webdomain.edit`, `webdomain.delete`.

use panelkit_core::Result;

use super::apply::{check_elid, check_elids, check_fields, merge, pairs, Change};
use super::{Client, Form, WebdomainRow};

/// The web domain helpers of a [`Client`] (`client.sites()`).
#[derive(Clone, Copy, Debug)]
pub struct Sites<'a> {
    pub(super) client: &'a Client,
}

impl Sites<'_> {
    /// Every web domain the caller may see (`func=webdomain`), typed rows.
    pub async fn webdomains(&self) -> Result<Vec<WebdomainRow>> {
        self.client.inner.webdomain().await
    }

    /// One web domain's form (`func=webdomain.edit&elid=NAME`).
    pub async fn webdomain(&self, name: &str) -> Result<Form> {
        check_elid("web domain name", name)?;
        self.client.inner.webdomain_edit(Some(name)).await
    }

    /// Creates a web domain (`webdomain.edit` with `sok=ok`, no `elid`).
    pub async fn add_webdomain(&self, name: &str, fields: &[(&str, &str)]) -> Result<Change> {
        check_elid("web domain name", name)?;
        check_fields(fields)?;
        let mut params = vec![("name", name)];
        params.extend_from_slice(fields);
        let outcome = self
            .client
            .inner
            .webdomain_edit_submit(None, &params)
            .await?;
        Ok(Change::from_outcome(outcome))
    }

    /// Changes some fields of a web domain; every other field keeps its value.
    pub async fn update_webdomain(&self, name: &str, changes: &[(&str, &str)]) -> Result<Change> {
        let form = self.webdomain(name).await?;
        let merged = merge(&form, changes)?;
        let outcome = self
            .client
            .inner
            .webdomain_edit_submit(Some(name), &pairs(&merged))
            .await?;
        Ok(Change::from_outcome(outcome))
    }

    /// Deletes web domains in one group operation (`webdomain.delete`).
    pub async fn delete_webdomains(&self, names: &[&str]) -> Result<Change> {
        check_elids(names)?;
        Ok(Change::from_outcome(
            self.client.inner.webdomain_delete(names).await?,
        ))
    }
}
