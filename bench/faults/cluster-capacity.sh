#!/usr/bin/env bash
# cluster-capacity.sh - probes per second per node with 1 node and with N nodes on one PostgreSQL (issue 14, "Scale
# ... in measurement"). A private PostgreSQL (initdb in a temp directory, fsync on, as bench/cluster/db-cost.sh),
# CONTRACTS contracts probed every INTERVAL s (so CONTRACTS / INTERVAL probes/s in all) against one sipp uas, by
# real gateway-controller processes (Controller:Storage:Provider=postgres, Controller:Cluster:* defaults: 256 shards,
# lease 20 s, heartbeat 5 s). For each node count in NODE_COUNTS, on a fresh database: start the nodes, wait until the
# shards are spread over all of them, WARM s more, then measure for DURATION s from each node's /metrics
# (gateway_controller_probes_total by outcome) and /proc (CPU, RSS), and PostgreSQL's CPU and commits
# (pg_stat_database.xact_commit). Coordination overhead = CPU per probe (nodes + PostgreSQL) with N nodes against 1.
#   bench/faults/cluster-capacity.sh [CONTRACTS] [INTERVAL_S] [DURATION_S] [BASE]     (defaults 3000 5 120 28000)
# Env: NODE_COUNTS ("1 3") WARM (30) TIMEOUT (4) BENCH_OUT (/tmp/gateway-faults-bench/cluster-capacity)
# Ports: BASE+400/401 sipp, BASE+410 PostgreSQL, node k: BASE+420+k API, BASE+430+k MQTT, BASE+440+k prober.
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/common.sh"
CONTRACTS=${1:-3000}; INTERVAL=${2:-5}; DURATION=${3:-120}; BASE=${4:-28000}; TIMEOUT=${TIMEOUT:-4}; WARM=${WARM:-30}
OUT=${BENCH_OUT:-/tmp/gateway-faults-bench/cluster-capacity}
mkdir -p "$OUT"
build_all
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PGPORT=$((BASE + 410))
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
PGROOT=""
stop_pg() { [ -n "$PGROOT" ] && { as_pg "$BIN/pg_ctl" -D "$PGROOT/data" -m immediate -w stop >/dev/null 2>&1 || true; rm -rf "$PGROOT"; }; PGROOT=""; }
trap 'cleanup; stop_pg' EXIT
psql_() { as_pg "$BIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -d bench -Atqc "$1"; }
metric() { curl -sf "http://127.0.0.1:$((BASE + 420 + $1))/metrics" | awk -v o="$2" '$1 ~ "^gateway_controller_probes_total" && $1 ~ "outcome=\""o {s += $2} END {print s + 0}'; }
start_sipp_uas

run() {   # run N
  local n=$1 out="$OUT/nodes-$n"; mkdir -p "$out"
  PGROOT=$(mktemp -d /tmp/gfb-pg-XXXX); [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$PGROOT"
  as_pg "$BIN/initdb" -D "$PGROOT/data" -U postgres -A trust -E UTF8 --no-sync >/dev/null
  as_pg "$BIN/pg_ctl" -D "$PGROOT/data" -w -l "$PGROOT/server.log" \
    -o "-p $PGPORT -k $PGROOT -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null
  as_pg "$BIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -qc "CREATE DATABASE bench" postgres
  local pg_pid; pg_pid=$(head -1 "$PGROOT/data/postmaster.pid")
  local cs="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=bench;Maximum Pool Size=50"
  local pids=() k
  for k in $(seq "$n"); do
    mkdir -p "$out/data$k"
    dotnet "$CONTROLLER_DLL" --Controller:Storage:Provider=postgres --ConnectionStrings:Controller="$cs" \
      --Controller:Cluster:NodeId=node$k --Controller:DataDirectory="$out/data$k" \
      --Controller:Urls=http://127.0.0.1:$((BASE + 420 + k)) --Controller:Api:Keys:0=$KEY \
      --Controller:Mqtt:Listen=127.0.0.1:$((BASE + 430 + k)) --Controller:Probing:Listen=udp:127.0.0.1:$((BASE + 440 + k)) \
      --Controller:Probing:AllowedSources:0=127.0.0.0/8 --Controller:Probing:Interval="$(ts "$INTERVAL")" \
      --Controller:Probing:Timeout="$(ts "$TIMEOUT")" --Logging:LogLevel:Default=Warning >"$out/node$k.log" 2>&1 &
    pids+=($!); PIDS+=($!)
    wait_http "http://127.0.0.1:$((BASE + 420 + k))/healthz" || { echo "node$k did not start" >&2; exit 1; }
    if [ "$k" = 1 ]; then
      local now; now=$(date +%s%3N)
      psql_ "INSERT INTO contracts (id, contract_number, channels, monitoring_number, probe_target, site_id, auto_start, service_on, created_at, updated_at)
             SELECT c, 'C' || c, 10, '05' || lpad(c::text, 8, '0'), 'sip:05' || lpad(c::text, 8, '0') || '@127.0.0.1:$((BASE + 400))', 'site' || c, 0, 1, $now, $now
             FROM generate_series(1, $CONTRACTS) c;
             INSERT INTO contract_numbers (number, contract_id, position, destination) SELECT '05' || lpad(c::text, 8, '0'), c, 0, NULL FROM generate_series(1, $CONTRACTS) c;" >/dev/null
    fi
  done
  for _ in $(seq 120); do
    [ "$(psql_ "SELECT count(DISTINCT owner) FROM cluster_shards WHERE lease_until > $(date +%s%3N)")" -ge "$n" ] && break; sleep 1
  done
  echo "# $n node(s): shards per node $(psql_ "SELECT string_agg(owner || '=' || c, ' ' ORDER BY owner) FROM (SELECT owner, count(*) c FROM cluster_shards GROUP BY owner) s")"
  sleep "$WARM"
  load_line
  local args=(); for k in $(seq "$n"); do args+=("node$k=${pids[k-1]}"); done
  OUT=$out start_procstat "${args[@]}" postgres="$pg_pid" sipp="$SIPP_PID"
  local r0=() m0=() r1=() m1=() c0 c1
  for k in $(seq "$n"); do r0+=("$(metric "$k" reached)"); m0+=("$(metric "$k" missed)"); done
  c0=$(psql_ "SELECT xact_commit FROM pg_stat_database WHERE datname = 'bench'")
  sleep "$DURATION"
  for k in $(seq "$n"); do r1+=("$(metric "$k" reached)"); m1+=("$(metric "$k" missed)"); done
  c1=$(psql_ "SELECT xact_commit FROM pg_stat_database WHERE datname = 'bench'")
  load_line
  OUT=$out summarise_procstat | tee "$out/proc.txt"
  local total=0
  for k in $(seq "$n"); do
    local d=$(( r1[k-1] + m1[k-1] - r0[k-1] - m0[k-1] )); total=$((total + d))
    echo "RESULT nodes=$n node$k probes_per_s=$(echo "scale=1; $d / $DURATION" | bc) missed=$(( m1[k-1] - m0[k-1] ))"
  done
  echo "RESULT nodes=$n total_probes_per_s=$(echo "scale=1; $total / $DURATION" | bc) target=$(echo "scale=1; $CONTRACTS / $INTERVAL" | bc) pg_commits_per_s=$(echo "scale=1; ($c1 - $c0) / $DURATION" | bc) pg_commits_per_probe=$(echo "scale=3; ($c1 - $c0) / $total" | bc)"
  awk -v total="$total" -v dur="$DURATION" '/^PROC/ { name = $2; sub(":", "", name); split($3, a, "="); cpu = a[2] + 0
      if (name ~ /^node/ || name == "postgres") sum += cpu
      if (name ~ /^node/) nodes += cpu }
    END { printf "RESULT cpu_nodes=%.1f%% cpu_nodes+postgres=%.1f%% cpu_ms_per_probe(nodes+postgres)=%.3f\n", nodes, sum, sum / 100 * dur * 1000 / total }' "$out/proc.txt"
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  stop_pg
}
for n in ${NODE_COUNTS:-1 3}; do run "$n"; done
