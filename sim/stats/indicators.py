"""Headline indicators of one replication, overall and by group.

Everything here works on the record tables alone, so the same code summarises
a fresh run and a results folder loaded from disk. Incidents that started in
the warm-up are excluded; officer hours were already clipped to the window by
the model.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

INCIDENT_SCOPES = ("county", "unit", "township", "type", "severity")
OFFICER_SCOPES = ("county", "unit")
ACTIVITY_COLUMNS = ("onsite_hours", "travel_hours", "paperwork_hours")


INCIDENT_COLUMNS = (
    "start_h",
    "discovered_h",
    "reported_h",
    "team_formed_h",
    "arrived_h",
    "officers_present",
    "pollution_hours",
    "travel_km",
    "partner_wait_hours",
)


def incident_indicators(
    inc: dict[str, np.ndarray], team_size: int, window_hours: tuple[float, float]
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
        "response_h_mean": _mean(response),
        "response_h_median": _quantile(response, 0.5),
        "response_h_p90": _quantile(response, 0.9),
        "team_wait_h_mean": _mean(wait),
        "start_to_arrival_h_mean": _mean((inc["arrived_h"] - inc["start_h"])[attended]),
        "pollution_hours_total": float(inc["pollution_hours"].sum()),
        "pollution_hours_mean": _mean(inc["pollution_hours"]),
        "two_person_compliance": _share(
            (inc["officers_present"][formed] >= team_size).sum(), formed.sum()
        ),
        "partner_wait_h_mean": _mean(inc["partner_wait_hours"][reported]),
        "share_waited_for_partner": _share(
            (inc["partner_wait_hours"][reported] > 0).sum(), reported.sum()
        ),
        "share_unserved": _share((reported & ~formed).sum(), reported.sum()),
        "backlog_mean": float(waiting.sum() / (hi - lo)),
        "travel_km_mean": _mean(inc["travel_km"][formed]),
    }


def officer_indicators(off: pd.DataFrame) -> dict[str, float]:
    """Workload indicators over a set of officers (one replication)."""
    util = off["utilisation"].to_numpy()
    working = off[list(ACTIVITY_COLUMNS)].to_numpy().sum()
    return {
        "officers": float(len(off)),
        "utilisation_mean": _mean(util),
        "utilisation_cv": float(util.std() / util.mean()) if util.mean() > 0 else np.nan,
        "travel_share": _share(off["travel_hours"].sum(), working),
        "overtime_hours_mean": _mean(off["overtime_hours"].to_numpy()),
    }


def summarise_replication(
    incidents: pd.DataFrame,
    officers: pd.DataFrame,
    team_size: int,
    window_hours: tuple[float, float],
) -> pd.DataFrame:
    """Tidy table ``scope, group, indicator, value`` for one replication."""
    kept = incidents[~incidents["in_warmup"].to_numpy()]
    arrays = {c: kept[c].to_numpy(dtype=float) for c in INCIDENT_COLUMNS}
    rows: list[tuple[str, str, str, float]] = []

    def add(scope: str, group: str, values: dict[str, float]) -> None:
        rows.extend((scope, group, k, v) for k, v in values.items())

    add("all", "all", incident_indicators(arrays, team_size, window_hours))
    add("all", "all", officer_indicators(officers))
    for scope in INCIDENT_SCOPES:
        labels = kept[scope]
        codes = labels.cat.codes.to_numpy()
        for code, group in enumerate(labels.cat.categories):
            part = {c: a[codes == code] for c, a in arrays.items()}
            add(scope, str(group), incident_indicators(part, team_size, window_hours))
    for scope in OFFICER_SCOPES:
        for group, part in officers.groupby(scope, observed=True, sort=True):
            add(scope, str(group), officer_indicators(part))
    return pd.DataFrame(rows, columns=["scope", "group", "indicator", "value"])


def _share(num: float, den: float) -> float:
    return float(num / den) if den else np.nan


def _mean(x: np.ndarray) -> float:
    return float(x.mean()) if len(x) else np.nan


def _quantile(x: np.ndarray, q: float) -> float:
    return float(np.quantile(x, q)) if len(x) else np.nan
