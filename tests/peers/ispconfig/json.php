<?php
// The JSON endpoint `/remote/json.php`, as the panel's ISPConfigJSONHandler
// (3.2.12p1) answers it, over the same method implementations as the SOAP
// endpoint (PeerSoapHandler): `POST json.php?<method>` with a JSON object
// body; parameters are taken by PHP parameter name, a missing one is passed
// as null (not the PHP default); the answer is always HTTP 200
// `{"code", "message", "response"}`, and a SoapFault keeps only its message
// (`remote_fault`). Our own code, written from the handler's documented
// behaviour and checked against the genuine panel.

/** Prints the handler's envelope and ends the request. */
function peer_json_return($code, $message, $data = false)
{
    $ret = new stdClass;
    $ret->code = $code;
    $ret->message = $message;
    $ret->response = $data;
    header('Content-Type: application/json; charset="utf-8"');
    print json_encode($ret);
    exit;
}

/** The PHP parameter names of `$method`, in order: the implementing
 *  method's own, or (for the generic form methods, which have no PHP method
 *  here) the panel's, from the committed inventory. */
function peer_json_param_names($handler, $method)
{
    $object = $handler->object_of($method);
    if (method_exists($object, $method)) {
        return array_map(function ($p) { return $p->name; },
            (new ReflectionMethod($object, $method))->getParameters());
    }
    return peer_inventory_params($method);
}

function peer_json_run()
{
    if (count($_GET) < 1) {
        peer_json_return('invalid_method', 'Method not provided in json call');
    }
    $keys = array_keys($_GET);
    $method = reset($keys);
    $json = json_decode(file_get_contents('php://input'), true);
    if (!is_array($json)) {
        peer_json_return('invalid_data', 'The JSON data sent to the api is invalid');
    }
    $handler = new PeerSoapHandler();
    if (!$handler->has($method)) {
        peer_json_return('invalid_method', 'Method ' . $method . ' does not exist');
    }
    $params = [];
    foreach (peer_json_param_names($handler, $method) as $name) {
        // QUIRK: isset — a missing name and a JSON null are both null, and
        // the PHP default is never used.
        $params[] = isset($json[$name]) ? $json[$name] : null;
    }
    try {
        peer_json_return('ok', '', $handler->dispatch($method, $params));
    } catch (SoapFault $e) {
        peer_json_return('remote_fault', $e->getMessage());
    } catch (Error $e) {
        // QUIRK: the handler catches only SoapFault. A PHP error (the
        // panel's one-argument `new SoapFault('Invalid client')` is an
        // ArgumentCountError) ends the script with PHP's fatal error text,
        // which the panel shows as an HTML fragment with HTTP 200.
        header('Content-Type: text/html; charset=utf-8');
        echo "<br />\n<b>Fatal error</b>:  Uncaught " . get_class($e) . ': '
            . htmlspecialchars($e->getMessage()) . "<br />\n";
        exit;
    }
}
