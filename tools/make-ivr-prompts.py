#!/usr/bin/env python3
"""Writes the IVR's default prompts (SS-3): one 8 kHz mono G.711 mu-law WAV file per prompt, named by its meaning,
each speaking its Japanese sentence (below), synthesised with espeak-ng's Japanese voice (Debian `espeak-ng`; the
voice reads kana, so the sentences are written in kana). The speech is low-pass filtered at 3.4 kHz and resampled
from espeak-ng's 22,050 Hz to 8,000 Hz here (windowed sinc), then mu-law encoded; the output is deterministic for
one espeak-ng version. Operators replace these files with studio recordings of the same names (docs/portal.md, "The
temporary-password IVR"). prompts.txt beside the files lists what each says.

usage: tools/make-ivr-prompts.py [DIRECTORY]   (default: src/GatewayAgent.Controller/ivr-prompts)
"""
import math
import os
import struct
import subprocess
import sys
import tempfile
import wave

RATE = 8000

# name: (the sentence spoken, in kana for the synthesiser; what it says in English)
PROMPTS = {
    "welcome": ("こちらは、かりパスワードの せっていサービスです。", "This is the temporary-password service."),
    "choose-unit": ("にんしょうたんいを えらんでください。かいせんは いち、ばんごうは に、かんりしゃ りようしゃは さん。",
                    "Choose the authentication unit: 1 line, 2 number, 3 admin/user."),
    "enter-number": ("しがいきょくばんから でんわばんごうを おして、さいごに シャープを おしてください。",
                     "Enter the phone number from the area code, then #."),
    "enter-password": ("はちけたの かりパスワードを おしてください。", "Enter an 8-digit temporary password."),
    "confirm-password": ("かくにんのため、おなじ はちけたを もういちど おしてください。", "Enter the same 8 digits again to confirm."),
    "incorrect-press-again": ("にゅうりょくが ただしくありません。もういちど おしてください。",
                              "The number entered is not correct, please press again."),
    "password-set": ("かりパスワードを せっていしました。ゆうこうきげんは にじゅうよじかんです。",
                     "Your temporary password is set; it is valid for 24 hours."),
    "too-many-errors": ("さんかい ただしく にゅうりょくされなかったため、でんわを きります。",
                        "The entries were not correct 3 times; please call again."),
    "try-again-later": ("ただいま ごりよう いただけません。しばらくしてから おかけなおしください。",
                        "The service is not available now; please call again later."),
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


def speak(text):
    """espeak-ng's Japanese voice: (rate, 16-bit mono samples)."""
    with tempfile.TemporaryDirectory() as work:
        path = os.path.join(work, "out.wav")
        subprocess.run(["espeak-ng", "-v", "ja", "-s", "180", "-w", path, text], check=True)
        with wave.open(path, "rb") as w:
            assert w.getnchannels() == 1 and w.getsampwidth() == 2, "espeak-ng wrote an unexpected format"
            frames = w.readframes(w.getnframes())
            return w.getframerate(), list(struct.unpack(f"<{len(frames) // 2}h", frames))


def resample(samples, source_rate, taps=24, cutoff=3400.0):
    """Band-limited resampling to 8 kHz: each output sample is the input convolved with a Hann-windowed sinc
    low-pass at `cutoff` centred on its position (so nothing above 4 kHz folds back as aliasing)."""
    step = source_rate / RATE
    fc = cutoff / source_rate
    out = []
    for n in range(int(len(samples) / step)):
        t = n * step
        centre = int(t)
        acc = 0.0
        for k in range(centre - taps + 1, centre + taps + 1):
            if 0 <= k < len(samples):
                x = t - k
                sinc = 2 * fc if x == 0 else math.sin(2 * math.pi * fc * x) / (math.pi * x)
                window = 0.5 + 0.5 * math.cos(math.pi * x / taps)
                acc += samples[k] * sinc * window
        out.append(acc)
    return out


def normalise(samples, peak=0.7):
    """Scaled so the loudest sample is `peak` of full scale, with 150 ms of silence at each end."""
    top = max(1.0, max(abs(s) for s in samples))
    pad = [0] * int(0.15 * RATE)
    return pad + [int(s * peak * 32767 / top) for s in samples] + pad


def wav(data):
    fmt = struct.pack("<HHIIHHH", 7, 1, RATE, RATE, 1, 8, 0)  # WAVE_FORMAT_MULAW, mono, 8 kHz, 8 bits, cbSize 0
    fact = struct.pack("<I", len(data))
    body = (b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"fact" + struct.pack("<I", 4) + fact
            + b"data" + struct.pack("<I", len(data)) + data + (b"\0" if len(data) % 2 else b""))
    return b"RIFF" + struct.pack("<I", len(body)) + body


def main():
    directory = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "src", "GatewayAgent.Controller", "ivr-prompts")
    os.makedirs(directory, exist_ok=True)
    manifest = ["# The IVR's default prompts (SS-3): file, what it says (Japanese), in English. Made by tools/make-ivr-prompts.py",
                "# with espeak-ng's Japanese voice; replace the .wav files with recordings of the same sentences (docs/portal.md)."]
    for name, (text, english) in PROMPTS.items():
        rate, samples = speak(text)
        data = bytes(mulaw(s) for s in normalise(resample(samples, rate)))
        with open(os.path.join(directory, name + ".wav"), "wb") as f:
            f.write(wav(data))
        manifest.append(f"{name}.wav\t{text}\t{english}")
        print(f"{name}.wav: {len(data) / RATE:.2f} s")
    with open(os.path.join(directory, "prompts.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(manifest) + "\n")
    print(f"{len(PROMPTS)} prompts written to {os.path.normpath(directory)}")


if __name__ == "__main__":
    main()
