//! Why a command failed, and the exit code each class of failure gets, so
//! scripts can tell "fix your input" from "try again later".

use std::fmt;

/// Exit codes by failure class (1 is anything unclassed, 2 is clap's usage error).
pub mod code {
    /// Bad configuration or unreadable/unwritable local files.
    pub const CONFIG: u8 = 3;
}

/// A failed command.
#[derive(Debug)]
pub struct Failure {
    message: String,
    code: u8,
}

impl Failure {
    /// A configuration or local-file failure.
    pub fn config(message: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            code: code::CONFIG,
        }
    }

    /// The process exit code.
    pub fn exit_code(&self) -> u8 {
        self.code
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_failures_have_their_own_code() {
        let f = Failure::config("no such file");
        assert_eq!(f.exit_code(), code::CONFIG);
        assert_eq!(f.to_string(), "no such file");
    }
}
