//! Fleet runs: `panelctl --profiles p1,p2 …` or `--group web …` runs one verb
//! on each profile's panel through [`panelkit::fleet::Fleet`] (at most
//! `--parallel` at once) and prints one result per panel: a JSON line each
//! (`{"profile", "ok", "result"}` or `{"profile", "ok", "code", "error"}`)
//! or a table (profile, ok/failed, summary). Exits 12 when some panel failed.
//!
//! No panel's secrets reach another's output or request: each member gets
//! its own copy of the options with its profile, its settings come from that
//! profile alone (see `settings::check_fleet`), and its answer is redacted
//! on its own before anything is printed.

use serde_json::{json, Map, Value};

use panelkit::fleet::Fleet;

use crate::cli::{Command, Global, Output, Sftpgo};
use crate::exit::Failure;
use crate::{render, settings};

/// Longest summary cell of the table, in characters.
const SUMMARY_CHARS: usize = 60;

/// Whether the options ask for a fleet run.
pub fn requested(global: &Global) -> bool {
    global.group.is_some() || !global.profiles.is_empty()
}

/// The panel a verb talks to, or `None` for verbs that are no panel call
/// (and so make no sense per profile).
fn panel_of(command: &Command) -> Option<&'static str> {
    match command {
        Command::Ispconfig(_) => Some("ispconfig"),
        // Conversion reads local files and may print the dump itself.
        Command::Sftpgo(verb) if matches!(**verb, Sftpgo::ConvertUsers(_)) => None,
        Command::Sftpgo(_) => Some("sftpgo"),
        // Through the local mgrctl every member would ask this host's panel.
        Command::Ispmanager(args) if args.local => None,
        Command::Ispmanager(_) => Some("ispmanager"),
        Command::Dci(_) => Some("dci"),
        Command::Ionos(_) => Some("ionos"),
        Command::Completions { .. } => None,
    }
}

/// Runs `command` on every member of the fleet `global` names and prints
/// their results in member order.
pub fn run(global: &Global, command: &Command) -> Result<(), Failure> {
    let panel = panel_of(command).ok_or_else(|| {
        Failure::config("this verb is not run per panel: leave out --profiles and --group")
    })?;
    settings::check_fleet(global, panel)?;
    let members = settings::fleet_members(global)?;
    settings::begin_fleet_run();
    let fleet = Fleet::new(
        members.into_iter().map(|name| (name, ())).collect(),
        global.parallel,
    );
    let outcomes = crate::runtime()?.block_on(fleet.run(|name, ()| {
        let member = Global {
            profile: Some(name.to_owned()),
            fleet_member: true,
            ..global.clone()
        };
        async move { crate::verb(&member, command).await }
    }));
    let mut lines = Vec::with_capacity(outcomes.len());
    let mut failed = Vec::new();
    for outcome in outcomes {
        let line = match outcome.result {
            Ok(answer) => {
                let mut answer = answer.unwrap_or(Value::Null);
                crate::hide_secrets(
                    &mut answer,
                    global.show_secrets,
                    &format!("{}: ", outcome.name),
                );
                json!({"profile": outcome.name, "ok": true, "result": answer})
            }
            Err(failure) => {
                failed.push(outcome.name.clone());
                json!({
                    "profile": outcome.name,
                    "ok": false,
                    "code": failure.exit_code(),
                    "error": failure.to_string(),
                })
            }
        };
        lines.push(line);
    }
    crate::print(&match global.output {
        Output::Json => json_lines(&lines),
        Output::Table | Output::Wide => table(&lines),
    })?;
    if failed.is_empty() {
        return Ok(());
    }
    Err(Failure::partial(format!(
        "{} of {} panels failed: {}",
        failed.len(),
        lines.len(),
        failed.join(", ")
    )))
}

/// One compact JSON document per line, for `jq` and scripts.
fn json_lines(lines: &[Value]) -> String {
    lines.iter().map(|line| format!("{line}\n")).collect()
}

/// PROFILE, STATUS (ok/failed) and SUMMARY (the error of a failed panel).
fn table(lines: &[Value]) -> String {
    let rows = lines
        .iter()
        .map(|line| {
            let ok = line["ok"] == true;
            let summary = if ok {
                summary(&line["result"])
            } else {
                line["error"].as_str().unwrap_or_default().to_owned()
            };
            let mut row = Map::new();
            row.insert("profile".into(), line["profile"].clone());
            row.insert("status".into(), json!(if ok { "ok" } else { "failed" }));
            row.insert("summary".into(), json!(summary));
            Value::Object(row)
        })
        .collect();
    render::render(
        &Value::Array(rows),
        render::Style {
            output: Output::Table,
            color: false,
        },
    )
}

/// One line for a panel's (already redacted) answer: a count for a list,
/// the text of a scalar, compact JSON for an object, cut to [`SUMMARY_CHARS`].
fn summary(answer: &Value) -> String {
    let text = match answer {
        Value::Null => "done".to_owned(),
        Value::Array(items) if items.len() == 1 => "1 item".to_owned(),
        Value::Array(items) => format!("{} items", items.len()),
        Value::String(text) => text.replace(['\n', '\t'], " "),
        other => other.to_string(),
    };
    if text.chars().count() <= SUMMARY_CHARS {
        return text;
    }
    let mut cut: String = text.chars().take(SUMMARY_CHARS - 1).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_count_lists_and_cut_long_answers() {
        assert_eq!(summary(&json!([1, 2, 3])), "3 items");
        assert_eq!(summary(&json!([{"a": 1}])), "1 item");
        assert_eq!(summary(&json!(42)), "42");
        assert_eq!(summary(&json!("two\nlines")), "two lines");
        assert_eq!(summary(&Value::Null), "done");
        let long = summary(&json!({"origin": "a".repeat(100)}));
        assert_eq!(long.chars().count(), SUMMARY_CHARS);
        assert!(long.starts_with("{\"origin\":\"aaa") && long.ends_with('…'));
    }

    #[test]
    fn the_table_has_one_row_per_panel() {
        let lines = [
            json!({"profile": "p1", "ok": true, "result": [1, 2]}),
            json!({"profile": "p2", "ok": false, "code": 11, "error": "connection refused"}),
        ];
        assert_eq!(
            table(&lines),
            "PROFILE  STATUS  SUMMARY\np1       ok      2 items\np2       failed  connection refused\n"
        );
        assert_eq!(
            json_lines(&lines),
            "{\"ok\":true,\"profile\":\"p1\",\"result\":[1,2]}\n{\"code\":11,\"error\":\"connection refused\",\"ok\":false,\"profile\":\"p2\"}\n"
        );
    }
}
