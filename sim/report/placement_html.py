"""A placement folder's page: ``report.html`` for what ``enforcement-sim place`` wrote.

Built from the folder's files (``placement.json``, ``placement.csv``, ``moves.csv``,
``placement_map.png``), not from the search's objects, so ``enforcement-sim report
FOLDER`` rebuilds it without simulating. The page opens on the answer in words (where
the officers should sit, and whether that is better than the generated layout and
today's beyond the paired interval), then the moves the search tried and the map.
"""

from __future__ import annotations

import base64
import json
from html import escape
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import ScenarioError
from ..experiment.folder import write_file
from .page import num, page, table, td

FILES = ("placement.json", "placement.csv", "moves.csv")


def is_placement_folder(folder: str | Path) -> bool:
    return all((Path(folder) / name).is_file() for name in FILES)


def write_placement_report(folder: str | Path) -> Path:
    """Write ``folder/report.html`` from the folder's placement files; return its path."""
    folder = Path(folder)
    try:
        answer = json.loads((folder / "placement.json").read_text("utf-8"))
        layouts = pd.read_csv(folder / "placement.csv")
        moves = pd.read_csv(folder / "moves.csv")
    except (OSError, ValueError) as err:
        raise ScenarioError(f"{folder}: not a readable placement folder ({err})") from err
    path = folder / "report.html"
    write_file(path, placement_html(answer, layouts, moves, folder / "placement_map.png"))
    return path


def comparison(name: str, value: float | None, p: dict[str, float] | None) -> str:
    """Chosen against one reference layout (``name``: "the generated layout") in words,
    with the paired interval."""
    if value is None or p is None:
        return f"There is no {name.removeprefix('the ')} to compare with."
    d, lo, hi = p["diff"], p["ci95_low"], p["ci95_high"]
    if hi < 0:
        verdict = "better than"
    elif lo > 0:
        verdict = "worse than"
    else:
        verdict = "not distinguishable from"
    return (
        f"The chosen layout is {verdict} {name} ({num(value, 3)}): a paired difference of "
        f"{d:+.3g} with 95% interval [{lo:+.3g}, {hi:+.3g}] (negative is better)."
    )


def bases_in_words(layouts: pd.DataFrame, which: str = "chosen") -> str:
    """``unit: officers at township, ...`` for one layout; a unit posted nowhere in its
    townships sits at the county bureau."""
    parts = []
    for unit, rows in layouts[layouts["layout"] == which].groupby("unit", sort=False):
        posted = rows[rows["officers_here"] > 0]
        if posted.empty:
            parts.append(f"{unit}: {int(rows['unit_officers'].iloc[0])} at the county bureau")
        parts += [f"{unit}: {int(r.officers_here)} at {r.township}" for r in posted.itertuples()]
    return "; ".join(parts) if parts else "no officers posted"


def _lead(a: dict[str, Any], layouts: pd.DataFrame) -> str:
    taken = a.get("moves_taken", 0)
    answer = (
        f"With {a['officers']} officers in {a['county']} ({a['model']}), post them as "
        f"follows — {bases_in_words(layouts)} — for {a['target']} of "
        f"{num(a['value_chosen'], 3)}, after {taken} move(s) from the generated layout."
    )
    words = [
        comparison("the generated layout", a["value_generated"], a["chosen_minus_generated"]),
        comparison("today's layout", a.get("value_today"), a.get("chosen_minus_today")),
    ]
    meta = (
        f"{a['layouts_simulated']} layouts simulated on common random numbers, "
        f"{a['seconds']:.1f} s."
    )
    return (
        f"<p><b>{escape(answer)}</b></p>"
        + "".join(f"<p>{escape(w)}</p>" for w in words)
        + f'<p class="meta">{escape(meta)}</p>'
    )


def _targets(a: dict[str, Any]) -> str:
    checks = a.get("targets") or []
    if not checks:
        return "<p>Only the statistic minimised was judged.</p>"
    rows = [
        f"<tr>{td(escape(str(c.get('target'))), False)}{td(num(c.get('value'), 3))}"
        f"{td('yes' if c.get('met') else 'no', False)}</tr>"
        for c in checks
    ]
    return table(["target", "value", "met"], rows, scroll=False)


def _moves(moves: pd.DataFrame) -> str:
    if moves.empty:
        return "<p>No move was simulated: the generated layout had no neighbour to try.</p>"
    rows = []
    for r in moves.itertuples():
        cls = ' class="sig"' if bool(r.accepted) else ""
        rows.append(
            f"<tr{cls}>{td(str(r.round))}{td(escape(str(r.move)), False)}"
            f"{td(num(r.screen_h, 3))}{td(num(r.diff, 3))}"
            f"{td(f'[{num(r.ci95_low, 3)}, {num(r.ci95_high, 3)}]')}"
            f"{td('yes' if bool(r.accepted) else 'no', False)}</tr>"
        )
    note = (
        "<p>Each move simulated against the layout of its round on the same random numbers: "
        "a move is taken only when its paired interval lies wholly below zero. "
        "<b>Screen</b>: the hypercube's estimate used to choose which moves to simulate.</p>"
    )
    head = ["round", "move", "screen (h)", "difference", "95% interval", "taken"]
    return note + table(head, rows)


def _layout_table(layouts: pd.DataFrame) -> str:
    """Per layout and unit: where its officers sit and the townships it covers."""
    rows = []
    for (which, unit), part in layouts.groupby(["layout", "unit"], sort=False):
        posted = part[part["officers_here"] > 0]
        where = ", ".join(f"{r.township} ({int(r.officers_here)})" for r in posted.itertuples())
        rows.append(
            f"<tr>{td(escape(str(which)), False)}{td(escape(str(unit)), False)}"
            f"{td(str(int(part['unit_officers'].iloc[0])))}"
            f"{td(escape(where or 'county bureau'), False)}"
            f"{td(escape(', '.join(map(str, part['township']))), False)}</tr>"
        )
    return table(["layout", "unit", "officers", "posted at", "townships covered"], rows)


def _map(png: Path) -> str:
    if not png.is_file():
        return '<p class="missing">No map: it was not drawn for this folder.</p>'
    data = base64.b64encode(png.read_bytes()).decode("ascii")
    return (
        f'<figure id="fig-placement_map"><img src="data:image/png;base64,{data}" '
        'alt="placement before and after"><figcaption><b>Generated and chosen layouts.</b> '
        'Bases and the townships each unit covers. <span class="ci">File: '
        "<code>placement_map.png</code>.</span></figcaption></figure>"
    )


def placement_html(
    answer: dict[str, Any], layouts: pd.DataFrame, moves: pd.DataFrame, png: Path
) -> str:
    title = f"Placement: {answer['county']}, {answer['officers']} officers"
    return page(
        title,
        title,
        _lead(answer, layouts),
        [
            ("targets", "Targets on the chosen layout", _targets(answer)),
            ("moves", "Moves", _moves(moves)),
            ("map", "Map", _map(png)),
            ("layouts", "Who sits where", _layout_table(layouts)),
        ],
    )
