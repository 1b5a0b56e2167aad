"""Fixtures for tests against the real Asterisk lab (asterisk-conf/lab up): lab info, AMI, pjsua2 phones."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from labsim.ami import AmiClient
from labsim.audio import speech_wav
from labsim.labinfo import LabInfo, LabNotUp, load
from labsim.phone import Phones

from tests.conftest import need


@pytest.fixture(scope="session")
def lab() -> LabInfo:
    """The running primary lab instance."""
    try:
        return load()
    except LabNotUp as exc:
        need(False, f"the Asterisk lab: {exc}")
        raise


@pytest.fixture
def ami(lab: LabInfo) -> Iterator[AmiClient]:
    """An AMI connection as the tests-only admin user."""
    with AmiClient.for_lab(lab, "admin") as client:
        yield client


@pytest.fixture(scope="session")
def phone_library(lab: LabInfo) -> Iterator[Phones]:
    """The process's single pjsua2 endpoint (pjlib cannot restart in one process), closed in order at the end."""
    ph = Phones(lab, log_level=0)
    gc.enable()  # Phones turned it off; the `phones` fixture turns it off per test
    try:
        yield ph
    finally:
        gc.disable()
        ph.close()


@pytest.fixture
def phones(phone_library: Phones) -> Iterator[Phones]:
    """The pjsua2 endpoint for one test: every call and line it made is hung up and removed afterwards.

    Automatic GC is off during the test (pjsua2 objects must be freed on the pjsua2 thread) and back on
    after it, once reset() has released every call and line, so the rest of the session runs normally.
    """
    gc.disable()
    try:
        yield phone_library
    finally:
        phone_library.reset()
        gc.enable()


@pytest.fixture(scope="session")
def speech(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A speech-like WAV for either side of a call to play."""
    return speech_wav(tmp_path_factory.mktemp("audio") / "speech.wav")
