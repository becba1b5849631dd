#!/usr/bin/env bash
# Alternating A/B of the 200-device fleet: runs each sync-bench
# build given, in turn, ROUNDS times, and prints the fleet time over HTTP
# and the raw insert time of each run. Alternating spreads the machine's
# drift over every build instead of favouring the one run first. With
# CHECKIN_TEST_POSTGRES_URL set, each run measures PostgreSQL after SQLite.
#   bench/sync/ab.sh ROUNDS BIN_A BIN_B [BIN ...]
# AB_TMPFS=1 (root only) puts sync-bench's database folder (/var/tmp) on a
# tmpfs for the run, in a private mount namespace: the disk's write-back
# then no longer adds ±20 % to each run, and differences of 5 % show.
set -euo pipefail
rounds=$1
shift
if [ "${AB_TMPFS:-0}" = 1 ] && [ -z "${AB_IN_NS:-}" ]; then
  # The builds may live under /var/tmp, which the tmpfs hides: copy them.
  bins=$(mktemp -d /dev/shm/ab-bins.XXXXXX)
  trap 'rm -rf "$bins"' EXIT
  copies=()
  for bin in "$@"; do
    name="$bins/$(basename "$(dirname "$bin")")-$(basename "$bin")"
    cp "$bin" "$name"
    copies+=("$name")
  done
  AB_IN_NS=1 unshare -m sh -c 'mount -t tmpfs tmpfs /var/tmp && exec "$0" "$@"' \
    "$0" "$rounds" "${copies[@]}"
  exit
fi
for i in $(seq "$rounds"); do
  for bin in "$@"; do
    printf '%s round %s:' "$bin" "$i"
    "$bin" --backlog 1000 --wire 50 --repeat 1 2>/dev/null |
      awk -F'|' '/^\| (SQLite|PostgreSQL) \| 200 /{printf " %s fleet%sraw%s", $2, $6, $7} END{print ""}'
  done
done
