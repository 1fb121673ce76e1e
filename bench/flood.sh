#!/usr/bin/env bash
# Flood: for FLOOD_SECONDS, bench/tools/flood.py sends PROTOS c07-sip INVITE+CANCEL cases and junk datagrams as
# fast as it can from 127.0.0.2, while sipp places probe calls from 127.0.0.1 (-r 10 -m 100). Run once with the
# agent's default per-source rate limit (200/s, burst 400) and once with the limit off.
# Loopback only; flood.py, sipp and the agent are all bounded in time.
#
#   bench/flood.sh                              # both modes
#   FLOOD_MODES=default FLOOD_SECONDS=10 bench/flood.sh
#   FLOOD_NUMBER=0399999999 bench/flood.sh      # PROTOS To: an unmonitored number (404s, no calls answered)
#   FLOOD_RATE=5000 bench/flood.sh              # cap the flood at 5,000 datagrams/s
#
# Env: BENCH_WAIT_QUIET=N (wait up to N s for an idle machine before each mode), AGENT_DLL, BENCH_OUT (default /tmp/gateway-agent-bench/flood-<time>), PROTOS_TAR
#      (default ../shared/conformance/protos-c07-sip.tar.gz), SIPP_RATE (10), SIPP_CALLS (100), SETTLE_SECONDS (15).
set -euo pipefail
source "$(dirname "$0")/lib/agent.sh"

FLOOD_MODES="${FLOOD_MODES:-default off}"
FLOOD_SECONDS="${FLOOD_SECONDS:-10}"
FLOOD_RATE="${FLOOD_RATE:-0}"          # datagrams/s cap for flood.py; 0 = as fast as it can
FLOOD_NUMBER="${FLOOD_NUMBER:-0312345678}"
FLOOD_SOURCE="${FLOOD_SOURCE:-127.0.0.2}"
SIPP_RATE="${SIPP_RATE:-10}"
SIPP_CALLS="${SIPP_CALLS:-100}"
SETTLE_SECONDS="${SETTLE_SECONDS:-15}"
PROTOS_TAR="${PROTOS_TAR:-$REPO_DIR/../shared/conformance/protos-c07-sip.tar.gz}"
[[ -f "$PROTOS_TAR" ]] || PROTOS_TAR=/work/shared/conformance/protos-c07-sip.tar.gz
BENCH_OUT="${BENCH_OUT:-/tmp/gateway-agent-bench/flood-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$BENCH_OUT"

ensure_agent_built
AGENT_PID=""; FLOOD_PID=""; SIPP_PID=""
cleanup() {
    [[ -n "$FLOOD_PID" ]] && kill "$FLOOD_PID" 2>/dev/null || true
    [[ -n "$SIPP_PID" ]] && kill "$SIPP_PID" 2>/dev/null || true
    stop_agent "$AGENT_PID"
}
trap cleanup EXIT

echo "== flood $(date -u +%Y-%m-%dT%H:%M:%SZ)"
machine_line
echo "agent: $(agent_version)"
echo "PROTOS: $PROTOS_TAR; flood To: $FLOOD_NUMBER; flood rate cap: ${FLOOD_RATE/#0/none}; output: $BENCH_OUT"

for mode in $FLOOD_MODES; do
    echo
    case "$mode" in
        default) export BENCH_RATE_LIMIT=default; what="default per-source rate limit (appsettings.json: 200/s, burst 400)";;
        off) export BENCH_RATE_LIMIT=off; what="rate limit off (--Agent:Sip:RateLimitPerSecond=0)";;
        *) echo "unknown mode $mode (default|off)"; exit 2;;
    esac
    echo "-- mode $mode: $what"
    out="$BENCH_OUT/$mode"; mkdir -p "$out"
    PORT="$(free_port)"
    start_agent "$PORT" "$out/agent.log"
    mapfile -t cmd < <(agent_command "$PORT")
    echo "agent: ${cmd[*]}"
    echo "agent pid $AGENT_PID on 127.0.0.1:$PORT"
    wait_quiet
    rss0="$(rss_kb "$AGENT_PID")"
    echo "RSS before: $(mb "$rss0") MB, threads $(threads_of "$AGENT_PID")"
    drops0="$(udp_drops "$PORT")"

    python3 "$BENCH_DIR/tools/flood.py" --port "$PORT" --source "$FLOOD_SOURCE" --number "$FLOOD_NUMBER" \
        --protos "$PROTOS_TAR" --duration "$FLOOD_SECONDS" --rate "$FLOOD_RATE" --json "$out/flood.json" >"$out/flood.out" 2>"$out/flood.err" &
    FLOOD_PID=$!
    # flood.py unpacks the corpus first (a few seconds); start sipp when the flood starts
    for _ in $(seq 1 600); do grep -q 'cases loaded' "$out/flood.err" 2>/dev/null && break; sleep 0.1; done
    t0="$(now_s)"; c0="$(cpu_ticks "$AGENT_PID")"; m0="$(machine_jiffies)"
    SIPP_PORT="$(free_port)"; MEDIA_PORT="$(free_port)"
    sipp_cmd=(timeout -k 5 120 sipp -sn uac -s 0312345678 "127.0.0.1:$PORT" -i 127.0.0.1 -p "$SIPP_PORT" -mp "$MEDIA_PORT"
        -r "$SIPP_RATE" -m "$SIPP_CALLS" -timeout 90s -nostdin
        -trace_stat -stf "$out/sipp.csv" -fd 1 -trace_screen -screen_file "$out/sipp-screen.log"
        -trace_err -error_file "$out/sipp-errors.log")
    "${sipp_cmd[@]}" >"$out/sipp.out" 2>&1 &
    SIPP_PID=$!
    echo "sipp: ${sipp_cmd[*]}"
    peak="$rss0"; alive=1
    : >"$out/samples.tsv"
    while kill -0 "$FLOOD_PID" 2>/dev/null || kill -0 "$SIPP_PID" 2>/dev/null; do
        r="$(rss_kb "$AGENT_PID")"
        if [[ -z "$r" ]]; then alive=0; kill "$FLOOD_PID" "$SIPP_PID" 2>/dev/null || true; break; fi
        (( r > peak )) && peak="$r"
        printf '%s\t%s\t%s\n' "$(now_s)" "$r" "$(cpu_ticks "$AGENT_PID")" >>"$out/samples.tsv"
        sleep 0.5
    done
    flood_rc=0; wait "$FLOOD_PID" || flood_rc=$?; FLOOD_PID=""
    sipp_rc=0; wait "$SIPP_PID" || sipp_rc=$?; SIPP_PID=""
    t1="$(now_s)"; c1="$(cpu_ticks "$AGENT_PID" || echo "$c0")"; m1="$(machine_jiffies)"
    secs="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')"
    cat "$out/flood.err" "$out/flood.out" | grep '^flood:'
    [[ "$flood_rc" == 0 ]] || echo "flood.py exit code $flood_rc"
    echo "sipp exit code $sipp_rc"
    python3 "$BENCH_DIR/tools/sipp_stats.py" "$out/sipp.csv" || true
    if [[ "$alive" == 0 ]] || ! kill -0 "$AGENT_PID" 2>/dev/null; then
        echo "AGENT DIED during the flood"; tail -20 "$out/agent.log"; AGENT_PID=""; continue
    fi
    echo "agent CPU over $secs s: $(cpu_percent "$c0" "$c1" "$secs")% of one core; machine busy $(machine_busy "$m0" "$m1") (agent + flooder + sipp + anything else)"
    echo "agent RSS: before $(mb "$rss0") MB, peak (0.5 s samples) $(mb "$peak") MB, right after $(mb "$(rss_kb "$AGENT_PID")") MB, VmHWM $(mb "$(hwm_kb "$AGENT_PID")") MB"
    echo "agent UDP socket: $(( $(udp_drops "$PORT") - drops0 )) datagrams dropped by the kernel (receive buffer full) during the run"
    echo "OPTIONS right after: $(python3 "$BENCH_DIR/tools/sip_ping.py" "$PORT" 5 || true)"
    sleep "$SETTLE_SECONDS"
    echo "agent RSS ${SETTLE_SECONDS} s later: $(mb "$(rss_kb "$AGENT_PID")") MB, threads $(threads_of "$AGENT_PID")"
    echo "OPTIONS after settling: $(python3 "$BENCH_DIR/tools/sip_ping.py" "$PORT" 5 || true)"
    echo "agent log: probe.answered from sipp (127.0.0.1) $(grep -a 'probe.answered' "$out/agent.log" | grep -ac 'source=[^ ]*127\.0\.0\.1' || true)," \
        "from the flooder ($FLOOD_SOURCE) $(grep -a 'probe.answered' "$out/agent.log" | grep -ac "source=[^ ]*${FLOOD_SOURCE//./\\.}" || true)"
    grep -avE 'probe.answered' "$out/agent.log" | grep -aE '(warn|fail|crit|error|fatal)' | sed -E 's/^[0-9TZ:.-]+ //; s/[0-9]+/N/g' | cut -c1-220 \
        | sort | uniq -c | sort -rn | head -12 | sed 's/^/agent log (numbers as N): /' || true
    stop_agent "$AGENT_PID"; AGENT_PID=""
done
