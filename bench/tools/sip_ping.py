#!/usr/bin/env python3
"""Send one OPTIONS over UDP to a loopback agent, retrying every 0.5 s, and print the status line of the answer.
usage: sip_ping.py PORT [TIMEOUT_S]   (exit 0 when answered, 1 when not)"""
import os
import select
import socket
import sys
import time

port = int(sys.argv[1])
timeout = float(sys.argv[2]) if len(sys.argv) > 2 else 5.0
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
lp = s.getsockname()[1]
deadline = time.monotonic() + timeout
n = 0
while time.monotonic() < deadline:
    msg = (f"OPTIONS sip:0312345678@127.0.0.1:{port} SIP/2.0\r\n"
           f"Via: SIP/2.0/UDP 127.0.0.1:{lp};branch=z9hG4bK-ping-{os.getpid()}-{n}\r\n"
           f"Max-Forwards: 70\r\nFrom: <sip:ping@127.0.0.1:{lp}>;tag=p{os.getpid()}\r\n"
           f"To: <sip:0312345678@127.0.0.1:{port}>\r\nCall-ID: ping-{os.getpid()}-{n}@127.0.0.1\r\n"
           f"CSeq: {n + 1} OPTIONS\r\nContent-Length: 0\r\n\r\n").encode()
    s.sendto(msg, ("127.0.0.1", port))
    n += 1
    t = time.monotonic()
    if select.select([s], [], [], 0.5)[0]:
        try:
            data = s.recv(65535)
        except OSError:
            continue
        status = data.split(b"\r\n", 1)[0].decode(errors="replace")
        print(f"{status} after {(time.monotonic() - t) * 1000:.1f} ms")
        sys.exit(0)
print(f"no answer within {timeout} s")
sys.exit(1)
