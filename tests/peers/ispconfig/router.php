<?php
// Router for `php -S 127.0.0.1:PORT router.php`: a stand-in for ISPConfig's
// /remote/index.php built on PHP's own SoapServer, so the bytes on the wire are
// the ones a real panel sends. /_peer/* are test-only control endpoints.
require __DIR__ . '/state.php';
require __DIR__ . '/handler.php';

$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
if (strpos($path, '/_peer/') === 0) {
    peer_control(substr($path, strlen('/_peer/')));
    return true;
}
if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
    // Like the panel: a GET of the endpoint is not a SOAP request.
    header('Content-Type: text/html');
    echo "<html><body>Remote API: POST SOAP requests here.</body></html>";
    return true;
}
$server = new SoapServer(null, ['uri' => $_SERVER['REQUEST_URI']]);
$server->setObject(new PeerSoapHandler());
$server->handle();
return true;
