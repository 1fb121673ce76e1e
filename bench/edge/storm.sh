#!/usr/bin/env bash
# storm.sh - a regional power cut: CONTRACTS contracts (autoStart on, FN-6; a destination on numbers 1-3; one recipient)
# whose probe targets all point at one sipp uas "site", probed by the controller every INTERVAL with TIMEOUT. Once
# every contract has been probed (reached), the site is stopped (SIGSTOP: it stops answering at that moment) and
# storm_watch.py measures from that moment: detection per contract (4 misses, FN-4), the failure committed with its
# mail rows (no SMTP relay: the mails stay queued), and for a random SAMPLE of contracts their entry in the edge's
# table ctr showing forwarding on (htable.get over JSON-RPC once the failure is committed, every ~0.1 s). The controller pushes the switches into the edge
# (Controller:Edge:RpcUrls:0). Probes go straight to the site (no outbound proxy).
# Env: CONTRACTS (10000) INTERVAL (10, s) TIMEOUT (2, s) WATCH (90, s after the silence) SAMPLE (1000) READY_PERCENT (100: the
# share of contracts that must have been reached before the cut) BENCH_OUT
# (/tmp/gateway-edge-bench/storm). Expected detection: between 3 x INTERVAL + TIMEOUT and 4 x INTERVAL + TIMEOUT.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/common.sh"
CONTRACTS=${CONTRACTS:-10000}; INTERVAL=${INTERVAL:-10}; TIMEOUT=${TIMEOUT:-2}; WATCH=${WATCH:-90}
OUT=${BENCH_OUT:-/tmp/gateway-edge-bench/storm}; DATA=$OUT/data
mkdir -p "$OUT"; rm -rf "$DATA"
load_line
SITE_PORT=$(free_port)
sipp -sn uas -i 127.0.0.1 -p "$SITE_PORT" -mp "$(free_port)" -m 1000000000 -buff_size 8388608 -nostdin >"$OUT/site.log" 2>&1 &
SITE_PID=$!; PIDS+=($SITE_PID)
CONTRACTS=$CONTRACTS FWD_EVERY=0 AUTO_START=1 SERVICE_ON=1 RECIPIENT=noc@example.jp SITE_URI="sip:127.0.0.1:$SITE_PORT" \
  "$HERE/fill-db.sh" "$DATA"
start_edge "$DATA/controller.db" "$(free_port)"
# one sipp uas answers every contract's probes (up to ~1,000/s from one address): it is trusted, as the prober's
# per-source rate limit would otherwise drop its answers (docs/probing.md, Controller:Probing:AllowedSources)
start_controller "$DATA" --Controller:Probing:AllowedSources:0=127.0.0.0/8 --Controller:Probing:Interval=00:00:$(printf %02d "$INTERVAL") \
  --Controller:Probing:Timeout=00:00:$(printf %02d "$TIMEOUT") --Logging:LogLevel:Default=Warning
# every contract probed and reached at least once, none failed
end=$(( $(date +%s) + 3 * INTERVAL + 60 ))
while :; do
  probed=$(sqlite3 -cmd ".timeout 20000" "file:$DATA/controller.db?mode=ro" "SELECT count(DISTINCT contract_id) FROM probe_records WHERE outcome = 'Reached' OR outcome = 'reached';")
  [ "$probed" -ge $(( CONTRACTS * ${READY_PERCENT:-100} / 100 )) ] && break
  [ "$(date +%s)" -lt "$end" ] || { echo "only $probed of $CONTRACTS contracts reached before the cut" >&2; sqlite3 -cmd ".timeout 20000" "file:$DATA/controller.db?mode=ro" "SELECT outcome, detail, count(*) FROM probe_records GROUP BY 1, 2 LIMIT 10;" >&2; exit 1; }
  sleep 1
done
echo "# $probed of $CONTRACTS contracts reached; failed before the cut: $(sqlite3 -cmd ".timeout 20000" "file:$DATA/controller.db?mode=ro" "SELECT count(*) FROM contracts WHERE detector_state = 'failed';")"
sleep "$INTERVAL"
load_line
python3 "$HERE/procstat.py" "$OUT/procstat.tsv" 0.5 controller=$CONTROLLER_PID edge=$EDGE_PID & STAT_PID=$!; PIDS+=($STAT_PID)
SILENT=$(date +%s%3N); kill -STOP "$SITE_PID"
echo "# site stopped at $SILENT (Unix ms)"
python3 "$HERE/storm_watch.py" "$DATA/controller.db" "http://127.0.0.1:$RPC_PORT/RPC" "$SILENT" "$CONTRACTS" "$WATCH" "$OUT/watch.tsv" "$TIMEOUT" "${SAMPLE:-1000}" | tee "$OUT/summary.txt"
kill "$STAT_PID" 2>/dev/null || true
# CPU (% of one core) and peak memory of the controller and the edge from the cut to the end of the watch
python3 - "$OUT/procstat.tsv" <<'PY' | tee -a "$OUT/summary.txt"
import collections, os, sys
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    t, name, ticks, pss, rss, n = line.split('\t')
    rows[name].append((float(t), int(ticks), int(pss), int(rss)))
hz = os.sysconf('SC_CLK_TCK')
for name, r in rows.items():
    span = r[-1][0] - r[0][0]
    cpu = (r[-1][1] - r[0][1]) / hz / span * 100 if span > 0 else 0.0
    print(f'SUMMARY {name}: CPU {cpu:.0f} % of one core over {span:.0f} s, peak PSS {max(x[2] for x in r) / 1024:.0f} MB, peak RSS {max(x[3] for x in r) / 1024:.0f} MB')
PY
awk -F'\t' 'NR > 1 && ($2 != p2 || $5 != p5) {print; p2 = $2; p5 = $5}' "$OUT/watch.tsv" | tail -25 >"$OUT/watch-changes.tsv"
echo "# controller warnings/errors: $(grep -c 'warn\|fail:' "$OUT/controller.log" || true); edge errors: $(grep -c ERROR "$OUT/edge.log" || true)"
load_line
