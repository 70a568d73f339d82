//! Power commands and waiting for them.
//!
//! The vendor documents three commands (`power_on` when the server is off or
//! its power status unknown, `power_off` when it is on, `power_reset` at any
//! status; a reset leaves the server on) and a server object carrying
//! `power_status` (ON, OFF, UNKNOWN) and the `operation` it is going through
//! (`id`, `status`, `status_info`, `progress_info`). A command only starts
//! the operation; [`Servers::power_and_wait`] then polls `GET /server/{id}`
//! until no operation is running and `power_status` is what the command
//! leads to.
//!
//! The documentation does not list the spellings of `operation.status`.
//! A status is read case-insensitively: one in [`FAILED_STATUSES`] ends the
//! wait with [`Error::OperationFailed`], one in [`FINISHED_STATUSES`] (or no
//! operation at all) counts as finished, and anything else as still running,
//! so an unknown spelling makes the wait run to its deadline
//! ([`Error::WaitTimeout`]) rather than report success early.
//!
//! The wait trusts the panel to show the operation on the server once it has
//! accepted the command (the answer's shape is not documented, so it cannot
//! name the operation to follow): a reset of a running server that the panel
//! had not yet recorded at the first poll would look finished.
//!
//! Polling is patient with trouble that does not mean the operation failed,
//! as IONOS request tracking is: timeouts, transport errors and any 5xx
//! (the executor's own 503 retries come first) are polled through.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use panelkit_core::{Error, Result};
use panelkit_dcimanager::types::{ServerPowerOffBody, ServerPowerOnBody, ServerPowerResetBody};
use serde_json::Value;
use tokio::time::Instant;

use super::{Server, Servers};

/// `operation.status` spellings that mean the operation failed.
pub const FAILED_STATUSES: &[&str] = &["failed", "fail", "error"];
/// `operation.status` spellings that mean the operation finished well.
pub const FINISHED_STATUSES: &[&str] = &["complete", "completed", "done", "success", "ok"];

/// A power command.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PowerCommand {
    /// `power_on`: turn the power on.
    On,
    /// `power_off`: turn the power off.
    Off,
    /// `power_reset`: reboot a running server, or turn an off one on.
    Reset,
}

impl PowerCommand {
    /// The API's name of the command.
    pub fn as_str(self) -> &'static str {
        match self {
            PowerCommand::On => "power_on",
            PowerCommand::Off => "power_off",
            PowerCommand::Reset => "power_reset",
        }
    }

    /// The `power_status` the command leads to.
    pub fn leads_to(self) -> &'static str {
        match self {
            PowerCommand::On | PowerCommand::Reset => "on",
            PowerCommand::Off => "off",
        }
    }
}

impl fmt::Display for PowerCommand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What one poll of a waited-for server showed.
#[derive(Clone, Debug, PartialEq)]
pub struct ServerProgress {
    /// The server.
    pub server_id: i64,
    /// Its `power_status`.
    pub power_status: Option<String>,
    /// Its `state`.
    pub state: Option<String>,
    /// The status of its operation, when it has one.
    pub operation_status: Option<String>,
    /// Successful polls so far, this one included.
    pub polls: u32,
    /// Time since waiting started.
    pub elapsed: Duration,
}

impl ServerProgress {
    /// One line: `power on, operation running` (for progress output).
    pub fn describe(&self) -> String {
        let mut text = format!(
            "power {}",
            self.power_status.as_deref().unwrap_or("not reported")
        );
        if let Some(state) = &self.state {
            text.push_str(&format!(", state {state}"));
        }
        if let Some(status) = &self.operation_status {
            text.push_str(&format!(", operation {status}"));
        }
        text
    }
}

/// Called with every server state a wait observes.
pub type ProgressFn = Arc<dyn Fn(&ServerProgress) + Send + Sync>;

/// How long and how often to poll.
#[derive(Clone)]
pub struct WaitOptions {
    /// The deadline, from the start of the wait.
    pub timeout: Duration,
    /// Pause after the first poll.
    pub first_interval: Duration,
    /// Longest pause between polls (the pause doubles up to it).
    pub max_interval: Duration,
    /// Observer of each state seen.
    pub on_progress: Option<ProgressFn>,
}

impl Default for WaitOptions {
    /// Ten minutes (a power command through a PDU waits for the BMC),
    /// polls from 1 s doubling up to 15 s.
    fn default() -> Self {
        WaitOptions {
            timeout: Duration::from_secs(600),
            first_interval: Duration::from_secs(1),
            max_interval: Duration::from_secs(15),
            on_progress: None,
        }
    }
}

impl fmt::Debug for WaitOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WaitOptions")
            .field("timeout", &self.timeout)
            .field("first_interval", &self.first_interval)
            .field("max_interval", &self.max_interval)
            .field("on_progress", &self.on_progress.is_some())
            .finish()
    }
}

impl WaitOptions {
    /// Default options with a deadline of `timeout`.
    pub fn with_timeout(timeout: Duration) -> Self {
        WaitOptions {
            timeout,
            ..Self::default()
        }
    }

    /// A deadline of `timeout` with polls for a person watching the
    /// progress (a CLI's progress line): from 250 ms doubling up to 10 s, so
    /// that the first state changes show at once; a batch job that waits on
    /// many servers should keep the gentler [`WaitOptions::default`] pace.
    pub fn interactive(timeout: Duration) -> Self {
        Self::with_timeout(timeout).intervals(Duration::from_millis(250), Duration::from_secs(10))
    }

    /// Sets the first and the longest pause between polls.
    pub fn intervals(mut self, first: Duration, max: Duration) -> Self {
        self.first_interval = first;
        self.max_interval = max.max(first);
        self
    }

    /// Observes every state seen.
    pub fn on_progress(mut self, f: impl Fn(&ServerProgress) + Send + Sync + 'static) -> Self {
        self.on_progress = Some(Arc::new(f));
        self
    }
}

/// Where a polled server stands.
enum Standing {
    Done,
    Failed(Error),
    Pending,
}

fn status_in(status: &str, set: &[&str]) -> bool {
    set.iter().any(|s| s.eq_ignore_ascii_case(status.trim()))
}

fn standing(server: &Server, command: PowerCommand) -> Standing {
    if let Some(operation) = &server.operation {
        if let Some(status) = operation.status.as_deref() {
            if status_in(status, FAILED_STATUSES) {
                return Standing::Failed(Error::OperationFailed {
                    target: format!("server {}", server.id),
                    operation: operation.id_text(),
                    status: status.to_owned(),
                    message: operation.status_text(),
                });
            }
            if !status_in(status, FINISHED_STATUSES) {
                return Standing::Pending;
            }
        }
    }
    if server.power_is(command.leads_to()) {
        Standing::Done
    } else {
        Standing::Pending
    }
}

/// Whether an error while polling is worth another poll.
fn is_transient(error: &Error) -> bool {
    error.is_retryable() || error.status().is_some_and(|s| s >= 500)
}

impl Servers<'_> {
    /// Sends a power command (generated `server_power_on`,
    /// `server_power_off` or `server_power_reset`, each `POST
    /// /api/dci/v3/server/{id}/{command}` with `{}`); returns the panel's
    /// answer (undocumented; `Value::Null` when empty). The operation runs
    /// on; see [`Servers::power_and_wait`].
    pub async fn power(&self, server_id: i64, command: PowerCommand) -> Result<Value> {
        let api = self.client.generated();
        let answer = match command {
            PowerCommand::On => api.server_power_on(server_id, &ServerPowerOnBody {}).await,
            PowerCommand::Off => {
                api.server_power_off(server_id, &ServerPowerOffBody {})
                    .await
            }
            PowerCommand::Reset => {
                api.server_power_reset(server_id, &ServerPowerResetBody {})
                    .await
            }
        };
        match answer {
            // The answer is undocumented; public clients only read its
            // status. An empty 2xx body is an accepted command, not a
            // malformed answer.
            Err(Error::UnexpectedResponse {
                status: Some(status),
                excerpt,
                ..
            }) if (200..300).contains(&status) && excerpt.is_empty() => Ok(Value::Null),
            other => other,
        }
    }

    /// Sends a power command, then waits (see [`Servers::wait_for_power`])
    /// and returns the server as last seen.
    pub async fn power_and_wait(
        &self,
        server_id: i64,
        command: PowerCommand,
        wait: &WaitOptions,
    ) -> Result<Server> {
        self.power(server_id, command).await?;
        self.wait_for_power(server_id, command, wait).await
    }

    /// Polls the server (generated `server_get`) with backoff until no
    /// operation runs on it and its `power_status` is what `command` leads
    /// to. A failed operation is [`Error::OperationFailed`] (server,
    /// operation id, status and `status_info`); the deadline is
    /// [`Error::WaitTimeout`] naming what was awaited and the last state
    /// seen; errors that do not say the operation failed are polled through.
    pub async fn wait_for_power(
        &self,
        server_id: i64,
        command: PowerCommand,
        wait: &WaitOptions,
    ) -> Result<Server> {
        let started = Instant::now();
        let deadline = started.checked_add(wait.timeout);
        let left = || {
            deadline.map_or(Duration::MAX, |d| {
                d.saturating_duration_since(Instant::now())
            })
        };
        let mut last_seen: Option<String> = None;
        let timed_out = |last_seen: Option<String>| Error::WaitTimeout {
            waited_for: format!(
                "server {server_id}: {command} to finish with power_status {}",
                command.leads_to()
            ),
            after: wait.timeout,
            last_seen,
        };
        let mut pause = wait.first_interval;
        let mut polls = 0;
        loop {
            let remaining = left();
            if remaining.is_zero() {
                return Err(timed_out(last_seen));
            }
            match tokio::time::timeout(remaining, self.get(server_id)).await {
                Err(_) => return Err(timed_out(last_seen)),
                Ok(Ok(server)) => {
                    polls += 1;
                    let progress = ServerProgress {
                        server_id,
                        power_status: server.power_status.clone(),
                        state: server.state.clone(),
                        operation_status: server.operation.as_ref().and_then(|o| o.status.clone()),
                        polls,
                        elapsed: started.elapsed(),
                    };
                    if let Some(observe) = &wait.on_progress {
                        observe(&progress);
                    }
                    last_seen = Some(progress.describe());
                    match standing(&server, command) {
                        Standing::Done => return Ok(server),
                        Standing::Failed(error) => return Err(error),
                        Standing::Pending => {}
                    }
                }
                Ok(Err(error)) if is_transient(&error) => {
                    tracing::debug!(%error, server_id, "transient error while waiting; polling again");
                }
                Ok(Err(error)) => return Err(error),
            }
            let remaining = left();
            if pause >= remaining {
                // The last look happens at the deadline, not after it.
                tokio::time::sleep(remaining).await;
                return Err(timed_out(last_seen));
            }
            tokio::time::sleep(pause).await;
            pause = pause.saturating_mul(2).min(wait.max_interval);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn server(value: Value) -> Server {
        Server::from_value("t", value).unwrap()
    }

    proptest::proptest! {
        #[test]
        fn any_status_and_power_is_judged_without_panicking(
            status in proptest::option::of(".{0,12}"),
            power in proptest::option::of(".{0,6}"),
            info in ".{0,20}",
        ) {
            let value = json!({"id": 1, "power_status": power,
                               "operation": {"status": status, "status_info": info}});
            let server = server(value);
            for command in [PowerCommand::On, PowerCommand::Off, PowerCommand::Reset] {
                let judged = standing(&server, command);
                if let Standing::Done = judged {
                    // Done only with the wanted power and no unfinished operation.
                    proptest::prop_assert!(server.power_is(command.leads_to()));
                }
            }
        }
    }

    #[test]
    fn standing_of_a_server() {
        let on = PowerCommand::On;
        assert!(matches!(
            standing(&server(json!({"id": 1, "power_status": "ON"})), on),
            Standing::Done
        ));
        assert!(matches!(
            standing(&server(json!({"id": 1, "power_status": "off"})), on),
            Standing::Pending
        ));
        assert!(matches!(
            standing(
                &server(json!({"id": 1, "power_status": "on", "operation": {"status": "running"}})),
                on
            ),
            Standing::Pending
        ));
        assert!(matches!(
            standing(
                &server(
                    json!({"id": 1, "power_status": "on", "operation": {"status": "Complete"}})
                ),
                on
            ),
            Standing::Done
        ));
        match standing(
            &server(json!({"id": 7, "operation": {"id": 3, "status": "FAILED",
                                                   "status_info": {"msg": "no BMC"}}})),
            PowerCommand::Off,
        ) {
            Standing::Failed(Error::OperationFailed {
                target,
                operation,
                message,
                ..
            }) => {
                assert_eq!(target, "server 7");
                assert_eq!(operation.as_deref(), Some("3"));
                assert_eq!(message, "no BMC");
            }
            _ => panic!("expected a failure"),
        }
        assert_eq!(PowerCommand::Reset.leads_to(), "on");
        assert_eq!(PowerCommand::Off.as_str(), "power_off");
    }
}
