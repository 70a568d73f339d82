<?php
// Bench baseline: PHP ext/soap's SoapClient decoding the same response bytes.
// __doRequest returns the file instead of sending anything.
// Usage: php decode.php RESPONSE_FILE ITERATIONS  → prints the median seconds.
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
$n = (int)$argv[2];
$times = [];
for ($i = 0; $i < $n; $i++) {
    $start = hrtime(true);
    $rows = $client->dns_rr_get_all_by_zone('session', 1);
    $times[] = (hrtime(true) - $start) / 1e9;
    if (count($rows) < 1) {
        fwrite(STDERR, "no rows decoded\n");
        exit(1);
    }
}
sort($times);
echo $times[intdiv(count($times), 2)], "\n";
