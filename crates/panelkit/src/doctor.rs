//! Cheap probes that tell an operator whether a panel is reachable and the
//! credentials work, before blaming the tool: one or two read-only calls
//! per panel. (ISPConfig has its own, deeper [`crate::ispconfig::doctor`].)
//!
//! A probe that fails is part of the report, not an error of the function:
//! the report says what was checked, what held, and why not.

use panelkit_core::Error;
use serde::Serialize;

/// One check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Probe {
    /// What was checked (`healthz`, `credentials`).
    pub check: &'static str,
    /// The call made.
    pub call: &'static str,
    /// Whether it held.
    pub ok: bool,
    /// What came back (a version, a user), or why it failed.
    pub detail: String,
}

/// Every probe of one panel.
#[derive(Debug, Serialize)]
pub struct Report {
    /// The panel (`sftpgo`, `ionos`, `ispmanager`, `dcimanager`).
    pub panel: &'static str,
    /// The probes, in order.
    pub probes: Vec<Probe>,
    /// The first failure, for its class (auth, transport, ...).
    #[serde(skip)]
    pub first_error: Option<Error>,
}

impl Report {
    #[allow(dead_code)] // unused when no REST/COREmanager panel is enabled
    fn new(panel: &'static str) -> Self {
        Report {
            panel,
            probes: Vec::new(),
            first_error: None,
        }
    }

    /// Whether every probe held.
    pub fn healthy(&self) -> bool {
        self.probes.iter().all(|p| p.ok)
    }

    /// Records a probe's outcome; `describe` says what a success showed.
    #[allow(dead_code)] // unused when no REST/COREmanager panel is enabled
    fn record<T>(
        &mut self,
        check: &'static str,
        call: &'static str,
        result: panelkit_core::Result<T>,
        describe: impl FnOnce(&T) -> String,
    ) -> Option<T> {
        match result {
            Ok(value) => {
                self.probes.push(Probe {
                    check,
                    call,
                    ok: true,
                    detail: describe(&value),
                });
                Some(value)
            }
            Err(error) => {
                self.probes.push(Probe {
                    check,
                    call,
                    ok: false,
                    detail: error.to_string(),
                });
                self.first_error.get_or_insert(error);
                None
            }
        }
    }
}

/// SFTPGo: `/healthz` (no credentials) and `/version` (with them).
#[cfg(feature = "sftpgo")]
pub async fn sftpgo(client: &crate::sftpgo::Client) -> Report {
    let client = client.generated();
    let mut report = Report::new("sftpgo");
    report.record(
        "reachable",
        "GET /healthz",
        client.healthz().await,
        |body| body.trim().to_owned(),
    );
    report.record(
        "credentials",
        "GET /api/v2/version",
        client.get_version().await,
        |v| format!("SFTPGo {}", v.version.as_deref().unwrap_or("?")),
    );
    report
}

/// IONOS Cloud: the API's info (no credentials) and the contract the
/// credentials belong to.
#[cfg(feature = "ionos")]
pub async fn ionos(client: &crate::ionos::Client) -> Report {
    let client = client.generated();
    let mut report = Report::new("ionos");
    report.record("reachable", "GET /", client.api_info_get().await, |info| {
        format!(
            "{} {}",
            info.name.as_deref().unwrap_or("API"),
            info.version.as_deref().unwrap_or("?")
        )
    });
    report.record(
        "credentials",
        "GET /contracts",
        client.contracts_get().await,
        |contracts| {
            let numbers: Vec<String> = contracts
                .items
                .iter()
                .flatten()
                .filter_map(|c| c.properties.contract_number)
                .map(|n| n.to_string())
                .collect();
            format!("contract {}", numbers.join(", "))
        },
    );
    report
}

/// ISPmanager (COREmanager): `whoami` — the logged-in user and level.
#[cfg(feature = "ispmanager")]
pub async fn ispmanager(client: &crate::ispmanager::Client) -> Report {
    let client = client.generated();
    let mut report = Report::new("ispmanager");
    report.record(
        "credentials",
        "func=whoami",
        client.whoami(None).await,
        |form| {
            let field = |name| form.fields.get(name).unwrap_or("?").to_owned();
            format!("{} (level {})", field("name"), field("level"))
        },
    );
    report
}

/// DCImanager 6: the session the token belongs to.
#[cfg(feature = "dcimanager")]
pub async fn dcimanager(client: &crate::dcimanager::Client) -> Report {
    let mut report = Report::new("dcimanager");
    report.record(
        "credentials",
        "GET /api/auth/v4/self/session",
        client.generated().self_session().await,
        |session| {
            session
                .get("expires_at")
                .or_else(|| session.get("id"))
                .map(|v| format!("session {v}"))
                .unwrap_or_else(|| "session valid".to_owned())
        },
    );
    report
}
