<?php
// The base of every remote class, following ISPConfig 3.2.12p1's `remoting`
// (login, logout, sessions, permissions, server_get*) and `remoting_lib` (form
// based getDataRecord / insert / update / delete) closely enough that the
// panel's behaviour, footguns included, shows on the wire. Each deliberate
// panel quirk is marked QUIRK. Written from the panel's documented and
// observed behaviour; no panel code is copied.

class PeerRemoting
{
    protected $_methods = [];
    /** Validation errors of the current insert/update (remoting_lib::errorMessage). */
    protected $errorMessage = '';
    /** The user records are written as (remoting_lib::loadUserProfile). */
    protected $profile = ['client_id' => 0, 'userid' => 1, 'default_group' => 1];

    public function __construct($methods = [])
    {
        $this->_methods = $methods;
    }

    // ---- session ---------------------------------------------------------------

    public function login($username, $password, $client_login = false)
    {
        $s = &peer();
        $s['login_calls']++;
        if (empty($username)) {
            throw new SoapFault('login_username_empty', 'The login username is empty.');
        }
        if (empty($password)) {
            throw new SoapFault('login_password_empty', 'The login password is empty.');
        }
        // Housekeeping: sessions past their end of life are deleted.
        $s['sessions'] = array_filter($s['sessions'], function ($x) { return $x['expires'] >= microtime(true); });
        // QUIRK: the lock-out is checked before the password, so once an IP has
        // 10 failures in 5 minutes even the right password is refused.
        if (peer_failed_attempts() >= 10) {
            peer_refuse('login_failure_limit', 'The login failure limit has been reached.');
        }
        if ($client_login == true) {
            // Panel client logins (sys_user) are not modelled: none exists here.
            peer_count_failure();
            throw new SoapFault('client_login_failed', 'The login failed. Username or password wrong.');
        }
        // remote_username is compared by MySQL, case-insensitively.
        if (strcasecmp((string)$username, getenv('PANELKIT_PEER_USER')) !== 0
            || (string)$password !== getenv('PANELKIT_PEER_PASSWORD')) {
            peer_count_failure();
            throw new SoapFault('login_failed', 'The login failed. Username or password wrong.');
        }
        // A letter, then 40 hex digits (the panel avoids a leading digit).
        $id = substr(str_shuffle('abcdefghijklmnopqrstuvwxyz'), 0, 1) . bin2hex(random_bytes(20));
        $ttl = (float)(getenv('PANELKIT_PEER_SESSION_TTL') ?: 1800);
        $functions = getenv('PANELKIT_PEER_FUNCTIONS');
        $s['sessions'][$id] = [
            'userid' => 1,
            // A remote user without a restriction here is one with every box ticked.
            'functions' => $functions !== false ? $functions : implode(',', $this->_methods),
            // QUIRK: fixed end of life from login; using the session does not extend it.
            'expires' => microtime(true) + $ttl,
            'ip' => $_SERVER['REMOTE_ADDR'],
        ];
        $s['attempts'] = null; // a successful login clears the IP's failures
        return $id;
    }

    public function logout($session_id)
    {
        if (empty($session_id)) {
            throw new SoapFault('session_id_empty', 'The SessionID is empty.');
        }
        $s = &peer();
        unset($s['sessions'][(string)$session_id]);
        return true; // the DELETE succeeded, whether or not the session existed
    }

    protected function getSession($session_id)
    {
        if (empty($session_id)) {
            throw new SoapFault('session_id_empty', 'The SessionID is empty.');
        }
        if (!is_string($session_id)) {
            throw new SoapFault('session_id_nostring', 'Wrong SessionID datatype.');
        }
        // QUIRK: failed session lookups count as failed logins (attempts_login);
        // 10 of them in 5 minutes lock the IP out of every call, not only login.
        if (peer_failed_attempts() >= 10) {
            peer_refuse('session_failure_limit', 'The Session failure limit has been reached.');
        }
        $s = &peer();
        $session = $s['sessions'][$session_id] ?? null;
        if ($session === null || $session['expires'] < microtime(true)) {
            // Test knob (default on, as on a panel): PANELKIT_PEER_SESSION_FAILURES_LOCK=0
            // keeps these out of the lock-out counter, to test a client's
            // re-login logic apart from this hazard.
            if (getenv('PANELKIT_PEER_SESSION_FAILURES_LOCK') !== '0') {
                peer_count_failure();
            }
            $s['session_failures']++;
            throw new SoapFault('session_does_not_exist', 'The Session is expired or does not exist.');
        }
        if ($session['ip'] !== $_SERVER['REMOTE_ADDR']) {
            throw new SoapFault('session_ip_mismatch', 'Session IP mismatch.');
        }
        return $session;
    }

    protected function checkPerm($session_id, $function_name)
    {
        $session = $this->getSession($session_id);
        return in_array($function_name, explode(',', str_replace(';', ',', $session['functions'])));
    }

    /** checkPerm + the fault every method throws when it says no. Note that
     *  many methods check a permission named differently from themselves. */
    protected function need($session_id, $function_name)
    {
        if (!$this->checkPerm($session_id, $function_name)) {
            throw new SoapFault('permission_denied', 'You do not have the permissions to access this function.');
        }
    }

    public function server_get($session_id, $server_id = null, $section = '')
    {
        $this->need($session_id, 'server_get');
        $config = peer()['server_config'];
        if (!empty($server_id)) {
            return $this->server_config($config, $server_id, $section);
        }
        // QUIRK: keyed by server_id (1, 2, ...), so it travels as a Map with
        // integer keys, not as a list.
        $servers = [];
        foreach (peer()['tables']['server'] as $row) {
            $servers[(int)$row['server_id']] = $this->server_config($config, $row['server_id'], $section);
        }
        return $servers;
    }

    /** getconf::get_server_config: an unknown section is null, an unknown
     *  server an empty array (the ini parser's answer to an empty string). */
    private function server_config($config, $server_id, $section)
    {
        $sections = $config[(string)(int)$server_id] ?? [];
        return $section == '' ? $sections : ($sections[$section] ?? null);
    }

    public function server_get_all($session_id)
    {
        $this->need($session_id, 'server_get');
        $out = [];
        foreach (peer()['tables']['server'] as $row) {
            $out[] = ['server_id' => $row['server_id'], 'server_name' => $row['server_name']];
        }
        return $out;
    }

    public function get_function_list($session_id)
    {
        $this->need($session_id, 'get_function_list');
        // The panel answers every method its dispatcher serves (whatever the
        // remote user may call), plus PHP's __construct: the release's full
        // list, from the committed inventory of that release
        // (PANELKIT_PEER_VERSION picks a kept one; default the current).
        return array_merge(peer_inventory_methods(getenv('PANELKIT_PEER_VERSION') ?: null), ['__construct']);
    }

    // ---- remoting_lib ------------------------------------------------------------

    /** loadUserProfile: client 0 is the admin; any other client must exist. */
    protected function loadUserProfile($client_id)
    {
        $client_id = (int)$client_id;
        if ($client_id === 0) {
            $this->profile = ['client_id' => 0, 'userid' => 1, 'default_group' => 1];
            return;
        }
        foreach (peer()['tables']['sys_user'] as $user) {
            if ((int)$user['client_id'] === $client_id) {
                $this->profile = ['client_id' => $client_id, 'userid' => (int)$user['userid'],
                    'default_group' => (int)$user['default_group']];
                return;
            }
        }
        throw new SoapFault('invalid_client_id', 'Invalid client_id ' . $client_id);
    }

    /** getDataRecord: an id > 0 gives the row or null (QUIRK: not an empty
     *  array — queryOneRecord finds nothing), -1 all rows, 0 or another
     *  negative id the fault invalid_id, an array (or struct) a filtered list,
     *  anything else an empty array. */
    protected function getDataRecord($form, $primary_id, $client_id = 0)
    {
        $this->loadUserProfile($client_id);
        $rows = peer()['tables'][peer_form($form)['table']];
        if (is_numeric($primary_id)) {
            if ($primary_id > 0) {
                return $rows[(string)(int)$primary_id] ?? null;
            } elseif ($primary_id == -1) {
                return array_values($rows);
            }
            throw new SoapFault('invalid_id', 'The ID has to be > 0 or -1.');
        } elseif (is_array($primary_id) || is_object($primary_id)) {
            return $this->select($rows, is_object($primary_id) ? get_object_vars($primary_id) : $primary_id);
        }
        $this->errorMessage = 'The ID must be either an integer or an array.';
        return [];
    }

    /** The filter form of getDataRecord: `col = value` for each pair, QUIRK
     *  `col LIKE value` when the value contains `%` (so `_` matches any one
     *  character too), `#OFFSET#`/`#LIMIT#` page the result (the offset only
     *  applies together with a limit), an unknown column gives an empty list
     *  (the SQL error is swallowed). */
    private function select($rows, $filter)
    {
        $offset = 0;
        $limit = 0;
        $where = [];
        foreach ($filter as $key => $val) {
            if ($key == '#OFFSET#') {
                $offset = (int)$val;
            } elseif ($key == '#LIMIT#') {
                $limit = (int)$val;
            } else {
                $where[(string)$key] = (string)$val;
            }
        }
        $out = [];
        foreach ($rows as $row) {
            foreach ($where as $col => $val) {
                if (!array_key_exists($col, $row)) {
                    return [];
                }
                if (!peer_sql_match($row[$col], $val, stristr($val, '%') !== false)) {
                    continue 2;
                }
            }
            $out[] = $row;
        }
        return ($offset >= 0 && $limit > 0) ? array_slice($out, $offset, $limit) : $out;
    }

    /** insertQuery: every field of the form is written from $params; a field
     *  left out is written empty, 0, NULL or unchecked — QUIRK: the form's
     *  default is not applied. Answers the new id. */
    protected function insertQuery($form, $client_id, $params)
    {
        $this->errorMessage = '';
        $this->loadUserProfile($client_id);
        $def = peer_form($form);
        $record = $this->encode($def, (array)$params, 0);
        if ($this->errorMessage !== '') {
            throw new SoapFault('data_processing_error', $this->errorMessage);
        }
        $s = &peer();
        $table = &$s['tables'][$def['table']];
        $id = empty($table) ? 1 : max(array_map('intval', array_keys($table))) + 1;
        $row = [$def['index'] => (string)$id, 'sys_userid' => (string)$this->profile['userid'],
            'sys_groupid' => (string)$this->profile['default_group'], 'sys_perm_user' => 'riud',
            'sys_perm_group' => 'riud', 'sys_perm_other' => ''];
        // Columns outside the form keep the table's defaults.
        foreach (array_keys(reset($table) ?: []) as $column) {
            $row[$column] = $row[$column] ?? ($column === 'aux' ? '0' : null);
        }
        $table[(string)$id] = array_merge($row, $record);
        return $id;
    }

    /** updateQuery: the stored record merged with $params, then written through
     *  the form. QUIRK: with a client_id > 0 the record changes owner to that
     *  client. Answers MySQL's affected rows: 0 when nothing changed. */
    protected function updateQuery($form, $client_id, $primary_id, $params)
    {
        $this->errorMessage = '';
        $def = peer_form($form);
        // A primary_id that is neither a number nor an array leaves a message
        // here and an empty record (QUIRK: the update goes on with it).
        $old = $this->getDataRecord($form, $primary_id, $client_id);
        $this->loadUserProfile($client_id);
        // A PASSWORD field left empty keeps the stored hash (it is not
        // written at all); QUIRK: one that is sent is hashed, even when it is
        // the stored hash read back a moment ago.
        foreach ($def['fields'] as $key => $field) {
            if ($field[1] === 'PASSWORD' && empty($params[$key])) {
                unset($old[$key]);
            }
        }
        $merged = array_merge((array)$old, (array)$params);
        $record = $this->encode($def, $merged, $primary_id);
        if ($primary_id == 0) {
            // QUIRK: tform's getSQL stops with $app->error(): an HTML error
            // page with HTTP 200 instead of a SOAP answer. (An id of 0 itself
            // never gets here — getDataRecord faults first — but null does.)
            peer_html_error('Primary ID fehlt!');
        }
        if ($this->errorMessage !== '') {
            throw new SoapFault('data_processing_error', $this->errorMessage);
        }
        if ($this->profile['client_id'] > 0) {
            $record['sys_userid'] = (string)$this->profile['userid'];
            $record['sys_groupid'] = (string)$this->profile['default_group'];
        }
        $s = &peer();
        $key = (string)(int)$primary_id;
        if (!isset($s['tables'][$def['table']][$key])) {
            return 0;
        }
        $before = $s['tables'][$def['table']][$key];
        $s['tables'][$def['table']][$key] = array_merge($before, $record);
        return $s['tables'][$def['table']][$key] === $before ? 0 : 1;
    }

    /** deleteQuery: DELETE by primary key (of whatever record that is). */
    protected function deleteQuery($form, $primary_id)
    {
        $def = peer_form($form);
        $s = &peer();
        $key = (string)(int)$primary_id;
        $had = isset($s['tables'][$def['table']][$key]);
        unset($s['tables'][$def['table']][$key]);
        return $had ? 1 : 0;
    }

    /** tform's encode + getSQL for the fields of a form: SAVE filters, then
     *  validators (errors collected as `key<br />\r\n`), then the datatype. */
    private function encode($def, $record, $primary_id)
    {
        $out = [];
        foreach ($def['fields'] as $key => list($datatype, $formtype, $opts)) {
            if ($primary_id != 0 && !empty($opts['from_inventory']) && !array_key_exists($key, $record)) {
                continue;
            }
            foreach ($opts['filters'] ?? [] as $filter) {
                $record[$key] = peer_filter($filter, $record[$key] ?? '');
            }
            foreach ($opts['validators'] ?? [] as list($type, $arg, $errmsg)) {
                if (!$this->valid($def, $key, $record[$key] ?? '', $type, $arg, $primary_id)) {
                    $this->errorMessage .= $errmsg . "<br />\r\n";
                }
            }
            if ($formtype === 'PASSWORD') {
                // Written only when given, and then hashed (CRYPT).
                if (($record[$key] ?? '') === '') {
                    continue;
                }
                // `_ispconfig_pw_crypted = 1`: the value is a hash already.
                $crypted = ($record['_ispconfig_pw_crypted'] ?? 0) == 1;
                $out[$key] = $crypted ? (string)$record[$key] : peer_crypt((string)$record[$key]);
                continue;
            }
            if ($datatype === 'INTEGER') {
                $value = isset($record[$key]) ? (int)$record[$key] : 0;
            } elseif ($datatype === 'TEXT') {
                $value = $record[$key] ?? null; // a missing TEXT field is written as NULL
            } else {
                $value = $record[$key] ?? '';
            }
            if ($formtype === 'CHECKBOX' && $value == '') {
                $value = $opts['values'][0]; // unchecked, whatever the default
            }
            // What the database gives back: strings, or NULL.
            $out[$key] = $value === null ? null : (is_array($value) ? 'Array' : (string)$value);
        }
        return $out;
    }

    private function valid($def, $key, $value, $type, $arg, $primary_id)
    {
        switch ($type) {
            case 'NOTEMPTY':
                return isset($value) && $value !== '';
            case 'REGEX':
                return (bool)preg_match($arg . 's', (string)$value);
            case 'ISIPV6':
                return (bool)filter_var($value, FILTER_VALIDATE_IP, FILTER_FLAG_IPV6);
            case 'ISIPV4':
                return (bool)filter_var($value, FILTER_VALIDATE_IP, FILTER_FLAG_IPV4);
            case 'ISEMAIL':
                return filter_var($value, FILTER_VALIDATE_EMAIL) !== false && !preg_match('/\+/', (string)$value);
            case 'ISEMAILADDRESS':
                return filter_var($value, FILTER_VALIDATE_EMAIL) !== false;
            case 'ISINT':
                return $value == '' || filter_var($value, FILTER_VALIDATE_INT) !== false;
            case 'RANGE':
                // PHP 8 comparison, as the panel does it: a missing value is ''
                // and '' < '60' compares as strings — so an omitted ttl fails.
                list($min, $max) = explode(':', $arg);
                return !(($min != '' && $value < $min) || ($max != '' && $value > $max));
            case 'UNIQUE':
                foreach (peer()['tables'][$def['table']] as $id => $row) {
                    if ((string)$id !== (string)$primary_id && peer_sql_match($row[$key] ?? null, (string)$value, false)) {
                        return false;
                    }
                }
                return true;
        }
        return true;
    }
}

/** The panel's CRYPT of a PASSWORD field, reduced to a recognizable,
 *  deterministic stand-in: `$6$peer$` and the SHA-256 of the value. */
function peer_crypt($value)
{
    return '$6$peer$' . hash('sha256', $value);
}

/** A SAVE filter of a form field. */
function peer_filter($filter, $value)
{
    switch ($filter) {
        case 'TOLOWER':
            return strtolower($value);
        case 'IDNTOASCII':
            return function_exists('idn_to_ascii') && $value !== '' ? (idn_to_ascii($value) ?: $value) : $value;
        case 'STRIPTAGS':
            return strip_tags(preg_replace('/<script[^>]*?>.*?<\/script>/is', '', $value));
        case 'STRIPNL':
            return str_replace(["\n", "\r"], '', $value);
    }
    return $value;
}

/** MySQL's `=` (case-insensitive, trailing spaces ignored, numbers compared as
 *  numbers) or `LIKE` (`%` any run, `_` any one character, `\` escapes). SQL
 *  NULL matches nothing. */
function peer_sql_match($have, $want, $like)
{
    if ($have === null) {
        return false;
    }
    if (!$like) {
        if (is_numeric($have) && is_numeric($want)) {
            return $have == $want;
        }
        return strcasecmp(rtrim((string)$have, ' '), rtrim($want, ' ')) === 0;
    }
    $re = '';
    for ($i = 0; $i < strlen($want); $i++) {
        $c = $want[$i];
        if ($c === '\\' && $i + 1 < strlen($want)) {
            $re .= preg_quote($want[++$i], '/');
        } elseif ($c === '%') {
            $re .= '.*';
        } elseif ($c === '_') {
            $re .= '.';
        } else {
            $re .= preg_quote($c, '/');
        }
    }
    return (bool)preg_match('/^' . $re . '$/isu', (string)$have);
}

/** $app->error(): the theme's error template, read raw (its template tag is
 *  left unexpanded), with the message in it; PHP's default text/html content
 *  type, HTTP 200, and the end of the request. */
function peer_html_error($message)
{
    echo "<div class='alert alert-danger clear'>\n"
        . "  <div class='alert-label'><strong><tmpl_var name=\"error_txt\"></strong></div>\n"
        . "  <div class='alert-content'>$message</div>\n"
        . "</div>\n";
    exit;
}
