//! The servers' configuration sections (`server_get(server_id, section)`),
//! read once per server and section for the client's life.
//!
//! The GUI fills some fields of a new record from the configuration of the
//! server the record lives on (a mailbox's `maildir` and `homedir` from the
//! mail section's `maildir_path` and `homedir_path`); the helpers do the
//! same, and a panel's configuration does not change under a running client
//! often enough to be worth a read per add.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use panelkit_core::soap::Value;
use panelkit_core::{Error, Result};

use super::record::{one, Record};
use super::Client;

/// Sections already read, shared by the clones of one [`Client`].
#[derive(Default)]
pub(crate) struct ServerConfigs {
    sections: Mutex<HashMap<(i64, String), Arc<Record>>>,
}

impl std::fmt::Debug for ServerConfigs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Sections hold service passwords (relayhost, rspamd, ...): never shown.
        let count = self.sections.lock().map(|s| s.len()).unwrap_or(0);
        f.debug_struct("ServerConfigs")
            .field("cached_sections", &count)
            .finish()
    }
}

impl ServerConfigs {
    /// Section `section` of server `server_id`'s configuration, read through
    /// `server_get` the first time it is asked for.
    pub(crate) async fn section(
        &self,
        client: &Client,
        server_id: i64,
        section: &str,
    ) -> Result<Arc<Record>> {
        let key = (server_id, section.to_owned());
        if let Some(hit) = self.cached(&key) {
            return Ok(hit);
        }
        // Not held across the call: two first reads of one section may both
        // ask the panel, which is harmless.
        let answer = generated_call!(
            client,
            server_get(Some(Value::Int(server_id)), Some(Value::from(section)))
        )?;
        let record = one(answer)?.ok_or_else(|| Error::NotFound {
            status: None,
            code: "server_not_found".to_owned(),
            message: format!("server {server_id} has no {section} configuration"),
        })?;
        let record = Arc::new(record);
        if let Ok(mut sections) = self.sections.lock() {
            sections.insert(key, Arc::clone(&record));
        }
        Ok(record)
    }

    fn cached(&self, key: &(i64, String)) -> Option<Arc<Record>> {
        self.sections.lock().ok()?.get(key).cloned()
    }
}
