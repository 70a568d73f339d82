//! Pure-FTPd virtual users: the `pureftpd.passwd` file `pure-pw` writes.
//!
//! Fields (`:`-separated): account, hash, uid, gid, gecos, home, upload
//! bandwidth, download bandwidth (both bytes/s, as pure-pw stores its KB/s
//! options), upload ratio, download ratio, max sessions, files quota, size
//! quota (bytes), allowed local IPs, denied local IPs, allowed client IPs,
//! denied client IPs, time restrictions. Empty fields mean "no limit".
//!
//! The home directory may carry pure-ftpd's chroot marker `/./`: the part
//! before it is the jail, which is what SFTPGo's `home_dir` is.

use super::{clean_home, data_lines, number, Conversion, DumpUser, Problem, Selection, SourceText};

/// The fields pure-pw writes up to the denied client IPs.
const MIN_FIELDS: usize = 17;

/// Converts a `pureftpd.passwd` file.
pub fn convert(input: &SourceText, selection: &Selection) -> Conversion {
    let mut out = Conversion::default();
    for (line, text) in data_lines(&input.text) {
        let fields: Vec<&str> = text.split(':').collect();
        let username = fields.first().map(|u| u.trim()).filter(|u| !u.is_empty());
        let problem = |skipped: bool, reason: String| Problem {
            skipped,
            file: input.name.clone(),
            line,
            username: username.map(str::to_owned),
            reason,
        };
        if fields.len() < MIN_FIELDS {
            out.problems.push(problem(
                true,
                format!(
                    "expected at least {MIN_FIELDS} fields as pure-pw writes them, found {}",
                    fields.len()
                ),
            ));
            continue;
        }
        if username.is_none() {
            out.problems.push(problem(true, "empty user name".into()));
            continue;
        }
        match user_from_fields(&fields, selection) {
            Ok(None) => {}
            Ok(Some((mut user, caveats))) => {
                out.problems
                    .extend(caveats.into_iter().map(|c| problem(false, c)));
                user.additional_info = format!("converted from {}:{line}", input.name);
                out.users.push(selection.finish(user));
            }
            Err(reason) => out.problems.push(problem(true, reason)),
        }
    }
    out
}

/// A user and the caveats of its conversion, `None` when not selected.
type Converted = Option<(DumpUser, Vec<String>)>;

fn user_from_fields(fields: &[&str], selection: &Selection) -> Result<Converted, String> {
    let username = fields[0].trim();
    if fields[2].trim().is_empty() {
        return Err("uid is empty".into());
    }
    let uid = number::<u32>(fields[2], "uid", 0)?;
    let gid = number::<u32>(fields[3], "gid", 0)?;
    if !selection.wants(username, uid) {
        return Ok(None);
    }
    let (hash, status, mut caveats) = super::password(fields[1])?;
    let home = jail(fields[5]);
    if !home.starts_with('/') {
        return Err(format!(
            "home directory must be an absolute path, got {:?}",
            fields[5]
        ));
    }
    let mut user = DumpUser::new(username, hash, home, uid, gid);
    user.status = status;
    user.upload_bandwidth = number::<u64>(fields[6], "upload bandwidth", 0)? / 1024;
    user.download_bandwidth = number::<u64>(fields[7], "download bandwidth", 0)? / 1024;
    user.max_sessions = number(fields[10], "max sessions", 0)?;
    user.quota_files = number(fields[11], "files quota", 0)?;
    user.quota_size = number(fields[12], "size quota", 0)?;
    let (allowed, bad_allowed) = networks(fields[15]);
    let (denied, bad_denied) = networks(fields[16]);
    for bad in bad_allowed.iter().chain(&bad_denied) {
        caveats.push(format!(
            "client IP rule {bad:?} is not an address or network: left out"
        ));
    }
    user.filters.allowed_ip = allowed;
    user.filters.denied_ip = denied;
    if fields.get(17).is_some_and(|t| !t.trim().is_empty()) {
        caveats.push(format!(
            "time restriction {:?} has no SFTPGo counterpart: left out",
            fields[17].trim()
        ));
    }
    if !fields[13].trim().is_empty() || !fields[14].trim().is_empty() {
        caveats.push("local (server-side) IP rules have no SFTPGo counterpart: left out".into());
    }
    Ok(Some((user, caveats)))
}

/// The jail of a pure-ftpd home: the part before the `/./` marker.
fn jail(home: &str) -> &str {
    let home = home.trim();
    let jail = match home.find("/./") {
        Some(at) => &home[..at],
        None => home.strip_suffix("/.").unwrap_or(home),
    };
    clean_home(if jail.is_empty() { "/" } else { jail })
}

/// Splits a comma-separated IP rule list into CIDR networks (a bare address
/// becomes /32 or /128) and the entries that are neither.
fn networks(field: &str) -> (Vec<String>, Vec<String>) {
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for entry in field.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        let (address, prefix) = match entry.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (entry, None),
        };
        let Ok(ip) = address.parse::<std::net::IpAddr>() else {
            bad.push(entry.to_owned());
            continue;
        };
        let max = if ip.is_ipv4() { 32 } else { 128 };
        match prefix.map(str::parse::<u8>) {
            None => good.push(format!("{ip}/{max}")),
            Some(Ok(p)) if p <= max => good.push(format!("{ip}/{p}")),
            Some(_) => bad.push(entry.to_owned()),
        }
    }
    (good, bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jail_drops_the_chroot_marker() {
        assert_eq!(jail("/home/ftpusers/joe/./"), "/home/ftpusers/joe");
        assert_eq!(jail("/srv/ftp/./joe"), "/srv/ftp");
        assert_eq!(jail("/srv/ftp/joe/"), "/srv/ftp/joe");
        assert_eq!(jail("/./"), "/");
    }

    #[test]
    fn networks_become_cidr() {
        let (good, bad) = networks("192.168.1.1, 10.0.0.0/8,::1,host.example,1.2.3.4/40");
        assert_eq!(good, ["192.168.1.1/32", "10.0.0.0/8", "::1/128"]);
        assert_eq!(bad, ["host.example", "1.2.3.4/40"]);
    }
}
