#!/usr/bin/env bash
# loss.sh - the four-miss rule under packet loss and delay jitter (issue 14, "Detection under faults").
# A real gateway-controller probes SITES contracts every INTERVAL s (timeout TIMEOUT s) for DURATION s; each contract's
# target is its own front port of LossRelay (bench/faults/LossRelay), which drops LOSS of the datagrams both ways and
# delays the rest uniformly by 0..JITTER ms, and relays to one sipp uas (the sites). The canary goes straight to sipp,
# so every miss counts. No site ever fails: every failure the detector declares (FN-4) is a false failure.
#   bench/faults/loss.sh LOSS JITTER_MS [DURATION_S] [BASE]        e.g. bench/faults/loss.sh 0.20 0 600 28000
# Env: SITES (200) INTERVAL (5) TIMEOUT (4) SEED (1) BENCH_OUT (/tmp/gateway-faults-bench/loss-LOSS-JITTER)
#      SITE_KIND (sipp; "agent": each site is a real gateway-agent, SITES <= 20 - the canary still goes to sipp)
# Prints per-outcome counts, the per-probe miss rate q, the false failures (detector events to "failed") against the
# four-miss expectation (windows of 4 consecutive probes all missed: sum over contracts of (n-3) q^4, and the number
# of such windows actually observed), and the controller's CPU and RSS.
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/common.sh"
LOSS=${1:?loss probability, e.g. 0.05}; JITTER=${2:?jitter ms, e.g. 300}; DURATION=${3:-600}; BASE=${4:-28000}
SITES=${SITES:-200}; INTERVAL=${INTERVAL:-5}; TIMEOUT=${TIMEOUT:-4}
OUT=${BENCH_OUT:-/tmp/gateway-faults-bench/loss-$LOSS-$JITTER}; DATA=$OUT/data
mkdir -p "$OUT"
build_all
load_line
fill_db
start_sipp_uas
[ "${SITE_KIND:-sipp}" = agent ] && start_agents_as_sites
start_relay "$LOSS" "$JITTER" "${SEED:-1}"
start_controller
start_procstat controller=$CONTROLLER_PID relay=$RELAY_PID sipp=$SIPP_PID
echo "# $SITES sites, loss $LOSS both ways, jitter 0..$JITTER ms, interval $INTERVAL s, timeout $TIMEOUT s, $DURATION s"
T0=$(date +%s%3N)
for ((t = 0; t < DURATION; t += 60)); do sleep $((DURATION - t < 60 ? DURATION - t : 60)); echo "# t=$((t + 60 < DURATION ? t + 60 : DURATION))s $(cut -d' ' -f1-3 /proc/loadavg) recorded=$(sql 'SELECT count(*) FROM probe_records') failed=$(sql "SELECT count(*) FROM detector_events WHERE to_state = 'failed'")"; done
T1=$(date +%s%3N)
load_line
summarise_procstat
relay stats; sleep 1
grep STATS "$OUT/relay.log" | tail -1
# the probes that started in [T0, T1 - TIMEOUT - 3 s] (every one of them recorded)
python3 "$HERE/loss_report.py" "$DATA/controller.db" "$T0" "$((T1 - (TIMEOUT + 3) * 1000))" | tee "$OUT/report.txt"
