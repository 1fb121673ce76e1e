#!/usr/bin/env bash
# The PostgreSQL cost of the detector's writes on a cluster node: WAL bytes and records per probe outcome (steady
# state) and per state change, and per live-status row write (site_live_status). Starts a private PostgreSQL
# (initdb + pg_ctl in a temp directory, as the tests do), runs bench/cluster/DbCostBench against it, and removes it.
#   bench/cluster/db-cost.sh [CONTRACTS] [ROUNDS]      (defaults 2000 and 5)
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
ROOT=$(mktemp -d /tmp/dbcost-pg-XXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$ROOT"
cleanup() { as_pg "$BIN/pg_ctl" -D "$ROOT/data" -m immediate -w stop >/dev/null 2>&1 || true; rm -rf "$ROOT"; }
trap cleanup EXIT
as_pg "$BIN/initdb" -D "$ROOT/data" -U postgres -A trust -E UTF8 --no-sync >/dev/null
# fsync and full-page writes as in production (the tests turn fsync off); a checkpoint only at the end.
as_pg "$BIN/pg_ctl" -D "$ROOT/data" -w -l "$ROOT/server.log" \
  -o "-p $PORT -k $ROOT -c listen_addresses=127.0.0.1 -c max_wal_size=4GB -c checkpoint_timeout=1h" start >/dev/null
as_pg "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -qc "CREATE DATABASE bench" postgres
echo "load: $(uptime)"
dotnet run -c Release --project bench/cluster/DbCostBench -- \
  "Host=127.0.0.1;Port=$PORT;Username=postgres;Database=bench;Maximum Pool Size=50" "${1:-2000}" "${2:-5}"
