#!/usr/bin/env bash
# Agent RSS and CPU (a) idle without telemetry, (b) idle with MQTT telemetry at 1 Hz to a real mosquitto, on the
# simulated board; plus start → ready (the agent's own "ready N ms after start" line, median of the two starts).
#   bench/telemetry/footprint.sh [SECONDS]     (default 60 s of sampling after 10 s of warm-up)
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "$0")/.." && pwd)
source "$BENCH_DIR/lib/agent.sh"
SECONDS_TO_SAMPLE=${1:-60}
OUT=${BENCH_OUT:-/tmp/gateway-telemetry-footprint}; mkdir -p "$OUT"
[[ -f "$AGENT_DLL" ]] || dotnet build "$REPO_DIR/src/GatewayAgent" -c Release -nologo -v quiet >/dev/null

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$port" > "$OUT/mosquitto.conf"
/usr/sbin/mosquitto -c "$OUT/mosquitto.conf" > "$OUT/mosquitto.log" 2>&1 & MOSQ=$!
trap 'kill $MOSQ 2>/dev/null || true' EXIT
sleep 0.5

measure() {   # $1 label, rest: extra agent args
    local label=$1; shift
    local sip; sip=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    start_agent "$sip" "$OUT/$label.log" --Agent:Board:Kind=sim "--Agent:LocalControl:Socket=$OUT/$label.sock" \
        "--Agent:Telemetry:SpoolDirectory=$OUT/$label-spool" "$@"
    local ready; ready=$(grep -o 'ready [0-9]* ms after start' "$OUT/$label.log" | head -1 | grep -o '[0-9]*')
    sleep 10
    local t0 t1; t0=$(cpu_ticks "$AGENT_PID")
    sleep "$SECONDS_TO_SAMPLE"
    t1=$(cpu_ticks "$AGENT_PID")
    echo "$label: ready ${ready} ms after start; RSS $(mb "$(rss_kb "$AGENT_PID")") MB ($(rss_split "$AGENT_PID")), peak $(mb "$(hwm_kb "$AGENT_PID")") MB; CPU $(cpu_percent "$t0" "$t1" "$SECONDS_TO_SAMPLE") % of one core over ${SECONDS_TO_SAMPLE} s; threads $(threads_of "$AGENT_PID")"
    stop_agent "$AGENT_PID"
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
measure idle-no-telemetry
measure telemetry-1hz --Agent:SiteId=bench-site --Agent:Mqtt:Host=127.0.0.1 "--Agent:Mqtt:Port=$port" --Agent:Telemetry:Interval=00:00:01
published=$(timeout 5 mosquitto_sub -h 127.0.0.1 -p "$port" -t 'gw/v1/bench-site/state' -C 1 -W 4 2>/dev/null | head -c 120 || true)
echo "retained state after stop: ${published:-none}"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
