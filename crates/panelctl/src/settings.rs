//! Where a panel's URL and credentials come from: command-line flags, then
//! environment variables (`PANELKIT_<PANEL>_URL`, `_USER`, `_PASSWORD`,
//! `_API_KEY`, `_TOKEN`, `_CA_FILE`, `_INSECURE`), then the profile in the
//! config file (`~/.config/panelctl/config.toml`):
//!
//! ```toml
//! [profiles.default.ispconfig]
//! url = "https://panel.example.com:8080/remote/index.php"
//! user = "remote"
//! password = "…"          # or leave it out and use --password-stdin / the prompt
//!
//! [profiles.staging.sftpgo]
//! url = "https://sftp.example.com:8080"
//! api_key = "…"
//! ```
//!
//! Passwords are never taken from the command line unless the user insists
//! (`--password`, with a warning); `--password-stdin` and an interactive
//! prompt are the ways in.

use std::collections::BTreeMap;
use std::io::{BufRead, IsTerminal};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::cli::Global;
use crate::exit::Failure;
use panelkit_core::Secret;

/// The settings of one panel in one profile, as the config file has them.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PanelSettings {
    /// Endpoint URL.
    pub url: Option<String>,
    /// User name (remote user, admin, e-mail …).
    pub user: Option<String>,
    /// Password (better kept out of the file; see the module docs).
    pub password: Option<String>,
    /// API key (SFTPGo).
    pub api_key: Option<String>,
    /// Bearer token (SFTPGo, IONOS, DCImanager).
    pub token: Option<String>,
    /// A PEM file of extra trusted certificates.
    pub ca_file: Option<PathBuf>,
    /// Accept invalid certificates (self-signed panels).
    #[serde(default)]
    pub insecure: bool,
}

/// `config.toml`: profiles, each with a table per panel.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    profiles: BTreeMap<String, BTreeMap<String, PanelSettings>>,
}

/// Resolved settings for one panel: everything merged, secrets wrapped.
#[derive(Debug)]
pub struct Resolved {
    /// Endpoint URL.
    pub url: Option<String>,
    /// User name.
    pub user: Option<String>,
    /// Password, when one was given.
    pub password: Option<Secret>,
    /// API key.
    pub api_key: Option<Secret>,
    /// Bearer token.
    pub token: Option<Secret>,
    /// Extra trusted certificates.
    pub ca_file: Option<PathBuf>,
    /// Accept invalid certificates.
    pub insecure: bool,
}

impl Resolved {
    /// The URL, or a failure saying how to give one.
    pub fn require_url(&self, panel: &str) -> Result<&str, Failure> {
        self.url.as_deref().ok_or_else(|| {
            Failure::config(format!(
                "no URL for {panel}: pass --url, set {}_URL, or add it to the profile in the config file",
                env_prefix(panel)
            ))
        })
    }

    /// The user, or a failure saying how to give one.
    pub fn require_user(&self, panel: &str) -> Result<&str, Failure> {
        self.user.as_deref().ok_or_else(|| {
            Failure::config(format!(
                "no user for {panel}: pass --user, set {}_USER, or add it to the profile",
                env_prefix(panel)
            ))
        })
    }

    /// The password, asking on the terminal when none was configured.
    pub fn require_password(&mut self, panel: &str) -> Result<Secret, Failure> {
        if let Some(password) = &self.password {
            return Ok(password.clone());
        }
        if std::io::stdin().is_terminal() && std::io::stderr().is_terminal() {
            let password = prompt_password(&format!("{panel} password: "))?;
            self.password = Some(password.clone());
            return Ok(password);
        }
        Err(Failure::config(format!(
            "no password for {panel}: use --password-stdin, set {}_PASSWORD, or run on a terminal to be asked",
            env_prefix(panel)
        )))
    }
}

/// `PANELKIT_ISPCONFIG` for `ispconfig`.
pub fn env_prefix(panel: &str) -> String {
    format!("PANELKIT_{}", panel.to_ascii_uppercase())
}

/// The default config file path.
pub fn default_config_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("panelctl").join("config.toml"))
}

fn read_config(path: &Path, explicit: bool) -> Result<ConfigFile, Failure> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            toml::from_str(&text).map_err(|e| Failure::config(format!("{}: {e}", path.display())))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => {
            Ok(ConfigFile::default())
        }
        Err(e) => Err(Failure::config(format!(
            "cannot read {}: {e}",
            path.display()
        ))),
    }
}

fn env(panel: &str, key: &str) -> Option<String> {
    std::env::var(format!("{}_{key}", env_prefix(panel)))
        .ok()
        .filter(|v| !v.is_empty())
}

/// Merges flags, environment and config file for `panel`.
pub fn resolve(global: &Global, panel: &str) -> Result<Resolved, Failure> {
    let (path, explicit) = match &global.config {
        Some(path) => (Some(path.clone()), true),
        None => (default_config_path(), false),
    };
    let file = match path {
        Some(path) => read_config(&path, explicit)?,
        None => ConfigFile::default(),
    };
    let profile_name = global.profile.as_deref().unwrap_or("default");
    let profile = file.profiles.get(profile_name);
    if profile.is_none() && global.profile.is_some() {
        return Err(Failure::config(format!(
            "no profile {profile_name:?} in the config file"
        )));
    }
    let from_file = profile
        .and_then(|p| p.get(panel))
        .cloned()
        .unwrap_or_default();
    let password = if global.password_stdin {
        Some(read_password_stdin()?)
    } else if let Some(password) = &global.password {
        eprintln!("panelctl: warning: a password on the command line is visible to other users of this machine; prefer --password-stdin");
        Some(Secret::new(password.clone()))
    } else {
        env(panel, "PASSWORD")
            .or(from_file.password)
            .map(Secret::new)
    };
    Ok(Resolved {
        url: global
            .url
            .clone()
            .or_else(|| env(panel, "URL"))
            .or(from_file.url),
        user: global
            .user
            .clone()
            .or_else(|| env(panel, "USER"))
            .or(from_file.user),
        password,
        api_key: env(panel, "API_KEY").or(from_file.api_key).map(Secret::new),
        token: env(panel, "TOKEN").or(from_file.token).map(Secret::new),
        ca_file: global
            .ca_file
            .clone()
            .or_else(|| env(panel, "CA_FILE").map(PathBuf::from))
            .or(from_file.ca_file),
        insecure: global.insecure
            || env(panel, "INSECURE").is_some_and(|v| v == "1" || v == "true")
            || from_file.insecure,
    })
}

fn read_password_stdin() -> Result<Secret, Failure> {
    secret_line_from_stdin("--password-stdin")
}

/// The next line of stdin as a secret; `flag` names who asked, for errors.
/// Several flags read in turn: the CLI's own password first, then others.
pub fn secret_line_from_stdin(flag: &str) -> Result<Secret, Failure> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| Failure::config(format!("{flag}: cannot read stdin: {e}")))?;
    let secret = line.trim_end_matches(['\r', '\n']).to_owned();
    if secret.is_empty() {
        return Err(Failure::config(format!("{flag}: stdin gave an empty line")));
    }
    Ok(Secret::new(secret))
}

fn prompt_password(prompt: &str) -> Result<Secret, Failure> {
    rpassword::prompt_password(prompt)
        .map(Secret::new)
        .map_err(|e| Failure::config(format!("cannot read the password: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_file_profiles_parse() {
        let file: ConfigFile = toml::from_str(
            r#"
            [profiles.default.ispconfig]
            url = "https://panel:8080/remote/index.php"
            user = "remote"
            insecure = true
            [profiles.staging.sftpgo]
            url = "https://sftp:8080"
            api_key = "k"
            "#,
        )
        .unwrap();
        let isp = &file.profiles["default"]["ispconfig"];
        assert_eq!(isp.user.as_deref(), Some("remote"));
        assert!(isp.insecure);
        assert_eq!(
            file.profiles["staging"]["sftpgo"].api_key.as_deref(),
            Some("k")
        );
    }

    #[test]
    fn unknown_keys_are_refused() {
        assert!(
            toml::from_str::<ConfigFile>("[profiles.default.ispconfig]\npasswrd = \"x\"\n")
                .is_err()
        );
    }

    #[test]
    fn resolved_debug_hides_secrets() {
        let resolved = Resolved {
            url: None,
            user: None,
            password: Some(Secret::new("hunter2")),
            api_key: Some(Secret::new("key123")),
            token: None,
            ca_file: None,
            insecure: false,
        };
        let shown = format!("{resolved:?}");
        assert!(!shown.contains("hunter2") && !shown.contains("key123"));
    }
}
