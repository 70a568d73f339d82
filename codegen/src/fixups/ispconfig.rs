//! Secret fields of ISPConfig that no form type marks: private keys and
//! plaintext credentials the panel stores readable and hands back on a read.
//!
//! Form types mark only passwords (`PASSWORD`, which the panel hashes); the
//! fields below are plain `TEXT`/`TEXTAREA` controls, a table column outside
//! any form (`id_rsa`), or keys of the server configuration's ini sections.
//! Each entry names one field, its class and the upstream file that defines
//! it (line numbers as of 3.2.12p1). Extraction checks that the file still
//! defines the field and that the form or method is still there, and fails
//! loudly otherwise, so a classification never rots silently.

use crate::model::{AnswerSecret, Inventory, Secrecy, SecrecyClass};

/// Where a secret field lives.
#[derive(Clone, Copy, Debug)]
pub enum Place {
    /// A field of this form (a key of [`Inventory::forms`]), defined in the
    /// cited file.
    Form(&'static str),
    /// A field the answers of these methods carry outside any form
    /// ([`Inventory::answer_secrets`]); the cited file names it.
    Answer(&'static [&'static str]),
}

/// One classified field.
#[derive(Clone, Copy, Debug)]
pub struct SecretField {
    /// Short name (`ispconfig_web_ssl_key`).
    pub name: &'static str,
    /// The field's wire name.
    pub field: &'static str,
    /// Its class.
    pub class: SecrecyClass,
    /// Where it lives.
    pub place: Place,
    /// The upstream file (checkout-relative) that defines it, and the line.
    pub file: &'static str,
    /// The line of the definition in 3.2.12p1 (for readers; not checked).
    pub line: u32,
    /// Why it is secret, in one sentence.
    pub why: &'static str,
}

const WEB: &str = "interface/web/sites/form/web_vhost_domain.tform.php";
const SERVER_CONFIG: &str = "interface/web/admin/form/server_config.tform.php";
/// `server_get` answers a server's configuration sections, `server_get_all`
/// the rows whose `config` column holds them as ini text.
const SERVER_METHODS: &[&str] = &["server_get", "server_get_all"];

/// Every classified field, in the order they apply.
pub const SECRET_FIELDS: &[SecretField] = &[
    SecretField {
        name: "ispconfig_web_ssl_key",
        field: "ssl_key",
        class: SecrecyClass::Key,
        place: Place::Form("interface/web/sites/form/web_vhost_domain.tform.php"),
        file: WEB,
        line: 543,
        why: "the site's TLS private key, a TEXTAREA that sites_web_domain_get returns",
    },
    SecretField {
        name: "ispconfig_web_backup_password",
        field: "backup_password",
        class: SecrecyClass::Credential,
        place: Place::Form("interface/web/sites/form/web_vhost_domain.tform.php"),
        file: WEB,
        line: 769,
        why: "the password the panel encrypts backups with, stored as plain TEXT",
    },
    SecretField {
        name: "ispconfig_mail_dkim_private",
        field: "dkim_private",
        class: SecrecyClass::Key,
        place: Place::Form("interface/web/mail/form/mail_domain.tform.php"),
        file: "interface/web/mail/form/mail_domain.tform.php",
        line: 107,
        why: "the mail domain's DKIM private key, a TEXTAREA that mail_domain_get returns",
    },
    SecretField {
        name: "ispconfig_fetchmail_source_password",
        field: "source_password",
        class: SecrecyClass::Credential,
        place: Place::Form("interface/web/mail/form/mail_get.tform.php"),
        file: "interface/web/mail/form/mail_get.tform.php",
        line: 124,
        why: "the remote mailbox's password, stored in plain text so fetchmail can log in",
    },
    SecretField {
        name: "ispconfig_openvz_vm_password",
        field: "vm_password",
        class: SecrecyClass::Credential,
        place: Place::Form("interface/web/vm/form/openvz_vm.tform.php"),
        file: "interface/web/vm/form/openvz_vm.tform.php",
        line: 140,
        why: "the virtual machine's root password, stored as plain TEXT",
    },
    SecretField {
        name: "ispconfig_client_id_rsa",
        field: "id_rsa",
        class: SecrecyClass::Key,
        place: Place::Answer(&["client_get"]),
        file: "interface/lib/classes/functions.inc.php",
        line: 518,
        why: "generate_ssh_key stores the client's SSH private key in the client row, which \
              client_get returns whole",
    },
    SecretField {
        name: "ispconfig_server_relayhost_password",
        field: "relayhost_password",
        class: SecrecyClass::Credential,
        place: Place::Answer(SERVER_METHODS),
        file: SERVER_CONFIG,
        line: 563,
        why: "the mail relay's password, in the server's mail section",
    },
    SecretField {
        name: "ispconfig_server_rspamd_password",
        field: "rspamd_password",
        class: SecrecyClass::Credential,
        place: Place::Answer(SERVER_METHODS),
        file: SERVER_CONFIG,
        line: 477,
        why: "the rspamd web interface password, in the server's mail section",
    },
    SecretField {
        name: "ispconfig_server_rspamd_redis_password",
        field: "rspamd_redis_password",
        class: SecrecyClass::Credential,
        place: Place::Answer(SERVER_METHODS),
        file: SERVER_CONFIG,
        line: 501,
        why: "rspamd's Redis password, in the server's mail section",
    },
    SecretField {
        name: "ispconfig_server_rspamd_redis_bayes_password",
        field: "rspamd_redis_bayes_password",
        class: SecrecyClass::Credential,
        place: Place::Answer(SERVER_METHODS),
        file: SERVER_CONFIG,
        line: 525,
        why: "rspamd's Bayes Redis password, in the server's mail section",
    },
    SecretField {
        name: "ispconfig_server_monit_password",
        field: "monit_password",
        class: SecrecyClass::Credential,
        place: Place::Answer(SERVER_METHODS),
        file: SERVER_CONFIG,
        line: 350,
        why: "the monit web interface password, in the server's server section",
    },
    SecretField {
        name: "ispconfig_server_munin_password",
        field: "munin_password",
        class: SecrecyClass::Credential,
        place: Place::Answer(SERVER_METHODS),
        file: SERVER_CONFIG,
        line: 384,
        why: "the munin web interface password, in the server's server section",
    },
];

/// The checkout-relative files the classification reads (inputs of the
/// inventory's digest).
pub fn cited_files() -> Vec<&'static str> {
    let mut files: Vec<&str> = SECRET_FIELDS.iter().map(|s| s.file).collect();
    files.sort_unstable();
    files.dedup();
    files
}

/// Classifies the fields of `SECRET_FIELDS` in `inventory`; `read` gives a
/// cited file's text. Fails on the first entry whose file no longer
/// defines the field, whose form or field is gone from the inventory, or
/// whose method is no longer served.
pub fn apply(
    inventory: &mut Inventory,
    read: &dyn Fn(&str) -> Option<String>,
) -> Result<(), String> {
    for s in SECRET_FIELDS {
        let fail = |why: String| format!("secret fixup {} ({}): {why}", s.name, s.why);
        let text = read(s.file).ok_or_else(|| fail(format!("cannot read {}", s.file)))?;
        if !text.contains(&format!("'{}'", s.field)) && !text.contains(&format!(" {} = ", s.field))
        {
            return Err(fail(format!("{} no longer names {}", s.file, s.field)));
        }
        let source = format!("fixup {}: {}:{} (3.2.12p1)", s.name, s.file, s.line);
        match s.place {
            Place::Form(form) => {
                let field = inventory
                    .forms
                    .get_mut(form)
                    .ok_or_else(|| fail(format!("the inventory has no form {form}")))?
                    .fields
                    .get_mut(s.field)
                    .ok_or_else(|| fail(format!("{form} has no field {}", s.field)))?;
                if let Some(old) = &field.secrecy {
                    return Err(fail(format!("already classified by {}", old.source)));
                }
                field.secrecy = Some(Secrecy {
                    class: s.class,
                    source,
                });
            }
            Place::Answer(methods) => {
                for method in methods {
                    if inventory.operation(method).is_none() {
                        return Err(fail(format!("no method {method}")));
                    }
                    inventory
                        .answer_secrets
                        .entry((*method).to_owned())
                        .or_default()
                        .push(AnswerSecret {
                            field: s.field.to_owned(),
                            class: s.class,
                            source: source.clone(),
                        });
                }
            }
        }
    }
    Ok(())
}
