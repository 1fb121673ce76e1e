#!/usr/bin/env bash
# detection-latency.sh - time from a site's cut to the failure mail accepted by SMTP, with the real lab
# (gateway-controller + gateway-agent processes, embedded broker, SMTP sink writing .eml files).
#
#   bench/lab/detection-latency.sh [INTERVAL_S] [FAST_S] [TIMEOUT_S] [RUNS]     (defaults 10 2 3 3)
#   CASES=gasp bench/lab/detection-latency.sh ...                                (only the power cuts)
#
# Two cuts per run, each on a fresh lab with one site:
#   gasp:    "power 1 off"   the agent publishes power.lost at once; the controller probes at the fast interval
#   silent:  SIGSTOP of the site's agent: no telemetry, no answer (a hung adapter or a cut without dying gasp);
#            the controller finds out by probing at the normal interval
# Latency = mtime of the first .eml in the sink − the moment of the cut. Bounds (issue 4):
#   gasp   ≤ 4 × FAST + TIMEOUT + 2 s        silent ≤ 4 × INTERVAL + TIMEOUT + 2 s
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
INTERVAL=${1:-10}; FAST=${2:-2}; TIMEOUT=${3:-3}; RUNS=${4:-3}
OUT=${BENCH_OUT:-/tmp/gateway-lab-bench}
mkdir -p "$OUT"
dotnet build "$ROOT/src/GatewayAgent.Lab" -c Release -nologo -v quiet >/dev/null
dotnet build "$ROOT/src/GatewayAgent" -c Release -nologo -v quiet >/dev/null
dotnet build "$ROOT/src/GatewayAgent.Controller" -c Release -nologo -v quiet >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

run_case() {   # $1 = gasp|silent, $2 = run number (each run keeps its data and log: $OUT/<kind>-<run>[.log])
    local kind=$1
    local data="$OUT/$kind-$2" fifo="$OUT/$kind.in" lab_pid t0 eml t1
    rm -rf "$data" "$fifo"; mkfifo "$fifo"
    dotnet "$ROOT/src/GatewayAgent.Lab/bin/Release/net10.0/gateway-lab.dll" --sites 1 --fresh --plain --data "$data" \
        --interval "$INTERVAL" --fast-interval "$FAST" --timeout "$TIMEOUT" \
        --http-port "$(free_port)" --mqtt-port "$(free_port)" --smtp-port "$(free_port)" --sip-base-port 25060 \
        < "$fifo" > "$data.log" 2>&1 &
    lab_pid=$!
    exec 3>"$fifo"
    until grep -q "sites up" "$data.log" 2>/dev/null; do sleep 0.2; kill -0 "$lab_pid" || { cat "$data.log"; return 1; }; done
    sleep $((INTERVAL + 2))   # at least one answered probe first
    if [ "$kind" = gasp ]; then
        t0=$(date +%s.%N); echo "power 1 off" >&3
    else
        local agent; agent=$(pgrep -f "gateway-agent.dll.*sites/1/control.sock" | head -1)
        t0=$(date +%s.%N); kill -STOP "$agent"
    fi
    local deadline=$(( $(date +%s) + 8 * INTERVAL + 30 ))
    until eml=$(ls "$data"/mail/*.eml 2>/dev/null | head -1) && [ -n "$eml" ]; do
        sleep 0.05; [ "$(date +%s)" -lt "$deadline" ] || { echo "$kind: no mail within the deadline"; eml=""; break; }
    done
    if [ -n "$eml" ]; then
        t1=$(stat -c %.9Y "$eml")
        echo "$kind $(echo "$t1 - $t0" | bc)"
    fi
    [ "$kind" = silent ] && pkill -CONT -f "gateway-agent.dll.*sites/1/control.sock" || true
    echo quit >&3; exec 3>&-
    wait "$lab_pid" || true
    rm -f "$fifo"
}

echo "interval ${INTERVAL}s fast ${FAST}s timeout ${TIMEOUT}s; bounds: gasp $(echo "4*$FAST+$TIMEOUT+2" | bc) s, silent $(echo "4*$INTERVAL+$TIMEOUT+2" | bc) s; load $(cut -d' ' -f1-3 /proc/loadavg)"
for run in $(seq "$RUNS"); do
    for kind in ${CASES:-gasp silent}; do run_case "$kind" "$run"; done
done
