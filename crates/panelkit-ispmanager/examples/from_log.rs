//! Turns ISPmanager log lines into API calls.
//!
//! ```sh
//! cargo run -p panelkit-ispmanager --example from_log -- 'LINE' ['LINE' ...]
//! tail -f /usr/local/mgr5/var/ispmgr.log | grep Request | cargo run -p panelkit-ispmanager --example from_log
//! ```
//!
//! Prints one `func=…&…` query per line: what the web interface did, minus what
//! only the interface sends (`sfrom`, `clicked_button`, `operafake`,
//! `progressid`, `*` and empty values). Send it with `Client::execute`.
//! Lines that are not request log lines are reported on stderr; the exit code
//! is 1 if any was.

use std::io::{BufRead, Write};
use std::process::ExitCode;

use panelkit_ispmanager::Request;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let lines: Box<dyn Iterator<Item = String>> = if args.is_empty() {
        Box::new(std::io::stdin().lock().lines().map_while(Result::ok))
    } else {
        Box::new(args.into_iter())
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut failed = false;
    for line in lines {
        match Request::from_log_line(&line) {
            Ok(request) => {
                // A closed pipe (`| head`) ends the output, not in a panic.
                if writeln!(out, "{}", request.to_query()).is_err() {
                    return ExitCode::SUCCESS;
                }
            }
            Err(e) => {
                eprintln!("{e}");
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
