"""A calling phone for benchmarks, in its own process (pjsua2 must not share the desk's event loop).

  python -m bench.caller --from 1009 --to 1004 --calls 20 [--talk 1.0] [--gap 1.5]

Prints one line per call: ``call N connected|failed <SIP code>``; exits 0 when every call connected.
"""

from __future__ import annotations

import argparse
import sys

from labsim.labinfo import load
from labsim.phone import Phones


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--from", dest="src", default="1009")
    p.add_argument("--to", dest="dst", required=True)
    p.add_argument("--calls", type=int, default=20)
    p.add_argument("--talk", type=float, default=1.0)
    p.add_argument("--gap", type=float, default=1.5)
    p.add_argument("--ring-timeout", type=float, default=20.0)
    a = p.parse_args()
    ok = 0
    with Phones(load(), log_level=0) as phones:
        line = phones.line(a.src)
        phones.wait(lambda: line.registered, 10, "registration")
        for i in range(a.calls):
            leg = line.call(a.dst)
            try:
                phones.wait(lambda leg=leg: leg.connected or leg.ended, a.ring_timeout, "an answer")
            except Exception:  # no answer in time: counted as a failed call below
                leg.last_code = leg.last_code or 408
            if leg.connected:
                ok += 1
                print(f"call {i} connected", flush=True)
                phones.pump(a.talk)
                leg.hangup()
            else:
                print(f"call {i} failed {leg.last_code}", flush=True)
                if not leg.ended:
                    leg.hangup()
            phones.wait(lambda leg=leg: leg.ended, 10, "the hang-up")
            phones.pump(a.gap)
    return 0 if ok == a.calls else 1


if __name__ == "__main__":
    sys.exit(main())
