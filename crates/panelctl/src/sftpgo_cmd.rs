//! `panelctl sftpgo …`.

use std::path::Path;

use crate::cli::{ConvertUsers, Global, Output, Sftpgo};
use crate::convert::{self, Dump, Format, Selection, SourceText};
use crate::exit::Failure;

/// Runs an `sftpgo` subcommand.
pub fn run(global: &Global, command: &Sftpgo) -> Result<(), Failure> {
    match command {
        Sftpgo::ConvertUsers(args) => convert_users(global, args),
    }
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

fn convert_users(global: &Global, args: &ConvertUsers) -> Result<(), Failure> {
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
    };
    let result = convert::convert(args.format, &input, shadow.as_ref(), &selection);
    let mut json = serde_json::to_string_pretty(&Dump {
        users: &result.users,
    })
    .map_err(|e| Failure::config(format!("cannot encode the dump: {e}")))?;
    json.push('\n');
    std::fs::write(&args.dump_file, json)
        .map_err(|e| Failure::config(format!("cannot write {}: {e}", args.dump_file.display())))?;
    for problem in &result.problems {
        eprintln!("{problem}");
    }
    let summary = serde_json::json!({
        "output": args.dump_file.display().to_string(),
        "converted": result.users.iter().map(|u| &u.username).collect::<Vec<_>>(),
        "problems": result.problems.iter().map(|p| serde_json::json!({
            "file": p.file, "line": p.line, "username": p.username, "reason": p.reason,
        })).collect::<Vec<_>>(),
    });
    match global.output {
        Output::Json => println!(
            "{}",
            serde_json::to_string_pretty(&summary).unwrap_or_default()
        ),
        Output::Table => println!(
            "converted {} users to {} ({} lines with problems)",
            result.users.len(),
            args.dump_file.display(),
            result.problems.len()
        ),
    }
    Ok(())
}
