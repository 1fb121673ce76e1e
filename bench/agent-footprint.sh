#!/usr/bin/env bash
# Agent footprint: (a) time to ready, median of N starts; (b) idle RSS after start and after 10 s;
# (c) RSS and CPU while sipp's built-in uac drives steady load. Loopback only; every step is bounded.
#
#   bench/agent-footprint.sh                 # defaults below
#   STARTS=5 LOAD_RATE=100 LOAD_SECONDS=20 LOAD_LIMIT=200 LOAD_CALL_MS=1000 bench/agent-footprint.sh
#   DOTNET_GCgen0size=0x400000 bench/agent-footprint.sh     # runtime knobs pass through to the agent
#
# Env: BENCH_WAIT_QUIET=N waits up to N s for the machine to be idle before (a) and (c);
#      AGENT_DLL (default src/GatewayAgent/bin/Release/net10.0/gateway-agent.dll, built if missing),
#      BENCH_OUT (default /tmp/gateway-agent-bench/footprint-<time>): logs, sipp CSV, samples.
set -euo pipefail
source "$(dirname "$0")/lib/agent.sh"

STARTS="${STARTS:-5}"
IDLE_SECONDS="${IDLE_SECONDS:-10}"
LOAD_RATE="${LOAD_RATE:-100}"          # calls per second
LOAD_SECONDS="${LOAD_SECONDS:-20}"     # calls placed = rate x seconds
LOAD_LIMIT="${LOAD_LIMIT:-200}"        # sipp -l: max simultaneous calls
LOAD_CALL_MS="${LOAD_CALL_MS:-1000}"   # sipp -d: time between ACK and BYE (the agent sends RTP meanwhile)
SETTLE_SECONDS="${SETTLE_SECONDS:-10}" # after the load, before the last RSS reading
BENCH_OUT="${BENCH_OUT:-/tmp/gateway-agent-bench/footprint-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$BENCH_OUT"

ensure_agent_built
AGENT_PID=""
SIPP_PID=""
cleanup() {
    [[ -n "$SIPP_PID" ]] && kill "$SIPP_PID" 2>/dev/null || true
    stop_agent "$AGENT_PID"
}
trap cleanup EXIT

echo "== agent footprint $(date -u +%Y-%m-%dT%H:%M:%SZ)"
machine_line
echo "agent: $(agent_version)"
env | grep -E '^DOTNET_' | grep -vE 'DOTNET_(CLI|NOLOGO|GENERATE)' | sed 's/^/runtime env: /' || true
echo "output: $BENCH_OUT"

# (a) start -> ready --------------------------------------------------------------------------------
echo
echo "-- (a) start to ready, $STARTS starts"
wait_quiet
options=(); logged=()
for i in $(seq 1 "$STARTS"); do
    port="$(free_port)"
    mapfile -t cmd < <(agent_command "$port")
    line="$(python3 "$BENCH_DIR/tools/startup_probe.py" --port "$port" --log "$BENCH_OUT/start-$i.log" -- "${cmd[@]}")"
    echo "start $i: $line"
    options+=("$(sed -n 's/.*options_ms=\([0-9]*\).*/\1/p' <<<"$line")")
    logged+=("$(sed -n 's/.*logged_ready_ms=\([0-9]*\).*/\1/p' <<<"$line")")
    sleep 1
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo "median logged ready: $(median "${logged[@]}") ms   (all: ${logged[*]})"
echo "median exec -> OPTIONS answered: $(median "${options[@]}") ms   (all: ${options[*]})"

# (b) idle RSS ---------------------------------------------------------------------------------------
echo
echo "-- (b) idle RSS"
PORT="$(free_port)"
start_agent "$PORT" "$BENCH_OUT/agent.log"
echo "agent pid $AGENT_PID on 127.0.0.1:$PORT ($AGENT_START_LINE)"
echo "RSS after ready: $(mb "$(rss_kb "$AGENT_PID")") MB ($(rss_split "$AGENT_PID")), threads $(threads_of "$AGENT_PID")"
sleep "$IDLE_SECONDS"
echo "RSS after ${IDLE_SECONDS} s idle: $(mb "$(rss_kb "$AGENT_PID")") MB ($(rss_split "$AGENT_PID"); VmHWM $(mb "$(hwm_kb "$AGENT_PID")") MB), threads $(threads_of "$AGENT_PID")"

# (c) under load -------------------------------------------------------------------------------------
echo
CALLS=$(( LOAD_RATE * LOAD_SECONDS ))
wait_quiet
echo "-- (c) load: sipp uac $LOAD_RATE calls/s, $CALLS calls, -l $LOAD_LIMIT, -d $LOAD_CALL_MS ms (RTP 50 pkt/s per answered call)"
SIPP_PORT="$(free_port)"; MEDIA_PORT="$(free_port)"
# sipp's own -timeout does not always fire (seen when the agent died mid-run): `timeout` bounds it too
sipp_cmd=(timeout -k 5 "$(( LOAD_SECONDS + 70 ))" sipp -sn uac -s 0312345678 "127.0.0.1:$PORT" -i 127.0.0.1 -p "$SIPP_PORT" -mp "$MEDIA_PORT"
    -r "$LOAD_RATE" -l "$LOAD_LIMIT" -d "$LOAD_CALL_MS" -m "$CALLS" -timeout "$(( LOAD_SECONDS + 60 ))s" -nostdin
    -trace_stat -stf "$BENCH_OUT/sipp-load.csv" -fd 1 -trace_screen -screen_file "$BENCH_OUT/sipp-load-screen.log")
echo "sipp: ${sipp_cmd[*]}"
answered_before="$(grep -c 'probe.answered' "$BENCH_OUT/agent.log" || true)"
t0="$(now_s)"; c0="$(cpu_ticks "$AGENT_PID")"; m0="$(machine_jiffies)"
"${sipp_cmd[@]}" >"$BENCH_OUT/sipp-load.out" 2>&1 &
SIPP_PID=$!
peak=0
: >"$BENCH_OUT/load-samples.tsv"
while kill -0 "$SIPP_PID" 2>/dev/null; do
    r="$(rss_kb "$AGENT_PID")"
    if [[ -z "$r" ]]; then
        echo "AGENT DIED during the load (see $BENCH_OUT/agent.log; dmesg may show a segfault)"
        kill "$SIPP_PID" 2>/dev/null || true
        break
    fi
    (( r > peak )) && peak="$r"
    printf '%s\t%s\t%s\n' "$(now_s)" "$r" "$(cpu_ticks "$AGENT_PID")" >>"$BENCH_OUT/load-samples.tsv"
    sleep 0.5
done
sipp_rc=0; wait "$SIPP_PID" || sipp_rc=$?
SIPP_PID=""
if ! kill -0 "$AGENT_PID" 2>/dev/null; then
    python3 "$BENCH_DIR/tools/sipp_stats.py" "$BENCH_OUT/sipp-load.csv" || true
    echo "agent exited: $(grep -ac 'probe.answered' "$BENCH_OUT/agent.log" || true) probes answered before; last log line:"
    tail -1 "$BENCH_OUT/agent.log" | cut -c1-300
    AGENT_PID=""; exit 1
fi
t1="$(now_s)"; c1="$(cpu_ticks "$AGENT_PID")"; m1="$(machine_jiffies)"
secs="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')"
echo "sipp exit code $sipp_rc after $secs s"
python3 "$BENCH_DIR/tools/sipp_stats.py" "$BENCH_OUT/sipp-load.csv"
echo "agent CPU over the run: $(cpu_percent "$c0" "$c1" "$secs")% of one core (utime+stime $(( c1 - c0 )) ticks in $secs s); machine busy $(machine_busy "$m0" "$m1") (agent + sipp + anything else)"
# the busiest 5 s window from the samples
python3 - "$BENCH_OUT/load-samples.tsv" "$CLK_TCK" <<'PY'
import sys
rows = [tuple(map(float, l.split())) for l in open(sys.argv[1]) if len(l.split()) == 3]
hz = float(sys.argv[2]); best = 0.0
for i, (t, _, c) in enumerate(rows):
    for t2, _, c2 in rows[i + 1:]:
        if t2 - t >= 5:
            best = max(best, (c2 - c) / hz / (t2 - t) * 100); break
print(f"agent CPU, busiest 5 s window: {best:.1f}% of one core")
if rows:
    t0, marks, cpu, nxt = rows[0][0], [], [], 0.0
    prev = rows[0]
    for t, r, c in rows:
        if t - t0 >= nxt:
            marks.append(f"{r / 1024:.0f}")
            if nxt > 0:
                cpu.append(f"{(c - prev[2]) / hz / (t - prev[0]) * 100:.0f}")
            prev = (t, r, c)
            nxt += 5
    print("agent RSS every 5 s (MB): " + " ".join(marks))
    print("agent CPU per 5 s (% of one core): " + " ".join(cpu))
PY
echo "agent RSS peak while loaded (0.5 s samples): $(mb "$peak") MB; VmHWM since start: $(mb "$(hwm_kb "$AGENT_PID")") MB"
echo "probe.answered lines logged during the run: $(( $(grep -c 'probe.answered' "$BENCH_OUT/agent.log" || true) - answered_before ))"
sleep "$SETTLE_SECONDS"
echo "RSS ${SETTLE_SECONDS} s after the load: $(mb "$(rss_kb "$AGENT_PID")") MB ($(rss_split "$AGENT_PID")), threads $(threads_of "$AGENT_PID")"
grep -iE ' (warn|fail|crit|error)[a-z]*:? ' "$BENCH_OUT/agent.log" | cut -c1-300 | sort | uniq -c | sort -rn | head -10 | sed 's/^/agent log: /' || true
