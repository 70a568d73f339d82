//! Starting a user's quota scan and waiting until it has finished.
//!
//! `POST /quotas/users/{username}/scan` only starts the scan (202); the scan
//! is over when the user no longer appears in `GET /quotas/users/scans`.

use std::time::Duration;

use panelkit_core::{Error, Result};
use tokio::time::Instant;

use super::Client;

/// The first pause between two looks at the scan list; it doubles up to
/// [`MAX_POLL_INTERVAL`].
pub const FIRST_POLL_INTERVAL: Duration = Duration::from_millis(100);
/// The longest pause between two looks at the scan list.
pub const MAX_POLL_INTERVAL: Duration = Duration::from_secs(2);

impl Client {
    /// Starts a quota scan of `username` (generated `start_user_quota_scan`)
    /// and polls the running scans (generated `get_users_quota_scans`) with
    /// backoff until the user's scan is gone.
    ///
    /// A 409 on start means a scan of that user is already running: this
    /// waits for that one. Fails with [`Error::Timeout`] if the scan is still
    /// listed after `timeout`.
    pub async fn start_quota_scan_and_wait(&self, username: &str, timeout: Duration) -> Result<()> {
        let deadline = Instant::now() + timeout;
        match self.generated().start_user_quota_scan(username).await {
            Ok(_) => {}
            Err(error) if error.status() == Some(409) => {}
            Err(error) => return Err(error),
        }
        let mut pause = FIRST_POLL_INTERVAL;
        loop {
            let scans = self.generated().get_users_quota_scans().await?;
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
