<?php
// Bench baseline: PHP's json_decode of a json.php answer.
// Usage: php json_decode.php ANSWER_FILE. First re-encodes the file with
// json_encode exactly as the panel's JSON handler prints its answer (an
// object {code, message, response}, default flags: `\/` and `\uXXXX`
// escapes), writes it back and prints "ready"; then each line read from
// stdin runs one timed json_decode($body, true) and prints its seconds.
$path = $argv[1];
$answer = json_decode(file_get_contents($path), true);
$ret = new stdClass;
$ret->code = $answer['code'];
$ret->message = $answer['message'];
$ret->response = $answer['response'];
$body = json_encode($ret);
file_put_contents($path, $body);
json_decode($body, true);
echo "ready\n";
fflush(STDOUT);
while (fgets(STDIN) !== false) {
    $start = hrtime(true);
    $decoded = json_decode($body, true);
    $seconds = (hrtime(true) - $start) / 1e9;
    if (count($decoded['response']) < 1) {
        fwrite(STDERR, "no rows decoded\n");
        exit(1);
    }
    echo $seconds, "\n";
    fflush(STDOUT);
}
