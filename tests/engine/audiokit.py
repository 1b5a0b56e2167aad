"""Hear and speak through the PulseAudio null sinks: record a monitor source, play into a sink."""

from __future__ import annotations

import asyncio
import contextlib

import numpy as np

RATE = 16000


def dominant(samples: np.ndarray) -> tuple[float, float]:
    """Return (peak frequency in Hz, RMS) of int16 samples."""
    s = samples.astype(np.float64)
    if len(s) < RATE // 10:
        return 0.0, 0.0
    spec = np.abs(np.fft.rfft(s * np.hanning(len(s))))
    k = int(np.argmax(spec[5:])) + 5
    return k * RATE / len(s), float(np.sqrt(np.mean(s * s)))


async def record(source: str, seconds: float) -> np.ndarray:
    """Capture ``seconds`` of a PulseAudio source (e.g. headset.monitor) as 16 kHz mono int16."""
    proc = await asyncio.create_subprocess_exec(
        "parec", "-d", source, "--raw", "--rate", str(RATE), "--channels", "1", "--format", "s16le",
        "--latency-msec", "20", stdout=asyncio.subprocess.PIPE)
    assert proc.stdout is not None
    want = int(seconds * RATE) * 2
    data = bytearray()
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds + 10):
            while len(data) < want:
                chunk = await proc.stdout.read(want - len(data))
                if not chunk:
                    break
                data += chunk
    proc.kill()
    await proc.wait()
    return np.frombuffer(bytes(data[: len(data) // 2 * 2]), np.int16)


class Speaker:
    """Play a continuous tone into a PulseAudio sink until closed."""

    def __init__(self, proc: asyncio.subprocess.Process, task: asyncio.Task[None]) -> None:
        self.proc = proc
        self.task = task

    @classmethod
    async def tone(cls, sink: str, freq: float, seconds: float = 30.0) -> Speaker:
        proc = await asyncio.create_subprocess_exec(
            "pacat", "-d", sink, "--raw", "--rate", str(RATE), "--channels", "1", "--format", "s16le",
            "--latency-msec", "40", stdin=asyncio.subprocess.PIPE)
        t = np.arange(int(seconds * RATE)) / RATE
        pcm = (np.sin(2 * np.pi * freq * t) * 0.4 * 32767).astype(np.int16).tobytes()

        async def feed() -> None:
            assert proc.stdin is not None
            with contextlib.suppress(ConnectionError):
                proc.stdin.write(pcm)
                await proc.stdin.drain()

        return cls(proc, asyncio.create_task(feed()))

    async def close(self) -> None:
        self.task.cancel()
        with contextlib.suppress(ProcessLookupError):
            self.proc.kill()
        await self.proc.wait()
