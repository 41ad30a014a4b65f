"""The model against queueing theory: cases, exact values, checks and the report.

``main`` writes ``docs/validation.md`` (``python -m sim.validation``; the CLI's
``validate-model``); the tests in ``tests/validation`` run the same cases.
"""

from .report import main

__all__ = ["main"]
