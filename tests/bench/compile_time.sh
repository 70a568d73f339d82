#!/usr/bin/env bash
# Compile-time benchmark of a generated crate against a peer crate generated
# from the same spec, in one run (not a test: numbers depend on the machine).
#
#   tests/bench/compile_time.sh CRATE FEATURE PEER_DIR [PEER_CARGO_ARGS...]
#   e.g. tests/bench/compile_time.sh panelkit-ionos data_centers /tmp/og-ionos \
#          --no-default-features --features rustls
#        tests/bench/compile_time.sh panelkit-sftpgo users /tmp/og-sftpgo \
#          --no-default-features --features rustls
#   (peer: `openapi-generator-cli generate -g rust -i ../shared/upstream/sftpgo/openapi.yaml
#    -o /tmp/og-sftpgo --package-name og-sftpgo`, outside the repository)
#
# The peer is a standalone crate (openapi-generator's `rust` output: add an
# empty `[workspace]` table to its Cargo.toml and `cargo fetch` it first).
# Measures, each in its own fresh target directory under $BENCH_DIR
# (default /tmp/panelkit-compile-bench, removed at the end):
#   (a) cold `cargo check` including dependencies (already fetched);
#   (b) the crate alone: its lib.rs touched, `cargo check` again (median of 3).
# Ours is measured with all features (default) and with FEATURE only.
set -euo pipefail
crate=$1 feature=$2 peer=$3; shift 3
peer_args=("$@")
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=${BENCH_DIR:-/tmp/panelkit-compile-bench}
rm -rf "$dir"; mkdir -p "$dir"
seconds() { local s; s=$(date +%s.%N); "$@" >"$dir/last.log" 2>&1 || { tail -20 "$dir/last.log"; exit 1; }; echo "$(date +%s.%N) - $s" | bc; }
ours() { (cd "$root" && CARGO_TARGET_DIR="$dir/$1" cargo check -p "$crate" "${@:2}"); }
theirs() { (cd "$peer" && CARGO_TARGET_DIR="$dir/peer" cargo check "${peer_args[@]}"); }
median() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
alone() { local runs=(); for _ in 1 2 3; do touch "$1"; runs+=("$(seconds "${@:2}")"); done; median "${runs[@]}"; }
ours_lib=$(find "$root/crates/$crate/src" -name lib.rs)
echo "peer cold:          $(seconds theirs) s"
echo "peer alone:         $(alone "$peer/src/lib.rs" theirs) s"
echo "ours all cold:      $(seconds ours all) s"
echo "ours all alone:     $(alone "$ours_lib" ours all) s"
echo "ours $feature cold: $(seconds ours one --no-default-features --features "$feature") s"
echo "ours $feature alone: $(alone "$ours_lib" ours one --no-default-features --features "$feature") s"
rm -rf "$dir"
