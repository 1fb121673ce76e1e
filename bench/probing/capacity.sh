#!/usr/bin/env bash
# Probing capacity: the controller's scheduler + dialer probing CONTRACTS contracts every INTERVAL seconds for
# DURATION seconds against SITES sipp uas processes on loopback; zero misses = the rate is sustained.
#   bench/probing/capacity.sh CONTRACTS INTERVAL DURATION [SITES] [MAX_CONCURRENT] [TIMEOUT]
# e.g. bench/probing/capacity.sh 10000 6 30      (1,667 probes/s: the rate of 100,000 contracts at 60 s)
source "$(dirname "$0")/common.sh"
CONTRACTS="${1:?contracts}"; INTERVAL="${2:?interval seconds}"; DURATION="${3:?duration seconds}"
SITES="${4:-1}"; MAXC="${5:-5000}"; TIMEOUT="${6:-8}"
build_bench
load_line
pids=(); names=(); addrs=()
for i in $(seq "$SITES"); do
  read -r pid port < <(start_sipp_uas "site$i")
  pids+=("$pid"); names+=("site$i"); addrs+=("127.0.0.1:$port")
done
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT
sites="$(IFS=,; echo "${addrs[*]}")"
dotnet "$BENCH_DLL" capacity "$CONTRACTS" "$INTERVAL" "$DURATION" "$sites" "$MAXC" "$TIMEOUT" | tee "$OUT/capacity-$CONTRACTS-$INTERVAL.log"
for i in "${!pids[@]}"; do stop_sipp "${pids[$i]}" "${names[$i]}"; done
load_line
