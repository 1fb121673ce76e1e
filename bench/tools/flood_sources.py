#!/usr/bin/env python3
"""Flood a loopback SIP port with OPTIONS of SIZE bytes from N loopback source addresses (127.10.x.y), round robin,
at up to RATE datagrams/s for DURATION s. Each send is a new transaction (fresh branch and Call-ID).
usage: flood_sources.py --port P [--sources 1000] [--size 8192] [--rate 15000] [--duration 20] [--json FILE]"""
import argparse, json, socket, sys, time

p = argparse.ArgumentParser()
p.add_argument("--port", type=int, required=True)
p.add_argument("--sources", type=int, default=1000)
p.add_argument("--size", type=int, default=8192)
p.add_argument("--rate", type=float, default=15000)
p.add_argument("--duration", type=float, default=20)
p.add_argument("--json")
a = p.parse_args()

socks = []
for i in range(a.sources):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
    ip = f"127.10.{1 + i // 250}.{1 + i % 250}"
    s.bind((ip, 0))
    socks.append((s, ip, s.getsockname()[1]))
dst = ("127.0.0.1", a.port)

def message(n, ip, lp):
    head = (f"OPTIONS sip:0312345678@127.0.0.1:{a.port} SIP/2.0\r\n"
            f"Via: SIP/2.0/UDP {ip}:{lp};branch=z9hG4bK-f{n:x}\r\nMax-Forwards: 70\r\n"
            f"From: <sip:flood@{ip}>;tag=f{n:x}\r\nTo: <sip:0312345678@127.0.0.1>\r\n"
            f"Call-ID: f{n:x}@{ip}\r\nCSeq: 1 OPTIONS\r\nContent-Type: text/plain\r\n")
    body_len = max(0, a.size - len(head) - 30)
    return (head + f"Content-Length: {body_len}\r\n\r\n" + "x" * body_len).encode()

print(f"flood: {a.sources} sources, {a.size} B, target {a.rate:.0f}/s for {a.duration:.0f} s", file=sys.stderr, flush=True)
sent = errors = 0
start = time.monotonic()
end = start + a.duration
while True:
    now = time.monotonic()
    if now >= end:
        break
    due = int((now - start) * a.rate) if a.rate > 0 else sent + 200
    while sent < due:
        s, ip, lp = socks[sent % len(socks)]
        try:
            s.sendto(message(sent, ip, lp), dst)
        except OSError:
            errors += 1
        sent += 1
        if sent % 500 == 0 and time.monotonic() >= end:
            break
    time.sleep(0.001)
elapsed = time.monotonic() - start
r = {"sent": sent, "errors": errors, "seconds": round(elapsed, 2), "rate": round(sent / elapsed), "mbit": round(sent * a.size * 8 / elapsed / 1e6)}
print(f"flood: sent {sent} in {elapsed:.1f} s = {r['rate']}/s ({r['mbit']} Mbit/s), send errors {errors}", flush=True)
if a.json:
    json.dump(r, open(a.json, "w"))
