<?php
// Router for `php -S 127.0.0.1:PORT router.php`: a stand-in for ISPConfig's
// /remote/index.php built on PHP's own SoapServer (non-WSDL), so the bytes on
// the wire are the ones a panel sends, and for /remote/json.php (json.php). /_peer/* are test-only control
// endpoints (plain HTTP + JSON); see README.md.

// A production panel shows no PHP notices in its answers; log them instead.
ini_set('display_errors', '0');
ini_set('log_errors', '1');
error_reporting(E_ALL);

require __DIR__ . '/state.php';
require __DIR__ . '/forms.php';
require __DIR__ . '/remoting.php';
require __DIR__ . '/handler.php';
require __DIR__ . '/crud.php';
require __DIR__ . '/json.php';

$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
peer_begin($path === '/remote/index.php' || $path === '/remote/json.php');
if (strpos($path, '/_peer/') === 0) {
    peer_control(substr($path, strlen('/_peer/')));
    return true;
}
if ($path === '/remote/json.php') {
    peer_json_run();
    return true;
}
if ($path !== '/remote/index.php') {
    http_response_code(404);
    header('Content-Type: text/html');
    echo "<html><body><h1>Not Found</h1></body></html>\n";
    return true;
}
// Exactly what the panel's remote/index.php does (GET included: SoapServer
// answers it with a fault, as on a panel).
$server = new SoapServer(null, ['uri' => $_SERVER['REQUEST_URI']]);
$server->setObject(new PeerSoapHandler());
$server->handle();
return true;
