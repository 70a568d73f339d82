//! Quota scans: the running ones, starting one, and starting one then
//! waiting until it has finished.
//!
//! `POST /quotas/users/{username}/scan` only starts the scan (202); the scan
//! is over when the user no longer appears in `GET /quotas/users/scans`.

use std::time::Duration;

use panelkit_core::{Error, Result};
use panelkit_sftpgo::types::{ApiResponse, QuotaScan};
use tokio::time::Instant;

use super::Client;

/// The first pause between two looks at the scan list; it doubles up to
/// [`MAX_POLL_INTERVAL`].
pub const FIRST_POLL_INTERVAL: Duration = Duration::from_millis(100);
/// The longest pause between two looks at the scan list.
pub const MAX_POLL_INTERVAL: Duration = Duration::from_secs(2);

/// The quota helpers of a [`Client`] (`client.quota()`).
#[derive(Clone, Copy, Debug)]
pub struct Quota<'a> {
    pub(super) client: &'a Client,
}

impl Quota<'_> {
    /// The user quota scans running now (generated `get_users_quota_scans`,
    /// `GET /quotas/users/scans`); a scan that finished is no longer listed.
    pub async fn scans(&self) -> Result<Vec<QuotaScan>> {
        self.client.generated().get_users_quota_scans().await
    }

    /// Starts a quota scan of `username` (generated `start_user_quota_scan`,
    /// `POST /quotas/users/{username}/scan`) and returns at once: the scan
    /// runs on the server ([`Quota::scan_and_wait`] waits for it). A scan of
    /// that user already running is the server's 409 error.
    pub async fn start_scan(&self, username: &str) -> Result<ApiResponse> {
        self.client
            .generated()
            .start_user_quota_scan(username)
            .await
    }

    /// Starts a quota scan of `username` (generated `start_user_quota_scan`)
    /// and polls the running scans (generated `get_users_quota_scans`) with
    /// backoff until the user's scan is gone.
    ///
    /// A 409 on start means a scan of that user is already running: this
    /// waits for that one. Fails with [`Error::Timeout`] if the scan is still
    /// listed after `timeout`.
    pub async fn scan_and_wait(&self, username: &str, timeout: Duration) -> Result<()> {
        let deadline = Instant::now() + timeout;
        match self.start_scan(username).await {
            Ok(_) => {}
            Err(error) if error.status() == Some(409) => {}
            Err(error) => return Err(error),
        }
        let mut pause = FIRST_POLL_INTERVAL;
        loop {
            let scans = self.scans().await?;
            if !scans
                .iter()
                .any(|s| s.username.as_deref() == Some(username))
            {
                return Ok(());
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(Error::Timeout {
                    after: Some(timeout),
                });
            }
            // Never sleep past the deadline: the last look happens at it.
            tokio::time::sleep(pause.min(deadline - now)).await;
            pause = (pause * 2).min(MAX_POLL_INTERVAL);
        }
    }
}
