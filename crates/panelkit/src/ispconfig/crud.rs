//! The one read / add / update / delete engine every area uses, with the
//! panel's footguns fixed once:
//!
//! - ids `<= 0` are refused before anything is sent (the panel answers
//!   `invalid_id`, or for updates an HTML page when the id is nil);
//! - reads answer `Option` / `Vec` whatever shape the panel sent, and rows of
//!   another kind that share the table (DNS record types in `dns_rr`, aliases
//!   and forwards in `mail_forwarding`) are never returned, updated or deleted
//!   through the wrong kind's helper;
//! - filters match exactly (see [`super::filter`]);
//! - updates are read-merge-write: the stored row, minus its password hashes
//!   (sent back, the panel would hash the hash; where the method merges the
//!   stored row itself, the hash goes back flagged as already hashed), plus
//!   the changes; the owner is kept unless the caller moves the record.

use panelkit_core::ispconfig::fields::{FieldInfo, FormRecord, Secrecy};
use panelkit_core::soap::Value;
use panelkit_core::{Error, Result, Secret};
use panelkit_ispconfig::crud::FormCrud;

use super::filter::Filter;
use super::record::{affected_rows, decode, many, new_id, one, scalar_text, Record};
use super::Client;

/// What the overlay adds to a generated descriptor ([`FormCrud`]): the facts
/// it was audited for that the inventory does not hold. Everything else (the
/// four methods, the key column, the `type` of a shared table's rows, the
/// password and key fields) comes from the descriptor and its record.
pub(crate) trait Form: FormCrud {
    /// What a record is called in errors ("web domain", "DNS record").
    const WHAT: &'static str;
    /// The `type` that tells this form's rows apart in a shared table, where
    /// the remote methods set it in code rather than in the form
    /// (`mail_forwarding`: `alias`, `forward`, ...); else the descriptor's.
    const ROW_KIND: Option<&'static str> = <Self as FormCrud>::KIND;
    /// The update method merges the stored row into `params` itself before
    /// `updateQuery` (`client_update`), so a password left out arrives as
    /// the stored hash and is written again (hashed, or as it is when
    /// flagged). The stored hash can be stale: a password changed in the GUI
    /// only updates `sys_user.passwort`, so writing `client.password` back
    /// would bring the old password back. A password the caller does not
    /// change is therefore sent as `""`, which neither the form (an empty
    /// PASSWORD field is not written) nor `ispconfig_sysuser_update` (no
    /// `passwort` without a clear password) touches — checked on the genuine
    /// 3.2.12p1.
    const PREMERGED: bool = false;
    /// Whether an add starts from the form's literal defaults, as the GUI
    /// does, and refuses a required field left empty. Off where the helper
    /// sets every field itself (DNS records).
    const FORM_DEFAULTS: bool = true;
    /// Required fields an add may leave empty because the add method (or the
    /// panel's plugins) fills them, or because the form requires them only
    /// in a branch the remote API never takes.
    const FILLED_BY_PANEL: &'static [&'static str] = &[];
}

/// The form's fields as generated from the inventory.
fn fields<F: Form>() -> &'static [FieldInfo] {
    <F::Record as FormRecord>::FIELDS
}

/// Fields never copied from a read into an update: password hashes (sent
/// back, the panel would hash the hash) and private keys.
fn held_back<F: Form>() -> impl Iterator<Item = &'static str> {
    fields::<F>()
        .iter()
        .filter(|f| matches!(f.secrecy, Some(Secrecy::Password | Secrecy::Key)))
        .map(|f| f.name)
}

/// Adds to a `permission_denied` of `method` the groups that allow it.
fn named(method: &'static str) -> impl FnOnce(Error) -> Error {
    move |error| super::name_missing_groups(method, error)
}

/// What an update changes, and whether it moves the record to another owner.
/// Made from a typed record with only the changed fields set
/// (`Changes::from(typed)`, or pass the typed record itself to an update), or
/// field by field for names known only at run time. Passwords go in as
/// secrets (a typed record's password fields, or [`Changes::set_secret`]),
/// so `Debug` never shows them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Changes {
    fields: Record,
    secrets: Vec<(String, Secret)>,
    owner: Option<i64>,
}

impl Changes {
    /// No changes yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets column `key` to `value`.
    pub fn set(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.fields.set(key, value);
        self
    }

    /// Sets password column `key` (`password`, `database_password`): sent
    /// once, hashed by the panel; redacted in `Debug`.
    pub fn set_secret(mut self, key: impl Into<String>, secret: Secret) -> Self {
        let key = key.into();
        self.secrets.retain(|(k, _)| *k != key);
        self.secrets.push((key, secret));
        self
    }

    /// Whether the changes set column `key` (a secret included).
    pub fn sets(&self, key: &str) -> bool {
        self.fields.get(key).is_some() || self.secrets.iter().any(|(k, _)| k == key)
    }

    /// Moves the record to client `client_id` (> 0): the panel rewrites its
    /// `sys_userid`/`sys_groupid` to that client's. Without this the owner is
    /// kept exactly as stored.
    pub fn move_to(mut self, client_id: i64) -> Self {
        self.owner = Some(client_id);
        self
    }

    /// The columns to change.
    pub fn fields(&self) -> &Record {
        &self.fields
    }

    /// The new owner, when the record moves.
    pub fn new_owner(&self) -> Option<i64> {
        self.owner
    }
}

/// A typed record with only the changed fields set is a partial change:
/// `None` fields are left out (so they keep their stored values), its `other`
/// fields are set as they are, and its password fields go in as secrets.
impl<T: FormRecord> From<T> for Changes {
    fn from(typed: T) -> Self {
        let mut changes = Changes::new();
        for (key, value) in Record::from_typed(&typed).fields() {
            if T::is_secret(key) {
                if let Some(text) = scalar_text(value) {
                    changes = changes.set_secret(key.clone(), Secret::new(text));
                }
            } else {
                changes.fields.set(key.clone(), value.clone());
            }
        }
        changes
    }
}

impl<K: Into<String>, V: Into<Value>> FromIterator<(K, V)> for Changes {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Changes {
            fields: iter.into_iter().collect(),
            secrets: Vec::new(),
            owner: None,
        }
    }
}

/// Refuses an id the panel cannot take, before anything is sent.
///
/// The error is [`Error::Validation`] with code `invalid_id` and the id
/// column as field: the same class and code the panel's own `invalid_id`
/// fault maps to, so callers handle both alike.
pub fn check_id(what: &str, column: &str, id: i64) -> Result<i64> {
    if id > 0 {
        Ok(id)
    } else {
        Err(Error::Validation {
            status: None,
            code: "invalid_id".to_owned(),
            message: format!(
                "{what} id must be > 0, got {id}; not sent (the panel answers ids <= 0 \
                 with invalid_id, and an update without an id with an HTML error page)"
            ),
            fields: vec![column.to_owned()],
        })
    }
}

/// Refuses a change of owner the remote API cannot complete: the update
/// re-owns the row (`sys_userid`/`sys_groupid`), but what the GUI's moving
/// code does besides (`left_behind`) never happens for remote updates.
pub fn refuse_move(what: &str, id: i64, changes: &Changes, left_behind: &str) -> Result<()> {
    match changes.new_owner() {
        None => Ok(()),
        Some(owner) => Err(Error::Validation {
            status: None,
            code: "unsupported_move".to_owned(),
            message: format!(
                "moving {what} {id} to client {owner} is refused, nothing sent: the remote \
                 update would re-own the row but leave {left_behind} with the old client"
            ),
            fields: vec!["client_id".to_owned()],
        }),
    }
}

/// Refuses a client id < 0 (0 is the admin).
pub fn check_client_id(client_id: i64) -> Result<i64> {
    if client_id >= 0 {
        Ok(client_id)
    } else {
        Err(Error::Validation {
            status: None,
            code: "invalid_client_id".to_owned(),
            message: format!("client_id must be >= 0 (0 is the admin), got {client_id}; not sent"),
            fields: vec!["client_id".to_owned()],
        })
    }
}

fn not_found<F: Form>(id: i64) -> Error {
    Error::NotFound {
        status: None,
        code: "record_not_found".to_owned(),
        message: format!("no {} with id {id}", F::WHAT),
    }
}

fn of_kind<F: Form>(record: &Record) -> bool {
    match F::ROW_KIND {
        None => true,
        Some(kind) => record
            .text("type")
            .is_some_and(|t| t.eq_ignore_ascii_case(kind)),
    }
}

/// Calls the form's read method with `arg` (an id, `-1`, or a filter).
pub(crate) async fn read<F: Form>(client: &Client, arg: Value) -> Result<Value> {
    F::get(client.generated(), arg).await.map_err(named(F::GET))
}

/// The record with id `id`, if it exists and is of the form's kind.
pub(crate) async fn get<F: Form>(client: &Client, id: i64) -> Result<Option<Record>> {
    check_id(F::WHAT, F::ID_COLUMN, id)?;
    Ok(one(read::<F>(client, Value::Int(id)).await?)?.filter(of_kind::<F>))
}

/// Every record of the form's kind.
pub(crate) async fn all<F: Form>(client: &Client) -> Result<Vec<Record>> {
    let mut rows = many(read::<F>(client, Value::Int(-1)).await?)?;
    rows.retain(of_kind::<F>);
    Ok(rows)
}

/// The records matching `filter` exactly (and of the form's kind).
pub(crate) async fn find<F: Form>(client: &Client, filter: Filter) -> Result<Vec<Record>> {
    let filter = match F::ROW_KIND {
        Some(kind) if !filter.conditions().iter().any(|(k, _)| k == "type") => {
            filter.eq("type", kind)
        }
        _ => filter,
    };
    let mut rows = many(read::<F>(client, filter.to_value()).await?)?;
    rows.retain(|r| filter.matches(r) && of_kind::<F>(r));
    Ok(rows)
}

/// Inserts `record` owned by `client_id`; answers the new id. The form's
/// kind is always set as `type`; every field `record` leaves out gets the
/// form's literal default (the remote API applies none: a field left out is
/// stored empty, 0 or unchecked), and a required field that is still empty
/// is refused before anything is sent. DNS records are added without
/// `update_serial`: [`super::dns::Dns::add`] bumps the serial itself.
pub(crate) async fn add<F: Form>(
    client: &Client,
    client_id: i64,
    mut record: Record,
) -> Result<i64> {
    check_client_id(client_id)?;
    if let Some(kind) = F::ROW_KIND {
        record.set("type", kind);
    }
    apply_form_defaults::<F>(&mut record);
    check_required::<F>(&record)?;
    let answer = F::add(client.generated(), client_id, record.into_value(), false)
        .await
        .map_err(named(F::ADD))?;
    new_id(F::ADD, answer)
}

/// Sets each field `record` leaves out to the form's literal default
/// (password fields and the table's key aside).
pub(crate) fn apply_form_defaults<F: Form>(record: &mut Record) {
    if !F::FORM_DEFAULTS {
        return;
    }
    for field in fields::<F>() {
        if field.secrecy.is_some() || field.name == F::ID_COLUMN {
            continue;
        }
        if let Some(default) = field.default {
            record.set_default(field.name, default);
        }
    }
}

/// Refuses a record whose required field (a `NOTEMPTY` or non-empty `REGEX`
/// validator of the form) is missing or empty, naming the field and the
/// panel's check, unless the panel fills it.
pub(crate) fn check_required<F: Form>(record: &Record) -> Result<()> {
    if !F::FORM_DEFAULTS {
        return Ok(());
    }
    let missing: Vec<&FieldInfo> = fields::<F>()
        .iter()
        .filter(|field| field.required && !F::FILLED_BY_PANEL.contains(&field.name))
        .filter(|field| match record.get(field.name) {
            None | Some(Value::Null) => true,
            Some(value) => scalar_text(value).is_some_and(|text| text.trim().is_empty()),
        })
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let names: Vec<String> = missing.iter().map(|f| f.name.to_owned()).collect();
    let checks: Vec<&str> = missing.iter().filter_map(|f| f.check).collect();
    Err(Error::Validation {
        status: None,
        code: checks.first().copied().unwrap_or("required").to_owned(),
        message: format!(
            "{} needs {} (the panel's checks: {}); not sent",
            F::WHAT,
            names.join(", "),
            checks.join(", ")
        ),
        fields: names,
    })
}

/// Read-merge-write: the stored record (password hashes left out) with
/// `changes` on top, owner kept unless `changes` moves it; answers the record
/// as stored afterwards. DNS records are updated without `update_serial`
/// (see [`super::dns::Dns::update_record`]).
pub(crate) async fn update<F: Form>(client: &Client, id: i64, changes: Changes) -> Result<Record> {
    check_id(F::WHAT, F::ID_COLUMN, id)?;
    // 0 loads the admin profile, which leaves sys_userid/sys_groupid exactly
    // as stored; a client id > 0 rewrites them to that client's (tform_base
    // _getSQL, API branch). So 0 keeps the owner, a client id moves it.
    let owner = match changes.owner {
        Some(client_id) => check_id("new owner (client)", "client_id", client_id)?,
        None => 0,
    };
    let mut merged = get::<F>(client, id)
        .await?
        .ok_or_else(|| not_found::<F>(id))?;
    // Stored secrets are left out (the panel keeps them); one the changes
    // carry unchanged (a whole record read back) is not sent either.
    let mut stored = Vec::new();
    for secret in held_back::<F>() {
        if let Some(value) = merged.remove(secret).as_ref().and_then(scalar_text) {
            stored.push((secret, value));
        }
        if F::PREMERGED && !changes.sets(secret) {
            merged.set(secret, "");
        }
    }
    for (key, value) in changes.fields.fields() {
        merged.set(key.clone(), value.clone());
    }
    for (key, secret) in &changes.secrets {
        let unchanged = stored
            .iter()
            .any(|(k, v)| *k == key.as_str() && v.as_str() == secret.expose());
        if !unchanged {
            merged.set(key.clone(), secret.expose());
        } else if F::PREMERGED {
            merged.set(key.clone(), "");
        }
    }
    if let Some(kind) = F::ROW_KIND {
        merged.set("type", kind);
    }
    let answer = F::update(client.generated(), owner, id, merged.into_value(), false)
        .await
        .map_err(named(F::UPDATE))?;
    affected_rows(F::UPDATE, answer)?;
    get::<F>(client, id)
        .await?
        .ok_or_else(|| not_found::<F>(id))
}

/// [`get`] as the form's typed record.
pub(crate) async fn get_typed<F: Form>(client: &Client, id: i64) -> Result<Option<F::Record>> {
    get::<F>(client, id)
        .await?
        .map(Record::into_typed)
        .transpose()
}

/// [`all`] as the form's typed records.
pub(crate) async fn all_typed<F: Form>(client: &Client) -> Result<Vec<F::Record>> {
    all::<F>(client)
        .await?
        .into_iter()
        .map(Record::into_typed)
        .collect()
}

/// [`find`] as the form's typed records.
pub(crate) async fn find_typed<F: Form>(client: &Client, filter: Filter) -> Result<Vec<F::Record>> {
    find::<F>(client, filter)
        .await?
        .into_iter()
        .map(Record::into_typed)
        .collect()
}

/// [`update`] answering the form's typed record.
pub(crate) async fn update_typed<F: Form>(
    client: &Client,
    id: i64,
    changes: impl Into<Changes>,
) -> Result<F::Record> {
    decode(update::<F>(client, id, changes.into()).await?.into_value())
}

/// Deletes the record if it exists and is of the form's kind; answers whether
/// a row was deleted. (The panel's delete methods delete whatever row has the
/// id, e.g. `dns_a_delete` deletes a CNAME.) Where the method takes
/// `update_serial` it is sent as `true`, bumping the zone's serial as the
/// panel's own forms do: the panel updates the zone with the call's
/// client_id, which for a delete is 0 (the owner kept).
pub(crate) async fn delete<F: Form>(client: &Client, id: i64) -> Result<bool> {
    check_id(F::WHAT, F::ID_COLUMN, id)?;
    if F::ROW_KIND.is_some() && get::<F>(client, id).await?.is_none() {
        return Ok(false);
    }
    let answer = F::delete(client.generated(), id, F::UPDATE_SERIAL)
        .await
        .map_err(named(F::DELETE))?;
    Ok(affected_rows(F::DELETE, answer)? > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_at_or_below_zero_are_refused() {
        for id in [0, -1, i64::MIN] {
            match check_id("web domain", "domain_id", id).unwrap_err() {
                Error::Validation { code, fields, .. } => {
                    assert_eq!(code, "invalid_id");
                    assert_eq!(fields, ["domain_id"]);
                }
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(check_id("x", "id", 1).unwrap(), 1);
        assert!(check_client_id(0).is_ok());
        assert!(check_client_id(-1).is_err());
    }

    #[test]
    fn changes_collect_fields_and_owner() {
        let c: Changes = [("a", 1)].into_iter().collect();
        let c = c.set("b", "x").move_to(4);
        assert_eq!(c.fields().int("a"), Some(1));
        assert_eq!(c.fields().text("b").as_deref(), Some("x"));
        assert_eq!(c.new_owner(), Some(4));
        let c = c.set_secret("password", Secret::new("hunter2"));
        assert!(c.sets("password") && c.sets("a") && !c.sets("z"));
        assert!(!format!("{c:?}").contains("hunter2"), "{c:?}");
    }

    #[test]
    fn typed_changes_send_only_set_fields_unknown_ones_and_secrets() {
        use panelkit_ispconfig::records::FtpUser;
        let mut typed = FtpUser::default();
        typed.quota_size = Some(500);
        typed.active = Some(false);
        typed.password = Some(Secret::new("s3cret"));
        typed.other.insert("added_later".into(), Value::from("x"));
        let c = Changes::from(typed);
        let keys: Vec<&str> = c
            .fields()
            .fields()
            .iter()
            .map(|(k, _)| k.as_str())
            .collect();
        assert_eq!(keys, ["active", "quota_size", "added_later"]);
        assert_eq!(c.fields().text("active").as_deref(), Some("n"), "strict");
        assert!(c.sets("password") && c.fields().get("password").is_none());
        assert!(!format!("{c:?}").contains("s3cret"));
        assert_eq!(c.move_to(3).new_owner(), Some(3));
    }
}
