#!/usr/bin/env python3
"""storm_watch.py DB RPC_URL SILENT_MS CONTRACTS DEADLINE_S OUT_TSV [TIMEOUT_S] [SAMPLE] - after the sites went silent at
SILENT_MS (Unix ms), polls every ~0.1 s:
  (a) the controller's database: which contracts are failed (committed: the failure's mails and switch are in the same
      transaction), each with the time it was first seen;
  (b) the edge, for a random SAMPLE of the contracts (default 1000) once their failure is committed: htable.get of
      their key in table ctr over one kept-alive JSON-RPC connection, until it says forwarding on.
A sample of single-key reads instead of whole-table dumps: a dump of 10,000 entries took 0.3-3.6 s and occupied the
edge's RPC workers that the controller's pusher needs, so it slowed what it measured.
Then prints the distributions, per contract, from the moment the 4th miss was known (the last missed probe's
started_at + TIMEOUT_S, default 2: a timeout is known exactly then) and from the detection stamp
(detector_events.at: when the outcome reached the recorder) to: the failure committed (seen in the database, with its
mail: outbox rows of the same transaction), and on in the edge. Resolution: one poll round (tsv column round_ms)."""
import http.client, json, random, sqlite3, sys, time, urllib.parse

db, rpc, silent_ms, n, deadline_s, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), sys.argv[6]
timeout_ms = float(sys.argv[7]) * 1000 if len(sys.argv) > 7 else 2000.0
sample_n = int(sys.argv[8]) if len(sys.argv) > 8 else 1000
con = sqlite3.connect(f'file:{db}?mode=ro', uri=True, timeout=10)
url = urllib.parse.urlparse(rpc)
conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)

def get_ctr(key):
    global conn
    body = json.dumps({'jsonrpc': '2.0', 'method': 'htable.get', 'params': ['ctr', key], 'id': 1})
    for attempt in (1, 2):
        try:
            conn.request('POST', url.path or '/RPC', body, {'Content-Type': 'application/json'})
            reply = json.loads(conn.getresponse().read())
            item = (reply.get('result') or {}).get('item') or {}
            return str(item.get('value', ''))
        except (http.client.HTTPException, OSError):
            conn.close(); conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
            if attempt == 2:
                raise

ids = [r[0] for r in con.execute('SELECT id FROM contracts')]
sample = set(random.Random(1).sample(ids, min(sample_n, len(ids))))
committed, edge_on = {}, {}
t_end = time.time() + deadline_s
with open(out, 'w') as f:
    f.write('t_ms_since_silence\tcommitted\toutbox_rows\tsample_committed\tsample_on\tround_ms\n')
    while True:
        t0 = time.time()
        now = t0 * 1000
        for (c,) in con.execute("SELECT id FROM contracts WHERE detector_state = 'failed'"):
            committed.setdefault(c, now)
        mails = con.execute('SELECT count(*) FROM outbox').fetchone()[0]
        for c in [c for c in sample if c in committed and c not in edge_on]:
            try:
                if get_ctr(str(c)).startswith('1|'):
                    edge_on[c] = time.time() * 1000
            except Exception as e:  # noqa: BLE001 - a failed read is retried next round
                print(f'# htable.get failed: {e}', file=sys.stderr); break
        t1 = time.time()
        f.write(f'{t1 * 1000 - silent_ms:.0f}\t{len(committed)}\t{mails}\t{len(sample.intersection(committed))}\t{len(edge_on)}\t{(t1 - t0) * 1000:.0f}\n'); f.flush()
        if (len(committed) >= n and len(edge_on) >= len(sample) and mails >= n) or time.time() > t_end:
            break
        time.sleep(max(0.0, 0.1 - (time.time() - t0)))

det = dict(con.execute("SELECT contract_id, min(at) FROM detector_events WHERE to_state = 'failed' GROUP BY contract_id"))
miss = {}
for c, at in det.items():
    row = con.execute("SELECT max(started_at) FROM probe_records WHERE contract_id = ? AND outcome = 'Missed' AND recorded_at <= ?", (c, at)).fetchone()
    if row and row[0] is not None:
        miss[c] = row[0] + timeout_ms
mail = dict(con.execute('SELECT contract_id, min(created_at) FROM outbox GROUP BY contract_id'))
kinds = con.execute('SELECT kind, status, count(*) FROM outbox GROUP BY kind, status').fetchall()

def pct(xs, p):
    xs = sorted(xs); return xs[min(len(xs) - 1, max(0, int(p / 100 * len(xs) + 0.999999) - 1))]
def line(name, xs):
    if not xs:
        print(f'SUMMARY {name}: none'); return
    xs = [x / 1000 for x in xs]
    print(f'SUMMARY {name}: n={len(xs)} min={min(xs):.2f} p50={pct(xs, 50):.2f} p90={pct(xs, 90):.2f} p99={pct(xs, 99):.2f} max={max(xs):.2f} s')

print(f'SUMMARY contracts {n}: detected {len(det)}, committed failed (seen) {len(committed)}, with mail {len(mail)}, '
      f'edge sample {len(sample)}: on {len(edge_on)}; outbox {kinds}')
line('silence -> 4th miss known', [miss[c] - silent_ms for c in miss])
line('4th miss known -> detection stamp', [det[c] - miss[c] for c in miss])
line('4th miss known -> failure and mails committed', [committed[c] - miss[c] for c in miss if c in committed])
line('4th miss known -> on in the edge (sample)', [edge_on[c] - miss[c] for c in edge_on if c in miss])
line('committed -> on in the edge (sample)', [edge_on[c] - committed[c] for c in edge_on if c in committed])
line('detection stamp -> outbox row stamp', [mail[c] - det[c] for c in det if c in mail])
if miss:
    first, last = min(miss.values()), max(miss.values())
    print(f'SUMMARY 4th misses spread over {(last - first) / 1000:.2f} s; last commit {(max(committed.values()) - last) / 1000 if committed else float("nan"):.2f} s after the last 4th miss; '
          f'last edge-on (sample) {(max(edge_on.values()) - last) / 1000 if edge_on else float("nan"):.2f} s after it')
