<?php
// The SOAP handler and the remote methods, grouped by the panel's remote.d
// files. Parameter names and order are those of ISPConfig 3.2.12p1 (see
// inventories/ispconfig/inventory.json); behaviour follows the panel, quirks
// marked QUIRK.

/** Dispatch like the panel's ISPConfigSoapHandler: the method map is built
 *  from every group class's public methods (inherited ones included, so
 *  `__construct` shows in get_function_list), later classes overwriting
 *  earlier entries; a name not in the map is `invalid_method`. */
class PeerSoapHandler
{
    private $methods = [];
    private $classes = [];

    public function __construct()
    {
        foreach (['admin', 'client', 'dns', 'mail', 'monitor', 'sites', 'test'] as $group) {
            $class = "peer_$group";
            $this->classes[$class] = new $class();
            foreach (get_class_methods($this->classes[$class]) as $method) {
                $this->methods[$method] = $class;
            }
        }
        // The generic form methods (crud.php), for names no group class has.
        $this->classes['peer_crud'] = new peer_crud();
        foreach (array_keys(peer_crud_methods()) as $method) {
            if (!isset($this->methods[$method])) {
                $this->methods[$method] = 'peer_crud';
            }
        }
        $this->methods['login'] = 'remoting';
        $this->methods['logout'] = 'remoting';
        $this->methods['get_function_list'] = 'remoting';
        $this->classes['remoting'] = new PeerRemoting(array_keys($this->methods));
    }

    /** Whether the dispatcher serves `$method` (case-sensitive, as the
     *  panel's array_key_exists is; PHP method names are not). */
    public function has($method)
    {
        return array_key_exists($method, $this->methods);
    }

    /** The object serving `$method` (which has). */
    public function object_of($method)
    {
        return $this->classes[$this->methods[$method]];
    }

    public function __call($method, $params)
    {
        if (!$this->has($method)) {
            throw new SoapFault('invalid_method', 'Method ' . $method . ' does not exist');
        }
        return $this->dispatch($method, $params);
    }

    /** Runs `$method` (which has) with positional `$params`: for SOAP and
     *  JSON alike. */
    public function dispatch($method, $params)
    {
        $s = &peer();
        $s['calls'][$method] = ($s['calls'][$method] ?? 0) + 1;
        $s['received'][$method] = $params; // for /_peer/received/<method>
        $object = $this->classes[$this->methods[$method]];
        if ($object instanceof peer_crud && !method_exists($object, $method)) {
            return $object->crud($method, $params);
        }
        return call_user_func_array([$object, $method], $params);
    }
}

class peer_admin extends PeerRemoting
{
    public function system_config_get($session_id, $section, $key = null)
    {
        $this->need($session_id, 'system_config_get');
        if ($section == '') {
            throw new SoapFault('invalid_function_parameter', 'Invalid function parameter.');
        }
        $config = peer()['sys_ini'];
        // QUIRK: a missing section or key is the boolean false, not a fault.
        if ($key != '') {
            return $config[$section][$key] ?? false;
        }
        return $config[$section] ?? false;
    }

    public function config_value_get($session_id, $group, $name)
    {
        $this->need($session_id, 'config_value_get');
        if ($group == '' || $name == '') {
            throw new SoapFault('field_empty_error', 'Group and name parameter may not be empty.');
        }
        foreach (peer()['tables']['sys_config'] as $row) {
            if (peer_sql_match($row['group'], (string)$group, false) && peer_sql_match($row['name'], (string)$name, false)) {
                return $row;
            }
        }
        return null; // queryOneRecord found nothing
    }
}

class peer_client extends PeerRemoting
{
    public function client_get($session_id, $client_id)
    {
        $this->need($session_id, 'client_get');
        $data = $this->getDataRecord('client', $client_id);
        // QUIRK: an empty template_additional is answered with the client's
        // assigned templates ("assigned_id:template_id/..."), not as stored.
        if (is_array($data) && isset($data['client_id'])) {
            $data = $this->with_templates($data);
        } elseif (is_array($data) && isset($data[0]['client_id'])) {
            $data = array_map([$this, 'with_templates'], $data);
        }
        return $data;
    }

    private function with_templates($client)
    {
        if ($client['template_additional'] == '') {
            $items = [];
            foreach (peer()['tables']['client_template_assigned'] as $row) {
                if ($row['client_id'] === $client['client_id']) {
                    $items[] = $row['assigned_template_id'] . ':' . $row['client_template_id'];
                }
            }
            $client['template_additional'] = implode('/', $items);
        }
        return $client;
    }

    public function client_get_id($session_id, $sys_userid)
    {
        $this->need($session_id, 'client_get_id');
        $user = peer()['tables']['sys_user'][(string)(int)$sys_userid] ?? null;
        if (isset($user['client_id'])) {
            return (int)$user['client_id'];
        }
        throw new SoapFault('no_client_found', 'There is no sys_user account with this userid.');
    }

    // QUIRK: (client_id, reseller_id, params) — the other updates take
    // (client_id, primary_id, params) — and the record is written as the
    // reseller's, so a reseller_id > 0 re-owns the client record (while
    // parent_client_id, not a form field, is never written). QUIRK: the
    // stored row is merged in here, before updateQuery, so its password hash
    // is hashed again unless sent with _ispconfig_pw_crypted = 1.
    public function client_update($session_id, $client_id, $reseller_id, $params)
    {
        $this->need($session_id, 'client_update');
        $old = $this->getDataRecord('client', $client_id);
        $params = array_merge((array)$old, (array)$params);
        if (!isset($params['parent_client_id']) || $params['parent_client_id'] == 0) {
            $params['parent_client_id'] = $reseller_id;
        }
        if ($params['parent_client_id']) {
            $check = peer()['tables']['client'][(string)(int)$params['parent_client_id']] ?? null;
            if (($check['limit_client'] ?? null) == 0) {
                throw new SoapFault('Invalid reseller', 'Selected client is not a reseller.');
            }
            if (isset($params['limit_client']) && $params['limit_client'] != 0) {
                throw new SoapFault('Invalid reseller', 'Reseller cannot be client of another reseller.');
            }
        }
        $affected = $this->updateQuery('client', $reseller_id, $client_id, $params);
        // ispconfig_sysuser_update: the login's password only when a clear
        // (non-empty) one is in the merged params — QUIRK: that includes the
        // stored client.password merged in above, which may be stale (the
        // GUI's password change writes sys_user.passwort alone), so an update
        // that leaves `password` out brings the old password back; `""`
        // leaves both columns alone. Modules only when given.
        $s = &peer();
        foreach ($s['tables']['sys_user'] as $key => $user) {
            if ((int)$user['client_id'] !== (int)$client_id) {
                continue;
            }
            $clear = (string)($params['password'] ?? '');
            if ($clear !== '') {
                $crypted = ($params['_ispconfig_pw_crypted'] ?? 0) == 1;
                $s['tables']['sys_user'][$key]['passwort'] = $crypted ? $clear : peer_crypt($clear);
            }
            if (!empty($params['modules'])) {
                $s['tables']['sys_user'][$key]['modules'] = (string)$params['modules'];
            }
        }
        return $affected;
    }

    public function client_template_additional_get($session_id, $client_id)
    {
        $this->need($session_id, 'client_get');
        if (is_numeric($client_id)) {
            $rows = [];
            foreach (peer()['tables']['client_template_assigned'] as $row) {
                if ($row['client_id'] == $client_id) {
                    $rows[] = $row;
                }
            }
            return $rows;
        }
        // QUIRK: the panel throws SoapFault with a single argument here. PHP 8
        // refuses that constructor call with an ArgumentCountError, which
        // SoapServer answers as a SOAP-ENV:Server fault about
        // SoapFault::__construct() (HTTP 500) instead of the intended fault.
        throw new SoapFault('The ID must be an integer.');
    }
}

class peer_dns extends PeerRemoting
{
    public function dns_zone_get($session_id, $primary_id)
    {
        $this->need($session_id, 'dns_zone_get');
        return $this->getDataRecord('dns_soa', $primary_id);
    }

    public function dns_zone_get_id($session_id, $origin)
    {
        $this->need($session_id, 'dns_zone_get_id');
        // QUIRK: an origin with its trailing dot — the way origins are stored —
        // is "Invalid domain name."
        if (!preg_match('/^[\w\.\-]{1,64}\.[a-zA-Z0-9\-]{2,63}$/', $origin)) {
            throw new SoapFault('no_domain_found', 'Invalid domain name.');
        }
        // QUIRK: `origin LIKE 'x%'` without ORDER BY: a prefix match, so
        // example.com finds whichever of example.com.au. / example.com. comes
        // first (and `_` in the name matches any character).
        foreach (peer()['tables']['dns_soa'] as $row) {
            if (peer_sql_match($row['origin'], $origin . '%', true)) {
                return (int)$row['id'];
            }
        }
        throw new SoapFault('no_domain_found', 'There is no domain ID with informed domain name.');
    }

    public function dns_zone_update($session_id, $client_id, $primary_id, $params)
    {
        $this->need($session_id, 'dns_zone_update');
        return $this->updateQuery('dns_soa', $client_id, $primary_id, $params);
    }

    public function dns_rr_get_all_by_zone($session_id, $zone_id)
    {
        $this->need($session_id, 'dns_zone_get'); // QUIRK: not its own permission
        $rows = [];
        foreach (peer()['tables']['dns_rr'] as $row) {
            if (peer_sql_match($row['zone'], (string)$zone_id, false)) {
                $rows[] = $row;
            }
        }
        return $rows;
    }

    public function dns_a_get($session_id, $primary_id)
    {
        $this->need($session_id, 'dns_a_get');
        // QUIRK: reads dns_rr by id whatever the record's type.
        return $this->getDataRecord('dns_a', $primary_id);
    }

    public function dns_a_add($session_id, $client_id, $params, $update_serial = false)
    {
        $this->need($session_id, 'dns_a_add');
        // QUIRK: `type` is not set for you (see forms.php).
        $id = $this->insertQuery('dns_a', $client_id, $params);
        if ($update_serial) {
            $this->increase_serial($session_id, $client_id, $params);
        }
        return $id;
    }

    public function dns_a_delete($session_id, $primary_id, $update_serial = false)
    {
        $this->need($session_id, 'dns_a_delete');
        if ($update_serial) {
            $this->increase_serial($session_id, 0, ['dns_rr_id' => $primary_id]);
        }
        // QUIRK: deletes the dns_rr row with that id, whatever its type.
        return $this->deleteQuery('dns_a', $primary_id);
    }

    /** Bumps the zone's serial (YYYYMMDDnn). QUIRK: goes through the public
     *  dns_zone_get/dns_zone_update, so it needs their permissions too, and
     *  runs after the record was written: without `zone` in $params the zone
     *  update has no id and the answer is the panel's HTML error page. */
    protected function increase_serial($session_id, $client_id, $params)
    {
        $params = (array)$params;
        if (!isset($params['zone']) && isset($params['dns_rr_id'])) {
            $params['zone'] = peer()['tables']['dns_rr'][(string)(int)$params['dns_rr_id']]['zone'] ?? null;
        }
        $soa = (array)$this->dns_zone_get($session_id, $params['zone'] ?? null);
        $serial = (string)($soa['serial'] ?? '');
        $date = (int)substr($serial, 0, 8);
        $count = (int)substr($serial, 8, 2);
        if ($date >= (int)date('Ymd')) {
            $count++;
            if ($count > 99) {
                $date++;
                $count = 0;
            }
            $soa['serial'] = $date . str_pad((string)$count, 2, '0', STR_PAD_LEFT);
        } else {
            $soa['serial'] = date('Ymd') . '01';
        }
        $this->dns_zone_update($session_id, $client_id, $soa['id'] ?? null, $soa);
    }
}

class peer_mail extends PeerRemoting
{
    public function mail_domain_get($session_id, $primary_id)
    {
        $this->need($session_id, 'mail_domain_get');
        return $this->getDataRecord('mail_domain', $primary_id);
    }

    public function mail_user_get($session_id, $primary_id)
    {
        $this->need($session_id, 'mail_user_get');
        return $this->getDataRecord('mail_user', $primary_id);
    }

    public function mail_user_update($session_id, $client_id, $primary_id, $params)
    {
        $this->need($session_id, 'mail_user_update');
        // QUIRK: the domain of params['email'] must be a primary mail domain,
        // compared exactly after MySQL matched it case-insensitively (so
        // INFO@EXAMPLE.COM fails). Without `email` (or without an `@`) the
        // check compares null with null and passes.
        $domain = explode('@', (string)($params['email'] ?? ''))[1] ?? null;
        $found = null;
        foreach (peer()['tables']['mail_domain'] as $row) {
            if ($domain !== null && peer_sql_match($row['domain'], $domain, false) && !$this->is_alias_domain($row['domain'])) {
                $found = $row['domain'];
                break;
            }
        }
        if ($found != $domain) {
            throw new SoapFault('mail_domain_does_not_exist', 'Mail domain - ' . $domain . ' - does not exist as primary.');
        }
        return $this->updateQuery('mail_user', $client_id, $primary_id, $params);
    }

    private function is_alias_domain($domain)
    {
        foreach (peer()['tables']['mail_forwarding'] as $row) {
            if ($row['type'] === 'aliasdomain' && strcasecmp(substr($row['source'], 1), $domain) === 0) {
                return true;
            }
        }
        return false;
    }
}

class peer_monitor extends PeerRemoting
{
    public function monitor_jobqueue_count($session_id, $server_id = 0)
    {
        $this->need($session_id, 'monitor_jobqueue_count');
        return (string)peer()['jobqueue']; // a COUNT() column: a string
    }
}

class peer_sites extends PeerRemoting
{
    public function sites_web_domain_get($session_id, $primary_id)
    {
        $this->need($session_id, 'sites_web_domain_get');
        return $this->getDataRecord('web_vhost_domain', $primary_id);
    }

    public function sites_web_domain_update($session_id, $client_id, $primary_id, $params)
    {
        $this->need($session_id, 'sites_web_domain_update');
        // QUIRK: set before the stored record is merged in, so leaving them out
        // resets log_retention to 30 and the PHP-FPM pool sizes to 1.
        if (($params['log_retention'] ?? '') == '') {
            $params['log_retention'] = 30;
        }
        foreach (['pm_max_children', 'pm_start_servers', 'pm_min_spare_servers', 'pm_max_spare_servers'] as $pm) {
            if (($params[$pm] ?? '') == '') {
                $params[$pm] = 1;
            }
        }
        return $this->updateQuery('web_vhost_domain', $client_id, $primary_id, $params);
    }

    public function sites_web_domain_set_status($session_id, $primary_id, $status)
    {
        $this->need($session_id, 'sites_web_domain_set_status');
        if (in_array($status, ['active', 'inactive'])) {
            $params = $this->getDataRecord('web_vhost_domain', $primary_id);
            $params['active'] = $status == 'active' ? 'y' : 'n';
            return $this->updateQuery('web_vhost_domain', 0, $primary_id, $params);
        }
        throw new SoapFault('status_undefined', 'The status is not available');
    }

    /** quota_lib::get_quota_data(client, readable = false): the client's
     *  vhosts (all with a null client) by domain, each with the harddisk quota
     *  the monitor saw. QUIRK: types mix — row columns are strings, the
     *  computed ones numbers, and used_percentage is a float from round()
     *  unless the site uses nothing, then the integer 0. */
    public function quota_get_by_user($session_id, $client_id)
    {
        $this->need($session_id, 'quota_get_by_user');
        $group = null;
        if ($client_id !== null) {
            foreach (peer()['tables']['sys_user'] as $user) {
                if ($user['client_id'] == $client_id) {
                    $group = $user['default_group'];
                }
            }
        }
        $sites = [];
        foreach (peer()['tables']['web_domain'] as $site) {
            if ($site['type'] === 'vhost' && ($client_id === null || $site['sys_groupid'] === $group)) {
                $sites[] = $site;
            }
        }
        usort($sites, function ($a, $b) { return strcmp($a['domain'], $b['domain']); });
        $monitor = peer()['monitor_quota'];
        foreach ($sites as $i => $site) {
            $q = $monitor[$site['system_user']] ?? [];
            $used = $q['used'] ?? null;
            $soft = $q['soft'] ?? null;
            $hard = $q['hard'] ?? null;
            $sites[$i]['used'] = $used;
            $sites[$i]['soft'] = $soft;
            $sites[$i]['hard'] = $hard;
            $sites[$i]['files'] = $q['files'] ?? null;
            $sites[$i]['used_raw'] = $used * 1024;
            $sites[$i]['soft_raw'] = $soft > 0 ? $soft * 1024 : -1;
            $sites[$i]['hard_raw'] = $hard > 0 ? $hard * 1024 : -1;
            $sites[$i]['files_raw'] = $q['files'] ?? null;
            $sites[$i]['used_percentage'] = ($soft > 0 && $used > 0) ? round($used * 100 / $soft) : 0;
        }
        return $sites;
    }
}

/** Test-only, not an ISPConfig method: returns its argument as ext/soap
 *  decoded it, so tests can round-trip values through PHP both ways. */
class peer_test extends PeerRemoting
{
    public function peer_echo($session_id, $value)
    {
        $this->getSession($session_id);
        return $value;
    }
}
