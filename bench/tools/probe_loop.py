#!/usr/bin/env python3
"""Probe calls at a steady rate from one source address, as the controller places them: INVITE, ACK on the 200,
BYE at once. Writes one CSV line per call: start (s since the epoch), outcome (ok / code / timeout), setup ms.
A call fails when no final response comes within --timeout (INVITE retransmitted per RFC 3261 timer A).
usage: probe_loop.py --target 127.0.0.1:PORT --source 127.0.0.3 --rate 10 --seconds 60 --out calls.csv [--number N]"""
import argparse
import os
import select
import socket
import time

ap = argparse.ArgumentParser()
ap.add_argument("--target", required=True)
ap.add_argument("--source", default="127.0.0.1")
ap.add_argument("--rate", type=float, default=10)
ap.add_argument("--seconds", type=float, default=60)
ap.add_argument("--timeout", type=float, default=2.0)
ap.add_argument("--number", default="0312345678")
ap.add_argument("--out", required=True)
a = ap.parse_args()
host, port = a.target.rsplit(":", 1)
dest = (host, int(port))
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
s.bind((a.source, 0))
lport = s.getsockname()[1]
me = f"{a.source}:{lport}"
pid = os.getpid()
SDP = (f"v=0\r\no=probe 1 1 IN IP4 {a.source}\r\ns=-\r\nc=IN IP4 {a.source}\r\nt=0 0\r\n"
       f"m=audio 9 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n")


def invite(n):
    return (f"INVITE sip:{a.number}@{a.target} SIP/2.0\r\nVia: SIP/2.0/UDP {me};branch=z9hG4bK-pl{pid}-{n}\r\n"
            f"Max-Forwards: 70\r\nFrom: <sip:probe@{me}>;tag=f{n}\r\nTo: <sip:{a.number}@{a.target}>\r\n"
            f"Call-ID: pl{pid}-{n}@{a.source}\r\nCSeq: 1 INVITE\r\nContact: <sip:probe@{me}>\r\n"
            f"Content-Type: application/sdp\r\nContent-Length: {len(SDP)}\r\n\r\n{SDP}").encode()


def in_dialog(n, method, to_hdr, cseq):
    return (f"{method} sip:{a.number}@{a.target} SIP/2.0\r\nVia: SIP/2.0/UDP {me};branch=z9hG4bK-pl{pid}-{n}-{method}\r\n"
            f"Max-Forwards: 70\r\nFrom: <sip:probe@{me}>;tag=f{n}\r\n{to_hdr}\r\n"
            f"Call-ID: pl{pid}-{n}@{a.source}\r\nCSeq: {cseq} {method}\r\nContent-Length: 0\r\n\r\n").encode()


calls = {}   # n -> [start, next_retransmit, interval, done]
out = open(a.out, "w")
out.write("start,outcome,setup_ms\n")
t0 = time.time()
total = int(a.seconds * a.rate)
n = 0
while n < total or calls:
    now = time.time()
    if n < total and now >= t0 + n / a.rate:
        s.sendto(invite(n), dest)
        calls[n] = [now, now + 0.5, 0.5]
        n += 1
        continue
    for k, c in list(calls.items()):
        if now - c[0] > a.timeout:
            out.write(f"{c[0]:.3f},timeout,\n")
            del calls[k]
        elif now >= c[1]:
            s.sendto(invite(k), dest)
            c[2] = min(c[2] * 2, 4.0)
            c[1] = now + c[2]
    wait = max(0.0, min(t0 + n / a.rate if n < total else now + 0.05, now + 0.05) - now)
    if select.select([s], [], [], wait)[0]:
        data = s.recv(65535)
        head, _, _ = data.partition(b"\r\n\r\n")
        lines = head.decode(errors="replace").split("\r\n")
        if not lines[0].startswith("SIP/2.0 "):
            continue
        code = int(lines[0].split()[1])
        hdrs = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            hdrs.setdefault(name.strip().lower(), value.strip())
        cid = hdrs.get("call-id", hdrs.get("i", ""))
        cseq = hdrs.get("cseq", "")
        if not cid.startswith(f"pl{pid}-") or "INVITE" not in cseq or code < 200:
            continue
        k = int(cid.split("-", 1)[1].split("@")[0])
        c = calls.pop(k, None)
        if c is None:
            continue
        to_hdr = "To: " + hdrs.get("to", hdrs.get("t", ""))
        if code < 300:
            s.sendto(in_dialog(k, "ACK", to_hdr, 1), dest)
            s.sendto(in_dialog(k, "BYE", to_hdr, 2), dest)
            out.write(f"{c[0]:.3f},ok,{(time.time() - c[0]) * 1000:.1f}\n")
        else:
            s.sendto(in_dialog(k, "ACK", to_hdr, 1).replace(b"-ACK\r\n", b"\r\n", 1), dest)
            out.write(f"{c[0]:.3f},{code},\n")
out.close()
