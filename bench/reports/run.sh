#!/usr/bin/env bash
# The reports at 10 million records, on SQLite and PostgreSQL: writes the
# "Reports at 10 million records" section of docs/benchmarks.md.
# Each run generates the data through ingest (tens of minutes on 2 cores,
# about 2 KB a record: 20 GB per store at 10 million, one store at a time;
# --keep keeps SQLite's under /var/tmp/checkin-report-bench for later runs).
# Extra arguments go to report-bench (e.g. --records 1000000).
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/checkin-target}"
cargo build -q --release -p checkin-e2e --bin report-bench
BIN="$CARGO_TARGET_DIR/release/report-bench"
scripts/with-postgres.sh "$BIN" --write docs/benchmarks.md "$@"
