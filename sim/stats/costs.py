"""What a replication's world cost a year, in yuan: the indicator ``annual_cost_yuan``.

Only with a ``costs`` block in the scenario (``sim.scenario.costs``). The standing costs
(officers, grid officers, station staff, monitoring points) come from the world, the
variable one (rewards) from the run's records: incidents first reported by the public
after the warm-up, per year of the measured window. So two variants that differ only in
``reward_multiplier`` differ in cost by the rewards their extra reports earn.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..scenario.costs import Costs
from ..world import World

HOURS_PER_YEAR = 24 * 365.0
CITIZEN_CHANNEL = "citizen"


def cost_breakdown(
    world: World, incidents: pd.DataFrame, officers: int | None = None
) -> dict[str, float]:
    """Yuan a year by item (``officers``, ``part_time_grid``, ``full_time_grid``,
    ``monitoring_points``, ``rewards``) and their ``total``; the world must have costs.
    ``officers``: the head count, when ``world`` holds no units (a partitioned run's
    region: its batches' officers are counted from their records)."""
    sc = world.scenario
    costs: Costs | None = sc.costs
    assert costs is not None, "no costs block in the scenario"
    grid = world.grid
    if officers is None:
        officers = sum(u.officers for u in world.units)
    points = float(np.sum(grid.sensor_covered)) * costs.monitoring_points_per_township
    years = (sc.horizon_hours - sc.warmup_hours) / HOURS_PER_YEAR
    kept = incidents[~incidents["in_warmup"].to_numpy(dtype=bool)]
    reports = int((kept["channel"].astype(str) == CITIZEN_CHANNEL).sum())
    reward = costs.reward_yuan_per_citizen_report
    if costs.reward_scales_with_multiplier:
        reward *= sc.discovery.citizens.reward_multiplier
    out = {
        "officers": officers * costs.enforcement_officer_yuan_per_year,
        "part_time_grid": float(np.sum(grid.grid_officers))
        * costs.part_time_grid_officer_yuan_per_year,
        "full_time_grid": float(np.sum(grid.station_staff))
        * costs.full_time_grid_officer_yuan_per_year,
        "monitoring_points": points * costs.monitoring_point_yuan_per_year,
        "rewards": reports * reward / years if years > 0 else 0.0,
    }
    out["total"] = sum(out.values())
    return out


def cost_rows(
    world: World, incidents: pd.DataFrame, replication: int, officers: int | None = None
) -> pd.DataFrame:
    """The indicator rows of one replication (scope ``all``), in ``summary``'s columns;
    empty when the scenario has no costs."""
    cols = ["scope", "group", "indicator", "value", "replication"]
    if world.scenario.costs is None:
        return pd.DataFrame(columns=cols)
    total = cost_breakdown(world, incidents, officers)["total"]
    return pd.DataFrame(
        [["all", "all", "annual_cost_yuan", total, replication]], columns=cols
    ).astype({"scope": "str", "group": "str", "indicator": "str"})
