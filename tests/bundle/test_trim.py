"""The bundle's trimming: what it drops, what it must keep, and that no Qt module the desk imports is excluded."""

from __future__ import annotations

import re
from pathlib import Path

from installer import trim

ROOT = Path(__file__).resolve().parents[2]
PLUGINS = "PySide6/Qt/plugins"

LINKS = {  # source path -> libraries it links to
    "/src/libqgtk3.so": ["libgtk-3.so.0", "libX11.so.6", "libQt6Gui.so.6"],
    "/src/libgtk-3.so.0": ["libpango-1.0.so.0", "libX11.so.6"],
    "/src/libqxcb.so": ["libX11.so.6", "libQt6XcbQpa.so.6"],
    "/src/libQt6XcbQpa.so.6": ["libQt6Gui.so.6"],
    "/src/QtGui.abi3.so": ["libQt6Gui.so.6"],
}


def imports(src: str) -> list[str]:
    return LINKS.get(src, [])


def lib(dest: str, typecode: str = "BINARY") -> trim.Entry:
    return (dest, "/src/" + Path(dest).name, typecode)


BINARIES = [
    lib(f"{PLUGINS}/platformthemes/libqgtk3.so"),
    lib(f"{PLUGINS}/platforms/libqxcb.so"),
    lib("libgtk-3.so.0"),
    lib("libpango-1.0.so.0"),
    lib("libX11.so.6"),
    lib("PySide6/Qt/lib/libQt6Gui.so.6"),
    lib("PySide6/Qt/lib/libQt6XcbQpa.so.6"),
    lib("PySide6/QtGui.abi3.so", "EXTENSION"),
    lib("libportaudio.so.2"),  # loaded with ctypes by sounddevice: linked by nothing, still needed
    ("libQt6Gui.so.6", "PySide6/Qt/lib/libQt6Gui.so.6", "SYMLINK"),
    ("PySide6/Qt/lib/libgtk-3.so", "../../../libgtk-3.so.0", "SYMLINK"),
]
DATAS = [
    ("PySide6/Qt/translations/qtbase_de.qm", "/src/qtbase_de.qm", "DATA"),
    ("libpango-1.0.so.0.link", "libpango-1.0.so.0", "SYMLINK"),
    ("libX11.so", "libX11.so.6", "SYMLINK"),
    ("resources/i18n/csdesk_zh_CN.qm", "/src/csdesk_zh_CN.qm", "DATA"),
]


def test_drops_unused_plugins_and_only_the_libraries_they_alone_need() -> None:
    binaries, datas, removed = trim.trim(BINARIES, DATAS, imports)
    kept = {e[0] for e in binaries}
    assert f"{PLUGINS}/platformthemes/libqgtk3.so" in removed
    assert {"libgtk-3.so.0", "libpango-1.0.so.0"} <= set(removed)  # only the GTK theme linked them
    assert "libX11.so.6" in kept  # the xcb platform links it too
    assert "PySide6/Qt/lib/libQt6Gui.so.6" in kept
    assert "libQt6Gui.so.6" in kept  # its symlink stays with it
    assert "PySide6/Qt/lib/libgtk-3.so" in removed  # a symlink goes with its target
    assert f"{PLUGINS}/platforms/libqxcb.so" in kept
    assert "libportaudio.so.2" in kept
    assert "libpango-1.0.so.0.link" in removed
    assert [d[0] for d in datas] == ["libX11.so", "resources/i18n/csdesk_zh_CN.qm"]


def test_keeps_the_platforms_a_desk_runs_on() -> None:
    for name in ("xcb", "wayland", "offscreen"):
        assert not trim.dropped(f"{PLUGINS}/platforms/libq{name}.so")
    for name in ("eglfs", "vnc", "linuxfb"):
        assert trim.dropped(f"{PLUGINS}/platforms/libq{name}.so")


def test_no_qt_module_the_desk_imports_is_excluded() -> None:
    used = set()
    for top in ("ui", "app", "cti"):
        for path in (ROOT / top).rglob("*.py"):
            used |= set(re.findall(r"PySide6\.(Qt\w+)", path.read_text(encoding="utf-8")))
    assert used, "found no Qt imports at all: the scan is broken"
    excluded = {name.split(".", 1)[1] for name in trim.EXCLUDES if name.startswith("PySide6.")}
    assert not used & excluded, f"the bundle would exclude Qt modules the desk imports: {used & excluded}"
