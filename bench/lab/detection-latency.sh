#!/usr/bin/env bash
# detection-latency.sh - time from a site's cut to the failure mail accepted by SMTP, with the real lab
# (gateway-controller + gateway-agent processes, embedded broker, SMTP sink writing .eml files).
#
#   bench/lab/detection-latency.sh [INTERVAL_S] [FAST_S] [TIMEOUT_S] [RUNS]     (defaults 10 2 3 3)
#   CASES=gasp bench/lab/detection-latency.sh ...                                (only the power cuts)
#   CASES=gasp bench/lab/detection-latency.sh 5 2 2 20                           (issue 9's check: 20 power cuts)
#
# Two cuts per run, each on a fresh lab with one site:
#   gasp:    "power 1 off"   the agent publishes power.lost at once; the controller probes at the fast interval
#   silent:  SIGSTOP of the site's agent: no telemetry, no answer (a hung adapter or a cut without dying gasp);
#            the controller finds out by probing at the normal interval
# Latency = mtime of the first .eml in the sink − the moment of the cut. Bounds (issue 4):
#   gasp   ≤ 4 × FAST + TIMEOUT + 2 s        silent ≤ 4 × INTERVAL + TIMEOUT + 2 s
# (FailureThreshold 4: the 4th miss; the gasp bound leaves room for one fast probe the site still answers, issue 9.)
# Each run also prints when the controller declared the failure (its log, event 6050) and, for a gasp, how the fast
# phase ended (event 6307), so a slow run shows whether detection or the mail was slow.
# At the end: per case min / median / max over the runs and a verdict; exit 1 when any run exceeded its bound or
# sent no mail. The load average is printed at the start and the end (the machine may be shared).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
INTERVAL=${1:-10}; FAST=${2:-2}; TIMEOUT=${3:-3}; RUNS=${4:-3}
OUT=${BENCH_OUT:-/tmp/gateway-lab-bench}
mkdir -p "$OUT"
dotnet build "$ROOT/src/GatewayAgent.Lab" -c Release -nologo -v quiet >/dev/null
dotnet build "$ROOT/src/GatewayAgent" -c Release -nologo -v quiet >/dev/null
dotnet build "$ROOT/src/GatewayAgent.Controller" -c Release -nologo -v quiet >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
free_udp_port() { python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
GASP_BOUND=$(echo "4*$FAST+$TIMEOUT+2" | bc); SILENT_BOUND=$(echo "4*$INTERVAL+$TIMEOUT+2" | bc)
RESULTS="$OUT/latencies.txt"; : > "$RESULTS"

run_case() {   # $1 = gasp|silent, $2 = run number (each run keeps its data and log: $OUT/<kind>-<run>[.log])
    local kind=$1
    local data="$OUT/$kind-$2" fifo="$OUT/$kind.in" lab_pid t0 eml t1
    rm -rf "$data" "$fifo"; mkfifo "$fifo"
    dotnet "$ROOT/src/GatewayAgent.Lab/bin/Release/net10.0/gateway-lab.dll" --sites 1 --fresh --plain --data "$data" \
        --interval "$INTERVAL" --fast-interval "$FAST" --timeout "$TIMEOUT" \
        --http-port "$(free_port)" --mqtt-port "$(free_port)" --smtp-port "$(free_port)" --sip-base-port $(( $(free_udp_port) - 1 )) \
        < "$fifo" > "$data.log" 2>&1 &
    lab_pid=$!
    exec 3>"$fifo"
    until grep -q "sites up" "$data.log" 2>/dev/null; do sleep 0.2; kill -0 "$lab_pid" || { cat "$data.log"; return 1; }; done
    sleep $((INTERVAL + 2))   # at least one answered probe first
    if [ "$kind" = gasp ]; then
        t0=$(date +%s.%N); echo "power 1 off" >&3
    else
        local agent; agent=$(pgrep -f "gateway-agent.dll.*$data/sites/1/control.sock" | head -1)
        t0=$(date +%s.%N); kill -STOP "$agent"
    fi
    local deadline=$(( $(date +%s) + 8 * INTERVAL + 30 ))
    until eml=$(ls "$data"/mail/*.eml 2>/dev/null | head -1) && [ -n "$eml" ]; do
        sleep 0.05; [ "$(date +%s)" -lt "$deadline" ] || { echo "$kind: no mail within the deadline"; eml=""; break; }
    done
    if [ -n "$eml" ]; then
        t1=$(stat -c %.9Y "$eml")
        # Split at the detector's verdict (controller log, event 6050): cut -> failure declared, then the mail.
        local failed detected="-" fast=""
        failed=$(grep -m1 -o '^[0-9T:.-]*Z .*\[6050\] Contract [0-9]*: failure detected' "$data/logs/controller.log" 2>/dev/null | cut -d' ' -f1 || true)
        [ -n "$failed" ] && detected=$(echo "$(date -d "$failed" +%s.%N) - $t0" | bc)
        [ "$kind" = gasp ] && fast=$(grep -m1 -o 'after [0-9]* fast probes ([^)]*)' "$data/logs/controller.log" 2>/dev/null || true)
        echo "$kind $(echo "$t1 - $t0" | bc) detected $detected ${fast:+($fast)}" | tee -a "$RESULTS"
    else
        echo "$kind none" >> "$RESULTS"
    fi
    if [ "$kind" = silent ]; then kill -CONT "$agent" || true; fi
    echo quit >&3; exec 3>&-
    wait "$lab_pid" || true
    rm -f "$fifo"
}

echo "interval ${INTERVAL}s fast ${FAST}s timeout ${TIMEOUT}s; bounds: gasp $GASP_BOUND s, silent $SILENT_BOUND s; load $(cut -d' ' -f1-3 /proc/loadavg)"
for run in $(seq "$RUNS"); do
    for kind in ${CASES:-gasp silent}; do run_case "$kind" "$run"; done
done

verdict=0
for kind in ${CASES:-gasp silent}; do
    bound=$GASP_BOUND; [ "$kind" = silent ] && bound=$SILENT_BOUND
    # min / median / max of the runs that sent mail; a run without mail or above the bound fails the check
    none=$(awk -v k="$kind" '$1 == k && $2 == "none"' "$RESULTS" | wc -l)
    mapfile -t v < <(awk -v k="$kind" '$1 == k && $2 != "none" { print $2 }' "$RESULTS" | sort -g)
    n=${#v[@]}; over=$(printf '%s\n' "${v[@]}" | awk -v b="$bound" 'NF && $1 > b' | wc -l)
    if [ "$n" -gt 0 ]; then
        min=${v[0]}; max=${v[n-1]}
        if [ $((n % 2)) -eq 1 ]; then median=${v[n/2]}; else median=$(echo "(${v[n/2-1]} + ${v[n/2]}) / 2" | bc -l); fi
        min=$(printf '%.2f' "$min"); median=$(printf '%.2f' "$median"); max=$(printf '%.2f' "$max")
    else min=-; median=-; max=-; fi
    mapfile -t d < <(awk -v k="$kind" '$1 == k && $3 == "detected" && $4 != "-" { print $4 }' "$RESULTS" | sort -g)
    if [ "${#d[@]}" -gt 0 ]; then
        echo "$kind: cut -> failure declared (controller log): min $(printf '%.2f' "${d[0]}") s, max $(printf '%.2f' "${d[${#d[@]}-1]}") s over ${#d[@]} runs"
    fi
    status="met"; if [ "$over" -gt 0 ] || [ "$none" -gt 0 ]; then status="EXCEEDED ($over over the bound, $none without mail)"; verdict=1; fi
    echo "$kind: $n runs with mail, min $min s, median $median s, max $max s; bound $bound s: $status"
done
echo "load at the end $(cut -d' ' -f1-3 /proc/loadavg)"
exit $verdict
