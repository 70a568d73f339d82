//! DNS records under their zone (`plid`): `domain.sublist` (the list),
//! `domain.record.edit`, `domain.record.delete`.

use panelkit_core::Result;

use super::apply::{check_elid, check_elids, check_fields, merge, pairs, Change};
use super::{Client, Form, Row};

/// The DNS record helpers of a [`Client`] (`client.dns()`).
#[derive(Clone, Copy, Debug)]
pub struct Dns<'a> {
    pub(super) client: &'a Client,
}

impl Dns<'_> {
    /// The records of one zone (`func=domain.sublist&plid=ZONE`).
    pub async fn records(&self, zone: &str) -> Result<Vec<Row>> {
        check_elid("zone", zone)?;
        self.client.inner.domain_sublist(zone).await
    }

    /// One record's form (`func=domain.record.edit&plid=ZONE&elid=ID`).
    pub async fn record(&self, zone: &str, id: &str) -> Result<Form> {
        check_elid("zone", zone)?;
        check_elid("record id", id)?;
        self.client.inner.domain_record_edit(zone, Some(id)).await
    }

    /// Adds a record to a zone (`domain.record.edit` with `sok=ok`, no
    /// `elid`); `fields` are e.g. `name`, `rtype`, `ttl`, `ip` or `value`.
    pub async fn add_record(&self, zone: &str, fields: &[(&str, &str)]) -> Result<Change> {
        check_elid("zone", zone)?;
        check_fields(fields)?;
        let outcome = self
            .client
            .inner
            .domain_record_edit_submit(zone, None, fields)
            .await?;
        Ok(Change::from_outcome(outcome))
    }

    /// Changes some fields of a record; every other field keeps its value.
    pub async fn update_record(
        &self,
        zone: &str,
        id: &str,
        changes: &[(&str, &str)],
    ) -> Result<Change> {
        let form = self.record(zone, id).await?;
        let merged = merge(&form, changes)?;
        let outcome = self
            .client
            .inner
            .domain_record_edit_submit(zone, Some(id), &pairs(&merged))
            .await?;
        Ok(Change::from_outcome(outcome))
    }

    /// Deletes records of one zone in one group operation (`domain.record.delete`).
    pub async fn delete_records(&self, zone: &str, ids: &[&str]) -> Result<Change> {
        check_elid("zone", zone)?;
        check_elids(ids)?;
        Ok(Change::from_outcome(
            self.client
                .inner
                .domain_record_delete(zone, ids, &[])
                .await?,
        ))
    }
}
