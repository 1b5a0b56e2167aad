"""Run the engine process (see cti.engine.process)."""

from cti.engine.process import run

run()
