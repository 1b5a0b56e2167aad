"""Run the engine process: ``python -m cti.engine --socket PATH`` (or ``--tcp`` where the OS has no Unix
sockets) with the launch token on stdin.

The process serves one desk. It exits 0 after a ``shutdown`` command, SIGTERM, or when the desk's
connection drops (a desk that is gone must not leave a registered softphone behind).
"""

from __future__ import annotations

import argparse
import faulthandler
import logging
import os
import signal
import sys
import traceback
from types import FrameType
from typing import NoReturn

from cti.engine.audio import AudioBridge
from cti.engine.backends import DEFAULT_BACKEND, GIL_SWITCH_INTERVAL, LateBackend
from cti.engine.core import Engine
from cti.engine.link import Link, Waker


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    # a fixed help width: argparse's formatter otherwise imports shutil (and bz2, lzma) for the terminal's width
    p = argparse.ArgumentParser(prog="csdesk-engine", description="csdesk SIP/media engine",
                                formatter_class=lambda prog: argparse.HelpFormatter(prog, width=100))
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--socket", help="Unix socket path inside a 0700 directory")
    where.add_argument("--tcp", action="store_true",
                       help="listen on 127.0.0.1 at a free port and print 'port N' on stdout (no Unix sockets)")
    p.add_argument("--bind", default="127.0.0.1", help="address for SIP and RTP")
    p.add_argument("--sip-port", type=int, default=0)
    p.add_argument("--backend", default=DEFAULT_BACKEND, choices=["pulse", "sounddevice", "soundcard"])
    p.add_argument("--headset-out")
    p.add_argument("--headset-in")
    p.add_argument("--ringer-out")
    p.add_argument("--log-level", default="WARNING")
    return p.parse_args(argv)


def raise_priority(niceness: int = -15) -> int:
    """Ask the OS to favour this process (audio deadlines); keep going without it. Return the niceness."""
    try:
        os.setpriority(os.PRIO_PROCESS, 0, niceness)
    except OSError:  # an unprivileged desk: needs CAP_SYS_NICE or an RLIMIT_NICE grant (see README)
        logging.getLogger(__name__).info("running at normal priority")
    except AttributeError:  # no setpriority (Windows): the OS default class
        return 0
    return os.getpriority(os.PRIO_PROCESS, 0)


def main(argv: list[str] | None = None) -> int:
    """Read the token, listen, serve the desk, shut down cleanly; return the exit code."""
    args = parse_args(argv)
    logging.basicConfig(level=args.log_level, stream=sys.stderr,
                        format="engine %(levelname)s %(name)s: %(message)s")
    token = sys.stdin.readline().strip()
    raise_priority()  # before any thread starts, so the audio and media threads inherit it
    sys.setswitchinterval(GIL_SWITCH_INTERVAL)  # an audio thread waiting for the GIL gets it within 1 ms
    if len(token) < 32:
        print("engine: no launch token on stdin", file=sys.stderr)
        return 2
    holder: list[Engine] = []

    def stop(*_: object) -> None:
        if holder:
            holder[0].stopping = True

    link = Link(None if args.tcp else args.socket, token, on_lost=stop)
    if link.port is not None:  # the desk reads where to connect from our stdout
        print(f"port {link.port}", flush=True)
    bridge = AudioBridge(LateBackend(args.backend),  # no sound server yet: start anyway, headset unavailable
                         on_device_change=lambda role, state: link.send(
                             "evt", {"name": "audio_device_did_change", "data": {"role": role, "state": state}}))
    bridge.devices.update({"headset_out": args.headset_out, "headset_in": args.headset_in,
                           "ringer_out": args.ringer_out})
    link.on_connect = bridge.replay  # what the streams did before the desk connected reaches it
    engine = Engine(send=link.send, bridge=bridge, bind=args.bind, sip_port=args.sip_port)
    holder.append(engine)

    def on_signal(_sig: int, _frame: FrameType | None) -> None:
        stop()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    engine.start()
    waker = Waker(args.bind, engine.ports["udp"])
    link.wake = waker
    link.start()
    try:
        engine.run(link.commands)
    finally:
        link.wake = lambda: None
        engine.shutdown()
        link.close()
        waker.close()
    return 0


def run(argv: list[str] | None = None) -> NoReturn:
    """The process: ``main``, then leave without Python's finalisation.

    After ``libDestroy`` nothing of pjsua2 may be destroyed (an object its SWIG director still holds would call
    into the destroyed library from its destructor), and a native thread must not call into an interpreter that
    is being torn down. The engine has shut everything down in order by then; finalisation has nothing left to
    do but those hazards. A native crash prints every thread's Python stack on stderr (the desk logs it).
    """
    faulthandler.enable()
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse: --help, or bad arguments
        if exc.code is not None and not isinstance(exc.code, int):
            print(exc.code, file=sys.stderr)
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        traceback.print_exc()
        code = 1
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
