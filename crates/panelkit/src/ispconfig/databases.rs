//! Databases and database users.
//!
//! Footguns fixed here (besides the shared ones in [`super::crud`]):
//! - databases are added with the site's server and owner and every field the
//!   form needs (type, quota, charset, remote access, backups), since inserts
//!   apply no form defaults;
//! - a database user's password is taken as [`Secret`], and its stored hash
//!   is never sent back by an update (the panel would hash the hash).
//!
//! Reads answer the generated `records::Database` / `records::DatabaseUser`;
//! updates take anything `Into<Changes>`, a typed record with only the
//! changed fields set included.

use panelkit_core::soap::Value;
use panelkit_core::{Result, Secret};

use panelkit_ispconfig::records::{Database, DatabaseUser, WebVhostDomain};

use panelkit_ispconfig::crud as descriptors;

use super::crud::{self, Changes, Form};
use super::filter::Filter;
use super::record::Record;
use super::Client;

impl Form for descriptors::SitesDatabase {
    const WHAT: &'static str = "database";
}

impl Form for descriptors::SitesDatabaseUser {
    const WHAT: &'static str = "database user";
}

/// Database helpers; from [`Client::databases`].
#[derive(Clone, Copy, Debug)]
pub struct Databases<'a> {
    pub(crate) client: &'a Client,
}

impl Databases<'_> {
    /// The database with id `id`.
    pub async fn database(&self, id: i64) -> Result<Option<Database>> {
        crud::get_typed::<descriptors::SitesDatabase>(self.client, id).await
    }

    /// Every database.
    pub async fn databases(&self) -> Result<Vec<Database>> {
        crud::all_typed::<descriptors::SitesDatabase>(self.client).await
    }

    /// Databases named exactly `name` (names often contain `_`, which the
    /// panel would take as a wildcard next to a `%`).
    pub async fn find_databases(&self, name: &str) -> Result<Vec<Database>> {
        crud::find_typed::<descriptors::SitesDatabase>(
            self.client,
            Filter::new().eq("database_name", name),
        )
        .await
    }

    /// Adds MySQL database `name` to `site` (a web domain record) with user
    /// `user_id`, on the site's server and owned by the site's owner:
    /// unlimited quota, server charset, no remote access, no backups, active.
    pub async fn add_database(
        &self,
        site: &WebVhostDomain,
        name: &str,
        user_id: i64,
        extra: Database,
    ) -> Result<i64> {
        crud::check_id("database user", "database_user_id", user_id)?;
        let site = &Record::from_typed(site);
        let extra = Record::from_typed(&extra);
        let owner = self.client.owner_of(site).await?;
        let mut row: Record = [
            (
                "server_id",
                site.get("server_id").cloned().unwrap_or(Value::Null),
            ),
            (
                "parent_domain_id",
                site.get("domain_id").cloned().unwrap_or(Value::Null),
            ),
            ("database_name", name.into()),
            ("database_user_id", Value::Int(user_id)),
        ]
        .into_iter()
        .collect();
        for (k, v) in extra.fields() {
            row.set(k.clone(), v.clone());
        }
        for (key, value) in [
            ("type", Value::from("mysql")),
            ("database_ro_user_id", Value::Int(0)),
            ("database_quota", Value::Int(-1)),
            ("database_charset", "".into()),
            ("remote_access", "n".into()),
            ("remote_ips", "".into()),
            ("backup_interval", "none".into()),
            ("backup_copies", Value::Int(1)),
            ("active", "y".into()),
        ] {
            row.set_default(key, value);
        }
        crud::add::<descriptors::SitesDatabase>(self.client, owner, row).await
    }

    /// Changes a database (read-merge-write, owner kept).
    pub async fn update_database(&self, id: i64, changes: impl Into<Changes>) -> Result<Database> {
        crud::update_typed::<descriptors::SitesDatabase>(self.client, id, changes).await
    }

    /// Deletes a database.
    pub async fn delete_database(&self, id: i64) -> Result<bool> {
        crud::delete::<descriptors::SitesDatabase>(self.client, id).await
    }

    /// The database user with id `id`.
    pub async fn user(&self, id: i64) -> Result<Option<DatabaseUser>> {
        crud::get_typed::<descriptors::SitesDatabaseUser>(self.client, id).await
    }

    /// Database users named exactly `name`.
    pub async fn find_users(&self, name: &str) -> Result<Vec<DatabaseUser>> {
        crud::find_typed::<descriptors::SitesDatabaseUser>(
            self.client,
            Filter::new().eq("database_user", name),
        )
        .await
    }

    /// Adds database user `name` on server `server_id` for `client_id` (0: admin).
    pub async fn add_user(
        &self,
        client_id: i64,
        server_id: i64,
        name: &str,
        password: &Secret,
    ) -> Result<i64> {
        crud::check_id("server", "server_id", server_id)?;
        let row: Record = [
            ("server_id", Value::Int(server_id)),
            ("database_user", name.into()),
            ("database_password", password.expose().into()),
        ]
        .into_iter()
        .collect();
        crud::add::<descriptors::SitesDatabaseUser>(self.client, client_id, row).await
    }

    /// Changes a database user (read-merge-write; the stored password hash is
    /// never sent back — set `database_password` in the changes to change it).
    pub async fn update_user(&self, id: i64, changes: impl Into<Changes>) -> Result<DatabaseUser> {
        crud::update_typed::<descriptors::SitesDatabaseUser>(self.client, id, changes).await
    }

    /// Deletes a database user.
    pub async fn delete_user(&self, id: i64) -> Result<bool> {
        crud::delete::<descriptors::SitesDatabaseUser>(self.client, id).await
    }
}
