//! The ISPConfig helpers' upstream methods: each helper with every generated
//! method it calls. The facts each was audited against (signature, hash,
//! linked forms' fields) are in `crates/panelkit/pins/ispconfig.lock`,
//! written by `cargo xtask pins`; `cargo xtask pins --check` (and
//! `tests/tests/overlay_pins.rs`) fail, naming helper, method, old and new,
//! when the inventory moves under them.
//!
//! Audited against ISPConfig 3.2.12p1 (`interface/lib/classes/remoting.inc.php`,
//! `remoting_lib.inc.php`, `tform_base.inc.php`, `remote.d/{client,dns,mail,sites}.inc.php`
//! and the forms under `interface/web/{client,dns,mail,sites}/form/`).

/// Every helper with the upstream methods it calls. Read from this source by
/// `cargo xtask pins` (string literals only); the library uses it for
/// [`required_permissions`] and the doctor.
pub(crate) const PINS: &[(&str, &[&str])] = &[
    ("Client::owner_of", &["client_get_by_groupid"]),
    ("Dns::zone", &["dns_zone_get"]),
    ("Dns::find_zone", &["dns_zone_get"]),
    ("Dns::zone_by_id", &["dns_zone_get"]),
    ("Dns::zones", &["dns_zone_get"]),
    ("Dns::add_zone", &["dns_zone_add"]),
    ("Dns::update_zone", &["dns_zone_get", "dns_zone_update"]),
    ("Dns::delete_zone", &["dns_zone_delete"]),
    ("Dns::records", &["dns_rr_get_all_by_zone"]),
    (
        "Dns::record",
        &[
            "dns_a_get",
            "dns_aaaa_get",
            "dns_alias_get",
            "dns_caa_get",
            "dns_cname_get",
            "dns_dname_get",
            "dns_ds_get",
            "dns_hinfo_get",
            "dns_loc_get",
            "dns_mx_get",
            "dns_naptr_get",
            "dns_ns_get",
            "dns_ptr_get",
            "dns_rp_get",
            "dns_srv_get",
            "dns_sshfp_get",
            "dns_tlsa_get",
            "dns_txt_get",
        ],
    ),
    (
        "Dns::get",
        &[
            "dns_a_get",
            "dns_aaaa_get",
            "dns_alias_get",
            "dns_caa_get",
            "dns_cname_get",
            "dns_dname_get",
            "dns_ds_get",
            "dns_hinfo_get",
            "dns_loc_get",
            "dns_mx_get",
            "dns_naptr_get",
            "dns_ns_get",
            "dns_ptr_get",
            "dns_rp_get",
            "dns_srv_get",
            "dns_sshfp_get",
            "dns_tlsa_get",
            "dns_txt_get",
        ],
    ),
    (
        "Dns::find",
        &[
            "dns_a_get",
            "dns_aaaa_get",
            "dns_alias_get",
            "dns_caa_get",
            "dns_cname_get",
            "dns_dname_get",
            "dns_ds_get",
            "dns_hinfo_get",
            "dns_loc_get",
            "dns_mx_get",
            "dns_naptr_get",
            "dns_ns_get",
            "dns_ptr_get",
            "dns_rp_get",
            "dns_srv_get",
            "dns_sshfp_get",
            "dns_tlsa_get",
            "dns_txt_get",
        ],
    ),
    (
        "Dns::find_records",
        &[
            "dns_a_get",
            "dns_aaaa_get",
            "dns_alias_get",
            "dns_caa_get",
            "dns_cname_get",
            "dns_dname_get",
            "dns_ds_get",
            "dns_hinfo_get",
            "dns_loc_get",
            "dns_mx_get",
            "dns_naptr_get",
            "dns_ns_get",
            "dns_ptr_get",
            "dns_rp_get",
            "dns_srv_get",
            "dns_sshfp_get",
            "dns_tlsa_get",
            "dns_txt_get",
        ],
    ),
    (
        "Dns::add",
        &[
            "client_get_by_groupid",
            "dns_a_add",
            "dns_aaaa_add",
            "dns_alias_add",
            "dns_caa_add",
            "dns_cname_add",
            "dns_dname_add",
            "dns_ds_add",
            "dns_hinfo_add",
            "dns_loc_add",
            "dns_mx_add",
            "dns_naptr_add",
            "dns_ns_add",
            "dns_ptr_add",
            "dns_rp_add",
            "dns_srv_add",
            "dns_sshfp_add",
            "dns_tlsa_add",
            "dns_txt_add",
            "dns_zone_get",
            "dns_zone_update",
        ],
    ),
    (
        "Dns::add_record",
        &[
            "client_get_by_groupid",
            "dns_a_add",
            "dns_aaaa_add",
            "dns_alias_add",
            "dns_caa_add",
            "dns_cname_add",
            "dns_dname_add",
            "dns_ds_add",
            "dns_hinfo_add",
            "dns_loc_add",
            "dns_mx_add",
            "dns_naptr_add",
            "dns_ns_add",
            "dns_ptr_add",
            "dns_rp_add",
            "dns_srv_add",
            "dns_sshfp_add",
            "dns_tlsa_add",
            "dns_txt_add",
            "dns_zone_get",
            "dns_zone_update",
        ],
    ),
    (
        "Dns::update_record",
        &[
            "dns_a_get",
            "dns_a_update",
            "dns_aaaa_get",
            "dns_aaaa_update",
            "dns_alias_get",
            "dns_alias_update",
            "dns_caa_get",
            "dns_caa_update",
            "dns_cname_get",
            "dns_cname_update",
            "dns_dname_get",
            "dns_dname_update",
            "dns_ds_get",
            "dns_ds_update",
            "dns_hinfo_get",
            "dns_hinfo_update",
            "dns_loc_get",
            "dns_loc_update",
            "dns_mx_get",
            "dns_mx_update",
            "dns_naptr_get",
            "dns_naptr_update",
            "dns_ns_get",
            "dns_ns_update",
            "dns_ptr_get",
            "dns_ptr_update",
            "dns_rp_get",
            "dns_rp_update",
            "dns_srv_get",
            "dns_srv_update",
            "dns_sshfp_get",
            "dns_sshfp_update",
            "dns_tlsa_get",
            "dns_tlsa_update",
            "dns_txt_get",
            "dns_txt_update",
            "dns_zone_get",
            "dns_zone_update",
        ],
    ),
    (
        "Dns::delete_record",
        &[
            "dns_a_get",
            "dns_a_delete",
            "dns_aaaa_get",
            "dns_aaaa_delete",
            "dns_alias_get",
            "dns_alias_delete",
            "dns_caa_get",
            "dns_caa_delete",
            "dns_cname_get",
            "dns_cname_delete",
            "dns_dname_get",
            "dns_dname_delete",
            "dns_ds_get",
            "dns_ds_delete",
            "dns_hinfo_get",
            "dns_hinfo_delete",
            "dns_loc_get",
            "dns_loc_delete",
            "dns_mx_get",
            "dns_mx_delete",
            "dns_naptr_get",
            "dns_naptr_delete",
            "dns_ns_get",
            "dns_ns_delete",
            "dns_ptr_get",
            "dns_ptr_delete",
            "dns_rp_get",
            "dns_rp_delete",
            "dns_srv_get",
            "dns_srv_delete",
            "dns_sshfp_get",
            "dns_sshfp_delete",
            "dns_tlsa_get",
            "dns_tlsa_delete",
            "dns_txt_get",
            "dns_txt_delete",
        ],
    ),
    ("Sites::web_domain", &["sites_web_domain_get"]),
    ("Sites::web_domains", &["sites_web_domain_get"]),
    ("Sites::find_web_domains", &["sites_web_domain_get"]),
    (
        "Sites::add_web_domain",
        &["sites_web_domain_add", "server_get"],
    ),
    (
        "Sites::update_web_domain",
        &["sites_web_domain_get", "sites_web_domain_update"],
    ),
    (
        "Sites::delete_web_domain",
        &["sites_web_domain_get", "sites_web_domain_delete"],
    ),
    ("Sites::ftp_user", &["sites_ftp_user_get"]),
    ("Sites::ftp_users", &["sites_ftp_user_get"]),
    (
        "Sites::add_ftp_user",
        &["client_get_by_groupid", "sites_ftp_user_add"],
    ),
    (
        "Sites::update_ftp_user",
        &["sites_ftp_user_get", "sites_ftp_user_update"],
    ),
    ("Sites::delete_ftp_user", &["sites_ftp_user_delete"]),
    ("Sites::shell_user", &["sites_shell_user_get"]),
    ("Sites::shell_users", &["sites_shell_user_get"]),
    (
        "Sites::add_shell_user",
        &["client_get_by_groupid", "sites_shell_user_add"],
    ),
    (
        "Sites::update_shell_user",
        &["sites_shell_user_get", "sites_shell_user_update"],
    ),
    ("Sites::delete_shell_user", &["sites_shell_user_delete"]),
    ("Sites::cron_job", &["sites_cron_get"]),
    ("Sites::cron_jobs", &["sites_cron_get"]),
    (
        "Sites::add_cron_job",
        &["client_get_by_groupid", "sites_cron_add"],
    ),
    (
        "Sites::update_cron_job",
        &["sites_cron_get", "sites_cron_update"],
    ),
    ("Sites::delete_cron_job", &["sites_cron_delete"]),
    ("Mail::domain", &["mail_domain_get"]),
    ("Mail::find_domain", &["mail_domain_get"]),
    ("Mail::domains", &["mail_domain_get"]),
    ("Mail::add_domain", &["mail_domain_add"]),
    (
        "Mail::update_domain",
        &["mail_domain_get", "mail_domain_update"],
    ),
    ("Mail::delete_domain", &["mail_domain_delete"]),
    ("Mail::mailbox", &["mail_user_get"]),
    ("Mail::find_mailbox", &["mail_user_get"]),
    (
        "Mail::add_mailbox",
        &[
            "mail_domain_get",
            "client_get_by_groupid",
            "mail_user_add",
            "server_get",
        ],
    ),
    (
        "Mail::update_mailbox",
        &["mail_user_get", "mail_user_update"],
    ),
    ("Mail::delete_mailbox", &["mail_user_delete"]),
    (
        "Mail::forwarding",
        &[
            "mail_alias_get",
            "mail_forward_get",
            "mail_catchall_get",
            "mail_aliasdomain_get",
        ],
    ),
    (
        "Mail::forwardings",
        &[
            "mail_alias_get",
            "mail_forward_get",
            "mail_catchall_get",
            "mail_aliasdomain_get",
        ],
    ),
    (
        "Mail::find_forwardings",
        &[
            "mail_alias_get",
            "mail_forward_get",
            "mail_catchall_get",
            "mail_aliasdomain_get",
        ],
    ),
    (
        "Mail::add_alias",
        &["mail_domain_get", "client_get_by_groupid", "mail_alias_add"],
    ),
    (
        "Mail::add_forward",
        &[
            "mail_domain_get",
            "client_get_by_groupid",
            "mail_forward_add",
        ],
    ),
    (
        "Mail::add_catchall",
        &[
            "mail_domain_get",
            "client_get_by_groupid",
            "mail_catchall_add",
        ],
    ),
    (
        "Mail::add_alias_domain",
        &[
            "mail_domain_get",
            "client_get_by_groupid",
            "mail_aliasdomain_add",
        ],
    ),
    (
        "Mail::add_forwarding",
        &[
            "mail_domain_get",
            "client_get_by_groupid",
            "mail_alias_add",
            "mail_forward_add",
            "mail_catchall_add",
            "mail_aliasdomain_add",
        ],
    ),
    (
        "Mail::update_forwarding",
        &[
            "mail_alias_get",
            "mail_alias_update",
            "mail_forward_get",
            "mail_forward_update",
            "mail_catchall_get",
            "mail_catchall_update",
            "mail_aliasdomain_get",
            "mail_aliasdomain_update",
        ],
    ),
    (
        "Mail::delete_forwarding",
        &[
            "mail_alias_get",
            "mail_alias_delete",
            "mail_forward_get",
            "mail_forward_delete",
            "mail_catchall_get",
            "mail_catchall_delete",
            "mail_aliasdomain_get",
            "mail_aliasdomain_delete",
        ],
    ),
    ("Databases::database", &["sites_database_get"]),
    ("Databases::databases", &["sites_database_get"]),
    ("Databases::find_databases", &["sites_database_get"]),
    (
        "Databases::add_database",
        &["client_get_by_groupid", "sites_database_add"],
    ),
    (
        "Databases::update_database",
        &["sites_database_get", "sites_database_update"],
    ),
    ("Databases::delete_database", &["sites_database_delete"]),
    ("Databases::user", &["sites_database_user_get"]),
    ("Databases::find_users", &["sites_database_user_get"]),
    ("Databases::add_user", &["sites_database_user_add"]),
    (
        "Databases::update_user",
        &["sites_database_user_get", "sites_database_user_update"],
    ),
    ("Databases::delete_user", &["sites_database_user_delete"]),
    ("Clients::get", &["client_get"]),
    ("Clients::all", &["client_get"]),
    ("Clients::resellers", &["client_get"]),
    ("Clients::of_reseller", &["client_get"]),
    ("Clients::find_by_company", &["client_get"]),
    ("Clients::find_by_username", &["client_get"]),
    ("Clients::add", &["client_add"]),
    (
        "Clients::add_reseller",
        &["client_add", "client_get", "client_update"],
    ),
    ("Clients::update", &["client_get", "client_update"]),
    ("Clients::delete", &["client_delete"]),
    ("Mail::mailboxes", &["mail_user_get"]),
];

/// What a remote user must be allowed for `helper` (`Mail::add_mailbox`):
/// each upstream method the helper calls, with that method's permission
/// checks (the generated [`panelkit_ispconfig::permissions`] table, from the
/// panel's `remote.conf.php` files). A check is allowed when any one of its
/// groups is ticked for the remote user (System → Remote Users). Empty for
/// an unknown helper.
pub fn required_permissions(
    helper: &str,
) -> Vec<(
    &'static str,
    &'static [panelkit_ispconfig::permissions::Check],
)> {
    PINS.iter()
        .filter(|(h, _)| *h == helper)
        .flat_map(|(_, methods)| methods.iter())
        .map(|method| (*method, panelkit_ispconfig::permissions::checks(method)))
        .collect()
}

/// Every helper of the table, in table order.
pub(crate) fn helpers() -> impl Iterator<Item = &'static str> {
    PINS.iter().map(|(helper, _)| *helper)
}

/// Every method some helper calls (with repeats).
pub(crate) fn methods() -> impl Iterator<Item = &'static str> {
    PINS.iter().flat_map(|(_, methods)| methods.iter().copied())
}

/// The methods `helper` calls; empty for an unknown helper.
pub(crate) fn methods_of(helper: &str) -> &'static [&'static str] {
    PINS.iter()
        .find(|(h, _)| *h == helper)
        .map_or(&[], |(_, methods)| methods)
}
