# Shared by bench/faults/*.sh (sourced): a real gateway-controller (Release build, SQLite unless told otherwise) probing
# SITES contracts whose targets are the front ports of LossRelay, which relays to one sipp uas. Every port is
# BASE + an offset, so runs on different BASEs (28000-29999 on the project machine) can go in parallel:
#   BASE+0 .. BASE+SITES-1   relay front ports (site i = contract i+1)
#   BASE+400 sipp uas, BASE+401 its media port, BASE+402 controller API, BASE+403 embedded MQTT, BASE+404 prober SIP
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CONTROLLER_DLL=${CONTROLLER_DLL:-$ROOT/src/GatewayAgent.Controller/bin/Release/net10.0/gateway-controller.dll}
RELAY_DLL=$HERE/LossRelay/bin/Release/net10.0/LossRelay.dll
AGENTS_DLL=$HERE/SiteAgents/bin/Release/net10.0/SiteAgents.dll
KEY=bench-faults-key-0123456789
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill -CONT "$p" 2>/dev/null || true; kill "$p" 2>/dev/null || true; done; for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
trap "exit 130" INT TERM
ts() { printf '%02d:%02d:%02d' $(($1 / 3600)) $(($1 % 3600 / 60)) $(($1 % 60)); }
load_line() { echo "# $(date -u +%FT%TZ) load: $(cut -d' ' -f1-3 /proc/loadavg), nproc $(nproc)"; }

build_all() {
  [ -f "$CONTROLLER_DLL" ] && [ -z "${BENCH_BUILD:-}" ] || dotnet build "$ROOT/src/GatewayAgent.Controller" -c Release -nologo -v q >&2
  [ -f "$RELAY_DLL" ] && [ -z "${BENCH_BUILD:-}" ] || dotnet build "$HERE/LossRelay" -c Release -nologo -v q >&2
  [ -f "$AGENTS_DLL" ] && [ -z "${BENCH_BUILD:-}" ] || dotnet build "$HERE/SiteAgents" -c Release -nologo -v q >&2
}

wait_http() { for _ in $(seq 900); do curl -sf "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done; return 1; }

# start_sipp_uas: one sipp uas on BASE+400 answers every site's probes
start_sipp_uas() {
  sipp -sn uas -i 127.0.0.1 -p $((BASE + 400)) -mp $((BASE + 401)) -m 1000000000 -buff_size 4194304 -nostdin ${SIPP_EXTRA:-} \
    >"$OUT/sipp.log" 2>&1 &
  SIPP_PID=$!; PIDS+=($SIPP_PID)
  for _ in $(seq 100); do ss -uln | grep -q "127.0.0.1:$((BASE + 400)) " && return 0; sleep 0.05; done
}

# start_agents_as_sites: with SITE_KIND=agent, site i (0-based, at most 20) is a real gateway-agent (simulated board)
# on UDP/TCP BASE+500+i monitoring contract i+1's number, RTP ports BASE+600+10i..+9; the relay sends site i there.
start_agents_as_sites() {
  local agent_dll=${AGENT_DLL:-$ROOT/src/GatewayAgent/bin/Release/net10.0/gateway-agent.dll} i port
  [ -f "$agent_dll" ] || dotnet build "$ROOT/src/GatewayAgent" -c Release -nologo -v q >&2
  for ((i = 0; i < SITES; i++)); do
    port=$((BASE + 500 + i))
    dotnet "$agent_dll" --Agent:Board:Kind=sim --Agent:Sip:Listen:0=udp:127.0.0.1:$port --Agent:Sip:Listen:1=tcp:127.0.0.1:$port \
      --Agent:Sip:MonitorNumbers:0="05$(printf %08d $((i + 1)))" --Agent:Sip:Channels=10 --Agent:Sip:RateLimitPerSecond=0 \
      --Agent:Sip:Rtp:MinPort=$((BASE + 600 + 10 * i)) --Agent:Sip:Rtp:MaxPort=$((BASE + 609 + 10 * i)) >"$OUT/agent$i.log" 2>&1 &
    PIDS+=($!); AGENT_PIDS+=($!)
  done
  for ((i = 0; i < SITES; i++)); do
    for _ in $(seq 600); do ss -uln | grep -q "127.0.0.1:$((BASE + 500 + i)) " && break; sleep 0.1; done
  done
}
AGENT_PIDS=()

# start_relay LOSS JITTER_MS SEED: commands go to fd 7 (a fifo), output to $OUT/relay.log
start_relay() {
  rm -f "$OUT/relay.in"; mkfifo "$OUT/relay.in"
  local target=127.0.0.1:$((BASE + 400)) step=0
  if [ "${SITE_KIND:-sipp}" = agent ]; then target=127.0.0.1:$((BASE + 500)); step=1; fi
  dotnet "$RELAY_DLL" --front 127.0.0.1:$BASE --count "$SITES" --target "$target" --target-step "$step" --loss "$1" \
    --jitter-ms "$2" --seed "$3" --stats-s 60 <"$OUT/relay.in" >"$OUT/relay.log" 2>&1 &
  RELAY_PID=$!; PIDS+=($RELAY_PID)
  exec 7>"$OUT/relay.in"
  for _ in $(seq 200); do grep -q "RELAY ready" "$OUT/relay.log" 2>/dev/null && return 0; sleep 0.1; done
  echo "relay did not start" >&2; exit 1
}
relay() { echo "$*" >&7; }

# controller_args: the settings every run shares (extra --key=value pass through start_controller)
controller_args() {
  echo "--Controller:DataDirectory=$DATA --Controller:Urls=http://127.0.0.1:$((BASE + 402)) --Controller:Api:Keys:0=$KEY"
  echo "--Controller:Mqtt:Listen=127.0.0.1:$((BASE + 403)) --Controller:Probing:Listen=udp:127.0.0.1:$((BASE + 404))"
}

# fill_db: schema by a first start of the controller, then SITES contracts (service on, one recipient, no
# destinations) whose probe target is the relay's front port for the site; site_id site<i>.
fill_db() {
  rm -rf "$DATA"; mkdir -p "$DATA"
  # shellcheck disable=SC2046
  dotnet "$CONTROLLER_DLL" $(controller_args) >"$OUT/fill-controller.log" 2>&1 &
  local cpid=$!
  wait_http "http://127.0.0.1:$((BASE + 402))/healthz" || { cat "$OUT/fill-controller.log" >&2; exit 1; }
  kill "$cpid"; wait "$cpid" || true
  local now; now=$(date +%s%3N)
  sqlite3 "$DATA/controller.db" <<SQL
BEGIN;
WITH RECURSIVE s(c) AS (SELECT 1 UNION ALL SELECT c + 1 FROM s WHERE c < $SITES)
INSERT INTO contracts (id, contract_number, channels, monitoring_number, probe_target, site_id, auto_start, service_on,
    created_at, updated_at)
SELECT c, 'F' || c, 10, '05' || printf('%08d', c), 'sip:05' || printf('%08d', c) || '@127.0.0.1:' || ($BASE + c - 1),
    'site' || c, 0, 1, $now, $now FROM s;
WITH RECURSIVE s(c) AS (SELECT 1 UNION ALL SELECT c + 1 FROM s WHERE c < $SITES)
INSERT INTO contract_numbers (number, contract_id, position, destination) SELECT '05' || printf('%08d', c), c, 0, NULL FROM s;
INSERT INTO recipients (contract_id, position, address, send) SELECT id, 0, 'noc' || id || '@example.jp', 1 FROM contracts;
COMMIT;
SQL
}

# start_controller [extra --key=value ...]: probes every INTERVAL s with TIMEOUT s; the canary is the sipp uas
# itself, straight (the prober's own path is clean: every miss counts, none is excused as ProberDegraded)
start_controller() {
  # shellcheck disable=SC2046
  dotnet "$CONTROLLER_DLL" $(controller_args) --Controller:Probing:AllowedSources:0=127.0.0.0/8 \
    --Controller:Probing:Interval=$(ts "$INTERVAL") --Controller:Probing:Timeout=$(ts "$TIMEOUT") \
    --Controller:Probing:Canary="sip:0399999999@127.0.0.1:$((BASE + 400))" --Logging:LogLevel:Default=Warning \
    --Logging:LogLevel:GatewayAgent.Controller.Detection=Information "$@" >"$OUT/controller.log" 2>&1 &
  CONTROLLER_PID=$!; PIDS+=($CONTROLLER_PID)
  wait_http "http://127.0.0.1:$((BASE + 402))/healthz" || { echo "controller did not start (see $OUT/controller.log)" >&2; exit 1; }
}

# procstat NAME=PID ...: samples every second into $OUT/procstat.tsv (bench/edge/procstat.py)
start_procstat() {
  python3 "$ROOT/bench/edge/procstat.py" "$OUT/procstat.tsv" 1 "$@" & STAT_PID=$!; PIDS+=($STAT_PID)
}
summarise_procstat() {
  kill "$STAT_PID" 2>/dev/null || true; wait "$STAT_PID" 2>/dev/null || true
  python3 - "$OUT/procstat.tsv" <<'PY'
import collections, os, sys
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    t, name, ticks, pss, rss, n = line.split('\t')
    rows[name].append((float(t), int(ticks), int(pss), int(rss)))
hz = os.sysconf('SC_CLK_TCK')
for name, r in rows.items():
    span = r[-1][0] - r[0][0]
    cpu = (r[-1][1] - r[0][1]) / hz / span * 100 if span > 0 else 0.0
    print(f'PROC {name}: cpu={cpu:.1f}% of one core over {span:.0f} s, rss_end={r[-1][3] / 1024:.0f} MiB, rss_peak={max(x[3] for x in r) / 1024:.0f} MiB')
PY
}
sql() { sqlite3 -cmd ".timeout 20000" "file:$DATA/controller.db?mode=ro" "$@"; }

# mosquitto on BASE+405 as docs/ingest.md configures it, anonymous and without TLS; PERSIST=1 adds persistence
write_mosquitto_conf() {
  MQTT_PORT=$((BASE + 405))
  {
    echo "per_listener_settings false"; echo "allow_anonymous true"; echo "max_queued_messages 100000"
    echo "listener $MQTT_PORT 127.0.0.1"
    if [ "${PERSIST:-0}" = 1 ]; then echo "persistence true"; echo "persistence_location $OUT/mosquitto/"; fi
  } >"$OUT/mosquitto.conf"
  rm -rf "$OUT/mosquitto"; mkdir -p "$OUT/mosquitto"
  # mosquitto started as root drops to the user mosquitto, which must be able to write its persistence file
  if [ "$(id -u)" -eq 0 ] && id mosquitto >/dev/null 2>&1; then chown mosquitto "$OUT/mosquitto"; fi
}
start_mosquitto() {
  mosquitto -c "$OUT/mosquitto.conf" >>"$OUT/mosquitto.log" 2>&1 &
  MOSQ_PID=$!; PIDS+=($MOSQ_PID)
  for _ in $(seq 100); do ss -tln | grep -q "127.0.0.1:$MQTT_PORT " && return 0; sleep 0.05; done
  echo "mosquitto did not start" >&2; exit 1
}
# start_agents: SiteAgents (site1..siteSITES) on mosquitto; commands go to fd 8
start_agents() {
  rm -f "$OUT/agents.in"; mkfifo "$OUT/agents.in"
  dotnet "$AGENTS_DLL" --broker 127.0.0.1:$MQTT_PORT --sites "$SITES" <"$OUT/agents.in" >"$OUT/agents.log" 2>&1 &
  AGENTS_PID=$!; PIDS+=($AGENTS_PID)
  exec 8>"$OUT/agents.in"
  for _ in $(seq 600); do grep -q "AGENTS ready" "$OUT/agents.log" && return 0; sleep 0.1; done
  echo "agents did not connect" >&2; exit 1
}
external_mqtt_args() {
  echo "--Controller:Mqtt:Mode=External --Controller:Mqtt:Host=127.0.0.1 --Controller:Mqtt:Port=$MQTT_PORT --Controller:Mqtt:ClientId=controller-bench"
}
