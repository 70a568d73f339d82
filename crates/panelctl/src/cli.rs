//! The command line: global options and one subcommand per panel.

use std::path::PathBuf;

use clap::{Args as ClapArgs, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::convert::Format;

/// panelctl: one CLI for the control panels hosting companies run.
///
/// Settings come from flags, then `PANELKIT_<PANEL>_*` environment variables,
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
#[derive(Clone, Debug, ClapArgs)]
#[command(next_help_heading = "Global options")]
pub struct Global {
    /// Profile in the config file.
    #[arg(long, global = true, env = "PANELCTL_PROFILE")]
    pub profile: Option<String>,
    /// Fleet run: the verb on each of these profiles (comma-separated), one
    /// result per panel; exits 12 when some failed. Each panel's settings
    /// come from its own profile only.
    #[arg(long, global = true, value_delimiter = ',', conflicts_with = "group")]
    pub profiles: Vec<String>,
    /// Fleet run: the verb on each profile of this group (`[groups]` in the
    /// config file).
    #[arg(long, global = true)]
    pub group: Option<String>,
    /// Fleet run: how many panels are worked on at once.
    #[arg(long, global = true, default_value_t = panelkit::fleet::DEFAULT_PARALLEL)]
    pub parallel: std::num::NonZeroUsize,
    /// Set on the copy of these options each member of a fleet run gets
    /// (`profile` is then the member): settings from the profile alone.
    #[arg(skip)]
    pub fleet_member: bool,
    /// Config file (default ~/.config/panelctl/config.toml).
    #[arg(long, global = true, env = "PANELCTL_CONFIG")]
    pub config: Option<PathBuf>,
    /// Output format.
    #[arg(long, global = true, value_enum, default_value_t = Output::Json)]
    pub output: Output,
    /// The table's columns, comma-separated (field names, or dotted paths
    /// such as properties.name); implies a table.
    #[arg(long, global = true, value_delimiter = ',')]
    pub columns: Vec<String>,
    /// Colors in JSON output and the --debug log.
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
    /// Log requests on stderr (secrets redacted, even with --show-secrets).
    #[arg(long, global = true)]
    pub debug: bool,
    /// Print secrets the panel answers with (private keys, plaintext
    /// credentials, password hashes) instead of `<redacted>`; says on stderr
    /// which fields it showed.
    #[arg(long, global = true)]
    pub show_secrets: bool,
    /// SFTPGo: the API prefix (default /api/v2; "" for mock servers).
    #[arg(long, global = true, hide = true)]
    pub api_prefix: Option<String>,
}

/// The heading the global options are listed under.
const GLOBAL_HEADING: &str = "Global options";

/// The command line as parsed: the derived definition, with the global
/// options listed on the top-level help only. Each subcommand gets a hidden
/// copy of every global option (clap then propagates no visible one), so
/// they are still accepted everywhere; its help points to `panelctl --help`.
pub fn command() -> clap::Command {
    let top = Args::command();
    let globals: Vec<clap::Arg> = top
        .get_arguments()
        .filter(|a| a.is_global_set())
        .cloned()
        .collect();
    let names: Vec<String> = top
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .collect();
    let mut top = top.after_help(exit_codes_help());
    for name in names {
        top = top.mut_subcommand(name, |sub| {
            globals
                .iter()
                .fold(sub, |sub, arg| sub.arg(arg.clone().hide(true)))
        });
    }
    with_pointer_to_globals(top, true)
}

/// Adds "global options: see `panelctl --help`" to every subcommand's help.
fn with_pointer_to_globals(command: clap::Command, top: bool) -> clap::Command {
    let names: Vec<String> = command
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .collect();
    let mut command = if top {
        command
    } else {
        command.after_help(format!(
            "{GLOBAL_HEADING} (--profile, --output, --columns, --url, --debug, …) are accepted here too: see `panelctl --help`."
        ))
    };
    for name in names {
        command = command.mut_subcommand(name, |sub| with_pointer_to_globals(sub, false));
    }
    command
}

/// The exit-code table for the top-level help.
fn exit_codes_help() -> String {
    let mut text = String::from("Exit codes:\n");
    for (code, meaning) in crate::exit::CODES {
        text.push_str(&format!("  {code:>2}  {meaning}\n"));
    }
    text
}

/// Parses the process's arguments (exits with clap's message on a usage error).
pub fn parse() -> Args {
    let matches = command().get_matches();
    Args::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

/// How results are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Output {
    /// JSON (pretty).
    Json,
    /// A plain table of the columns that matter (see --columns).
    Table,
    /// A table of every column.
    Wide,
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
    Sftpgo(Box<Sftpgo>),
    /// ISPmanager and the COREmanager family (`func=` calls).
    Ispmanager(IspmanagerArgs),
    /// DCImanager 6.
    #[command(subcommand)]
    Dci(Dci),
    /// IONOS Cloud API v6 (IONOS_USERNAME / IONOS_PASSWORD / IONOS_TOKEN).
    #[command(subcommand)]
    Ionos(Ionos),
    /// Print shell completions.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// `panelctl ispconfig …`: the raw API and the overlay's audited verbs.
#[derive(Debug, Subcommand)]
pub enum Ispconfig {
    /// List the remote functions the panel offers this remote user.
    Functions,
    /// Check the panel before trusting a write: which ISPConfig releases it
    /// matches, and which function groups (System → Remote Users) the remote
    /// user lacks for each audited helper. Reads only; nothing counts towards
    /// the panel's IP lockout. Exits 0 when all is well, 5 when helpers are
    /// blocked by missing groups, 9 when no committed release matches.
    Doctor,
    /// Exercise every audited helper end to end on scratch records (a
    /// client, zones, records, a web domain with FTP/shell users, mail, a
    /// database) and delete them again, also after a failure. It WRITES to
    /// the panel: refused unless --yes or PANELKIT_SELFTEST=1. Prints one row
    /// per step (helper, upstream methods, ok, ms); exits 12 when a step
    /// failed or something could not be deleted.
    Selftest {
        /// Yes, write scratch records to this panel.
        #[arg(long)]
        yes: bool,
        /// Use this existing client instead of adding a scratch one.
        #[arg(long)]
        client: Option<i64>,
        /// The server for web, mail, DNS and databases.
        #[arg(long, default_value_t = 1)]
        server: i64,
    },
    /// DNS records (through the audited overlay: type, ttl, owner and serial handled).
    #[command(subcommand)]
    Dns(IspconfigDns),
    /// Web domains (updates keep every field not named).
    #[command(subcommand)]
    WebDomain(IspconfigWebDomain),
    /// Mail domains.
    #[command(subcommand)]
    MailDomain(IspconfigMailDomain),
    /// Mailboxes.
    #[command(subcommand)]
    MailUser(IspconfigMailUser),
    /// Clients and resellers.
    #[command(subcommand)]
    Client(IspconfigClient),
    /// Call any remote method; each PARAM is JSON (`1`, `"x"`, `{"k": "v"}`),
    /// positional after the session id.
    Call {
        /// The remote method, e.g. dns_zone_get.
        method: String,
        /// Positional parameters as JSON.
        params: Vec<String>,
    },
}

/// `panelctl ispconfig dns …`
#[derive(Debug, Subcommand)]
pub enum IspconfigDns {
    /// The records of the zone with exactly this origin.
    List {
        /// The zone, with or without the trailing dot.
        zone: String,
    },
    /// Add a record (MX and SRV data may start with the priority).
    Add {
        /// The zone.
        zone: String,
        /// The record name (`www`, `@`, …).
        name: String,
        /// A, AAAA, CNAME, MX, TXT, …
        rtype: String,
        /// The record data.
        data: String,
    },
    /// Delete a record of the given type (a record of another type is never touched).
    Delete {
        /// A, AAAA, CNAME, MX, TXT, …
        rtype: String,
        /// The record id.
        id: i64,
    },
}

/// `panelctl ispconfig web-domain …`
#[derive(Debug, Subcommand)]
pub enum IspconfigWebDomain {
    /// Add a web site with the form's defaults (as the panel's GUI would
    /// store it); prints the stored record.
    Add {
        /// The domain (`example.com`).
        domain: String,
        /// The owning client (0: the admin).
        #[arg(long, default_value_t = 0)]
        client: i64,
        /// The web server.
        #[arg(long, default_value_t = 1)]
        server: i64,
    },
    /// Show a web domain.
    Get {
        /// Its id.
        id: i64,
    },
    /// Change one field; every other field keeps its value.
    Set {
        /// Its id.
        id: i64,
        /// The field (`hd_quota`, `php`, …).
        field: String,
        /// The new value.
        value: String,
    },
}

/// `panelctl ispconfig mail-domain …`
#[derive(Debug, Subcommand)]
pub enum IspconfigMailDomain {
    /// Add a mail domain with the form's defaults; prints the stored record.
    Add {
        /// The domain (`example.com`).
        domain: String,
        /// The owning client (0: the admin).
        #[arg(long, default_value_t = 0)]
        client: i64,
        /// The mail server.
        #[arg(long, default_value_t = 1)]
        server: i64,
    },
}

/// `panelctl ispconfig mail-user …`
#[derive(Debug, Subcommand)]
pub enum IspconfigMailUser {
    /// Add a mailbox; its password is read from stdin (after the CLI's own).
    Add {
        /// The address.
        email: String,
    },
    /// List mailboxes, optionally of one domain.
    List {
        /// Only addresses of this domain.
        domain: Option<String>,
    },
}

/// `panelctl ispconfig client …`
#[derive(Debug, Subcommand)]
pub enum IspconfigClient {
    /// All clients (resellers included).
    List,
    /// Add a client (or, with --reseller-limit, a reseller) with the form's
    /// defaults, as the GUI would store it; the client's panel password is
    /// read from stdin (after the CLI's own). Prints the stored record,
    /// password hash left out.
    Add {
        /// The client's panel login.
        username: String,
        /// Contact person (required by the form).
        #[arg(long)]
        contact: String,
        /// Contact e-mail (required by the form).
        #[arg(long)]
        email: String,
        /// Company name.
        #[arg(long, default_value = "")]
        company: String,
        /// The reseller the client belongs to (0: the admin).
        #[arg(long, default_value_t = 0, conflicts_with = "reseller_limit")]
        parent: i64,
        /// Make a reseller that may own this many clients (-1: unlimited).
        #[arg(long, allow_hyphen_values = true)]
        reseller_limit: Option<i64>,
    },
}

/// `panelctl ispmanager [--manager M] …`
#[derive(Debug, ClapArgs)]
pub struct IspmanagerArgs {
    /// The manager (`ispmgr`, `billmgr`, `vmmgr`, `dnsmgr`, `ipmgr`).
    #[arg(long, default_value = "ispmgr")]
    pub manager: String,
    /// Act as this user (`su=`).
    #[arg(long)]
    pub su: Option<String>,
    /// Message language (`lang=`).
    #[arg(long)]
    pub lang: Option<String>,
    /// Use the local `mgrctl` instead of HTTPS (run on the panel host).
    #[arg(long)]
    pub local: bool,
    /// The `mgrctl` program for --local (default: the panel's own).
    #[arg(long)]
    pub mgrctl: Option<std::path::PathBuf>,
    /// What to do.
    #[command(subcommand)]
    pub command: Ispmanager,
}

/// `panelctl ispmanager …` verbs.
#[derive(Debug, Subcommand)]
pub enum Ispmanager {
    /// Check the panel before trusting a write: reachable, and the
    /// credentials accepted (read-only probes). Exits with the class of the
    /// first failed probe (4 auth, 11 transport, ...).
    Doctor,
    /// Call any function: `call webdomain.edit elid=example.com sok=ok`.
    Call {
        /// The function.
        func: String,
        /// Parameters as `name=value`.
        params: Vec<String>,
    },
    /// The rows of a list function (`webdomain`, `user`, `db`, …).
    List {
        /// The list function.
        func: String,
        /// Parameters as `name=value` (e.g. `plid=example.com`).
        params: Vec<String>,
    },
    /// The fields of a form (`webdomain.edit --elid example.com`).
    Form {
        /// The form function.
        func: String,
        /// The element to show.
        #[arg(long)]
        elid: Option<String>,
        /// Parameters as `name=value`.
        params: Vec<String>,
    },
    /// Turn a panel log line into the request it made; `--run` also sends it.
    FromLog {
        /// `… INFO Request [ip][user] 'a=b&…'`
        line: String,
        /// Send the request.
        #[arg(long)]
        run: bool,
    },
}

/// `panelctl dci …`
#[derive(Debug, Subcommand)]
pub enum Dci {
    /// Check the panel before trusting a write: reachable, and the
    /// credentials accepted (read-only probes). Exits with the class of the
    /// first failed probe (4 auth, 11 transport, ...).
    Doctor,
    /// List servers (every page).
    Servers,
    /// Show a server.
    Server {
        /// Its id.
        id: i64,
    },
    /// List users (every page).
    Users,
    /// Power a server on or off, or reset it; `--wait` follows the operation.
    Power {
        /// What to do.
        #[arg(value_enum)]
        action: PowerAction,
        /// The server's id.
        server_id: i64,
        /// Waiting for the operation.
        #[command(flatten)]
        wait: DciWait,
    },
    /// Free servers per configuration.
    Configurations,
    /// Create a user; the password is the next line of stdin.
    UserCreate {
        /// The login email.
        email: String,
        /// The role (`@user`, `@admin`, a custom role).
        #[arg(long)]
        role: Option<String>,
        /// Full name.
        #[arg(long)]
        full_name: Option<String>,
        /// Phone number.
        #[arg(long)]
        phone_number: Option<String>,
        /// Read the user's password from stdin (after the CLI's own, if
        /// --password-stdin is given too). Required: a password never goes
        /// on the command line.
        #[arg(long, required = true)]
        user_password_stdin: bool,
    },
    /// Call any endpoint: `call GET dci v3 /server/1` (JSON body as the last argument).
    Call {
        /// GET, POST, DELETE, …
        method: String,
        /// auth, dci, eservice, ip, ipmiproxy, ldap.
        service: String,
        /// v3 or v4.
        version: String,
        /// The path after the version, e.g. `/server`.
        path: String,
        /// A JSON body.
        body: Option<String>,
    },
}

/// A DCImanager power command.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PowerAction {
    /// `power_on`.
    On,
    /// `power_off`.
    Off,
    /// `power_reset`.
    Reset,
}

/// Waiting for a DCImanager operation.
#[derive(Debug, ClapArgs)]
pub struct DciWait {
    /// Wait until the operation has finished and the power is as asked (a
    /// spinner on a terminal, a line per change otherwise).
    #[arg(long)]
    pub wait: bool,
    /// Give up waiting after this many seconds.
    #[arg(long, default_value_t = 600)]
    pub timeout: u64,
}

/// Waiting for an IONOS request.
#[derive(Debug, ClapArgs)]
pub struct Wait {
    /// Wait until the request is DONE (a bar on a terminal, lines otherwise).
    #[arg(long)]
    pub wait: bool,
    /// Give up waiting after this many seconds.
    #[arg(long, default_value_t = 1800)]
    pub timeout: u64,
}

/// `panelctl ionos …`
#[derive(Debug, Subcommand)]
pub enum Ionos {
    /// Check the panel before trusting a write: reachable, and the
    /// credentials accepted (read-only probes). Exits with the class of the
    /// first failed probe (4 auth, 11 transport, ...).
    Doctor,
    /// List data centers (every page).
    Datacenters,
    /// Show a data center.
    Datacenter {
        /// Its id.
        id: String,
    },
    /// List the servers of a data center.
    Servers {
        /// The data center.
        datacenter: String,
    },
    /// List the volumes of a data center.
    Volumes {
        /// The data center.
        datacenter: String,
    },
    /// Create a data center.
    CreateDatacenter {
        /// Its name.
        name: String,
        /// Where (`de/fra`, `de/txl`, `us/las`, …).
        #[arg(long)]
        location: String,
        /// A description.
        #[arg(long)]
        description: Option<String>,
        /// Waiting.
        #[command(flatten)]
        wait: Wait,
    },
    /// Delete a data center and everything in it.
    DeleteDatacenter {
        /// Its id.
        id: String,
        /// Waiting.
        #[command(flatten)]
        wait: Wait,
    },
    /// Create a server.
    CreateServer {
        /// The data center.
        datacenter: String,
        /// Its name.
        name: String,
        /// CPU cores.
        #[arg(long)]
        cores: i32,
        /// Memory in MB (a multiple of 256).
        #[arg(long)]
        ram: i32,
        /// Waiting.
        #[command(flatten)]
        wait: Wait,
    },
    /// Delete a server.
    DeleteServer {
        /// The data center.
        datacenter: String,
        /// The server.
        id: String,
        /// Also delete its volumes.
        #[arg(long)]
        delete_volumes: bool,
        /// Waiting.
        #[command(flatten)]
        wait: Wait,
    },
}

/// `panelctl sftpgo …`: the verbs of the old `sftpgo_api_cli`, on the v2 API.
///
/// Authentication: an API key (`PANELKIT_SFTPGO_API_KEY` or `api_key` in the
/// profile) or an admin's user and password, exchanged for a JWT.
#[derive(Debug, Subcommand)]
pub enum Sftpgo {
    /// Convert users of another server's user store to SFTPGo's dump format
    /// (for `loaddata`).
    ConvertUsers(ConvertUsers),
    /// Add a user (defaults: enabled, full permissions on its home).
    AddUser(UserArgs),
    /// Change a user: only the given fields change (read, merge, write).
    UpdateUser(UserArgs),
    /// Delete a user.
    DeleteUser(Named),
    /// Show a user.
    GetUser(Named),
    /// List users (every page unless --limit is given).
    GetUsers(Paging),
    /// List active connections.
    GetConnections,
    /// Close a connection.
    CloseConnection {
        /// Its id (see get-connections).
        connection_id: String,
    },
    /// List running user quota scans.
    GetQuotaScans,
    /// Start a quota scan of a user's home.
    StartQuotaScan {
        /// The user.
        username: String,
        /// Wait until the scan has finished.
        #[arg(long)]
        wait: bool,
        /// Give up waiting after this many seconds.
        #[arg(long, default_value_t = 600)]
        timeout: u64,
    },
    /// Show the server's version.
    GetVersion,
    /// Check the panel before trusting a write: reachable, and the
    /// credentials accepted (read-only probes). Exits with the class of the
    /// first failed probe (4 auth, 11 transport, ...).
    Doctor,
    /// Show the status of the data provider and the services.
    GetProviderStatus,
    /// Back up users, folders, admins, … (printed, or written server-side with --output-file).
    Dumpdata {
        /// A file name on the server to write to instead of answering with the data.
        #[arg(long)]
        output_file: Option<String>,
    },
    /// Restore a backup from a local JSON file (such as convert-users writes).
    Loaddata {
        /// The backup file.
        file: PathBuf,
        /// 0: no quota scan, 1: scan all users, 2: scan users with quota.
        #[arg(long)]
        scan_quota: Option<i64>,
        /// 0: add new and update existing, 1: add new only, 2: add new and replace existing.
        #[arg(long)]
        mode: Option<i64>,
    },
    /// List admins.
    GetAdmins(Paging),
    /// Show an admin.
    GetAdmin(Named),
    /// Add an admin.
    AddAdmin {
        /// The admin's name.
        username: String,
        /// Permissions (default: all).
        #[arg(long, num_args = 1.., default_values_t = ["*".to_owned()])]
        permissions: Vec<String>,
        /// E-mail address.
        #[arg(long)]
        email: Option<String>,
        /// Read the new admin's password from stdin (after the CLI's own, if
        /// --password-stdin is given too).
        #[arg(long)]
        admin_password_stdin: bool,
    },
    /// Delete an admin.
    DeleteAdmin(Named),
    /// List virtual folders.
    GetFolders(Paging),
    /// Show a virtual folder.
    GetFolder(Named),
    /// Add a virtual folder.
    AddFolder {
        /// The folder's name.
        name: String,
        /// Its path on the local filesystem.
        #[arg(long)]
        mapped_path: String,
        /// A description.
        #[arg(long)]
        description: Option<String>,
    },
    /// Delete a virtual folder.
    DeleteFolder(Named),
    /// List API keys.
    GetApiKeys(Paging),
    /// Create an API key; its secret is printed once.
    AddApiKey {
        /// A name for the key.
        name: String,
        /// 1: admin key, 2: user key.
        #[arg(long, default_value_t = 1)]
        scope: i64,
        /// Bind the key to this admin.
        #[arg(long)]
        admin: Option<String>,
        /// Bind the key to this user.
        #[arg(long)]
        user: Option<String>,
    },
    /// Delete an API key.
    DeleteApiKey {
        /// Its id.
        id: String,
    },
}

/// An object addressed by name.
#[derive(Debug, ClapArgs)]
pub struct Named {
    /// Its name.
    pub name: String,
}

/// Listing options.
#[derive(Debug, ClapArgs)]
pub struct Paging {
    /// At most this many items (one page); all pages when left out.
    #[arg(long)]
    pub limit: Option<i64>,
    /// Skip this many items.
    #[arg(long, default_value_t = 0)]
    pub offset: i64,
    /// Sort by name, ASC or DESC.
    #[arg(long, value_parser = ["ASC", "DESC"])]
    pub order: Option<String>,
}

/// The fields add-user and update-user set. Options left out are left alone
/// by update-user; `--json` gives any other field of SFTPGo's `User`.
#[derive(Debug, ClapArgs)]
pub struct UserArgs {
    /// The user's name.
    pub username: String,
    /// Read the user's password from stdin (after the CLI's own, if
    /// --password-stdin is given too). A crypt hash is stored as it is.
    #[arg(long)]
    pub user_password_stdin: bool,
    /// Public keys (OpenSSH format).
    #[arg(long, num_args = 1..)]
    pub public_keys: Vec<String>,
    /// Home directory (absolute).
    #[arg(long)]
    pub home_dir: Option<String>,
    /// Owner uid of created files.
    #[arg(long)]
    pub uid: Option<i32>,
    /// Owner gid of created files.
    #[arg(long)]
    pub gid: Option<i32>,
    /// Concurrent sessions (0: unlimited).
    #[arg(long)]
    pub max_sessions: Option<i32>,
    /// Quota in bytes (0: unlimited).
    #[arg(long)]
    pub quota_size: Option<i64>,
    /// Quota in files (0: unlimited).
    #[arg(long)]
    pub quota_files: Option<i32>,
    /// Permissions on "/" (e.g. list download upload, or *).
    #[arg(long, num_args = 1..)]
    pub permissions: Vec<String>,
    /// Permissions of sub-directories, "/dir::list,download".
    #[arg(long, num_args = 1..)]
    pub subdirs_permissions: Vec<String>,
    /// Upload bandwidth in KB/s (0: unlimited).
    #[arg(long)]
    pub upload_bandwidth: Option<i64>,
    /// Download bandwidth in KB/s (0: unlimited).
    #[arg(long)]
    pub download_bandwidth: Option<i64>,
    /// 1 enabled, 0 disabled.
    #[arg(long, value_parser = clap::value_parser!(i64).range(0..=1))]
    pub status: Option<i64>,
    /// Expiration date, YYYY-MM-DD (UTC); 0 for none.
    #[arg(long)]
    pub expiration_date: Option<String>,
    /// Networks allowed to log in (CIDR).
    #[arg(long, num_args = 1..)]
    pub allowed_ip: Vec<String>,
    /// Networks refused (CIDR).
    #[arg(long, num_args = 1..)]
    pub denied_ip: Vec<String>,
    /// Login methods refused (password, publickey, keyboard-interactive, …).
    #[arg(long, num_args = 1..)]
    pub denied_login_methods: Vec<String>,
    /// A description.
    #[arg(long)]
    pub description: Option<String>,
    /// E-mail address.
    #[arg(long)]
    pub email: Option<String>,
    /// A JSON file with any other fields of SFTPGo's User (flags win).
    #[arg(long)]
    pub json: Option<PathBuf>,
}

/// `panelctl sftpgo convert-users INPUT FORMAT OUTPUT`
#[derive(Debug, ClapArgs)]
pub struct ConvertUsers {
    /// The user store; "" means /etc/passwd for unix-passwd.
    pub input: String,
    /// Its format.
    #[arg(value_enum)]
    pub format: Format,
    /// The JSON dump to write (mode 0600: it holds password hashes); `-`
    /// writes it to stdout.
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
    /// Also create the users on the server, reporting each.
    #[arg(long)]
    pub create: bool,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn command_line_definition_is_consistent() {
        super::Args::command().debug_assert();
        super::command().debug_assert();
    }
}
