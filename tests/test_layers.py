"""The layer rule ui -> app -> cti holds: app and cti import and work with Qt made unimportable."""

from __future__ import annotations

import ast
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
QT = ("PySide6", "shiboken6", "qasync")


def _imports(path: pathlib.Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_no_qt_or_ui_import_below_ui() -> None:
    offenders = []
    for pkg, banned in (("cti", (*QT, "app", "ui")), ("app", (*QT, "ui"))):
        for path in (ROOT / pkg).rglob("*.py"):
            for name in _imports(path):
                if name.split(".")[0] in banned:
                    offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


def test_app_and_cti_import_with_qt_blocked() -> None:
    modules = sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for pkg in ("app", "cti")
        for p in (ROOT / pkg).rglob("*.py")
        if "migrations" not in p.parts and p.name != "__main__.py"  # importing __main__ runs the program
    )
    assert modules, "no modules found under app/ and cti/"
    code = (
        "import sys, importlib\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        f"        if name.split('.')[0] in {QT!r}: raise ImportError('Qt is blocked: ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "print('imported', len(sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
