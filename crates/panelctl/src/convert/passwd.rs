//! `passwd(5)`-shaped files: the system's `/etc/passwd` (hashes from
//! `/etc/shadow`) and ProFTPD's `ftpasswd` AuthUserFile, which uses the same
//! seven fields with the hash in place.

use std::collections::HashMap;

use super::{data_lines, number, Conversion, DumpUser, Problem, Selection, SourceText};

/// Milliseconds per day, for shadow's expiry (days since the epoch).
const DAY_MS: i64 = 86_400_000;

/// A shadow entry: the hash, the account's expiry day, if any, and the day
/// the system inactivates it (past its last change + max + inactive days).
struct ShadowEntry {
    hash: String,
    expire_day: Option<i64>,
    inactive_from: Option<i64>,
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
            skipped: true,
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
        if fields[1] == "x" && entry.is_none() {
            out.problems.push(problem(
                Some(username),
                "password is in the shadow file, which has no entry for this user: skipped".into(),
            ));
            continue;
        }
        let (hash, mut status, mut caveats) = match super::password(field) {
            Ok(converted) => converted,
            Err(reason) => {
                out.problems.push(problem(Some(username), reason));
                continue;
            }
        };
        if let Some(day) = entry.and_then(|e| e.inactive_from) {
            if selection.today > day {
                status = 0;
                caveats.push(format!(
                    "password expired and the account inactive since {} (shadow's last change + max + inactive days): converted as disabled (status 0)",
                    civil_date(day)
                ));
            }
        }
        out.problems
            .extend(caveats.into_iter().map(|reason| Problem {
                skipped: false,
                ..problem(Some(username), reason)
            }));
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

/// Days since the epoch → `YYYY-MM-DD` (Howard Hinnant's civil_from_days).
fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The day after which the system refuses the account: last change (field
/// 3, not 0, which means "change at next login") + maximum age (field 5) +
/// inactivity period (field 7), when all three are set and numbers.
fn inactive_from(fields: &[&str]) -> Option<i64> {
    let day = |i: usize| {
        fields
            .get(i)
            .map(|f| f.trim())
            .filter(|f| !f.is_empty())
            .and_then(|f| f.parse::<i64>().ok())
    };
    let last_change = day(2).filter(|d| *d > 0)?;
    Some(last_change.saturating_add(day(4)?).saturating_add(day(6)?))
}

/// Reads `shadow(5)`: name, hash, the expiry day (field 8) and the day the
/// account goes inactive (fields 3, 5 and 7: last change + max + inactive).
fn read_shadow(shadow: &SourceText, problems: &mut Vec<Problem>) -> HashMap<String, ShadowEntry> {
    let mut entries = HashMap::new();
    for (line, text) in data_lines(&shadow.text) {
        let fields: Vec<&str> = text.split(':').collect();
        if fields.len() < 2 || fields[0].is_empty() {
            problems.push(Problem {
                skipped: true,
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
                    skipped: false,
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
                inactive_from: inactive_from(&fields),
            },
        );
    }
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(name: &str, text: &str) -> SourceText {
        SourceText {
            name: name.into(),
            text: text.into(),
        }
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(19_782), "2024-02-29");
        assert_eq!(civil_date(140), "1970-05-21");
    }

    #[test]
    fn shadow_aging_disables_an_account_past_change_max_and_inactive() {
        let passwd = "old:x:1000:1000::/home/old:/bin/sh\nfresh:x:1001:1001::/home/fresh:/bin/sh\nnomax:x:1002:1002::/home/nomax:/bin/sh\n";
        // old: changed on day 100, max 30, inactive 10 → refused after day 140.
        let shadow = "old:$6$s$h:100:0:30:7:10::\nfresh:$6$s$h:100:0:30:7:10::\nnomax:$6$s$h:100:0::7:10::\n";
        for (today, old_status) in [(140, 1), (141, 0)] {
            let selection = Selection {
                today,
                ..Selection::default()
            };
            let out = convert(
                &source("passwd", passwd),
                Some(&source("shadow", shadow)),
                &selection,
            );
            assert_eq!(out.users[0].status, old_status, "day {today}");
            assert_eq!(out.users[2].status, 1, "no maximum age: never inactive");
            assert_eq!(out.skipped(), 0);
        }
        let selection = Selection {
            today: 141,
            ..Selection::default()
        };
        let out = convert(
            &source("passwd", "old:x:1000:1000::/home/old:/bin/sh\n"),
            Some(&source("shadow", "old:$6$s$h:100:0:30:7:10::\n")),
            &selection,
        );
        let note = &out.problems[0];
        assert!(!note.skipped);
        assert!(note.reason.contains("inactive since 1970-05-21"), "{note}");
    }

    #[test]
    fn root_only_with_min_uid_zero() {
        let passwd = source("passwd", "root:$6$s$h:0:0::/root:/bin/sh\n");
        let default = convert(&passwd, None, &Selection::default());
        assert!(default.users.is_empty() && default.problems.is_empty());
        let asked = Selection {
            min_uid: Some(0),
            ..Selection::default()
        };
        assert_eq!(convert(&passwd, None, &asked).users[0].username, "root");
    }
}
