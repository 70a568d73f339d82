<?php
// The form definitions the remote methods insert and update through: a subset
// of the fields of the panel's *.tform.php files (3.2.12p1), with their
// datatypes, form types, SAVE filters and validators (same error keys), written
// down as data. Fields we do not model are left as they are in the stored row.
//
// field => [datatype, formtype, options]; options: 'filters' (SAVE filters),
// 'validators' ([type, argument, errmsg]...), 'values' (checkbox [off, on]).

function peer_form($name) {
    $int = ['INTEGER', 'TEXT', []];
    $text = ['VARCHAR', 'TEXT', []];
    $range60 = function ($err) { return ['INTEGER', 'TEXT', ['validators' => [['RANGE', '60:', $err]]]]; };
    $yn = function ($off, $on) { return ['VARCHAR', 'CHECKBOX', ['values' => [$off, $on]]]; };
    $pm = function ($field) {
        return ['INTEGER', 'TEXT', ['validators' => [['REGEX', '/^([1-9][0-9]{0,10})$/', "{$field}_error_regex"]]]];
    };
    $forms = [
        // dns/form/dns_a.tform.php: `type` is a field of the form, but nothing
        // in dns_a_add sets it, so a record added without it has type ''.
        'dns_a' => ['table' => 'dns_rr', 'index' => 'id', 'fields' => [
            'server_id' => $int,
            'zone' => $int,
            'name' => ['VARCHAR', 'TEXT', ['filters' => ['IDNTOASCII', 'TOLOWER'],
                'validators' => [['REGEX', '/^[a-zA-Z0-9\.\-\*]{0,64}$/', 'name_error_regex']]]],
            'type' => $text,
            'data' => ['VARCHAR', 'TEXT', ['validators' => [['NOTEMPTY', null, 'data_error_empty'],
                ['ISIPV4', null, 'ip_error_wrong']]]],
            'ttl' => $range60('ttl_range_error'),
            'active' => $yn('N', 'Y'),
            'stamp' => $text,
            'serial' => $int,
        ]],
        // dns/form/dns_soa.tform.php
        'dns_soa' => ['table' => 'dns_soa', 'index' => 'id', 'fields' => [
            'server_id' => ['INTEGER', 'SELECT', ['validators' => [['NOTEMPTY', null, 'server_id_error_empty']]]],
            'origin' => ['VARCHAR', 'TEXT', ['filters' => ['IDNTOASCII', 'TOLOWER'], 'validators' => [
                ['NOTEMPTY', null, 'origin_error_empty'], ['UNIQUE', null, 'origin_error_unique'],
                ['REGEX', '/^[a-zA-Z0-9\.\-\/]{1,255}\.[a-zA-Z0-9\-]{2,63}[\.]{0,1}$/', 'origin_error_regex']]]],
            'ns' => ['VARCHAR', 'TEXT', ['filters' => ['IDNTOASCII', 'TOLOWER'],
                'validators' => [['REGEX', '/^[a-zA-Z0-9\.\-]{1,255}$/', 'ns_error_regex']]]],
            'mbox' => ['VARCHAR', 'TEXT', ['filters' => ['IDNTOASCII', 'TOLOWER'], 'validators' => [
                ['NOTEMPTY', null, 'mbox_error_empty'], ['REGEX', '/^[a-zA-Z0-9\.\-\_\+]{0,255}\.$/', 'mbox_error_regex']]]],
            'serial' => $int,
            'refresh' => $range60('refresh_range_error'),
            'retry' => $range60('retry_range_error'),
            'expire' => $range60('expire_range_error'),
            'minimum' => $range60('minimum_range_error'),
            'ttl' => $range60('ttl_range_error'),
            'xfer' => $text,
            'also_notify' => $text,
            'update_acl' => ['VARCHAR', 'TEXT', ['filters' => ['STRIPTAGS', 'STRIPNL']]],
            'active' => $yn('N', 'Y'),
            'dnssec_wanted' => $yn('N', 'Y'),
        ]],
        // client/form/client.tform.php (client_update switches to the reseller
        // form when limit_client != 0; the fields we model are the same).
        'client' => ['table' => 'client', 'index' => 'client_id', 'fields' => [
            'company_name' => ['VARCHAR', 'TEXT', ['filters' => ['STRIPTAGS', 'STRIPNL']]],
            'contact_name' => ['VARCHAR', 'TEXT', ['filters' => ['STRIPTAGS', 'STRIPNL'],
                'validators' => [['NOTEMPTY', null, 'contact_error_empty']]]],
            'customer_no' => $text,
            'username' => ['VARCHAR', 'TEXT', ['validators' => [['NOTEMPTY', null, 'username_error_empty'],
                ['UNIQUE', null, 'username_error_unique']]]],
            'email' => ['VARCHAR', 'TEXT', ['filters' => ['IDNTOASCII', 'TOLOWER'], 'validators' => [
                ['ISEMAILADDRESS', null, 'email_error_isemail'], ['NOTEMPTY', null, 'email_error_empty']]]],
            'language' => $text,
            'template_additional' => $text,
            'limit_web_domain' => $int,
            'limit_client' => $int,
            'locked' => $yn('n', 'y'),
            'canceled' => $yn('n', 'y'),
        ]],
        // mail/form/mail_domain.tform.php (read only here)
        'mail_domain' => ['table' => 'mail_domain', 'index' => 'domain_id', 'fields' => [
            'server_id' => $int,
            'domain' => ['VARCHAR', 'TEXT', ['filters' => ['IDNTOASCII', 'TOLOWER']]],
            'active' => $yn('n', 'y'),
        ]],
        // mail/form/mail_user.tform.php
        'mail_user' => ['table' => 'mail_user', 'index' => 'mailuser_id', 'fields' => [
            'server_id' => $int,
            'email' => ['VARCHAR', 'TEXT', ['filters' => ['IDNTOASCII', 'TOLOWER'], 'validators' => [
                ['ISEMAIL', null, 'email_error_isemail'], ['UNIQUE', null, 'email_error_unique']]]],
            'login' => ['VARCHAR', 'TEXT', ['filters' => ['IDNTOASCII', 'TOLOWER'], 'validators' => [
                ['UNIQUE', null, 'login_error_unique'], ['REGEX', '/^[_a-z0-9][\w\.\-_\+@]{1,63}$/', 'login_error_regex']]]],
            'name' => ['VARCHAR', 'TEXT', ['filters' => ['STRIPTAGS', 'STRIPNL']]],
            // The form lists ISINT (key 1) before REGEX (key 0): PHP runs them in that order.
            'quota' => ['VARCHAR', 'TEXT', ['validators' => [['ISINT', null, 'quota_error_isint'],
                ['REGEX', '/^([0-9]{1,})$/', 'quota_error_value']]]],
            'cc' => $text,
            'autoresponder' => $yn('n', 'y'),
            'autoresponder_text' => ['TEXT', 'TEXTAREA', []],
            'move_junk' => $yn('n', 'y'),
            'disableimap' => $yn('n', 'y'),
            'disablepop3' => $yn('n', 'y'),
        ]],
        // sites/form/web_vhost_domain.tform.php
        'web_vhost_domain' => ['table' => 'web_domain', 'index' => 'domain_id', 'fields' => [
            'server_id' => $int,
            'ip_address' => $text,
            'domain' => ['VARCHAR', 'TEXT', ['filters' => ['IDNTOASCII', 'TOLOWER'], 'validators' => [
                // CUSTOM validate_domain::web_domain, reduced to its regex.
                ['REGEX', '/^[\w\.\-]{1,255}\.[a-zA-Z0-9\-]{2,63}$/', 'domain_error_regex']]]],
            'hd_quota' => $int,
            'traffic_quota' => ['INTEGER', 'TEXT', ['validators' => [['NOTEMPTY', null, 'traffic_quota_error_empty'],
                ['REGEX', '/^(\-1|[0-9]{1,10})$/', 'traffic_quota_error_regex']]]],
            'php' => ['VARCHAR', 'SELECT', []],
            'pm' => ['VARCHAR', 'SELECT', []],
            'pm_max_children' => $pm('pm_max_children'),
            'pm_start_servers' => $pm('pm_start_servers'),
            'pm_min_spare_servers' => $pm('pm_min_spare_servers'),
            'pm_max_spare_servers' => $pm('pm_max_spare_servers'),
            'log_retention' => ['INTEGER', 'TEXT', ['validators' => [['REGEX', '/^([0-9]{1,4})$/', 'log_retention_error_regex']]]],
            'active' => $yn('n', 'y'),
        ]],
    ];
    return $forms[$name];
}
