"""``python -m sim.validation [--long] [-o PATH]``: regenerate docs/validation.md."""

import sys

from .report import main

sys.exit(main())
