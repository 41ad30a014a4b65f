"""Figures and a self-contained HTML report from a results folder.

``write_report(folder)`` writes ``folder/report.html`` and ``folder/figures/``;
``figures`` has one function per figure for notebooks (each takes a ``sim.Results``
and returns a matplotlib ``Figure``); ``tables`` has the numbers behind them.
"""

from . import figures, tables
from .geography import NoData
from .html import write_report

__all__ = ["NoData", "figures", "tables", "write_report"]
