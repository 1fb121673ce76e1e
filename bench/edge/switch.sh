#!/usr/bin/env bash
# switch.sh - switch to first forwarded call: N times, POST /api/contracts/{id}/forwarding/start to the controller, then
# single calls to one of the contract's numbers at the edge, one after another, until one arrives at the destination
# hop (switch.py); p50/p99/max of the time from the API call's return (and from its start) to that arrival.
# The controller pushes the change into the edge over JSON-RPC (Controller:Edge:RpcUrls:0); the edge loaded its tables
# from the controller's database at start. Database: CONTRACTS contracts x 4 numbers (fill-db.sh), all forwarding off,
# destinations on numbers 1-3, no site address (the edge answers 480 for a call that is not forwarded), no probing.
# Env: N (100) CONTRACTS (25000) GAP_MS (1: pause between one call's end and the next call; 0 = back to back,
# ~5,500 calls/s here, which loads the edge while the push is on its way; 1 ms = ~800 calls/s) BENCH_OUT
# (/tmp/gateway-edge-bench/switch; a kept database there is reused only with KEEP_DB=1).
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/common.sh"
N=${N:-100}; CONTRACTS=${CONTRACTS:-25000}; GAP_MS=${GAP_MS:-1}
OUT=${BENCH_OUT:-/tmp/gateway-edge-bench/switch}; DATA=$OUT/data
mkdir -p "$OUT"; [ -n "${KEEP_DB:-}" ] || rm -rf "$DATA"
load_line
[ -f "$DATA/controller.db" ] || CONTRACTS=$CONTRACTS FWD_EVERY=0 SITE_URI= "$HERE/fill-db.sh" "$DATA"
sqlite3 "$DATA/controller.db" "UPDATE contracts SET forwarding_on = 0, forwarding_since = NULL, forwarding_reason = NULL;"
DEST_PORT=$(free_port)
start_edge "$DATA/controller.db" "$DEST_PORT"
start_controller "$DATA"
sleep 3  # the pusher's first check of the edge
pairs=$(python3 -c "print(','.join(f'{c}:05{4 * c + 1:08d}' for c in range(1, $N + 1)))")
python3 "$HERE/switch.py" --api "$API" --key "$KEY" --edge "127.0.0.1:$EDGE_PORT" --dest-port "$DEST_PORT" \
  --pairs "$pairs" --gap-ms "$GAP_MS" | tee "$OUT/switch.log"
grep -ciE "warn|fail" "$OUT/controller.log" | sed 's/^/# controller log lines with warn|fail: /'
load_line
