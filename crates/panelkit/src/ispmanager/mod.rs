//! Audited helpers for ISPmanager 6 (COREmanager family) over the generated
//! `panelkit-ispmanager` client.
//!
//! The panel's traps this module closes (facts: the vendor's API guide and
//! ARCHITECTURE.md, "COREmanager family"):
//! - a form changes nothing unless `sok=ok` is sent: a read with parameters
//!   silently succeeds → [`Ispmanager`]'s `create_*`/`update_*` always apply;
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
pub use panelkit_ispmanager::db::DbRow;
pub use panelkit_ispmanager::mail::EmailRow;
pub use panelkit_ispmanager::users::UserRow;
pub use panelkit_ispmanager::web::WebdomainRow;
pub use panelkit_ispmanager::{Client, Form, Row};

/// The audited helpers over one ISPmanager client. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Ispmanager {
    client: Client,
}

impl Ispmanager {
    /// Wraps a generated client (built with `Client::builder()`).
    pub fn new(client: Client) -> Self {
        Ispmanager { client }
    }

    /// The generated client underneath, for everything else.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The same helpers acting as `user` (`su=`): an administrator acts as
    /// anyone, a reseller as its users; the session is shared.
    pub fn su(&self, user: &str) -> Ispmanager {
        Ispmanager {
            client: self.client.su(user),
        }
    }
}
