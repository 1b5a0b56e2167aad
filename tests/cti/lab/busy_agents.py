"""Keep lab extensions busy on echo calls (a load generator for the event-filter measurement).

Usage: python busy_agents.py SECONDS EXT... ; prints "ready" once every call is connected, then holds the
calls for SECONDS and hangs up. pjsua2 runs here, in its own process, on this one thread."""

from __future__ import annotations

import sys

from labsim.labinfo import load
from labsim.phone import Phones


def main() -> int:
    seconds, exts = float(sys.argv[1]), sys.argv[2:]
    with Phones(load(), log_level=0) as phones:
        legs = [phones.line(ext).call("9196") for ext in exts]
        phones.wait(lambda: all(leg.connected for leg in legs), 30, "every echo call to connect")
        print("ready", flush=True)
        phones.pump(seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
