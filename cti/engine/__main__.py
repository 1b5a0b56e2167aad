"""Run the engine process (see cti.engine.process)."""

import sys

from cti.engine.process import main

sys.exit(main())
