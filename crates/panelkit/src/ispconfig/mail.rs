//! Mail domains, mailboxes, aliases, forwards, catch-alls and alias domains.
//!
//! Footguns fixed here (besides the shared ones in [`super::crud`]):
//! - `mail_alias_add`, `mail_forward_add`, `mail_catchall_add` and
//!   `mail_aliasdomain_add` pick the form but never write `type`, so the row
//!   is none of them: the helpers always send it, with the domain's server,
//!   `active` and the form's `allow_send_as`/`greylisting`;
//! - aliases, forwards, catch-alls and alias domains share `mail_forwarding`
//!   and each `*_get` answers rows of every kind (`mail_forward_get` lists
//!   aliases too): the helpers only answer, update or delete their own kind;
//! - `mail_user_update` checks the domain of the `email` it is given against
//!   the primary mail domains, exactly and case-sensitively, although
//!   `mail_user_add` lower-cases the address first: an update is sent with the
//!   mailbox's address, lower-cased like an insert's.
//!
//! Reads answer the generated typed records (`records::MailDomain`,
//! `MailUser`, and per kind of `mail_forwarding` row `MailAlias`,
//! `MailForward`, `MailDomainCatchall`, `MailAliasdomain`, see
//! [`ForwardingRecord`]); updates take anything `Into<Changes>`, a typed
//! record with only the changed fields set included.

use panelkit_core::soap::Value;
use panelkit_core::{Error, Result, Secret};

use panelkit_core::ispconfig::fields::FormRecord;
use panelkit_ispconfig::records::{
    MailAlias, MailAliasdomain, MailDomain, MailDomainCatchall, MailForward, MailUser,
};

use panelkit_ispconfig::crud as descriptors;

use super::crud::{self, Changes, Form};
use super::filter::Filter;
use super::record::{decode, Record};
use super::Client;

impl Form for descriptors::MailDomain {
    const WHAT: &'static str = "mail domain";
}

impl Form for descriptors::MailUser {
    const WHAT: &'static str = "mailbox";
}

/// Declares each kind of `mail_forwarding` row: its descriptor's audit facts
/// (the `type` its methods' rows carry is set in the remote code, not in the
/// form, so it is stated here) and [`Forwarding`]'s dispatch to the shared
/// CRUD of the right descriptor.
macro_rules! forwarding_kinds {
    ($($kind:ident => $descriptor:ident, $what:literal, $type:literal;)*) => {
        $(impl Form for descriptors::$descriptor {
            const WHAT: &'static str = $what;
            const ROW_KIND: Option<&'static str> = Some($type);
        })*

        impl Forwarding {
            /// The `type` of the kind's rows.
            #[cfg(test)]
            fn row_kind(self) -> &'static str {
                match self {
                    $(Forwarding::$kind => $type,)*
                }
            }

            async fn get(self, client: &Client, id: i64) -> Result<Option<Record>> {
                match self {
                    $(Forwarding::$kind => crud::get::<descriptors::$descriptor>(client, id).await,)*
                }
            }

            async fn all(self, client: &Client) -> Result<Vec<Record>> {
                match self {
                    $(Forwarding::$kind => crud::all::<descriptors::$descriptor>(client).await,)*
                }
            }

            async fn find(self, client: &Client, filter: Filter) -> Result<Vec<Record>> {
                match self {
                    $(Forwarding::$kind => crud::find::<descriptors::$descriptor>(client, filter).await,)*
                }
            }

            async fn add(self, client: &Client, owner: i64, row: Record) -> Result<i64> {
                match self {
                    $(Forwarding::$kind => crud::add::<descriptors::$descriptor>(client, owner, row).await,)*
                }
            }

            async fn update(self, client: &Client, id: i64, changes: Changes) -> Result<Record> {
                match self {
                    $(Forwarding::$kind => crud::update::<descriptors::$descriptor>(client, id, changes).await,)*
                }
            }

            async fn delete(self, client: &Client, id: i64) -> Result<bool> {
                match self {
                    $(Forwarding::$kind => crud::delete::<descriptors::$descriptor>(client, id).await,)*
                }
            }
        }
    };
}

forwarding_kinds! {
    Alias => MailAlias, "mail alias", "alias";
    Forward => MailForward, "mail forward", "forward";
    Catchall => MailCatchall, "catch-all", "catchall";
    AliasDomain => MailAliasdomain, "alias domain", "aliasdomain";
}

/// The kinds of `mail_forwarding` rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Forwarding {
    /// `address@domain` delivered to a mailbox.
    Alias,
    /// `address@domain` sent on to other addresses.
    Forward,
    /// `@domain`: everything not otherwise delivered.
    Catchall,
    /// `@domain` as another name for `@other-domain`.
    AliasDomain,
}

impl Forwarding {
    /// The form's `allow_send_as` default.
    fn allow_send_as(self) -> &'static str {
        match self {
            Forwarding::Alias => "y",
            _ => "n",
        }
    }
}

/// The typed record of one kind of `mail_forwarding` row: picks the kind the
/// generic forwarding helpers read and update (`mail.forwarding::<MailAlias>(id)`).
pub trait ForwardingRecord: FormRecord {
    /// The kind of row the record is.
    const KIND: Forwarding;
}

impl ForwardingRecord for MailAlias {
    const KIND: Forwarding = Forwarding::Alias;
}

impl ForwardingRecord for MailForward {
    const KIND: Forwarding = Forwarding::Forward;
}

impl ForwardingRecord for MailDomainCatchall {
    const KIND: Forwarding = Forwarding::Catchall;
}

impl ForwardingRecord for MailAliasdomain {
    const KIND: Forwarding = Forwarding::AliasDomain;
}

/// The domain part of an address (`info@example.com` → `example.com`,
/// `@example.com` → `example.com`).
pub fn domain_of(address: &str) -> Result<&str> {
    match address.rsplit_once('@') {
        Some((_, domain)) if !domain.is_empty() => Ok(domain),
        _ => Err(Error::Validation {
            status: None,
            code: "invalid_address".to_owned(),
            message: format!("{address:?} has no @domain"),
            fields: vec!["email".to_owned()],
        }),
    }
}

/// The fields the GUI's mailbox form takes from the mail server's
/// configuration section (`mail_user_edit.php`, `onSubmit`).
fn mailbox_paths(config: &Record, email: &str) -> Result<Vec<(&'static str, Value)>> {
    let (local, domain) = email.split_once('@').unwrap_or((email, ""));
    let setting = |key: &str| -> Result<String> {
        config.text(key).ok_or_else(|| {
            Error::unexpected(
                None,
                format!("the mail server's configuration has no {key}"),
                b"",
            )
        })
    };
    let maildir = setting("maildir_path")?
        .replace("[domain]", domain)
        .replace("[localpart]", local);
    // Virtual uid/gid maps: the server part fills them in (-1 until then).
    let (uid, gid) = if config.text("mailbox_virtual_uidgid_maps").as_deref() == Some("y") {
        (-1, -1)
    } else {
        let id = |key: &str| setting(key).map(|v| v.trim().parse::<i64>().unwrap_or(-1));
        (id("mailuser_uid")?, id("mailuser_gid")?)
    };
    Ok(vec![
        ("maildir", Value::from(maildir)),
        ("homedir", Value::from(setting("homedir_path")?)),
        ("maildir_format", Value::from(setting("maildir_format")?)),
        ("uid", Value::Int(uid)),
        ("gid", Value::Int(gid)),
    ])
}

/// Mail helpers; from [`Client::mail`].
#[derive(Clone, Copy, Debug)]
pub struct Mail<'a> {
    pub(crate) client: &'a Client,
}

impl Mail<'_> {
    /// The mail domain with id `id`.
    pub async fn domain(&self, id: i64) -> Result<Option<MailDomain>> {
        crud::get_typed::<descriptors::MailDomain>(self.client, id).await
    }

    /// The mail domain named exactly `domain` (case-insensitive, as domains are).
    pub async fn find_domain(&self, domain: &str) -> Result<Option<MailDomain>> {
        self.find_domain_row(domain)
            .await?
            .map(Record::into_typed)
            .transpose()
    }

    async fn find_domain_row(&self, domain: &str) -> Result<Option<Record>> {
        let name = domain.trim().trim_end_matches('.').to_ascii_lowercase();
        Ok(
            crud::find::<descriptors::MailDomain>(self.client, Filter::new().eq("domain", &name))
                .await?
                .into_iter()
                .next(),
        )
    }

    /// Every mail domain.
    pub async fn domains(&self) -> Result<Vec<MailDomain>> {
        crud::all_typed::<descriptors::MailDomain>(self.client).await
    }

    /// Adds mail domain `domain` on server `server_id` for `client_id`
    /// (0: admin), active, DKIM off with the form's selector unless `extra`
    /// sets them (its `None` fields are not sent).
    pub async fn add_domain(
        &self,
        client_id: i64,
        server_id: i64,
        domain: &str,
        extra: MailDomain,
    ) -> Result<i64> {
        crud::check_id("server", "server_id", server_id)?;
        let mut row: Record = [
            ("server_id", Value::Int(server_id)),
            ("domain", domain.to_ascii_lowercase().into()),
        ]
        .into_iter()
        .collect();
        for (k, v) in Record::from_typed(&extra).fields() {
            row.set(k.clone(), v.clone());
        }
        row.set_default("dkim", "n");
        row.set_default("dkim_selector", "default");
        row.set_default("active", "y");
        crud::add::<descriptors::MailDomain>(self.client, client_id, row).await
    }

    /// Changes a mail domain (read-merge-write, owner kept).
    pub async fn update_domain(&self, id: i64, changes: impl Into<Changes>) -> Result<MailDomain> {
        crud::update_typed::<descriptors::MailDomain>(self.client, id, changes).await
    }

    /// Deletes a mail domain.
    pub async fn delete_domain(&self, id: i64) -> Result<bool> {
        crud::delete::<descriptors::MailDomain>(self.client, id).await
    }

    /// The mail domain of `address`, or [`Error::NotFound`].
    async fn domain_for(&self, address: &str) -> Result<Record> {
        let domain = domain_of(address)?;
        self.find_domain_row(domain)
            .await?
            .ok_or_else(|| Error::NotFound {
                status: None,
                code: "mail_domain_does_not_exist".to_owned(),
                message: format!("no mail domain {domain}"),
            })
    }

    /// The mailbox with id `id`.
    pub async fn mailbox(&self, id: i64) -> Result<Option<MailUser>> {
        crud::get_typed::<descriptors::MailUser>(self.client, id).await
    }

    /// Every mailbox, or with `domain` those whose address is in exactly
    /// that domain (case-insensitive; compared here, so that no LIKE
    /// pattern can widen it). The stored password hash is write-only: it is
    /// dropped on decoding and never returned.
    pub async fn mailboxes(&self, domain: Option<&str>) -> Result<Vec<MailUser>> {
        let mut all: Vec<MailUser> = crud::all_typed::<descriptors::MailUser>(self.client).await?;
        if let Some(domain) = domain {
            let suffix = format!(
                "@{}",
                domain.trim().trim_end_matches('.').to_ascii_lowercase()
            );
            all.retain(|m| {
                m.email
                    .as_deref()
                    .is_some_and(|e| e.to_ascii_lowercase().ends_with(&suffix))
            });
        }
        Ok(all)
    }

    /// The mailbox with address exactly `email`.
    pub async fn find_mailbox(&self, email: &str) -> Result<Option<MailUser>> {
        let email = email.trim().to_ascii_lowercase();
        Ok(crud::find_typed::<descriptors::MailUser>(
            self.client,
            Filter::new().eq("email", &email),
        )
        .await?
        .into_iter()
        .next())
    }

    /// Adds mailbox `email` (its domain must be a mail domain), owned by the
    /// domain's owner, on the domain's server, with login = address, unlimited
    /// quota (`0`), IMAP/POP3/SMTP on.
    ///
    /// Like the GUI, the mailbox's `maildir` (`maildir_path` with `[domain]`
    /// and `[localpart]` filled in), `homedir` (`homedir_path`),
    /// `maildir_format` and `uid`/`gid` come from the mail server's
    /// configuration (`server_get(server_id, "mail")`, read once per server):
    /// `mail_user_add` leaves `maildir` and `homedir` empty otherwise, and a
    /// mailbox without a maildir receives no mail.
    pub async fn add_mailbox(
        &self,
        email: &str,
        password: &Secret,
        extra: MailUser,
    ) -> Result<i64> {
        let extra = Record::from_typed(&extra);
        let email = email.trim().to_ascii_lowercase();
        let domain = self.domain_for(&email).await?;
        let owner = self.client.owner_of(&domain).await?;
        let server_id = domain
            .int("server_id")
            .ok_or_else(|| Error::unexpected(None, "the mail domain has no server_id", b""))?;
        let config = self.client.server_config(server_id, "mail").await?;
        let mut row: Record = [
            ("server_id", Value::Int(server_id)),
            ("email", email.clone().into()),
            ("login", email.clone().into()),
            ("password", password.expose().into()),
        ]
        .into_iter()
        .collect();
        for (k, v) in extra.fields() {
            row.set(k.clone(), v.clone());
        }
        for (key, value) in mailbox_paths(&config, &email)? {
            row.set_default(key, value);
        }
        crud::add::<descriptors::MailUser>(self.client, owner, row).await
    }

    /// Changes a mailbox: read-merge-write (the password hash is never sent
    /// back; set `password` in the changes to change it) with the address
    /// lower-cased, as `mail_user_update` checks its domain case-sensitively;
    /// the address is always sent (the stored one unless changed).
    pub async fn update_mailbox(&self, id: i64, changes: impl Into<Changes>) -> Result<MailUser> {
        let changes: Changes = changes.into();
        let changes = match changes.fields().text("email") {
            Some(email) => changes.set("email", email.trim().to_ascii_lowercase()),
            None => changes,
        };
        crud::update_typed::<descriptors::MailUser>(self.client, id, changes).await
    }

    /// Deletes a mailbox.
    pub async fn delete_mailbox(&self, id: i64) -> Result<bool> {
        crud::delete::<descriptors::MailUser>(self.client, id).await
    }

    /// The row of `T`'s kind with id `id` (`forwarding::<MailAlias>(id)`);
    /// `None` when absent or of another kind.
    pub async fn forwarding<T: ForwardingRecord>(&self, id: i64) -> Result<Option<T>> {
        T::KIND
            .get(self.client, id)
            .await?
            .map(Record::into_typed)
            .transpose()
    }

    /// Every row of `T`'s kind (aliases never list forwards, and so on).
    pub async fn forwardings<T: ForwardingRecord>(&self) -> Result<Vec<T>> {
        T::KIND
            .all(self.client)
            .await?
            .into_iter()
            .map(Record::into_typed)
            .collect()
    }

    /// Rows of `T`'s kind whose source is exactly `source`.
    pub async fn find_forwardings<T: ForwardingRecord>(&self, source: &str) -> Result<Vec<T>> {
        let source = source.trim().to_ascii_lowercase();
        T::KIND
            .find(self.client, Filter::new().eq("source", &source))
            .await?
            .into_iter()
            .map(Record::into_typed)
            .collect()
    }

    /// Adds alias `source` → mailbox `destination`.
    pub async fn add_alias(&self, source: &str, destination: &str) -> Result<i64> {
        self.add_forwarding(Forwarding::Alias, source, destination)
            .await
    }

    /// Adds forward `source` → `destination` (addresses separated by commas
    /// or newlines).
    pub async fn add_forward(&self, source: &str, destination: &str) -> Result<i64> {
        self.add_forwarding(Forwarding::Forward, source, destination)
            .await
    }

    /// Adds the catch-all of `domain` → `destination`.
    pub async fn add_catchall(&self, domain: &str, destination: &str) -> Result<i64> {
        let source = format!("@{}", domain.trim().trim_start_matches('@'));
        self.add_forwarding(Forwarding::Catchall, &source, destination)
            .await
    }

    /// Adds `alias_domain` as another name of mail domain `domain`.
    ///
    /// Checked as the GUI's alias-domain form does (`mail_aliasdomain_add`
    /// itself checks nothing): both must be mail domains of the same owner
    /// (the GUI: mail domains the user may read; the panel's error key
    /// `no_domain_perm`), and they must differ
    /// (`source_destination_identical_txt`). Nothing is sent otherwise.
    pub async fn add_alias_domain(&self, alias_domain: &str, domain: &str) -> Result<i64> {
        let alias_name = alias_domain
            .trim()
            .trim_start_matches('@')
            .to_ascii_lowercase();
        let domain_name = domain.trim().trim_start_matches('@').to_ascii_lowercase();
        if alias_name == domain_name {
            return Err(Error::Validation {
                status: None,
                code: "source_destination_identical_txt".to_owned(),
                message: format!("alias domain and domain are the same ({alias_name}); not sent"),
                fields: vec!["source".to_owned(), "destination".to_owned()],
            });
        }
        // The alias domain's row belongs to the destination's owner.
        let owner_domain = self.domain_for(&format!("@{domain_name}")).await?;
        let alias_row = self.find_domain_row(&alias_name).await?;
        let same_owner = alias_row
            .as_ref()
            .is_some_and(|row| row.int("sys_groupid") == owner_domain.int("sys_groupid"));
        if !same_owner {
            return Err(Error::Validation {
                status: None,
                code: "no_domain_perm".to_owned(),
                message: format!(
                    "{alias_name} is not a mail domain of the owner of {domain_name}; not sent \
                     (the GUI refuses an alias domain whose source is not one of the owner's \
                     mail domains)"
                ),
                fields: vec!["source".to_owned()],
            });
        }
        self.insert_forwarding(
            Forwarding::AliasDomain,
            &owner_domain,
            &format!("@{alias_name}"),
            &format!("@{domain_name}"),
        )
        .await
    }

    /// Adds a row of `kind`: `type` set, on the source domain's server,
    /// owned by its owner, active, with the form's flags.
    pub async fn add_forwarding(
        &self,
        kind: Forwarding,
        source: &str,
        destination: &str,
    ) -> Result<i64> {
        let domain = self.domain_for(source).await?;
        self.insert_forwarding(kind, &domain, source, destination)
            .await
    }

    async fn insert_forwarding(
        &self,
        kind: Forwarding,
        domain: &Record,
        source: &str,
        destination: &str,
    ) -> Result<i64> {
        let owner = self.client.owner_of(domain).await?;
        let mut row: Record = [
            (
                "server_id",
                domain.get("server_id").cloned().unwrap_or(Value::Null),
            ),
            ("source", source.trim().to_ascii_lowercase().into()),
            ("destination", destination.trim().into()),
            ("active", "y".into()),
        ]
        .into_iter()
        .collect();
        if kind != Forwarding::AliasDomain {
            row.set("allow_send_as", kind.allow_send_as());
            row.set("greylisting", "n");
        }
        kind.add(self.client, owner, row).await
    }

    /// Changes a row of `T`'s kind (read-merge-write; kind and owner kept).
    pub async fn update_forwarding<T: ForwardingRecord>(
        &self,
        id: i64,
        changes: impl Into<Changes>,
    ) -> Result<T> {
        decode(
            T::KIND
                .update(self.client, id, changes.into())
                .await?
                .into_value(),
        )
    }

    /// Deletes the `kind` row with id `id` (never a row of another kind).
    pub async fn delete_forwarding(&self, kind: Forwarding, id: i64) -> Result<bool> {
        kind.delete(self.client, id).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_of_addresses() {
        assert_eq!(domain_of("info@example.com").unwrap(), "example.com");
        assert_eq!(domain_of("@example.com").unwrap(), "example.com");
        assert_eq!(domain_of("a@b@example.com").unwrap(), "example.com");
        assert!(domain_of("example.com").is_err());
        assert!(domain_of("info@").is_err());
    }

    #[test]
    fn each_kind_has_its_form() {
        for (kind, ty) in [
            (Forwarding::Alias, "alias"),
            (Forwarding::Forward, "forward"),
            (Forwarding::Catchall, "catchall"),
            (Forwarding::AliasDomain, "aliasdomain"),
        ] {
            assert_eq!(kind.row_kind(), ty);
        }
    }
}
