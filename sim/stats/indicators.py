"""Headline indicators of one replication, overall and by group.

Everything here works on the record tables alone, so the same code summarises
a fresh run and a results folder loaded from disk. Incidents that started (and
inspections planned) in the warm-up are excluded; officer hours were already
clipped to the window by the model.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..registry import CHANNELS
from ..world.periods import REPORT_PERIODS

INCIDENT_SCOPES = ("county", "unit", "township", "type", "severity")
OFFICER_SCOPES = ("county", "unit")
WEEK_H = 168.0
WORK_COLUMNS = ("onsite_hours", "travel_hours", "paperwork_hours", "inspection_hours")
INCIDENT_COLUMNS = (
    "start_h",
    "discovered_h",
    "reported_h",
    "team_formed_h",
    "arrived_h",
    "response_working_h",
    "team_size",
    "officers_present",
    "borrowed_officers",
    "two_person_breach",
    "pollution_hours",
    "travel_km",
    "partner_wait_hours",
    "settled",
)


def incident_indicators(
    inc: dict[str, np.ndarray], window_hours: tuple[float, float]
) -> dict[str, float]:
    """Indicators over a set of incidents (one replication, warm-up already dropped).

    Works on plain arrays (``INCIDENT_COLUMNS``): it runs once per township, type
    and unit of every replication, where pandas' per-call overhead would dominate.
    """
    lo, hi = window_hours
    n = len(inc["start_h"])
    discovered = ~np.isnan(inc["discovered_h"])
    reported = ~np.isnan(inc["reported_h"])
    formed = ~np.isnan(inc["team_formed_h"])
    attended = ~np.isnan(inc["arrived_h"])
    response = (inc["arrived_h"] - inc["reported_h"])[attended]
    wait = (inc["team_formed_h"] - inc["reported_h"])[formed]
    # reports waiting for a team, time-averaged over the window (the backlog)
    wait_end = np.minimum(np.where(formed, inc["team_formed_h"], hi), hi)
    waiting = np.maximum(wait_end - np.maximum(inc["reported_h"], lo), 0)[reported]
    return {
        "incidents": float(n),
        "share_undiscovered": _share((~discovered).sum(), n),
        "discovery_delay_h_mean": _mean((inc["discovered_h"] - inc["start_h"])[discovered]),
        "discovery_delay_h_p90": _quantile((inc["discovered_h"] - inc["start_h"])[discovered], 0.9),
        **{
            f"share_found_{name}": _share((inc["channel"][discovered] == k).sum(), discovered.sum())
            for k, name in enumerate(CHANNELS)
        },
        "share_settled": _share(inc["settled"].sum(), discovered.sum()),
        "response_h_mean": _mean(response),
        "response_h_median": _quantile(response, 0.5),
        "response_h_p90": _quantile(response, 0.9),
        "response_working_h_mean": _mean(inc["response_working_h"][attended]),
        "response_working_h_p90": _quantile(inc["response_working_h"][attended], 0.9),
        "team_wait_h_mean": _mean(wait),
        "start_to_arrival_h_mean": _mean((inc["arrived_h"] - inc["start_h"])[attended]),
        "pollution_hours_total": float(inc["pollution_hours"].sum()),
        "pollution_hours_mean": _mean(inc["pollution_hours"]),
        "two_person_compliance": _share(
            (inc["two_person_breach"][formed] == 0).sum(), formed.sum()
        ),
        "share_borrowed": _share((inc["borrowed_officers"][formed] > 0).sum(), formed.sum()),
        "partner_wait_h_mean": _mean(inc["partner_wait_hours"][reported]),
        "share_waited_for_partner": _share(
            (inc["partner_wait_hours"][reported] > 0).sum(), reported.sum()
        ),
        "share_unserved": _share((reported & ~formed).sum(), reported.sum()),
        "backlog_mean": float(waiting.sum() / (hi - lo)),
        "travel_km_mean": _mean(inc["travel_km"][formed]),
        # township interference: absent (mechanism off) means no case was compromised
        "share_compromised": _share(
            inc["compromised"][formed].sum() if "compromised" in inc else 0, formed.sum()
        ),
    }


def period_indicators(inc: dict[str, np.ndarray]) -> dict[str, float]:
    """Share of reports, mean response and mean wait for a team by when the report came
    (``REPORT_PERIODS``; ``reported_when`` holds its codes). City-wide only: split three
    ways, a township's few reports would give numbers too noisy to read."""
    reported = ~np.isnan(inc["reported_h"])
    attended = ~np.isnan(inc["arrived_h"])
    formed = ~np.isnan(inc["team_formed_h"])
    response = inc["arrived_h"] - inc["reported_h"]
    wait = inc["team_formed_h"] - inc["reported_h"]
    out: dict[str, float] = {}
    for k, period in enumerate(REPORT_PERIODS):
        mine = inc["reported_when"] == k
        out[f"share_reported_{period}"] = _share((mine & reported).sum(), reported.sum())
        out[f"response_h_mean_{period}"] = _mean(response[mine & attended])
        out[f"team_wait_h_mean_{period}"] = _mean(wait[mine & formed])
    return out


def officer_indicators(off: pd.DataFrame, window_hours: tuple[float, float]) -> dict[str, float]:
    """Workload indicators over a set of officers (one replication)."""
    weeks = (window_hours[1] - window_hours[0]) / WEEK_H
    util = off["utilisation"].to_numpy()
    working = off[list(WORK_COLUMNS)].to_numpy().sum()
    duty = off["duty_hours"].sum()
    return {
        "officers": float(len(off)),
        "utilisation_mean": _mean(util),
        "utilisation_cv": float(util.std() / util.mean()) if util.mean() > 0 else np.nan,
        "utilisation_max_min": (
            float(util.max() / util.min()) if len(util) and util.min() > 0 else np.nan
        ),
        "travel_share": _share(off["travel_hours"].sum(), working),
        "inspection_share_of_duty": _share(off["inspection_hours"].sum(), duty),
        "diverted_share_of_duty": _share(off["diverted_hours"].sum(), duty),
        "diverted_hours_absorbed": float(off["diverted_hours"].sum()),
        "overtime_hours_mean": _mean(off["overtime_hours"].to_numpy()),
        "callouts_per_officer_week": _mean(off["callouts"].to_numpy(dtype=float)) / weeks,
    }


def inspection_indicators(ins: pd.DataFrame) -> dict[str, float]:
    return {
        "inspections_planned": float(len(ins)),
        "inspections_done_share": _share(ins["done"].sum(), len(ins)),
    }


def township_demand_indicators(grid: pd.DataFrame | None) -> dict[str, float]:
    """Routine work the townships kept because no officer absorbed it: the grid table holds
    it only under ``enforcement.township_demand``; the share model leaves nothing."""
    if grid is None or "diverted_hours_left" not in grid:
        return {"diverted_hours_left_to_township": 0.0}
    return {"diverted_hours_left_to_township": float(grid["diverted_hours_left"].sum())}


def summarise_replication(
    incidents: pd.DataFrame,
    inspections: pd.DataFrame,
    officers: pd.DataFrame,
    window_hours: tuple[float, float],
    grid: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Tidy table ``scope, group, indicator, value`` for one replication."""
    kept = incidents[~incidents["in_warmup"].to_numpy()]
    arrays = {c: kept[c].to_numpy(dtype=float) for c in INCIDENT_COLUMNS}
    arrays["channel"] = kept["channel"].cat.codes.to_numpy()  # CHANNELS order; -1 none
    if "interference" in kept:  # township interference on: 0 is "none"
        arrays["compromised"] = kept["interference"].cat.codes.to_numpy() > 0
    when = kept["reported_when"].cat.set_categories(REPORT_PERIODS).cat.codes.to_numpy()
    rows: list[tuple[str, str, str, float]] = []

    def add(scope: str, group: str, values: dict[str, float]) -> None:
        rows.extend((scope, group, k, v) for k, v in values.items())

    add("all", "all", incident_indicators(arrays, window_hours))
    add("all", "all", period_indicators({**arrays, "reported_when": when}))
    add("all", "all", officer_indicators(officers, window_hours))
    add("all", "all", inspection_indicators(inspections[~inspections["in_warmup"]]))
    add("all", "all", township_demand_indicators(grid))
    if grid is not None:
        for county, part in grid.groupby("county", observed=True, sort=True):
            add("county", str(county), township_demand_indicators(part))
    for scope in INCIDENT_SCOPES:
        labels = kept[scope]
        codes = labels.cat.codes.to_numpy()
        for code, group in enumerate(labels.cat.categories):
            part = {c: a[codes == code] for c, a in arrays.items()}
            add(scope, str(group), incident_indicators(part, window_hours))
    for scope in OFFICER_SCOPES:
        for group, part in officers.groupby(scope, observed=True, sort=True):
            add(scope, str(group), officer_indicators(part, window_hours))
    return pd.DataFrame(rows, columns=["scope", "group", "indicator", "value"])


def _share(num: float, den: float) -> float:
    return float(num / den) if den else np.nan


def _mean(x: np.ndarray) -> float:
    return float(x.mean()) if len(x) else np.nan


def _quantile(x: np.ndarray, q: float) -> float:
    return float(np.quantile(x, q)) if len(x) else np.nan
