#!/usr/bin/env bash
# Packages the app as a Debian package (.deb) with Tauri's bundler:
#
#   scripts/package.sh        -> $CARGO_TARGET_DIR/release/bundle/deb/checkin_<version>_amd64.deb
#
# Installs what building needs (scripts/setup.sh run), builds the UI and the
# release app. The Tauri CLI comes from npm as a prebuilt binary (pinned to
# the tauri crate's version). AppImage is not built: its bundler downloads
# linuxdeploy and plugins from GitHub at build time, which this machine's
# network does not reach.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
TAURI_CLI_VERSION=2.12.5
log() { printf '[package] %s\n' "$*" >&2; }

scripts/setup.sh run
(cd ui && npm run build --silent)
log "building the release app and its .deb (several minutes on 2 cores)"
(cd src-tauri && npm exec --yes --package="@tauri-apps/cli@$TAURI_CLI_VERSION" -- tauri build --bundles deb)
DEB=$(ls -t "$CARGO_TARGET_DIR"/release/bundle/deb/*.deb | head -n1)
log "built $DEB"
dpkg-deb --info "$DEB" | sed -n '1,20p' >&2
dpkg-deb --contents "$DEB" >&2
echo "$DEB"
