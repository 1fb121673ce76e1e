#!/usr/bin/env python3
"""Start the agent once and time it: wall time from exec until its UDP port answers an OPTIONS,
and the 'ready N ms after [process] start' figure it logs. Loopback only; bounded by --timeout.

usage: startup_probe.py --port P --log FILE [--timeout S] [--keep] -- command...
prints one line: pid=... options_ms=... logged_ready_ms=... (or an error, exit 1)
With --keep the agent is left running (its pid printed); without, it is stopped with SIGTERM."""
import argparse
import os
import re
import select
import signal
import socket
import subprocess
import sys
import time


def options_request(port, local_port, n):
    return (
        f"OPTIONS sip:0312345678@127.0.0.1:{port} SIP/2.0\r\n"
        f"Via: SIP/2.0/UDP 127.0.0.1:{local_port};branch=z9hG4bK-start-{os.getpid()}-{n};rport\r\n"
        "Max-Forwards: 70\r\n"
        f"From: <sip:bench@127.0.0.1:{local_port}>;tag=b{os.getpid()}\r\n"
        f"To: <sip:0312345678@127.0.0.1:{port}>\r\n"
        f"Call-ID: start-{os.getpid()}-{n}@127.0.0.1\r\n"
        f"CSeq: {n + 1} OPTIONS\r\n"
        "Content-Length: 0\r\n\r\n"
    ).encode()


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--timeout", type=float, default=20.0)
    ap.add_argument("--interval", type=float, default=0.002, help="seconds between OPTIONS while waiting")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("command", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.command[1:] if a.command and a.command[0] == "--" else a.command
    if not cmd:
        ap.error("no command")

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    local_port = sock.getsockname()[1]
    target = ("127.0.0.1", a.port)

    with open(a.log, "wb") as log:
        t0 = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    answered_at = None
    n = 0
    deadline = t0 + a.timeout
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                sock.sendto(options_request(a.port, local_port, n), target)
            except OSError:
                pass
            n += 1
            r, _, _ = select.select([sock], [], [], a.interval)
            if r:
                try:
                    data = sock.recv(65535)
                except OSError:  # ICMP port unreachable from an earlier send, before the agent bound
                    continue
                if data.startswith(b"SIP/2.0 "):
                    answered_at = time.monotonic()
                    break
        if answered_at is None:
            print(f"error: no answer to OPTIONS within {a.timeout}s (exit code {proc.poll()})", file=sys.stderr)
            stop(proc)
            return 1

        logged = None
        while time.monotonic() < answered_at + 5:
            with open(a.log, "rb") as f:
                m = re.search(rb"ready (\d+) ms after (?:process )?start", f.read())
            if m:
                logged = int(m.group(1))
                break
            time.sleep(0.01)
        status = data.split(b"\r\n", 1)[0].decode(errors="replace")
        print(f"pid={proc.pid} options_ms={(answered_at - t0) * 1000:.0f} logged_ready_ms={logged} "
              f"options_sent={n + 1} answer='{status}'")
        return 0
    finally:
        if not a.keep:
            stop(proc)


if __name__ == "__main__":
    sys.exit(main())
