#!/usr/bin/env bash
# Durable insert latency of a check-in vs raw fsync of the same disk, same run.
# Writes the "Durable insert latency" section of docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/checkin-target}"
N="${N:-2000}"
RUNS="${RUNS:-3}"
DIR="${BENCH_DIR:-/var/tmp/checkin-bench-insert}"
cargo build -q --release -p checkin-store --example insert_latency
BIN="$CARGO_TARGET_DIR/release/examples/insert_latency"
results=()
for i in $(seq 1 "$RUNS"); do
  r=$("$BIN" "$DIR" "$N")
  echo "run $i: $r"
  results+=("$r")
done
rm -rf "$DIR"
printf '%s\n' "${results[@]}" | python3 scripts/bench_insert_report.py /var/tmp \
  | python3 scripts/bench_md.py "Durable insert latency"
sed -n '/^## Durable insert latency/,$p' docs/benchmarks.md
