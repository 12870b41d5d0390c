#!/usr/bin/env bash
# Runs the dashboard's end-to-end test against the real server:
#   bash dashboard/e2e/run.sh ./bin/ketnap
# Serves a fresh SQLite database with `serve --demo` (which seeds the demo data into
# the empty database and creates the demo users admin, lanhdao (leadership, the whole
# bloc) and chuyenvien (analyst)) on a free loopback port, runs `npm run e2e` with
# KETNAP_URL set, and stops the server.
#
# The test signs in as the leadership demo user (lanhdao) unless KETNAP_E2E_USER /
# KETNAP_E2E_PASSWORD say otherwise. Then e2e/conformance.mjs runs graphql-http's server
# audits and Relay's compiler against the same server as the analyst demo user.
set -euo pipefail

BIN="$(realpath "${1:?usage: run.sh path/to/ketnap}")"
HERE="$(cd "$(dirname "$0")" && pwd)"
WORK="$(mktemp -d)"
DB="$WORK/ketnap.db"
LOG="$HERE/artifacts/server.log"
mkdir -p "$HERE/artifacts"
SERVER_PID=""

cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# A free port on the loopback interface.
PORT="$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
URL="http://127.0.0.1:$PORT"

# --demo: demo users and data on the empty database.
"$BIN" serve --db "$DB" --addr "127.0.0.1:$PORT" --demo >"$LOG" 2>&1 &
SERVER_PID=$!

for _ in $(seq 1 100); do
  if node -e "fetch('$URL/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))" 2>/dev/null; then
    break
  fi
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "the server stopped; its log:" >&2
    cat "$LOG" >&2
    echo "0 passed, 1 failed"
    exit 1
  fi
  sleep 0.2
done

cd "$HERE/.."
rc=0
KETNAP_URL="$URL" npm run --silent e2e || rc=1
# Standard clients on the same server: graphql-http's audits, Relay's compiler.
KETNAP_URL="$URL" node e2e/conformance.mjs || rc=1
exit "$rc"
