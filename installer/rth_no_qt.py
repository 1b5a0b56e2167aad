"""PyInstaller run-time hook, run before every other: keep Qt out of the bundle's child processes.

The bundle is one program: the desk, and, started as ``csdesk -m cti.engine`` or ``csdesk -m
app.keyring_broker``, its SIP engine and its keyring broker (installer/entry.py). PyInstaller's own run-time
hook for PySide6 imports ``PySide6.QtCore`` in every one of them to register a qt.conf; in the engine that
is QtCore, ICU, GLib and shiboken mapped for nothing (measured: 9 MB resident of the engine's 47 MB at idle).
Neither child uses Qt (the engine is import-linted to never import it), so in them an import of PySide6 or
shiboken6 fails here, and PyInstaller's hook, which allows for a missing QtCore, skips its qt.conf.
"""

import sys

_CHILDREN = (["-m", "cti.engine"], ["-m", "app.keyring_broker"])  # installer/entry.py's ENGINE_ARGV, KEYRING_BROKER_ARGV


class _NoQt:
    """A meta-path finder that refuses the Qt bindings."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        if name.partition(".")[0] in ("PySide6", "shiboken6"):
            raise ModuleNotFoundError(f"{name}: Qt is not loaded in the csdesk {sys.argv[2]} process", name=name)
        return None


if sys.argv[1:3] in _CHILDREN:
    sys.meta_path.insert(0, _NoQt)
