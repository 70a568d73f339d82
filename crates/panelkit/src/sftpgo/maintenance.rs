//! Maintenance: the server's version and service status, dumping its data
//! (a backup) and loading one back.

use panelkit_core::Result;
use panelkit_sftpgo::types::{
    ApiResponse, BackupData, DumpdataOutput, ServicesStatus, VersionInfo,
};

use super::Client;

/// How [`Maintenance::load`] applies a backup; `None` leaves each choice to
/// the server's default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// SFTPGo's `scan-quota`: 0 no quota scan, 1 scan every user, 2 scan
    /// only the users with a quota.
    pub scan_quota: Option<i64>,
    /// SFTPGo's `mode`: 0 add new and replace existing objects, 1 add new
    /// objects only, 2 add new and replace existing ones and disconnect the
    /// replaced users.
    pub mode: Option<i64>,
}

/// The maintenance helpers of a [`Client`] (`client.maintenance()`).
#[derive(Clone, Copy, Debug)]
pub struct Maintenance<'a> {
    pub(super) client: &'a Client,
}

impl Maintenance<'_> {
    /// The server's version and build (generated `get_version`,
    /// `GET /version`).
    pub async fn version(&self) -> Result<VersionInfo> {
        self.client.generated().get_version().await
    }

    /// The state of the server's services and data provider (generated
    /// `get_status`, `GET /status`).
    pub async fn status(&self) -> Result<ServicesStatus> {
        self.client.generated().get_status().await
    }

    /// A backup of the server's data in the answer (generated `dumpdata`,
    /// `GET /dumpdata` with `output-data=1`).
    pub async fn dump(&self) -> Result<DumpdataOutput> {
        self.client.generated().dumpdata().output_data(1).await
    }

    /// Writes a backup to `file` on the server, relative to its configured
    /// `backups_path` and overwriting it (generated `dumpdata`,
    /// `GET /dumpdata` with `output-file`); the answer only says it is done.
    pub async fn dump_to_file(&self, file: &str) -> Result<DumpdataOutput> {
        self.client
            .generated()
            .dumpdata()
            .output_data(0)
            .output_file(file)
            .await
    }

    /// Loads `backup` into the server (generated
    /// `loaddata_from_request_body`, `POST /loaddata`) as `options` say.
    pub async fn load(&self, backup: &BackupData, options: LoadOptions) -> Result<ApiResponse> {
        let mut call = self.client.generated().loaddata_from_request_body(backup);
        if let Some(scan_quota) = options.scan_quota {
            call = call.scan_quota(scan_quota);
        }
        if let Some(mode) = options.mode {
            call = call.mode(mode);
        }
        call.await
    }
}
