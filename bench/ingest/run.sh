#!/usr/bin/env bash
# Ingest throughput: the controller's telemetry ingest vs mosquitto_sub reading the same stream from mosquitto.
# Usage: bench/ingest/run.sh [AGENTS] [MESSAGES]     (defaults 50 agents, 200000 messages; QoS 0 and QoS 1 each)
# The load generator (IngestBench generate) runs in its own process; every broker/process listens on 127.0.0.1
# on a free port and is stopped on exit.
set -uo pipefail
cd "$(dirname "$0")/../.."
AGENTS=${1:-50}
MESSAGES=${2:-200000}
TOTAL=$(( MESSAGES / AGENTS * AGENTS ))
export BENCH_SITE_PASSWORD=bench   # the embedded broker authenticates bench-NNNN sites with it; mosquitto here is anonymous
BENCH=bench/ingest/IngestBench/bin/Release/net10.0/IngestBench
[[ -x $BENCH && -z ${BENCH_BUILD:-} ]] || dotnet build -c Release bench/ingest/IngestBench >/dev/null
OUT=$(mktemp -d /tmp/ingest-bench-XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$OUT"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_port() { for _ in $(seq 200); do (echo > /dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.05; done; echo "port $1 did not open" >&2; return 1; }
cpu_seconds() { awk '{printf "%.2f", ($14+$15)/100}' /proc/"$1"/stat; }

# serve ARGS...: run the controller's ingest until TOTAL messages are in, generator in a second process.
serve() {
  local port=$1; shift
  "$BENCH" serve --port "$port" --messages "$TOTAL" --agents "$AGENTS" "$@" > "$OUT/serve" & local pid=$!; PIDS+=("$pid")
  until grep -q '^port' "$OUT/serve" 2>/dev/null; do sleep 0.05; done
  "$BENCH" generate --port "$port" --agents "$AGENTS" --messages "$MESSAGES" --qos "$QOS" | grep published
  wait "$pid"; grep '^mode' "$OUT/serve"
}

echo "# $(date -u +%FT%TZ) $(nproc) cores, load average: $(cut -d' ' -f1-3 /proc/loadavg); $AGENTS agents, $TOTAL messages"
for QOS in 0 1; do
  echo "## QoS $QOS"
  # 1. The controller's ingest with its embedded broker.
  serve "$(free_port)"

  # 2. The same generator against mosquitto, mosquitto_sub counting the stream.
  PORT=$(free_port)
  printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 0\nlog_dest none\n' "$PORT" > "$OUT/mosquitto.conf"
  /usr/sbin/mosquitto -c "$OUT/mosquitto.conf" & MOSQ=$!; PIDS+=("$MOSQ")
  wait_port "$PORT"
  ( timeout 300 mosquitto_sub -h 127.0.0.1 -p "$PORT" -q "$QOS" -t 'gw/v1/+/telemetry' -C "$TOTAL" | wc -l > "$OUT/count"; date +%s.%N > "$OUT/end" ) &
  SUB=$!
  sleep 0.5
  MOSQ_CPU0=$(cpu_seconds "$MOSQ")
  "$BENCH" generate --port "$PORT" --agents "$AGENTS" --messages "$MESSAGES" --qos "$QOS" > "$OUT/gen"
  wait "$SUB"
  grep published "$OUT/gen"
  python3 -c "import sys; s,e,n,c=float(sys.argv[1]),float(sys.argv[2]),int(sys.argv[3]),float(sys.argv[4]); print(f'mode=mosquitto+mosquitto_sub received={n} in {e-s:.3f}s rate={n/(e-s):.0f} msg/s mosquitto-cpu={c:.2f}s')" \
    "$(awk '/^start/ {print $2}' "$OUT/gen")" "$(cat "$OUT/end")" "$(cat "$OUT/count")" "$(echo "$(cpu_seconds "$MOSQ") - $MOSQ_CPU0" | bc)"

  # 3. The controller's ingest as a shared-subscription client of that mosquitto.
  serve "$PORT" --external
  kill "$MOSQ"; wait "$MOSQ" 2>/dev/null
done
