//! Which password hashes SFTPGo can take over, exactly as the release we
//! target accepts them.
//!
//! SFTPGo stores a password that starts with one of its known hash prefixes
//! unchanged and checks logins against it: `$argon2id$`, `$2a$` (bcrypt),
//! `$pbkdf2-sha1$`, `$pbkdf2-sha256$`, `$pbkdf2-sha512$`,
//! `$pbkdf2-b64salt-sha256$`, the unix crypt family `$1$`, `$apr1$`, `$5$`,
//! `$6$`, `$y$` (yescrypt, through its `unixcrypt` build), and `{MD5}`,
//! `{SHA256}`, `{SHA512}`. Anything else is taken for a clear-text password
//! and hashed again, so the user could never log in: such users are
//! reported, not converted. bcrypt's `$2b$` and `$2y$` are the same
//! algorithm under another prefix: they are rewritten to `$2a$`, which
//! SFTPGo knows.

/// A hash SFTPGo checks, as it goes into the dump.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hash {
    /// The hash, with the prefix SFTPGo knows.
    pub text: String,
    /// What the operator must know for it to work, if anything.
    pub note: Option<&'static str>,
}

/// What a password field from a user store holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Password {
    /// A hash SFTPGo checks.
    Usable(Hash),
    /// A usable hash behind a lock marker (`!` prefix, as `passwd -l` writes
    /// it): converted, but the user is disabled.
    Locked(Hash),
    /// No password at all (`*`, `!`, `!!`, empty, `x` without a shadow entry).
    Missing,
    /// A hash SFTPGo cannot check; the name of the scheme, for the report.
    Unsupported(&'static str),
}

/// The prefixes SFTPGo recognises as hashes, with what the operator must
/// know about each.
const SUPPORTED: &[(&str, Option<&str>)] = &[
    ("$argon2id$", None),
    ("$2a$", None),
    ("$pbkdf2-sha1$", None),
    ("$pbkdf2-sha256$", None),
    ("$pbkdf2-sha512$", None),
    ("$pbkdf2-b64salt-sha256$", None),
    ("$1$", None),
    ("$apr1$", None),
    ("$5$", None),
    ("$6$", None),
    (
        "$y$",
        Some("yescrypt hash: the SFTPGo server must be a build with unixcrypt support to check it"),
    ),
    ("{MD5}", None),
    ("{SHA256}", None),
    ("{SHA512}", None),
];

/// bcrypt prefixes SFTPGo does not know, for the same algorithm as `$2a$`.
const BCRYPT_ALIASES: &[&str] = &["$2b$", "$2y$"];

/// Schemes we can name when refusing them.
const KNOWN_UNSUPPORTED: &[(&str, &str)] = &[
    ("$pbkdf2-b64salt-sha1$", "pbkdf2-b64salt-sha1"),
    ("$pbkdf2-b64salt-sha512$", "pbkdf2-b64salt-sha512"),
    ("$gy$", "gost-yescrypt"),
    ("$7$", "scrypt"),
    ("$sha1$", "sha1crypt"),
    ("$md5", "Sun md5crypt"),
    ("$2$", "old bcrypt"),
    ("$2x$", "bcrypt 2x"),
    ("$argon2i$", "argon2i"),
    ("$argon2d$", "argon2d"),
    ("{SHA}", "htpasswd SHA-1"),
    ("{SSHA}", "salted SHA-1"),
];

/// The hash as SFTPGo will check it, or `None` when it cannot.
fn usable(hash: &str) -> Option<Hash> {
    for alias in BCRYPT_ALIASES {
        if let Some(rest) = hash.strip_prefix(alias) {
            return (!rest.is_empty()).then(|| Hash {
                text: format!("$2a${rest}"),
                note: None,
            });
        }
    }
    SUPPORTED
        .iter()
        .find(|(prefix, _)| hash.len() > prefix.len() && hash.starts_with(prefix))
        .map(|(_, note)| Hash {
            text: hash.to_owned(),
            note: *note,
        })
}

/// Classifies a password field.
pub fn classify(field: &str) -> Password {
    let field = field.trim();
    let (locked, hash) = match field.strip_prefix('!') {
        Some(rest) => (true, rest.trim_start_matches('!')),
        None => (false, field),
    };
    if hash.is_empty() || hash == "*" || hash == "x" || hash.starts_with('*') {
        return Password::Missing;
    }
    if let Some(hash) = usable(hash) {
        return if locked {
            Password::Locked(hash)
        } else {
            Password::Usable(hash)
        };
    }
    for (prefix, name) in KNOWN_UNSUPPORTED {
        if hash.starts_with(prefix) {
            return Password::Unsupported(name);
        }
    }
    if hash.len() == 13
        && hash
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'/')
    {
        return Password::Unsupported("DES crypt");
    }
    Password::Unsupported("unknown hash format")
}

/// Whether SFTPGo checks `hash` as a hash (what a converted user's
/// password must be).
#[cfg(test)]
pub fn is_accepted_by_sftpgo(hash: &str) -> bool {
    SUPPORTED
        .iter()
        .any(|(prefix, _)| hash.len() > prefix.len() && hash.starts_with(prefix))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> Hash {
        Hash {
            text: text.into(),
            note: None,
        }
    }

    #[test]
    fn known_hashes() {
        let sha512 = "$6$rounds=5000$salt$abcdef";
        assert_eq!(classify(sha512), Password::Usable(plain(sha512)));
        assert_eq!(
            classify("!$6$salt$hash"),
            Password::Locked(plain("$6$salt$hash"))
        );
        for missing in ["", "*", "!", "!!", "x", "!*", "*LK*"] {
            assert_eq!(classify(missing), Password::Missing, "{missing:?}");
        }
        for hash in [
            "$argon2id$v=19$m=65536,t=3,p=2$c2FsdA$aGFzaA",
            "$2a$10$abcdefghijklmnopqrstuv",
            "$pbkdf2-sha1$150000$salt$hash",
            "$pbkdf2-sha256$150000$salt$hash",
            "$pbkdf2-sha512$150000$salt$hash",
            "$pbkdf2-b64salt-sha256$150000$c2FsdA$hash",
            "$1$salt$hash",
            "$apr1$salt$hash",
            "$5$salt$hash",
            "{MD5}1B2M2Y8AsgTpgAmY7PhCfg==",
            "{SHA256}47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
            "{SHA512}z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==",
        ] {
            assert_eq!(classify(hash), Password::Usable(plain(hash)), "{hash}");
            assert!(is_accepted_by_sftpgo(hash), "{hash}");
        }
    }

    #[test]
    fn bcrypt_aliases_become_2a_and_yescrypt_comes_with_a_note() {
        for alias in ["$2b$", "$2y$"] {
            let hash = format!("{alias}10$abcdefghijklmnopqrstuv");
            assert_eq!(
                classify(&hash),
                Password::Usable(plain("$2a$10$abcdefghijklmnopqrstuv"))
            );
        }
        let Password::Usable(yescrypt) = classify("$y$j9T$salt$hash") else {
            panic!("yescrypt is usable");
        };
        assert_eq!(yescrypt.text, "$y$j9T$salt$hash");
        assert!(yescrypt.note.unwrap().contains("unixcrypt"));
    }

    #[test]
    fn hashes_sftpgo_would_take_for_passwords_are_refused() {
        for (hash, scheme) in [
            (
                "$pbkdf2-b64salt-sha1$1000$c2FsdA$hash",
                "pbkdf2-b64salt-sha1",
            ),
            (
                "$pbkdf2-b64salt-sha512$1000$c2FsdA$hash",
                "pbkdf2-b64salt-sha512",
            ),
            ("{SHA}qUqP5cyxm6YcTAhz05Hph5gvu9M=", "htpasswd SHA-1"),
            ("$2x$10$abcdefghijklmnopqrstuv", "bcrypt 2x"),
            ("abJnggxhB/yWI", "DES crypt"),
            ("plaintext?", "unknown hash format"),
        ] {
            assert_eq!(classify(hash), Password::Unsupported(scheme), "{hash}");
            assert!(!is_accepted_by_sftpgo(hash), "{hash}");
        }
        // A bare prefix is no hash.
        assert_eq!(
            classify("$2y$"),
            Password::Unsupported("unknown hash format")
        );
    }
}
