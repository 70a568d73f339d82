//! `panelctl`: one command-line tool for every panel panelkit speaks to.

mod cli;
mod columns;
mod convert;
mod dci_cmd;
mod debug_log;
mod exit;
mod fleet_cmd;
mod ionos_cmd;
mod ispconfig_cmd;
mod ispmanager_cmd;
mod private_file;
mod render;
mod settings;
mod sftpgo_cmd;

use std::io::Write;
use std::process::ExitCode;

use clap::CommandFactory;
use serde_json::Value;

use cli::{Args, Command, Global};
use exit::Failure;

fn main() -> ExitCode {
    let args = cli::parse();
    if args.global.debug {
        use std::io::IsTerminal;
        debug_log::install(render::use_color(
            args.global.color,
            std::io::stderr().is_terminal(),
        ));
    }
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("panelctl: {failure}");
            ExitCode::from(failure.exit_code())
        }
    }
}

fn run(args: &Args) -> Result<(), Failure> {
    if fleet_cmd::requested(&args.global) {
        return fleet_cmd::run(&args.global, &args.command);
    }
    if let Command::Completions { shell } = &args.command {
        clap_complete::generate(
            *shell,
            &mut Args::command(),
            "panelctl",
            &mut std::io::stdout(),
        );
        return Ok(());
    }
    let style = render::Style::for_stdout(args.global.output, args.global.color);
    let Some(mut value) = runtime()?.block_on(verb(&args.global, &args.command))? else {
        return Ok(());
    };
    hide_secrets(&mut value, args.global.show_secrets, "");
    let columns = columns::for_command(&args.global, &args.command);
    let text = render::render_columns(&value, style, &columns)
        .map_err(|message| Failure::with_code(exit::code::USAGE, message))?;
    print(&text)
}

/// Runs one panel verb against the panel `global` resolves to; `None` when
/// the verb printed its output itself.
async fn verb(global: &Global, command: &Command) -> Result<Option<Value>, Failure> {
    match command {
        Command::Sftpgo(command) => sftpgo_cmd::run(global, command).await,
        Command::Ispconfig(command) => ispconfig_cmd::run(global, command).await.map(Some),
        Command::Ispmanager(command) => ispmanager_cmd::run(global, command).await.map(Some),
        Command::Dci(command) => dci_cmd::run(global, command).await.map(Some),
        Command::Ionos(command) => ionos_cmd::run(global, command).await.map(Some),
        Command::Completions { .. } => Err(Failure::config("`completions` is no panel verb")),
    }
}

/// Masks the secrets of an answer unless `show`; with `show`, says on stderr
/// which fields it shows (`whose`, e.g. a fleet member's "p1: ", leads).
fn hide_secrets(value: &mut Value, show: bool, whose: &str) {
    let hidden = render::hide_secrets(value, show);
    if show && !hidden.is_empty() {
        let names: Vec<&str> = hidden.iter().map(String::as_str).collect();
        eprintln!(
            "panelctl: --show-secrets: {whose}showing the secrets in {}",
            names.join(", ")
        );
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::config(format!("cannot start the async runtime: {e}")))
}

/// Writes to stdout; a closed pipe (`| head`) ends quietly.
fn print(text: &str) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Failure::config(format!("cannot write the output: {e}")))
        }
        _ => Ok(()),
    }
}
