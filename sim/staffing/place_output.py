"""What ``enforcement-sim place`` writes: the chosen layout as a ``units:`` snippet, a
table of who sits where, the search's moves and a summary, plus the terminal text.

Why apart from ``place``: the search returns a ``Placement``; files and words are the
reporting end of the one-way flow, and the search should not know about them."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ..experiment.folder import dump_yaml
from .place import Paired, Placement
from .place_moves import Layout


def placement_rows(layout: Layout, which: str) -> list[dict]:
    """One row per unit and township: where its officers sit and how many there."""
    rows = []
    for name, unit in layout.items():
        posts = unit.get("posts") or {}
        for town in unit["townships"]:
            rows.append({
                "layout": which, "unit": name, "model": unit["model"], "township": town,
                "base": bool(town in posts or unit.get("base_township") == town),
                "officers_here": int(posts.get(town, unit["officers"]
                                     if unit.get("base_township") == town else 0)),
                "unit_officers": int(unit["officers"]),
            })  # fmt: skip
    return rows


def _interval(p: Paired | None) -> dict | None:
    return None if p is None else {"diff": p.diff, "ci95_low": p.low, "ci95_high": p.high}


def write_placement(result: Placement, out: Path, figure: bool = True) -> list[Path]:
    """``layout.yaml`` (the chosen units), ``placement.csv`` (chosen, generated and today's
    layouts), ``moves.csv`` (every move simulated), ``placement.json`` (the answer) and,
    unless ``figure`` is off, ``placement_map.png`` (generated and chosen side by side)."""
    out.mkdir(parents=True, exist_ok=True)
    files = [out / n for n in ("layout.yaml", "placement.csv", "moves.csv", "placement.json")]
    files[0].write_text(dump_yaml({"units": result.chosen}), encoding="utf-8")
    rows = placement_rows(result.chosen, "chosen") + placement_rows(result.start, "generated")
    if result.today:
        rows += placement_rows(result.today, "today")
    pd.DataFrame(rows).to_csv(files[1], index=False)
    cols = ["round", "move", "screen_h", "diff", "ci95_low", "ci95_high", "accepted"]
    pd.DataFrame(result.steps, columns=cols).to_csv(files[2], index=False)
    summary = {
        "county": result.county, "model": result.model, "officers": result.officers,
        "target": result.target, "value_generated": result.value_start,
        "value_chosen": result.value_chosen, "value_today": result.value_today,
        "chosen_minus_generated": _interval(result.versus_generated),
        "chosen_minus_today": _interval(result.versus_today),
        "moves_taken": sum(s["accepted"] for s in result.steps),
        "layouts_simulated": result.simulated, "seconds": result.seconds,
        "targets": [] if result.checks is None else json.loads(
            result.checks.to_json(orient="records")),
    }  # fmt: skip
    files[3].write_text(json.dumps(summary, indent=2, ensure_ascii=False), encoding="utf-8")
    if figure and result.scenarios:
        from ..report.figures.placement import placement_map

        files.append(out / "placement_map.png")
        placement_map(result).savefig(files[-1], format="png", dpi=120)
    from ..report.placement_html import write_placement_report

    files.append(write_placement_report(out))
    return files


def placement_text(result: Placement) -> str:
    """The answer in a few lines for the terminal."""

    def line(name: str, value: float | None, p: Paired | None) -> str:
        if value is None or p is None:
            return f"  {name}: (none in the scenario)"
        return (f"  chosen - {name}: {p.diff:+.3f} [{p.low:+.3f}, {p.high:+.3f}] "
                f"({name} {value:.3f})")  # fmt: skip

    taken = [s["move"] for s in result.steps if s["accepted"]]
    out = [
        f"{result.county}, {result.officers} officers, {result.model}: minimising {result.target}",
        f"  chosen layout: {result.value_chosen:.3f} after {len(taken)} move(s) "
        f"({result.simulated} layouts simulated, {result.seconds:.1f} s)",
        line("generated", result.value_start, result.versus_generated),
        line("today", result.value_today, result.versus_today),
        *[f"  move: {m}" for m in taken],
    ]
    if result.checks is not None:
        for _, r in result.checks.iterrows():
            out.append(f"  {'met ' if r['met'] else 'FAIL'} {r['target']}: {r['value']:.3f}")
    return "\n".join(out)
