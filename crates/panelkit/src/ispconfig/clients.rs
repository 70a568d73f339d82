//! Clients and resellers.
//!
//! Footguns fixed here (besides the shared ones in [`super::crud`]):
//! - `client_update(client_id, reseller_id, params)` takes the record's id
//!   first and the owning reseller second, unlike every other update
//!   (`client_id, primary_id, params`): [`Clients::update`] takes the id and
//!   the changes and sends them in the panel's order;
//! - a `reseller_id > 0` re-owns the client record to that reseller (and
//!   never changes `parent_client_id`): the helper sends 0, keeping both;
//! - `client_update` merges the stored row itself before writing, so the
//!   stored password hash is hashed again unless it is flagged as hashed:
//!   the helper always sends it flagged (or the caller's new password);
//! - resellers are clients with `limit_client != 0`; the panel's reads do not
//!   tell them apart, [`Clients::resellers`] does.
//!
//! Reads answer the generated `records::Client` (resellers are clients too);
//! updates take anything `Into<Changes>`, a typed record with only the
//! changed fields set included.

use panelkit_core::soap::Value;
use panelkit_core::{Error, Result, Secret};

use panelkit_ispconfig::records;

use panelkit_ispconfig::crud as descriptors;

use super::crud::{self, Changes, Form};
use super::filter::Filter;
use super::record::Record;
use super::Client;

/// `client_*` over `client.tform.php` / `reseller.tform.php`.
impl Form for descriptors::Client {
    const WHAT: &'static str = "client";
    const PREMERGED: bool = true;
}

/// The client form's descriptor.
type ClientForm = descriptors::Client;

/// A new client's login and contact.
#[derive(Clone, Debug)]
pub struct NewClient {
    /// Panel login name.
    pub username: String,
    /// Panel login password.
    pub password: Secret,
    /// Contact person (required by the form).
    pub contact_name: String,
    /// Contact e-mail (required by the form).
    pub email: String,
    /// Company, may be empty.
    pub company_name: String,
}

fn is_reseller(record: &records::Client) -> bool {
    record.limit_client.is_some_and(|n| n != 0)
}

/// Client helpers; from [`Client::clients`].
#[derive(Clone, Copy, Debug)]
pub struct Clients<'a> {
    pub(crate) client: &'a Client,
}

impl Clients<'_> {
    /// The client (or reseller) with id `id`.
    pub async fn get(&self, id: i64) -> Result<Option<records::Client>> {
        crud::get_typed::<ClientForm>(self.client, id).await
    }

    /// Every client and reseller.
    pub async fn all(&self) -> Result<Vec<records::Client>> {
        crud::all_typed::<ClientForm>(self.client).await
    }

    /// Every reseller (`limit_client != 0`).
    pub async fn resellers(&self) -> Result<Vec<records::Client>> {
        let mut rows = self.all().await?;
        rows.retain(is_reseller);
        Ok(rows)
    }

    /// The clients of reseller `reseller_id` (0: the admin's own clients).
    pub async fn of_reseller(&self, reseller_id: i64) -> Result<Vec<records::Client>> {
        crud::check_client_id(reseller_id)?;
        let filter = Filter::new().eq("parent_client_id", reseller_id);
        crud::find_typed::<ClientForm>(self.client, filter).await
    }

    /// Clients whose company name is exactly `name` (no `LIKE` surprises
    /// from `%` or `_`).
    pub async fn find_by_company(&self, name: &str) -> Result<Vec<records::Client>> {
        crud::find_typed::<ClientForm>(self.client, Filter::new().eq("company_name", name)).await
    }

    /// The client whose panel login is exactly `username`.
    pub async fn find_by_username(&self, username: &str) -> Result<Option<records::Client>> {
        Ok(
            crud::find_typed::<ClientForm>(self.client, Filter::new().eq("username", username))
                .await?
                .into_iter()
                .next(),
        )
    }

    /// Adds a client of reseller `reseller_id` (0: the admin's), without limits
    /// of its own beyond the form's.
    pub async fn add(
        &self,
        reseller_id: i64,
        new: NewClient,
        extra: records::Client,
    ) -> Result<i64> {
        self.insert(reseller_id, new, extra, 0).await
    }

    /// Adds a reseller (a client that may have `limit_client` clients; -1:
    /// unlimited), owned by the admin; its panel login gets the `client`
    /// module, as a reseller made in the GUI does.
    ///
    /// `client_add` gives the login the `client` module only when
    /// `limit_client > 0` (`ispconfig_sysuser_add`), while the GUI's
    /// reseller form always does: a reseller added with -1 could not manage
    /// clients. So an unlimited reseller is added with a limit of 1 (module
    /// given) and then raised to -1 by `client_update`, which keeps the
    /// login's modules. If that second step fails, the error says so and
    /// names the new reseller, limited to one client.
    pub async fn add_reseller(
        &self,
        new: NewClient,
        limit_client: i64,
        extra: records::Client,
    ) -> Result<i64> {
        let limit = if limit_client <= 0 { -1 } else { limit_client };
        let id = self.insert(0, new, extra, limit.max(1)).await?;
        if limit < 0 {
            let raise = Changes::new().set("limit_client", -1);
            if let Err(error) = crud::update::<ClientForm>(self.client, id, raise).await {
                return Err(Error::Fault {
                    status: None,
                    code: "reseller_half_added".to_owned(),
                    message: format!(
                        "reseller {id} was added with limit_client 1, but raising it to \
                         unlimited (-1) failed: {error}"
                    ),
                });
            }
        }
        Ok(id)
    }

    async fn insert(
        &self,
        reseller_id: i64,
        new: NewClient,
        extra: records::Client,
        limit_client: i64,
    ) -> Result<i64> {
        let extra = Record::from_typed(&extra);
        let mut row: Record = [
            ("username", Value::from(new.username)),
            ("password", new.password.expose().into()),
            ("contact_name", new.contact_name.into()),
            ("email", new.email.into()),
            ("company_name", new.company_name.into()),
            ("parent_client_id", Value::Int(reseller_id)),
            ("limit_client", Value::Int(limit_client)),
        ]
        .into_iter()
        .collect();
        for (k, v) in extra.fields() {
            row.set(k.clone(), v.clone());
        }
        // The form's defaults fill the rest (unlimited limits, the default
        // servers, not locked or cancelled). Besides them: the GUI's
        // language and theme; no master template (the form's default, 1,
        // names a template a panel may not have, whose limits would then
        // apply); and every option of the two checkbox lists the form
        // requires but leaves empty (the GUI makes the admin tick them;
        // these are the options the form offers).
        for (key, value) in [
            ("language", Value::from("en")),
            ("usertheme", "default".into()),
            ("template_master", Value::Int(0)),
            ("template_additional", "".into()),
            (
                "web_php_options",
                "no,fast-cgi,cgi,mod,suphp,php-fpm".into(),
            ),
            ("ssh_chroot", "no,jailkit".into()),
        ] {
            row.set_default(key, value);
        }
        crud::add::<ClientForm>(self.client, reseller_id, row).await
    }

    /// Changes client `id`: read-merge-write, arguments in `client_update`'s
    /// own order, reseller and owner kept, the password kept (the method
    /// merges the stored row itself, so without this its hash would be hashed
    /// again and the client locked out; set `password` in the changes to
    /// change it).
    ///
    /// Moving a client to another reseller is refused
    /// ([`Error::Validation`], nothing sent): 3.2.12p1's `client_update`
    /// re-owns the row to the reseller but never writes `parent_client_id`
    /// (not a form field), which would leave the client half-moved.
    pub async fn update(&self, id: i64, changes: impl Into<Changes>) -> Result<records::Client> {
        let changes: Changes = changes.into();
        crud::refuse_move(
            "client",
            id,
            &changes,
            "parent_client_id (client_update never writes it), so the client half-moved",
        )?;
        crud::update_typed::<ClientForm>(self.client, id, changes).await
    }

    /// Deletes client `id` (its sites, mail and DNS stay: see
    /// `client_delete_everything` in the generated client for the rest).
    pub async fn delete(&self, id: i64) -> Result<bool> {
        crud::delete::<ClientForm>(self.client, id).await
    }
}
