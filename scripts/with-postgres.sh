#!/usr/bin/env bash
# Runs a command with a throw-away PostgreSQL cluster on a loopback port and
# CHECKIN_TEST_POSTGRES_URL pointing at it; stops and deletes the cluster after.
#   scripts/with-postgres.sh cargo test -p checkin-server-db
# Installs Debian's `postgresql` package when no server binaries are found.
set -euo pipefail

if [ $# -eq 0 ]; then
    echo "usage: $0 COMMAND [ARGS...]" >&2
    exit 2
fi

find_bindir() {
    local d
    for d in /usr/lib/postgresql/*/bin; do
        if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; fi
    done | sort -V | tail -n 1
}

BINDIR="$(find_bindir)"
if [ -z "$BINDIR" ]; then
    echo "with-postgres: installing Debian package postgresql" >&2
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    BINDIR="$(find_bindir)"
fi
[ -n "$BINDIR" ] || { echo "with-postgres: no PostgreSQL binaries found" >&2; exit 1; }

# initdb refuses to run as root: run the cluster as the `postgres` user then.
RUNAS=()
if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home /var/lib/postgresql postgres
    RUNAS=(runuser -u postgres --)
fi

DATA="$(mktemp -d /tmp/checkin-pg.XXXXXX)"
chmod 700 "$DATA"
if [ ${#RUNAS[@]} -gt 0 ]; then chown postgres "$DATA"; fi

# A free loopback port: ask the kernel, then release it for postgres.
PORT="${CHECKIN_PG_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')}"

cleanup() {
    "${RUNAS[@]}" "$BINDIR/pg_ctl" -D "$DATA" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$DATA"
}
trap cleanup EXIT

"${RUNAS[@]}" "$BINDIR/initdb" -D "$DATA" -U checkin --auth=trust -E UTF8 --no-locale >/dev/null
# Throw-away cluster: durability off for speed; sockets only in the data dir.
"${RUNAS[@]}" "$BINDIR/pg_ctl" -D "$DATA" -l "$DATA/log" -w -t 60 start \
    -o "-h 127.0.0.1 -p $PORT -k $DATA -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" >/dev/null

export CHECKIN_TEST_POSTGRES_URL="postgres://checkin@127.0.0.1:$PORT/postgres"
echo "with-postgres: PostgreSQL $("$BINDIR/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT" >&2
set +e
"$@"
status=$?
set -e
exit $status
