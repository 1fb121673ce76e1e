#!/usr/bin/env bash
# Focused reproduction of the external-mode QoS 1 stall (fixed; docs/ingest.md "Fixed: QoS 1 ingest through mosquitto stalled under a burst").
# Usage: bench/ingest/repro-external-stall.sh [AGENTS] [MESSAGES] [IngestBench binary]   (defaults 50 200000)
# mosquitto with unlimited in-flight (max_inflight_messages 0; mosquitto 2.0.11 gets there by itself under load,
# eclipse-mosquitto/mosquitto#2301), the controller's ingest as a shared-subscription client (serve --external), the
# generator at QoS 1. Before the fix 3 of 3 runs with the defaults stalled at ~100 msg/s (2 agents x 40000: 1 of 2);
# `ss -tmi` on the controller's connection showed mosquitto's Send-Q in MB (notsent), persist timer, snd_wnd below its
# mss, and the controller's rb16384. The stalled serve ignores SIGTERM: the script's cleanup may leave it (kill -9).
set -uo pipefail
cd "$(dirname "$0")/../.."
AGENTS=${1:-50}
MESSAGES=${2:-200000}
BENCH=${3:-bench/ingest/IngestBench/bin/Release/net10.0/IngestBench}
[[ -x $BENCH ]] || dotnet build -c Release bench/ingest/IngestBench >/dev/null
TOTAL=$(( MESSAGES / AGENTS * AGENTS ))
OUT=$(mktemp -d /tmp/ingest-stall-XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$OUT"; }
trap cleanup EXIT
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 0\nmax_inflight_messages 0\nlog_dest none\n' "$PORT" > "$OUT/mosquitto.conf"
/usr/sbin/mosquitto -c "$OUT/mosquitto.conf" & PIDS+=("$!")
for _ in $(seq 200); do (echo > /dev/tcp/127.0.0.1/"$PORT") 2>/dev/null && break; sleep 0.05; done
"$BENCH" serve --port "$PORT" --messages "$TOTAL" --agents "$AGENTS" --external > "$OUT/serve" & SERVE=$!; PIDS+=("$SERVE")
until grep -q '^port' "$OUT/serve" 2>/dev/null; do sleep 0.05; done
"$BENCH" generate --port "$PORT" --agents "$AGENTS" --messages "$MESSAGES" --qos 1 | grep published
( sleep 20; ss -tmi "( dport = :$PORT )" | grep -A1 ESTAB | grep -oE 'rb[0-9]+|rcvmss:[0-9]+' | tr '\n' ' '; echo ) &
wait "$SERVE"; grep '^mode' "$OUT/serve"
