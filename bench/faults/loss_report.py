#!/usr/bin/env python3
"""loss_report.py DB T0_MS T1_MS: the probes of a loss.sh run that started in [T0, T1] (all recorded), per contract in
start order. Prints the per-probe miss rate q, and for k = 2, 3, 4 the windows of k consecutive probes of one contract
that all missed: observed against (windows) x q^k, the count if misses were independent. k = 4 is the four-miss rule
(FN-4): expected false failures ~ windows_of_4 x q^4 (slightly less: a window that follows a failure does not count
again). Also the detector's own verdicts (detector_events) and the mails queued."""
import collections, sqlite3, sys

db = sqlite3.connect(f'file:{sys.argv[1]}?mode=ro', uri=True, timeout=20)
t0, t1 = int(sys.argv[2]), int(sys.argv[3])
rows = db.execute('SELECT contract_id, outcome, detail FROM probe_records WHERE started_at BETWEEN ? AND ? '
                  'ORDER BY contract_id, started_at, id', (t0, t1)).fetchall()
by = collections.defaultdict(list)
outcomes = collections.Counter()
details = collections.Counter()
for c, o, d in rows:
    miss = o.lower() != 'reached'
    by[c].append(miss)
    outcomes[o] += 1
    if miss:
        details[d.split(' [')[0][:60]] += 1
n = len(rows)
m = sum(v for s in by.values() for v in s)
q = m / n if n else 0.0
failures = db.execute("SELECT count(*) FROM detector_events WHERE to_state = 'failed'").fetchone()[0]
recoveries = db.execute("SELECT count(*) FROM detector_events WHERE to_state = 'normal'").fetchone()[0]
mails = db.execute('SELECT kind, count(*) FROM outbox GROUP BY kind').fetchall()
print(f'RESULT probes={n} contracts={len(by)} outcomes={dict(outcomes)} misses={m} q={q:.5f} '
      f'false_failures={failures} recoveries={recoveries} mails={mails}')
for k in (2, 3, 4):
    windows = sum(max(0, len(s) - k + 1) for s in by.values())
    observed = sum(1 for s in by.values() for i in range(len(s) - k + 1) if all(s[i:i + k]))
    print(f'RESULT k={k} windows={windows} all_missed_observed={observed} expected_if_independent={windows * q ** k:.3g}')
for d, count in details.most_common(5):
    print(f'MISS {count} x {d}')
