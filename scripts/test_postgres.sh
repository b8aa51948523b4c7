#!/usr/bin/env bash
# A throwaway PostgreSQL for the store tests: initdb and pg_ctl in a temporary folder, on
# localhost:54329, password authentication (scram-sha-256), fsync off (test data only).
# Prints the server's URL; exits 1 when PostgreSQL is not installed. Idempotent: a server it
# started earlier is reused. Password: callqa-test.
set -euo pipefail
dir=${CALLQA_TEST_PG_DIR:-/tmp/callqa-test-postgres}
port=${CALLQA_TEST_PG_PORT:-54329}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
[ -n "$bin" ] && [ -x "$bin/initdb" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
# PostgreSQL refuses to run as root: as root, the server runs as Debian's postgres user.
as=()
if [ "$(id -u)" -eq 0 ]; then as=(runuser -u postgres --); fi
if ! "${as[@]}" "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
  rm -rf "$dir"; mkdir -p "$dir"
  echo callqa-test > "$dir/password"
  [ "$(id -u)" -eq 0 ] && chown -R postgres "$dir"
  "${as[@]}" "$bin/initdb" -D "$dir/data" -U callqa --auth=scram-sha-256 --pwfile="$dir/password" -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=localhost -c fsync=off -c synchronous_commit=off -c max_connections=200" start >/dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }
fi
echo "postgres://callqa@localhost:$port/postgres"
