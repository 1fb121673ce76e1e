# Shared helpers for the probing benchmarks (sourced).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="${BENCH_OUT:-/tmp/gateway-probing-bench}"
mkdir -p "$OUT"
BENCH_DLL="$HERE/ProbingBench/bin/Release/net10.0/ProbingBench.dll"

build_bench() {
  [ -f "$BENCH_DLL" ] && [ -z "${BENCH_REBUILD:-}" ] || dotnet build "$HERE/ProbingBench" -c Release -v q -nologo >&2
}

# BENCH_PORT_BASE=N: ports N, N+1, ... in order (for a machine where runs are given a port range), else any free one.
free_port() {
  if [ -n "${BENCH_PORT_BASE:-}" ]; then
    local n
    n="$(cat "$OUT/.next-port" 2>/dev/null || echo 0)"
    echo $((n + 1)) >"$OUT/.next-port"
    echo $((BENCH_PORT_BASE + (n * 4) % 400))
    return
  fi
  python3 - <<'PY'
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
PY
}

# start_sipp_uas <name> -> prints "pid port"; sipp's screen goes to $OUT/<name>.log
start_sipp_uas() {
  local name="$1" port mport
  port="$(free_port)"; mport="$(free_port)"
  sipp -sn uas -i 127.0.0.1 -p "$port" -mp "$mport" -m 100000000 -buff_size 4194304 -nostdin -trace_err \
    -error_file "$OUT/$name-errors.log" >"$OUT/$name.log" 2>&1 &
  local pid=$!
  for _ in $(seq 100); do
    if ss -uln | grep -q "127.0.0.1:$port "; then break; fi
    sleep 0.05
  done
  echo "$pid $port"
}

# stop_sipp <pid> <name>: SIGUSR1 = finish running calls, print statistics, exit; then the verdict line.
stop_sipp() {
  local pid="$1" name="$2"
  kill -USR1 "$pid" 2>/dev/null || true
  for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill "$pid" 2>/dev/null || true
  local ok failed
  ok="$(grep -E '^\s+Successful call' "$OUT/$name.log" | tail -1 | awk -F'|' '{gsub(/ /,"",$3); print $3}')"
  failed="$(grep -E '^\s+Failed call' "$OUT/$name.log" | tail -1 | awk -F'|' '{gsub(/ /,"",$3); print $3}')"
  echo "SIPP $name successful=$ok failed=$failed"
}

load_line() { echo "# $(date -u +%FT%TZ) load: $(cut -d' ' -f1-3 /proc/loadavg), nproc $(nproc)"; }
