"""Workload quantities: what a head count asks of the officers, per county and replication.

A response target alone is met by a handful of officers who answer majors at night and
let everything else slide: the planned inspections go undone, the overtime piles up, the
townships' routine work (diverted work) falls on fewer shoulders. These quantities make
those limits targets of their own (``mean(overtime_h_per_officer_year) <= 432``). Each is
one number per county and replication, read from the run's records, so the staffing
search judges it on the same runs as the response targets.

``better`` says which way a quantity moves as officers are added: ``lower`` quantities
(utilisation, overtime, diverted hours per officer) fall, so their targets are upper
limits (``<=``); ``higher`` ones (inspections done, share of township demand absorbed)
rise, so their targets are lower limits (``>=``), judged at the *lower* end of the
interval. Township demand (``enforcement.township_demand``) is in hours and does not
shrink with the head count, so fewer officers each absorb more of it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

HOURS_PER_YEAR = 24 * 365

Records = dict[str, pd.DataFrame]  # concatenated over replications: officers, inspections, grid


@dataclass(frozen=True)
class Workload:
    """One workload quantity: its label, unit, direction and how to read it."""

    name: str
    label: str
    unit: str
    better: str  # "lower" (an upper limit) or "higher" (a lower limit)
    compute: Callable[[Records, float], pd.DataFrame]  # (records, window years) -> rows


def _officers(rec: Records) -> pd.DataFrame:
    off = rec["officers"]
    return off.assign(county=off["county"].astype(str))


def _per_officer_year(column: str) -> Callable[[Records, float], pd.DataFrame]:
    def compute(rec: Records, years: float) -> pd.DataFrame:
        off = _officers(rec)
        out = off.groupby(["county", "replication"], observed=True)[column].mean() / years
        return out.rename("value").reset_index()

    return compute


def _utilisation(rec: Records, years: float) -> pd.DataFrame:
    off = _officers(rec)
    out = off.groupby(["county", "replication"], observed=True)["utilisation"].mean()
    return out.rename("value").reset_index()


def _county_of(rec: Records, ins: pd.DataFrame) -> pd.Series:
    """Each inspection's county: by its township (the grid table), else by its unit."""
    grid = rec.get("grid")
    if grid is not None and len(grid):
        towns = dict(zip(grid["township"].astype(str), grid["county"].astype(str), strict=False))
        return ins["township"].astype(str).map(towns)
    off = rec["officers"]
    units = dict(zip(off["unit"].astype(str), off["county"].astype(str), strict=False))
    return ins["unit"].astype(str).map(units)


def _inspections_done(rec: Records, years: float) -> pd.DataFrame:
    ins = rec["inspections"]
    ins = ins[~ins["in_warmup"].to_numpy(dtype=bool)]
    county = _county_of(rec, ins)
    out = ins.assign(county=county).groupby(["county", "replication"])["done"].mean()
    return out.astype(float).rename("value").reset_index()


def _demand_absorbed(rec: Records, years: float) -> pd.DataFrame:
    """Share of the townships' diverted work that officers absorbed; with no township
    demand (the share model) every hour of diverted work is the officers' own: 1."""
    off = _officers(rec)
    absorbed = off.groupby(["county", "replication"], observed=True)["diverted_hours"].sum()
    grid = rec.get("grid")
    if grid is None or "diverted_hours_left" not in grid:
        return absorbed.rename("value").clip(1, 1).reset_index()
    grid = grid.assign(county=grid["county"].astype(str))
    left = grid.groupby(["county", "replication"], observed=True)["diverted_hours_left"].sum()
    both = pd.concat([absorbed.rename("absorbed"), left.rename("left")], axis=1).fillna(0.0)
    total = both["absorbed"] + both["left"]
    share = np.where(total > 0, both["absorbed"] / total.where(total > 0, 1.0), 1.0)
    return pd.Series(share, index=both.index, name="value").reset_index()


WORKLOADS: dict[str, Workload] = {
    w.name: w
    for w in (
        Workload("inspections_done_share", "planned inspections done", "share", "higher",
                 _inspections_done),
        Workload("overtime_h_per_officer_year", "overtime per officer-year", "h", "lower",
                 _per_officer_year("overtime_hours")),
        Workload("utilisation", "officer utilisation", "share", "lower", _utilisation),
        Workload("diverted_h_per_officer_year", "diverted work per officer-year", "h", "lower",
                 _per_officer_year("diverted_hours")),
        Workload("diverted_absorbed_share", "township demand absorbed by officers", "share",
                 "higher", _demand_absorbed),
    )
}  # fmt: skip


def workload_values(name: str, records: Records, window_hours: tuple[float, float]) -> pd.DataFrame:
    """``county, replication, value``: the workload quantity per county and replication."""
    years = (window_hours[1] - window_hours[0]) / HOURS_PER_YEAR
    out = WORKLOADS[name].compute(records, years)
    return out[["county", "replication", "value"]].reset_index(drop=True)
