"""Backlog over time: how many reports wait for a team, sampled on a grid."""

from __future__ import annotations

import numpy as np
import pandas as pd


def backlog_series(
    incidents: pd.DataFrame, horizon_hours: float, step_hours: float = 24.0
) -> pd.DataFrame:
    """``replication, t_h, waiting, in_progress`` at every ``step_hours`` up to the horizon.

    ``waiting`` counts reports not yet given a team at ``t_h``; ``in_progress``
    counts teams formed whose site work is not done.
    """
    grid = np.arange(0.0, horizon_hours + 1e-9, step_hours)
    parts = []
    for rep, inc in incidents.groupby("replication", sort=True):
        reported = inc["reported_h"].dropna().to_numpy()
        formed = inc["team_formed_h"].fillna(np.inf).to_numpy()[inc["reported_h"].notna()]
        done = inc["done_h"].fillna(np.inf).to_numpy()[inc["team_formed_h"].notna()]
        parts.append(
            pd.DataFrame(
                {
                    "replication": rep,
                    "t_h": grid,
                    "waiting": _open_at(grid, reported, formed),
                    "in_progress": _open_at(grid, inc["team_formed_h"].dropna().to_numpy(), done),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def _open_at(t: np.ndarray, opened: np.ndarray, closed: np.ndarray) -> np.ndarray:
    """Number of intervals [opened, closed) containing each time in ``t``."""
    return np.searchsorted(np.sort(opened), t, side="right") - np.searchsorted(
        np.sort(closed), t, side="right"
    )
