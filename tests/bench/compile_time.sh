#!/usr/bin/env bash
# Compile-time benchmark of a generated crate against any number of peer crates
# generated from the same spec, all in one run (not a test: the numbers depend
# on the machine and its load; compare the ratios inside one run).
#
#   tests/bench/compile_time.sh CRATE FEATURE PEER...
#   PEER is NAME=DIR or NAME=DIR:CARGO_ARGS (CARGO_ARGS split on spaces), e.g.
#     tests/bench/compile_time.sh panelkit-sftpgo users \
#       "openapi-generator=/tmp/og-sftpgo:--no-default-features --features rustls" \
#       progenitor=/tmp/prog-sftpgo
#     tests/bench/compile_time.sh panelkit-ionos data_centers \
#       "openapi-generator=/tmp/og-ionos:--no-default-features --features rustls" \
#       progenitor=/tmp/prog-ionos
#
# Each peer is a standalone crate outside the repository: add an empty
# `[workspace]` table to its Cargo.toml (the script runs `cargo fetch` itself).
#
# The specs are the ones the inventories record, resolved like the tests do
# (PANELKIT_UPSTREAM_DIR, else the per-user cache, else a download checked
# against the recorded sha256):
#   SFTPGO_SPEC=$(cargo xtask upstream inventories/sftpgo/inventory.json)
#   IONOS_SPEC=$(cargo xtask upstream inventories/ionos/inventory.json)
#
# openapi-generator's `rust` output (PyPI `openapi-generator-cli`, needs Java):
#   openapi-generator-cli generate -g rust -i "$SFTPGO_SPEC" \
#     -o /tmp/og-sftpgo --package-name og-sftpgo
#   openapi-generator-cli generate -g rust -i "$IONOS_SPEC" \
#     -o /tmp/og-ionos --package-name og-ionos --skip-validate-spec
#   (IONOS: it rejects the spec's security-scheme names without the flag)
#
# progenitor's output (`cargo install cargo-progenitor --version 0.15.1`). It
# rejects both specs as published, so a patched copy is made as JSON (yaml
# dates are written as strings) and never committed:
#   cargo progenitor -i /tmp/prog-sftpgo.json -o /tmp/prog-sftpgo -n prog-sftpgo -v 0.1.0
#   cargo progenitor -i /tmp/prog-ionos.json -o /tmp/prog-ionos -n prog-ionos -v 0.1.0
# SFTPGo, each patch followed by what progenitor says without it:
#   python3 - "$SFTPGO_SPEC" /tmp/prog-sftpgo.json <<'EOF'
#   import json, sys, yaml
#   d = yaml.safe_load(open(sys.argv[1])); P = d["paths"]
#   # "path /user/file-actions/copy is missing operation ID"
#   P["/user/file-actions/copy"]["post"]["operationId"] = "user_file_actions_copy"
#   P["/user/file-actions/move"]["post"]["operationId"] = "user_file_actions_move"
#   # "unexpected content type: multipart/form-data" (the 2 multi-file uploads) and
#   # "more media types than expected for upload_single_to_share: 5" (application/*,
#   # text/*, ... on the 2 raw uploads): all 4 bodies become one octet stream
#   for p in ["/user/files", "/shares/{id}", "/user/files/upload", "/shares/{id}/{fileName}"]:
#       P[p]["post"]["requestBody"]["content"] = {
#           "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}
#   # panic "assertion failed: response_types.len() <= 1": the `default` response
#   # (ApiResponse) counts as a success type next to the 2xx type, so every
#   # `default` is removed (errors outside the listed codes become untyped)
#   for item in P.values():
#       for op in item.values():
#           if isinstance(op, dict): op.get("responses", {}).pop("default", None)
#   json.dump(d, open(sys.argv[2], "w"), default=str)
#   EOF
# IONOS v6:
#   python3 - "$IONOS_SPEC" /tmp/prog-ionos.json <<'EOF'
#   import json, sys, yaml
#   d = yaml.safe_load(open(sys.argv[1]))
#   for item in d["paths"].values():
#       for op in item.values():
#           if not isinstance(op, dict): continue
#           # "unexpected content type: */*" (11 PATCH and share bodies, JSON in fact)
#           body = op.get("requestBody", {}).get("content", {})
#           if "*/*" in body: body["application/json"] = body.pop("*/*")
#           # panic "assertion failed: response_types.len() <= 1": every `default`
#           # (the Error body) is removed, which leaves errors untyped
#           op.get("responses", {}).pop("default", None)
#   json.dump(d, open(sys.argv[2], "w"), default=str)
#   EOF
# progenitor's Cargo.toml turns reqwest's default features off and enables no
# TLS backend: as generated it cannot call an https API. Measure it both as
# generated (its most favourable case) and with the TLS stack ours uses
# (rustls 0.23 on ring), e.g. as peer progenitor+tls=/tmp/prog-sftpgo-tls:
#   cp -r /tmp/prog-sftpgo /tmp/prog-sftpgo-tls && cd /tmp/prog-sftpgo-tls && sed -i \
#     -e 's/"json", "query", "stream"]/"json", "query", "stream", "rustls-no-provider"]/' \
#     -e '/^\[dependencies\]/a rustls = { version = "0.23", default-features = false, features = ["ring", "std", "tls12", "logging"] }' \
#     Cargo.toml
# (openapi-generator's `rustls` feature is reqwest 0.13's, on aws-lc-rs: its
# cold check includes building aws-lc-sys's C code.)
#
# Measures, each subject in its own fresh target directory under $BENCH_DIR
# (default /tmp/panelkit-compile-bench, removed at the end):
#   cold   `cargo check` including dependencies (already fetched);
#   touch  its lib.rs touched, `cargo check` again: the dev profile is
#          incremental, so this is mostly served from the incremental cache;
#   clean  the crate alone from scratch: `cargo clean -p CRATE` (which also
#          drops its incremental cache), then `cargo check`;
# touch and clean are medians of 3. Subjects: every peer, then ours with all
# features (default) and with FEATURE only.
set -euo pipefail; shopt -s inherit_errexit
crate=$1 feature=$2; shift 2
[ $# -ge 1 ] || { echo "usage: $0 CRATE FEATURE NAME=DIR[:CARGO_ARGS]..." >&2; exit 2; }
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=${BENCH_DIR:-/tmp/panelkit-compile-bench}
rm -rf "$dir"; mkdir -p "$dir"

seconds() { local s; s=$(date +%s.%N); "$@" >"$dir/last.log" 2>&1 || { tail -20 "$dir/last.log" >&2; exit 1; }; echo "$(date +%s.%N) - $s" | bc; }
median() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
median3() { local runs=(); for _ in 1 2 3; do "$@"; runs+=("$(seconds check)"); done; median "${runs[@]}"; }

# One subject at a time: its directory, package, lib.rs, cargo args and target dir.
sub_dir='' sub_pkg='' sub_lib='' sub_target='' sub_args=()
check() { (cd "$sub_dir" && CARGO_TARGET_DIR="$sub_target" cargo check -p "$sub_pkg" "${sub_args[@]}"); }
touch_lib() { touch "$sub_lib"; }
clean_pkg() { (cd "$sub_dir" && CARGO_TARGET_DIR="$sub_target" cargo clean -p "$sub_pkg" >/dev/null 2>&1); }
measure() { # LABEL
    (cd "$sub_dir" && cargo fetch -q)
    rm -rf "$sub_target"
    local cold touched cleaned # assigned apart so that a failed check stops the run
    cold=$(seconds check); touched=$(median3 touch_lib); cleaned=$(median3 clean_pkg)
    printf '%-22s cold %6.1f s  touch %5.1f s  clean %5.1f s\n' "$1" "$cold" "$touched" "$cleaned"
}

echo "load before: $(uptime | sed 's/.*load average: //')"
for peer in "$@"; do
    name=${peer%%=*} spec=${peer#*=}
    sub_dir=${spec%%:*} sub_args=()
    [[ $spec == *:* ]] && read -ra sub_args <<<"${spec#*:}"
    sub_pkg=$(sed -n 's/^name *= *"\(.*\)"/\1/p' "$sub_dir/Cargo.toml" | head -1)
    sub_lib=$sub_dir/src/lib.rs sub_target=$dir/peer-$name
    measure "$name"
done
sub_dir=$root sub_pkg=$crate sub_target=$dir/ours
sub_lib=$(find "$root/crates/$crate/src" -name lib.rs)
sub_args=(); measure "ours (all features)"
sub_args=(--no-default-features --features "$feature"); measure "ours ($feature)"
echo "load after:  $(uptime | sed 's/.*load average: //')"
rm -rf "$dir"
