#!/usr/bin/env bash
# Runs every test of checkin: formatting, lints, unit and integration tests
# (SQLite always, PostgreSQL in a throw-away server), the UI's tests, and the
# end-to-end test of the app in its real WebView. Installs what it needs.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR=never
T0=$(date +%s)
step() { printf '\n=== %s (+%ss)\n' "$*" "$(( $(date +%s) - T0 ))"; }

if [ ! -d "$ROOT/../shared/testdata" ]; then
  echo "NOTE: $ROOT/../shared/testdata not found: the tests that read the real QR photos, ID-card"
  echo "      samples and administrative units skip (each says so in its output); the rest run."
fi

step "install what is missing"
scripts/setup.sh

step "format"
cargo fmt --all --check

step "UI build (the app embeds ui/dist at compile time)"
(cd ui && npm run build --silent)

step "clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "Rust tests (SQLite, and PostgreSQL via scripts/with-postgres.sh)"
# The end-to-end tests in tests/ spawn the real binaries.
cargo build --locked -p checkin-cli -p checkin-server
if command -v cargo-nextest >/dev/null; then
  scripts/with-postgres.sh cargo nextest run --workspace --locked --no-fail-fast
else
  scripts/with-postgres.sh cargo test --workspace --locked --no-fail-fast
fi

step "UI tests (Vitest; every screen in Chromium on the fake backend, both languages, both sizes)"
(cd ui && npm test --silent && npm run test:browser --silent)

step "dashboard tests (Chromium against the real server on SQLite, seeded through the station CLI)"
(cd ui && npm run test:dashboard --silent)

step "citizen phone page (Chromium at phone size against the real server: declare, check in online and offline)"
(cd ui && npm run test:citizen --silent)

step "app end-to-end (Tauri, WebKitWebDriver, Xvfb)"
scripts/app-e2e.sh

step "all tests passed in $(( $(date +%s) - T0 ))s"
