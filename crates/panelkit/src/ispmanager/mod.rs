//! Audited helpers for ISPmanager 6 (COREmanager family) over the generated
//! `panelkit-ispmanager` client.
//!
//! The panel's traps this module closes (facts: the vendor's API guide and
//! ARCHITECTURE.md, "COREmanager family"):
//! - a form changes nothing unless `sok=ok` is sent: a read with parameters
//!   silently succeeds → the helpers' `add*`/`update*` always apply;
//! - an applied form is taken as sent, the interface always submits every
//!   field: a partial update resets the fields left out → `update_*` reads
//!   the form, merges the changes and writes the whole form back;
//! - group operations join `elid`s with `", "`: an id that itself contains a
//!   comma would name other objects → rejected; an empty selection is
//!   rejected before anything is sent;
//! - DNS records exist only under their zone (`plid`) → every record helper
//!   takes the zone;
//! - `<ok>restart</ok>` means the change waits for a web server restart →
//!   surfaced as [`Change::restart_needed`];
//! - a one-row list arrives as an object in `out=json` → the runtime decodes
//!   it as a list; the helpers return typed rows.
//!
//! [`pins`] states, per helper, the generated functions it wraps and the
//! inventory signature they were audited against.

mod apply;
mod db;
mod dns;
mod mail;
pub mod pins;
mod users;
mod web;

pub use apply::Change;
pub use db::Databases;
pub use dns::Dns;
pub use mail::Mail;
pub use panelkit_core::coremanager::{ClientBuilder, Document, Request};
pub use panelkit_ispmanager::db::DbRow;
pub use panelkit_ispmanager::mail::EmailRow;
pub use panelkit_ispmanager::users::UserRow;
pub use panelkit_ispmanager::web::WebdomainRow;
pub use panelkit_ispmanager::{Form, Row};
pub use users::Users;
pub use web::Sites;

use panelkit_core::Result;

/// An ISPmanager client: the generated client underneath
/// ([`Client::generated`]) and the audited helpers by area. Cheap to clone;
/// clones share the session.
///
/// ```no_run
/// # async fn demo() -> panelkit::Result<()> {
/// use panelkit::ispmanager::Client;
///
/// let ispm = Client::builder()
///     .url("https://panel.example.com:1500/ispmgr")
///     .session("root", "secret") // kept as a Secret; login is lazy
///     .build()?;
/// let change = ispm.sites().update_webdomain("example.com", &[("php_mode", "php_mode_fcgi_apache")]).await?;
/// let records = ispm.dns().records("example.com").await?;
/// let bob = ispm.su("bob"); // the same helpers acting as bob
/// # let _ = (change, records, bob); Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Client {
    inner: panelkit_ispmanager::Client,
}

impl From<panelkit_core::coremanager::Client> for Client {
    fn from(core: panelkit_core::coremanager::Client) -> Self {
        Client::from(panelkit_ispmanager::Client::from(core))
    }
}

impl From<panelkit_ispmanager::Client> for Client {
    fn from(inner: panelkit_ispmanager::Client) -> Self {
        Client { inner }
    }
}

impl Client {
    /// Starts configuring a client: `.url(..)` and `.session(..)` (or
    /// `.mgrctl(..)` on the panel host), TLS options, `.build()`; nothing is
    /// sent until the first call.
    pub fn builder() -> ClientBuilder<Client> {
        ClientBuilder::default()
    }

    /// The generated client: every panel function, unaudited.
    pub fn generated(&self) -> &panelkit_ispmanager::Client {
        &self.inner
    }

    /// Calls any function with `name=value` parameters, unaudited (a form
    /// changes nothing without `("sok", "ok")`).
    pub async fn raw_call(&self, func: &str, params: &[(&str, &str)]) -> Result<Document> {
        self.inner.call(func, params).await
    }

    /// The same helpers acting as `user` (`su=`): an administrator acts as
    /// anyone, a reseller as its users; the session is shared.
    pub fn su(&self, user: &str) -> Client {
        Client {
            inner: self.inner.su(user),
        }
    }

    /// Panel users.
    pub fn users(&self) -> Users<'_> {
        Users { client: self }
    }

    /// Web domains.
    pub fn sites(&self) -> Sites<'_> {
        Sites { client: self }
    }

    /// DNS records, under their zone.
    pub fn dns(&self) -> Dns<'_> {
        Dns { client: self }
    }

    /// Mailboxes.
    pub fn mail(&self) -> Mail<'_> {
        Mail { client: self }
    }

    /// Databases.
    pub fn databases(&self) -> Databases<'_> {
        Databases { client: self }
    }
}
