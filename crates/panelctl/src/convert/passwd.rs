//! `passwd(5)`-shaped files: the system's `/etc/passwd` (hashes from
//! `/etc/shadow`) and ProFTPD's `ftpasswd` AuthUserFile, which uses the same
//! seven fields with the hash in place.

use std::collections::HashMap;

use super::hashes::{classify, Password};
use super::{data_lines, number, Conversion, DumpUser, Problem, Selection, SourceText};

/// Milliseconds per day, for shadow's expiry (days since the epoch).
const DAY_MS: i64 = 86_400_000;

/// A shadow entry: the hash and the account's expiry day, if any.
struct ShadowEntry {
    hash: String,
    expire_day: Option<i64>,
}

/// Converts a passwd-shaped file; `shadow` supplies hashes for `x` fields.
pub fn convert(
    input: &SourceText,
    shadow: Option<&SourceText>,
    selection: &Selection,
) -> Conversion {
    let mut out = Conversion::default();
    let shadow = shadow
        .map(|s| read_shadow(s, &mut out.problems))
        .unwrap_or_default();
    for (line, text) in data_lines(&input.text) {
        let problem = |username: Option<&str>, reason: String| Problem {
            file: input.name.clone(),
            line,
            username: username.map(str::to_owned),
            reason,
        };
        let fields: Vec<&str> = text.split(':').collect();
        if fields.len() != 7 {
            out.problems.push(problem(
                None,
                format!(
                    "expected 7 fields (name:password:uid:gid:gecos:home:shell), found {}",
                    fields.len()
                ),
            ));
            continue;
        }
        let username = fields[0].trim();
        if username.is_empty() {
            out.problems.push(problem(None, "empty user name".into()));
            continue;
        }
        let ids = number::<u32>(fields[2], "uid", 0).and_then(|uid| {
            if fields[2].trim().is_empty() {
                return Err("uid is empty".into());
            }
            number::<u32>(fields[3], "gid", 0).map(|gid| (uid, gid))
        });
        let (uid, gid) = match ids {
            Ok(ids) => ids,
            Err(reason) => {
                out.problems.push(problem(Some(username), reason));
                continue;
            }
        };
        if !selection.wants(username, uid) {
            continue;
        }
        let home = fields[5].trim();
        if !home.starts_with('/') {
            out.problems.push(problem(
                Some(username),
                format!("home directory must be an absolute path, got {home:?}"),
            ));
            continue;
        }
        let entry = shadow.get(username);
        let field = if fields[1] == "x" {
            entry.map(|e| e.hash.as_str()).unwrap_or("")
        } else {
            fields[1]
        };
        let (hash, status) = match classify(field) {
            Password::Usable(hash) => (hash, 1),
            Password::Locked(hash) => {
                out.problems.push(problem(
                    Some(username),
                    "account is locked: converted as disabled (status 0)".into(),
                ));
                (hash, 0)
            }
            Password::Missing => {
                let reason = if fields[1] == "x" && entry.is_none() {
                    "password is in the shadow file, which has no entry for this user"
                } else {
                    "no password (locked or login disabled): skipped"
                };
                out.problems.push(problem(Some(username), reason.into()));
                continue;
            }
            Password::Unsupported(scheme) => {
                out.problems.push(problem(
                    Some(username),
                    format!("password hash {scheme} is not one SFTPGo can check: skipped"),
                ));
                continue;
            }
        };
        let mut user = DumpUser::new(username, hash, super::clean_home(home), uid, gid);
        user.status = status;
        if let Some(day) = entry.and_then(|e| e.expire_day) {
            user.expiration_date = day.saturating_mul(DAY_MS);
        }
        user.additional_info = format!("converted from {}:{line}", input.name);
        out.users.push(selection.finish(user));
    }
    out
}

/// Reads `shadow(5)`: name, hash, and the expiry day (field 8).
fn read_shadow(shadow: &SourceText, problems: &mut Vec<Problem>) -> HashMap<String, ShadowEntry> {
    let mut entries = HashMap::new();
    for (line, text) in data_lines(&shadow.text) {
        let fields: Vec<&str> = text.split(':').collect();
        if fields.len() < 2 || fields[0].is_empty() {
            problems.push(Problem {
                file: shadow.name.clone(),
                line,
                username: None,
                reason: "not a shadow entry (name:hash:...)".into(),
            });
            continue;
        }
        let expire_day = match fields.get(7).map(|f| number::<i64>(f, "expiry", 0)) {
            Some(Ok(day)) if day > 0 => Some(day),
            Some(Err(reason)) => {
                problems.push(Problem {
                    file: shadow.name.clone(),
                    line,
                    username: Some(fields[0].to_owned()),
                    reason: format!("{reason}; expiry ignored"),
                });
                None
            }
            _ => None,
        };
        entries.insert(
            fields[0].to_owned(),
            ShadowEntry {
                hash: fields[1].to_owned(),
                expire_day,
            },
        );
    }
    entries
}
