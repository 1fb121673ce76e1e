#!/usr/bin/env bash
# flap.sh - a flapping site (issue 14, "Detection under faults"): power toggled every PERIOD s for DURATION s.
# One contract per interval in INTERVALS (its own probe interval, ProbeTarget.Interval), all probed by a real
# gateway-controller through LossRelay (no loss) to one sipp uas, with fast probing after a dying gasp (FAST, TIMEOUT).
# "Power off" = the relay drops every datagram of the sites (they stop answering at once) and each site's agent
# (SiteAgents, mosquitto, External MQTT mode) raises power.lost; "power on" = the relay relays again and power.restored.
# The power starts on, goes off at t=0, and is left on after DURATION until every contract recovered (or
# 4 x the longest interval + TIMEOUT + 10 s). Then, per contract, the detector's events and the mails are compared with
# what FN-4 / FN-5 imply for the outcomes the detector was given: the 4-miss / 4-success rule replayed over the
# contract's probe records in the order they were recorded (ProberDegraded neither counts nor breaks a run).
#   bench/faults/flap.sh [DURATION_S] [BASE]        (defaults 600 and 29500)
# Env: INTERVALS ("5 10 20 60") PERIOD (20) FAST (2) TIMEOUT (2) BENCH_OUT (/tmp/gateway-faults-bench/flap)
#      RECOVERY_HOLD (seconds, default 0: flap damping, Controller:Detection:RecoveryHold; the replay applies it too)
#      CONTROLLER_EXTRA (more --key=value for the controller)
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/common.sh"
DURATION=${1:-600}; BASE=${2:-29500}
read -r -a IVS <<<"${INTERVALS:-5 10 20 60}"
SITES=${#IVS[@]}; PERIOD=${PERIOD:-20}; FAST=${FAST:-2}; TIMEOUT=${TIMEOUT:-2}; INTERVAL=60
OUT=${BENCH_OUT:-/tmp/gateway-faults-bench/flap}; DATA=$OUT/data
mkdir -p "$OUT"
build_all
load_line
write_mosquitto_conf
fill_db
for i in "${!IVS[@]}"; do sqlite3 "$DATA/controller.db" "UPDATE contracts SET probe_interval_ms = $((IVS[i] * 1000)) WHERE id = $((i + 1));"; done
start_sipp_uas
start_relay 0 0 1
start_mosquitto
# shellcheck disable=SC2046
start_controller $(external_mqtt_args) --Controller:Probing:FastInterval=$(ts "$FAST") \
  --Controller:Detection:RecoveryHold="$(ts "${RECOVERY_HOLD:-0}")" ${CONTROLLER_EXTRA:-}
start_agents
max=0; for v in "${IVS[@]}"; do [ "$v" -gt "$max" ] && max=$v; done
for _ in $(seq $((max * 2 + 10))); do
  [ "$(sql "SELECT count(DISTINCT contract_id) FROM probe_records WHERE outcome = 'Reached'")" -ge "$SITES" ] && break; sleep 1
done
echo "# $SITES contracts (intervals ${IVS[*]} s), fast $FAST s, timeout $TIMEOUT s; power toggled every $PERIOD s for $DURATION s"
start_procstat controller=$CONTROLLER_PID
load_line
: >"$OUT/toggles.tsv"
T0=$(date +%s%3N); k=0
while [ $(( $(date +%s%3N) - T0 )) -lt $((DURATION * 1000)) ]; do
  if [ $((k % 2)) -eq 0 ]; then relay cut all; echo "lost all" >&8; s=off; else relay restore all; echo "restored all" >&8; s=on; fi
  echo -e "$(date +%s%3N)\t$s" >>"$OUT/toggles.tsv"
  k=$((k + 1)); next=$((T0 + k * PERIOD * 1000)); now=$(date +%s%3N)
  [ "$next" -gt "$now" ] && sleep "$(echo "($next - $now) / 1000" | bc -l)"
done
relay restore all; echo "restored all" >&8; echo -e "$(date +%s%3N)\ton" >>"$OUT/toggles.tsv"
echo "# $k toggles; power left on at $(date -u +%T)"
for _ in $(seq $((4 * max + TIMEOUT + 10))); do
  [ "$(sql "SELECT count(*) FROM contracts WHERE detector_state = 'failed'")" -eq 0 ] && break; sleep 1
done
sleep 3
load_line
summarise_procstat
python3 - "$DATA/controller.db" "$OUT/toggles.tsv" "${RECOVERY_HOLD:-0}" "${IVS[@]}" <<'PY'
import sqlite3, sys, collections
db = sqlite3.connect(f'file:{sys.argv[1]}?mode=ro', uri=True, timeout=20)
toggles = [l.split('\t') for l in open(sys.argv[2]) if l.strip()]
t0 = int(toggles[0][0]); hold_ms = int(float(sys.argv[3]) * 1000); ivs = sys.argv[4:]
print(f'# power: {sum(1 for t in toggles if t[1].strip() == "off")} cuts, {sum(1 for t in toggles if t[1].strip() == "on")} restores')
ok = True
for c in range(1, len(ivs) + 1):
    recs = db.execute('SELECT outcome, started_at, recorded_at, detail FROM probe_records WHERE contract_id = ? ORDER BY id', (c,)).fetchall()
    state, run, implied, failed_at = 'normal', 0, [], 0
    for o, started, recorded, detail in recs:
        o = o.lower()
        if o == 'proberdegraded':
            continue
        bad = o != 'reached'
        if state == 'normal':
            run = run + 1 if bad else 0
            if run == 4: state, run, failed_at = 'failed', 0, recorded; implied.append(('failed', recorded))
        else:
            run = run + 1 if not bad else 0
            # FN-5, and with flap damping not before the hold has passed since the failure (detector stamp ~ recorded_at)
            if run >= 4 and recorded - failed_at >= hold_ms: state, run = 'normal', 0; implied.append(('normal', recorded))
    events = db.execute('SELECT to_state, at FROM detector_events WHERE contract_id = ? ORDER BY id', (c,)).fetchall()
    mails = db.execute('SELECT kind, count(*) FROM outbox WHERE contract_id = ? GROUP BY kind ORDER BY kind', (c,)).fetchall()
    fast = sum(1 for r in recs if 'fast probe' in r[3])
    out = collections.Counter(r[0] for r in recs)
    same = [e[0] for e in events] == [i[0] for i in implied]
    mail_total = sum(m[1] for m in mails)
    ok = ok and same and mail_total == len(events)
    times = ' '.join(f'{e[0][0]}@{(e[1] - t0) / 1000:.0f}s' for e in events)
    print(f'RESULT contract={c} interval={ivs[c - 1]}s hold={hold_ms // 1000}s probes={len(recs)} fast={fast} outcomes={dict(out)} '
          f'implied_by_FN4_FN5={len(implied)} detector_events={len(events)} match={same} mails={mails} events_at=[{times}]')
print(f'RESULT verdict={"mails are exactly the FN-4/FN-5 transitions (with the hold)" if ok else "MISMATCH"}')
PY
echo quit >&8; echo quit >&7
