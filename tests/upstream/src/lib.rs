//! Upstream files (the OpenAPI specs the SFTPGo and IONOS inventories were
//! extracted from) found by the provenance each inventory records: the
//! repository, the commit, the path in the repository and the file's sha256.
//!
//! Tests and `cargo xtask` get those files here and nowhere else, so a fresh
//! clone needs nothing beside it:
//!
//! 1. [`DIR_VAR`] (`PANELKIT_UPSTREAM_DIR`), when set: any file below it
//!    whose sha256 is the recorded one. Content-addressed, so the directory
//!    may have any layout.
//! 2. Otherwise (or when that directory does not hold the file) the per-user
//!    cache, `$XDG_CACHE_HOME/panelkit/upstream/<sha256>` (default
//!    `~/.cache/...`), filled on first use by downloading the file from the
//!    recorded repository at the recorded commit
//!    (`<base>/<repository>/<commit>/<path>`, base [`DEFAULT_BASE_URL`] or
//!    [`URL_VAR`]). A download is verified against the recorded sha256 before
//!    it enters the cache; a mismatch is an error naming both hashes.
//! 3. When neither works, an [`Error`] that names `PANELKIT_UPSTREAM_DIR`, the
//!    file, its sha256 and the URL tried.
//!
//! This crate is test and xtask support; no library depends on it.

use std::ffi::OsStr;
use std::fmt;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use sha2::{Digest, Sha256};

/// The variable naming a directory that holds upstream files (any layout).
pub const DIR_VAR: &str = "PANELKIT_UPSTREAM_DIR";

/// The variable overriding the base URL of the repository host's raw files
/// (tests point it at a local server playing the host).
pub const URL_VAR: &str = "PANELKIT_UPSTREAM_URL";

/// Raw files of a GitHub repository at a commit:
/// `<base>/<owner>/<name>/<commit>/<path>`.
pub const DEFAULT_BASE_URL: &str = "https://raw.githubusercontent.com";

/// Connecting must not wait long: offline, the error should come within
/// seconds, before any test starts.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The whole download (the IONOS spec is about 1 MB).
const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(120);

/// One upstream file as an inventory's `source` records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpstreamFile {
    /// `owner/name` on the repository host.
    pub repository: String,
    /// The commit the file was taken from.
    pub commit: String,
    /// The file's path in the repository.
    pub path: String,
    /// The file's sha256, lower-case hex.
    pub sha256: String,
}

impl UpstreamFile {
    /// The provenance recorded in an inventory (`source.repository`,
    /// `source.commit`, `source.root`, `source.sha256`).
    pub fn from_inventory(inventory: &Path) -> Result<Self, Error> {
        let provenance = |reason: String| Error::Provenance {
            inventory: inventory.to_owned(),
            reason,
        };
        let text = fs::read_to_string(inventory).map_err(|e| provenance(e.to_string()))?;
        let json: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| provenance(e.to_string()))?;
        let field = |name: &str| {
            json["source"][name]
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| provenance(format!("no source.{name}")))
        };
        let file = UpstreamFile {
            repository: field("repository")?,
            commit: field("commit")?,
            path: field("root")?,
            sha256: field("sha256")?.to_ascii_lowercase(),
        };
        if file.sha256.len() != 64 || !file.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(provenance(format!(
                "source.sha256 {:?} is not a sha256",
                file.sha256
            )));
        }
        Ok(file)
    }

    /// Where the repository host serves this file below `base`.
    pub fn url(&self, base: &str) -> String {
        format!(
            "{}/{}/{}/{}",
            base.trim_end_matches('/'),
            self.repository,
            self.commit,
            self.path
        )
    }
}

impl fmt::Display for UpstreamFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}:{}", self.repository, self.commit, self.path)
    }
}

/// Every upstream file the committed inventories were extracted from as a
/// single file (the OpenAPI inventories, current and kept versions), with
/// the inventory that records it, relative to `root`.
pub fn recorded(root: &Path) -> Result<Vec<(String, UpstreamFile)>, Error> {
    let mut found = Vec::new();
    let inventories = root.join("inventories");
    let io = |path: &Path, e: std::io::Error| Error::Io {
        path: path.to_owned(),
        message: e.to_string(),
    };
    let mut panels: Vec<PathBuf> = fs::read_dir(&inventories)
        .map_err(|e| io(&inventories, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    panels.sort();
    for panel in panels {
        let mut files = vec![panel.join("inventory.json")];
        if let Ok(versions) = fs::read_dir(panel.join("versions")) {
            let mut kept: Vec<PathBuf> =
                versions.filter_map(|e| e.ok().map(|e| e.path())).collect();
            kept.sort();
            files.extend(kept);
        }
        for file in files.into_iter().filter(|f| f.is_file()) {
            let text = fs::read_to_string(&file).map_err(|e| io(&file, e))?;
            let json: serde_json::Value =
                serde_json::from_str(&text).map_err(|e| Error::Provenance {
                    inventory: file.clone(),
                    reason: e.to_string(),
                })?;
            if json["extractor"]["name"] == "openapi" {
                let relative = file
                    .strip_prefix(root)
                    .unwrap_or(&file)
                    .to_string_lossy()
                    .into_owned();
                found.push((relative, UpstreamFile::from_inventory(&file)?));
            }
        }
    }
    Ok(found)
}

/// The upstream file recorded by `inventory` (relative to the workspace
/// `root`), resolved from the environment; panics with the resolver's message.
/// For tests, where a missing spec is a failed test.
pub fn path_for(root: &Path, inventory: &str) -> PathBuf {
    UpstreamFile::from_inventory(&root.join(inventory))
        .and_then(|file| Resolver::from_env().resolve(&file))
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Where upstream files are looked for and cached.
#[derive(Debug, Clone)]
pub struct Resolver {
    upstream_dir: Option<PathBuf>,
    cache_dir: Option<PathBuf>,
    base_url: String,
}

impl Resolver {
    /// From the environment: [`DIR_VAR`], the per-user cache
    /// (`$XDG_CACHE_HOME`, else `$HOME/.cache`) and [`URL_VAR`].
    pub fn from_env() -> Self {
        let set = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        let cache_home = set("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .or_else(|| set("HOME").map(|home| PathBuf::from(home).join(".cache")));
        Resolver {
            upstream_dir: set(DIR_VAR).map(PathBuf::from),
            cache_dir: cache_home.map(|dir| dir.join("panelkit/upstream")),
            base_url: std::env::var(URL_VAR)
                .ok()
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned()),
        }
    }

    /// An explicit configuration (tests): the directory searched first, the
    /// cache directory and the repository host's base URL.
    pub fn new(
        upstream_dir: Option<PathBuf>,
        cache_dir: Option<PathBuf>,
        base_url: impl Into<String>,
    ) -> Self {
        Resolver {
            upstream_dir,
            cache_dir,
            base_url: base_url.into(),
        }
    }

    /// A local path holding exactly the recorded file.
    pub fn resolve(&self, file: &UpstreamFile) -> Result<PathBuf, Error> {
        if let Some(dir) = &self.upstream_dir {
            if let Some(found) = find_by_hash(dir, file) {
                return Ok(found);
            }
        }
        let url = file.url(&self.base_url);
        let unavailable = |cause: String| Error::Unavailable {
            file: Box::new(file.clone()),
            upstream_dir: self.upstream_dir.clone(),
            url: url.clone(),
            cause,
        };
        let Some(cache) = &self.cache_dir else {
            return Err(unavailable(
                "no cache directory (neither XDG_CACHE_HOME nor HOME is set)".to_owned(),
            ));
        };
        let cached = cache.join(&file.sha256);
        if cached.is_file() {
            if sha256_of(&cached).as_deref() == Some(file.sha256.as_str()) {
                return Ok(cached);
            }
            // A damaged entry (an interrupted copy by hand, say) is replaced.
            let _ = fs::remove_file(&cached);
        }
        let body = download(&url).map_err(unavailable)?;
        let actual = hex_sha256(&body);
        if actual != file.sha256 {
            return Err(Error::Mismatch {
                file: Box::new(file.clone()),
                url,
                expected: file.sha256.clone(),
                actual,
            });
        }
        store(cache, &cached, &body).map_err(|e| Error::Io {
            path: cached.clone(),
            message: e.to_string(),
        })?;
        Ok(cached)
    }
}

/// Why an upstream file could not be had.
#[derive(Debug)]
pub enum Error {
    /// The inventory does not record a usable provenance.
    Provenance {
        /// The inventory read.
        inventory: PathBuf,
        /// What is missing or wrong.
        reason: String,
    },
    /// Not below `PANELKIT_UPSTREAM_DIR`, not cached, and the download failed.
    Unavailable {
        /// The file needed.
        file: Box<UpstreamFile>,
        /// `PANELKIT_UPSTREAM_DIR`, if set.
        upstream_dir: Option<PathBuf>,
        /// The URL tried.
        url: String,
        /// Why the download failed.
        cause: String,
    },
    /// The downloaded file is not the recorded one; nothing was cached.
    Mismatch {
        /// The file needed.
        file: Box<UpstreamFile>,
        /// Where it was downloaded from.
        url: String,
        /// The recorded sha256.
        expected: String,
        /// The downloaded file's sha256.
        actual: String,
    },
    /// The cache could not be written.
    Io {
        /// The path involved.
        path: PathBuf,
        /// The operating system's message.
        message: String,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Provenance { inventory, reason } => write!(
                f,
                "{}: no usable upstream provenance: {reason}",
                inventory.display()
            ),
            Error::Unavailable {
                file,
                upstream_dir,
                url,
                cause,
            } => {
                write!(
                    f,
                    "upstream file {file} (sha256 {}) is not available: ",
                    file.sha256
                )?;
                match upstream_dir {
                    Some(dir) => write!(
                        f,
                        "no file with that sha256 below {DIR_VAR}={}",
                        dir.display()
                    )?,
                    None => write!(f, "{DIR_VAR} is not set")?,
                }
                write!(
                    f,
                    ", and downloading {url} failed: {cause}. Set {DIR_VAR} to a directory \
                     holding that file (any layout: files are found by sha256), or let the \
                     download reach the repository host ({URL_VAR} overrides {DEFAULT_BASE_URL})"
                )
            }
            Error::Mismatch {
                file,
                url,
                expected,
                actual,
            } => write!(
                f,
                "upstream file {file} downloaded from {url} has sha256 {actual}, but the \
                 inventory records {expected}; not used, nothing cached"
            ),
            Error::Io { path, message } => write!(f, "{}: {message}", path.display()),
        }
    }
}

impl std::error::Error for Error {}

/// The first file below `dir` with the recorded sha256; files named like the
/// recorded path's last segment are tried first (the usual layout), so a
/// large directory is hashed whole only when the file is not there.
fn find_by_hash(dir: &Path, file: &UpstreamFile) -> Option<PathBuf> {
    let mut files = Vec::new();
    collect_files(dir, &mut files);
    let name = file.path.rsplit('/').next().unwrap_or(&file.path);
    files.sort_by_key(|p| (p.file_name() != Some(OsStr::new(name)), p.clone()));
    files
        .into_iter()
        .find(|p| sha256_of(p).as_deref() == Some(file.sha256.as_str()))
}

/// Regular files below `dir`; symlinked directories are not followed (no
/// loops), unreadable entries are skipped.
fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_dir() => collect_files(&path, out),
            Ok(_) if path.is_file() => out.push(path),
            _ => {}
        }
    }
}

fn sha256_of(path: &Path) -> Option<String> {
    let mut file = fs::File::open(path).ok()?;
    let mut hasher = Sha256::new();
    let mut buffer = [0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buffer).ok()?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Some(hex(&hasher.finalize()))
}

fn hex_sha256(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn download(url: &str) -> Result<Vec<u8>, String> {
    let client = reqwest::blocking::Client::builder()
        .connect_timeout(CONNECT_TIMEOUT)
        .timeout(DOWNLOAD_TIMEOUT)
        .build()
        .map_err(|e| error_chain(&e))?;
    let response = client.get(url).send().map_err(|e| error_chain(&e))?;
    let status = response.status();
    if !status.is_success() {
        return Err(format!("HTTP {status}"));
    }
    response
        .bytes()
        .map(|b| b.to_vec())
        .map_err(|e| error_chain(&e))
}

/// reqwest's top-level message is generic ("error sending request"); the
/// cause (DNS, refused, TLS) is what a reader needs.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Writes `body` to `target` through a temporary file in the same directory,
/// so a reader never sees a partial file and concurrent fills do not clash.
fn store(cache: &Path, target: &Path, body: &[u8]) -> std::io::Result<()> {
    fs::create_dir_all(cache)?;
    let temporary = cache.join(format!(
        ".{}.{}.partial",
        target.file_name().unwrap_or_default().to_string_lossy(),
        std::process::id()
    ));
    fs::write(&temporary, body)?;
    fs::rename(&temporary, target).inspect_err(|_| {
        let _ = fs::remove_file(&temporary);
    })
}
