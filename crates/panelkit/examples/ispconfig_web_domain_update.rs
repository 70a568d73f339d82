//! Changes one field of a web domain through the audited overlay (every other
//! field, log retention and PHP-FPM settings included, keeps its value) and
//! prints the record after the update.
//!
//! ```sh
//! PANELKIT_ISPCONFIG_URL=https://panel:8080/remote/index.php \
//! PANELKIT_ISPCONFIG_USER=remote PANELKIT_ISPCONFIG_PASSWORD=... \
//! cargo run -p panelkit --example ispconfig_web_domain_update -- 1 hd_quota 2000
//! ```
//! Prints JSON on stdout; exits non-zero with the typed error on stderr on any failure.

use std::process::ExitCode;

use panelkit::ispconfig::tasks;

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [domain_id, field, value] = args.as_slice() else {
        eprintln!(
            "usage: ispconfig_web_domain_update DOMAIN_ID FIELD VALUE   (with PANELKIT_ISPCONFIG_URL, _USER, _PASSWORD set)"
        );
        return ExitCode::from(2);
    };
    let result = async {
        let client = tasks::client_from_env()?;
        let record = tasks::web_domain_update(&client, domain_id, field, value).await;
        let logout = client.generated().logout().await;
        let record = record?;
        logout?;
        tasks::print_json(&mut std::io::stdout().lock(), &record)
    }
    .await;
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
