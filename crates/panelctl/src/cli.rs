//! The command line: global options and one subcommand per panel.

use std::path::PathBuf;

use clap::{Args as ClapArgs, Parser, Subcommand, ValueEnum};

use crate::convert::Format;

/// panelctl: one CLI for the control panels hosting companies run.
#[derive(Debug, Parser)]
#[command(name = "panelctl", version, about)]
pub struct Args {
    /// Options every panel command takes.
    #[command(flatten)]
    pub global: Global,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Options every panel command takes.
#[derive(Debug, ClapArgs)]
pub struct Global {
    /// Output format.
    #[arg(long, global = true, value_enum, default_value_t = Output::Json)]
    pub output: Output,
}

/// How results are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Output {
    /// JSON (pretty).
    Json,
    /// A plain table.
    Table,
}

/// One subcommand per panel.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// SFTPGo.
    #[command(subcommand)]
    Sftpgo(Sftpgo),
}

/// `panelctl sftpgo …`
#[derive(Debug, Subcommand)]
pub enum Sftpgo {
    /// Convert users of another server's user store to SFTPGo's dump format
    /// (for `loaddata`).
    ConvertUsers(ConvertUsers),
}

/// `panelctl sftpgo convert-users INPUT FORMAT OUTPUT`
#[derive(Debug, ClapArgs)]
pub struct ConvertUsers {
    /// The user store; "" means /etc/passwd for unix-passwd.
    pub input: String,
    /// Its format.
    #[arg(value_enum)]
    pub format: Format,
    /// The JSON dump to write.
    #[arg(value_name = "OUTPUT")]
    pub dump_file: PathBuf,
    /// Shadow file with the hashes for unix-passwd.
    #[arg(long, default_value = "/etc/shadow")]
    pub shadow: PathBuf,
    /// Convert only users with at least this uid.
    #[arg(long)]
    pub min_uid: Option<u32>,
    /// Convert only users with at most this uid.
    #[arg(long)]
    pub max_uid: Option<u32>,
    /// Convert only these users.
    #[arg(long, num_args = 1..)]
    pub usernames: Vec<String>,
    /// Give every converted user this uid.
    #[arg(long)]
    pub force_uid: Option<u32>,
    /// Give every converted user this gid.
    #[arg(long)]
    pub force_gid: Option<u32>,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn command_line_definition_is_consistent() {
        super::Args::command().debug_assert();
    }
}
