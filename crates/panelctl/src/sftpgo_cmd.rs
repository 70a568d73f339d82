//! `panelctl sftpgo …`: the verbs of the old `sftpgo_api_cli`, on SFTPGo's
//! v2 API through `panelkit::sftpgo`: users are created through `NewUser`'s
//! checks and defaults, changed by its read-merge-write update, listed
//! through its page streams; a quota scan is waited for by its helper. Every
//! verb is one call of an overlay handler (`client.users()`, `.admins()`,
//! ...): the CLI adds no waits, paging or defaults of its own.

use std::path::Path;
use std::time::Duration;

use panelkit::paging::Pages;
use panelkit::sftpgo::types::{Admin, ApiKey, BaseVirtualFolder, User};
use panelkit::sftpgo::{Client, ListOptions, LoadOptions, NewUser};
use serde_json::{json, Map, Value};

use crate::cli::{ConvertUsers, Global, Output, Paging, Sftpgo, UserArgs};
use crate::convert::{self, Dump, DumpUser, Format, Selection, SourceText};
use crate::exit::Failure;
use crate::settings::{self, secret_line_from_stdin};

/// Runs an `sftpgo` subcommand; `Some(value)` is printed by the caller.
pub async fn run(global: &Global, command: &Sftpgo) -> Result<Option<Value>, Failure> {
    verb(global, command).await.map_err(own_hint)
}

/// The CLI's own words for a request the configured credentials cannot
/// make: the library's message names its builder calls
/// (`.admin(user, password)`), a CLI user gives flags and variables.
fn own_hint(failure: Failure) -> Failure {
    if failure.exit_code() != crate::exit::code::CONFIG
        || !failure.to_string().contains("; it needs .")
    {
        return failure;
    }
    Failure::config(
        "SFTPGo takes no API key for this request, only an admin's login: give the admin \
         (--user or PANELKIT_SFTPGO_USER) and the password (--password-stdin, \
         PANELKIT_SFTPGO_PASSWORD or the prompt) with no API key configured, or a JWT in \
         PANELKIT_SFTPGO_TOKEN",
    )
}

async fn verb(global: &Global, command: &Sftpgo) -> Result<Option<Value>, Failure> {
    if let Sftpgo::ConvertUsers(args) = command {
        return convert_users(global, args).await;
    }
    let client = client(global)?;
    let value = match command {
        Sftpgo::ConvertUsers(_) => unreachable!("handled above"),
        Sftpgo::AddUser(args) => {
            let user = new_user(args, typed(Value::Object(user_fields(args)?), "user")?)?;
            show(client.users().create(user).await?)?
        }
        Sftpgo::UpdateUser(args) => {
            let changes: User = typed(Value::Object(user_fields(args)?), "user")?;
            show(client.users().update(&args.username, &changes).await?)?
        }
        Sftpgo::DeleteUser(named) => show(client.users().delete(&named.name).await?)?,
        Sftpgo::GetUser(named) => show(client.users().get(&named.name).await?)?,
        Sftpgo::GetUsers(paging) => {
            show(listed(client.users().all_with(options(paging)?), paging).await?)?
        }
        Sftpgo::GetConnections => show(client.connections().all().await?)?,
        Sftpgo::CloseConnection { connection_id } => {
            show(client.connections().close(connection_id).await?)?
        }
        Sftpgo::GetQuotaScans => show(client.quota().scans().await?)?,
        Sftpgo::StartQuotaScan {
            username,
            wait: true,
            timeout,
        } => {
            client
                .quota()
                .scan_and_wait(username, Duration::from_secs(*timeout))
                .await?;
            json!({"username": username, "scan": "finished"})
        }
        Sftpgo::StartQuotaScan { username, .. } => {
            show(client.quota().start_scan(username).await?)?
        }
        Sftpgo::Doctor => {
            return crate::exit::doctor(panelkit::doctor::sftpgo(&client).await).map(Some)
        }
        Sftpgo::GetVersion => show(client.maintenance().version().await?)?,
        Sftpgo::GetProviderStatus => show(client.maintenance().status().await?)?,
        Sftpgo::Dumpdata { output_file } => match output_file {
            Some(file) => show(client.maintenance().dump_to_file(file).await?)?,
            None => show(client.maintenance().dump().await?)?,
        },
        Sftpgo::Loaddata {
            file,
            scan_quota,
            mode,
        } => {
            let data = read_json(file)?;
            let backup = typed(data, "backup")?;
            let options = LoadOptions {
                scan_quota: *scan_quota,
                mode: *mode,
            };
            show(client.maintenance().load(&backup, options).await?)?
        }
        Sftpgo::GetAdmins(paging) => {
            show(listed(client.admins().all_with(options(paging)?), paging).await?)?
        }
        Sftpgo::GetAdmin(named) => show(client.admins().get(&named.name).await?)?,
        Sftpgo::AddAdmin {
            username,
            permissions,
            email,
            admin_password_stdin,
        } => {
            // No status: the helper creates admins enabled.
            let mut admin = json!({"username": username, "permissions": permissions});
            if let Some(email) = email {
                admin["email"] = json!(email);
            }
            if *admin_password_stdin {
                let password = secret_line_from_stdin("--admin-password-stdin")?;
                admin["password"] = json!(password.expose());
            }
            let admin: Admin = typed(admin, "admin")?;
            show(client.admins().create(admin).await?)?
        }
        Sftpgo::DeleteAdmin(named) => show(client.admins().delete(&named.name).await?)?,
        Sftpgo::GetFolders(paging) => {
            show(listed(client.folders().all_with(options(paging)?), paging).await?)?
        }
        Sftpgo::GetFolder(named) => show(client.folders().get(&named.name).await?)?,
        Sftpgo::AddFolder {
            name,
            mapped_path,
            description,
        } => {
            let folder: BaseVirtualFolder = typed(
                json!({"name": name, "mapped_path": mapped_path, "description": description}),
                "folder",
            )?;
            show(client.folders().create(&folder).await?)?
        }
        Sftpgo::DeleteFolder(named) => show(client.folders().delete(&named.name).await?)?,
        Sftpgo::GetApiKeys(paging) => {
            show(listed(client.api_keys().all_with(options(paging)?), paging).await?)?
        }
        Sftpgo::AddApiKey {
            name,
            scope,
            admin,
            user,
        } => {
            let key: ApiKey = typed(
                json!({"name": name, "scope": scope, "admin": admin, "user": user}),
                "API key",
            )?;
            show(client.api_keys().create(&key).await?)?
        }
        Sftpgo::DeleteApiKey { id } => show(client.api_keys().delete(id).await?)?,
    };
    Ok(Some(value))
}

/// Builds a client: an API key if one is configured, else an admin's
/// credentials exchanged for a JWT.
fn client(global: &Global) -> Result<Client, Failure> {
    let mut resolved = settings::resolve(global, "sftpgo")?;
    let url = resolved.require_url("sftpgo")?.to_owned();
    let mut builder = Client::builder()
        .url(url)
        .danger_accept_invalid_certs(resolved.insecure);
    if let Some(prefix) = &global.api_prefix {
        builder = builder.api_prefix(prefix.clone());
    }
    if let Some(ca) = &resolved.ca_file {
        builder = builder.ca_file(ca);
    }
    builder = if let Some(key) = resolved.api_key.clone() {
        builder.api_key(key)
    } else if let Some(token) = resolved.token.clone() {
        builder.bearer_token(token)
    } else {
        let user = resolved.require_user("sftpgo")?.to_owned();
        let password = resolved.require_password("sftpgo")?;
        builder.admin(user, password)
    };
    Ok(builder.build()?)
}

/// A result as JSON for printing.
fn show(value: impl serde::Serialize) -> Result<Value, Failure> {
    serde_json::to_value(value).map_err(|e| Failure::config(format!("cannot show the answer: {e}")))
}

/// JSON into one of the generated types, naming what it was on failure.
fn typed<T: serde::de::DeserializeOwned>(value: Value, what: &str) -> Result<T, Failure> {
    serde_json::from_value(value).map_err(|e| Failure::config(format!("not a valid {what}: {e}")))
}

fn read_json(path: &Path) -> Result<Value, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::config(format!("cannot read {}: {e}", path.display())))?;
    serde_json::from_str(&text)
        .map_err(|e| Failure::config(format!("{}: not JSON: {e}", path.display())))
}

/// `--offset`, `--order` and (as the page size) `--limit` as the
/// overlay's listing options.
fn options(paging: &Paging) -> Result<ListOptions, Failure> {
    let offset = u64::try_from(paging.offset)
        .map_err(|_| Failure::config("--offset must not be negative"))?;
    let page_size = paging
        .limit
        .map(|limit| {
            u64::try_from(limit)
                .ok()
                .filter(|l| *l > 0)
                .ok_or_else(|| Failure::config("--limit must be at least 1"))
        })
        .transpose()?;
    Ok(ListOptions {
        offset,
        page_size,
        descending: paging.order.as_deref() == Some("DESC"),
    })
}

/// The listing's items: at most `--limit` of them, else all.
async fn listed<T>(mut pages: Pages<'_, T>, paging: &Paging) -> Result<Vec<T>, Failure> {
    let Some(limit) = paging.limit else {
        return Ok(pages.try_collect().await?);
    };
    let mut items = Vec::new();
    while items.len() < usize::try_from(limit).unwrap_or(usize::MAX) {
        match pages.next().await {
            Some(item) => items.push(item?),
            None => break,
        }
    }
    Ok(items)
}

/// An add-user's [`NewUser`]: the password from stdin (or `--json`) or
/// the public keys, the home and permissions when given, everything else
/// from `fields`.
fn new_user(args: &UserArgs, fields: User) -> Result<NewUser, Failure> {
    let mut user = match (fields.password.clone(), fields.public_keys.clone()) {
        (Some(password), _) => NewUser::with_password(args.username.clone(), password),
        (None, Some(keys)) if !keys.is_empty() => {
            NewUser::with_public_keys(args.username.clone(), keys)
        }
        _ => {
            return Err(Failure::config(
                "add-user needs --user-password-stdin or --public-keys (or a password or public_keys in --json)",
            ))
        }
    };
    if let Some(home) = &fields.home_dir {
        user = user.home_dir(home.clone());
    }
    if let Some(permissions) = fields.permissions.clone() {
        user = user.permissions(permissions);
    }
    if fields.status == Some(0) {
        user = user.disabled();
    }
    Ok(user.extra(fields))
}

/// The fields add-user/update-user set, as SFTPGo's JSON names them.
fn user_fields(args: &UserArgs) -> Result<Map<String, Value>, Failure> {
    let mut user = match &args.json {
        Some(path) => match read_json(path)? {
            Value::Object(map) => map,
            _ => {
                return Err(Failure::config(format!(
                    "{}: a user must be a JSON object",
                    path.display()
                )))
            }
        },
        None => Map::new(),
    };
    let mut set = |key: &str, value: Value| {
        user.insert(key.to_owned(), value);
    };
    set("username", json!(args.username));
    if args.user_password_stdin {
        set(
            "password",
            json!(secret_line_from_stdin("--user-password-stdin")?.expose()),
        );
    }
    if !args.public_keys.is_empty() {
        set("public_keys", json!(args.public_keys));
    }
    let optional = [
        ("home_dir", args.home_dir.as_ref().map(|v| json!(v))),
        ("uid", args.uid.map(|v| json!(v))),
        ("gid", args.gid.map(|v| json!(v))),
        ("max_sessions", args.max_sessions.map(|v| json!(v))),
        ("quota_size", args.quota_size.map(|v| json!(v))),
        ("quota_files", args.quota_files.map(|v| json!(v))),
        ("upload_bandwidth", args.upload_bandwidth.map(|v| json!(v))),
        (
            "download_bandwidth",
            args.download_bandwidth.map(|v| json!(v)),
        ),
        ("status", args.status.map(|v| json!(v))),
        ("description", args.description.as_ref().map(|v| json!(v))),
        ("email", args.email.as_ref().map(|v| json!(v))),
    ];
    for (key, value) in optional {
        if let Some(value) = value {
            set(key, value);
        }
    }
    if let Some(date) = &args.expiration_date {
        set("expiration_date", json!(expiration_millis(date)?));
    }
    if !args.permissions.is_empty() || !args.subdirs_permissions.is_empty() {
        let mut permissions = Map::new();
        let root = if args.permissions.is_empty() {
            vec!["*".to_owned()]
        } else {
            args.permissions.clone()
        };
        permissions.insert("/".into(), json!(root));
        for entry in &args.subdirs_permissions {
            let (dir, perms) = entry.split_once("::").ok_or_else(|| {
                Failure::config(format!(
                    "--subdirs-permissions {entry:?}: expected /dir::perm,perm"
                ))
            })?;
            let perms: Vec<&str> = perms.split(',').map(str::trim).collect();
            permissions.insert(dir.to_owned(), json!(perms));
        }
        set("permissions", Value::Object(permissions));
    }
    let mut filters = Map::new();
    for (key, values) in [
        ("allowed_ip", &args.allowed_ip),
        ("denied_ip", &args.denied_ip),
        ("denied_login_methods", &args.denied_login_methods),
    ] {
        if !values.is_empty() {
            filters.insert(key.to_owned(), json!(values));
        }
    }
    if !filters.is_empty() {
        set("filters", Value::Object(filters));
    }
    Ok(user)
}

/// `YYYY-MM-DD` (UTC midnight) → Unix milliseconds; `0` means no expiration.
fn expiration_millis(date: &str) -> Result<i64, Failure> {
    if date == "0" {
        return Ok(0);
    }
    let bad = || Failure::config(format!("--expiration-date {date:?}: expected YYYY-MM-DD"));
    let mut parts = date.splitn(3, '-');
    let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(bad());
    };
    let (y, m, d): (i64, i64, i64) = (
        y.parse().map_err(|_| bad())?,
        m.parse().map_err(|_| bad())?,
        d.parse().map_err(|_| bad())?,
    );
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return Err(bad());
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Ok(days * 86_400_000)
}

/// Today in days since the epoch (UTC), shadow's unit.
fn today() -> i64 {
    let since_epoch = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(since_epoch.as_secs() / 86_400).unwrap_or(i64::MAX)
}

fn read(path: &Path) -> Result<SourceText, Failure> {
    let text = std::fs::read(path)
        .map_err(|e| Failure::config(format!("cannot read {}: {e}", path.display())))?;
    Ok(SourceText {
        name: path.display().to_string(),
        // User stores are ASCII in practice; a stray byte must not stop the run.
        text: String::from_utf8_lossy(&text).into_owned(),
    })
}

async fn convert_users(global: &Global, args: &ConvertUsers) -> Result<Option<Value>, Failure> {
    let input = match (args.format, args.input.as_str()) {
        (Format::UnixPasswd, "") => Path::new("/etc/passwd"),
        (_, "") => return Err(Failure::config("INPUT is required for this format")),
        (_, path) => Path::new(path),
    };
    let input = read(input)?;
    let shadow = match args.format {
        Format::UnixPasswd => Some(read(&args.shadow)?),
        _ => None,
    };
    let selection = Selection {
        min_uid: args.min_uid,
        max_uid: args.max_uid,
        usernames: args.usernames.clone(),
        force_uid: args.force_uid,
        force_gid: args.force_gid,
        today: today(),
    };
    let result = convert::convert(args.format, &input, shadow.as_ref(), &selection);
    let mut text = serde_json::to_string_pretty(&Dump {
        users: &result.users,
    })
    .map_err(|e| Failure::config(format!("cannot encode the dump: {e}")))?;
    text.push('\n');
    // The dump holds the password hashes it read: 0600, written atomically;
    // `-` is stdout (then the summary is not printed, the dump is the output).
    let to_stdout = args.dump_file.as_os_str() == "-";
    if to_stdout {
        crate::print(&text)?;
    } else {
        crate::private_file::write(&args.dump_file, text.as_bytes()).map_err(|e| {
            Failure::config(format!("cannot write {}: {e}", args.dump_file.display()))
        })?;
    }
    let table = global.output != Output::Json || !global.columns.is_empty();
    if !table || to_stdout {
        for problem in &result.problems {
            eprintln!("{problem}");
        }
    }
    let created = if args.create {
        Some(create_users(global, &result.users).await?)
    } else {
        None
    };
    let failed = created.as_ref().map_or(0, |c: &Vec<Value>| {
        c.iter().filter(|r| r["ok"] == false).count()
    });
    let skipped = result.skipped();
    let problems: Vec<Value> = result
        .problems
        .iter()
        .map(|p| {
            json!({
                "file": p.file, "line": p.line, "username": p.username,
                "skipped": p.skipped, "reason": p.reason,
            })
        })
        .collect();
    if !to_stdout {
        let shown = if table {
            eprintln!(
                "converted {} users to {} ({skipped} lines skipped, {} notes{})",
                result.users.len(),
                args.dump_file.display(),
                result.problems.len() - skipped,
                if args.create {
                    format!("; {failed} failed to create")
                } else {
                    String::new()
                }
            );
            Value::Array(problems)
        } else {
            json!({
                "output": args.dump_file.display().to_string(),
                "converted": result.users.iter().map(|u| &u.username).collect::<Vec<_>>(),
                "problems": problems,
                "created": created,
            })
        };
        // Printed here, not by the caller: it matters most when this fails.
        let style = crate::render::Style::for_stdout(global.output, global.color);
        let columns = crate::columns::with_defaults(global, crate::columns::CONVERT_PROBLEMS);
        crate::print(
            &crate::render::render_columns(&shown, style, &columns)
                .map_err(|m| Failure::with_code(crate::exit::code::USAGE, m))?,
        )?;
    }
    match (failed, skipped) {
        (0, 0) => Ok(None),
        (0, skipped) => Err(Failure::partial(format!(
            "{skipped} lines skipped (see the problems); {} users converted",
            result.users.len()
        ))),
        (failed, _) => Err(Failure::partial(format!(
            "{failed} of {} users could not be created{}",
            result.users.len(),
            if skipped > 0 {
                format!("; {skipped} lines skipped")
            } else {
                String::new()
            }
        ))),
    }
}

/// Creates each user on the server, going on past failures.
async fn create_users(global: &Global, users: &[DumpUser]) -> Result<Vec<Value>, Failure> {
    let client = client(global)?;
    let mut report = Vec::with_capacity(users.len());
    for user in users {
        // The dump's user through NewUser's checks (name, home, permissions).
        let fields: User = typed(show(user)?, "user")?;
        let mut new = NewUser::with_password(user.username.clone(), user.password.clone())
            .home_dir(user.home_dir.clone());
        if let Some(permissions) = fields.permissions.clone() {
            new = new.permissions(permissions);
        }
        if user.status == 0 {
            new = new.disabled();
        }
        match client.users().create(new.extra(fields)).await {
            Ok(_) => {
                eprintln!("created {}", user.username);
                report.push(json!({"username": user.username, "ok": true}));
            }
            Err(e) => {
                eprintln!("could not create {}: {e}", user.username);
                report
                    .push(json!({"username": user.username, "ok": false, "error": e.to_string()}));
            }
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiration_dates_are_utc_midnight_millis() {
        assert_eq!(expiration_millis("1970-01-01").unwrap(), 0);
        assert_eq!(expiration_millis("2019-01-01").unwrap(), 1_546_300_800_000);
        assert_eq!(expiration_millis("2024-02-29").unwrap(), 1_709_164_800_000);
        assert_eq!(expiration_millis("0").unwrap(), 0);
        for bad in ["2019-13-01", "2019-01", "x", "2019-01-32"] {
            assert!(expiration_millis(bad).is_err(), "{bad}");
        }
    }
}
