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
            'password' => ['VARCHAR', 'PASSWORD', []],
            'usertheme' => $text,
            'template_master' => $int,
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
            'domain' => ['VARCHAR', 'TEXT', ['filters' => ['IDNTOASCII', 'TOLOWER'], 'validators' => [
                ['NOTEMPTY', null, 'domain_error_empty'], ['UNIQUE', null, 'domain_error_unique']]]],
            'dkim' => $yn('n', 'y'),
            'dkim_selector' => ['VARCHAR', 'TEXT', ['validators' => [
                ['REGEX', '/^[a-z0-9]{1,63}(?:\.[a-z0-9]{1,63})?$/', 'dkim_selector_error']]]],
            'active' => $yn('n', 'y'),
        ]],
        // mail/form/mail_user.tform.php
        'mail_user' => ['table' => 'mail_user', 'index' => 'mailuser_id', 'fields' => [
            'server_id' => $int,
            'email' => ['VARCHAR', 'TEXT', ['filters' => ['IDNTOASCII', 'TOLOWER'], 'validators' => [
                ['ISEMAIL', null, 'email_error_isemail'], ['UNIQUE', null, 'email_error_unique']]]],
            'login' => ['VARCHAR', 'TEXT', ['filters' => ['IDNTOASCII', 'TOLOWER'], 'validators' => [
                ['UNIQUE', null, 'login_error_unique'], ['REGEX', '/^[_a-z0-9][\w\.\-_\+@]{1,63}$/', 'login_error_regex']]]],
            'password' => ['VARCHAR', 'PASSWORD', []],
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
            'maildir_format' => $text,
            'uid' => $int,
            'gid' => $int,
            'postfix' => $yn('n', 'y'),
        ]],
        // sites/form/web_vhost_domain.tform.php
        'web_vhost_domain' => ['table' => 'web_domain', 'index' => 'domain_id', 'fields' => [
            'server_id' => $int,
            'ip_address' => $text,
            'ipv6_address' => $text,
            // QUIRK: the form's default for `type` is 'y'; an insert without
            // it writes '' — a row that is no web site at all.
            'type' => ['VARCHAR', 'SELECT', []],
            'parent_domain_id' => $int,
            'vhost_type' => $text,
            'document_root' => $text,
            'system_user' => $text,
            'system_group' => $text,
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
            'stats_password' => ['VARCHAR', 'PASSWORD', []],
            'active' => $yn('n', 'y'),
        ]],
    ];
    return peer_form_complete($name, $forms[$name] ?? peer_form_more($name));
}

/** The rest of a form's fields, from the committed inventory (our
 *  extractor's reading of the same *.tform.php): an insert writes every
 *  field of the form as the panel does (empty, 0 or unchecked when left
 *  out), and the syntactic validators (NOTEMPTY, REGEX, ISINT) refuse what
 *  the panel's refuse — e.g. client_add without web_php_options or
 *  ssh_chroot, sites_web_domain_add without valid http_port/https_port.
 *  Fields written out above keep their hand-written definition (filters,
 *  quirks); CUSTOM, UNIQUE and the other run-time validators are only
 *  where written out above. */
function peer_form_complete($name, $def) {
    $form = peer_inventory_form($name);
    if ($form === null) {
        return $def;
    }
    // The extractor keeps one definition per field; where a form defines a
    // field differently per branch, the branch the remote API takes may lack
    // the kept definition's validators: web_vhost_domain's web_folder is only
    // NOTEMPTY for sub- and alias domains (the API always builds a domain).
    $other_branch = ['web_vhost_domain' => ['web_folder']];
    foreach ($form['fields'] as $key => $field) {
        if ($field['formtype'] === 'PASSWORD') {
            continue;
        }
        if (in_array($key, $other_branch[$name] ?? [], true)) {
            $field['validators'] = [];
        }
        $validators = [];
        foreach ($field['validators'] ?? [] as $v) {
            if ($v['type'] === 'NOTEMPTY' || $v['type'] === 'ISINT') {
                $validators[] = [$v['type'], null, $v['errmsg']];
            } elseif ($v['type'] === 'REGEX' && isset($v['regex'])) {
                $validators[] = ['REGEX', $v['regex'], $v['errmsg']];
            }
        }
        if (isset($def['fields'][$key])) {
            // Written out above without validators: the form's apply.
            if (empty($def['fields'][$key][2]['validators']) && $validators) {
                $def['fields'][$key][2]['validators'] = $validators;
            }
            continue;
        }
        // A stored row has every column on a panel; our seed rows do not, so
        // an update leaves a column it never had alone (encode() skips it).
        $opts = ['validators' => $validators, 'from_inventory' => true];
        if ($field['formtype'] === 'CHECKBOX') {
            $opts['values'] = $field['options'] ?? ['n', 'y'];
        }
        $def['fields'][$key] = [$field['datatype'], $field['formtype'], $opts];
    }
    return $def;
}

/** The remote method names of the committed inventory of `$version`
 *  (`inventories/ispconfig/versions/<version>.json`), or of the current one. */
function peer_inventory_methods($version = null) {
    $dir = __DIR__ . '/../../../inventories/ispconfig';
    $path = $version === null ? "$dir/inventory.json" : "$dir/versions/" . basename($version) . '.json';
    $inventory = json_decode((string)@file_get_contents($path), true);
    if (!is_array($inventory)) {
        throw new RuntimeException("peer: cannot read the inventory at $path");
    }
    return array_map(function ($op) { return $op['name']; }, $inventory['operations']);
}

/** The PHP parameter names of remote method `$method` in the committed
 *  inventory (empty for a name it lacks). */
function peer_inventory_params($method) {
    static $params = null;
    if ($params === null) {
        $path = __DIR__ . '/../../../inventories/ispconfig/inventory.json';
        $inventory = json_decode((string)@file_get_contents($path), true);
        if (!is_array($inventory)) {
            throw new RuntimeException("peer: cannot read the inventory at $path");
        }
        $params = [];
        foreach ($inventory['operations'] as $op) {
            $params[$op['name']] = array_map(function ($p) { return $p['name']; }, $op['params']);
        }
    }
    return $params[$method] ?? [];
}

/** The inventory's form `<module>/form/<name>.tform.php`, if any. */
function peer_inventory_form($name) {
    static $forms = null;
    if ($forms === null) {
        $path = __DIR__ . '/../../../inventories/ispconfig/inventory.json';
        $inventory = json_decode((string)@file_get_contents($path), true);
        if (!is_array($inventory)) {
            throw new RuntimeException("peer: cannot read the inventory at $path");
        }
        $forms = [];
        foreach ($inventory['forms'] as $form_path => $form) {
            $forms[basename($form_path, '.tform.php')] = $form;
        }
    }
    return $forms[$name] ?? null;
}

/** The record types with a dns_<type>.tform.php, each with the validators of
 *  its `name` and `data` fields and its ttl default. dns_a is above (it
 *  predates this table and keeps its exact field list). */
function peer_dns_types() {
    $name = function ($re) { return [['REGEX', $re, 'name_error_regex']]; };
    $any = '/^[a-zA-Z0-9\.\-\*\_]{0,255}$/';
    $host = [['NOTEMPTY', null, 'data_error_empty'], ['REGEX', '/^[a-zA-Z0-9\.\-\_]{1,255}$/', 'data_error_regex']];
    $notempty = [['NOTEMPTY', null, 'data_error_empty']];
    return [
        'aaaa' => [$name('/^[a-zA-Z0-9\.\-\*]{0,64}$/'), [['NOTEMPTY', null, 'data_error_empty'], ['ISIPV6', null, 'ip_error_wrong']]],
        'alias' => [[['NOTEMPTY', null, 'name_error_empty'], ['REGEX', '/^[a-zA-Z0-9\.\-\_]{1,255}$/', 'name_error_regex']], $host],
        'caa' => [$name($any), []],
        'cname' => [$name($any), $host],
        'dname' => [$name($any), $host],
        'ds' => [$name($any), $notempty],
        'hinfo' => [[['NOTEMPTY', null, 'name_error_empty'], ['REGEX', '/^[a-zA-Z0-9\.\-]{1,64}$/', 'name_error_regex']], $notempty],
        'loc' => [$name($any), $notempty],
        'mx' => [$name('/^[a-zA-Z0-9\.\-\*]{0,255}$/'), [['NOTEMPTY', null, 'data_error_empty'], ['REGEX', '/^[a-zA-Z0-9\.\-]{1,255}$/', 'data_error_regex']]],
        'naptr' => [$name($any), [['NOTEMPTY', null, 'data_error_empty'],
            ['REGEX', '/^\s*(\d+)\s+"([a-zA-Z0-9]*)"\s+"([^"]*)"\s+"(.*)"\s+([^\s]*\.)\s*$/', 'naptr_error_regex']]],
        'ns' => [$name('/^[_a-zA-Z0-9\.\-]{0,255}$/'), [['NOTEMPTY', null, 'data_error_empty'], ['REGEX', '/^[a-zA-Z0-9\.\-]{1,255}$/', 'data_error_regex']]],
        'ptr' => [$name('/^[a-zA-Z0-9\.\-]{1,256}$/'), [['NOTEMPTY', null, 'data_error_empty'], ['REGEX', '/^[a-zA-Z0-9\.\-]{1,256}$/', 'data_error_regex']]],
        'rp' => [$name($any), [['NOTEMPTY', null, 'data_error_empty'], ['REGEX', '/^[\w\.\-\s]{1,128}$/', 'data_error_regex']]],
        'srv' => [$name($any), [['NOTEMPTY', null, 'data_error_empty'], ['REGEX', '/^[\w\.\-]{0,64}\s[\w\.\-]{0,64}\s[\w\.\-]{0,64}$/', 'srv_error_regex']]],
        'sshfp' => [$name($any), $notempty],
        'tlsa' => [$name('/^\_\d{1,5}\.\_(tcp|udp)\.[a-zA-Z0-9\.\-]{1,255}$/'), [['NOTEMPTY', null, 'data_error_empty'], ['REGEX', '/^\d \d \d [a-zA-Z0-9]*$/', 'data_error_regex']]],
        'txt' => [$name('/^(\*\.|[a-zA-Z0-9\.\-\_]){0,255}$/'), [['NOTEMPTY', null, 'data_error_empty'],
            ['REGEX', '/^((?!v=DKIM).)*$/s', 'invalid_type_dkim'], ['REGEX', '/^((?!v=DMARC1; ).)*$/s', 'invalid_type_dmarc'],
            ['REGEX', '/^((?!v=spf).)*$/s', 'invalid_type_spf']]],
    ];
}

/** The forms added for the overlay's methods (same conventions as peer_form). */
function peer_form_more($name) {
    $int = ['INTEGER', 'TEXT', []];
    $text = ['VARCHAR', 'TEXT', []];
    $yn = function ($off, $on) { return ['VARCHAR', 'CHECKBOX', ['values' => [$off, $on]]]; };
    $lower = ['filters' => ['IDNTOASCII', 'TOLOWER']];
    if (strpos($name, 'dns_') === 0 && isset(peer_dns_types()[substr($name, 4)])) {
        list($name_validators, $data_validators) = peer_dns_types()[substr($name, 4)];
        return ['table' => 'dns_rr', 'index' => 'id', 'fields' => [
            'server_id' => $int,
            'zone' => $int,
            'name' => ['VARCHAR', 'TEXT', $lower + ['validators' => $name_validators]],
            'type' => $text, // QUIRK: never set by dns_<type>_add
            'data' => ['VARCHAR', 'TEXT', ['validators' => $data_validators]],
            'aux' => $int,
            'ttl' => ['INTEGER', 'TEXT', ['validators' => [['RANGE', '60:', 'ttl_range_error']]]],
            'active' => $yn('N', 'Y'),
            'stamp' => $text,
            'serial' => $int,
        ]];
    }
    // The mail_forwarding forms: `type` is a SELECT of the form, never set by
    // the *_add methods (QUIRK), so a row added without it is of no kind.
    $forwarding = function ($source, $destination, $flags) use ($int, $text, $yn) {
        $fields = ['server_id' => $int, 'source' => $source, 'destination' => $destination,
            'type' => ['VARCHAR', 'SELECT', []], 'active' => $yn('n', 'y')];
        if ($flags) {
            $fields['allow_send_as'] = $yn('n', 'y');
            $fields['greylisting'] = $yn('n', 'y');
        }
        return ['table' => 'mail_forwarding', 'index' => 'forwarding_id', 'fields' => $fields];
    };
    $email = ['VARCHAR', 'TEXT', $lower + ['validators' => [['ISEMAIL', null, 'email_error_isemail']]]];
    $site_fields = ['server_id' => $int, 'parent_domain_id' => $int];
    $forms = [
        // mail/form/mail_alias.tform.php, mail_forward, mail_domain_catchall, mail_aliasdomain
        'mail_alias' => $forwarding($email, ['VARCHAR', 'SELECT', $lower + ['validators' => [['ISEMAIL', null, 'destination_error_isemail']]]], true),
        'mail_forward' => $forwarding($email, ['VARCHAR', 'TEXT', $lower], true),
        'mail_domain_catchall' => $forwarding(['VARCHAR', 'TEXT', $lower + ['validators' => [['NOTEMPTY', null, 'domain_error_empty'],
            ['UNIQUE', null, 'domain_error_unique'], ['REGEX', '/^\@[\w\.\-]{1,255}\.[a-zA-Z\-]{2,63}$/', 'domain_error_regex']]]],
            ['VARCHAR', 'TEXT', $lower + ['validators' => [['ISEMAILADDRESS', null, 'destination_error_isemail']]]], true),
        'mail_aliasdomain' => $forwarding(['VARCHAR', 'TEXT', $lower + ['validators' => [['NOTEMPTY', null, 'source_error_empty'],
            ['UNIQUE', null, 'source_error_unique'], ['REGEX', '/^\@[\w\.\-]{1,255}\.[a-zA-Z0-9\-]{2,63}$/', 'source_error_regex']]]],
            ['VARCHAR', 'TEXT', $lower], false),
        // mail/form/mail_get.tform.php (fetchmail): source_password is a
        // TEXT field, stored and answered in clear; the rest from the inventory.
        'mail_get' => ['table' => 'mail_get', 'index' => 'mailget_id', 'fields' => [
            'server_id' => $int,
            'source_server' => ['VARCHAR', 'TEXT', $lower + ['validators' => [['NOTEMPTY', null, 'source_server_error_isempty']]]],
            'source_username' => ['VARCHAR', 'TEXT', ['filters' => ['STRIPTAGS', 'STRIPNL'],
                'validators' => [['NOTEMPTY', null, 'source_username_error_isempty']]]],
            'source_password' => ['VARCHAR', 'TEXT', ['validators' => [['NOTEMPTY', null, 'source_password_error_isempty']]]],
            'active' => $yn('n', 'y'),
        ]],
        // sites/form/ftp_user.tform.php
        'ftp_user' => ['table' => 'ftp_user', 'index' => 'ftp_user_id', 'fields' => $site_fields + [
            'username' => ['VARCHAR', 'TEXT', ['validators' => [['UNIQUE', null, 'username_error_unique'],
                ['REGEX', '/^[\w\.\-@\+]{0,64}$/', 'username_error_regex']]]],
            'password' => ['VARCHAR', 'PASSWORD', []],
            'quota_size' => ['INTEGER', 'TEXT', ['validators' => [['NOTEMPTY', null, 'quota_size_error_empty'],
                ['REGEX', '/^(\-1|[0-9]{1,10})$/', 'quota_size_error_regex']]]],
            'active' => $yn('n', 'y'),
            'uid' => ['VARCHAR', 'TEXT', ['validators' => [['NOTEMPTY', null, 'uid_error_empty']]]],
            'gid' => ['VARCHAR', 'TEXT', ['validators' => [['NOTEMPTY', null, 'gid_error_empty']]]],
            'dir' => ['VARCHAR', 'TEXT', ['validators' => [['NOTEMPTY', null, 'directory_error_empty'],
                ['REGEX', '/^\/[a-zA-Z0-9\ \.\-\_\/]{7,128}$/', 'directory_error_regex']]]],
            'quota_files' => $int, 'ul_ratio' => $int, 'dl_ratio' => $int, 'ul_bandwidth' => $int, 'dl_bandwidth' => $int,
        ]],
        // sites/form/shell_user.tform.php
        'shell_user' => ['table' => 'shell_user', 'index' => 'shell_user_id', 'fields' => $site_fields + [
            'username' => ['VARCHAR', 'TEXT', ['validators' => [['UNIQUE', null, 'username_error_unique'],
                ['REGEX', '/^[\w\.\-]{0,32}$/', 'username_error_regex']]]],
            'password' => ['VARCHAR', 'PASSWORD', []],
            'chroot' => ['VARCHAR', 'SELECT', []],
            'quota_size' => ['INTEGER', 'TEXT', ['validators' => [['NOTEMPTY', null, 'quota_size_error_empty']]]],
            'active' => $yn('n', 'y'),
            'puser' => ['VARCHAR', 'TEXT', ['validators' => [['NOTEMPTY', null, 'uid_error_empty']]]],
            'pgroup' => ['VARCHAR', 'TEXT', ['validators' => [['NOTEMPTY', null, 'uid_error_empty']]]],
            'shell' => ['VARCHAR', 'TEXT', ['validators' => [['NOTEMPTY', null, 'shell_error_empty'],
                ['REGEX', '/^\/[a-zA-Z0-9\/]{5,20}$/', 'shell_error_regex']]]],
            'dir' => ['VARCHAR', 'TEXT', ['validators' => [['NOTEMPTY', null, 'directory_error_empty'],
                ['REGEX', '/^\/[a-zA-Z0-9\ \.\-\_\/]{10,128}$/', 'directory_error_regex']]]],
        ]],
        // sites/form/cron.tform.php (the CUSTOM run-time validators reduced to a regex)
        'cron' => ['table' => 'cron', 'index' => 'id', 'fields' => [
            'server_id' => ['INTEGER', 'SELECT', ['validators' => [['NOTEMPTY', null, 'server_id_error_empty']]]],
            'parent_domain_id' => $int,
            'run_min' => ['VARCHAR', 'TEXT', ['validators' => [['REGEX', '/^[0-9\*\/,\-]+$/', 'run_min_error_format']]]],
            'run_hour' => ['VARCHAR', 'TEXT', ['validators' => [['REGEX', '/^[0-9\*\/,\-]+$/', 'run_hour_error_format']]]],
            'run_mday' => ['VARCHAR', 'TEXT', ['validators' => [['REGEX', '/^[0-9\*\/,\-]+$/', 'run_mday_error_format']]]],
            'run_month' => ['VARCHAR', 'TEXT', ['validators' => [['REGEX', '/^[0-9a-z\*\/,\-]+$/', 'run_month_error_format']]]],
            'run_wday' => ['VARCHAR', 'TEXT', ['validators' => [['REGEX', '/^[0-9a-z\*\/,\-]+$/', 'run_wday_error_format']]]],
            'command' => ['VARCHAR', 'TEXT', ['validators' => [['NOTEMPTY', null, 'command_error_empty']]]],
            'type' => ['VARCHAR', 'SELECT', []],
            'log' => $yn('n', 'y'),
            'active' => $yn('n', 'y'),
        ]],
        // sites/form/database.tform.php
        'database' => ['table' => 'web_database', 'index' => 'database_id', 'fields' => $site_fields + [
            'type' => ['VARCHAR', 'SELECT', []],
            'backup_interval' => ['VARCHAR', 'SELECT', []],
            'database_name' => ['VARCHAR', 'TEXT', ['validators' => [['NOTEMPTY', null, 'database_name_error_empty'],
                ['REGEX', '/^[a-zA-Z0-9_]{2,64}$/', 'database_name_error_regex']]]],
            'database_quota' => ['INTEGER', 'TEXT', ['validators' => [['ISINT', null, 'limit_database_quota_error_notint']]]],
            'database_user_id' => $int,
            'database_ro_user_id' => $int,
            'database_charset' => ['VARCHAR', 'SELECT', []],
            'remote_access' => $yn('n', 'y'),
            'active' => $yn('n', 'y'),
            'remote_ips' => ['TEXT', 'TEXT', []],
        ]],
        // sites/form/database_user.tform.php
        'database_user' => ['table' => 'web_database_user', 'index' => 'database_user_id', 'fields' => [
            'server_id' => $int,
            'database_user' => ['VARCHAR', 'TEXT', ['validators' => [['NOTEMPTY', null, 'database_user_error_empty'],
                ['UNIQUE', null, 'database_user_error_unique'], ['REGEX', '/^[a-zA-Z0-9_]{2,64}$/', 'database_user_error_regex']]]],
            'database_password' => ['VARCHAR', 'PASSWORD', []],
        ]],
    ];
    return $forms[$name];
}
