"""The desk's side of the engine: start and supervise the engine process and speak the wire over asyncio.

``EngineClient`` implements ``cti.softphone.Softphone``. It publishes the engine's events on the
EventBus as typed ``cti.events``; when the engine process dies it publishes ``EngineDidCrash`` (the link
drops at once, so within milliseconds), ends the calls it knew, starts a new engine, registers it again
with the last account and publishes ``EngineDidRestart``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import shutil
import socket
import sys
import tempfile
import time
from collections import deque
from collections.abc import Mapping
from typing import Any

from cti import events as ev
from cti.bus import EventBus
from cti.engine import wire
from cti.engine.backends import DEFAULT_BACKEND
from cti.engine.translate import to_event
from cti.softphone import SipAccount, SoftphoneError

log = logging.getLogger(__name__)
CONNECT_TIMEOUT = 15.0


class EngineClient:
    """Run ``python -m cti.engine`` and drive it; every method raises SoftphoneError on failure."""

    def __init__(self, bus: EventBus, *, bind: str = "127.0.0.1", backend: str = DEFAULT_BACKEND,
                 headset_out: str | None = None, headset_in: str | None = None, ringer_out: str | None = None,
                 command_timeout: float = 20.0, restart: bool = True, python: str = sys.executable,
                 registrar_probe: float = 30.0, transport: str | None = None) -> None:
        """``transport``: "unix" (a socket in a 0700 directory) or "tcp" (127.0.0.1, the token is the only
        check); by default "unix" where the OS has Unix sockets, else "tcp" (Windows)."""
        self.bus = bus
        self.transport = transport or ("unix" if hasattr(socket, "AF_UNIX") else "tcp")
        self.link_port: int | None = None  # the engine's loopback port, on the tcp transport
        if self.transport not in ("unix", "tcp"):
            raise ValueError(f"unknown engine link transport {self.transport!r}")
        self.registrar_probe = registrar_probe  # seconds between REGISTER probes that notice a PBX restart
        self.command_timeout = command_timeout
        self.restart = restart
        self._argv = [python, "-m", "cti.engine", "--bind", bind, "--backend", backend]
        for flag, value in (("--headset-out", headset_out), ("--headset-in", headset_in),
                            ("--ringer-out", ringer_out)):
            if value:
                self._argv += [flag, value]
        self._proc: asyncio.subprocess.Process | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._reader_task: asyncio.Task[None] | None = None
        self._stderr_task: asyncio.Task[None] | None = None
        self._pending: dict[int, asyncio.Future[Any]] = {}
        self._next_id = 1
        self._dir: str | None = None
        self._account: SipAccount | None = None
        self._calls: set[str] = set()
        self._stopping = False
        self._restarting: asyncio.Task[None] | None = None
        self.stderr_tail: deque[str] = deque(maxlen=200)
        self.exit_code: int | None = None
        self.restarts = 0
        self.offer_latency: deque[float] = deque(maxlen=10000)  # seconds, for the benchmark

    # --- process lifecycle -----------------------------------------------------------------------------

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    async def start(self) -> None:
        """Start the engine process and authenticate the link."""
        self._stopping = False
        token = secrets.token_hex(32)
        if self.transport == "unix":
            self._dir = tempfile.mkdtemp(prefix="csdesk-engine-")  # 0700: only this user reaches the socket
            path = os.path.join(self._dir, "engine.sock")
            where = ["--socket", path]
        else:
            where = ["--tcp"]
        self._proc = await asyncio.create_subprocess_exec(
            *self._argv, *where, stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE if self.transport == "tcp" else asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE)
        assert self._proc.stdin is not None
        self._proc.stdin.write(token.encode() + b"\n")  # the token never appears in argv or the environment
        await self._proc.stdin.drain()
        self._proc.stdin.close()
        self._stderr_task = asyncio.create_task(self._drain_stderr(self._proc))
        if self.transport == "unix":
            reader, writer = await self._connect(path)
        else:
            reader, writer = await self._connect_tcp(self._proc)
        try:
            writer.write(wire.encode("hello", token=token))
            await writer.drain()
            first = await asyncio.wait_for(self._read(reader), CONNECT_TIMEOUT)
        except (OSError, asyncio.IncompleteReadError) as exc:  # it died after listening: say so, with its last words
            raise SoftphoneError(await self._died_at_start(exc)) from None
        if first.t != "ok" or first.body.get("id") != 0:
            raise SoftphoneError("the engine refused the desk link")
        self._writer = writer
        self._reader_task = asyncio.create_task(self._read_loop(reader, self._proc))

    async def _died_at_start(self, exc: BaseException) -> str:
        """Describe an engine that closed the link during the handshake (its exit code and last stderr line)."""
        proc = self._proc
        code = None
        if proc is not None:
            with contextlib.suppress(TimeoutError):
                code = await asyncio.wait_for(proc.wait(), 2)
        if self._stderr_task is not None:
            with contextlib.suppress(TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(asyncio.shield(self._stderr_task), 1)
        last = next((line for line in reversed(self.stderr_tail) if line.strip()), "")
        why = f"the SIP engine stopped at start (code {code})" if code is not None else \
            f"the SIP engine closed its link at start ({type(exc).__name__})"
        return f"{why}: {last[:200]}" if last else why

    async def _connect(self, path: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + CONNECT_TIMEOUT
        while True:
            assert self._proc is not None
            if self._proc.returncode is not None:
                raise SoftphoneError(f"the engine exited at start (code {self._proc.returncode})")
            try:
                return await asyncio.open_unix_connection(path)
            except (FileNotFoundError, ConnectionRefusedError):
                if loop.time() > deadline:
                    raise SoftphoneError("the engine did not start in time") from None
                await asyncio.sleep(0.02)

    async def _connect_tcp(self, proc: asyncio.subprocess.Process) -> tuple[asyncio.StreamReader,
                                                                          asyncio.StreamWriter]:
        """Read the port the engine chose ("port N" on its stdout), then connect to it on 127.0.0.1."""
        assert proc.stdout is not None
        try:
            line = await asyncio.wait_for(proc.stdout.readline(), CONNECT_TIMEOUT)
        except TimeoutError:
            raise SoftphoneError("the engine did not start in time") from None
        word, _, port = line.decode(errors="replace").strip().partition(" ")
        if word != "port" or not port.isdigit():
            raise SoftphoneError(f"the engine exited at start (code {proc.returncode})" if not line
                                 else "the engine did not say where it listens")
        self.link_port = int(port)
        try:
            return await asyncio.open_connection("127.0.0.1", self.link_port)
        except OSError as exc:
            raise SoftphoneError(f"the engine link did not connect: {exc}") from None

    async def stop(self) -> int | None:
        """Shut the engine down in order and return its exit code."""
        self._stopping = True
        if self._restarting is not None:
            self._restarting.cancel()
        proc = self._proc
        if proc is None:
            return self.exit_code
        if proc.returncode is None:
            with contextlib.suppress(SoftphoneError, ConnectionError):
                await self.request("shutdown", within=5)
            try:
                await asyncio.wait_for(proc.wait(), 15)
            except TimeoutError:
                log.warning("engine did not stop; killing it")
                proc.kill()
                await proc.wait()
        if self._reader_task is not None:
            await asyncio.gather(self._reader_task, return_exceptions=True)
        if self._stderr_task is not None:
            await asyncio.gather(self._stderr_task, return_exceptions=True)
        self.exit_code = proc.returncode
        self._cleanup_dir()
        return self.exit_code

    def crash_dump(self) -> str:
        """The engine's fatal-error report from its stderr (faulthandler: the signal and each thread's stack of
        file, line and function names; no call data), or "" when it left none."""
        lines = list(self.stderr_tail)
        start = next((i for i, line in enumerate(lines) if line.startswith("Fatal Python error")), None)
        return "" if start is None else "\n".join(lines[start:])

    def _cleanup_dir(self) -> None:
        if self._dir:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None

    async def _drain_stderr(self, proc: asyncio.subprocess.Process) -> None:
        assert proc.stderr is not None
        async for line in proc.stderr:
            text = line.decode(errors="replace").rstrip()
            self.stderr_tail.append(text)
            log.debug("engine stderr: %s", text)

    @staticmethod
    async def _read(reader: asyncio.StreamReader) -> wire.Message:
        n = wire.frame_length(await reader.readexactly(4))
        return wire.decode(await reader.readexactly(n))

    async def _read_loop(self, reader: asyncio.StreamReader, proc: asyncio.subprocess.Process) -> None:
        try:
            while True:
                self._dispatch(await self._read(reader))
        except (asyncio.IncompleteReadError, ConnectionError, wire.WireError):
            pass
        self._writer = None
        for fut in self._pending.values():
            if not fut.done():
                fut.set_exception(SoftphoneError("the engine stopped"))
        self._pending.clear()
        if self._stopping:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(proc.wait(), 0.5)
        self.exit_code = proc.returncode
        log.warning("engine died (exit code %s)", proc.returncode)
        if proc.returncode is None:
            proc.kill()
        elif self._stderr_task is not None:  # its last words: a native crash's thread stacks (faulthandler)
            with contextlib.suppress(TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(asyncio.shield(self._stderr_task), 1)
            if dump := self.crash_dump():
                log.error("engine crash:\n%s", dump)
        for ref in sorted(self._calls):
            self.bus.publish(ev.CallDidEnd(call_ref=ref, cause="engine crashed"))
        self._calls.clear()
        self.bus.publish(ev.EngineDidCrash(exit_code=proc.returncode))
        if self.restart:
            self._restarting = asyncio.create_task(self._restart())

    async def _restart(self) -> None:
        self._cleanup_dir()
        delay = 0.2
        while not self._stopping:
            try:
                await self.start()
                if self._account is not None:
                    await self.register(self._account)
            except SoftphoneError as exc:
                log.warning("engine restart failed: %s", exc.reason)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
                continue
            self.restarts += 1
            self.bus.publish(ev.EngineDidRestart())
            return

    def _dispatch(self, msg: wire.Message) -> None:
        b = msg.body
        if msg.t in ("ok", "err"):
            fut = self._pending.pop(b["id"], None)
            if fut is None or fut.done():
                return
            if msg.t == "ok":
                fut.set_result(b.get("result"))
            else:
                fut.set_exception(SoftphoneError(b["reason"], sip_status=b["sip_status"]))
        elif msg.t == "evt":
            event = to_event(b["name"], b["data"])
            if event is None:
                return
            ref = b["data"].get("call_ref")
            if isinstance(event, ev.CallDidOffer) or (isinstance(event, ev.CallDidAnswer) and ref):
                self._calls.add(ref)
            elif isinstance(event, ev.CallDidEnd):
                self._calls.discard(ref)
            self.bus.publish(event)
            rx_at = b["data"].get("rx_at")
            if isinstance(event, ev.CallDidOffer) and isinstance(rx_at, float):
                self.offer_latency.append(time.monotonic() - rx_at)  # INVITE parsed -> published here

    async def request(self, op: str, *, within: float | None = None, **args: Any) -> Any:
        """Send one command and return its result, or raise SoftphoneError."""
        if self._writer is None:
            raise SoftphoneError("the engine is not running")
        cid = self._next_id
        self._next_id += 1
        fut: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[cid] = fut
        self._writer.write(wire.encode("cmd", id=cid, op=op, args=args))
        try:
            return await asyncio.wait_for(fut, within or self.command_timeout)
        except TimeoutError:
            raise SoftphoneError(f"{op}: the engine did not answer in time") from None
        finally:
            self._pending.pop(cid, None)

    # --- the Softphone protocol ----------------------------------------------------------------------------

    async def register(self, account: SipAccount) -> None:
        self._account = account
        await self.request("register", extension=account.extension, password=account.password,
                           registrars=list(account.registrars), transport=account.transport,
                           srtp_required=account.srtp_required, ca_file=account.ca_file,
                           auto_answer=account.auto_answer, probe_seconds=self.registrar_probe)

    async def unregister(self) -> None:
        await self.request("unregister")

    async def answer(self, call_ref: str) -> None:
        await self.request("answer", call_ref=call_ref)

    async def reject(self, call_ref: str) -> None:
        await self.request("reject", call_ref=call_ref)

    async def hangup(self, call_ref: str) -> None:
        await self.request("hangup", call_ref=call_ref)

    async def hold(self, call_ref: str) -> None:
        await self.request("hold", call_ref=call_ref)

    async def unhold(self, call_ref: str) -> None:
        await self.request("unhold", call_ref=call_ref)

    async def mute(self, call_ref: str, on: bool) -> None:
        await self.request("mute", call_ref=call_ref, on=on)

    async def dtmf(self, call_ref: str, digits: str) -> None:
        await self.send_dtmf(call_ref, digits)

    async def send_dtmf(self, call_ref: str, digits: str, method: str = "auto") -> str:
        """Send DTMF (``auto``: RFC 4733 if negotiated, else SIP INFO) and return the method used."""
        result = await self.request("dtmf", call_ref=call_ref, digits=digits, method=method)
        return str(result["method"])

    async def dial(self, target: str) -> str:
        result = await self.request("dial", target=target)
        ref = str(result["call_ref"])
        self._calls.add(ref)
        return ref

    async def service_call(self, target: str, headers: Mapping[str, str] | None = None, *,
                           answer_within: float = 10.0, caller: str | None = None) -> None:
        """Call the feature extension ``target`` with X-CSD-* ``headers`` as SIP user ``caller`` (same password;
        default: the registered extension); return when the PBX answered it (done), raise SoftphoneError with the
        PBX's SIP status otherwise. No call event is published and the headset and ringer are never used."""
        await self.request("service_call", target=target, headers=dict(headers or {}), timeout=answer_within,
                           caller=caller, within=answer_within + 5)

    async def blind_transfer(self, call_ref: str, target: str) -> None:
        await self.request("blind_transfer", call_ref=call_ref, target=target)

    async def attended_transfer(self, call_ref: str, consult_ref: str) -> None:
        await self.request("attended_transfer", call_ref=call_ref, consult_ref=consult_ref)

    # --- beyond the protocol -----------------------------------------------------------------------------------

    async def info(self) -> dict[str, Any]:
        """Return the engine's pid, SIP ports, audio backend and live calls."""
        return dict(await self.request("info"))

    async def devices(self) -> dict[str, Any]:
        """Return the OS audio devices and the ones selected per role."""
        return dict(await self.request("devices"))

    async def select_device(self, role: str, device: str | None) -> None:
        """Use ``device`` for ``role``: headset_out, headset_in or ringer_out."""
        await self.request("select_device", role=role, device=device)

    async def set_volume(self, *, output: float | None = None, input: float | None = None) -> None:
        """Set the headset's output and microphone gains (1.0 is unchanged)."""
        await self.request("volume", output=output, input=input)

    async def network_changed(self) -> None:
        """Tell the engine the network changed: it re-binds and registers again."""
        await self.request("network_changed")

    async def set_auto_answer(self, on: bool) -> None:
        await self.request("set_auto_answer", on=on)

    async def echo_test(self, target: str = "9196") -> dict[str, Any]:
        """Call the echo extension and return delay_ms, correlation and mos."""
        return dict(await self.request("echo_test", target=target, within=30))

    async def audio_stats(self, *, reset: bool = False) -> dict[str, Any]:
        return dict(await self.request("audio_stats", reset=reset))
