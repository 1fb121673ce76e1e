#!/usr/bin/env python3
"""Writes the IVR's default placeholder prompts (SS-3): one 8 kHz mono G.711 mu-law WAV file per prompt, named by
its meaning, made of short tone beeps so that each prompt is recognisable by ear (count and pitch) in a lab call.
Operators replace these files with recorded Japanese prompts of the same names (docs/portal.md, "The
temporary-password IVR"). Standard library only; the output is deterministic.

usage: tools/make-ivr-prompts.py [DIRECTORY]   (default: src/GatewayAgent.Controller/ivr-prompts)
"""
import math
import os
import struct
import sys

RATE = 8000

# name: (beeps, frequency Hz, what the recorded prompt says)
PROMPTS = {
    "welcome": (1, 660, "This is the temporary-password service."),
    "choose-unit": (3, 440, "Choose the authentication unit: 1 line, 2 number, 3 admin/user."),
    "enter-number": (2, 520, "Enter the phone number from the area code, then #."),
    "enter-password": (2, 600, "Enter an 8-digit temporary password."),
    "confirm-password": (3, 600, "Enter the same 8 digits again to confirm."),
    "incorrect-press-again": (4, 330, "The number entered is not correct, please press again."),
    "password-set": (1, 880, "Your temporary password is set; it is valid for 24 hours."),
    "too-many-errors": (5, 330, "The entries were not correct 3 times; please call again."),
    "try-again-later": (5, 250, "The service is not available now; please call again later."),
}


def mulaw(sample):
    """G.711 mu-law encoding of one 16-bit linear sample (ITU-T G.711, as src/GatewayAgent.Sip/Rtp/G711.cs)."""
    bias, clip = 0x84, 32635
    sign = 0x80 if sample < 0 else 0
    magnitude = min(-sample if sample < 0 else sample, clip) + bias
    exponent = 7
    mask = 0x4000
    while exponent > 0 and not magnitude & mask:
        exponent -= 1
        mask >>= 1
    mantissa = (magnitude >> (exponent + 3)) & 0x0F
    return ~(sign | (exponent << 4) | mantissa) & 0xFF


def samples(beeps, frequency):
    out = []
    for beep in range(beeps):
        for n in range(int(0.15 * RATE)):
            # 5 ms ramps so the beeps do not click
            ramp = min(1.0, n / 40.0, (int(0.15 * RATE) - n) / 40.0)
            out.append(int(0.25 * 32767 * ramp * math.sin(2 * math.pi * frequency * n / RATE)))
        out.extend([0] * int(0.10 * RATE))
    out.extend([0] * int(0.15 * RATE))
    return out


def wav(data):
    fmt = struct.pack("<HHIIHHH", 7, 1, RATE, RATE, 1, 8, 0)  # WAVE_FORMAT_MULAW, mono, 8 kHz, 8 bits, cbSize 0
    fact = struct.pack("<I", len(data))
    body = (b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"fact" + struct.pack("<I", 4) + fact
            + b"data" + struct.pack("<I", len(data)) + data + (b"\0" if len(data) % 2 else b""))
    return b"RIFF" + struct.pack("<I", len(body)) + body


def main():
    directory = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "src", "GatewayAgent.Controller", "ivr-prompts")
    os.makedirs(directory, exist_ok=True)
    for name, (beeps, frequency, _) in PROMPTS.items():
        data = bytes(mulaw(s) for s in samples(beeps, frequency))
        with open(os.path.join(directory, name + ".wav"), "wb") as f:
            f.write(wav(data))
    print(f"{len(PROMPTS)} prompts written to {os.path.normpath(directory)}")


if __name__ == "__main__":
    main()
