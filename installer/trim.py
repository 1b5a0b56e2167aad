"""Trim the bundle: drop the Qt parts the desk never loads, then the libraries only they needed.

The desk uses QtCore, QtGui and QtWidgets (QtCharts later). PyInstaller's Qt hooks still collect every
plugin of those modules: embedded-Linux platforms, the GTK3 theme (which drags in GTK, Pango, Cairo, ATK),
the virtual keyboard (which drags in Qt Quick and QML), the PDF image format (Qt Pdf), and Qt's own
translations. ``trim`` removes the entries that match ``DROP`` and afterwards every shared library that
only the removed entries linked to (a library that anything kept links to stays).

Entries are PyInstaller TOC tuples ``(dest_name, src_name, typecode)``; stdlib only, so the spec and a
unit test can both import it.
"""

from __future__ import annotations

import fnmatch
import posixpath
from collections.abc import Callable, Iterable
from pathlib import PurePosixPath

Entry = tuple[str, str, str]
Imports = Callable[[str], Iterable[str]]  # source path -> names of the libraries it links to

# Qt Python modules the desk does not use; excluded from the analysis (keep QtCharts for the lead's charts).
QT_KEEP = ("QtCore", "QtGui", "QtWidgets", "QtCharts", "QtDBus")
QT_MODULES = (
    "Qt3DAnimation", "Qt3DCore", "Qt3DExtras", "Qt3DInput", "Qt3DLogic", "Qt3DRender", "QtAxContainer",
    "QtBluetooth", "QtConcurrent", "QtDataVisualization", "QtDesigner", "QtGraphs", "QtGraphsWidgets", "QtHelp",
    "QtHttpServer", "QtLocation", "QtMultimedia", "QtMultimediaWidgets", "QtNetwork", "QtNetworkAuth", "QtNfc",
    "QtOpenGL", "QtOpenGLWidgets", "QtPdf", "QtPdfWidgets", "QtPositioning", "QtPrintSupport", "QtQml",
    "QtQuick", "QtQuick3D", "QtQuickControls2", "QtQuickTest", "QtQuickWidgets", "QtRemoteObjects", "QtScxml",
    "QtSensors", "QtSerialBus", "QtSerialPort", "QtSpatialAudio", "QtSql", "QtStateMachine", "QtSvg",
    "QtSvgWidgets", "QtTest", "QtTextToSpeech", "QtUiTools", "QtWebChannel", "QtWebEngineCore",
    "QtWebEngineQuick", "QtWebEngineWidgets", "QtWebSockets", "QtWebView", "QtXml",
)
# Build-time packages that reach the analysis only through code the desk never runs (cffi's
# ``_shimmed_dist_utils``, used when compiling a cffi module; ``concurrent.futures.process``; nothing here
# starts a process pool). Their presence alone costs every process of the bundle: PyInstaller then installs
# run-time hooks that import pkg_resources, setuptools and multiprocessing before the entry script, in the desk,
# the engine and the keyring broker alike (measured: the engine 61 MB resident at idle with them, against 35 MB
# from the source tree).
BUILD_ONLY = ["setuptools", "pkg_resources", "_distutils_hack", "distutils", "multiprocessing"]
EXCLUDES = [f"PySide6.{m}" for m in QT_MODULES if m not in QT_KEEP] + [
    "PyQt5", "PyQt6", "PySide2", "tkinter", "_tkinter", "pytest", "hypothesis", "IPython", "matplotlib",
    *BUILD_ONLY,
]

_PLUGINS = "PySide6/Qt/plugins"
# Destination-path patterns of entries the desk never loads.
DROP = (
    f"{_PLUGINS}/egldeviceintegrations/*",  # EGLFS: embedded devices without a window system
    f"{_PLUGINS}/generic/*",  # evdev/tuio input for embedded devices
    f"{_PLUGINS}/networkinformation/*",  # QtNetwork is not used
    f"{_PLUGINS}/tls/*",
    f"{_PLUGINS}/platforminputcontexts/libqtvirtualkeyboardplugin.so",  # pulls Qt Quick + QML
    f"{_PLUGINS}/platformthemes/libqgtk3.so",  # pulls GTK3, Pango, Cairo, ATK
    *(f"{_PLUGINS}/platforms/libq{p}.so" for p in ("eglfs", "linuxfb", "minimal", "minimalegl", "vnc",
                                                    "vkkhrdisplay")),
    *(f"{_PLUGINS}/imageformats/libq{f}.so" for f in ("pdf", "icns", "tga", "tiff", "wbmp", "webp")),
    "PySide6/Qt/translations/*",  # Qt's own catalogues; the desk loads only resources/i18n
)


def dropped(dest: str) -> bool:
    """Say whether ``dest`` matches one of the DROP patterns."""
    return any(fnmatch.fnmatchcase(dest, pat) for pat in DROP)


def _closure(roots: Iterable[Entry], by_name: dict[str, Entry], imports: Imports) -> set[str]:
    """Return the dest names reachable from ``roots`` by link-time dependencies inside the bundle."""
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        dest, src, _ = todo.pop()
        if dest in seen:
            continue
        seen.add(dest)
        for name in imports(src):
            dep = by_name.get(PurePosixPath(name).name)
            if dep is not None and dep[0] not in seen:
                todo.append(dep)
    return seen


def trim(binaries: list[Entry], datas: list[Entry], imports: Imports) -> tuple[list[Entry], list[Entry], list[str]]:
    """Return (binaries, datas, removed dest names) without the DROP entries and the libraries only they need."""
    libs = [e for e in binaries if e[2] in ("BINARY", "EXTENSION")]
    by_name: dict[str, Entry] = {}
    for e in libs:
        by_name.setdefault(PurePosixPath(e[0]).name, e)
    gone = [e for e in libs if dropped(e[0])]
    pulled = _closure(gone, by_name, imports)  # the dropped entries and everything they link to
    needed = _closure([e for e in libs if e[0] not in pulled], by_name, imports)
    orphans = pulled - needed
    removed = {e[0] for e in gone} | orphans
    removed |= {e[0] for e in datas if dropped(e[0])}
    # A symlink to a removed file goes with it (PyInstaller links top-level names into PySide6/Qt/lib;
    # it lists those links with the data).
    removed |= {e[0] for e in [*binaries, *datas] if e[2] == "SYMLINK"
                and posixpath.normpath(posixpath.join(posixpath.dirname(e[0]), e[1])) in removed}
    return ([e for e in binaries if e[0] not in removed], [e for e in datas if e[0] not in removed],
            sorted(removed))


def strip_runtime(binaries: list[Entry], *, runtime_prefix: str, work_dir: str,
                  run: Callable[[list[str]], int]) -> tuple[list[Entry], int]:
    """Return (binaries, bytes saved) with the Python runtime's own libraries replaced by stripped copies.

    Only files under ``runtime_prefix`` (libpython and lib-dynload, built from source with debug symbols)
    are stripped; wheels' libraries are left alone (auditwheel/patchelf-edited files can break when stripped).
    ``run`` executes a command and returns its exit code.
    """
    import os

    out: list[Entry] = []
    saved = 0
    prefix = os.path.realpath(runtime_prefix) + os.sep
    for dest, src, typecode in binaries:
        if typecode in ("BINARY", "EXTENSION") and os.path.realpath(src).startswith(prefix):
            target = os.path.join(work_dir, "stripped", dest)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            if run(["strip", "--strip-debug", "-o", target, src]) == 0:
                saved += os.path.getsize(src) - os.path.getsize(target)
                out.append((dest, target, typecode))
                continue
        out.append((dest, src, typecode))
    return out, saved
