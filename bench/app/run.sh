#!/usr/bin/env bash
# The app's benchmark: cold start, frame-to-verdict latency and memory after
# 1,000 scans, in the real app (release) under Xvfb, with a bare Tauri window
# as the memory reference. Writes the "App" section of docs/benchmarks.md.
#
#   bash bench/app/run.sh            (SCANS=1000 COLD_RUNS=7 by default)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
export PATH="$HOME/.cargo/bin:$PATH"
SCANS=${SCANS:-1000}
COLD_RUNS=${COLD_RUNS:-7}
log() { printf '[bench-app] %s\n' "$*" >&2; }

scripts/setup.sh
(cd ui && npm run build --silent)
log "release build of the app, the bare window and the CLI"
cargo build --release -p checkin-app -p checkin-cli --example bare_window
cargo build -p checkin-scan --example demo_frames
REL="$CARGO_TARGET_DIR/release"
APP="$REL/checkin-app"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/checkin-bench-app-XXXXXX")
XVFB_PID="" DRIVER_PID=""
cleanup() {
  [ -n "$DRIVER_PID" ] && { pkill -P "$DRIVER_PID" 2>/dev/null || true; kill "$DRIVER_PID" 2>/dev/null || true; }
  [ -n "$XVFB_PID" ] && kill "$XVFB_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

log "making $SCANS frames of distinct ID-card codes"
CODES=()
for i in $(seq 1 "$SCANS"); do
  CODES+=("$(printf '0010%08d||NGUYEN VAN BENCH %d|01021990|Nam|Ha Noi|01012021' "$i" "$i")")
done
"$CARGO_TARGET_DIR/debug/examples/demo_frames" "$WORK/frames" "${CODES[@]}" >/dev/null
DATA="$WORK/station"
"$REL/checkin" --data-dir "$DATA" settings --venue 01-00001-BENCH >/dev/null

Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$WORK/display" >"$WORK/xvfb.log" 2>&1 &
XVFB_PID=$!
for _ in $(seq 1 100); do [ -s "$WORK/display" ] && break; sleep 0.1; done
export DISPLAY=":$(head -n1 "$WORK/display")"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
NPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# The app started by the driver replays the frames at 15 fps, one frame each.
CHECKIN_DATA_DIR="$DATA" CHECKIN_CAMERA="replay:$WORK/frames" CHECKIN_REPLAY_HOLD_FRAMES=1 \
  tauri-driver --port "$PORT" --native-port "$NPORT" >"$WORK/driver.log" 2>&1 &
DRIVER_PID=$!
for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done

python3 bench/app/bench.py --driver "http://127.0.0.1:$PORT" --app "$APP" \
  --bare "$REL/examples/bare_window" --data-dir "$DATA" --scans "$SCANS" --cold-runs "$COLD_RUNS" \
  > "$WORK/section.md"
python3 scripts/bench_md.py "App" docs/benchmarks.md < "$WORK/section.md"
cat "$WORK/section.md"
