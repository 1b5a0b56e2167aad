"""Serialise launcher commands that change state, so two `lab up` at once cannot start two Asterisks."""

from __future__ import annotations

import fcntl
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from .instance import state_base


@contextmanager
def exclusive() -> Iterator[None]:
    """Hold the lab-wide lock (a flock on <state base>/.lab.lock) for the duration of the block."""
    base = state_base()
    base.mkdir(parents=True, exist_ok=True)
    fd = os.open(base / ".lab.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print("lab: another lab command is running; waiting for it", file=sys.stderr, flush=True)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
