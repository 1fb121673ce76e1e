#!/usr/bin/env python3
"""UDP flood generator for bench/flood.sh: PROTOS c07-sip INVITE cases (each followed by its CANCEL teardown, as
PROTOS sends them) interleaved with junk datagrams, sent as fast as one Python thread can from a socket bound to
--source (default 127.0.0.2), for --duration seconds. Loopback targets only; stops by itself.

Every send gets a fresh Call-ID and branch (fixed width, so the Content-Length computed once stays right), so the
agent sees new transactions rather than retransmissions. Responses the agent sends back are drained and counted by
status code. Prints a summary; --json writes it as JSON too."""
import argparse
import collections
import errno
import ipaddress
import json
import os
import random
import re
import socket
import sys
import tarfile
import time

SEQ = b"@@SEQ8@@"  # 8 bytes, replaced by 8 hex digits per send
MAX_UDP = 65507


def load_protos(path):
    """Yields (case number, INVITE template, teardown template) from the PROTOS tarball or directory."""
    def parse(name, data):
        m = re.match(rb"(\d+) ", data)
        n = int(m.group(1))
        invite = data[m.end():m.end() + n]
        rest = data[m.end() + n:]
        m2 = re.match(rb"(\d+) ", rest)
        teardown = rest[m2.end():m2.end() + int(m2.group(1))] if m2 else b""
        return int(os.path.basename(name)), invite, teardown

    if os.path.isdir(path):
        for name in sorted(os.listdir(path)):
            with open(os.path.join(path, name), "rb") as f:
                yield parse(name, f.read())
    else:
        # one sequential pass (random access into a .tar.gz re-inflates from the start each time)
        items = []
        with tarfile.open(path, "r|gz") as tar:
            for m in tar:
                if m.isfile():
                    items.append((m.name, tar.extractfile(m).read()))
        for name, data in sorted(items):
            yield parse(name, data)


def substitute(template, values):
    out = template
    for k, v in values.items():
        out = out.replace(k, v)
    return out


def fill(invite, teardown, to, source, local_port, case):
    values = {
        b"<To>": to,
        b"<From>": b"protos@" + source,
        b"<From-Address>": source,
        b"<From-IP>": source,
        b"<Local-Port>": str(local_port).encode(),
        b"<Branch-ID>": SEQ,
        b"<Call-ID>": SEQ,
        b"<CSeq>": str(case + 1).encode(),
        b"<Teardown-Method>": b"CANCEL",
    }
    out = []
    for t in (invite, teardown):
        if not t:
            continue
        t = substitute(t, values)
        sep = t.find(b"\r\n\r\n")
        body_len = len(t) - (sep + 4) if sep >= 0 else 0
        out.append(t.replace(b"<Content-Length>", str(body_len).encode()))
    return out


def junk_pool(rng, valid_invite, count):
    """Random bytes, random printable lines, and byte-mutated / truncated copies of a valid INVITE."""
    pool = []
    words = [b"INVITE", b"OPTIONS", b"BYE", b"ACK", b"SIP/2.0", b"Via:", b"To:", b"From:", b"Call-ID:", b"CSeq:",
             b"Content-Length:", b"sip:", b"@", b";branch=z9hG4bK", b"\r\n", b"\r\n\r\n", b":", b" ", b"<", b">", b"%00"]
    for i in range(count):
        kind = i % 4
        if kind == 0:
            pool.append(os.urandom(rng.randint(1, 1400)))
        elif kind == 1:
            pool.append(b"".join(rng.choice(words) for _ in range(rng.randint(1, 200))))
        elif kind == 2:
            b = bytearray(valid_invite)
            for _ in range(rng.randint(1, 20)):
                b[rng.randrange(len(b))] = rng.randrange(256)
            pool.append(bytes(b))
        else:
            pool.append(valid_invite[:rng.randint(1, len(valid_invite) - 1)])
    return pool


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--target", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--source", default="127.0.0.2")
    ap.add_argument("--number", default="0312345678", help="user part of <To>")
    ap.add_argument("--protos", required=True, help="protos-c07-sip.tar.gz or its unpacked protos/ folder")
    ap.add_argument("--duration", type=float, default=10.0)
    ap.add_argument("--junk-per-case", type=int, default=1, help="junk datagrams sent after each INVITE+CANCEL")
    ap.add_argument("--rate", type=float, default=0, help="cap in datagrams/s; 0 = as fast as possible")
    ap.add_argument("--seed", type=int, default=3261)
    ap.add_argument("--json")
    a = ap.parse_args()

    for host in (a.target, a.source):
        if not ipaddress.ip_address(host).is_loopback:
            sys.exit(f"flood.py: {host} is not a loopback address; refusing")
    if not 0 < a.duration <= 600:
        sys.exit("flood.py: --duration must be in (0, 600]")

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    sock.bind((a.source, 0))
    local_port = sock.getsockname()[1]
    target = (a.target, a.port)
    to = f"{a.number}@{a.target}:{a.port}".encode()
    source = a.source.encode()

    t_load = time.monotonic()
    cases, skipped = [], []
    for case, invite, teardown in load_protos(a.protos):
        msgs = fill(invite, teardown, to, source, local_port, case)
        if any(len(m) > MAX_UDP for m in msgs):
            skipped.append(case)
            continue
        cases.append(msgs)
    rng = random.Random(a.seed)
    valid = cases[0][0].replace(SEQ, b"00000000")
    junk = junk_pool(rng, valid, 4096)
    print(f"flood: {len(cases)} PROTOS cases loaded ({len(skipped)} skipped as larger than one UDP datagram), "
          f"{len(junk)} junk datagrams, in {time.monotonic() - t_load:.1f} s; source {a.source}:{local_port}",
          file=sys.stderr, flush=True)

    sock.setblocking(False)
    sent = collections.Counter()
    errors = collections.Counter()
    responses = collections.Counter()
    bytes_sent = 0
    seq = 0
    ci = 0
    ji = 0
    start = time.monotonic()
    end = start + a.duration
    n = 0

    def send(data, kind):
        nonlocal bytes_sent
        try:
            sock.sendto(data, target)
            sent[kind] += 1
            bytes_sent += len(data)
        except BlockingIOError:
            errors["EAGAIN"] += 1
        except OSError as e:
            errors[errno.errorcode.get(e.errno, str(e.errno))] += 1

    def drain():
        while True:
            try:
                data = sock.recv(65535)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                continue  # ICMP errors queued on the socket
            if data.startswith(b"SIP/2.0 "):
                responses[data[8:11].decode(errors="replace")] += 1
            else:
                responses["request:" + data.split(b" ", 1)[0][:12].decode(errors="replace")] += 1

    while True:
        now = time.monotonic()
        if now >= end:
            break
        if a.rate and n > (now - start) * a.rate:
            time.sleep(0.0005)
            continue
        seq += 1
        token = b"%08x" % (seq & 0xFFFFFFFF)
        msgs = cases[ci]
        ci = (ci + 1) % len(cases)
        send(msgs[0].replace(SEQ, token), "protos-invite")
        if len(msgs) > 1:
            send(msgs[1].replace(SEQ, token), "protos-teardown")
        for _ in range(a.junk_per_case):
            send(junk[ji], "junk")
            ji = (ji + 1) % len(junk)
        n += 2 + a.junk_per_case
        if seq % 64 == 0:
            drain()
    elapsed = time.monotonic() - start
    deadline = time.monotonic() + 1.0
    while time.monotonic() < deadline:
        drain()
        time.sleep(0.05)

    total = sum(sent.values())
    summary = {
        "source": f"{a.source}:{local_port}",
        "target": f"{a.target}:{a.port}",
        "duration_s": round(elapsed, 2),
        "sent": total,
        "rate_pps": round(total / elapsed),
        "mbit_s": round(bytes_sent * 8 / elapsed / 1e6, 1),
        "by_kind": dict(sent),
        "protos_passes": round(seq / max(1, len(cases)), 2),
        "send_errors": dict(errors),
        "responses": dict(sorted(responses.items(), key=lambda kv: -kv[1])),
        "skipped_cases": skipped,
    }
    print(f"flood: sent {total} datagrams in {elapsed:.1f} s = {summary['rate_pps']}/s ({summary['mbit_s']} Mbit/s); "
          f"by kind {dict(sent)}; PROTOS passes {summary['protos_passes']}; send errors {dict(errors) or 'none'}")
    print(f"flood: responses received from the agent: {summary['responses'] or 'none'}")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(summary, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
