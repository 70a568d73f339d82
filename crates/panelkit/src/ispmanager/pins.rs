//! Audit pins of the ISPmanager helpers: per helper, each generated function
//! it wraps and the inventory signature (function type, parameters, list
//! columns, what `elid`/`plid` name) it was audited against, as text and as
//! a hash (`codegen::pins::coremanager_signature` / `coremanager_hash`).
//! `tests/tests/overlay_cm_pins.rs` fails, naming helper, function and the
//! old and new signature, when the committed inventory no longer matches.

/// The ISPmanager version the helpers were audited against.
pub const AUDITED_VERSION: &str = "6";

/// One helper's audit of one generated function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pin {
    /// The helper (`Users::update`).
    pub helper: &'static str,
    /// The panel function its generated method calls (`user.edit`).
    pub function: &'static str,
    /// The signature it was audited against.
    pub signature: &'static str,
    /// Its hash.
    pub hash: &'static str,
}

/// Every helper's pins, in module order.
pub const PINS: &[Pin] = &[
    Pin {
        helper: "Users::all",
        function: "user",
        signature: "list user() -> [name, active, limit_webdomains, limit_ftp_users, limit_db, limit_emails, quota_total]",
        hash: "sha256:0a24d88a1b6dc5de",
    },
    Pin {
        helper: "Users::get",
        function: "user.edit",
        signature: "form user.edit(elid?, name?, fullname?, passwd?, confirm?, limit_ssl?, limit_webdomains?, limit_ftp_users?, limit_db?, limit_emails?, limit_quota?) elid=user:name",
        hash: "sha256:9f19f69acd73ee67",
    },
    Pin {
        helper: "Users::add",
        function: "user.edit",
        signature: "form user.edit(elid?, name?, fullname?, passwd?, confirm?, limit_ssl?, limit_webdomains?, limit_ftp_users?, limit_db?, limit_emails?, limit_quota?) elid=user:name",
        hash: "sha256:9f19f69acd73ee67",
    },
    Pin {
        helper: "Users::update",
        function: "user.edit",
        signature: "form user.edit(elid?, name?, fullname?, passwd?, confirm?, limit_ssl?, limit_webdomains?, limit_ftp_users?, limit_db?, limit_emails?, limit_quota?) elid=user:name",
        hash: "sha256:9f19f69acd73ee67",
    },
    Pin {
        helper: "Users::delete",
        function: "user.delete",
        signature: "group user.delete(elid) elid=user:name",
        hash: "sha256:4fa9282b0981babe",
    },
    Pin {
        helper: "Sites::webdomains",
        function: "webdomain",
        signature: "list webdomain() -> [id, name, owner, docroot, ipaddr, php, php_mode, php_version, handler, database, active, analyzer, secure, ssl_issued_success, webscript_status]",
        hash: "sha256:6e89a49c31864201",
    },
    Pin {
        helper: "Sites::webdomain",
        function: "webdomain.edit",
        signature: "form webdomain.edit(elid?, elname?, name?, owner?, email?, aliases?, home?, php?, php_enable?, php_mode?, php_apache_version?, charset?, dirindex?, ssi?, cgi?, basedir?, log_access?, log_error?) elid=webdomain:name",
        hash: "sha256:f0a2c2b7cca4f79c",
    },
    Pin {
        helper: "Sites::add_webdomain",
        function: "webdomain.edit",
        signature: "form webdomain.edit(elid?, elname?, name?, owner?, email?, aliases?, home?, php?, php_enable?, php_mode?, php_apache_version?, charset?, dirindex?, ssi?, cgi?, basedir?, log_access?, log_error?) elid=webdomain:name",
        hash: "sha256:f0a2c2b7cca4f79c",
    },
    Pin {
        helper: "Sites::update_webdomain",
        function: "webdomain.edit",
        signature: "form webdomain.edit(elid?, elname?, name?, owner?, email?, aliases?, home?, php?, php_enable?, php_mode?, php_apache_version?, charset?, dirindex?, ssi?, cgi?, basedir?, log_access?, log_error?) elid=webdomain:name",
        hash: "sha256:f0a2c2b7cca4f79c",
    },
    Pin {
        helper: "Sites::delete_webdomains",
        function: "webdomain.delete",
        signature: "group webdomain.delete(elid) elid=webdomain:name",
        hash: "sha256:a39fbd6ea5aca06b",
    },
    Pin {
        helper: "Dns::records",
        function: "domain.sublist",
        signature: "list domain.sublist(plid) plid=domain:name",
        hash: "sha256:d387919c992d2cb2",
    },
    Pin {
        helper: "Dns::record",
        function: "domain.record.edit",
        signature: "form domain.record.edit(plid, elid?, name?, rtype?, ttl?, ip?, domain?, value?) plid=domain:name",
        hash: "sha256:120841241415750f",
    },
    Pin {
        helper: "Dns::add_record",
        function: "domain.record.edit",
        signature: "form domain.record.edit(plid, elid?, name?, rtype?, ttl?, ip?, domain?, value?) plid=domain:name",
        hash: "sha256:120841241415750f",
    },
    Pin {
        helper: "Dns::update_record",
        function: "domain.record.edit",
        signature: "form domain.record.edit(plid, elid?, name?, rtype?, ttl?, ip?, domain?, value?) plid=domain:name",
        hash: "sha256:120841241415750f",
    },
    Pin {
        helper: "Dns::delete_records",
        function: "domain.record.delete",
        signature: "group domain.record.delete(plid, elid, elname?) plid=domain:name",
        hash: "sha256:e9bbc4d1ca272778",
    },
    Pin {
        helper: "Mail::mailboxes",
        function: "email",
        signature: "list email() -> [name, owner]",
        hash: "sha256:b9e0ce99b5f7ab31",
    },
    Pin {
        helper: "Mail::mailbox",
        function: "email.edit",
        signature: "form email.edit(elid?, name?, domainname?, passwd?, maxsize?, greylist?, forward?, dontsave?, note?) elid=email:name",
        hash: "sha256:d5efce546b7261f4",
    },
    Pin {
        helper: "Mail::add_mailbox",
        function: "email.edit",
        signature: "form email.edit(elid?, name?, domainname?, passwd?, maxsize?, greylist?, forward?, dontsave?, note?) elid=email:name",
        hash: "sha256:d5efce546b7261f4",
    },
    Pin {
        helper: "Mail::update_mailbox",
        function: "email.edit",
        signature: "form email.edit(elid?, name?, domainname?, passwd?, maxsize?, greylist?, forward?, dontsave?, note?) elid=email:name",
        hash: "sha256:d5efce546b7261f4",
    },
    Pin {
        helper: "Databases::databases",
        function: "db",
        signature: "list db() -> [key, name, owner, server, pair]",
        hash: "sha256:7d063cdd2747a87b",
    },
    Pin {
        helper: "Databases::database",
        function: "db.edit",
        signature: "form db.edit(elid?, name?, owner?, server?, charset?, user?, username?, password?, confirm?, remote_access?, addr_list?) elid=db:key",
        hash: "sha256:e8dd86667db1f496",
    },
    Pin {
        helper: "Databases::add_database",
        function: "db.edit",
        signature: "form db.edit(elid?, name?, owner?, server?, charset?, user?, username?, password?, confirm?, remote_access?, addr_list?) elid=db:key",
        hash: "sha256:e8dd86667db1f496",
    },
    Pin {
        helper: "Databases::update_database",
        function: "db.edit",
        signature: "form db.edit(elid?, name?, owner?, server?, charset?, user?, username?, password?, confirm?, remote_access?, addr_list?) elid=db:key",
        hash: "sha256:e8dd86667db1f496",
    },
    Pin {
        helper: "Databases::delete_databases",
        function: "db.delete",
        signature: "group db.delete(elid) elid=db:key",
        hash: "sha256:3afdfcd599629f1b",
    },
];
