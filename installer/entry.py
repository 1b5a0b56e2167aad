"""Start the frozen csdesk: the desk, or, when started as ``csdesk -m cti.engine ...``, its SIP engine.

The desk starts its engine as ``[sys.executable, "-m", "cti.engine", ...]`` (cti/engine/client.py). In a
bundle ``sys.executable`` is this program, so the same command line reaches the engine here, unchanged.
"""

from __future__ import annotations

import sys

ENGINE_ARGV = ["-m", "cti.engine"]


def main() -> int:
    """Dispatch to the engine or the desk; return the exit code."""
    if sys.argv[1:3] == ENGINE_ARGV:
        from cti.engine.process import main as engine_main

        return engine_main(sys.argv[3:])
    from ui.main import main as desk_main

    return desk_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
