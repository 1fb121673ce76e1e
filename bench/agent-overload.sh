#!/usr/bin/env bash
# agent-overload.sh - issue 13: past its limit the agent sheds load without collapsing.
#   * for OVERLOAD_SECONDS (30) sipp's built-in uac floods the agent from 127.0.0.2 at OVERLOAD_RATE calls/s (2 x the
#     agent's zero-failure limit on the ladder: pass LIMIT, default 2000 -> 4000/s), under the agent's default
#     transaction limits and without the per-source rate limit (which would make the flood trivial to refuse);
#   * all along, tools/probe_loop.py probes at 10/s from 127.0.0.1, a configured prober (Agent:Sip:ProberSources):
#     goal, every probe answered during the overload;
#   * and from 127.0.0.3, a stranger, at 10/s: goal, after the flood stops, probes succeed again within 1 s
#     (reported: the time from the flood's end to the first probe of an unbroken run of successes, and the
#     failures after the flood's end).
# Reports the agent's peak RSS and CPU, and sipp's own counts for the flood.
#   bench/agent-overload.sh
#   LIMIT=1500 OVERLOAD_SECONDS=30 bench/agent-overload.sh
set -euo pipefail
source "$(dirname "$0")/lib/agent.sh"
LIMIT="${LIMIT:-2000}"
OVERLOAD_RATE="${OVERLOAD_RATE:-$(( LIMIT * 2 ))}"
OVERLOAD_SECONDS="${OVERLOAD_SECONDS:-30}"
AFTER_SECONDS="${AFTER_SECONDS:-10}"
BENCH_OUT="${BENCH_OUT:-/tmp/gateway-agent-bench/overload-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$BENCH_OUT"
ensure_agent_built
AGENT_PID=""; PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; stop_agent "$AGENT_PID"; }
trap cleanup EXIT

echo "== agent-overload $(date -u +%Y-%m-%dT%H:%M:%SZ)"
machine_line
echo "agent: $(agent_version)"
echo "flood: sipp uac from 127.0.0.2 at ${OVERLOAD_RATE}/s for ${OVERLOAD_SECONDS} s; probes at 10/s from 127.0.0.1 (prober) and 127.0.0.3 (stranger)"
PORT="$(free_port)"
start_agent "$PORT" "$BENCH_OUT/agent.log" "--Agent:Sip:ProberSources:0=127.0.0.1" "--Logging:LogLevel:Default=Warning"
echo "$AGENT_START_LINE"
TOTAL=$(( OVERLOAD_SECONDS + AFTER_SECONDS + 5 ))
python3 "$BENCH_DIR/tools/probe_loop.py" --target "127.0.0.1:$PORT" --source 127.0.0.1 --rate 10 --seconds "$TOTAL" --out "$BENCH_OUT/prober.csv" &
PIDS+=($!); PROBER=$!
python3 "$BENCH_DIR/tools/probe_loop.py" --target "127.0.0.1:$PORT" --source 127.0.0.3 --rate 10 --seconds "$TOTAL" --out "$BENCH_OUT/stranger.csv" &
PIDS+=($!); STRANGER=$!
sleep 5
( peak=0; while kill -0 "$AGENT_PID" 2>/dev/null; do r="$(rss_kb "$AGENT_PID")"; (( ${r:-0} > peak )) && peak=$r && echo "$peak" >"$BENCH_OUT/peak"; sleep 0.2; done ) &
PIDS+=($!)
T0="$(cpu_ticks "$AGENT_PID")"; M0="$(machine_jiffies)"; FLOOD_START="$(now_s)"
( cd "$BENCH_OUT" && exec sipp -sn uac -s 0312345678 "127.0.0.1:$PORT" -i 127.0.0.2 -r "$OVERLOAD_RATE" \
    -m $(( OVERLOAD_RATE * OVERLOAD_SECONDS )) -l $(( OVERLOAD_RATE * 4 )) -timeout "${OVERLOAD_SECONDS}s" -timeout_error \
    -nostdin -trace_stat -stf flood.csv -fd 1 >flood.log 2>&1 ) || true
FLOOD_END="$(now_s)"; T1="$(cpu_ticks "$AGENT_PID")"; M1="$(machine_jiffies)"
wait "$PROBER" "$STRANGER" || true
col() { awk -F';' -v name="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next } { last = $c } END { print last + 0 }' "$BENCH_OUT/flood.csv"; }
python3 - "$BENCH_OUT" "$FLOOD_START" "$FLOOD_END" <<'PY'
import csv, sys
out, start, end = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
def load(name):
    return [(float(r["start"]), r["outcome"]) for r in csv.DictReader(open(f"{out}/{name}.csv"))]
for name in ("prober", "stranger"):
    calls = sorted(load(name))
    during = [o for t, o in calls if start <= t < end]
    after = [(t, o) for t, o in calls if t >= end]
    bad = sum(1 for o in during if o != "ok")
    line = f"{name}: during the flood {len(during) - bad}/{len(during)} ok"
    if after:
        last_bad = max((i for i, (_, o) in enumerate(after) if o != "ok"), default=-1)
        fail_after = sum(1 for _, o in after if o != "ok")
        if last_bad + 1 < len(after):
            recovered = after[last_bad + 1][0] - end
            line += f"; after it {len(after) - fail_after}/{len(after)} ok, unbroken successes from {max(recovered, 0):.2f} s after the flood's end"
        else:
            line += f"; after it {len(after) - fail_after}/{len(after)} ok, never recovered"
    print(line)
PY
echo "flood (sipp): $(col 'SuccessfulCall(C)') ok, $(col 'FailedCall(C)') failed of $(col 'OutgoingCall(C)') placed in $(awk -v a="$FLOOD_START" -v b="$FLOOD_END" 'BEGIN {printf "%.1f", b - a}') s"
echo "agent: peak RSS $(mb "$(cat "$BENCH_OUT/peak" 2>/dev/null || echo 0)") MB, CPU $(cpu_percent "$T0" "$T1" "$(awk -v a="$FLOOD_START" -v b="$FLOOD_END" 'BEGIN {print b - a}')") % of one core during the flood; machine $(machine_busy "$M0" "$M1") busy"
grep -c 'Overloaded\|503' "$BENCH_OUT/agent.log" 2>/dev/null | sed 's/^/agent log lines about overload: /' || true
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); files in $BENCH_OUT"
