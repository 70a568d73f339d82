//! The panel's `<error type= object= lang=>` documents mapped onto [`Error`].
//!
//! COREmanager error types (the `type` attribute) and what they become:
//! `auth` (bad credentials or a dead session) → [`Error::Auth`]; `access` (no
//! right to the function) → [`Error::Permission`]; `missed` (no such object)
//! → [`Error::NotFound`]; `value` and `empty` (a field is invalid or
//! missing; `param` names it) → [`Error::Validation`]; anything else (`exists`,
//! `limit`, `sys`, `xml`, …) → [`Error::Fault`] with the type as its code.

use crate::Error;

/// The parts of an error document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PanelError {
    /// `type` attribute (`auth`, `access`, `missed`, `value`, `empty`, ...).
    pub kind: String,
    /// `object` attribute: what the error is about (`badpassword`, a field, ...).
    pub object: Option<String>,
    /// `lang` attribute.
    pub lang: Option<String>,
    /// `msg`: the human message in that language.
    pub msg: String,
    /// `param`: the parameter at fault.
    pub param: Option<String>,
    /// `detail`: extra detail.
    pub detail: Option<String>,
}

/// Hint for rejected credentials.
pub const LOGIN_HINT: &str =
    "check the panel user and password (authinfo may also be limited to whitelisted IPs)";

/// Maps a panel error onto the shared error model.
pub fn classify(error: PanelError) -> Error {
    let mut message = if error.msg.is_empty() {
        format!("{} error", or_unknown(&error.kind))
    } else {
        error.msg.clone()
    };
    if let Some(object) = error.object.as_deref().filter(|o| !o.is_empty()) {
        message.push_str(&format!(" [object: {object}]"));
    }
    if let Some(detail) = &error.detail {
        message.push_str(&format!(" [detail: {detail}]"));
    }
    let code = or_unknown(&error.kind).to_owned();
    match error.kind.as_str() {
        "auth" => Error::Auth {
            status: None,
            hint: (error.object.as_deref() == Some("badpassword")).then_some(LOGIN_HINT),
            code,
            message,
        },
        "access" => Error::Permission {
            code,
            message,
            status: None,
        },
        "missed" => Error::NotFound {
            code,
            message,
            status: None,
        },
        "value" | "empty" => Error::Validation {
            status: None,
            code,
            message,
            // `object` names the field in COREmanager's value/empty errors;
            // `param` is the older way to say the same.
            fields: error
                .object
                .or(error.param)
                .into_iter()
                .filter(|p| !p.is_empty())
                .collect(),
        },
        _ => Error::Fault {
            code,
            message,
            status: None,
        },
    }
}

fn or_unknown(kind: &str) -> &str {
    if kind.is_empty() {
        "unknown"
    } else {
        kind
    }
}

/// Whether an error from a call made with a session id means the session is
/// gone (the panel drops sessions after an idle hour) rather than a refusal of
/// the call itself.
pub fn is_session_lost(error: &Error) -> bool {
    matches!(error, Error::Auth { code, .. } if code == "auth")
}
