//! Mailboxes: `email`, `email.edit`. The inventory has no function that
//! deletes a mailbox, so there is no delete helper.

use panelkit_core::Result;

use super::apply::{check_elid, check_fields, merge, pairs, Change};
use super::{Client, EmailRow, Form};

/// The mailbox helpers of a [`Client`] (`client.mail()`).
#[derive(Clone, Copy, Debug)]
pub struct Mail<'a> {
    pub(super) client: &'a Client,
}

impl Mail<'_> {
    /// Every mailbox the caller may see (`func=email`), typed rows.
    pub async fn mailboxes(&self) -> Result<Vec<EmailRow>> {
        self.client.inner.email().await
    }

    /// One mailbox's form (`func=email.edit&elid=ADDRESS`).
    pub async fn mailbox(&self, address: &str) -> Result<Form> {
        check_elid("mailbox", address)?;
        self.client.inner.email_edit(Some(address)).await
    }

    /// Creates a mailbox (`email.edit` with `sok=ok`, no `elid`).
    pub async fn add_mailbox(&self, address: &str, fields: &[(&str, &str)]) -> Result<Change> {
        check_elid("mailbox", address)?;
        check_fields(fields)?;
        let mut params = vec![("name", address)];
        params.extend_from_slice(fields);
        let outcome = self.client.inner.email_edit_submit(None, &params).await?;
        Ok(Change::from_outcome(outcome))
    }

    /// Changes some fields of a mailbox; every other field keeps its value.
    pub async fn update_mailbox(&self, address: &str, changes: &[(&str, &str)]) -> Result<Change> {
        let form = self.mailbox(address).await?;
        let merged = merge(&form, changes)?;
        let outcome = self
            .client
            .inner
            .email_edit_submit(Some(address), &pairs(&merged))
            .await?;
        Ok(Change::from_outcome(outcome))
    }
}
