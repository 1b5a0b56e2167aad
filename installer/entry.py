"""Start the frozen csdesk: the desk, or, when started as ``csdesk -m cti.engine ...``, its SIP engine, or,
as ``csdesk -m app.keyring_broker``, its keyring broker.

The desk starts its engine as ``[sys.executable, "-m", "cti.engine", ...]`` (cti/engine/client.py) and its
keyring broker as ``[sys.executable, "-m", "app.keyring_broker"]`` (app/secrets.py). In a bundle
``sys.executable`` is this program, so the same command lines reach them here, unchanged.
"""

from __future__ import annotations

import sys

ENGINE_ARGV = ["-m", "cti.engine"]
KEYRING_BROKER_ARGV = ["-m", "app.keyring_broker"]


def main() -> int:
    """Dispatch to the engine, the keyring broker or the desk; return the exit code."""
    if sys.argv[1:3] == ENGINE_ARGV:
        from cti.engine.process import run as engine_run

        engine_run(sys.argv[3:])  # never returns: the engine leaves without finalisation (cti.engine.process.run)
    if sys.argv[1:3] == KEYRING_BROKER_ARGV:
        from app.keyring_broker import main as broker_main

        return broker_main()
    from ui.main import main as desk_main

    return desk_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
