#!/usr/bin/env python3
"""procstat.py OUT INTERVAL NAME=PID ... : every INTERVAL s until killed, one line per group to OUT:
time name ticks pss_kB rss_kB nproc. A group is PID and its direct children (kamailio's workers are all children of
its main process). ticks = utime+stime (clock ticks, os.sysconf SC_CLK_TCK); PSS from /proc/PID/smaps_rollup (shared
memory counted once across the group), RSS = sum of VmRSS (counts kamailio's shared memory once per process)."""
import os, sys, time, signal

def children(pid):
    out = []
    for d in os.listdir('/proc'):
        if d.isdigit():
            try:
                with open(f'/proc/{d}/stat') as f:
                    s = f.read()
                if int(s[s.rfind(')') + 2:].split()[1]) == pid:
                    out.append(int(d))
            except OSError:
                pass
    return out

def sample(pid):
    ticks = pss = rss = n = 0
    for p in [pid] + children(pid):
        try:
            with open(f'/proc/{p}/stat') as f:
                s = f.read()
            fields = s[s.rfind(')') + 2:].split()
            ticks += int(fields[11]) + int(fields[12])
            with open(f'/proc/{p}/smaps_rollup') as f:
                for line in f:
                    if line.startswith('Pss:'):
                        pss += int(line.split()[1])
                    elif line.startswith('Rss:'):
                        rss += int(line.split()[1])
            n += 1
        except OSError:
            pass
    return ticks, pss, rss, n

def main():
    out, interval = sys.argv[1], float(sys.argv[2])
    groups = [(a.split('=')[0], int(a.split('=')[1])) for a in sys.argv[3:]]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with open(out, 'w', buffering=1) as f:
        while True:
            t = time.time()
            for name, pid in groups:
                ticks, pss, rss, n = sample(pid)
                f.write(f'{t:.3f}\t{name}\t{ticks}\t{pss}\t{rss}\t{n}\n')
            time.sleep(max(0.0, interval - (time.time() - t)))

main()
