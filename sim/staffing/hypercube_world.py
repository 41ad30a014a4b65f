"""The hypercube for one county of a World, and candidate layouts ranked by it.

Why a separate module: ``hypercube`` is the queueing model and knows nothing of the
project; this one reads a county out of the World (townships as atoms, teams at their
posts as servers, road km for preference lists and travel) so the placement search can
screen its candidate moves before it simulates the best few.

What the screen assumes, and the simulation does not (docs/validation.md, "Hypercube"):
every team of the county is one pool dispatched nearest-free (true of an integrated
team; stationed offices and squadrons serve only their own townships); a team is one
server, however many officers it has; service times are exponential with one mean,
travel included, whatever the distance; a freed team is back at its post at once; and
nothing but reported incidents competes for the teams (no inspections, diverted work
or off-duty hours).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..world.build import World
from .hypercube import HypercubeResult, preference_lists, solve


@dataclass(frozen=True)
class CountyQueue:
    """A county as the hypercube sees it: atoms, their arrival rates and travel times."""

    townships: tuple[int, ...]  # township indices of the World: the atoms
    arrivals_per_hour: np.ndarray  # [atom]

    def solve_posts(
        self,
        world: World,
        posts: Sequence[int],
        mean_service_h: float,
        *,
        variant: str = "queue",
        method: str = "auto",
    ) -> HypercubeResult:
        """The hypercube with one server at each point of ``posts`` (repeat a point for
        several teams there), preference by road km, travel at ``travel.speed_kmh``."""
        km = world.road_km[np.ix_(list(posts), list(self.townships))]
        travel_h = km / world.scenario.travel.speed_kmh
        return solve(
            self.arrivals_per_hour,
            mean_service_h,
            preference_lists(km),
            travel_h,
            variant=variant,
            method=method,
        )


def county_queue(
    world: World,
    county: str,
    *,
    reported_share: float = 1.0,
    arrivals_per_hour: Sequence[float] | None = None,
) -> CountyQueue:
    """The county's townships with their report rates: every incident type's
    ``rate_per_day`` x township weight / 24 x ``reported_share`` (the share of incidents
    that become reports, which the caller knows from a run or the discovery model), or
    ``arrivals_per_hour`` as given, one per township in World order."""
    c = world.county_names.index(county)
    towns = tuple(int(t) for t in np.flatnonzero(world.township_county == c))
    if arrivals_per_hour is None:
        per_day = sum(t.rate_per_day for t in world.scenario.incident_types.values())
        lam = per_day * world.township_weight[list(towns)] / 24.0 * reported_share
    else:
        lam = np.asarray(arrivals_per_hour, float)
        if lam.shape != (len(towns),):
            raise ValueError(f"{county} has {len(towns)} townships, got {lam.shape} rates")
    return CountyQueue(towns, np.asarray(lam, float))


def county_posts(world: World, county: str) -> list[int]:
    """One server per team at each officer's home point, for the county's units
    (``enforcement.team_size`` officers of a post make a team; a post with fewer still
    counts as one)."""
    size = world.scenario.enforcement.team_size
    out: list[int] = []
    for unit in world.units:
        if unit.county != county:
            continue
        homes: dict[int, int] = {}
        for h in unit.officer_homes:
            homes[h] = homes.get(h, 0) + 1
        for point, n in homes.items():
            out += [point] * max(1, n // size)
    return out


def rank_layouts(
    world: World,
    county: str,
    layouts: Sequence[Sequence[str]],
    mean_service_h: float,
    *,
    queue: CountyQueue | None = None,
    variant: str = "queue",
) -> list[tuple[int, float]]:
    """Candidate layouts, best first, as (index into ``layouts``, mean response h).

    A layout is the township names of its servers' posts, one per team (a name twice:
    two teams there). A layout the queue cannot carry ranks last, at infinity.
    """
    q = queue or county_queue(world, county)
    index = {n: i for i, n in enumerate(world.township_names)}
    scored = []
    for k, layout in enumerate(layouts):
        try:
            res = q.solve_posts(world, [index[n] for n in layout], mean_service_h,
                                variant=variant)  # fmt: skip
            scored.append((k, res.mean_response_h))
        except ValueError:  # unstable: more calls than the servers can clear
            scored.append((k, float("inf")))
    return sorted(scored, key=lambda kv: (kv[1], kv[0]))
