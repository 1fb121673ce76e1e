#!/usr/bin/env bash
# mqtt-restart.sh - a storm of SITES power cuts with a mosquitto restart in the middle (issue 14, "Detection under
# faults"). A real gateway-controller (External MQTT mode: MQTT 5 shared subscription $share/controllers/..., clean
# start, as docs/ingest.md configures it) probes SITES contracts every INTERVAL s through LossRelay (no loss) to one
# sipp uas; SiteAgents holds SITES MQTT sessions (site1..siteN) that publish power.lost (QoS 1, kept and sent again until
# PUBACK, as the agent's spool). The storm: site i is cut (the relay drops all its datagrams) and its agent raises
# power.lost, one site every STEP_MS; when half the sites are cut mosquitto is stopped (SIGTERM) and started again
# GAP_S later on the same port (config as docs/ingest.md, anonymous and without TLS; PERSIST=1 adds persistence).
# Then it waits until every contract failed (or WATCH s), and 30 s more for duplicates, and counts from the database:
# power.lost events stored (site_events), failures declared per contract (detector_events), failure mails (outbox),
# and cut -> failure declared per site, against the fast-probe bound 4 x FAST + TIMEOUT + 2 s (an event that is lost
# leaves the site to its normal probing: up to 4 x INTERVAL + TIMEOUT).
#   bench/faults/mqtt-restart.sh [BASE]            (default 29500: ports BASE..BASE+199, BASE+400..BASE+405)
# Env: SITES (200) INTERVAL (30) FAST (2) TIMEOUT (2) STEP_MS (50) GAP_S (2) WATCH (150) PERSIST (0) BENCH_OUT
#      CONTROLLER_EXTRA (more --key=value for the controller, e.g. its reconnect delays)
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/common.sh"
BASE=${1:-29500}; SITES=${SITES:-200}; INTERVAL=${INTERVAL:-30}; FAST=${FAST:-2}; TIMEOUT=${TIMEOUT:-2}
STEP_MS=${STEP_MS:-50}; GAP_S=${GAP_S:-2}; WATCH=${WATCH:-150}
OUT=${BENCH_OUT:-/tmp/gateway-faults-bench/mqtt-restart}; DATA=$OUT/data
mkdir -p "$OUT"
build_all
load_line
write_mosquitto_conf
fill_db
start_sipp_uas
start_relay 0 0 1
start_mosquitto
# shellcheck disable=SC2046
start_controller $(external_mqtt_args) --Controller:Probing:FastInterval=$(ts "$FAST") \
  --Logging:LogLevel:GatewayAgent.Controller.Ingest=Information ${CONTROLLER_EXTRA:-}
start_agents
# every contract probed (and reached) once before the storm
for _ in $(seq $((INTERVAL * 3))); do
  [ "$(sql "SELECT count(DISTINCT contract_id) FROM probe_records WHERE outcome = 'Reached'")" -ge "$SITES" ] && break; sleep 1
done
echo "# reached before the storm: $(sql "SELECT count(DISTINCT contract_id) FROM probe_records WHERE outcome = 'Reached'") of $SITES"
start_procstat controller=$CONTROLLER_PID mosquitto=$MOSQ_PID agents=$AGENTS_PID
load_line
: >"$OUT/cuts.tsv"
for i in $(seq "$SITES"); do
  echo "cut $((i - 1))" >&7; echo "lost $i" >&8; echo -e "$i\t$(date +%s%3N)" >>"$OUT/cuts.tsv"
  if [ "$i" -eq $((SITES / 2)) ]; then
    T_STOP=$(date +%s%3N); kill -TERM "$MOSQ_PID"; wait "$MOSQ_PID" 2>/dev/null || true
    sleep "$GAP_S"; start_mosquitto; T_START=$(date +%s%3N)
    echo "# mosquitto stopped at $T_STOP, listening again at $T_START ($((T_START - T_STOP)) ms) after $i cuts"
  fi
  sleep "$(printf '0.%03d' "$STEP_MS")"
done
T_END=$(date +%s%3N)
echo "# storm: $SITES cuts in $((T_END - $(head -1 "$OUT/cuts.tsv" | cut -f2))) ms"
for _ in $(seq "$WATCH"); do
  [ "$(sql "SELECT count(DISTINCT contract_id) FROM detector_events WHERE to_state = 'failed'")" -ge "$SITES" ] && break; sleep 1
done
sleep 30
echo stats >&8; sleep 1
load_line
summarise_procstat
grep -E "^(STATS|FINAL)" "$OUT/agents.log" | tail -1
echo "# controller MQTT log: $(grep -ciE 'mqtt.*(disconnect|lost|reconnect)|broker' "$OUT/controller.log" || true) lines about the broker connection"
python3 - "$DATA/controller.db" "$OUT/cuts.tsv" "$FAST" "$TIMEOUT" "$INTERVAL" "$OUT/agents.log" <<'PY'
import sqlite3, sys, collections, statistics
db = sqlite3.connect(f'file:{sys.argv[1]}?mode=ro', uri=True, timeout=20)
cuts = {int(a): int(b) for a, b in (l.split('\t') for l in open(sys.argv[2]) if l.strip())}
fast, timeout, interval = (float(x) for x in sys.argv[3:6])
acked = sum(1 for l in open(sys.argv[6]) if l.startswith('ACK '))
bound = 4 * fast + timeout + 2
ev = db.execute("SELECT site_id, count(*), count(DISTINCT event_id) FROM site_events WHERE type = 'power.lost' GROUP BY site_id").fetchall()
stored = sum(r[2] for r in ev)
fails = db.execute("SELECT contract_id, count(*), min(at), group_concat(cause, '|') FROM detector_events WHERE to_state = 'failed' GROUP BY contract_id").fetchall()
per = collections.Counter(r[1] for r in fails)
lat = sorted((r[2] - cuts[r[0]]) / 1000 for r in fails if r[0] in cuts)
causes = collections.Counter(r[3].split('|')[0][:40] for r in fails)
mails = db.execute("SELECT kind, count(*), count(DISTINCT contract_id) FROM outbox GROUP BY kind").fetchall()
recov = db.execute("SELECT count(*) FROM detector_events WHERE to_state = 'normal'").fetchone()[0]
q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] if lat else float('nan')
print(f'RESULT cuts={len(cuts)} events_acked_by_broker={acked} power_lost_stored={stored} sites_with_event={len(ev)} '
      f'contracts_failed={len(fails)} failures_per_contract={dict(per)} recoveries={recov} mails={mails}')
print(f'RESULT cut->failure s: min={lat[0]:.2f} p50={q(0.5):.2f} p90={q(0.9):.2f} max={lat[-1]:.2f}; within the fast bound {bound:g} s: '
      f'{sum(1 for x in lat if x <= bound)}; beyond it: {sum(1 for x in lat if x > bound)} (normal probing bound {4 * interval + timeout:g} s)' if lat else 'RESULT no failure')
print(f'RESULT causes={dict(causes)}')
missing = sorted(set(cuts) - {int(r[0][4:]) for r in ev})
print(f'RESULT sites whose power.lost never reached the database: {missing[:20]}{" ..." if len(missing) > 20 else ""}')
PY
echo quit >&8; echo quit >&7
