//! Adds one DNS record through the audited overlay and prints it as stored.
//!
//! ```sh
//! PANELKIT_ISPCONFIG_URL=https://panel:8080/remote/index.php \
//! PANELKIT_ISPCONFIG_USER=remote PANELKIT_ISPCONFIG_PASSWORD=... \
//! cargo run -p panelkit --example ispconfig_dns_add -- example.com www A 192.0.2.1
//! ```
//! TYPE is any the panel has (A, AAAA, CNAME, MX, TXT, SRV, ...); MX and SRV
//! data may start with the priority (`"10 mail.example.com."`). Prints JSON on
//! stdout; exits non-zero with the typed error on stderr on any failure.

use std::process::ExitCode;

use panelkit::ispconfig::tasks;

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [zone, name, rtype, data] = args.as_slice() else {
        eprintln!(
            "usage: ispconfig_dns_add ZONE NAME TYPE DATA   (with PANELKIT_ISPCONFIG_URL, _USER, _PASSWORD set)"
        );
        return ExitCode::from(2);
    };
    let result = async {
        let client = tasks::client_from_env()?;
        let record = tasks::dns_add(&client, zone, name, rtype, data).await;
        // Log out even when the add failed; report the first error.
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
