#!/usr/bin/env bash
# The probe farm: the whole prober (ProbeScheduler + SipProbeDialer, real time, real SIP) probing 500 contracts
# every 5 s (100 probes/s, timeout 4 s, canary on) against one sipp uas site on loopback for DURATION seconds, then
# draining. Passes (exit 0) when every placed probe was recorded as reached, nothing missed or degraded, the canary
# never missed, and sipp counted every call successful. This was the test ProbeFarmTests (Controller.Tests); it
# is a capacity figure, so it lives here and not in the pass/fail suite.
#   bench/probing/farm.sh [DURATION]      (default 12 s: every contract probed 2-3 times)
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DURATION="${1:-12}"
BENCH_OUT="${BENCH_OUT:-/tmp/gateway-probing-bench}"
export BENCH_OUT
log="$BENCH_OUT/farm-$$.log"
mkdir -p "$BENCH_OUT"
"$HERE/capacity.sh" 500 5 "$DURATION" 1 5000 4 | tee "$log"
result="$(grep '^RESULT capacity' "$log" | tail -1)"
sipp="$(grep '^SIPP ' "$log" | tail -1)"
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<" $2"; }
placed=$(field placed "$result"); recorded=$(field recorded "$result"); reached=$(field reached "$result")
missed=$(field missed "$result"); degraded=$(field degraded "$result")
canary_placed=$(field canary_placed "$result"); canary_missed=$(field canary_missed "$result")
sipp_ok=$(field successful "$sipp"); sipp_failed=$(field failed "$sipp")
verdict="placed=$placed recorded=$recorded reached=$reached missed=$missed degraded=$degraded canary=$canary_placed/$canary_missed missed sipp=$sipp_ok ok/$sipp_failed failed"
if [ -n "$placed" ] && [ "$placed" -ge 1000 ] && [ "$recorded" = "$placed" ] && [ "$reached" = "$placed" ] \
   && [ "$missed" = 0 ] && [ "$degraded" = 0 ] && [ "${canary_placed:-0}" -ge 2 ] && [ "$canary_missed" = 0 ] \
   && [ "$sipp_failed" = 0 ] && [ "$sipp_ok" = $((placed + canary_placed)) ]; then
  echo "FARM PASS $verdict"
else
  echo "FARM FAIL $verdict"
  exit 1
fi
