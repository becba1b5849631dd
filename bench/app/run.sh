#!/usr/bin/env bash
# The app's benchmark: cold start, frame-to-verdict latency (at a door's
# pace and flat out) and memory after 1,000 scans, in the real app (release)
# under Xvfb, with a bare Tauri window as the memory reference. Writes the
# "App" section of docs/benchmarks.md.
#
#   bash bench/app/run.sh        (SCANS=1000 DOOR_SCANS=100 DOOR_HOLD=8 COLD_RUNS=7)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
export PATH="$HOME/.cargo/bin:$PATH"
SCANS=${SCANS:-1000}
DOOR_SCANS=${DOOR_SCANS:-100}
DOOR_HOLD=${DOOR_HOLD:-8}
COLD_RUNS=${COLD_RUNS:-7}
log() { printf '[bench-app] %s\n' "$*" >&2; }

scripts/setup.sh
(cd ui && npm run build --silent)
log "release builds of the app, the bare window and the CLI"
cargo build --release -p checkin-app -p checkin-cli
cargo build --release -p checkin-app --example bare_window
cargo build -p checkin-scan --example demo_frames
REL="$CARGO_TARGET_DIR/release"
APP="$REL/checkin-app"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/checkin-bench-app-XXXXXX")
XVFB_PID="" DRIVER_PID=""
stop_driver() {
  if [ -n "$DRIVER_PID" ]; then
    pkill -P "$DRIVER_PID" 2>/dev/null || true
    kill "$DRIVER_PID" 2>/dev/null || true
    wait "$DRIVER_PID" 2>/dev/null || true
    DRIVER_PID=""
  fi
}
cleanup() {
  stop_driver
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
mkdir -p "$WORK/door"
for f in $(ls "$WORK/frames" | head -n "$DOOR_SCANS"); do ln -s "$WORK/frames/$f" "$WORK/door/$f"; done
station() { "$REL/checkin" --data-dir "$WORK/$1" settings --venue 01-00001-BENCH >/dev/null; echo "$WORK/$1"; }

Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$WORK/display" >"$WORK/xvfb.log" 2>&1 &
XVFB_PID=$!
for _ in $(seq 1 100); do [ -s "$WORK/display" ] && break; sleep 0.1; done
export DISPLAY=":$(head -n1 "$WORK/display")"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# tauri-driver with the app's environment: a station, a camera replaying DIR, frames per code.
start_driver() {
  PORT=$(free_port)
  CHECKIN_DATA_DIR="$1" CHECKIN_CAMERA="replay:$2" CHECKIN_REPLAY_HOLD_FRAMES="$3" \
    tauri-driver --port "$PORT" --native-port "$(free_port)" >>"$WORK/driver.log" 2>&1 &
  DRIVER_PID=$!
  for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done
}

log "cold start"
python3 bench/app/bench.py cold --app "$APP" --data-dir "$(station cold)" --runs "$COLD_RUNS" >"$WORK/cold.json"
log "bare windows"
python3 bench/app/bench.py bare --bare "$REL/examples/bare_window" >"$WORK/bare.json"
log "door pace: $DOOR_SCANS people, each code in view for $DOOR_HOLD frames"
start_driver "$(station door-station)" "$WORK/door" "$DOOR_HOLD"
python3 bench/app/bench.py scans --driver "http://127.0.0.1:$PORT" --app "$APP" --scans "$DOOR_SCANS" --hold "$DOOR_HOLD" >"$WORK/door.json"
stop_driver
log "flat out: $SCANS people, a new code every frame, then memory"
start_driver "$(station load-station)" "$WORK/frames" 1
python3 bench/app/bench.py scans --driver "http://127.0.0.1:$PORT" --app "$APP" --scans "$SCANS" --hold 1 --memory >"$WORK/load.json"
stop_driver

python3 bench/app/bench.py report --cold-json "$WORK/cold.json" --bare-json "$WORK/bare.json" \
  --door-json "$WORK/door.json" --load-json "$WORK/load.json" >"$WORK/section.md"
python3 scripts/bench_md.py "App" docs/benchmarks.md <"$WORK/section.md"
cat "$WORK/section.md"
