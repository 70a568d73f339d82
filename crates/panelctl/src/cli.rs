//! The command line: global options and one subcommand per panel.

use std::path::PathBuf;

use clap::{Args as ClapArgs, Parser, Subcommand, ValueEnum};

use crate::convert::Format;

/// panelctl: one CLI for the control panels hosting companies run.
///
/// Settings come from flags, then PANELKIT_<PANEL>_* environment variables,
/// then the profile in ~/.config/panelctl/config.toml.
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
    /// Profile in the config file.
    #[arg(long, global = true, env = "PANELCTL_PROFILE")]
    pub profile: Option<String>,
    /// Config file (default ~/.config/panelctl/config.toml).
    #[arg(long, global = true, env = "PANELCTL_CONFIG")]
    pub config: Option<PathBuf>,
    /// Output format.
    #[arg(long, global = true, value_enum, default_value_t = Output::Json)]
    pub output: Output,
    /// Colors in JSON output.
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Panel URL (overrides environment and profile).
    #[arg(long, global = true)]
    pub url: Option<String>,
    /// User name (overrides environment and profile).
    #[arg(long, global = true)]
    pub user: Option<String>,
    /// Read the password from the first line of stdin.
    #[arg(long, global = true)]
    pub password_stdin: bool,
    /// The password itself. Visible to other users of the machine: prefer
    /// --password-stdin, the environment or the prompt.
    #[arg(long, global = true, hide = true)]
    pub password: Option<String>,
    /// Extra trusted certificates (PEM), e.g. a self-signed panel's.
    #[arg(long, global = true)]
    pub ca_file: Option<PathBuf>,
    /// Accept invalid TLS certificates (self-signed panels). Off by default.
    #[arg(long, global = true)]
    pub insecure: bool,
    /// Log requests on stderr (secrets redacted).
    #[arg(long, global = true)]
    pub debug: bool,
}

/// How results are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Output {
    /// JSON (pretty).
    Json,
    /// A plain table.
    Table,
}

/// When to color JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Color {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// One subcommand per panel.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// ISPConfig 3 (SOAP remote API).
    #[command(subcommand)]
    Ispconfig(Ispconfig),
    /// SFTPGo.
    #[command(subcommand)]
    Sftpgo(Sftpgo),
    /// Print shell completions.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// `panelctl ispconfig …`
#[derive(Debug, Subcommand)]
pub enum Ispconfig {
    /// List the remote functions the panel offers this remote user.
    Functions,
    /// Call any remote method; each PARAM is JSON (`1`, `"x"`, `{"k": "v"}`),
    /// positional after the session id.
    Call {
        /// The remote method, e.g. dns_zone_get.
        method: String,
        /// Positional parameters as JSON.
        params: Vec<String>,
    },
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
