"""Figures, HTML reports and terminal tables from a results or staffing folder.

``write_report(folder)`` writes ``folder/report.html`` and ``folder/figures/``;
``write_staffing_report(folder)`` does the same for a staffing search's folder.
``figures`` has one function per figure for notebooks (each takes a ``sim.Results``,
or a ``sim.staffing.Staffing`` for the staffing figures, and returns a matplotlib
``Figure``); ``tables`` has the numbers behind them; ``terminal`` the command
line's tables. Names load on first use, so printing a table never imports
matplotlib.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

# name -> (module, attribute or None for the module itself)
_WHERE = {
    "NoData": (".geography", "NoData"),
    "figures": (".figures", None),
    "tables": (".tables", None),
    "terminal": (".terminal", None),
    "write_report": (".html", "write_report"),
    "write_staffing_report": (".staffing_html", "write_staffing_report"),
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attr = _WHERE[name]
    found = import_module(module, __name__)
    return found if attr is None else getattr(found, attr)
