#!/usr/bin/env bash
# Idempotent setup for the QR decoding benchmark: apt libzbar0 and a Python venv
# under bench/.venv with zxing-cpp, pyzbar, Pillow, numpy, opencv-python-headless.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bench="$(dirname "$here")"
venv="$bench/.venv"

if ! dpkg -s libzbar0 >/dev/null 2>&1; then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends libzbar0 >/dev/null
fi
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c 'import zxingcpp, pyzbar.pyzbar, PIL, numpy, cv2' >/dev/null 2>&1; then
  "$venv/bin/pip" install -q --disable-pip-version-check \
    'zxing-cpp==3.*' pyzbar Pillow numpy opencv-python-headless qrcode
fi
echo "bench venv ready: $venv" >&2
