//! `panelctl`: one command-line tool for every panel panelkit speaks to.

mod cli;
mod convert;
mod exit;
mod sftpgo_cmd;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Args::parse();
    let result = match &args.command {
        cli::Command::Sftpgo(command) => sftpgo_cmd::run(&args.global, command),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("panelctl: {failure}");
            ExitCode::from(failure.exit_code())
        }
    }
}
