//! Which password hashes SFTPGo can take over as they are.
//!
//! SFTPGo stores a password that carries a known hash prefix unchanged and
//! checks logins against it: bcrypt, argon2id, pbkdf2 (its own `$pbkdf2-…$`
//! form) and the unix crypt family md5crypt, apr1, sha256crypt and
//! sha512crypt. Anything else — DES crypt, yescrypt (`$y$`, Debian's default
//! since 11), `{SHA}` — would be taken for a clear-text password and hashed
//! again, so the user could never log in: such users are reported, not
//! converted.

/// What a password field from a user store holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Password {
    /// A hash SFTPGo checks as it is.
    Usable(String),
    /// A usable hash behind a lock marker (`!` prefix, as `passwd -l` writes
    /// it): converted, but the user is disabled.
    Locked(String),
    /// No password at all (`*`, `!`, `!!`, empty, `x` without a shadow entry).
    Missing,
    /// A hash SFTPGo cannot check; the name of the scheme, for the report.
    Unsupported(&'static str),
}

/// Prefixes SFTPGo recognises as hashes.
const SUPPORTED: &[&str] = &[
    "$2a$",
    "$2b$",
    "$2y$",
    "$argon2id$",
    "$pbkdf2-sha1$",
    "$pbkdf2-sha256$",
    "$pbkdf2-sha512$",
    "$pbkdf2-b64salt-sha1$",
    "$pbkdf2-b64salt-sha256$",
    "$pbkdf2-b64salt-sha512$",
    "$1$",
    "$apr1$",
    "$5$",
    "$6$",
];

/// Schemes we can name when refusing them.
const KNOWN_UNSUPPORTED: &[(&str, &str)] = &[
    ("$y$", "yescrypt"),
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
    if SUPPORTED.iter().any(|p| hash.starts_with(p)) && hash.len() > 4 {
        return if locked {
            Password::Locked(hash.to_owned())
        } else {
            Password::Usable(hash.to_owned())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_hashes() {
        let sha512 = "$6$rounds=5000$salt$abcdef";
        assert_eq!(classify(sha512), Password::Usable(sha512.into()));
        assert_eq!(
            classify("$2y$10$abcdefghijklmnopqrstuv"),
            Password::Usable("$2y$10$abcdefghijklmnopqrstuv".into())
        );
        assert_eq!(
            classify("!$6$salt$hash"),
            Password::Locked("$6$salt$hash".into())
        );
        for missing in ["", "*", "!", "!!", "x", "!*", "*LK*"] {
            assert_eq!(classify(missing), Password::Missing, "{missing:?}");
        }
        assert_eq!(
            classify("$y$j9T$salt$hash"),
            Password::Unsupported("yescrypt")
        );
        assert_eq!(
            classify("abJnggxhB/yWI"),
            Password::Unsupported("DES crypt")
        );
        assert_eq!(
            classify("plaintext?"),
            Password::Unsupported("unknown hash format")
        );
    }
}
