#!/usr/bin/env python3
"""storm_watch.py DB RPC_URL SILENT_MS CONTRACTS DEADLINE_S OUT_TSV - after the sites went silent at SILENT_MS (Unix ms):
polls every 0.25 s (a) the edge's table ctr (htable.dump over JSON-RPC: the contracts whose entry says forwarding on,
each with the time it was first seen on) and (b) the controller's database (contracts failed, outbox rows), until all
CONTRACTS are on in the edge and have their mails, or DEADLINE_S. Then prints the distributions, per contract, of:
detection (detector_events.at of the failure) - silence; edge on (first poll seeing it) - detection; outbox row
(created_at) - detection; edge on - silence; outbox - silence. Poll resolution 0.25 s plus one dump's duration."""
import json, sqlite3, sys, time, urllib.request

db, rpc, silent_ms, n, deadline_s, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), sys.argv[6]
con = sqlite3.connect(f'file:{db}?mode=ro', uri=True, timeout=10)

def walk(x, acc):
    if isinstance(x, dict):
        if 'name' in x and 'value' in x:
            acc.append((str(x['name']), str(x['value'])))
        else:
            for v in x.values():
                walk(v, acc)
    elif isinstance(x, list):
        for v in x:
            walk(v, acc)
    return acc

def dump():
    req = urllib.request.Request(rpc, data=json.dumps({'jsonrpc': '2.0', 'method': 'htable.dump', 'params': ['ctr'], 'id': 1}).encode())
    with urllib.request.urlopen(req, timeout=10) as r:
        return walk(json.loads(r.read()).get('result'), [])

seen_on = {}
t_end = time.time() + deadline_s
rows = []
with open(out, 'w') as f:
    f.write('t_ms_since_silence\tedge_on\tdetector_failed\toutbox_rows\tdump_ms\n')
    while True:
        t0 = time.time()
        try:
            entries = dump()
        except Exception as e:  # noqa: BLE001 - a failed poll is recorded and retried
            entries = []; print(f'# dump failed: {e}', file=sys.stderr)
        t1 = time.time()
        for k, v in entries:
            if v.startswith('1|') and k not in seen_on:
                seen_on[k] = t1 * 1000
        failed = con.execute("SELECT count(*) FROM contracts WHERE detector_state = 'failed'").fetchone()[0]
        mails = con.execute('SELECT count(*) FROM outbox').fetchone()[0]
        f.write(f'{t1 * 1000 - silent_ms:.0f}\t{len(seen_on)}\t{failed}\t{mails}\t{(t1 - t0) * 1000:.0f}\n'); f.flush()
        if (len(seen_on) >= n and mails >= n) or time.time() > t_end:
            break
        time.sleep(max(0.0, 0.25 - (time.time() - t0)))

det = dict(con.execute("SELECT contract_id, min(at) FROM detector_events WHERE to_state = 'failed' GROUP BY contract_id"))
fwd = dict(con.execute("SELECT contract_id, min(at) FROM forwarding_audit WHERE forwarding_on = 1 GROUP BY contract_id"))
mail = dict(con.execute('SELECT contract_id, min(created_at) FROM outbox GROUP BY contract_id'))
kinds = con.execute('SELECT kind, status, count(*) FROM outbox GROUP BY kind, status').fetchall()

def pct(xs, p):
    xs = sorted(xs); return xs[min(len(xs) - 1, max(0, int(p / 100 * len(xs) + 0.999999) - 1))]
def line(name, xs):
    if not xs:
        print(f'SUMMARY {name}: none'); return
    xs = [x / 1000 for x in xs]
    print(f'SUMMARY {name}: n={len(xs)} min={min(xs):.2f} p50={pct(xs, 50):.2f} p90={pct(xs, 90):.2f} p99={pct(xs, 99):.2f} max={max(xs):.2f} s')

print(f'SUMMARY contracts {n}: detected {len(det)}, forwarding on in DB {len(fwd)}, on in the edge {len(seen_on)}, with mail {len(mail)}; outbox {kinds}')
line('silence -> detection', [det[c] - silent_ms for c in det])
line('detection -> switch in DB (forwarding_audit)', [fwd[c] - det[c] for c in fwd if c in det])
line('detection -> on in the edge (poll)', [seen_on[str(c)] - det[c] for c in det if str(c) in seen_on])
line('detection -> outbox row', [mail[c] - det[c] for c in det if c in mail])
line('silence -> on in the edge', [v - silent_ms for v in seen_on.values()])
line('silence -> outbox row', [v - silent_ms for v in mail.values()])
if det:
    first = min(det.values()); last = max(det.values())
    print(f'SUMMARY detections spread over {(last - first) / 1000:.2f} s; last edge-on '
          f'{"none" if not seen_on else "%.2f s after the last detection" % ((max(seen_on.values()) - last) / 1000)}; '
          f'last outbox row {"none" if not mail else "%.2f s after it" % ((max(mail.values()) - last) / 1000)}')
