#!/usr/bin/env bash
# Flood from 1,000 sources (issue 12 item 2): for FLOOD_SECONDS (20), tools/flood_sources.py sends 8 KB OPTIONS at up
# to FLOOD_RATE (15,000/s, a 1 Gbit/s line's full rate) from 1,000 loopback addresses (127.10.x.y), while sipp places
# probe calls from 127.0.0.1 at 10/s. Reports the agent's peak RSS and the probes answered, per mode:
#   allowlist-nft  Agent:Sip:AllowedSources=127.0.0.1, RejectMode=Drop, and the `gateway-agent firewall` ruleset loaded
#   allowlist      the same without the ruleset (the agent's own defences only)
#   probers        no allow-list, but Agent:Sip:ProberSources=127.0.0.1 (the prober first, and a reserved budget share)
#   defaults       no allow-list (appsettings.json's defaults, per-source rate limit 200/s)
# The whole run happens in a network namespace of its own (unshare -rn: its own loopback, nftables rules that touch
# nothing else on the machine).
#
#   bench/flood-sources.sh
#   FLOOD_MODES=allowlist-nft FLOOD_RATE=0 bench/flood-sources.sh     # as fast as the flooder can
set -euo pipefail
if [[ -z "${FLOOD_IN_NETNS:-}" ]]; then
    exec env FLOOD_IN_NETNS=1 unshare -rn bash -c 'ip link set lo up && exec "$0" "$@"' "$0" "$@"
fi
source "$(dirname "$0")/lib/agent.sh"
export BENCH_RATE_LIMIT=default

FLOOD_MODES="${FLOOD_MODES:-allowlist-nft allowlist probers defaults}"
FLOOD_SECONDS="${FLOOD_SECONDS:-20}"
FLOOD_RATE="${FLOOD_RATE:-15000}"
FLOOD_SOURCES="${FLOOD_SOURCES:-1000}"
SIPP_RATE="${SIPP_RATE:-10}"
SIPP_CALLS="${SIPP_CALLS:-$(( FLOOD_SECONDS * SIPP_RATE ))}"
BENCH_OUT="${BENCH_OUT:-/tmp/gateway-agent-bench/flood-sources-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$BENCH_OUT"
ensure_agent_built
AGENT_PID=""; FLOOD_PID=""; SIPP_PID=""
cleanup() {
    [[ -n "$FLOOD_PID" ]] && kill "$FLOOD_PID" 2>/dev/null || true
    [[ -n "$SIPP_PID" ]] && kill "$SIPP_PID" 2>/dev/null || true
    stop_agent "$AGENT_PID"
}
trap cleanup EXIT

echo "== flood-sources $(date -u +%Y-%m-%dT%H:%M:%SZ) (in a network namespace)"
machine_line
echo "agent: $(agent_version); flood: $FLOOD_SOURCES sources, 8 KB OPTIONS, target ${FLOOD_RATE}/s, ${FLOOD_SECONDS} s; sipp ${SIPP_CALLS} calls at ${SIPP_RATE}/s"

for mode in $FLOOD_MODES; do
    echo
    echo "-- mode $mode, load $(cut -d' ' -f1-3 /proc/loadavg)"
    out="$BENCH_OUT/$mode"; mkdir -p "$out"
    PORT="$(free_port)"
    extra=()
    case "$mode" in
        allowlist*) extra=("--Agent:Sip:AllowedSources:0=127.0.0.1" "--Agent:Sip:RejectMode=Drop");;
        probers) extra=("--Agent:Sip:ProberSources:0=127.0.0.1");;
        defaults) ;;
        *) echo "unknown mode $mode"; exit 2;;
    esac
    nft delete table inet gateway_agent 2>/dev/null || true
    if [[ "$mode" == allowlist-nft ]]; then
        echo '{}' >"$out/firewall.json"
        dotnet "$AGENT_DLL" firewall --config "$out/firewall.json" "${extra[@]}" \
            "--Agent:Sip:Listen:0=udp:127.0.0.1:$PORT" "--Agent:Sip:Listen:1=tcp:127.0.0.1:$PORT" >"$out/ruleset.nft"
        nft -f "$out/ruleset.nft"
    fi
    start_agent "$PORT" "$out/agent.log" "${extra[@]}"
    rss0="$(rss_kb "$AGENT_PID")"
    python3 "$BENCH_DIR/tools/flood_sources.py" --port "$PORT" --sources "$FLOOD_SOURCES" --rate "$FLOOD_RATE" \
        --duration "$FLOOD_SECONDS" --json "$out/flood.json" >"$out/flood.out" 2>"$out/flood.err" &
    FLOOD_PID=$!
    for _ in $(seq 1 300); do grep -q '^flood:' "$out/flood.err" 2>/dev/null && break; sleep 0.1; done
    SIPP_PORT="$(free_port)"; MEDIA_PORT="$(free_port)"
    sipp_cmd=(timeout -k 5 120 sipp -sn uac -s 0312345678 "127.0.0.1:$PORT" -i 127.0.0.1 -p "$SIPP_PORT" -mp "$MEDIA_PORT"
        -r "$SIPP_RATE" -m "$SIPP_CALLS" -d 200 -timeout 90s -nostdin -trace_stat -stf "$out/sipp.csv" -fd 1
        -trace_err -error_file "$out/sipp-errors.log")
    "${sipp_cmd[@]}" >"$out/sipp.out" 2>&1 &
    SIPP_PID=$!
    peak="$rss0"
    while kill -0 "$FLOOD_PID" 2>/dev/null || kill -0 "$SIPP_PID" 2>/dev/null; do
        r="$(rss_kb "$AGENT_PID")"; [[ -z "$r" ]] && { echo "AGENT DIED"; break; }
        (( r > peak )) && peak="$r"
        sleep 0.25
    done
    wait "$FLOOD_PID" || true; FLOOD_PID=""
    sipp_rc=0; wait "$SIPP_PID" || sipp_rc=$?; SIPP_PID=""
    cat "$out/flood.out"
    echo "sipp: ${sipp_cmd[*]}"
    echo "sipp exit $sipp_rc; $(python3 "$BENCH_DIR/tools/sipp_stats.py" "$out/sipp.csv" 2>/dev/null | head -3 | tr '\n' ' ')"
    echo "agent RSS: before $(mb "$rss0") MB, peak (0.25 s samples) $(mb "$peak") MB, VmHWM $(mb "$(hwm_kb "$AGENT_PID")") MB"
    [[ "$mode" == allowlist-nft ]] && echo "kernel drops (nft): $(nft list chain inet gateway_agent input | grep -o 'udp dport [0-9]* .*counter packets [0-9]*' | grep -o 'packets [0-9]*')"
    echo "agent UDP socket: $(udp_drops "$PORT") datagrams dropped by the kernel (receive buffer full)"
    echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
    stop_agent "$AGENT_PID"; AGENT_PID=""
    grep -a "Stopped\|stopped" "$out/agent.log" | tail -1 | cut -c1-240 || true
done
