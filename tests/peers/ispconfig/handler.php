<?php
// The remote methods. Semantics follow ISPConfig 3.2.12p1's remoting classes
// (login/session handling, remoting_lib::getDataRecord, the form-based
// inserts/updates) closely enough that the panel's footguns show here too;
// every deliberate quirk is marked QUIRK.

class PeerSoapHandler
{
    /** Dispatch like ISPConfigSoapHandler::__call. */
    public function __call($method, $params)
    {
        $impl = 'm_' . $method;
        if (!method_exists($this, $impl)) {
            throw new SoapFault('invalid_method', 'Method ' . $method . ' does not exist');
        }
        with_state(function (&$s) use ($method) {
            $s['calls'][$method] = ($s['calls'][$method] ?? 0) + 1;
        });
        return call_user_func_array([$this, $impl], $params);
    }

    // ---- session ---------------------------------------------------------

    private function m_login($username = '', $password = '', $client_login = false)
    {
        return with_state(function (&$s) use ($username, $password) {
            $s['login_calls']++;
            $now = time();
            $s['failed_logins'] = array_values(array_filter($s['failed_logins'], function ($t) use ($now) {
                return $t > $now - 300;
            }));
            // The panel locks an IP out after 10 failed logins in 5 minutes.
            if (count($s['failed_logins']) >= 10) {
                throw new SoapFault('login_failed', 'The login failed. You have been locked out for 5 minutes.');
            }
            if ($username === '' || $password === '') {
                throw new SoapFault('login_username_empty', 'The login username is empty.');
            }
            if ($username !== getenv('PANELKIT_PEER_USER') || $password !== getenv('PANELKIT_PEER_PASSWORD')) {
                $s['failed_logins'][] = $now;
                throw new SoapFault('login_failed', 'The login failed. Username or password wrong.');
            }
            $id = bin2hex(random_bytes(16));
            $s['sessions'][$id] = ['created' => $now];
            return $id;
        });
    }

    private function m_logout($session_id)
    {
        return with_state(function (&$s) use ($session_id) {
            if (empty($session_id)) {
                throw new SoapFault('session_id_empty', 'The SessionID is empty.');
            }
            unset($s['sessions'][$session_id]);
            return true;
        });
    }

    /** getSession + checkPerm of the remoting base class. */
    private function check($session_id, $function)
    {
        if (empty($session_id)) {
            throw new SoapFault('session_id_empty', 'The SessionID is empty.');
        }
        with_state(function (&$s) use ($session_id) {
            $ttl = (int)(getenv('PANELKIT_PEER_SESSION_TTL') ?: 1800);
            $session = $s['sessions'][$session_id] ?? null;
            // Sessions last a fixed time from login; use does not extend them.
            if ($session === null || $session['created'] + $ttl < time()) {
                unset($s['sessions'][$session_id]);
                throw new SoapFault('session_does_not_exist', 'The Session is expired or does not exist.');
            }
        });
        $allowed = getenv('PANELKIT_PEER_FUNCTIONS');
        if ($allowed && !in_array($function, explode(',', $allowed), true)) {
            throw new SoapFault('permission_denied', 'You do not have the permissions to access this function.');
        }
    }

    private function m_get_function_list($session_id)
    {
        $this->check($session_id, 'get_function_list');
        $names = ['__construct', 'login', 'logout', 'get_function_list'];
        foreach (get_class_methods($this) as $m) {
            if (strpos($m, 'm_') === 0 && !in_array(substr($m, 2), $names, true)) {
                $names[] = substr($m, 2);
            }
        }
        return $names;
    }

    // ---- records -----------------------------------------------------------

    /** remoting_lib::getDataRecord: id > 0 → record or empty array; -1 → all
     *  rows; 0 or negative → invalid_id; a filter array → list, where a value
     *  containing % is matched with LIKE (so _ is a wildcard too). */
    private function get_data_record($table, $primary_id)
    {
        return with_state(function (&$s) use ($table, $primary_id) {
            $rows = $s['tables'][$table];
            if (is_array($primary_id)) {
                $offset = (int)($primary_id['#OFFSET#'] ?? 0);
                $limit = isset($primary_id['#LIMIT#']) ? (int)$primary_id['#LIMIT#'] : null;
                unset($primary_id['#OFFSET#'], $primary_id['#LIMIT#']);
                $out = [];
                foreach ($rows as $row) {
                    $ok = true;
                    foreach ($primary_id as $k => $v) {
                        $have = (string)($row[$k] ?? '');
                        if (strpos((string)$v, '%') !== false) {
                            $re = '/^' . strtr(preg_quote((string)$v, '/'), ['%' => '.*', '_' => '.']) . '$/i';
                            $ok = $ok && preg_match($re, $have);
                        } else {
                            $ok = $ok && strcasecmp($have, (string)$v) === 0;
                        }
                    }
                    if ($ok) {
                        $out[] = $row;
                    }
                }
                return array_slice($out, $offset, $limit);
            }
            $id = (int)$primary_id;
            if ($id === -1) {
                return array_values($rows);
            }
            if ($id <= 0) {
                throw new SoapFault('invalid_id', 'The ID must be either an integer or an array.');
            }
            return $rows[(string)$id] ?? [];
        });
    }

    private function m_client_get($session_id, $primary_id)
    {
        $this->check($session_id, 'client_get');
        return $this->get_data_record('client', $primary_id);
    }

    private function m_client_get_id($session_id, $sys_userid)
    {
        $this->check($session_id, 'client_get_id');
        foreach (with_state(function (&$s) { return $s['tables']['client']; }) as $row) {
            if ($row['sys_userid'] == $sys_userid) {
                return (int)$row['client_id'];
            }
        }
        throw new SoapFault('no_client_found', 'There is no sysuser account for this client ID.');
    }

    private function m_dns_zone_get($session_id, $primary_id)
    {
        $this->check($session_id, 'dns_zone_get');
        return $this->get_data_record('dns_soa', $primary_id);
    }

    private function m_dns_zone_get_id($session_id, $origin)
    {
        $this->check($session_id, 'dns_zone_get_id');
        // QUIRK: a trailing dot is rejected, and the lookup is an unordered
        // prefix match (origin LIKE 'x%').
        if (!preg_match('/^[\w\.\-]{1,64}\.[a-zA-Z0-9\-]{2,63}$/u', $origin)) {
            throw new SoapFault('no_domain_found', 'Invalid domain name.');
        }
        foreach ($this->get_data_record('dns_soa', ['origin' => $origin . '%']) as $row) {
            return (int)$row['id'];
        }
        throw new SoapFault('no_domain_found', 'There is no domain ID with informed domain name.');
    }

    private function m_dns_rr_get_all_by_zone($session_id, $zone_id)
    {
        $this->check($session_id, 'dns_rr_get_all_by_zone');
        return $this->get_data_record('dns_rr', ['zone' => (string)$zone_id]);
    }

    private function m_dns_a_add($session_id, $client_id, $params, $update_serial = false)
    {
        $this->check($session_id, 'dns_a_add');
        $errors = '';
        if (!filter_var($params['data'] ?? '', FILTER_VALIDATE_IP, FILTER_FLAG_IPV4)) {
            $errors .= "data_error_wrong<br />\r\n";
        }
        if (($params['name'] ?? '') === '') {
            $errors .= "name_error_empty<br />\r\n";
        }
        if ($errors !== '') {
            throw new SoapFault('data_processing_error', $errors);
        }
        return with_state(function (&$s) use ($params, $client_id) {
            $id = $s['next_id']++;
            // QUIRK: every form field is written from $params; a missing one is
            // written empty — `type` included, since the method never sets it.
            $row = ['id' => (string)$id, 'sys_groupid' => (string)((int)$client_id + 1)];
            foreach (['server_id', 'zone', 'name', 'type', 'data', 'aux', 'ttl', 'active', 'stamp', 'serial'] as $f) {
                $row[$f] = isset($params[$f]) ? (string)$params[$f] : '';
            }
            $s['tables']['dns_rr'][(string)$id] = $row;
            return $id;
        });
    }

    private function m_dns_a_delete($session_id, $primary_id, $update_serial = false)
    {
        $this->check($session_id, 'dns_a_delete');
        return with_state(function (&$s) use ($primary_id) {
            $had = isset($s['tables']['dns_rr'][(string)$primary_id]);
            unset($s['tables']['dns_rr'][(string)$primary_id]);
            return $had ? 1 : 0;
        });
    }

    private function m_mail_domain_get($session_id, $primary_id)
    {
        $this->check($session_id, 'mail_domain_get');
        return $this->get_data_record('mail_domain', $primary_id);
    }

    private function m_mail_user_get($session_id, $primary_id)
    {
        $this->check($session_id, 'mail_user_get');
        return $this->get_data_record('mail_user', $primary_id);
    }

    private function m_mail_user_update($session_id, $client_id, $primary_id, $params)
    {
        $this->check($session_id, 'mail_user_update');
        // QUIRK: the panel's mail_user_update needs `email` in $params.
        if (!isset($params['email'])) {
            throw new SoapFault('data_processing_error', "email_error_isemail<br />\r\n");
        }
        return $this->update('mail_user', $primary_id, $params);
    }

    private function m_sites_web_domain_get($session_id, $primary_id)
    {
        $this->check($session_id, 'sites_web_domain_get');
        return $this->get_data_record('web_domain', $primary_id);
    }

    private function m_sites_web_domain_update($session_id, $client_id, $primary_id, $params)
    {
        $this->check($session_id, 'sites_web_domain_update');
        if ((int)$primary_id <= 0) {
            // QUIRK: the panel answers an update of id 0 with an HTML error
            // page (HTTP 200), not a fault.
            header('Content-Type: text/html; charset=utf-8');
            echo "<br />\n<b>Warning</b>: Undefined array key \"domain\" in <b>/usr/local/ispconfig/interface/lib/classes/remote.d/sites.inc.php</b> on line <b>733</b><br />\n";
            exit;
        }
        // QUIRK: omitted log_retention and pm_* settings are reset before the merge.
        $defaults = ['log_retention' => '30', 'pm_max_children' => '1', 'pm_start_servers' => '1',
            'pm_min_spare_servers' => '1', 'pm_max_spare_servers' => '1'];
        foreach ($defaults as $k => $v) {
            if (!isset($params[$k])) {
                $params[$k] = $v;
            }
        }
        return $this->update('web_domain', $primary_id, $params);
    }

    private function m_client_update($session_id, $client_id, $reseller_id, $params)
    {
        $this->check($session_id, 'client_update');
        // QUIRK: (client_id, reseller_id, params), unlike the other updates.
        if ((int)$reseller_id > 0 && !isset(with_state(function (&$s) { return $s['tables']['client']; })[(string)$reseller_id])) {
            throw new SoapFault('Invalid reseller', 'Selected reseller does not exist.');
        }
        return $this->update('client', $client_id, $params);
    }

    /** updateQuery: merge the stored record with $params; affected rows. */
    private function update($table, $primary_id, $params)
    {
        return with_state(function (&$s) use ($table, $primary_id, $params) {
            $key = (string)(int)$primary_id;
            if (!isset($s['tables'][$table][$key])) {
                return 0;
            }
            foreach ($params as $k => $v) {
                $s['tables'][$table][$key][$k] = is_bool($v) ? ($v ? 'y' : 'n') : (string)$v;
            }
            return 1;
        });
    }

    // ---- typed answers -----------------------------------------------------

    private function m_server_get($session_id, $server_id = null, $section = '')
    {
        $this->check($session_id, 'server_get');
        $config = [
            'global' => ['version' => '3.2.12p1', 'active' => true, 'load' => 0.25, 'cpus' => 2, 'note' => null],
            'web' => ['php_versions' => ['8.1', '8.2'], 'limits' => ['memory' => 512, 'ratio' => 1.5], 'empty' => []],
            'dns' => ['bind_user' => 'bind', 'nameservers' => []],
        ];
        if ($section !== '') {
            return $config[$section] ?? [];
        }
        return $config;
    }

    private function m_server_get_all($session_id)
    {
        $this->check($session_id, 'server_get_all');
        return [['server_id' => '1', 'server_name' => 'panel.example.com'], ['server_id' => '2', 'server_name' => 'mx.example.com']];
    }

    private function m_monitor_jobqueue_count($session_id, $server_id = 0)
    {
        $this->check($session_id, 'monitor_jobqueue_count');
        return 7;
    }

    private function m_sites_web_domain_set_status($session_id, $primary_id, $status)
    {
        $this->check($session_id, 'sites_web_domain_set_status');
        if (!in_array($status, ['active', 'inactive'], true)) {
            // The upstream method returns false instead of a fault here.
            return false;
        }
        return $this->update('web_domain', $primary_id, ['active' => $status === 'active' ? 'y' : 'n']) === 1;
    }

    /** Test-only (not an ISPConfig method): returns its argument as PHP
     *  decoded it, so tests can round-trip values through ext/soap. */
    private function m_peer_echo($session_id, $value)
    {
        $this->check($session_id, 'peer_echo');
        return $value;
    }

    private function m_client_delete_everything($session_id, $client_id)
    {
        $this->check($session_id, 'client_delete_everything');
        // QUIRK: some upstream throws pass one argument to SoapFault, which
        // PHP 8 rejects; the client sees a SOAP-ENV:Server fault about
        // SoapFault::__construct() instead of the intended one.
        throw new SoapFault('no_client_found');
    }
}
