"""``python -m sim`` is the ``enforcement-sim`` command."""

from .cli import main

raise SystemExit(main())
