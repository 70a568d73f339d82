<?php
// Bench baseline: PHP ext/soap's SoapClient decoding the same response bytes.
// __doRequest returns the file instead of sending anything.
// Usage: php decode.php RESPONSE_FILE. After one untimed warm-up decode, each
// line read from stdin runs one timed decode and prints its seconds, so the
// bench can interleave PHP's samples with its own under the same load.
class FileSoapClient extends SoapClient
{
    public $body;
    public function __doRequest($request, $location, $action, $version, $one_way = false): ?string
    {
        return $this->body;
    }
}
$client = new FileSoapClient(null, ['location' => 'http://127.0.0.1/remote/index.php', 'uri' => 'urn:bench']);
$client->body = file_get_contents($argv[1]);
$client->dns_rr_get_all_by_zone('session', 1);
while (fgets(STDIN) !== false) {
    $start = hrtime(true);
    $rows = $client->dns_rr_get_all_by_zone('session', 1);
    $seconds = (hrtime(true) - $start) / 1e9;
    if (count($rows) < 1) {
        fwrite(STDERR, "no rows decoded\n");
        exit(1);
    }
    echo $seconds, "\n";
    fflush(STDOUT);
}
