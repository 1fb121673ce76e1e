#!/usr/bin/env bash
# agent-ladder.sh - the agent vs sipp's own UAS, side by side in one run.
#
# Builds the agent (Release), starts it on 127.0.0.1 with enough channels for the ladder and no per-source rate
# limit (all load comes from one loopback address), runs bench/sipp-ladder.sh with the agent as --target (the
# ladder starts sipp -sn uas itself as the baseline), samples the agent's resident memory (VmRSS) every 0.5 s, and
# prints the ladder's table plus the agent's RSS idle and peak. Loopback only; bounded by the ladder's budget.
#
# Usage: bench/agent-ladder.sh [--port 25060] [--transport u1|t1] [sipp-ladder options...]
# Env: AGENT_BIN runs that published executable instead of building and running the JIT build with `dotnet`.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PORT=25060
TRANSPORT=u1
EXTRA=()
while [ $# -gt 0 ]; do
    case "$1" in
        --port) PORT=$2; shift 2 ;;
        --transport) TRANSPORT=$2; EXTRA+=(--transport "$2"); shift 2 ;;
        *) EXTRA+=("$1"); shift ;;
    esac
done

if [ -n "${AGENT_BIN:-}" ]; then
    AGENT_CMD=("$AGENT_BIN") # a published executable, e.g. the Native AOT build the packages ship
else
    dotnet build "$ROOT/src/GatewayAgent" -c Release -nologo -v quiet >/dev/null
    AGENT_CMD=(dotnet "$ROOT/src/GatewayAgent/bin/Release/net10.0/gateway-agent.dll")
fi
echo "# agent: ${AGENT_CMD[*]}"
LOG=$(mktemp /tmp/agent-ladder.XXXXXX.log)
"${AGENT_CMD[@]}" --Agent:Board:Kind=sim \
    --Agent:Sip:Listen:0=udp:127.0.0.1:$PORT --Agent:Sip:Listen:1=tcp:127.0.0.1:$PORT \
    --Agent:Sip:MonitorNumbers:0=0312345678 --Agent:Sip:Channels=1000 \
    --Agent:Sip:RateLimitPerSecond=0 --Agent:Sip:Rtp:MinPort=30000 --Agent:Sip:Rtp:MaxPort=39999 \
    --Logging:LogLevel:Default=Warning >"$LOG" 2>&1 &
AGENT=$!
trap 'kill $AGENT 2>/dev/null || true; wait $AGENT 2>/dev/null || true' EXIT
for _ in $(seq 100); do
    grep -q "SIP listening on" "$LOG" 2>/dev/null && break
    ss -lun | grep -q ":$PORT " && break
    sleep 0.1
done
sleep 1
rss() { awk '/VmRSS/ {print $2}' /proc/$AGENT/status; }
IDLE=$(rss)
PEAKFILE=$(mktemp)
echo "$IDLE" >"$PEAKFILE"
( while kill -0 $AGENT 2>/dev/null; do r=$(rss 2>/dev/null || echo 0); [ "${r:-0}" -gt "$(cat "$PEAKFILE")" ] && echo "$r" >"$PEAKFILE"; sleep 0.5; done ) &
SAMPLER=$!

"$ROOT/bench/sipp-ladder.sh" --target 127.0.0.1:$PORT --service 0312345678 "${EXTRA[@]}"

kill $SAMPLER 2>/dev/null || true
echo
SHARED="includes ~33 MiB of shared runtime code"
[ -z "${AGENT_BIN:-}" ] || SHARED="$(basename "$AGENT_BIN") as published"
echo "agent RSS: idle $((IDLE / 1024)) MiB, peak during the ladder $(( $(cat "$PEAKFILE") / 1024 )) MiB (VmRSS, $SHARED)"
echo "agent log: $LOG"
