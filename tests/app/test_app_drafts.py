"""Local drafts survive the desk process being killed, and are offered back after restart."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from app.drafts import DraftStore

ROOT = Path(__file__).resolve().parents[2]

WRITER = """
import sys, time
from app.drafts import DraftStore
store = DraftStore(sys.argv[1])
store.save(agent_id="1001", form_kind="claim_auto", linkedid="L1", payload={"location": "北京", "typed": 0})
store.save(agent_id="1001", form_kind="wrap_up", linkedid="L1", payload={"notes": "first"})
i = 0
while True:  # the CSR keeps typing until the desk is killed
    i += 1
    store.save(agent_id="1001", form_kind="claim_auto", linkedid="L1", payload={"location": "北京", "typed": i})
    if i == 20:
        print("typed", flush=True)
    time.sleep(0.005)
"""


def test_drafts_survive_sigkill(tmp_path: Path) -> None:
    path = tmp_path / "drafts.db"
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "typed"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    store = DraftStore(path)  # the restarted desk
    drafts = {d.form_kind: d for d in store.list(agent_id="1001")}
    assert set(drafts) == {"claim_auto", "wrap_up"}
    assert drafts["claim_auto"].payload["location"] == "北京"
    assert drafts["claim_auto"].payload["typed"] >= 20
    assert drafts["wrap_up"].linkedid == "L1"
    assert store.discard(agent_id="1001", form_kind="wrap_up", linkedid="L1")
    assert [d.form_kind for d in store.list(agent_id="1001")] == ["claim_auto"]


def test_draft_keys_and_file_mode(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "sub" / "drafts.db")
    assert oct(os.stat(store.path).st_mode & 0o777) == "0o600"
    store.save(agent_id="1001", form_kind="transfer", linkedid=None, payload={"problem": "a"})
    store.save(agent_id="1001", form_kind="transfer", linkedid="L2", payload={"problem": "b"})
    store.save(agent_id="1002", form_kind="transfer", linkedid=None, payload={"problem": "c"})
    store.save(agent_id="1001", form_kind="transfer", linkedid=None, payload={"problem": "a2"})
    d = store.load(agent_id="1001", form_kind="transfer", linkedid=None)
    assert d is not None
    assert d.payload == {"problem": "a2"}
    assert d.linkedid is None
    assert len(store.list(agent_id="1001")) == 2
    assert store.load(agent_id="1001", form_kind="outbound", linkedid=None) is None
    assert not store.discard(agent_id="1001", form_kind="outbound", linkedid=None)
    with pytest.raises(ValueError, match="unknown form kind"):
        store.save(agent_id="1001", form_kind="letter", linkedid=None, payload={})
