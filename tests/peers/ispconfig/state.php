<?php
// Peer state: one JSON file (PANELKIT_PEER_STATE) standing in for the panel's
// database. `php -S` with PHP_CLI_SERVER_WORKERS serves requests from several
// processes, so every request holds an exclusive flock on the file from its
// first line to its last (like one transaction per request) and writes the
// state back at shutdown — also when the request ends in a SoapFault, an
// uncaught error or a die() (a failed login must still be counted).

/** The state of this request, loaded by peer_begin(). */
function &peer() {
    static $state = null;
    return $state;
}

/** Locks and loads the state (seeding it on first use). $in_flight: count
 *  this request among the remote calls in flight (not the control endpoints). */
function peer_begin($in_flight = false) {
    $path = getenv('PANELKIT_PEER_STATE');
    if (!$path) {
        http_response_code(500);
        die("PANELKIT_PEER_STATE is not set\n");
    }
    if ($in_flight) {
        peer_in_flight(+1);
    }
    $fp = fopen($path, 'c+');
    flock($fp, LOCK_EX);
    $text = stream_get_contents($fp);
    $state = &peer();
    $state = $text ? json_decode($text, true) : peer_seed();
    register_shutdown_function(function () use ($fp) {
        ftruncate($fp, 0);
        rewind($fp);
        fwrite($fp, json_encode(peer(), JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES));
        fflush($fp);
        flock($fp, LOCK_UN);
        fclose($fp);
    });
    if ($in_flight) {
        // Registered after the state's writer, so it runs last.
        register_shutdown_function(function () { peer_in_flight(-1); });
    }
}

/** Remote calls between arrival and answer, across the server's workers, and
 *  the most seen at once. Kept apart from the state file: requests queue on
 *  that one's lock, and a request waiting there is in flight all the same. */
function peer_in_flight($delta) {
    $fp = fopen(getenv('PANELKIT_PEER_STATE') . '.inflight', 'c+');
    flock($fp, LOCK_EX);
    $c = json_decode(stream_get_contents($fp) ?: '{"now":0,"max":0}', true);
    if ($delta === 0) {
        $c['max'] = $c['now']; // reset: the most at once from now on
    }
    $c['now'] = max(0, $c['now'] + (int)$delta); // null: only read
    $c['max'] = max($c['max'], $c['now']);
    ftruncate($fp, 0);
    rewind($fp);
    fwrite($fp, json_encode($c));
    fflush($fp);
    flock($fp, LOCK_UN);
    fclose($fp);
    return $c;
}

/** A private key block shaped like the panel's (ssh-keygen's OpenSSH
 *  format for client.id_rsa, PEM for ssl_key and dkim_private): base64
 *  lines between the BEGIN/END lines. Deterministic for a seed (the seed
 *  rows), random without one (keys the peer makes, as client_add does). */
function peer_private_key($label, $seed = null, $lines = 6) {
    $bytes = '';
    $block = $seed === null ? random_bytes(64) : hash('sha512', $seed, true);
    while (strlen($bytes) < $lines * 48) {
        $bytes .= $block;
        $block = hash('sha512', $block, true);
    }
    $prefix = $label === 'OPENSSH PRIVATE KEY' ? "openssh-key-v1\0" : '';
    $width = $label === 'OPENSSH PRIVATE KEY' ? 70 : 64;
    $body = chunk_split(base64_encode($prefix . substr($bytes, 0, $lines * 48)), $width, "\n");
    return "-----BEGIN $label-----\n$body-----END $label-----\n";
}

/** What klientadd's generate_ssh_key stores for a new client (client.id_rsa,
 *  client.ssh_rsa): a key pair made by ssh-keygen, the private half in full. */
function peer_ssh_key_pair($username, $seed = null) {
    $public = 'ssh-rsa ' . base64_encode(hash('sha512', ($seed ?? random_bytes(16)) . 'pub', true))
        . " $username-rsa-key-1764806400\n";
    return ['id_rsa' => peer_private_key('OPENSSH PRIVATE KEY', $seed), 'ssh_rsa' => $public];
}

/** The test-only control endpoints under /_peer/ (plain HTTP + JSON). */
function peer_control($action) {
    $s = &peer();
    $method = $_SERVER['REQUEST_METHOD'];
    header('Content-Type: application/json');
    if ($action === 'stats' && $method === 'GET') {
        $live = 0;
        foreach ($s['sessions'] as $session) {
            $live += $session['expires'] >= microtime(true) ? 1 : 0;
        }
        echo json_encode([
            'login_calls' => $s['login_calls'],
            'calls' => (object)$s['calls'],
            'session_failures' => $s['session_failures'],
            'failed_attempts' => peer_failed_attempts(),
            'counted' => $s['counted'] ?? 0,
            'refused' => $s['refused'] ?? 0,
            'live_sessions' => $live,
            'max_in_flight' => peer_in_flight(null)['max'],
        ]);
    } elseif (preg_match('#^received/([a-z_]+)$#', $action, $m) && $method === 'GET') {
        // The parameters the last call of a remote method arrived with (the
        // session id first), as ext/soap decoded them: what a client sent.
        echo json_encode($s['received'][$m[1]] ?? null, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES);
    } elseif ($action === 'expire_sessions' && $method === 'POST') {
        // As if every session reached its end of life (remote_session.tstamp).
        $s['sessions'] = [];
        echo '{"ok":true}';
    } elseif (preg_match('#^table/([a-z_]+)$#', $action, $m) && $method === 'GET') {
        // The stored rows of one table, for tests that compare what a call
        // wrote with what the panel's GUI would store.
        echo json_encode((object)($s['tables'][$m[1]] ?? []));
    } elseif (preg_match('#^gui_password/([^/]+)/([^/]+)$#', $action, $m) && $method === 'POST') {
        // What the GUI's password change does: sys_user.passwort only.
        foreach ($s['tables']['sys_user'] as $key => $user) {
            if ($user['username'] === urldecode($m[1])) {
                $s['tables']['sys_user'][$key]['passwort'] = peer_crypt(urldecode($m[2]));
            }
        }
        echo '{"ok":true}';
    } elseif ($action === 'reset' && $method === 'POST') {
        $s = peer_seed();
        peer_in_flight(0);
        echo '{"ok":true}';
    } else {
        http_response_code(404);
        echo json_encode(['error' => "no control endpoint $method /_peer/$action"]);
    }
}

/** The attempts_login counter of our (only) client IP while it is alive: the
 *  panel only looks at a row whose login_time is within the last 5 minutes. */
function peer_failed_attempts() {
    $a = peer()['attempts'];
    return ($a !== null && $a['at'] > time() - 300) ? $a['times'] : 0;
}

/** One more failed login or session lookup from our IP (attempts_login):
 *  the row's count goes up and its time moves to now, or a new row starts at
 *  1 when the last one is older than 5 minutes. `counted` keeps the total for
 *  the tests (a successful login clears the row, not the total). */
function peer_count_failure() {
    $s = &peer();
    $times = peer_failed_attempts();
    $s['attempts'] = ['times' => $times + 1, 'at' => time()];
    $s['counted'] = ($s['counted'] ?? 0) + 1;
}

/** A refusal because of the lockout (login_failure_limit,
 *  session_failure_limit): not counted by the panel, totalled for the tests. */
function peer_refuse($code, $message) {
    $s = &peer();
    $s['refused'] = ($s['refused'] ?? 0) + 1;
    throw new SoapFault($code, $message);
}

/** Seed rows. Database rows carry every value as a string (or null for SQL
 *  NULL), in the column order of the panel's tables, as mysqli returns them. */
function peer_seed() {
    $perm = ['sys_perm_user' => 'riud', 'sys_perm_group' => 'riud', 'sys_perm_other' => ''];
    $zone = function ($id, $group, $origin, $serial) use ($perm) {
        return ['id' => "$id", 'sys_userid' => '1', 'sys_groupid' => "$group"] + $perm + [
            'server_id' => '1', 'origin' => $origin, 'ns' => 'ns1.example.net.', 'mbox' => "hostmaster.$origin",
            'serial' => $serial, 'refresh' => '7200', 'retry' => '540', 'expire' => '604800', 'minimum' => '3600',
            'ttl' => '3600', 'active' => 'Y', 'xfer' => '', 'also_notify' => '', 'update_acl' => '',
            'dnssec_initialized' => 'N', 'dnssec_wanted' => 'N', 'dnssec_algo' => 'ECDSAP256SHA256',
            'dnssec_last_signed' => '0', 'dnssec_info' => null];
    };
    $rr = function ($id, $zone, $name, $type, $data, $aux = '0') use ($perm) {
        return ['id' => "$id", 'sys_userid' => '1', 'sys_groupid' => '3'] + $perm + [
            'server_id' => '1', 'zone' => "$zone", 'name' => $name, 'type' => $type, 'data' => $data,
            'aux' => $aux, 'ttl' => '3600', 'active' => 'Y', 'stamp' => '2026-11-24 01:00:00', 'serial' => null];
    };
    $client = function ($id, $company, $contact, $email, $limit_client, $parent, $tpl = '') use ($perm) {
        return ['client_id' => "$id", 'sys_userid' => (string)($id + 1), 'sys_groupid' => (string)($id + 1)] + $perm + [
            'company_name' => $company, 'contact_name' => $contact, 'customer_no' => "C$id", 'username' => "client$id",
            'email' => $email, 'language' => 'en', 'usertheme' => 'default', 'template_master' => '0',
            'template_additional' => $tpl, 'limit_web_domain' => '-1',
            'limit_client' => "$limit_client", 'parent_client_id' => "$parent", 'locked' => 'n', 'canceled' => 'n',
            'web_php_options' => 'no,fast-cgi,cgi,mod,suphp,php-fpm', 'ssh_chroot' => 'no,jailkit',
            'created_at' => null] + peer_ssh_key_pair("client$id", "client$id");
    };
    $web = function ($id, $client, $domain, $log_retention, $pm) use ($perm) {
        $group = $client + 1;
        return ['domain_id' => "$id", 'sys_userid' => "$group", 'sys_groupid' => "$group"] + $perm + [
            'server_id' => '1', 'ip_address' => '*', 'ipv6_address' => '', 'domain' => $domain, 'type' => 'vhost',
            'parent_domain_id' => '0',
            'vhost_type' => 'name', 'document_root' => "/var/www/clients/client$client/web$id", 'system_user' => "web$id",
            'system_group' => "client$client", 'hd_quota' => '1000', 'traffic_quota' => '-1', 'php' => 'php-fpm',
            'pm' => 'ondemand', 'pm_max_children' => $pm[0], 'pm_start_servers' => $pm[1],
            'pm_min_spare_servers' => $pm[2], 'pm_max_spare_servers' => $pm[3], 'log_retention' => $log_retention,
            'pm_max_requests' => '0', 'pm_process_idle_timeout' => '10', 'allow_override' => 'All',
            'http_port' => '80', 'https_port' => '443', 'web_folder' => '',
            'active' => 'y', 'last_quota_notification' => null,
            // The TLS pair as the panel stores it (the ssl tab): the key in
            // full, PEM; the backup passphrase in clear.
            'ssl' => 'y', 'ssl_domain' => $domain, 'ssl_request' => '',
            'ssl_cert' => "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUP33r$id\n-----END CERTIFICATE-----\n",
            'ssl_bundle' => '', 'ssl_key' => peer_private_key('PRIVATE KEY', "web$id"), 'ssl_action' => '',
            'backup_interval' => 'none', 'backup_copies' => '1',
            'backup_format_web' => 'default', 'backup_format_db' => 'gzip', 'backup_encrypt' => 'y',
            'backup_password' => "Backup-$id-Passphrase"];
    };
    $fwd = function ($id, $source, $destination, $type) use ($perm) {
        return ['forwarding_id' => "$id", 'sys_userid' => '3', 'sys_groupid' => '3'] + $perm + [
            'server_id' => '2', 'source' => $source, 'destination' => $destination, 'type' => $type,
            'active' => 'y', 'allow_send_as' => 'n', 'greylisting' => 'n'];
    };
    return [
        'login_calls' => 0,
        'calls' => [],
        'session_failures' => 0,
        'attempts' => null,
        'counted' => 0,
        'refused' => 0,
        'sessions' => [],
        'jobqueue' => 3,
        // Server configuration as the panel's ini parser returns it: sections
        // of strings. get_server_config(unknown id) parses an empty string.
        'server_config' => [
            '1' => [
                'global' => ['hostname' => 'panel.example.com', 'ip_address' => '192.0.2.1', 'loglevel' => '2',
                    'admin_notify_events' => '1', 'backup_dir' => '/var/backup'],
                'web' => ['server_type' => 'nginx', 'website_basedir' => '/var/www',
                    'website_path' => '/var/www/clients/client[client_id]/web[website_id]',
                    'php_ini_path_cgi' => '/etc/php/8.2/cgi/php.ini', 'nginx_user' => 'www-data'],
                'dns' => ['bind_user' => 'bind', 'bind_group' => 'bind', 'bind_zonefiles_dir' => '/etc/bind'],
                // The server_config form's server tab: monitoring logins in clear.
                'server' => ['monit_url' => '', 'monit_user' => 'monit', 'monit_password' => 'Monit-Pw-31',
                    'munin_url' => '', 'munin_user' => 'munin', 'munin_password' => 'Munin-Pw-32'],
                // As server_ini.master and a Debian install leave it.
                'mail' => ['module' => 'postfix_mysql', 'maildir_path' => '/var/vmail/[domain]/[localpart]',
                    'homedir_path' => '/var/vmail', 'maildir_format' => 'maildir', 'mailuser_uid' => '5000',
                    'mailuser_gid' => '5000', 'mailbox_virtual_uidgid_maps' => 'n', 'pop3_imap_daemon' => 'dovecot'],
                'rescue' => [],
            ],
            '2' => [
                'global' => ['hostname' => 'mx.example.com', 'ip_address' => '192.0.2.2', 'loglevel' => '2',
                    'admin_notify_events' => '1', 'backup_dir' => '/var/backup'],
                'mail' => ['module' => 'postfix_mysql', 'maildir_path' => '/srv/mail/[domain]/[localpart]',
                    'homedir_path' => '/srv/mail', 'maildir_format' => 'mdbox', 'mailuser_uid' => '5000',
                    'mailuser_gid' => '5000', 'mailbox_virtual_uidgid_maps' => 'y', 'pop3_imap_daemon' => 'dovecot',
                    // The mail tab's relay and rspamd logins, stored in clear.
                    'relayhost' => '[smtp.relay.example]:587', 'relayhost_user' => 'mx-relay',
                    'relayhost_password' => 'Relay-Pw-Q9z', 'content_filter' => 'rspamd',
                    'rspamd_password' => 'Rspamd-Web-Pw-4', 'rspamd_redis_servers' => '127.0.0.1:6379',
                    'rspamd_redis_password' => 'Redis-Pw-5', 'rspamd_redis_bayes_password' => 'Redis-Bayes-Pw-6'],
            ],
        ],
        // The system configuration (sys_ini), same shape.
        'sys_ini' => [
            'misc' => ['company_name' => "Grüße & Söhne <GmbH> \"東京\" 'Tokyo' 🚀",
                'dashboard_atom_url_admin' => 'https://www.ispconfig.org/atom', 'maintenance_mode' => 'n'],
            'sites' => ['dbname_prefix' => 'c[CLIENTID]', 'dbuser_prefix' => 'c[CLIENTID]', 'web_php_options' => 'no,fast-cgi,mod,php-fpm'],
            'mail' => ['mailbox_show_autoresponder_tab' => 'y', 'mailbox_quota_stats' => 'y'],
        ],
        // Harddisk quota as the monitor collected it (serialized PHP data in
        // monitor_data): numbers, not strings.
        'monitor_quota' => [
            'web1' => ['used' => 512000, 'soft' => 1024000, 'hard' => 2048000, 'files' => 1234],
            'web2' => ['used' => 0, 'soft' => 0, 'hard' => 0, 'files' => 0],
        ],
        'tables' => [
            'server' => [
                '1' => ['server_id' => '1', 'server_name' => 'panel.example.com', 'updated' => '41'],
                '2' => ['server_id' => '2', 'server_name' => 'mx.example.com', 'updated' => '41'],
            ],
            'sys_user' => [
                '1' => ['userid' => '1', 'username' => 'admin', 'passwort' => peer_crypt('admin-pw'), 'typ' => 'admin', 'default_group' => '1', 'client_id' => '0'],
                '2' => ['userid' => '2', 'username' => 'client1', 'passwort' => peer_crypt('client1-pw'), 'typ' => 'user', 'default_group' => '2', 'client_id' => '1'],
                '3' => ['userid' => '3', 'username' => 'client2', 'passwort' => peer_crypt('client2-pw'), 'typ' => 'user', 'default_group' => '3', 'client_id' => '2'],
                '4' => ['userid' => '4', 'username' => 'client3', 'passwort' => peer_crypt('client3-pw'), 'typ' => 'user', 'default_group' => '4', 'client_id' => '3'],
                '5' => ['userid' => '5', 'username' => 'client4', 'passwort' => peer_crypt('client4-pw'), 'typ' => 'user', 'default_group' => '5', 'client_id' => '4'],
            ],
            // sys_group: each client's group; the admin's group belongs to client 0.
            'sys_group' => [
                '1' => ['groupid' => '1', 'name' => 'admin', 'client_id' => '0'],
                '2' => ['groupid' => '2', 'name' => 'client1', 'client_id' => '1'],
                '3' => ['groupid' => '3', 'name' => 'client2', 'client_id' => '2'],
                '4' => ['groupid' => '4', 'name' => 'client3', 'client_id' => '3'],
                '5' => ['groupid' => '5', 'name' => 'client4', 'client_id' => '4'],
            ],
            'ftp_user' => [],
            'shell_user' => [],
            'cron' => [],
            'web_database' => [],
            'web_database_user' => [],
            'sys_config' => [
                '1' => ['group' => 'interface', 'name' => 'motd', 'value' => "Wartung: <b>Sonntag</b> & \"später\" 🙂"],
            ],
            'client' => [
                '1' => $client(1, 'Grüße GmbH', '東京 Taro 🙂', 'taro@example.com', 0, 4),
                '2' => $client(2, 'A_B Ltd', 'Ann <ann@example.com> & "Co"', 'ann@example.com', 0, 0),
                '3' => $client(3, 'AxB Ltd', 'Bob', 'bob@example.com', 0, 0),
                '4' => $client(4, 'Reseller & Söhne', 'Rita', 'rita@example.com', 10, 0),
            ],
            'client_template_assigned' => [
                '1' => ['assigned_template_id' => '1', 'client_id' => '1', 'client_template_id' => '2'],
            ],
            // The .au zone comes first: dns_zone_get_id('example.com') matches
            // `origin LIKE 'example.com%'` without ORDER BY and finds it.
            'dns_soa' => [
                '1' => $zone(1, 5, 'example.com.au.', '2026010101'),
                '2' => $zone(2, 3, 'example.com.', '2026112401'),
                '3' => $zone(3, 3, 'empty.example.', '2026010101'),
            ],
            'dns_rr' => [
                '10' => $rr(10, 2, 'www', 'A', '192.0.2.10'),
                '11' => $rr(11, 2, 'example.com.', 'MX', 'mail.example.com.', '10'),
                '12' => $rr(12, 2, 'txt', 'TXT', 'v=spf1 a mx ~all <&> "quoted" \'single\' Grüße 東京 🙂'),
                '13' => $rr(13, 2, 'xn--mnchen-3ya', 'CNAME', 'www.example.com.'),
                '14' => $rr(14, 1, 'www', 'A', '198.51.100.1'),
            ],
            'mail_domain' => [
                '1' => ['domain_id' => '1', 'sys_userid' => '3', 'sys_groupid' => '3'] + $perm
                    + ['server_id' => '2', 'domain' => 'example.com', 'dkim' => 'n', 'dkim_selector' => 'default',
                        // The DKIM pair as the panel's GUI generates and stores
                        // it (kept when DKIM is switched off again).
                        'dkim_private' => peer_private_key('RSA PRIVATE KEY', 'dkim1'),
                        'dkim_public' => "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A\n-----END PUBLIC KEY-----\n",
                        'active' => 'y'],
            ],
            'mail_forwarding' => [
                '1' => $fwd(1, 'sales@example.com', 'info@example.com', 'alias'),
                '2' => $fwd(2, 'team@example.com', 'ann@example.org, bob@example.org', 'forward'),
            ],
            'mail_user' => [
                '1' => ['mailuser_id' => '1', 'sys_userid' => '3', 'sys_groupid' => '3'] + $perm + [
                    'server_id' => '2', 'email' => 'info@example.com', 'login' => 'info@example.com',
                    'password' => '$6$rounds=5000$saltsalt$hash', 'name' => 'Info Grüße', 'uid' => '5000', 'gid' => '5000',
                    'maildir' => '/var/vmail/example.com/info', 'quota' => '1073741824', 'cc' => '',
                    'autoresponder' => 'y', 'autoresponder_text' => "Bin im Urlaub.\r\nGrüße <Team> & \"Co\"",
                    'move_junk' => 'n', 'disableimap' => 'n', 'disablepop3' => 'n', 'maildir_format' => 'maildir',
                    'postfix' => 'y', 'last_quota_notification' => null],
            ],
            // mail_get (fetchmail): the password is stored in clear, for the
            // mail server to log in to the source account.
            'mail_get' => [
                '1' => ['mailget_id' => '1', 'sys_userid' => '3', 'sys_groupid' => '3'] + $perm + [
                    'server_id' => '2', 'type' => 'imapssl', 'source_server' => 'imap.example.org',
                    'source_username' => 'info@example.org', 'source_password' => 'Fetch-Source-Pw-7',
                    'source_delete' => 'n', 'source_read_all' => 'y', 'destination' => 'info@example.com',
                    'active' => 'y'],
            ],
            'web_domain' => [
                '1' => $web(1, 2, 'example.com', '90', ['20', '4', '2', '6']),
                '2' => $web(2, 3, 'shop.example.com', '30', ['10', '2', '1', '3']),
            ],
        ],
    ];
}
