"""Make the WAV files the simulator plays: speech-like babble and plain tones (stdlib only, no downloads)."""

from __future__ import annotations

import math
import random
import struct
import wave
from pathlib import Path

RATE = 16000


def _write(path: Path, samples: list[float]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    frames = b"".join(struct.pack("<h", int(max(-1.0, min(1.0, s)) * 32767)) for s in samples)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(frames)
    return path


def tone_wav(path: Path, freq: float = 1000.0, seconds: float = 2.0, level: float = 0.3) -> Path:
    """Write a pure sine tone (for tests that detect a frequency on the far side)."""
    n = int(RATE * seconds)
    return _write(path, [level * math.sin(2 * math.pi * freq * i / RATE) for i in range(n)])


def speech_wav(path: Path, seconds: float = 6.0, seed: int = 7, level: float = 0.35) -> Path:
    """Write speech-like audio: voiced syllables (pitch plus formants) with pauses between words."""
    rng = random.Random(seed)
    out: list[float] = []
    vowels = [(730, 1090), (270, 2290), (530, 1840), (570, 840), (300, 870), (660, 1720)]
    while len(out) < RATE * seconds:
        for _ in range(rng.randint(2, 5)):  # syllables in a word
            dur = rng.uniform(0.12, 0.28)
            f0 = rng.uniform(110, 190)
            f1, f2 = rng.choice(vowels)
            n = int(RATE * dur)
            phase = rng.random() * 6.28
            for i in range(n):
                t = i / RATE
                env = math.sin(math.pi * i / n) ** 2
                pitch = f0 * (1 + 0.05 * math.sin(2 * math.pi * 3 * t))
                s = 0.5 * math.sin(2 * math.pi * pitch * t + phase)
                s += 0.3 * math.sin(2 * math.pi * f1 * t) * (0.6 + 0.4 * math.sin(2 * math.pi * pitch * t))
                s += 0.2 * math.sin(2 * math.pi * f2 * t) * (0.6 + 0.4 * math.sin(2 * math.pi * pitch * t))
                s += 0.03 * (rng.random() - 0.5)
                out.append(level * env * s)
        out.extend([0.002 * (rng.random() - 0.5) for _ in range(int(RATE * rng.uniform(0.15, 0.45)))])
    return _write(path, out[: int(RATE * seconds)])
