"""Figures and a self-contained HTML report from a results folder.

``write_report(folder)`` writes ``folder/report.html`` and ``folder/figures/``;
``figures`` has one function per figure for notebooks (each takes a ``sim.Results``
and returns a matplotlib ``Figure``); ``tables`` has the numbers behind them.
``write_staffing_report(folder)`` does the same for a staffing search's folder, with
its figures in ``staffing_figures`` (each takes a ``sim.staffing.Staffing``).
"""

from . import figures, staffing_figures, tables
from .geography import NoData
from .html import write_report
from .staffing_html import write_staffing_report

__all__ = [
    "NoData",
    "figures",
    "staffing_figures",
    "tables",
    "write_report",
    "write_staffing_report",
]
