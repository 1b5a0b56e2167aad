"""A supervised AMI link over panoramisk's protocol: per-action timeouts, a heartbeat, failover, backoff.

panoramisk 1.4's ``Manager`` is not used: it re-sends stale actions after a reconnect, never times out a
future, never checks its Ping and leaves ``QueueAdd`` unresolved. This link reuses only its wire protocol
and message parser and owns the connection itself.

Detection bound: a dead or half-open link is noticed within ``2 * heartbeat_seconds`` (one interval
until the next Ping plus one Ping timeout); with the default 5 s that is at most 10 s.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from panoramisk import actions as pactions
from panoramisk.ami_protocol import AMIProtocol
from panoramisk.message import Message

from cti.ami.message import AmiMessage
from cti.errors import ActionFailed, ActionTimeout, LinkDown, LoginFailed

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PbxAddress:
    """One PBX's AMI endpoint; ``ca_file`` is used with ``tls``."""

    host: str
    port: int = 5038
    tls: bool = False
    ca_file: str | None = None

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"


class RedactingLog:
    """Stand in for panoramisk's protocol logger, which logs whole AMI messages and actions (caller numbers,
    the login secret, sometimes pre-formatted into the text): keep only the first words of each line."""

    def __init__(self, target: logging.Logger) -> None:
        self._target = target

    def _emit(self, level: int, msg: object, *_args: object, **_kwargs: object) -> None:
        words = str(msg).split()[:3] if isinstance(msg, str) else [type(msg).__name__]
        self._target.log(level, "panoramisk: %s …", " ".join(w for w in words if "%" not in w))

    def debug(self, msg: object, *args: object, **kwargs: object) -> None:
        self._emit(logging.DEBUG, msg)

    def info(self, msg: object, *args: object, **kwargs: object) -> None:
        self._emit(logging.INFO, msg)

    def warning(self, msg: object, *args: object, **kwargs: object) -> None:
        self._emit(logging.WARNING, msg)

    def error(self, msg: object, *args: object, **kwargs: object) -> None:
        self._emit(logging.ERROR, msg)

    def exception(self, msg: object, *args: object, **kwargs: object) -> None:
        self._emit(logging.ERROR, msg)


class _Action(pactions.Action):  # type: ignore[misc]
    """An action that resolves on its first reply, or for a list on its ``*Complete`` event or an error."""

    def add_message(self, message: Message) -> bool:
        self.responses.append(message)
        if self.future.done():
            return True
        first = self.responses[0]
        if not self.as_list or first.response in ("Error", "Fail", "Failure"):
            self.future.set_result(list(self.responses) if self.as_list else first)
            return True
        if str(message.event).endswith("Complete"):
            self.future.set_result(list(self.responses))
            return True
        return False


class _Factory:
    """What panoramisk's protocol expects of its owner, bound to one connection."""

    forgetable_actions: tuple[str, ...] = ()
    save_stream = None

    def __init__(self, link: AmiLink) -> None:
        self.link = link
        self.awaiting_actions: deque[Any] = deque()
        self.lost = asyncio.Event()
        self.reason = ""

    def dispatch(self, message: Message) -> None:
        self.link._dispatch(AmiMessage.from_panoramisk(message))

    def connection_lost(self, exc: object) -> None:
        if isinstance(exc, Message):
            self.reason = "the PBX is shutting down"
        elif not self.reason:
            self.reason = f"connection lost ({exc})" if exc else "connection closed by the PBX"
        self.lost.set()


class _Protocol(AMIProtocol):  # type: ignore[misc]
    def connection_lost(self, exc: Exception | None) -> None:
        if self.factory is None:
            self.closed = True
            return
        super().connection_lost(exc)


EventHandler = Callable[[AmiMessage], None]
UpHandler = Callable[[PbxAddress], None]
DownHandler = Callable[[PbxAddress, str], None]


class AmiLink:
    """Keep one logged-in AMI connection to the first reachable PBX of ``addresses``."""

    # Bytes read (and so events parsed) per loop turn. asyncio's default, 256 KiB, is ~800 events in one
    # callback under a lead desk's event storm: ~80 ms with the UI frozen. 8 KiB keeps a turn to a few ms.
    read_chunk = 8 * 1024

    def __init__(
        self,
        *,
        addresses: Sequence[PbxAddress],
        username: str,
        secret: str,
        on_event: EventHandler | None = None,
        on_up: UpHandler | None = None,
        on_down: DownHandler | None = None,
        action_timeout: float = 5.0,
        heartbeat_seconds: float = 5.0,
        connect_timeout: float = 3.0,
        backoff: Sequence[float] = (0.5, 1.0, 2.0, 4.0),
    ) -> None:
        if not addresses:
            raise ValueError("at least one PBX address is needed")
        self.addresses = tuple(addresses)
        self._username = username
        self._secret = secret
        self._on_event = on_event or (lambda _m: None)
        self._on_up = on_up or (lambda _a: None)
        self._on_down = on_down or (lambda _a, _r: None)
        self.action_timeout = action_timeout
        self.heartbeat_seconds = heartbeat_seconds
        self.connect_timeout = connect_timeout
        self.backoff = tuple(backoff)
        self.address: PbxAddress | None = None
        self.last_error = ""
        self._protocol: _Protocol | None = None
        self._factory: _Factory | None = None
        self._runner: asyncio.Task[None] | None = None
        self._up = asyncio.Event()
        self._stopping = False
        self.connects = 0
        self.events_received = 0  # events delivered to this user (after the PBX's server-side filter)

    # --- lifecycle ----------------------------------------------------------------------------------

    @property
    def up(self) -> bool:
        return self._up.is_set()

    def start(self) -> None:
        """Start connecting in the background (primary first, then the standbys)."""
        if self._runner is None or self._runner.done():
            self._stopping = False
            self._runner = asyncio.get_running_loop().create_task(self._run(), name="ami-link")

    async def wait_up(self, within: float) -> None:
        """Wait until logged in; raise LinkDown with the last error after ``within`` seconds."""
        try:
            await asyncio.wait_for(self._up.wait(), within)
        except TimeoutError:
            raise LinkDown(self.last_error or "no PBX answered") from None

    async def stop(self) -> None:
        """Log off and close; no reconnect."""
        self._stopping = True
        if self.up:
            with contextlib.suppress(Exception):
                await self.send({"Action": "Logoff"}, limit=1.0)
        self._abort("stopped by the desk")
        if self._runner is not None:
            self._runner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._runner
        self._runner = None

    def abort(self, reason: str) -> None:
        """Drop the current connection now (the link reconnects)."""
        self._abort(reason)

    # --- actions -----------------------------------------------------------------------------------------

    async def send(
        self, action: Mapping[str, Any], *, limit: float | None = None, as_list: bool = False
    ) -> AmiMessage | list[AmiMessage]:
        """Send one action; return its reply (or, with ``as_list``, the list ending in ``*Complete``).

        Raise LinkDown when not connected or the link drops meanwhile, ActionTimeout when the PBX is
        silent, and ActionFailed when it answers with an error."""
        proto = self._protocol
        if proto is None or not self.up:
            raise LinkDown(self.last_error)
        return await self._send_on(proto, action, limit=limit, as_list=as_list)

    async def _send_on(
        self, proto: _Protocol, action: Mapping[str, Any], *, limit: float | None, as_list: bool
    ) -> AmiMessage | list[AmiMessage]:
        name = str(action.get("Action", "?"))
        act = _Action(dict(action), as_list=as_list)
        fut = proto.send(act, as_list=as_list)
        limit = self.action_timeout if limit is None else limit
        factory = proto.factory
        lost = asyncio.ensure_future(factory.lost.wait()) if factory else None
        try:
            waiters: set[asyncio.Future[Any]] = {fut} | ({lost} if lost else set())
            done, _ = await asyncio.wait(waiters, timeout=limit, return_when=asyncio.FIRST_COMPLETED)
        finally:
            if lost is not None:
                lost.cancel()
        if fut not in done:
            proto.responses.pop(act.id, None)
            if not fut.done():
                fut.cancel()
            if lost is not None and factory is not None and factory.lost.is_set():
                raise LinkDown(factory.reason)
            raise ActionTimeout(name, limit)
        if fut.cancelled():
            raise LinkDown(factory.reason if factory is not None else "")
        result = fut.result()
        if as_list:
            msgs = [AmiMessage.from_panoramisk(m) for m in result]
            if msgs and msgs[0].response in ("Error", "Fail", "Failure"):
                raise ActionFailed(name, msgs[0].message)
            return msgs
        msg = AmiMessage.from_panoramisk(result)
        if not msg.ok:
            raise ActionFailed(name, msg.message)
        return msg

    # --- internals ------------------------------------------------------------------------------------------

    def _dispatch(self, msg: AmiMessage) -> None:
        self.events_received += 1
        try:
            self._on_event(msg)
        except Exception:
            log.exception("AMI event handler failed for %s", msg.event)

    def _abort(self, reason: str) -> None:
        f, p = self._factory, self._protocol
        if f is not None and not f.reason:
            f.reason = reason
        if p is not None and not p.closed:
            p.transport.abort()
        if f is not None:
            f.lost.set()

    async def _connect(self, addr: PbxAddress) -> _Factory:
        loop = asyncio.get_running_loop()
        ctx = ssl.create_default_context(cafile=addr.ca_file) if addr.tls else None
        factory = _Factory(self)
        _, proto = await asyncio.wait_for(
            loop.create_connection(_Protocol, addr.host, addr.port, ssl=ctx), self.connect_timeout
        )
        if hasattr(proto.transport, "max_size"):  # selector transports; TLS reads through its own buffer
            proto.transport.max_size = self.read_chunk
        proto.factory = factory
        proto.encoding = "utf8"
        proto.log = RedactingLog(log)
        self._protocol, self._factory = proto, factory
        try:
            login = {"Action": "Login", "Username": self._username, "Secret": self._secret, "Events": "on"}
            try:
                await self._send_on(proto, login, limit=self.connect_timeout, as_list=False)
            except ActionFailed as e:
                raise LoginFailed(str(addr), e.message) from None
        except BaseException:
            self._abort("login failed")
            self._protocol = self._factory = None
            raise
        return factory

    async def _heartbeat(self, proto: _Protocol) -> None:
        while True:
            await asyncio.sleep(self.heartbeat_seconds)
            try:
                await self._send_on(proto, {"Action": "Ping"}, limit=self.heartbeat_seconds, as_list=False)
            except ActionTimeout:
                self._abort(f"no heartbeat reply within {self.heartbeat_seconds:g} s")
                return
            except (LinkDown, ActionFailed):
                return

    async def _run(self) -> None:
        attempt = 0
        while not self._stopping:
            connected = False
            for addr in self.addresses:
                try:
                    factory = await self._connect(addr)
                except (OSError, TimeoutError, LoginFailed, LinkDown, ActionTimeout) as e:
                    self.last_error = str(e) or type(e).__name__
                    log.warning("AMI connect to %s failed: %s", addr, type(e).__name__)
                    continue
                connected = True
                since = asyncio.get_running_loop().time()
                self.address = addr
                self.connects += 1
                self._up.set()
                log.info("AMI link up at %s", addr)
                self._on_up(addr)
                proto = self._protocol
                assert proto is not None
                beat = asyncio.get_running_loop().create_task(self._heartbeat(proto))
                try:
                    await factory.lost.wait()
                finally:
                    beat.cancel()
                    self._up.clear()
                    self._abort("closing")
                    self._protocol = self._factory = None
                self.last_error = factory.reason
                log.warning("AMI link to %s down: %s", addr, factory.reason)
                self._fail_pending(factory)
                if not self._stopping:
                    self._on_down(addr, factory.reason)
                if asyncio.get_running_loop().time() - since > 30.0:
                    attempt = 0  # a link that lived a while earns a quick retry; a flapping one backs off
                await asyncio.sleep(self.backoff[min(attempt, len(self.backoff) - 1)] if attempt else 0.2)
                attempt += 1
                break
            if not connected and not self._stopping:
                await asyncio.sleep(self.backoff[min(attempt, len(self.backoff) - 1)])
                attempt += 1

    @staticmethod
    def _fail_pending(factory: _Factory) -> None:
        while factory.awaiting_actions:
            act = factory.awaiting_actions.popleft()
            if not act.future.done():
                act.future.cancel()
