//! `panelctl`: one command-line tool for every panel panelkit speaks to.

mod cli;
mod convert;
mod dci_cmd;
mod exit;
mod ionos_cmd;
mod ispconfig_cmd;
mod ispmanager_cmd;
mod private_file;
mod render;
mod settings;
mod sftpgo_cmd;

use std::io::Write;
use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use cli::{Args, Command};
use exit::Failure;

fn main() -> ExitCode {
    let args = Args::parse();
    if args.global.debug {
        // Requests are logged by panelkit's own spans and events, which never
        // carry secrets (see panelkit-core's redaction tests).
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_writer(std::io::stderr)
            .init();
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
    let style = render::Style::for_stdout(args.global.output, args.global.color);
    let value = match &args.command {
        Command::Sftpgo(command) => {
            match runtime()?.block_on(sftpgo_cmd::run(&args.global, command))? {
                Some(value) => value,
                None => return Ok(()),
            }
        }
        Command::Completions { shell } => {
            clap_complete::generate(
                *shell,
                &mut Args::command(),
                "panelctl",
                &mut std::io::stdout(),
            );
            return Ok(());
        }
        Command::Ispconfig(command) => {
            runtime()?.block_on(ispconfig_cmd::run(&args.global, command))?
        }
        Command::Ispmanager(command) => {
            runtime()?.block_on(ispmanager_cmd::run(&args.global, command))?
        }
        Command::Dci(command) => runtime()?.block_on(dci_cmd::run(&args.global, command))?,
        Command::Ionos(command) => runtime()?.block_on(ionos_cmd::run(&args.global, command))?,
    };
    let mut value = value;
    let hidden = render::hide_secrets(&mut value, args.global.show_secrets);
    if args.global.show_secrets && !hidden.is_empty() {
        let names: Vec<&str> = hidden.iter().map(String::as_str).collect();
        eprintln!(
            "panelctl: --show-secrets: showing the secrets in {}",
            names.join(", ")
        );
    }
    print(&render::render(&value, style))
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
