#!/usr/bin/env bash
# The citizen's phone page: bytes a cold phone downloads before its first
# check-in, time from opening a poster's link to the declaration form on an
# emulated slow 3G link (400 kbit/s, 400 ms round trip), and how long an
# offline check-in takes to reach the server once the link returns. Real
# server (release, SQLite), real Chromium with a phone viewport. Writes the
# "Citizen phone page" section of docs/benchmarks.md.
#
#   bash bench/citizen/run.sh        (RUNS=7)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
export PATH="$HOME/.cargo/bin:$PATH"
scripts/setup.sh
(cd ui && npm run build --silent)
cargo build -q --release -p checkin-server
SERVER="$CARGO_TARGET_DIR/release/checkin-server" RUNS=${RUNS:-7} node bench/citizen/bench.mjs "$ROOT"
