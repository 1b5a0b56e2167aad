"""ui/lean.py: PySide6's import hook no longer keeps every imported module's source in memory."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, linecache, sys
sys.path[:0] = [sys.argv[1], sys.argv[2]]
import PySide6.QtWidgets
if sys.argv[3] == "lean":
    from ui.lean import stop_source_caching
    assert stop_source_caching()
import uses_qt, plain
import shibokensupport.feature as feature
print(json.dumps({
    "cached": sorted(k for k in linecache.cache if k.endswith(("uses_qt.py", "plain.py"))),
    "uses_qt": feature.pyside_feature_dict.get("uses_qt"),
    "plain": feature.pyside_feature_dict.get("plain"),
}))
"""


def probe(tmp_path: Path, mode: str) -> dict[str, object]:
    (tmp_path / "uses_qt.py").write_text("from PySide6.QtCore import QObject\nX = QObject\n")
    (tmp_path / "plain.py").write_text("X = 1\n")
    out = subprocess.run([sys.executable, "-c", PROBE, str(ROOT), str(tmp_path), mode], capture_output=True,
                         text=True, timeout=60, env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    return dict(json.loads(out.stdout))


def test_pyside_hook_caches_sources_without_the_fix(tmp_path: Path) -> None:
    """The control: this PySide6 does cache every imported module's lines (what the fix is for)."""
    seen = probe(tmp_path, "as-shipped")
    assert len(seen["cached"]) == 2  # type: ignore[arg-type]
    assert (seen["uses_qt"], seen["plain"]) == (0, -1)  # the answers the lean hook must give too


def test_hook_gives_the_same_answers_and_caches_nothing(tmp_path: Path) -> None:
    seen = probe(tmp_path, "lean")
    assert seen["cached"] == []
    assert seen["uses_qt"] == 0  # a module that uses PySide: "no feature" (switchable)
    assert seen["plain"] == -1  # any other module: ignored by feature switching
