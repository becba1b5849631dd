#!/usr/bin/env bash
# Alternating A/B of the 200-device fleet on SQLite: runs each sync-bench
# build given, in turn, ROUNDS times, and prints the fleet time over HTTP
# and the raw insert time of each run. Alternating spreads the machine's
# drift over every build instead of favouring the one run first.
#   bench/sync/ab.sh ROUNDS BIN_A BIN_B [BIN ...]
set -euo pipefail
rounds=$1
shift
for i in $(seq "$rounds"); do
  for bin in "$@"; do
    printf '%s round %s:' "$bin" "$i"
    "$bin" --backlog 1000 --wire 50 --repeat 1 2>/dev/null |
      awk -F'|' '/^\| SQLite \| 200 /{print " fleet" $6 "raw" $7}'
  done
done
