#!/usr/bin/env bash
# Telemetry figures: dying-gasp latency (AgentEventHub.Raise(power.lost) → an MQTT subscriber holds the event; the
# spool's fsync included) over 100 power toggles, idle and with 500 other events/s, against the embedded MQTTnet broker
# and against mosquitto; then the spool's append and replay rates (20,000 events) and where a power.lost raised during
# the replay lands. In-process harness with the agent's real AddTelemetry composition (the hardware board's
# power-good edge is not on this branch: latency is measured from the hub, where the board raises it).
# Usage: bench/telemetry/run.sh [--toggles N] [--replay N]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${BENCH_OUT:-$(mktemp -d /tmp/telemetry-bench.XXXXXX)}"
dotnet build "$here/TelemetryBench" -c Release -v q -nologo >/dev/null

echo "== embedded MQTTnet broker"
dotnet run -c Release --no-build --project "$here/TelemetryBench" -- "$@" | tee "$out/embedded.txt"

if [ -x /usr/sbin/mosquitto ]; then
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  cat >"$out/mosquitto.conf" <<CONF
listener $port 127.0.0.1
allow_anonymous true
user $(id -un)
persistence false
log_dest stderr
CONF
  /usr/sbin/mosquitto -c "$out/mosquitto.conf" 2>"$out/mosquitto.log" &
  mpid=$!
  trap 'kill $mpid 2>/dev/null || true' EXIT
  for _ in $(seq 50); do grep -q running "$out/mosquitto.log" && break; sleep 0.1; done
  echo "== mosquitto $(/usr/sbin/mosquitto -h | head -1 | awk '{print $3}') on 127.0.0.1:$port (latency part; replay uses the embedded broker)"
  dotnet run -c Release --no-build --project "$here/TelemetryBench" -- --broker "127.0.0.1:$port" "$@" | tee "$out/mosquitto.txt"
fi
echo "output in $out"
