#!/usr/bin/env python3
"""switch.py - switch to first forwarded call, measured N times against a running controller and edge.

For each of N contracts (forwarding off, a destination on NUMBER): POST /api/contracts/{id}/forwarding/start, then
place single calls to NUMBER at the edge one after another (each call: INVITE; the edge answers it itself - the site
leg here has no address, so 480 - or relays it to the destination hop) until an INVITE arrives at the destination
hop, which this script is (it answers 486). Prints per switch: ms from the API call's start and from its return to
the arrival of the first forwarded INVITE, and the calls placed; then p50/p99/max.

  switch.py --api http://127.0.0.1:8080 --key KEY --edge 127.0.0.1:5060 --dest-port 5090 \
      --pairs CONTRACT:NUMBER,CONTRACT:NUMBER,... [--gap-ms 0] [--give-up-s 10]
"""
import argparse, json, socket, time, urllib.request, uuid, statistics, sys

ap = argparse.ArgumentParser()
ap.add_argument('--api', required=True)
ap.add_argument('--key', required=True)
ap.add_argument('--edge', required=True)
ap.add_argument('--dest-port', type=int, required=True)
ap.add_argument('--pairs', required=True)
ap.add_argument('--gap-ms', type=float, default=0.0)
ap.add_argument('--give-up-s', type=float, default=10.0)
ap.add_argument('--pause-s', type=float, default=0.3, help='between switches')
a = ap.parse_args()
eh, ep = a.edge.split(':'); ep = int(ep)

caller = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); caller.bind(('127.0.0.1', 0))
cport = caller.getsockname()[1]
dest = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); dest.bind(('127.0.0.1', a.dest_port))
dest.setblocking(False)
caller.settimeout(0.002)

def headers(msg):
    lines = msg.split('\r\n')
    return lines[0], lines[1:lines.index('')] if '' in lines else lines[1:]

def answer_dest():
    """Answers every INVITE waiting at the destination hop with 486; True when one arrived."""
    got = False
    while True:
        try:
            data, addr = dest.recvfrom(65535)
        except BlockingIOError:
            return got
        msg = data.decode(errors='replace')
        first, hs = headers(msg)
        if not first.startswith('INVITE'):
            continue
        got = True
        keep = [h for h in hs if h.split(':', 1)[0].strip().lower() in ('via', 'v', 'from', 'f', 'call-id', 'i', 'cseq')]
        to = [h for h in hs if h.split(':', 1)[0].strip().lower() in ('to', 't')][0]
        resp = 'SIP/2.0 486 Busy Here\r\n' + '\r\n'.join(keep) + '\r\n' + to + ';tag=dst' + uuid.uuid4().hex[:8] + \
            '\r\nContent-Length: 0\r\n\r\n'
        dest.sendto(resp.encode(), addr)

def call(number):
    """One call; returns True when it reached the destination hop."""
    cid = uuid.uuid4().hex + '@bench'
    branch = 'z9hG4bK' + uuid.uuid4().hex[:16]
    ftag = uuid.uuid4().hex[:8]
    via = f'Via: SIP/2.0/UDP 127.0.0.1:{cport};branch={branch};rport'
    frm = f'From: <sip:0311112222@127.0.0.1>;tag={ftag}'
    inv = (f'INVITE sip:{number}@{eh}:{ep} SIP/2.0\r\n{via}\r\nMax-Forwards: 70\r\n{frm}\r\nTo: <sip:{number}@{eh}>\r\n'
           f'Call-ID: {cid}\r\nCSeq: 1 INVITE\r\nContact: <sip:0311112222@127.0.0.1:{cport}>\r\nContent-Length: 0\r\n\r\n')
    caller.sendto(inv.encode(), (eh, ep))
    forwarded = False
    deadline = time.monotonic() + 2.0
    while time.monotonic() < deadline:
        if answer_dest():
            forwarded = True
        try:
            data, _ = caller.recvfrom(65535)
        except socket.timeout:
            continue
        first, hs = headers(data.decode(errors='replace'))
        if cid not in data.decode(errors='replace'):
            continue
        code = int(first.split()[1])
        if code < 200:
            continue
        to = [h for h in hs if h.split(':', 1)[0].strip().lower() in ('to', 't')][0]
        ack = (f'ACK sip:{number}@{eh}:{ep} SIP/2.0\r\n{via}\r\nMax-Forwards: 70\r\n{frm}\r\n{to}\r\nCall-ID: {cid}\r\n'
               f'CSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n')
        caller.sendto(ack.encode(), (eh, ep))
        return forwarded or answer_dest(), code
    return forwarded, None

def post(path):
    req = urllib.request.Request(a.api + path, data=b'{"note":"bench switch"}', method='POST',
                                 headers={'X-Api-Key': a.key, 'Content-Type': 'application/json'})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status, json.loads(r.read() or b'null')

from_start, from_return, api_ms, calls_n = [], [], [], []
pairs = [p.split(':') for p in a.pairs.split(',')]
for i, (cid, number) in enumerate(pairs):
    fwd, code = call(number)
    if fwd:
        print(f'# contract {cid}: already forwarded before the switch, skipped', file=sys.stderr); continue
    t0 = time.monotonic()
    status, body = post(f'/api/contracts/{cid}/forwarding/start')
    t1 = time.monotonic()
    n = 0; t2 = None
    while time.monotonic() - t1 < a.give_up_s:
        n += 1
        fwd, code = call(number)
        if fwd:
            t2 = time.monotonic(); break
        if a.gap_ms:
            time.sleep(a.gap_ms / 1000)
    if t2 is None:
        print(f'{i + 1}\tcontract {cid}\tAPI {status} {(t1 - t0) * 1000:.1f} ms\tNOT forwarded after {a.give_up_s} s, {n} calls')
        continue
    from_start.append((t2 - t0) * 1000); from_return.append((t2 - t1) * 1000); api_ms.append((t1 - t0) * 1000); calls_n.append(n)
    print(f'{i + 1}\tcontract {cid}\tAPI {status} {api_ms[-1]:.1f} ms\tfrom start {from_start[-1]:.1f} ms\t'
          f'from return {from_return[-1]:.1f} ms\tcalls {n}', flush=True)
    time.sleep(a.pause_s)

def pct(xs, p):
    xs = sorted(xs); return xs[min(len(xs) - 1, max(0, int(round(p / 100 * len(xs) + 0.5)) - 1))]
if from_return:
    for name, xs in (('API call (ms)', api_ms), ('from the API call start (ms)', from_start),
                     ('from the API call return (ms)', from_return), ('calls placed', calls_n)):
        print(f'SUMMARY {name}: n={len(xs)} min={min(xs):.1f} p50={pct(xs, 50):.1f} p99={pct(xs, 99):.1f} max={max(xs):.1f} mean={statistics.mean(xs):.1f}')
print(f'SUMMARY switches measured {len(from_return)} of {len(pairs)}')
