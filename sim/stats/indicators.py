"""Headline indicators of one replication, overall and by group.

Everything here works on the record tables alone, so the same code summarises
a fresh run and a results folder loaded from disk. Incidents that started (and
inspections planned) in the warm-up are excluded; officer hours were already
clipped to the window by the model.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from ..registry import CHANNELS
from ..world.periods import REPORT_PERIODS
from .groups import Groups, nansum, ratio
from .monthly import monthly_indicators

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
    inc: dict[str, np.ndarray], groups: Groups, window_hours: tuple[float, float]
) -> dict[str, np.ndarray]:
    """Indicators of each group of incidents (one replication, warm-up already dropped),
    one array over the groups per indicator.

    Works on plain arrays (``INCIDENT_COLUMNS``) and every group at once (``Groups``): it
    runs for every township, type and unit of every replication.
    """
    lo, hi = window_hours
    n = groups.count()
    discovered = ~np.isnan(inc["discovered_h"])
    reported = ~np.isnan(inc["reported_h"])
    formed = ~np.isnan(inc["team_formed_h"])
    attended = ~np.isnan(inc["arrived_h"])
    n_found, n_reported, n_formed = (groups.count(m) for m in (discovered, reported, formed))
    response = inc["arrived_h"] - inc["reported_h"]
    delay = inc["discovered_h"] - inc["start_h"]
    # a report the township holds back (interference) waits for the township, not a team
    held = inc["held_h"] if "held_h" in inc else np.zeros(len(reported))
    queued = inc["reported_h"] + held
    # reports waiting for a team, time-averaged over the window (the backlog)
    wait_end = np.minimum(np.where(formed, inc["team_formed_h"], hi), hi)
    waiting = np.maximum(wait_end - np.maximum(queued, lo), 0)
    pollution = groups.sums(inc["pollution_hours"])
    partner = inc["partner_wait_hours"]
    compromised = inc.get("compromised")  # township interference on
    return {
        "incidents": n.astype(float),
        "share_undiscovered": ratio(groups.count(~discovered), n),
        "discovery_delay_h_mean": groups.means(delay, discovered),
        "discovery_delay_h_p90": groups.quantiles(delay, 0.9, discovered),
        **{
            f"share_found_{name}": ratio(groups.count(discovered & (inc["channel"] == k)), n_found)
            for k, name in enumerate(CHANNELS)
        },
        "share_settled": ratio(_total(groups, inc["settled"]), n_found),
        "response_h_mean": groups.means(response, attended),
        "response_h_median": groups.quantiles(response, 0.5, attended),
        "response_h_p90": groups.quantiles(response, 0.9, attended),
        "response_working_h_mean": groups.means(inc["response_working_h"], attended),
        "response_working_h_p90": groups.quantiles(inc["response_working_h"], 0.9, attended),
        "team_wait_h_mean": groups.means(inc["team_formed_h"] - queued, formed),
        "start_to_arrival_h_mean": groups.means(inc["arrived_h"] - inc["start_h"], attended),
        "pollution_hours_total": pollution,
        "pollution_hours_mean": ratio(pollution, n),
        "two_person_compliance": ratio(
            groups.count(formed & (inc["two_person_breach"] == 0)), n_formed
        ),
        "share_borrowed": ratio(groups.count(formed & (inc["borrowed_officers"] > 0)), n_formed),
        "partner_wait_h_mean": groups.means(partner, reported),
        "share_waited_for_partner": ratio(groups.count(reported & (partner > 0)), n_reported),
        "share_unserved": ratio(groups.count(reported & ~formed), n_reported),
        "backlog_mean": groups.sums(waiting, reported) / (hi - lo),
        "travel_km_mean": groups.means(inc["travel_km"], formed),
        # township interference: absent (mechanism off) means no case was compromised
        "share_compromised": ratio(
            groups.count(formed & compromised) if compromised is not None else 0, n_formed
        ),
        "township_hold_h_mean": groups.means(held, reported),
    }


def period_indicators(inc: dict[str, np.ndarray]) -> dict[str, float]:
    """Share of reports, mean response and mean wait for a team by when the report came
    (``REPORT_PERIODS``; ``reported_when`` holds its codes). City-wide only: split three
    ways, a township's few reports would give numbers too noisy to read."""
    reported = ~np.isnan(inc["reported_h"])
    attended = ~np.isnan(inc["arrived_h"])
    formed = ~np.isnan(inc["team_formed_h"])
    response = inc["arrived_h"] - inc["reported_h"]
    held = inc.get("held_h", 0.0)  # the township's hold: not a wait for a team
    wait = inc["team_formed_h"] - (inc["reported_h"] + held)
    out: dict[str, float] = {}
    for k, period in enumerate(REPORT_PERIODS):
        mine = inc["reported_when"] == k
        out[f"share_reported_{period}"] = _share((mine & reported).sum(), reported.sum())
        out[f"response_h_mean_{period}"] = _mean(response[mine & attended])
        out[f"team_wait_h_mean_{period}"] = _mean(wait[mine & formed])
    return out


def officer_indicators(
    off: pd.DataFrame, groups: Groups, window_hours: tuple[float, float]
) -> dict[str, np.ndarray]:
    """Workload indicators of each group of officers (one replication), an array over the
    groups per indicator; the same arithmetic, group by group, as pandas' on each group."""
    weeks = (window_hours[1] - window_hours[0]) / WEEK_H
    col = {c: off[c].to_numpy(dtype=float) for c in _OFFICER_COLUMNS}
    work = off[list(WORK_COLUMNS)].to_numpy()
    fortran = work.flags.f_contiguous  # numpy sums a block in memory order: keep its layout
    rows = groups.slices(np.arange(len(off)))
    per = {c: groups.slices(v) for c, v in col.items()}
    out: dict[str, list[float]] = {name: [] for name in _OFFICER_INDICATORS}
    for g, idx in enumerate(rows):
        util = per["utilisation"][g]
        block = np.asfortranarray(work[idx]) if fortran else np.ascontiguousarray(work[idx])
        working, duty = block.sum(), nansum(per["duty_hours"][g])
        diverted = nansum(per["diverted_hours"][g])
        values = (
            float(len(idx)),
            _mean(util),
            float(util.std() / util.mean()) if util.mean() > 0 else np.nan,
            float(util.max() / util.min()) if len(util) and util.min() > 0 else np.nan,
            _share(nansum(per["travel_hours"][g]), working),
            _share(nansum(per["inspection_hours"][g]), duty),
            _share(diverted, duty),
            float(diverted),
            _mean(per["overtime_hours"][g]),
            _mean(per["callouts"][g]) / weeks,
        )
        for name, v in zip(_OFFICER_INDICATORS, values, strict=True):
            out[name].append(v)
    return {k: np.array(v, dtype=float) for k, v in out.items()}


_OFFICER_COLUMNS = (
    "utilisation", "duty_hours", "travel_hours", "inspection_hours", "diverted_hours",
    "overtime_hours", "callouts",
)  # fmt: skip
_OFFICER_INDICATORS = (
    "officers", "utilisation_mean", "utilisation_cv", "utilisation_max_min", "travel_share",
    "inspection_share_of_duty", "diverted_share_of_duty", "diverted_hours_absorbed",
    "overtime_hours_mean", "callouts_per_officer_week",
)  # fmt: skip


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
    months: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Tidy table ``scope, group, indicator, value`` for one replication (with the monthly
    loop's indicators only when there is a ``months`` table: ``sim.stats.monthly``)."""
    keep = ~incidents["in_warmup"].to_numpy(dtype=bool)
    arrays = {c: incidents[c].to_numpy(dtype=float)[keep] for c in INCIDENT_COLUMNS}
    arrays["channel"] = incidents["channel"].cat.codes.to_numpy()[keep]  # CHANNELS; -1 none
    if "interference" in incidents:  # township interference on: 0 is "none"
        arrays["compromised"] = incidents["interference"].cat.codes.to_numpy()[keep] > 0
        hold = incidents["township_hold_hours"].to_numpy(dtype=float)[keep]
        arrays["held_h"] = np.nan_to_num(hold, nan=0.0)
    when = incidents["reported_when"].cat.set_categories(REPORT_PERIODS).cat.codes.to_numpy()
    parts: list[tuple[str, list[str], dict]] = []  # scope, its groups, indicator -> values

    def add(scope: str, names: list[str], values: dict) -> None:
        parts.append((scope, names, values))

    everyone = Groups(np.zeros(int(keep.sum()), dtype=np.int64), 1)
    add("all", ["all"], incident_indicators(arrays, everyone, window_hours))
    add("all", ["all"], period_indicators({**arrays, "reported_when": when[keep]}))
    add("all", ["all"], officer_indicators(officers, Groups(np.zeros(len(officers)), 1),
                                           window_hours))  # fmt: skip
    add("all", ["all"], inspection_indicators(inspections[~inspections["in_warmup"]]))
    add("all", ["all"], township_demand_indicators(grid))
    if months is not None:
        add("all", ["all"], monthly_indicators(months, int(keep.sum()), window_hours))
    if grid is not None:
        counties, names = Groups.of_labels(grid["county"])
        left = (
            grid["diverted_hours_left"].to_numpy(dtype=float)
            if "diverted_hours_left" in grid
            else None
        )
        add("county", names, {"diverted_hours_left_to_township": (
            np.zeros(counties.n) if left is None
            else np.array([float(nansum(x)) for x in counties.slices(left)])
        )})  # fmt: skip
    for scope in INCIDENT_SCOPES:
        labels = incidents[scope].cat
        groups = Groups(labels.codes.to_numpy()[keep], len(labels.categories))
        add(scope, [str(x) for x in labels.categories],
            incident_indicators(arrays, groups, window_hours))  # fmt: skip
    for scope in OFFICER_SCOPES:
        groups, names = Groups.of_labels(officers[scope])
        add(scope, names, officer_indicators(officers, groups, window_hours))
    return _tidy(parts)


def _tidy(parts: list[tuple[str, list[str], dict]]) -> pd.DataFrame:
    """One row per scope, group and indicator, groups in order and each group's indicators
    in their order: the table built from arrays, not from a row at a time."""
    cols: dict[str, list] = {"scope": [], "group": [], "indicator": [], "value": []}
    for scope, names, values in parts:
        k, g = len(values), len(names)
        matrix = np.array(
            [np.broadcast_to(np.asarray(v, dtype=float), (g,)) for v in values.values()]
        )
        cols["scope"].append(np.full(k * g, scope, dtype=object))
        cols["group"].append(np.repeat(np.array(names, dtype=object), k))
        cols["indicator"].append(np.tile(np.array(list(values), dtype=object), g))
        cols["value"].append(matrix.T.ravel())
    text = ("scope", "group", "indicator")  # through Arrow: pandas' own text, sooner
    return pd.DataFrame(
        {c: _text(np.concatenate(v)) if c in text else np.concatenate(v) for c, v in cols.items()}
    )


def _text(values: np.ndarray):
    """Strings as the text column pandas infers from them (``str``), built by Arrow."""
    return pd.array(pa.array(values, type=pa.large_string()), dtype="str")


def _total(groups: Groups, values: np.ndarray) -> np.ndarray:
    """Per-group sums of a column that is normally 0 or 1 (exact as counts), else summed."""
    ones = values == 1
    return groups.count(ones) if (ones | (values == 0)).all() else groups.sums(values)


def _share(num: float, den: float) -> float:
    return float(num / den) if den else np.nan


def _mean(x: np.ndarray) -> float:
    return float(x.mean()) if len(x) else np.nan


def _quantile(x: np.ndarray, q: float) -> float:
    return float(np.quantile(x, q)) if len(x) else np.nan
