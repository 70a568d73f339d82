//! `panelctl sftpgo convert-users`: user stores of other FTP/SFTP servers →
//! SFTPGo's dump format, which `loaddata` accepts.
//!
//! Each source format has its own parser ([`passwd`] for `/etc/passwd` +
//! `/etc/shadow` and ProFTPD's `ftpasswd` files, [`pureftpd`] for `pure-pw`'s
//! `pureftpd.passwd`); they all produce [`DumpUser`]s and [`Problem`]s. A bad
//! line is a problem with its line number, never a panic, and never stops the
//! rest of the file.

pub mod dump;
pub mod hashes;
pub mod passwd;
pub mod pureftpd;

use std::fmt;

pub use dump::{Dump, DumpUser};

/// The user stores `convert-users` reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `/etc/passwd` with hashes from `/etc/shadow`.
    #[value(name = "unix-passwd")]
    UnixPasswd,
    /// A `pure-pw` virtual-user file (`pureftpd.passwd`).
    #[value(name = "pure-ftpd")]
    PureFtpd,
    /// A ProFTPD `ftpasswd` file (AuthUserFile).
    #[value(name = "proftpd")]
    Proftpd,
}

/// Which users to convert and how, as the old CLI's options said.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// Skip users with a smaller uid.
    pub min_uid: Option<u32>,
    /// Skip users with a larger uid.
    pub max_uid: Option<u32>,
    /// Convert only these users (all when empty).
    pub usernames: Vec<String>,
    /// Give every converted user this uid.
    pub force_uid: Option<u32>,
    /// Give every converted user this gid.
    pub force_gid: Option<u32>,
    /// Today, in days since the epoch (shadow's unit), to tell accounts the
    /// system has inactivated.
    pub today: i64,
}

impl Selection {
    /// Whether a user with this name and uid is wanted. uid 0 (root) only
    /// when `--min-uid 0` says so: its home is the whole system.
    fn wants(&self, username: &str, uid: u32) -> bool {
        (self.usernames.is_empty() || self.usernames.iter().any(|u| u == username))
            && self.min_uid.map_or(uid > 0, |min| uid >= min)
            && self.max_uid.is_none_or(|max| uid <= max)
    }

    /// Applies the forced ids.
    fn finish(&self, mut user: DumpUser) -> DumpUser {
        if let Some(uid) = self.force_uid {
            user.uid = uid;
        }
        if let Some(gid) = self.force_gid {
            user.gid = gid;
        }
        user
    }
}

/// A line that was not converted, or was converted with a caveat, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Whether the line was left out of the dump (`convert-users` then
    /// exits 12); otherwise the user was converted and this is a note.
    pub skipped: bool,
    /// File the line is in.
    pub file: String,
    /// 1-based line number.
    pub line: usize,
    /// The user the line is about, when it could be read.
    pub username: Option<String>,
    /// What is wrong.
    pub reason: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: ", self.file, self.line)?;
        if let Some(user) = &self.username {
            write!(f, "user {user:?}: ")?;
        }
        f.write_str(&self.reason)
    }
}

/// What a conversion produced.
#[derive(Debug, Default)]
pub struct Conversion {
    /// Users to write, in file order.
    pub users: Vec<DumpUser>,
    /// Lines skipped, with reasons (also users converted with a caveat, such
    /// as a locked account converted as disabled).
    pub problems: Vec<Problem>,
}

impl Conversion {
    /// How many lines were left out of the dump.
    pub fn skipped(&self) -> usize {
        self.problems.iter().filter(|p| p.skipped).count()
    }
}

/// Where the source text comes from, already read.
#[derive(Debug)]
pub struct SourceText {
    /// The file name, for problem reports.
    pub name: String,
    /// Its contents.
    pub text: String,
}

/// Converts one user store. `shadow` is used by [`Format::UnixPasswd`] only.
pub fn convert(
    format: Format,
    input: &SourceText,
    shadow: Option<&SourceText>,
    selection: &Selection,
) -> Conversion {
    match format {
        Format::UnixPasswd => passwd::convert(input, shadow, selection),
        Format::Proftpd => passwd::convert(input, None, selection),
        Format::PureFtpd => pureftpd::convert(input, selection),
    }
}

/// What a password field gives the dump: the hash SFTPGo will check, the
/// status (0 for a locked account) and the caveats to report; or why the
/// user cannot be converted.
fn password(field: &str) -> Result<(String, u8, Vec<String>), String> {
    let (hash, status, mut caveats) = match hashes::classify(field) {
        hashes::Password::Usable(hash) => (hash, 1, Vec::new()),
        hashes::Password::Locked(hash) => (
            hash,
            0,
            vec!["account is locked: converted as disabled (status 0)".to_owned()],
        ),
        hashes::Password::Missing => {
            return Err("no password (locked or login disabled): skipped".into())
        }
        hashes::Password::Unsupported(scheme) => {
            return Err(format!(
                "password hash {scheme} is not one SFTPGo can check (it would take it for a plain-text password): skipped"
            ))
        }
    };
    caveats.extend(hash.note.map(str::to_owned));
    Ok((hash.text, status, caveats))
}

/// Iterates over the lines that carry data: 1-based numbers, comments and
/// blank lines skipped.
fn data_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
}

/// Parses an unsigned integer field; empty means `default`.
fn number<T: std::str::FromStr>(field: &str, what: &str, default: T) -> Result<T, String> {
    let field = field.trim();
    if field.is_empty() {
        return Ok(default);
    }
    field
        .parse()
        .map_err(|_| format!("{what} is not a number: {field:?}"))
}

/// A home directory without trailing slashes (`/` stays `/`).
fn clean_home(home: &str) -> &str {
    match home.trim_end_matches('/') {
        "" => "/",
        trimmed => trimmed,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn source(text: String) -> SourceText {
        SourceText {
            name: "input".into(),
            text,
        }
    }

    proptest! {
        /// Any text, in any format: problems, never a panic, and every
        /// converted user has an absolute home and a supported hash.
        #[test]
        fn arbitrary_input_never_panics(text in "(?s).{0,400}", shadow in "(?s).{0,200}") {
            for format in [Format::UnixPasswd, Format::PureFtpd, Format::Proftpd] {
                let result = convert(format, &source(text.clone()), Some(&source(shadow.clone())), &Selection::default());
                for user in &result.users {
                    prop_assert!(user.home_dir.starts_with('/'));
                    prop_assert!(hashes::is_accepted_by_sftpgo(&user.password));
                }
            }
        }

        /// Lines made of colon-separated junk exercise the field parsers.
        #[test]
        fn colon_separated_junk_never_panics(fields in proptest::collection::vec("[^:\n]{0,12}", 0..24)) {
            let line = fields.join(":");
            for format in [Format::UnixPasswd, Format::PureFtpd, Format::Proftpd] {
                let result = convert(format, &source(line.clone()), None, &Selection::default());
                prop_assert!(result.users.len() + result.problems.len() <= 1);
            }
        }
    }
}
