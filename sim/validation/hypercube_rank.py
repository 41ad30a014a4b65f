"""How well the hypercube's ranking of candidate layouts agrees with the simulation's.

Why: the placement search screens moves with the hypercube and simulates only the best
few, which is only as good as the screen's ranking. Here a county's integrated team is
posted in several candidate ways; each layout is scored by the hypercube's mean
response (``rank_layouts``) and by the simulation's mean response over reports (same
seeds for every layout: common random numbers), and the two rankings are compared by
Spearman's rho. Unlike ``hypercube_des`` the scenario is the full one (office hours,
call-outs, travel at road speed, lognormal times, pairs), so this measures the screen
where its assumptions do not hold.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import stats

from ..model import simulate
from ..scenario.load import from_mapping
from ..staffing.hypercube_world import county_queue, rank_layouts
from ..world import World, build_world


@dataclass(frozen=True)
class Agreement:
    """Each layout's two scores and the rank correlation between them."""

    layouts: list[list[str]]  # township of each team's post
    hypercube_h: list[float]  # mean response the hypercube predicts
    simulated_h: list[float]  # mean response over reports, averaged over replications
    spearman: float
    mean_service_h: float
    reported_share: float


def _world(raw: dict[str, Any], base_dir: Path, county: str, posts: dict[str, int]) -> World:
    out = copy.deepcopy(raw)
    out["units"] = {"team": {"model": "integrated", "county": county,
                             "officers": sum(posts.values()), "posts": posts}}  # fmt: skip
    return build_world(from_mapping(out, base_dir=base_dir))


def _mean_response_h(world: World, seed: int, replications: int) -> tuple[float, float]:
    """Mean of (arrived - reported) over reports after the warm-up, averaged over the
    replications; and the share of incidents reported (for the hypercube's rates)."""
    means, reported, started = [], 0, 0
    for r in range(replications):
        inc = simulate(world, seed, r).incidents
        inc = inc[~inc["in_warmup"]]
        rep = inc[inc["reported_h"].notna()]
        means.append(float((rep["arrived_h"] - rep["reported_h"]).mean()))
        reported, started = reported + len(rep), started + len(inc)
    return float(np.mean(means)), reported / max(started, 1)


def ranking_agreement(
    raw: dict[str, Any],
    base_dir: Path,
    county: str,
    layouts: Sequence[Sequence[str]],
    *,
    replications: int = 5,
) -> Agreement:
    """Score every layout (one township per team; two officers a team at
    ``enforcement.team_size`` 2) both ways. The hypercube's service time is the
    incident types' mean on-site plus paperwork time, weighted by their rates, plus a
    round trip at the layout-independent mean of the first layout's nearest post."""
    size = int(raw.get("enforcement", {}).get("team_size", 2))
    seed = int(raw["seed"])
    sims, shares, worlds = [], [], []
    for layout in layouts:
        posts: dict[str, int] = {}
        for town in layout:
            posts[town] = posts.get(town, 0) + size
        world = _world(raw, base_dir, county, posts)
        mean, share = _mean_response_h(world, seed, replications)
        sims.append(mean)
        shares.append(share)
        worlds.append(world)
    world = worlds[0]
    types = world.scenario.incident_types.values()
    rate = np.array([t.rate_per_day for t in types])
    work = np.array([t.onsite_hours.mean + t.paperwork_hours.mean for t in types])
    q = county_queue(world, county, reported_share=float(np.mean(shares)))
    index = {n: i for i, n in enumerate(world.township_names)}
    km = world.road_km[np.ix_([index[t] for t in layouts[0]], list(q.townships))]
    trip_h = 2 * float(q.arrivals_per_hour @ km.min(axis=0)) / q.arrivals_per_hour.sum()
    service_h = float(rate @ work / rate.sum()) + trip_h / world.scenario.travel.speed_kmh
    scores = dict(rank_layouts(world, county, layouts, service_h, queue=q))
    predicted = [scores[k] for k in range(len(layouts))]
    rho = float(stats.spearmanr(predicted, sims).statistic)
    return Agreement([list(x) for x in layouts], predicted, sims, rho, service_h,
                     float(np.mean(shares)))  # fmt: skip


def candidate_layouts(
    townships: Sequence[str], teams: int, count: int, seed: int
) -> list[list[str]]:
    """``count`` distinct random choices of ``teams`` posts among ``townships``."""
    rng = np.random.default_rng(seed)
    out: list[list[str]] = []
    while len(out) < count:
        pick = sorted(rng.choice(list(townships), size=teams, replace=False).tolist())
        if pick not in out:
            out.append(pick)
    return out


def single_moves(layout: Sequence[str], townships: Sequence[str]) -> list[list[str]]:
    """Every layout one post move away from ``layout`` (the placement search's moves)."""
    out: list[list[str]] = []
    for k in range(len(layout)):
        for town in townships:
            if town in layout:
                continue
            moved = sorted([*layout[:k], town, *layout[k + 1 :]])
            if moved not in out:
                out.append(moved)
    return out
