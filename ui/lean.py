"""Keep the desk's resident memory down: things that cost memory for no use to the CSR.

PySide6's import hook (``shibokensupport.feature``) asks of every module imported after Qt whether its source
mentions "PySide6", to decide whether ``from __feature__ import ...`` applies to it. It asks through
``inspect.getsource``, which reads the file through ``linecache`` and keeps every line of every module in
``linecache.cache`` for the life of the process: measured here, ~590 files, 9 MB of text, 21 MB of Python
objects at the sign-in window. :func:`stop_source_caching` gives the hook the same answer from a plain read of
the file, so nothing is cached.
"""

from __future__ import annotations

import linecache
import sys
from types import ModuleType
from typing import Any


def _source_mentions_pyside(original: Any) -> Any:
    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return bool(original(module))  # builtins, extensions, zip imports: the hook's own answer
        try:
            with open(path, "rb") as f:
                return b"PySide6" in f.read()
        except OSError:
            return bool(original(module))

    uses_pyside.csdesk_lean = True  # type: ignore[attr-defined]
    return uses_pyside


def stop_source_caching() -> bool:
    """Make PySide6's import hook read sources without caching them; drop what it cached so far.

    Returns False when this PySide6 has no such hook (then there is nothing to do).
    """
    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or original is None:
        return False
    if not getattr(original, "csdesk_lean", False):
        feature._mod_uses_pyside = _source_mentions_pyside(original)  # type: ignore[attr-defined]
    linecache.clearcache()
    return True
