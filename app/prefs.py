"""Per-user preferences, kept apart from the centre's configuration: agent ID, language, hotkeys, devices.

Never a secret: passwords live only in the OS keyring (app/secrets.py).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

LANGUAGES = ("zh_CN", "en")


def default_path() -> Path:
    if os.environ.get("CSDESK_PREFS"):
        return Path(os.environ["CSDESK_PREFS"])
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "csdesk" / "prefs.json"


@dataclass
class Prefs:
    agent_id: str = ""
    language: str = "zh_CN"
    hotkeys: dict[str, str] = field(default_factory=dict)
    headset_in: str | None = None
    headset_out: str | None = None
    ringer_out: str | None = None

    @classmethod
    def load(cls, path: Path | None = None) -> Prefs:
        """Read preferences; a missing or damaged file gives the defaults (preferences are not precious)."""
        p = path or default_path()
        try:
            raw = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(raw, dict):
            return cls()
        known = {k: v for k, v in raw.items() if k in cls.__dataclass_fields__}
        prefs = cls(**known)
        if prefs.language not in LANGUAGES:
            prefs.language = "zh_CN"
        if not isinstance(prefs.hotkeys, dict):
            prefs.hotkeys = {}
        return prefs

    def save(self, path: Path | None = None) -> None:
        """Write atomically (temp file + rename), readable by the user only."""
        p = path or default_path()
        p.parent.mkdir(parents=True, exist_ok=True)
        tmp = p.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(asdict(self), f, ensure_ascii=False, indent=1)
        os.replace(tmp, p)
