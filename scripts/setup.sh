#!/usr/bin/env bash
# Installs what building, running and testing checkin need on a Debian 12
# machine, skipping whatever is already there. Safe to run again and again.
#
#   scripts/setup.sh          everything (run + tests)
#   scripts/setup.sh run      only what `scripts/run.sh` needs
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MODE=${1:-all}
log() { printf '[setup] %s\n' "$*" >&2; }

# Debian packages ---------------------------------------------------------------
PKGS=(build-essential pkg-config curl file python3
  # Tauri 2 on Linux (WebKitGTK 4.1) and its tray/appindicator and SVG icons
  libwebkit2gtk-4.1-dev libxdo-dev libssl-dev libayatana-appindicator3-dev librsvg2-dev
  # a display for the app where there is none, and its screenshots
  xvfb xauth imagemagick)
if [ "$MODE" != run ]; then
  # The app's end-to-end test (WebKitWebDriver), PostgreSQL-backed tests, the
  # UI's browser tests (Debian's Chromium, driven by Playwright).
  PKGS+=(webkit2gtk-driver postgresql procps chromium)
fi
missing=()
for p in "${PKGS[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Rust ----------------------------------------------------------------------------
command -v cargo >/dev/null || { log "cargo is missing: install Rust with rustup first"; exit 2; }
if [ "$MODE" != run ]; then
  for c in rustfmt clippy; do
    rustup component list --installed 2>/dev/null | grep -q "^$c" || rustup component add "$c"
  done
fi

# Node packages of the UI: npm ci only when the lock file changed -----------------
command -v npm >/dev/null || { log "npm is missing: install Node.js >= 20.19"; exit 2; }
lock_sum=$(sha256sum "$ROOT/ui/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$ROOT/ui/node_modules/.checkin-lock-sha256" 2>/dev/null)" != "$lock_sum" ]; then
  log "installing UI packages (npm ci)"
  (cd "$ROOT/ui" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_sum" > "$ROOT/ui/node_modules/.checkin-lock-sha256"
fi

# tauri-driver drives the real WebView in the end-to-end test -------------------
if [ "$MODE" != run ]; then
  export PATH="$HOME/.cargo/bin:$PATH"
  if ! command -v tauri-driver >/dev/null; then
    log "installing tauri-driver (cargo install, ~3 min)"
    cargo install tauri-driver --locked --quiet
  fi
fi
log "ready"
