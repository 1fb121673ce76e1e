#!/usr/bin/env bash
# agent-sustained.sh - the agent answering sipp's built-in uac at one rate for a while: calls ok / failed, the
# agent's RSS (idle, peak, at the end) and CPU (% of one core over the load). Issue 13's memory target: peak RSS
# < 80 MB while answering 1,000 calls/s for 60 s with zero failures, under the default transaction limits.
# Env: RATE (1000) SECONDS (60) PORT (25070) BENCH_OUT (/tmp/gateway-agent-bench/sustained)
#      AGENT_BIN: run this executable instead of building and running the JIT build with `dotnet` (a self-contained
#      ReadyToRun publish, or a Native AOT one: `dotnet publish src/GatewayAgent -c Release -r linux-x64
#      -p:PublishAot=true -o DIR`, then AGENT_BIN=DIR/gateway-agent). AGENT_DLL: run this gateway-agent.dll with
#      `dotnet`, unbuilt (default: build src/GatewayAgent and run its Release output).
# Also prints the RSS split at the peak (RssAnon / RssFile / RssShmem from /proc/PID/status) and the response time of
# the INVITEs' 200 (sipp's rtd, every call: p50 / p99 / max).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RATE=${RATE:-1000}; SECONDS_=${SECONDS:-60}; PORT=${PORT:-25070}
OUT=${BENCH_OUT:-/tmp/gateway-agent-bench/sustained}; mkdir -p "$OUT"
echo "# $(date -u +%FT%TZ) load: $(cut -d' ' -f1-3 /proc/loadavg), nproc $(nproc), HEAD $(git -C "$ROOT" rev-parse --short HEAD)"
if [ -n "${AGENT_BIN:-}" ]; then
    AGENT_CMD=("$AGENT_BIN")
elif [ -n "${AGENT_DLL:-}" ]; then
    AGENT_CMD=(dotnet "$AGENT_DLL")
else
    dotnet build "$ROOT/src/GatewayAgent" -c Release -nologo -v quiet >/dev/null
    AGENT_CMD=(dotnet "$ROOT/src/GatewayAgent/bin/Release/net10.0/gateway-agent.dll")
fi
echo "# agent: ${AGENT_CMD[*]}"
"${AGENT_CMD[@]}" --Agent:Board:Kind=sim \
    --Agent:Sip:Listen:0=udp:127.0.0.1:$PORT --Agent:Sip:MonitorNumbers:0=0312345678 --Agent:Sip:Channels=1000 \
    --Agent:Sip:RateLimitPerSecond=0 --Agent:Sip:Rtp:MinPort=30000 --Agent:Sip:Rtp:MaxPort=39999 \
    --Logging:LogLevel:Default=Warning >"$OUT/agent.log" 2>&1 &
AGENT=$!
trap 'kill $AGENT 2>/dev/null || true; wait $AGENT 2>/dev/null || true' EXIT
for _ in $(seq 100); do ss -lun | grep -q "127.0.0.1:$PORT " && break; sleep 0.1; done
sleep 2
rss() { awk '/VmRSS/ {print $2}' /proc/$AGENT/status; }
ticks() { awk '{print $14 + $15}' /proc/$AGENT/stat; }
IDLE=$(rss); T0=$(ticks); S0=$(date +%s.%N)
split() { awk '/^Rss(Anon|File|Shmem):/ {printf "%s%s %d MB", sep, substr($1, 4, length($1) - 4), $2 / 1024; sep = ", "}' /proc/$AGENT/status; }
rm -f "$OUT/peak" "$OUT/peak-split"
( peak=0; while kill -0 $AGENT 2>/dev/null; do r=$(rss 2>/dev/null || echo 0); if [ "${r:-0}" -gt "$peak" ]; then peak=$r; echo "$peak" >"$OUT/peak"; split >"$OUT/peak-split" 2>/dev/null || true; fi; sleep 0.25; done ) &
SAMPLER=$!
( cd "$OUT" && rm -f uac.csv uac_*_rtt.csv && exec sipp -sn uac -s 0312345678 "127.0.0.1:$PORT" -i 127.0.0.1 -r "$RATE" -m $(( RATE * SECONDS_ )) \
    -l $(( RATE * 4 )) -nostdin -trace_stat -stf uac.csv -fd 1 -trace_rtt -rtt_freq "$RATE" -timeout "$(( SECONDS_ + 30 ))s" >uac.log 2>&1 ) || true
T1=$(ticks); S1=$(date +%s.%N); END=$(rss)
kill $SAMPLER 2>/dev/null || true
col() { awk -F';' -v name="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next } { last = $c } END { print last + 0 }' "$OUT/uac.csv"; }
ok=$(col "SuccessfulCall(C)"); failed=$(col "FailedCall(C)")
cpu=$(awk -v t0="$T0" -v t1="$T1" -v s0="$S0" -v s1="$S1" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.0f", (t1 - t0) / hz / (s1 - s0) * 100}')
# sipp's rtt file: "Date_ms;response_time_ms;rtd_no" per call, the response time of the 200 to the INVITE.
rtt=$(cat "$OUT"/uac_*_rtt.csv 2>/dev/null | awk -F';' '$2 ~ /^[0-9.]+$/ {print $2}' | sort -n |
    awk '{v[NR] = $1} END {if (NR) printf "p50 %.1f ms, p99 %.1f ms, max %.1f ms over %d calls", v[int(NR * 0.5) + 1], v[int(NR * 0.99) + (NR * 0.99 > int(NR * 0.99))], v[NR], NR; else printf "no rtt"}')
echo "rate $RATE calls/s for ${SECONDS_} s: successful $ok, failed $failed; agent CPU $cpu % of one core;" \
     "RSS idle $((IDLE / 1024)) MB, peak $(( $(cat "$OUT/peak" 2>/dev/null || echo 0) / 1024 )) MB ($(cat "$OUT/peak-split" 2>/dev/null)), at the end $((END / 1024)) MB;" \
     "INVITE->200 $rtt"
echo "# $(date -u +%FT%TZ) load: $(cut -d' ' -f1-3 /proc/loadavg)"
