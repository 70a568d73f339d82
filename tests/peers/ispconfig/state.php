<?php
// Peer state in a JSON file (PANELKIT_PEER_STATE), locked with flock because
// `php -S` may serve requests from several workers at once.

function peer_state_path() {
    $path = getenv('PANELKIT_PEER_STATE');
    if (!$path) {
        throw new RuntimeException('PANELKIT_PEER_STATE is not set');
    }
    return $path;
}

/** Runs $fn(&$state) under an exclusive lock and saves the state afterwards,
 *  also when $fn throws (a failed login must still be counted). */
function with_state(callable $fn) {
    $fp = fopen(peer_state_path(), 'c+');
    flock($fp, LOCK_EX);
    $text = stream_get_contents($fp);
    $state = $text ? json_decode($text, true) : peer_seed();
    try {
        return $fn($state);
    } finally {
        ftruncate($fp, 0);
        rewind($fp);
        fwrite($fp, json_encode($state));
        fflush($fp);
        flock($fp, LOCK_UN);
        fclose($fp);
    }
}

function peer_control($action) {
    header('Content-Type: application/json');
    switch ($action) {
        case 'stats':
            echo with_state(function (&$s) {
                return json_encode(['login_calls' => $s['login_calls'], 'calls' => (object)$s['calls']]);
            });
            return;
        case 'expire_sessions':
            with_state(function (&$s) { $s['sessions'] = []; });
            echo '{"ok":true}';
            return;
        case 'reset':
            with_state(function (&$s) { $s = peer_seed(); });
            echo '{"ok":true}';
            return;
    }
    http_response_code(404);
    echo '{"error":"unknown control action"}';
}

/** Seed rows. Database rows carry every value as a string, as the panel's do. */
function peer_seed() {
    $zone = function ($id, $origin, $client) {
        return ['id' => (string)$id, 'server_id' => '1', 'sys_userid' => '1', 'sys_groupid' => (string)$client,
            'origin' => $origin, 'ns' => 'ns1.example.net.', 'mbox' => 'hostmaster.' . $origin,
            'serial' => '2026112401', 'refresh' => '7200', 'retry' => '540', 'expire' => '604800',
            'minimum' => '3600', 'ttl' => '3600', 'active' => 'Y', 'xfer' => '', 'also_notify' => '',
            'update_acl' => '', 'dnssec_wanted' => 'N', 'dnssec_info' => ''];
    };
    $rr = function ($id, $zone, $name, $type, $data, $aux = '0') {
        return ['id' => (string)$id, 'server_id' => '1', 'sys_userid' => '1', 'sys_groupid' => '2',
            'zone' => (string)$zone, 'name' => $name, 'type' => $type, 'data' => $data, 'aux' => $aux,
            'ttl' => '3600', 'active' => 'Y', 'stamp' => '2026-11-24 01:00:00', 'serial' => '1'];
    };
    return [
        'login_calls' => 0,
        'failed_logins' => [],
        'calls' => [],
        'sessions' => [],
        'next_id' => 100,
        'tables' => [
            // The .au zone comes first: dns_zone_get_id('example.com') matches
            // `origin LIKE 'example.com%'` without ordering and finds it.
            'dns_soa' => [
                '1' => $zone(1, 'example.com.au.', 3),
                '2' => $zone(2, 'example.com.', 2),
                '3' => $zone(3, 'empty.example.', 2),
            ],
            'dns_rr' => [
                '10' => $rr(10, 2, 'www', 'A', '192.0.2.10'),
                '11' => $rr(11, 2, 'example.com.', 'MX', 'mail.example.com.', '10'),
                '12' => $rr(12, 2, 'txt', 'TXT', 'v=spf1 a mx ~all <&> "quoted" \'single\''),
                '13' => $rr(13, 2, 'münchen', 'CNAME', 'xn--mnchen-3ya.example.com.'),
                '14' => $rr(14, 1, 'www', 'A', '198.51.100.1'),
            ],
            'client' => [
                '1' => ['client_id' => '1', 'sys_userid' => '2', 'company_name' => 'Grüße GmbH', 'contact_name' => '東京 Taro 🙂',
                    'username' => 'c1', 'email' => 'taro@example.com', 'limit_web_domain' => '-1', 'parent_client_id' => '0'],
                '2' => ['client_id' => '2', 'sys_userid' => '3', 'company_name' => 'A_B Ltd', 'contact_name' => 'Ann',
                    'username' => 'c2', 'email' => 'ann@example.com', 'limit_web_domain' => '10', 'parent_client_id' => '0'],
                '3' => ['client_id' => '3', 'sys_userid' => '4', 'company_name' => 'AxB Ltd', 'contact_name' => 'Bob',
                    'username' => 'c3', 'email' => 'bob@example.com', 'limit_web_domain' => '5', 'parent_client_id' => '0'],
            ],
            'mail_domain' => [
                '1' => ['domain_id' => '1', 'server_id' => '1', 'domain' => 'example.com', 'active' => 'y', 'sys_groupid' => '2'],
            ],
            'mail_user' => [
                '1' => ['mailuser_id' => '1', 'server_id' => '1', 'email' => 'info@example.com', 'login' => 'info@example.com',
                    'name' => 'Info', 'quota' => '1073741824', 'autoresponder_text' => "Bin im Urlaub.\r\nGrüße", 'sys_groupid' => '2',
                    'move_junk' => 'n', 'disableimap' => 'n'],
            ],
            'web_domain' => [
                '1' => ['domain_id' => '1', 'server_id' => '1', 'domain' => 'example.com', 'sys_groupid' => '2',
                    'php' => 'php-fpm', 'log_retention' => '90', 'pm_max_children' => '20', 'pm_start_servers' => '4',
                    'pm_min_spare_servers' => '2', 'pm_max_spare_servers' => '6', 'active' => 'y', 'traffic_quota' => '-1'],
            ],
        ],
    ];
}
