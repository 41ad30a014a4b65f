"""Run the explorer's comparison and gather what the page shows, from ``sim/report``.

The comparison is ``sim.compare`` on the compare file ``session.write_plan`` wrote, into a
results folder inside the session's folder (serially, in this process: ten paired
replications of one county take a second or two, less than starting worker processes). The
tables, findings and figures are the report's own functions; this module only picks them
and packs the results folder as a zip for download.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from ..experiment import Results, compare
from ..report import figures as F
from ..report.findings import findings
from ..report.geography import Geography, NoData, geography
from ..stats.catalogue import HEADLINE, label
from .session import EDITED, REFERENCE, REGION, PlanFiles

Progress = Callable[[int, int], None]


def run_comparison(
    compare_file: Path, out: Path, progress: Progress | None = None, jobs: int = 1
) -> Results:
    """Both variants' replications on common random numbers, saved as the results folder
    ``out`` (tables, resolved scenarios, region CSVs, manifest). Runs are not kept in a
    run store: for ten replications of a county, reading stored runs back is slower than
    running them again."""
    results = compare([compare_file], jobs=jobs, progress=progress)
    region = compare_file.parent / REGION
    results.save(out, regions=dict.fromkeys(results.variants, region))
    return results


def difference(results: Results, indicator: str = "response_h_mean") -> dict[str, float]:
    """Edited minus starting for one indicator: mean and 95% interval."""
    d = results.differences
    row = d[
        (d["variant"] == EDITED)
        & (d["scope"] == "all")
        & (d["group"] == "all")
        & (d["indicator"] == indicator)
    ]
    if row.empty:
        return {"mean": float("nan"), "low": float("nan"), "high": float("nan")}
    r = row.iloc[0]
    return {
        "mean": float(r["diff_mean"]),
        "low": float(r["diff_ci95_low"]),
        "high": float(r["diff_ci95_high"]),
    }


def headline_table(results: Results) -> pd.DataFrame:
    """The report's headline indicators: each variant's mean with its 95% interval and
    the paired difference, one row per indicator."""
    s = results.summary
    s = s[(s["scope"] == "all") & s["indicator"].isin(HEADLINE)]
    d = results.differences
    d = d[(d["scope"] == "all") & (d["variant"] == EDITED) & d["indicator"].isin(HEADLINE)]
    rows = []
    for ind in HEADLINE:
        mine = s[s["indicator"] == ind].set_index("variant")
        diff = d[d["indicator"] == ind]
        if mine.empty:
            continue
        row: dict[str, object] = {"indicator": label(ind)}
        for v in (REFERENCE, EDITED):
            if v in mine.index:
                m = mine.loc[v]
                row[v] = _estimate(m["mean"], m["ci95_low"], m["ci95_high"])
        if not diff.empty:
            r = diff.iloc[0]
            row["difference"] = _estimate(
                r["diff_mean"], r["diff_ci95_low"], r["diff_ci95_high"], signed=True
            )
        rows.append(row)
    return pd.DataFrame(rows)


def _number(x: float, signed: bool = False) -> str:
    """Three significant figures, thousands whole and grouped (2,417 not 2.42e+03)."""
    sign = "+" if signed else ""
    return f"{x:{sign},.0f}" if abs(x) >= 1000 else f"{x:{sign}.3g}"


def _estimate(mean: float, low: float, high: float, signed: bool = False) -> str:
    if pd.isna(mean):
        return "–"
    if pd.isna(low) or pd.isna(high):
        return _number(mean, signed)
    return f"{_number(mean, signed)} ({_number(low)} to {_number(high)})"


def findings_html(results: Results) -> str:
    return findings(results)


def _only(geo: Geography, counties: Sequence[str]) -> Geography:
    keep = list(counties)
    return Geography(
        world=geo.world,
        townships=geo.townships[geo.townships["county"].isin(keep)].reset_index(drop=True),
        posts=geo.posts[geo.posts["county"].isin(keep)].reset_index(drop=True),
        units=geo.units[geo.units["county"].isin(keep)].reset_index(drop=True),
    )


def figure_png(results: Results, out: Path, counties: Sequence[str], name: str) -> bytes | None:
    """One of the report's figures as PNG: ``paired_differences``, ``response_ecdf``, or
    ``township_map`` of the chosen counties (all if none); None if the results cannot
    have it."""
    try:
        if name == "paired_differences":
            return png(F.paired_differences(results))
        if name == "response_ecdf":
            return png(F.response_ecdf(results))
        geos = {v: geography(results, v, out) for v in results.variants}
        if counties:
            geos = {v: _only(g, counties) for v, g in geos.items()}
        return png(F.township_map(results, folder=out, geographies=geos))
    except NoData:
        return None


def png(fig: Figure, dpi: int = 100) -> bytes:
    """A figure as PNG bytes for the page (drawn once per run, not on every rerun)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def zipped(folder: Path) -> bytes:
    """The results folder as a zip (its run store left out: it only makes reruns fast)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(folder)
            if path.is_file() and not path.is_symlink() and rel.parts[0] != "runs":
                z.write(path, Path(folder.name) / rel)
    return buffer.getvalue()


def plan_zip(files: PlanFiles) -> bytes:
    """The compare file with the scenarios and region CSV it reads, as one zip."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for path in (files.compare, files.starting, files.edited, files.region):
            z.write(path, f"explorer/{path.name}")
    return buffer.getvalue()
