"""PulseAudio streams through libpulse itself (ctypes): the soundcard backend's method, without numpy and cffi.

soundcard (the engine's measured choice of PulseAudio path) needs numpy and cffi, and parses libpulse's header
with pycparser at import: about 19 MB of the idle engine's memory, used only to turn 20 ms of int16 into float32
and back. This module makes the same libpulse calls with soundcard's stream parameters (threaded main loop, one
blocking thread per stream, ``fragsize`` of one block, ``PA_STREAM_ADJUST_LATENCY``, writes paced by
``pa_stream_writable_size``, reads woken by the read callback), in the engine's own format (S16LE, mono). Two
differences, both measured: writes are woken by the write callback where soundcard polls, and playback keeps two
blocks on the server where soundcard keeps one (``PLAYBACK_BLOCKS``). The server's underflow notification is
counted for the headset (``on_underflow``): a gap the CSR hears that the bridge's own counters cannot see.
"""

from __future__ import annotations

import ctypes
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

PA_SAMPLE_S16LE = 3
PA_CONTEXT_READY, PA_CONTEXT_FAILED, PA_CONTEXT_TERMINATED = 4, 5, 6
PA_STREAM_READY, PA_STREAM_FAILED, PA_STREAM_TERMINATED = 2, 3, 4
PA_STREAM_ADJUST_LATENCY = 0x2000
PA_OPERATION_RUNNING = 0
PA_SEEK_RELATIVE = 0
NO_LIMIT = 2**32 - 1
# Blocks of playback the sound server holds. One (soundcard's choice) left no slack: measured 2026-12-06, the server
# played 1, 2 and 12 gaps in three 216 s calls (bench.engine_audio) and 59 in 18 s beside a GIL-heavy thread
# (bench.engine_audio_backends). Two: 0, and 0 beside that thread, for ~19 ms more round trip (74 -> 93 ms idle).
PLAYBACK_BLOCKS = 2

_vp, _sz, _u32 = ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint32
READ_CB = ctypes.CFUNCTYPE(None, _vp, _sz, _vp)
NOTIFY_CB = ctypes.CFUNCTYPE(None, _vp, _vp)
# pa_sink_info / pa_source_info both begin with ``const char *name``: only the name is read
INFO_CB = ctypes.CFUNCTYPE(None, _vp, ctypes.POINTER(ctypes.c_char_p), ctypes.c_int, _vp)


class SampleSpec(ctypes.Structure):
    _fields_ = [("format", ctypes.c_int), ("rate", _u32), ("channels", ctypes.c_uint8)]


class BufferAttr(ctypes.Structure):
    _fields_ = [("maxlength", _u32), ("tlength", _u32), ("prebuf", _u32), ("minreq", _u32), ("fragsize", _u32)]


_SIGNATURES: dict[str, tuple[Any, list[Any]]] = {
    "pa_threaded_mainloop_new": (_vp, []),
    "pa_threaded_mainloop_get_api": (_vp, [_vp]),
    "pa_threaded_mainloop_start": (ctypes.c_int, [_vp]),
    "pa_threaded_mainloop_stop": (None, [_vp]),
    "pa_threaded_mainloop_free": (None, [_vp]),
    "pa_threaded_mainloop_lock": (None, [_vp]),
    "pa_threaded_mainloop_unlock": (None, [_vp]),
    "pa_context_new": (_vp, [_vp, ctypes.c_char_p]),
    "pa_context_connect": (ctypes.c_int, [_vp, ctypes.c_char_p, ctypes.c_int, _vp]),
    "pa_context_get_state": (ctypes.c_int, [_vp]),
    "pa_context_disconnect": (None, [_vp]),
    "pa_context_unref": (None, [_vp]),
    "pa_context_get_sink_info_list": (_vp, [_vp, INFO_CB, _vp]),
    "pa_context_get_source_info_list": (_vp, [_vp, INFO_CB, _vp]),
    "pa_operation_get_state": (ctypes.c_int, [_vp]),
    "pa_operation_unref": (None, [_vp]),
    "pa_stream_new": (_vp, [_vp, ctypes.c_char_p, ctypes.POINTER(SampleSpec), _vp]),
    "pa_stream_connect_playback": (ctypes.c_int, [_vp, ctypes.c_char_p, ctypes.POINTER(BufferAttr), ctypes.c_int,
                                                  _vp, _vp]),
    "pa_stream_connect_record": (ctypes.c_int, [_vp, ctypes.c_char_p, ctypes.POINTER(BufferAttr), ctypes.c_int]),
    "pa_stream_set_read_callback": (None, [_vp, READ_CB, _vp]),
    "pa_stream_set_write_callback": (None, [_vp, READ_CB, _vp]),
    "pa_stream_set_underflow_callback": (None, [_vp, NOTIFY_CB, _vp]),
    "pa_stream_get_state": (ctypes.c_int, [_vp]),
    "pa_stream_writable_size": (_sz, [_vp]),
    "pa_stream_write": (ctypes.c_int, [_vp, ctypes.c_char_p, _sz, _vp, ctypes.c_int64, ctypes.c_int]),
    "pa_stream_readable_size": (_sz, [_vp]),
    "pa_stream_peek": (ctypes.c_int, [_vp, ctypes.POINTER(_vp), ctypes.POINTER(_sz)]),
    "pa_stream_drop": (ctypes.c_int, [_vp]),
    "pa_stream_drain": (_vp, [_vp, _vp, _vp]),
    "pa_stream_disconnect": (ctypes.c_int, [_vp]),
    "pa_stream_unref": (None, [_vp]),
}


def _load() -> Any:
    try:
        lib = ctypes.CDLL("libpulse.so.0")
    except OSError:  # another soname: ask the linker cache (ctypes.util runs ldconfig, so only on this path)
        from ctypes.util import find_library

        found = find_library("pulse")
        if not found:
            raise OSError("libpulse is not installed") from None
        lib = ctypes.CDLL(found)
    for name, (restype, argtypes) in _SIGNATURES.items():
        fn = getattr(lib, name)
        fn.restype, fn.argtypes = restype, argtypes
    return lib


class PulseContext:
    """One connection to the sound server, run by libpulse's threaded main loop (as soundcard does)."""

    def __init__(self, name: str = "csdesk-engine", *, timeout: float = 5.0) -> None:
        self.pa = _load()
        self._loop = self.pa.pa_threaded_mainloop_new()
        self.context = self.pa.pa_context_new(self.pa.pa_threaded_mainloop_get_api(self._loop), name.encode())
        if self.pa.pa_context_connect(self.context, None, 0, None) < 0:
            raise OSError("PulseAudio: no sound server")
        self.pa.pa_threaded_mainloop_start(self._loop)
        deadline = time.monotonic() + timeout
        while (state := self.call(self.pa.pa_context_get_state, self.context)) != PA_CONTEXT_READY:
            if state in (PA_CONTEXT_FAILED, PA_CONTEXT_TERMINATED) or time.monotonic() > deadline:
                raise OSError("PulseAudio: could not connect to the sound server")
            time.sleep(0.01)

    def close(self, *, free: bool = True) -> None:
        """Disconnect and stop libpulse's main-loop thread, so no native thread calls into Python after this.

        ``free=False`` stops the thread but keeps the loop's memory: for a stream thread that did not finish and
        may still lock the loop (the process is about to exit)."""
        if not self._loop:
            return
        self.call(self.pa.pa_context_disconnect, self.context)
        self.pa.pa_threaded_mainloop_stop(self._loop)  # joins the loop thread; never called from it
        if free:
            self.pa.pa_context_unref(self.context)
            self.pa.pa_threaded_mainloop_free(self._loop)
            self.context = self._loop = None

    @property
    def alive(self) -> bool:
        """Whether the connection to the sound server still stands (a server that died or restarted ends it for
        good: libpulse does not reconnect a context)."""
        return bool(self._loop) and self.call(self.pa.pa_context_get_state, self.context) == PA_CONTEXT_READY

    @contextmanager
    def locked(self) -> Iterator[None]:
        self.pa.pa_threaded_mainloop_lock(self._loop)
        try:
            yield
        finally:
            self.pa.pa_threaded_mainloop_unlock(self._loop)

    def call(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Call a libpulse function with the main loop locked."""
        with self.locked():
            return fn(*args)

    def wait(self, op: Any) -> None:
        """Wait for an operation to finish (polled, as soundcard does), then release it."""
        try:
            while self.call(self.pa.pa_operation_get_state, op) == PA_OPERATION_RUNNING:
                time.sleep(0.001)
        finally:
            self.call(self.pa.pa_operation_unref, op)

    def names(self, kind: str) -> list[str]:
        """Names of the sinks (``out``) or of every source, monitors included (``in``)."""
        found: list[str] = []

        def each(_ctx: Any, info: Any, eol: int, _user: Any) -> None:
            if eol == 0 and info and info[0] is not None:
                found.append(info[0].decode())

        cb = INFO_CB(each)
        fn = self.pa.pa_context_get_sink_info_list if kind == "out" else self.pa.pa_context_get_source_info_list
        op = self.call(fn, self.context, cb, None)
        if not op:  # the connection is gone: libpulse would abort the process on a NULL operation
            raise OSError("PulseAudio: the connection to the sound server is lost")
        self.wait(op)
        return found


class PulseStream:
    """A playback or record stream, connected on entry and drained, disconnected and released on exit."""

    def __init__(self, ctx: PulseContext, device: str | None, *, record: bool, rate: int, block: int,
                 on_underflow: Callable[[], None] | None = None) -> None:
        self.ctx, self.pa = ctx, ctx.pa
        self.block_bytes = block * 2  # S16LE mono
        # set by libpulse's loop thread when the server has data for us (record) or asks for more (playback)
        self._woken = threading.Event()
        self._read_cb = READ_CB(lambda _s, _n, _u: self._woken.set())  # the same signature serves writes
        # playback: the server ran out of our audio and played a gap (what the CSR hears as a click or drop-out)
        self._underflow_cb = NOTIFY_CB(lambda _s, _u: on_underflow()) if on_underflow is not None else None
        spec = SampleSpec(PA_SAMPLE_S16LE, rate, 1)
        self.stream = ctx.call(self.pa.pa_stream_new, ctx.context, b"record" if record else b"playback",
                               ctypes.byref(spec), None)
        if not self.stream:
            raise OSError("PulseAudio: stream creation failed")
        # Reads: one block per read (fragsize), as soundcard. Playback: PLAYBACK_BLOCKS on the server (tlength), no
        # minreq/prebuf floor; soundcard's one block ran dry whenever the writer was ~20 ms late (counted since
        # the underflow callback below).
        attr = BufferAttr(NO_LIMIT, self.block_bytes * (1 if record else PLAYBACK_BLOCKS), NO_LIMIT, NO_LIMIT,
                          self.block_bytes)
        dev = device.encode() if device else None
        self.record = record
        with ctx.locked():
            if record:
                rc = self.pa.pa_stream_connect_record(self.stream, dev, ctypes.byref(attr), PA_STREAM_ADJUST_LATENCY)
                self.pa.pa_stream_set_read_callback(self.stream, self._read_cb, None)
            else:
                rc = self.pa.pa_stream_connect_playback(self.stream, dev, ctypes.byref(attr),
                                                        PA_STREAM_ADJUST_LATENCY, None, None)
                self.pa.pa_stream_set_write_callback(self.stream, self._read_cb, None)
                if self._underflow_cb is not None:
                    self.pa.pa_stream_set_underflow_callback(self.stream, self._underflow_cb, None)
        if rc < 0:
            self._release()
            raise OSError(f"PulseAudio: no such device {device!r}")
        while (state := self._state()) not in (PA_STREAM_READY, PA_STREAM_FAILED):
            time.sleep(0.01)
        if state == PA_STREAM_FAILED:
            self._release()
            raise OSError(f"PulseAudio: stream on {device!r} failed")
        self._pending = b""

    def _state(self) -> int:
        return int(self.ctx.call(self.pa.pa_stream_get_state, self.stream))

    def write(self, data: bytes) -> None:
        """Queue ``data`` for playout, waiting while the server's buffer is full (soundcard's ``play``).

        The wait is woken by the server's request for more (the write callback), not polled: soundcard polls
        every millisecond, two locked libpulse calls a time, and each return from ctypes waits for the GIL."""
        while data:
            self._woken.clear()  # before asking: a request that comes after the answer below still wakes us
            room = int(self.ctx.call(self.pa.pa_stream_writable_size, self.stream)) & ~1
            if room == 0:
                if not self._woken.wait(timeout=0.1) and self._state() == PA_STREAM_FAILED:
                    raise OSError("PulseAudio: playback stream failed")
                continue
            chunk, data = data[:room], data[room:]
            if self.ctx.call(self.pa.pa_stream_write, self.stream, chunk, len(chunk), None, 0, PA_SEEK_RELATIVE) < 0:
                raise OSError("PulseAudio: playback stream failed")  # a dead stream: (size_t)-1 "room", no wait

    def _chunk(self) -> bytes:
        """One chunk as the server delivers it (soundcard's ``_record_chunk``)."""
        while True:
            if self.ctx.call(self.pa.pa_stream_readable_size, self.stream):
                ptr, size = ctypes.c_void_p(), ctypes.c_size_t()
                with self.ctx.locked():
                    self.pa.pa_stream_peek(self.stream, ctypes.byref(ptr), ctypes.byref(size))
                    if size.value == 0:
                        continue
                    data = ctypes.string_at(ptr, size.value) if ptr.value else bytes(size.value)  # NULL: a hole
                    self.pa.pa_stream_drop(self.stream)
                return data
            if not self._woken.wait(timeout=1) and self._state() == PA_STREAM_FAILED:
                raise OSError("PulseAudio: record stream failed")
            self._woken.clear()

    def read(self) -> bytes:
        """Exactly one block, keeping the rest of the server's chunk for the next call."""
        while len(self._pending) < self.block_bytes:
            self._pending += self._chunk()
        out, self._pending = self._pending[: self.block_bytes], self._pending[self.block_bytes :]
        return out

    def close(self) -> None:
        if not self.record:  # as soundcard: ask for a drain, then disconnect without waiting for it
            op = self.ctx.call(self.pa.pa_stream_drain, self.stream, None, None)
            if op:
                self.ctx.call(self.pa.pa_operation_unref, op)
        self.ctx.call(self.pa.pa_stream_disconnect, self.stream)
        while self._state() not in (PA_STREAM_TERMINATED, PA_STREAM_FAILED):
            time.sleep(0.01)
        self._release()

    def _release(self) -> None:
        if self.stream:
            self.ctx.call(self.pa.pa_stream_unref, self.stream)
            self.stream = None
