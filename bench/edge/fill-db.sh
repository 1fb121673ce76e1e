#!/usr/bin/env bash
# fill-db.sh DATA_DIR - a controller database with CONTRACTS contracts of 4 numbers each, written straight into
# contracts/contract_numbers (the API takes minutes for 100,000 numbers; the edge_* views derive from these tables).
# The controller creates the schema (it is started once on DATA_DIR and stopped); then the rows go in with sqlite3.
#   contract c (1..CONTRACTS): contract_number B<c>, channels CHANNELS, site_id site<c>, probe_target
#     sip:<monitoring number>@<host:port of SITE_URI> (NULL when SITE_URI is empty: the edge answers 480 for the site),
#     service_on SERVICE_ON (1 = probed by the controller),
#     numbers 05<8 digits of 4c+j> j=0..3, j=0 the monitoring number, j=1..3 with destination 09<8 digits of 4c+j>,
#     forwarding_on=1 (reason manual) when c % FWD_EVERY == 0 (0 = none),
#     auto_start AUTO_START, one recipient RECIPIENT when set, probe_interval_ms INTERVAL_MS when set.
# Env: CONTRACTS (25000) CHANNELS (1000) SITE_URI (sip:127.0.0.1:5090) FWD_EVERY (3) AUTO_START (0) RECIPIENT ()
#      SERVICE_ON (0)
#      INTERVAL_MS () CONTROLLER_DLL (src/GatewayAgent.Controller/bin/Release/net10.0/gateway-controller.dll)
set -euo pipefail
DATA=${1:?data directory}
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CONTRACTS=${CONTRACTS:-25000}; CHANNELS=${CHANNELS:-1000}; SITE_URI=${SITE_URI-sip:127.0.0.1:5090}; SERVICE_ON=${SERVICE_ON:-0}
FWD_EVERY=${FWD_EVERY:-3}; AUTO_START=${AUTO_START:-0}; RECIPIENT=${RECIPIENT:-}; INTERVAL_MS=${INTERVAL_MS:-NULL}
DLL=${CONTROLLER_DLL:-$ROOT/src/GatewayAgent.Controller/bin/Release/net10.0/gateway-controller.dll}
mkdir -p "$DATA"
DB="$DATA/controller.db"
if [ ! -f "$DB" ]; then
  port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
  mport=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
  dotnet "$DLL" --Controller:DataDirectory="$DATA" --Controller:Urls="http://127.0.0.1:$port" \
    --Controller:Api:Keys:0=bench-fill-key-0123456789 --Controller:Mqtt:Listen="127.0.0.1:$mport" >"$DATA/fill-controller.log" 2>&1 &
  cpid=$!
  for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
  kill "$cpid"; wait "$cpid" || true
fi
now=$(date +%s%3N)
fwd="CASE WHEN $FWD_EVERY > 0 AND c % $FWD_EVERY = 0 THEN 1 ELSE 0 END"
sqlite3 "$DB" <<SQL
PRAGMA foreign_keys=ON;
BEGIN;
WITH RECURSIVE s(c) AS (SELECT 1 UNION ALL SELECT c + 1 FROM s WHERE c < $CONTRACTS)
INSERT INTO contracts (id, contract_number, channels, monitoring_number, probe_target, probe_interval_ms, site_id,
    auto_start, service_on, created_at, updated_at, forwarding_on, forwarding_since, forwarding_reason)
SELECT c, 'B' || c, $CHANNELS, '05' || printf('%08d', 4 * c),
    CASE WHEN '$SITE_URI' <> '' THEN 'sip:05' || printf('%08d', 4 * c) || '@' || substr('$SITE_URI', 5) END, $INTERVAL_MS, 'site' || c,
    $AUTO_START, $SERVICE_ON, $now, $now, $fwd, CASE WHEN $fwd = 1 THEN $now END, CASE WHEN $fwd = 1 THEN 'manual' END FROM s;
WITH RECURSIVE s(c) AS (SELECT 1 UNION ALL SELECT c + 1 FROM s WHERE c < $CONTRACTS), j(j) AS (VALUES (0), (1), (2), (3))
INSERT INTO contract_numbers (number, contract_id, position, destination)
SELECT '05' || printf('%08d', 4 * c + j), c, j, CASE WHEN j > 0 THEN '09' || printf('%08d', 4 * c + j) END FROM s, j;
COMMIT;
SQL
if [ -n "$RECIPIENT" ]; then
  sqlite3 "$DB" "INSERT INTO recipients (contract_id, position, address, send) SELECT id, 0, '$RECIPIENT', 1 FROM contracts;"
fi
sqlite3 "$DB" "SELECT 'contracts', count(*), sum(forwarding_on) FROM contracts; SELECT 'numbers', count(*), count(destination) FROM contract_numbers; SELECT 'edge_numbers', count(*) FROM edge_numbers;"
