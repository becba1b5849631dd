#!/usr/bin/env bash
# The main job on one machine: the central server on its embedded SQLite, a
# demo venue, an enrolled station with demo records synced to the server, and
# then the app window (with a display) or the headless station (without one).
#
#   scripts/run.sh                 everything, server on 127.0.0.1:8080
#   PORT=9000 scripts/run.sh       another port
#   DEMO_DIR=/tmp/x scripts/run.sh another place for the demo data (default .demo/)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
PORT=${PORT:-8080}
DEMO=${DEMO_DIR:-$ROOT/.demo}
URL="http://127.0.0.1:$PORT"
log() { printf '[run] %s\n' "$*" >&2; }

scripts/setup.sh run
log "building (the first time takes a while on 2 cores)"
(cd ui && npm run build --silent)
WITH_APP=0
if [ -n "${DISPLAY:-}" ]; then WITH_APP=1; fi
if [ "$WITH_APP" = 1 ]; then
  cargo build -q -p checkin-server -p checkin-cli -p checkin-app
else
  cargo build -q -p checkin-server -p checkin-cli
fi
cargo build -q -p checkin-scan --example demo_frames
BIN="$CARGO_TARGET_DIR/debug"
SERVER_DB="sqlite://$DEMO/server.db"
STATION="$DEMO/station"
mkdir -p "$DEMO"

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

log "starting checkin-server on $URL (database $SERVER_DB)"
# The officials' dashboard on plain HTTP on this machine only (loopback):
# --insecure-cookies lets the browser keep the session without TLS.
PAGES=()
[ -f "$ROOT/ui/dist-dashboard/index.html" ] && PAGES=(--dashboard-dir "$ROOT/ui/dist-dashboard" --insecure-cookies)
# The citizen's phone page at /c/, where venue posters' links point.
[ -f "$ROOT/ui/dist-citizen/index.html" ] && PAGES+=(--citizen-dir "$ROOT/ui/dist-citizen")
"$BIN/checkin-server" serve --listen "127.0.0.1:$PORT" --database "$SERVER_DB" "${PAGES[@]}" 2>"$DEMO/server.log" &
PIDS+=($!)
for _ in $(seq 1 100); do
  curl -fsS "$URL/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "$URL/healthz" >/dev/null || { log "server did not start; see $DEMO/server.log"; exit 1; }

admin() { "$BIN/checkin-server" admin --database "$SERVER_DB" "$@"; }
if [ ! -f "$DEMO/.units-imported" ]; then
  UNITS="$ROOT/../shared/testdata/vn-admin-units/dvhcvn_2021-11-01.json"
  if [ ! -f "$UNITS" ]; then
    log "../shared/testdata is absent: importing a few demo units (scripts/demo/units.json) for the address pickers"
    UNITS="$ROOT/scripts/demo/units.json"
  fi
  admin import-units "$UNITS" >/dev/null && touch "$DEMO/.units-imported"
fi
if [ ! -f "$DEMO/venue-id" ]; then
  admin venue add --name "Trạm Y tế phường Phúc Xá" --category clinic --commune 00001 --province 01 \
    --address "Phúc Xá, Ba Đình, Hà Nội" | head -n1 > "$DEMO/venue-id"
fi
VENUE=$(cat "$DEMO/venue-id")
log "demo venue $VENUE"
log "citizen page (phone): $(admin venue url "$VENUE" --base "$URL" | head -n1)"
# A demo official of the province (a demo password: this is a local demo).
DEMO_PASSWORD="checkin-demo-2021"
if [ ! -f "$DEMO/.user-added" ]; then
  printf '%s\n' "$DEMO_PASSWORD" | admin user add --login demo.hanoi --role admin --unit 01 >/dev/null \
    && touch "$DEMO/.user-added"
fi
log "dashboard: $URL/dashboard/  (login demo.hanoi, password $DEMO_PASSWORD)"

if [ ! -f "$DEMO/.enrolled" ]; then
  # Line 2 is the whole enrollment code with the server's address, as its QR carries it.
  CODE=$(admin enrollment-token --venue "$VENUE" --ttl 1h --server-url "$URL" --no-qr | sed -n 2p)
  "$BIN/checkin" --data-dir "$STATION" enroll --token "$CODE" --label "Cổng chính"
  touch "$DEMO/.enrolled"
fi

log "a citizen declares at the kiosk and gets a visitor pass"
PASS=$("$BIN/checkin" --data-dir "$STATION" declare --venue "$VENUE" --pass \
  --full-name "Bùi Thị Lan" --birth 1985 --gender female --phone 0903123456 \
  --province 01 --district 001 --commune 00004 --street "5 Trúc Bạch" --consent | sed -n 2p)
log "demo camera frames (four ID cards, a stray code, the pass) in $DEMO/frames"
rm -rf "$DEMO/frames"
"$CARGO_TARGET_DIR/debug/examples/demo_frames" "$DEMO/frames" >/dev/null
"$CARGO_TARGET_DIR/debug/examples/demo_frames" "$DEMO/frames/pass" "$PASS" >/dev/null
mv "$DEMO/frames/pass/frame-00.png" "$DEMO/frames/frame-90-pass.png" && rmdir "$DEMO/frames/pass"
log "the headless station scans them once"
"$BIN/checkin" --data-dir "$STATION" scan --source "$DEMO/frames" --fps 2 --venue "$VENUE"
log "recording an exit and a paper declaration with the CLI"
"$BIN/checkin" --data-dir "$STATION" record --venue "$VENUE" --direction out \
  --code "001098012345||NGUYỄN VĂN AN|15081998|Nam|Hà Nội|25052021" >/dev/null
"$BIN/checkin" --data-dir "$STATION" declare --source paper --venue "$VENUE" \
  --at "$(date -d '-1 hour' --iso-8601=seconds)" \
  --full-name "Phạm Thị Dung" --birth 1972 --gender female --phone 0912345678 \
  --province 01 --district 001 --commune 00001 --street "12 Phúc Xá" --symptom cough --consent >/dev/null
"$BIN/checkin" --data-dir "$STATION" sync
"$BIN/checkin" --data-dir "$STATION" status
admin stats --json

if [ "$WITH_APP" = 1 ]; then
  log "opening the app; its gate replays $DEMO/frames as a camera (close the window or press Ctrl-C to stop)"
  CHECKIN_DATA_DIR="$STATION" CHECKIN_CAMERA="replay:$DEMO/frames" "$BIN/checkin-app" &
  PIDS+=($!)
  wait "${PIDS[-1]}"
else
  log "no display (DISPLAY is not set): running the headless station instead"
  log "  record more with: $BIN/checkin --data-dir $STATION record --venue $VENUE --code TEXT"
  log "  server: $URL   press Ctrl-C to stop"
  "$BIN/checkin" --data-dir "$STATION" sync --watch
fi
