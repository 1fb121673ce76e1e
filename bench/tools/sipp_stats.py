#!/usr/bin/env python3
"""Summarise a sipp -trace_stat CSV (last row = cumulative totals): calls created, successful, failed (by cause),
retransmissions, unexpected messages, and the cumulative response time / call length columns when present."""
import sys


def main(path):
    with open(path, newline="") as f:
        lines = [l.rstrip("\r\n") for l in f if l.strip()]
    if len(lines) < 2:
        print(f"sipp stats: {path} has no data rows")
        return 1
    header = [h.strip() for h in lines[0].split(";")]
    last = [v.strip() for v in lines[-1].split(";")]
    row = dict(zip(header, last))

    def g(name):
        return row.get(name, "?")

    print(f"sipp: created {g('TotalCallCreated')}, successful {g('SuccessfulCall(C)')}, failed {g('FailedCall(C)')}, "
          f"retransmissions {g('Retransmissions(C)')}, unexpected msgs {g('FailedUnexpectedMessage(C)')}, "
          f"elapsed {g('ElapsedTime(C)')}")
    causes = {k[len('Failed'):-3]: v for k, v in row.items()
              if k.startswith("Failed") and k.endswith("(C)") and k != "FailedCall(C)" and v not in ("", "0")}
    if causes:
        print("sipp failure causes: " + ", ".join(f"{k}={v}" for k, v in causes.items()))
    rt = [k for k in row if k.startswith("ResponseTime") and k.endswith("(C)")]
    for k in rt:
        print(f"sipp {k}: {row[k]} (cumulative mean, hh:mm:ss:us)")
    if "CallLength(C)" in row:
        print(f"sipp CallLength(C): {row['CallLength(C)']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
