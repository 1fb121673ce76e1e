#!/usr/bin/env bash
# rate.sh - routing rate of the carrier edge (edge/kamailio/kamailio.cfg with 100,000 numbers in table num) against
# the same kamailio binary as a plain stateful proxy (bench/edge/proxy.cfg: record_route + t_relay to one sipp UAS),
# side by side in one run: for each rate of the ladder, the same sipp load (uac.xml: INVITE, 200, ACK and BYE along
# the record-route) goes first to the edge, then to the proxy. The ladder stops after the first step at which the
# reference (the proxy) fails a call, or after the last rate.
#
# The edge's calls are to the 100,000 numbers in random order (sipp -inf, SEQUENTIAL over a shuffled list): with
# FWD_EVERY=3, contracts 3, 6, 9 ... have forwarding on, so 24,999 of the numbers (their three non-monitoring ones)
# are forwarded to DESTINATION_HOP (the "dest" UAS) with a Diversion header and a dialog profile (BF-3, BF-6), the
# other 75,001 go to the contract's site address (the "site" UAS). The proxy relays every call to the site UAS.
# Both UASes are sipp with uas.xml (the built-in uas with the Record-Route echoed and without the 180: kamailio's
# workers relay a 180 and the 200 right behind it in parallel, and sipp's uac aborts a call whose 180 arrives after
# its 200 - seen at 250 calls/s).
#
# Per step: calls planned/ok/failed (sipp's -trace_stat), the mean INVITE->200 (sipp, ms), kamailio's CPU (sum of
# utime+stime of the main process and all its children, % of one core over the step, and CPU ms per planned call:
# the cost, which contention from other load does not change much, unlike the rate at which calls start failing)
# and memory (peak over the step of the sum of
# PSS of all kamailio processes, and the sum of RSS, which counts shared memory once per process), and the CPU of
# the sipp uac and the two UASes, and how busy the whole machine was over the step (/proc/stat; % of one core, so
# 200 % = both cores of this VM): everything shares the machine's cores, and the machine is shared with other people's
# builds - the difference between "machine busy" and the sum of ours is their load. CPU % are of one core.
# BENCH_WAIT_QUIET=N waits up to N s before each step for the machine to be under 15 % busy.
#
# Env: RATES ("250 500 1000 1500 2000 3000 4000 5000"), STEP_SECONDS (10), SETTLE (6 s between steps), WORKERS (4,
# kamailio children for both), SHM_MB (1024: at 256 the edge ran out of shared memory at 1500 calls/s) PKG_MB (64: with 16 or 32 the edge cannot load 100,000 numbers - db_sqlite holds the whole result in pkg memory) for both, CONTRACTS (25000), FWD_EVERY (3),
# DATA (controller DB directory, filled by fill-db.sh when missing), BENCH_OUT (/tmp/gateway-edge-bench/rate).
# Loopback only; every process started here is stopped on exit.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
RATES=${RATES:-"250 500 1000 1500 2000 3000 4000 5000"}
STEP_SECONDS=${STEP_SECONDS:-10}; SETTLE=${SETTLE:-6}; WORKERS=${WORKERS:-4}; SHM_MB=${SHM_MB:-1024}; PKG_MB=${PKG_MB:-64}
CONTRACTS=${CONTRACTS:-25000}; FWD_EVERY=${FWD_EVERY:-3}
OUT=${BENCH_OUT:-/tmp/gateway-edge-bench/rate}; DATA=${DATA:-$OUT/data}
mkdir -p "$OUT"
free_port() { python3 -c 'import socket;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
trap "exit 130" INT TERM
echo "# $(date -u +%FT%TZ) load: $(cut -d' ' -f1-3 /proc/loadavg), nproc $(nproc), $(kamailio -v | head -1)"

SITE_PORT=$(free_port); DEST_PORT=$(free_port); EDGE_PORT=$(free_port); PROXY_PORT=$(free_port); RPC_PORT=$(free_port)
if [ ! -f "$DATA/controller.db" ]; then
  CONTRACTS=$CONTRACTS FWD_EVERY=$FWD_EVERY SITE_URI="sip:127.0.0.1:$SITE_PORT" "$HERE/fill-db.sh" "$DATA" >&2
else
  # a kept database: point every contract's site address at this run's site UAS
  sqlite3 "$DATA/controller.db" "UPDATE contracts SET probe_target = 'sip:' || monitoring_number || '@127.0.0.1:$SITE_PORT';"
fi
sqlite3 "$DATA/controller.db" "SELECT count(*), sum(substr(key_value, 1, 1) = '1') FROM edge_contracts;" | sed 's/^/# contracts|forwarding on: /'
# the numbers, shuffled, for sipp -inf
{ echo SEQUENTIAL; sqlite3 "$DATA/controller.db" "SELECT key_name || ';' FROM edge_numbers ORDER BY random();"; } >"$OUT/numbers.csv"

start_uas() { # name port
  sipp -sf "$HERE/uas.xml" -i 127.0.0.1 -p "$2" -mp "$(free_port)" -m 1000000000 -buff_size 8388608 -nostdin \
    -trace_err -error_file "$OUT/$1-errors.log" >"$OUT/$1.log" 2>&1 &
  PIDS+=($!); eval "${1^^}_PID=$!"
}
start_uas site "$SITE_PORT"; start_uas dest "$DEST_PORT"

kamailio -DD -E -f "$ROOT/edge/kamailio/kamailio.cfg" -m "$SHM_MB" -M "$PKG_MB" -l "udp:127.0.0.1:$EDGE_PORT" \
  -l "tcp:127.0.0.1:$RPC_PORT" -A "DBURL=\"sqlite://$DATA/controller.db\"" -A "DESTINATION_HOP=\"sip:127.0.0.1:$DEST_PORT\"" \
  -A "RPC_PORT=$RPC_PORT" -A "WORKERS=$WORKERS" >"$OUT/edge.log" 2>&1 &
EDGE_PID=$!; PIDS+=($EDGE_PID)
kamailio -DD -E -f "$HERE/proxy.cfg" -m "$SHM_MB" -M "$PKG_MB" -l "udp:127.0.0.1:$PROXY_PORT" \
  -A "UAS=\"sip:127.0.0.1:$SITE_PORT\"" -A "WORKERS=$WORKERS" >"$OUT/proxy.log" 2>&1 &
PROXY_PID=$!; PIDS+=($PROXY_PID)
for _ in $(seq 200); do
  ss -uln | grep -q "127.0.0.1:$EDGE_PORT " && ss -uln | grep -q "127.0.0.1:$PROXY_PORT " && break; sleep 0.1
done
sleep 1
loaded=$(curl -s -d '{"jsonrpc":"2.0","method":"htable.stats","id":1}' "http://127.0.0.1:$RPC_PORT/RPC" | python3 -c '
import json,sys; r=json.load(sys.stdin)["result"]; print(" ".join("%s=%s" % (t["name"], t["all"]) for t in r))')
echo "# edge tables loaded: $loaded"
python3 "$HERE/procstat.py" "$OUT/idle.tsv" 0.5 edge=$EDGE_PID proxy=$PROXY_PID & sp=$!; PIDS+=($sp)
for _ in $(seq 100); do [ "$( { wc -l <"$OUT/idle.tsv"; } 2>/dev/null || echo 0)" -ge 4 ] && break; sleep 0.1; done; kill $sp; wait $sp 2>/dev/null || true
awk -F'\t' '{pss[$2]=$4; rss[$2]=$5; n[$2]=$6} END {for (k in pss) printf "# idle %s: %d processes, PSS sum %.1f MB, RSS sum %.1f MB\n", k, n[k], pss[k]/1024, rss[k]/1024}' "$OUT/idle.tsv"

# machine busy % (of all cores) over 3 s, from /proc/stat
busy3() { python3 -c '
import time
def r():
    v = [int(x) for x in open("/proc/stat").readline().split()[1:]]; return sum(v), v[3] + v[4]
a = r(); time.sleep(3); b = r(); print(round(100 * (1 - (b[1] - a[1]) / (b[0] - a[0]))))'; }
# BENCH_WAIT_QUIET=N: wait up to N s for the machine to be under 15 % busy (the idle kamailios and UASes included)
wait_quiet() {
  [ -n "${BENCH_WAIT_QUIET:-}" ] || return 0
  local end=$(( $(date +%s) + BENCH_WAIT_QUIET )) b
  while :; do b=$(busy3); [ "$b" -lt 15 ] && return 0; [ "$(date +%s)" -ge "$end" ] && { echo "# not quiet ($b % busy) after ${BENCH_WAIT_QUIET} s, measuring anyway" >&2; return 0; }; done
}
stat_cpu() { awk '/^cpu /{print $2+$3+$4+$5+$6+$7+$8+$9, $5+$6}' /proc/stat; }

# step <target name> <port> <kamailio pid> <rate> -> one table row; sets STEP_FAILED
step() {
  local name=$1 port=$2 kpid=$3 rate=$4 calls=$(( $4 * STEP_SECONDS )) tag="$1-$4"
  wait_quiet
  local c0; c0=$(stat_cpu)
  python3 "$HERE/procstat.py" "$OUT/$tag.tsv" 0.5 kam=$kpid site=$SITE_PID dest=$DEST_PID & local sp=$!; PIDS+=($sp)
  local t0; t0=$(date +%s.%N)
  sipp -sf "$HERE/uac.xml" -inf "$OUT/numbers.csv" -i 127.0.0.1 -p "$(free_port)" -mp "$(free_port)" \
    "127.0.0.1:$port" -r "$rate" -m "$calls" -l $(( rate * 4 + 100 )) -buff_size 8388608 -timeout $(( STEP_SECONDS + 20 ))s \
    -timeout_error -nostdin -trace_stat -stf "$OUT/$tag-stat.csv" -fd 1 -trace_err -error_file "$OUT/$tag-errors.log" \
    >"$OUT/$tag-screen.log" 2>&1 &
  local upid=$!; PIDS+=($upid)
  python3 "$HERE/procstat.py" "$OUT/$tag-uac.tsv" 0.5 uac=$upid & local sp2=$!; PIDS+=($sp2)
  wait $upid || true
  local t1; t1=$(date +%s.%N)
  local c1; c1=$(stat_cpu)
  kill $sp $sp2; wait $sp $sp2 2>/dev/null || true
  python3 - "$OUT/$tag-stat.csv" "$OUT/$tag.tsv" "$OUT/$tag-uac.tsv" "$name" "$rate" "$calls" "$t0" "$t1" "$c0 $c1" <<'PY'
import csv, sys
stat, tsv, utsv, name, rate, calls, t0, t1, cpu01 = sys.argv[1:]
ct0, ci0, ct1, ci1 = map(int, cpu01.split())
machine = 100.0 * (1 - (ci1 - ci0) / max(1, ct1 - ct0)) * __import__('os').cpu_count()
rows = list(csv.reader(open(stat), delimiter=';'))
h, last = rows[0], rows[-1]
v = lambda col: last[h.index(col)]
ok, failed, created = int(v('SuccessfulCall(C)')), int(v('FailedCall(C)')), int(v('OutgoingCall(C)'))
rt = v('ResponseTime1(C)') if 'ResponseTime1(C)' in h else ''
def hms(s):
    p = s.split(':'); return (int(p[0]) * 3600 + int(p[1]) * 60 + int(p[2])) * 1000 + int(p[3]) / 1000
g = {}
for path in (tsv, utsv):
    for line in open(path):
        t, n, ticks, pss, rss, _ = line.split('\t')
        g.setdefault(n, []).append((float(t), int(ticks), int(pss), int(rss)))
def cpu(n):
    s = g.get(n, [])
    return 100.0 * (s[-1][1] - s[0][1]) / (s[-1][0] - s[0][0]) / 100 if len(s) > 1 else 0.0
kam = g['kam']
ms_per_call = (kam[-1][1] - kam[0][1]) * 10.0 / max(1, int(calls))
pss = max(x[2] for x in kam) / 1024; rss = max(x[3] for x in kam) / 1024
dur = float(t1) - float(t0)
print(f"| {rate} | {name} | {int(calls)} | {ok} | {failed + (int(calls) - ok - failed)} | {v('Retransmissions(C)')} | {hms(rt):.0f} | "
      f"{cpu('kam'):.0f} % | {ms_per_call:.2f} | {pss:.1f} | {rss:.1f} | {cpu('uac'):.0f} % | {cpu('site'):.0f} % / {cpu('dest'):.0f} % | {machine:.0f} % |")
open(sys.argv[1] + '.verdict', 'w').write('ok' if ok == int(calls) and failed == 0 else 'fail')
PY
  STEP_FAILED=0; [ "$(cat "$OUT/$tag-stat.csv.verdict")" = ok ] || STEP_FAILED=1
  sleep "$SETTLE"
}

echo
echo "| calls/s | target | planned | ok | failed | retrans. | mean INVITE→200 ms (sipp, 1 ms steps) | kamailio CPU | kamailio CPU ms per call | kamailio PSS sum peak MB | RSS sum peak MB | sipp uac CPU | site / dest UAS CPU | machine busy |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for r in $RATES; do
  step edge "$EDGE_PORT" "$EDGE_PID" "$r"; ef=$STEP_FAILED
  step proxy "$PROXY_PORT" "$PROXY_PID" "$r"; pf=$STEP_FAILED
  if [ "$pf" = 1 ]; then echo; echo "# the reference failed at $r calls/s: ladder ends"; break; fi
done
echo "# edge log: $(grep -c 'forwarded to' "$OUT/edge.log" || true) forwarded calls logged; errors: $(grep -c ERROR "$OUT/edge.log" || true)"
echo "# $(date -u +%FT%TZ) load: $(cut -d' ' -f1-3 /proc/loadavg)"
