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
//!
//! Profiles can be grouped for fleet runs (`--group web`, or
//! `--profiles staging,prod`), which run one verb on each profile's panel:
//!
//! ```toml
//! [groups]
//! web = ["staging", "prod"]
//! ```
//!
//! In a fleet run each member's settings come from its own profile only:
//! flags and environment variables that would hand one URL or one credential
//! to every panel are refused (see [`check_fleet`]), nothing is prompted for
//! and no secret is read from stdin (which line would belong to which panel?).

use std::collections::BTreeMap;
use std::io::{BufRead, IsTerminal};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

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
    /// Named lists of profiles for fleet runs.
    #[serde(default)]
    groups: BTreeMap<String, Vec<String>>,
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
    /// A member of a fleet run: settings came from the profile alone, and a
    /// missing password is not asked for (prompts of panels running at once
    /// would interleave).
    fleet_member: bool,
}

impl Resolved {
    /// The URL, or a failure saying how to give one.
    pub fn require_url(&self, panel: &str) -> Result<&str, Failure> {
        self.url
            .as_deref()
            .ok_or_else(|| self.missing(panel, "URL", "url", "pass --url"))
    }

    /// The user, or a failure saying how to give one.
    pub fn require_user(&self, panel: &str) -> Result<&str, Failure> {
        self.user
            .as_deref()
            .ok_or_else(|| self.missing(panel, "user", "user", "pass --user"))
    }

    /// The password, asking on the terminal when none was configured.
    pub fn require_password(&mut self, panel: &str) -> Result<Secret, Failure> {
        if let Some(password) = &self.password {
            return Ok(password.clone());
        }
        if !self.fleet_member && std::io::stdin().is_terminal() && std::io::stderr().is_terminal() {
            let password = prompt_password(&format!("{panel} password: "))?;
            self.password = Some(password.clone());
            return Ok(password);
        }
        Err(self.missing(
            panel,
            "password",
            "password",
            "use --password-stdin, run on a terminal to be asked",
        ))
    }

    /// "No `what` for `panel`", with the ways to give it: the flag (or
    /// prompt), the environment and the profile; a fleet member's profile only.
    fn missing(&self, panel: &str, what: &str, file_key: &str, interactive_way: &str) -> Failure {
        if self.fleet_member {
            return Failure::config(format!(
                "no {what} for {panel} in this profile: add `{file_key} = …` to its [{panel}] table (a fleet run takes settings from the profile only)"
            ));
        }
        Failure::config(format!(
            "no {what} for {panel}: {interactive_way}, set {}, or add it to the profile in the config file",
            env_name(panel, &file_key.to_ascii_uppercase())
        ))
    }
}

/// The variable a hint names for setting `key` of `panel`: for IONOS the
/// SDKs' own (`IONOS_USERNAME`, …), which README and help name too; else
/// `PANELKIT_<PANEL>_<KEY>`.
pub fn env_name(panel: &str, key: &str) -> String {
    match (panel, key) {
        ("ionos", "USER") => "IONOS_USERNAME".to_owned(),
        ("ionos", "PASSWORD") => "IONOS_PASSWORD".to_owned(),
        ("ionos", "TOKEN") => "IONOS_TOKEN".to_owned(),
        ("ionos", "URL") => "IONOS_API_URL".to_owned(),
        _ => format!("{}_{key}", env_prefix(panel)),
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

/// The settings the environment may give each panel (`PANELKIT_<PANEL>_<KEY>`).
const ENV_KEYS: [&str; 7] = [
    "URL", "USER", "PASSWORD", "API_KEY", "TOKEN", "CA_FILE", "INSECURE",
];

/// The variables the IONOS SDKs read, which `panelctl ionos` honours too.
const IONOS_ENV: [&str; 4] = [
    "IONOS_USERNAME",
    "IONOS_PASSWORD",
    "IONOS_TOKEN",
    "IONOS_API_URL",
];

fn env(panel: &str, key: &str) -> Option<String> {
    std::env::var(format!("{}_{key}", env_prefix(panel)))
        .ok()
        .filter(|v| !v.is_empty())
}

/// The config file `global` names (or the default one, when it exists).
fn load(global: &Global) -> Result<ConfigFile, Failure> {
    let (path, explicit) = match &global.config {
        Some(path) => (Some(path.clone()), true),
        None => (default_config_path(), false),
    };
    match path {
        Some(path) => read_config(&path, explicit),
        None => Ok(ConfigFile::default()),
    }
}

/// The profiles a fleet run covers, in the order given: `--profiles`, or the
/// members of `--group`. Every one must be a profile of the config file, and
/// none may come twice (it would run the verb twice on one panel).
pub fn fleet_members(global: &Global) -> Result<Vec<String>, Failure> {
    let file = load(global)?;
    let members = match &global.group {
        Some(group) => file.groups.get(group).cloned().ok_or_else(|| {
            Failure::config(format!(
                "no group {group:?} in the config file (groups: {})",
                names(file.groups.keys())
            ))
        })?,
        None => global.profiles.clone(),
    };
    if members.is_empty() {
        return Err(Failure::config("a fleet run needs at least one profile"));
    }
    let unknown: Vec<&String> = members
        .iter()
        .filter(|m| !file.profiles.contains_key(*m))
        .collect();
    if !unknown.is_empty() {
        return Err(Failure::config(format!(
            "no profile {} in the config file (profiles: {})",
            names(unknown),
            names(file.profiles.keys())
        )));
    }
    for (i, member) in members.iter().enumerate() {
        if members[..i].contains(member) {
            return Err(Failure::config(format!(
                "profile {member:?} is named twice in the fleet"
            )));
        }
    }
    Ok(members)
}

fn names<'a>(names: impl IntoIterator<Item = &'a String>) -> String {
    let quoted: Vec<String> = names.into_iter().map(|n| format!("{n:?}")).collect();
    if quoted.is_empty() {
        "none".to_owned()
    } else {
        quoted.join(", ")
    }
}

/// Refuses what would give every member of a fleet run on `panel` the same
/// URL or credential: `--url`, `--user`, `--password`, `--password-stdin`
/// and the `PANELKIT_<PANEL>_*` (and for IONOS the `IONOS_*`) variables.
/// `--ca-file` and `--insecure` stay: they only widen whom TLS trusts.
pub fn check_fleet(global: &Global, panel: &str) -> Result<(), Failure> {
    let flags = [
        ("--url", global.url.is_some()),
        ("--user", global.user.is_some()),
        ("--password", global.password.is_some()),
        ("--password-stdin", global.password_stdin),
    ];
    let mut given: Vec<String> = flags
        .iter()
        .filter(|(_, set)| *set)
        .map(|(flag, _)| (*flag).to_owned())
        .collect();
    given.extend(
        ENV_KEYS
            .iter()
            .filter(|key| env(panel, key).is_some())
            .map(|key| format!("{}_{key}", env_prefix(panel))),
    );
    if panel == "ionos" {
        given.extend(
            IONOS_ENV
                .iter()
                .filter(|name| std::env::var_os(name).is_some_and(|v| !v.is_empty()))
                .map(|name| (*name).to_owned()),
        );
    }
    if given.is_empty() {
        return Ok(());
    }
    Err(Failure::config(format!(
        "a fleet run takes each panel's settings from its own profile, but {} would apply to every panel: leave {} out",
        given.join(", "),
        if given.len() == 1 { "it" } else { "them" }
    )))
}

/// Set for the whole process once a fleet run starts; see
/// [`secret_line_from_stdin`].
static FLEET_RUN: AtomicBool = AtomicBool::new(false);

/// Marks the process as running a fleet: from now on no verb reads a secret
/// from stdin (its members run at once; each would take some line).
pub fn begin_fleet_run() {
    FLEET_RUN.store(true, Ordering::SeqCst);
}

/// Merges flags, environment and config file for `panel`. For a member of a
/// fleet run (`global.fleet_member`), the profile alone (plus `--ca-file`
/// and `--insecure`): [`check_fleet`] has refused the rest beforehand, and
/// skipping the environment here keeps it so.
pub fn resolve(global: &Global, panel: &str) -> Result<Resolved, Failure> {
    let file = load(global)?;
    if global.fleet_member {
        let profile = global.profile.as_deref().unwrap_or_default();
        let from_file = file
            .profiles
            .get(profile)
            .ok_or_else(|| Failure::config(format!("no profile {profile:?} in the config file")))?
            .get(panel)
            .cloned()
            .unwrap_or_default();
        return Ok(Resolved {
            url: from_file.url,
            user: from_file.user,
            password: from_file.password.map(Secret::new),
            api_key: from_file.api_key.map(Secret::new),
            token: from_file.token.map(Secret::new),
            ca_file: global.ca_file.clone().or(from_file.ca_file),
            insecure: global.insecure || from_file.insecure,
            fleet_member: true,
        });
    }
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
        fleet_member: false,
    })
}

fn read_password_stdin() -> Result<Secret, Failure> {
    secret_line_from_stdin("--password-stdin")
}

/// The next line of stdin as a secret; `flag` names who asked, for errors.
/// Several flags read in turn: the CLI's own password first, then others.
/// Refused in a fleet run (see [`begin_fleet_run`]).
pub fn secret_line_from_stdin(flag: &str) -> Result<Secret, Failure> {
    if FLEET_RUN.load(Ordering::SeqCst) {
        return Err(Failure::config(format!(
            "{flag}: a fleet run reads no secret from stdin (its panels run at once); run this verb per profile"
        )));
    }
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
    fn groups_list_profiles_in_order() {
        let file: ConfigFile = toml::from_str(
            "[groups]\nweb = [\"b\", \"a\"]\n[profiles.a.ispconfig]\n[profiles.b.ispconfig]\n",
        )
        .unwrap();
        assert_eq!(file.groups["web"], ["b", "a"]);
        assert!(toml::from_str::<ConfigFile>("[groups]\nweb = \"a\"\n").is_err());
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
            fleet_member: false,
        };
        let shown = format!("{resolved:?}");
        assert!(!shown.contains("hunter2") && !shown.contains("key123"));
    }
}
