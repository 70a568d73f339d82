<?php
// The panel's many form methods that only differ in their form: get / add /
// update / delete through remoting_lib, each checking the permission named
// after itself, plus the few lines some of them add (marked). Written from
// ISPConfig 3.2.12p1's remote.d/{client,dns,mail,sites}.inc.php semantics;
// no panel code is copied. Methods a group class in handler.php defines
// keep that definition.

/** method => [operation, form, permission]. */
function peer_crud_methods()
{
    static $methods = null;
    if ($methods !== null) {
        return $methods;
    }
    $methods = [];
    $crud = function ($prefix, $form, $ops = ['get', 'add', 'update', 'delete']) use (&$methods) {
        foreach ($ops as $op) {
            $methods["{$prefix}_$op"] = [$op, $form, "{$prefix}_$op"];
        }
    };
    // dns.inc.php: dns_rr_get/add/update/delete with the type's form.
    foreach (array_merge(['a'], array_keys(peer_dns_types())) as $type) {
        $crud("dns_$type", "dns_$type");
    }
    $crud('dns_zone', 'dns_soa', ['add', 'update', 'delete']);
    // mail.inc.php
    $crud('mail_domain', 'mail_domain');
    $crud('mail_user', 'mail_user');
    $crud('mail_alias', 'mail_alias');
    $crud('mail_forward', 'mail_forward');
    $crud('mail_catchall', 'mail_domain_catchall');
    $crud('mail_aliasdomain', 'mail_aliasdomain');
    $crud('mail_fetchmail', 'mail_get');
    // sites.inc.php
    $crud('sites_web_domain', 'web_vhost_domain');
    $crud('sites_ftp_user', 'ftp_user');
    $crud('sites_shell_user', 'shell_user');
    $crud('sites_cron', 'cron');
    $crud('sites_database', 'database');
    $crud('sites_database_user', 'database_user');
    // client.inc.php (client_add/_delete write sys_user/sys_group too)
    $crud('client', 'client', ['add', 'delete']);
    $methods['client_get_by_groupid'] = ['special', null, 'client_get_id'];
    $methods['client_get_groupid'] = ['special', null, 'client_get_id'];
    $methods['client_get_by_username'] = ['special', null, 'client_get_by_username'];
    return $methods;
}

class peer_crud extends peer_dns
{
    /** Runs `$method` as the panel's remote method of that name would. */
    public function crud($method, $args)
    {
        list($op, $form, $perm) = peer_crud_methods()[$method];
        $session_id = $args[0] ?? null;
        $this->need($session_id, $perm);
        $is_rr = preg_match('/^dns_[a-z]+$/', (string)$form) && $form !== 'dns_soa';
        switch ($op) {
            case 'special':
                return $this->{"lookup_$method"}(...array_merge(array_slice($args, 1), [$session_id]));
            case 'get':
                return $this->getDataRecord($form, $args[1] ?? null);
            case 'add':
                $client_id = $args[1] ?? null;
                $params = (array)($args[2] ?? []);
                if (method_exists($this, "before_$method")) {
                    $params = $this->{"before_$method"}($client_id, $params);
                }
                if ($method === 'client_add') {
                    return $this->client_add_rows($client_id, $params);
                }
                $id = $this->insertQuery($form, $client_id, $params);
                if (method_exists($this, "after_$method")) {
                    $this->{"after_$method"}($client_id, $id);
                }
                if ($is_rr && !empty($args[3])) {
                    $this->increase_serial($session_id, $client_id, $params);
                }
                return $id;
            case 'update':
                $client_id = $args[1] ?? null;
                $primary_id = $args[2] ?? null;
                $params = (array)($args[3] ?? []);
                if (method_exists($this, "before_$method")) {
                    $params = $this->{"before_$method"}($client_id, $params);
                }
                $affected = $this->updateQuery($form, $client_id, $primary_id, $params);
                if ($is_rr && !empty($args[4])) {
                    $this->increase_serial($session_id, $client_id, $params);
                }
                return $affected;
            case 'delete':
                $primary_id = $args[1] ?? null;
                if ($is_rr && !empty($args[2])) {
                    $this->increase_serial($session_id, 0, ['dns_rr_id' => $primary_id]);
                }
                $affected = $this->deleteQuery($form, $primary_id);
                if ($method === 'client_delete') {
                    $this->client_delete_rows($primary_id);
                }
                return $affected;
        }
        throw new SoapFault('invalid_method', 'Method ' . $method . ' does not exist');
    }

    // ---- the lines some methods add ---------------------------------------------

    /** mail_user_add: the address lower-cased, its domain a primary mail
     *  domain (exactly), uid/gid/maildir_format placeholders for the plugin. */
    private function before_mail_user_add($client_id, $params)
    {
        $params['email'] = strtolower((string)($params['email'] ?? ''));
        $domain = explode('@', $params['email'])[1] ?? null;
        $found = null;
        foreach (peer()['tables']['mail_domain'] as $row) {
            if ($domain !== null && peer_sql_match($row['domain'], $domain, false)) {
                $found = $row['domain'];
            }
        }
        if ($found != $domain) {
            throw new SoapFault('mail_domain_does_not_exist', 'Mail domain - ' . $domain . ' - does not exist as primary.');
        }
        $params += ['uid' => -1, 'gid' => -1, 'maildir_format' => 'maildir'];
        return $params;
    }

    /** mail_alias_add: no active mailbox may have the address. */
    private function before_mail_alias_add($client_id, $params)
    {
        foreach (peer()['tables']['mail_user'] as $row) {
            if (($row['postfix'] ?? 'y') === 'y' && peer_sql_match($row['email'], (string)($params['source'] ?? ''), false)) {
                throw new SoapFault('duplicate', 'There is already a mailbox with this email address.');
            }
        }
        return $params;
    }

    /** sites_web_domain_add: placeholders the vhost plugin overwrites, and
     *  (QUIRK, as on update) log_retention 30 and pool sizes 1 when empty. */
    private function before_sites_web_domain_add($client_id, $params)
    {
        foreach (['document_root', 'system_user', 'system_group'] as $key) {
            if (($params[$key] ?? '') == '') {
                $params[$key] = '-';
            }
        }
        if (($params['log_retention'] ?? '') == '') {
            $params['log_retention'] = 30;
        }
        foreach (['pm_max_children', 'pm_start_servers', 'pm_min_spare_servers', 'pm_max_spare_servers'] as $pm) {
            if (($params[$pm] ?? '') == '') {
                $params[$pm] = 1;
            }
        }
        return $params;
    }

    /** What the panel's interface plugin (sites_web_vhost_domain_plugin)
     *  does right after the insert: the "-" placeholders become the site's
     *  directory from the web server's website_path, its system user
     *  web<id> and group client<client_id>, as the genuine 3.2.12p1 stores
     *  them (/var/www/clients/client4/web1, web1, client4). */
    private function after_sites_web_domain_add($client_id, $id)
    {
        $s = &peer();
        $row = &$s['tables']['web_domain'][(string)$id];
        $group = $s['tables']['sys_group'][(string)$row['sys_groupid']] ?? ['client_id' => '0'];
        $owner = (int)$group['client_id'];
        $web = $s['server_config'][(string)$row['server_id']]['web'] ?? [];
        $path = $web['website_path'] ?? '/var/www/clients/client[client_id]/web[website_id]';
        $values = [
            'document_root' => str_replace(['[client_id]', '[website_id]'], [$owner, $id], $path),
            'system_user' => "web$id",
            'system_group' => "client$owner",
        ];
        foreach ($values as $key => $value) {
            if (($row[$key] ?? '-') === '-') {
                $row[$key] = $value;
            }
        }
    }

    /** sites_database_add: one name per server. */
    private function before_sites_database_add($client_id, $params)
    {
        foreach (peer()['tables']['web_database'] as $row) {
            if (peer_sql_match($row['database_name'], (string)($params['database_name'] ?? ''), false)
                && peer_sql_match($row['server_id'], (string)($params['server_id'] ?? ''), false)) {
                throw new SoapFault('database_name_error_unique', 'There is already a database with that name on the same server.');
            }
        }
        return $params;
    }

    /** client_add: the parent must be a reseller (else it is dropped), a
     *  reseller cannot have one; then klientadd: the row (written as the
     *  reseller's), a unique sys_user, its sys_group, the parent link. */
    private function client_add_rows($reseller_id, $params)
    {
        if (!isset($params['parent_client_id']) || $params['parent_client_id'] == 0) {
            $params['parent_client_id'] = $reseller_id;
        }
        if ($params['parent_client_id']) {
            $check = peer()['tables']['client'][(string)(int)$params['parent_client_id']] ?? null;
            if (($check['limit_client'] ?? 0) == 0) {
                $params['parent_client_id'] = 0;
            } elseif (isset($params['limit_client']) && $params['limit_client'] != 0) {
                throw new SoapFault('Invalid reseller', 'Reseller cannot be client of another reseller.');
            }
        }
        foreach (peer()['tables']['sys_user'] as $user) {
            if ($user['username'] === (string)($params['username'] ?? '')) {
                throw new SoapFault('data_processing_error', "Duplicate username<br />");
            }
        }
        $id = $this->insertQuery('client', $reseller_id, $params);
        $s = &peer();
        $s['tables']['client'][(string)$id]['parent_client_id'] = (string)(int)$params['parent_client_id'];
        $s['tables']['client'][(string)$id]['limit_client'] = (string)(int)($params['limit_client'] ?? 0);
        // generate_ssh_key: a fresh key pair for the client, the private key
        // stored (and answered by client_get) in full.
        $s['tables']['client'][(string)$id] = array_merge($s['tables']['client'][(string)$id],
            peer_ssh_key_pair((string)($params['username'] ?? '')));
        $group = max(array_map('intval', array_keys($s['tables']['sys_group']))) + 1;
        $user = max(array_map('intval', array_keys($s['tables']['sys_user']))) + 1;
        $s['tables']['sys_group'][(string)$group] = ['groupid' => "$group", 'name' => (string)$params['username'],
            'client_id' => "$id"];
        // ispconfig_sysuser_add: the panel login, its own hash of the
        // password (the client row keeps another), and the installer's
        // interface_modules_enabled — QUIRK: plus `client` only when
        // limit_client > 0, so a reseller added with -1 cannot manage clients.
        $password = (string)($params['password'] ?? '');
        $crypted = ($params['_ispconfig_pw_crypted'] ?? 0) == 1;
        $modules = $params['modules'] ?? 'dashboard,mail,sites,dns,tools,help';
        if ((int)($params['limit_client'] ?? 0) > 0) {
            $modules .= ',client';
        }
        $s['tables']['sys_user'][(string)$user] = ['userid' => "$user", 'username' => (string)$params['username'],
            'passwort' => $crypted ? $password : peer_crypt($password), 'modules' => $modules,
            'typ' => 'user', 'default_group' => "$group", 'client_id' => "$id"];
        return $id;
    }

    /** client_delete: the client's sys_user and sys_group go too. */
    private function client_delete_rows($client_id)
    {
        $s = &peer();
        foreach (['sys_user', 'sys_group'] as $table) {
            foreach ($s['tables'][$table] as $key => $row) {
                if ($row['client_id'] === (string)(int)$client_id) {
                    unset($s['tables'][$table][$key]);
                }
            }
        }
    }

    // ---- client lookups -----------------------------------------------------------

    /** The group's client record: QUIRK, for the admin's group (client 0)
     *  the inner client_get(0) answers invalid_id. */
    private function lookup_client_get_by_groupid($group_id, $session_id = null)
    {
        $group = peer()['tables']['sys_group'][(string)(int)$group_id] ?? null;
        if (!isset($group['client_id'])) {
            throw new SoapFault('no_group_found', 'There is no client for this group ID.');
        }
        // The panel answers through $this->client_get(), which checks its
        // own permission: a remote user needs client_get too.
        $this->need($session_id, 'client_get');
        return $this->getDataRecord('client', (int)$group['client_id']);
    }

    private function lookup_client_get_groupid($client_id)
    {
        foreach (peer()['tables']['sys_group'] as $group) {
            if ((int)$group['client_id'] === (int)$client_id) {
                return (int)$group['groupid'];
            }
        }
        throw new SoapFault('no_group_found', 'There is no group for this client ID.');
    }

    private function lookup_client_get_by_username($username)
    {
        foreach (peer()['tables']['sys_user'] as $user) {
            if (peer_sql_match($user['username'], (string)$username, false)) {
                return $user;
            }
        }
        throw new SoapFault('no_client_found', 'There is no user account for this user name.');
    }
}
