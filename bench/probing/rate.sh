#!/usr/bin/env bash
# Raw probe placing rate: the controller's dialer (ProbeCaller, answer + ACK + BYE) vs sipp uac (the built-in uac
# scenario: INVITE, 180, 200, ACK, BYE, 200), each keeping CONCURRENCY calls open against its own sipp uas.
#   bench/probing/rate.sh [CONCURRENCY] [DURATION] [SIPP_CALLS]
source "$(dirname "$0")/common.sh"
CONC="${1:-200}"; DURATION="${2:-20}"; SIPP_CALLS="${3:-40000}"
build_bench
load_line
read -r pid port < <(start_sipp_uas rate-uas-dialer)
dotnet "$BENCH_DLL" rate "$CONC" "$DURATION" "127.0.0.1:$port" | tee "$OUT/rate-dialer.log"
stop_sipp "$pid" rate-uas-dialer
load_line
read -r pid port < <(start_sipp_uas rate-uas-sipp)
uport="$(free_port)"; umport="$(free_port)"
start=$(date +%s.%N)
sipp -sn uac "127.0.0.1:$port" -i 127.0.0.1 -p "$uport" -mp "$umport" -r 100000 -l "$CONC" -m "$SIPP_CALLS" -d 0 -buff_size 4194304 \
  -nostdin -trace_err -error_file "$OUT/rate-uac-errors.log" >"$OUT/rate-uac.log" 2>&1 || true
end=$(date +%s.%N)
ok="$(grep -E '^\s+Successful call' "$OUT/rate-uac.log" | tail -1 | awk -F'|' '{gsub(/ /,"",$3); print $3}')"
failed="$(grep -E '^\s+Failed call' "$OUT/rate-uac.log" | tail -1 | awk -F'|' '{gsub(/ /,"",$3); print $3}')"
echo "RESULT sipp-uac concurrency=$CONC calls=$SIPP_CALLS ok=$ok failed=$failed calls_per_s=$(python3 -c "print(round($SIPP_CALLS/($end-$start)))")"
stop_sipp "$pid" rate-uas-sipp
load_line
