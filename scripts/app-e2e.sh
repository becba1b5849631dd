#!/usr/bin/env bash
# End-to-end test of the Tauri app in its real WebView (WebKitGTK), headless.
#
# Installs what is missing (Debian packages, tauri-driver, npm packages),
# builds the UI, the app, the `checkin` CLI, the server and the demo-frames
# tool, starts a server on loopback (SQLite) with a venue and an enrollment
# code, starts Xvfb and tauri-driver with a fresh data dir, and runs
# tests/app-e2e/test_app.py (enrollment, kiosk pass, replayed camera, wedge
# scanner, tampered pass, sync to the server, every screen in both
# languages and sizes). The last line of output is `N passed, M failed`.
#
# Environment:
#   CARGO_TARGET_DIR      honoured (default: <repo>/target)
#   APP_E2E_ARTIFACTS     where screenshots and logs go (default: $CARGO_TARGET_DIR/app-e2e)
#   APP_E2E_SKIP_BUILD=1  reuse the binaries and ui/dist already built
#   APP_E2E_KEEP=1        keep the data dir
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
ARTIFACTS=${APP_E2E_ARTIFACTS:-$CARGO_TARGET_DIR/app-e2e}
export PATH="$HOME/.cargo/bin:$PATH"

log() { printf '[app-e2e %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
T0=$(date +%s)
since() { echo "$(( $(date +%s) - $1 ))s"; }

# --- what must be installed -------------------------------------------------
# The project's one installer: Debian packages, npm packages, tauri-driver.
"$ROOT/scripts/setup.sh"

# --- build --------------------------------------------------------------------
APP="$CARGO_TARGET_DIR/debug/checkin-app"
CLI="$CARGO_TARGET_DIR/debug/checkin"
SERVER="$CARGO_TARGET_DIR/debug/checkin-server"
FRAMES="$CARGO_TARGET_DIR/debug/examples/demo_frames"
if [ "${APP_E2E_SKIP_BUILD:-0}" != 1 ]; then
  t=$(date +%s)
  (cd ui && npm run build)
  log "UI built in $(since "$t")"
  t=$(date +%s)
  # The app embeds ui/dist at compile time, so the UI is built first.
  cargo build -p checkin-app -p checkin-cli -p checkin-server
  cargo build -p checkin-scan --example demo_frames
  log "app, CLI, server and frames tool built in $(since "$t")"
fi
for bin in "$APP" "$CLI" "$SERVER" "$FRAMES"; do
  [ -x "$bin" ] || { log "missing $bin (build first, or unset APP_E2E_SKIP_BUILD)"; exit 2; }
done

# --- processes, cleaned up by their own PIDs ----------------------------------
RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/checkin-e2e-XXXXXX")
DATA_DIR="$RUN_DIR/data"
XVFB_PID=""
DRIVER_PID=""
SERVER_PID=""
descendants() { # PIDs under $1, deepest first
  local c
  for c in $(pgrep -P "$1" 2>/dev/null || true); do descendants "$c"; echo "$c"; done
}
cleanup() {
  local rc=$?
  if [ -n "$DRIVER_PID" ]; then
    # tauri-driver's children (WebKitWebDriver, the app) if a session was left open.
    local kids
    kids=$(descendants "$DRIVER_PID")
    kill "$DRIVER_PID" 2>/dev/null || true
    for k in $kids; do kill "$k" 2>/dev/null || true; done
    wait "$DRIVER_PID" 2>/dev/null || true
  fi
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [ -n "$XVFB_PID" ]; then
    kill "$XVFB_PID" 2>/dev/null || true
    wait "$XVFB_PID" 2>/dev/null || true
  fi
  if [ "${APP_E2E_KEEP:-0}" = 1 ]; then log "data dir kept: $DATA_DIR"; else rm -rf "$RUN_DIR"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# --- a server on loopback with a venue and an enrollment code ------------------
mkdir -p "$ARTIFACTS"
SERVER_PORT=$(free_port)
SERVER_URL="http://127.0.0.1:$SERVER_PORT"
SERVER_DB="sqlite://$RUN_DIR/server.db"
"$SERVER" serve --listen "127.0.0.1:$SERVER_PORT" --database "$SERVER_DB" >"$ARTIFACTS/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$SERVER_PORT") 2>/dev/null && break
  kill -0 "$SERVER_PID" 2>/dev/null || { log "server exited"; cat "$ARTIFACTS/server.log" >&2; exit 2; }
  sleep 0.1
done
admin() { "$SERVER" admin --database "$SERVER_DB" "$@"; }
admin import-units "$ROOT/scripts/demo/units.json" >/dev/null
VENUE=$(admin venue add --name "Trạm Y tế phường Trúc Bạch" --category clinic --commune 00004 --province 01 \
  --address "Trúc Bạch, Ba Đình, Hà Nội" | head -n1)
CODE=$(admin enrollment-token --venue "$VENUE" --ttl 1h --server-url "$SERVER_URL" --no-qr | sed -n 2p)
log "server $SERVER_URL, venue $VENUE"

# --- Xvfb on a free display ---------------------------------------------------
# -displayfd: Xvfb picks a free display itself and writes its number when it
# is ready, so two runs on one machine cannot race for the same display.
mkdir -p "$ARTIFACTS"
# Tall enough for the tablet size (800x1280) the test also looks at.
Xvfb -displayfd 3 -screen 0 1280x1300x24 -nolisten tcp \
  3>"$RUN_DIR/xvfb.display" >"$ARTIFACTS/xvfb.log" 2>&1 &
XVFB_PID=$!
for _ in $(seq 1 100); do
  [ -s "$RUN_DIR/xvfb.display" ] && break
  kill -0 "$XVFB_PID" 2>/dev/null || break
  sleep 0.1
done
DISPLAY_NUM=$(head -n 1 "$RUN_DIR/xvfb.display" 2>/dev/null || true)
[ -n "$DISPLAY_NUM" ] || { log "Xvfb did not start"; cat "$ARTIFACTS/xvfb.log" >&2; exit 2; }
export DISPLAY=":$DISPLAY_NUM"

# --- tauri-driver on free ports -----------------------------------------------
PORT=$(free_port)
NATIVE_PORT=$(free_port)
while [ "$NATIVE_PORT" = "$PORT" ]; do NATIVE_PORT=$(free_port); done
# The app inherits the driver's environment: that is how it finds the data dir.
CHECKIN_DATA_DIR="$DATA_DIR" tauri-driver --port "$PORT" --native-port "$NATIVE_PORT" \
  >"$ARTIFACTS/tauri-driver.log" 2>&1 &
DRIVER_PID=$!
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }
for _ in $(seq 1 100); do
  listening && break
  kill -0 "$DRIVER_PID" 2>/dev/null || { log "tauri-driver exited"; cat "$ARTIFACTS/tauri-driver.log" >&2; exit 2; }
  sleep 0.1
done
listening || { log "tauri-driver not answering on :$PORT"; exit 2; }
log "Xvfb :$DISPLAY_NUM (pid $XVFB_PID), tauri-driver :$PORT (pid $DRIVER_PID)"

# --- the test -----------------------------------------------------------------
t=$(date +%s)
set +e
python3 tests/app-e2e/test_app.py --driver "http://127.0.0.1:$PORT" --app "$APP" --cli "$CLI" \
  --server "$SERVER" --server-db "$SERVER_DB" --server-url "$SERVER_URL" --enroll-code "$CODE" \
  --frames-tool "$FRAMES" --data-dir "$DATA_DIR" --artifacts "$ARTIFACTS" \
  | tee "$ARTIFACTS/test-output.txt"
rc=${PIPESTATUS[0]}
set -e
log "tests ran in $(since "$t"), whole script $(since "$T0"); screenshots in $ARTIFACTS"
# The summary again, last, so CI reads `N passed, M failed` from the final line.
summary=$(tail -n 1 "$ARTIFACTS/test-output.txt")
case "$summary" in
  *" passed, "*" failed") echo "$summary" ;;
  *) echo "0 passed, 1 failed"; rc=1 ;;
esac
exit "$rc"
