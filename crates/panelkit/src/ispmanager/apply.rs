//! The one place forms are applied and groups are selected: read-merge-write,
//! `sok=ok`, `elid` joining and the restart flag.

use panelkit_core::coremanager::request::RESERVED_PARAMS;
use panelkit_core::coremanager::{Form, Outcome};
use panelkit_core::{Error, Result};

/// What an applied form or group operation did.
#[derive(Clone, Debug, PartialEq, Eq)]
#[must_use]
pub struct Change {
    /// The panel answered `<ok>restart</ok>`: the change takes effect after
    /// the web server restarts (`func=restart`).
    pub restart_needed: bool,
}

impl Change {
    pub(crate) fn from_outcome(outcome: Outcome) -> Change {
        Change {
            restart_needed: matches!(outcome, Outcome::RestartNeeded),
        }
    }
}

/// Parameters a caller may not set through a helper: the helper owns them
/// (authentication, format, the element ids and `sok`).
const OWNED_BY_HELPER: &[&str] = &["elid", "plid", "sok", "su", "lang"];

/// Rejects parameters the helper sets itself.
pub(crate) fn check_fields(fields: &[(&str, &str)]) -> Result<()> {
    for (name, _) in fields {
        if OWNED_BY_HELPER.contains(name) || RESERVED_PARAMS.contains(name) {
            return Err(invalid(
                "reserved_param",
                name,
                format!("`{name}` is set by the helper, not by the caller's fields"),
            ));
        }
    }
    Ok(())
}

/// The whole form with `changes` on top: every field the form shows keeps
/// its value unless changed (the panel takes an applied form as sent).
pub(crate) fn merge(form: &Form, changes: &[(&str, &str)]) -> Result<Vec<(String, String)>> {
    check_fields(changes)?;
    let mut merged: Vec<(String, String)> = form
        .fields
        .names()
        .filter(|n| !OWNED_BY_HELPER.contains(n) && !RESERVED_PARAMS.contains(n))
        .filter_map(|n| form.fields.get(n).map(|v| (n.to_owned(), v.to_owned())))
        .collect();
    for (name, value) in changes {
        match merged.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = (*value).to_owned(),
            None => merged.push(((*name).to_owned(), (*value).to_owned())),
        }
    }
    Ok(merged)
}

/// Borrowed pairs for the generated `*_submit` calls.
pub(crate) fn pairs(owned: &[(String, String)]) -> Vec<(&str, &str)> {
    owned
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// Checks a group selection: not empty, and no id containing a comma (the
/// panel splits `elid` at `", "`, so such an id would select other objects).
pub(crate) fn check_elids(elids: &[&str]) -> Result<()> {
    if elids.is_empty() {
        return Err(invalid(
            "empty_selection",
            "elid",
            "nothing selected: pass at least one id".to_owned(),
        ));
    }
    for elid in elids {
        if elid.trim().is_empty() {
            return Err(invalid(
                "empty_id",
                "elid",
                "an empty id selects nothing".to_owned(),
            ));
        }
        if elid.contains(',') {
            return Err(invalid(
                "comma_in_id",
                "elid",
                format!("id {elid:?} contains a comma: the panel would split it into several ids"),
            ));
        }
    }
    Ok(())
}

/// Checks one element id (forms): not empty, so a read or update never
/// turns into "a new object".
pub(crate) fn check_elid(what: &str, elid: &str) -> Result<()> {
    if elid.trim().is_empty() {
        return Err(invalid(
            "empty_id",
            "elid",
            format!("empty {what}: without an id the panel shows the form for a new object"),
        ));
    }
    Ok(())
}

/// A validation error raised before anything is sent.
fn invalid(code: &str, field: &str, message: String) -> Error {
    Error::Validation {
        code: code.to_owned(),
        message,
        fields: vec![field.to_owned()],
        status: None,
    }
}
