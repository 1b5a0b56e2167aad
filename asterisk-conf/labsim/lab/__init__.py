"""Launcher internals of ``asterisk-conf/lab``: stdlib only, because the launcher runs before the venv exists."""
