"""Everything a replication draws before its first SimPy event, and how to cut it down
to some counties.

Random streams are keyed by purpose, not by county, so the incidents of a county depend
on the whole region's draws (one Poisson count and one placement over every township).
A run of a batch of counties is therefore exactly the whole run's, restricted, when it
makes these draws over the whole region and keeps its own rows (``Upfront.select``):
the SimPy run that follows touches only its counties, whose units, officers and
township tasks have streams of their own. Drawing over the region costs a fraction of a
second per 20,000 incidents; re-keying per county would move every published result.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from ..world.build import World
from .channels import PatrolChannel
from .discovery import DiscoveryModel
from .finds import finds_drawn
from .incidents import Incidents, generate_incidents
from .inspections import PlannedInspections, generate_inspections
from .interference import interference_drawn
from .monthly import monthly_measured, ranking_on
from .streams import Streams


@dataclass
class MonthlyDraws:
    """What the monthly step (``sim.model.monthly``) reads per incident: the deterrence
    uniform, and for the ranking's patrol search every channel's find time and hand-over
    and the patrol's search mass and settling draws (the same streams discovery drew)."""

    deterrence_u: np.ndarray | None
    found_at: np.ndarray | None  # [channel, incident]
    delays: np.ndarray | None  # [channel, incident]
    mass: np.ndarray | None
    willing: np.ndarray | None
    settle_hours: np.ndarray | None

    def select(self, keep: np.ndarray) -> MonthlyDraws:
        def cut(a: np.ndarray | None) -> np.ndarray | None:
            return None if a is None else a[..., keep]

        return MonthlyDraws(*(cut(getattr(self, f.name)) for f in fields(self)))


@dataclass
class Upfront:
    incidents: Incidents  # with their discovery columns
    inspections: PlannedInspections
    finds_u: np.ndarray | None  # per incident: the ``inspections.finds`` uniform
    interference: tuple[np.ndarray, np.ndarray] | None  # per incident: uniform, hold hours
    monthly: MonthlyDraws | None = None  # with the ranking or deterrence on

    def select(self, local: np.ndarray) -> Upfront:
        """The rows of the townships a batch keeps: ``local`` maps each region township
        to its index in the batch's world, -1 for a township of another batch. Rows keep
        their region numbers (``ident``)."""
        keep = local[self.incidents.township] >= 0
        inc = _rows(self.incidents, keep)
        inc.township = local[inc.township]
        ins = self.inspections
        ikeep = local[ins.township] >= 0
        sub = _rows(ins, ikeep)
        sub.township = local[sub.township]
        return Upfront(
            incidents=inc,
            inspections=sub,
            finds_u=None if self.finds_u is None else self.finds_u[keep],
            interference=(
                None if self.interference is None else tuple(a[keep] for a in self.interference)
            ),  # fmt: skip
            monthly=None if self.monthly is None else self.monthly.select(keep),
        )


def draw_upfront(world: World, streams: Streams, discovery: DiscoveryModel) -> Upfront:
    """The replication's up-front draws over ``world``'s townships."""
    incidents = generate_incidents(world, streams)
    discovery.draw(incidents, streams)
    n = len(incidents)
    return Upfront(
        incidents=incidents,
        inspections=generate_inspections(world, streams),
        finds_u=finds_drawn(world, n, streams),
        interference=interference_drawn(world, n, streams),
        monthly=_monthly_draws(world, incidents, streams, discovery),
    )


def _monthly_draws(
    world: World, inc: Incidents, streams: Streams, discovery: DiscoveryModel
) -> MonthlyDraws | None:
    if not monthly_measured(world):
        return None
    u = None
    if world.scenario.deterrence is not None:
        u = streams.rng("incidents.deterrence").random(len(inc))
    found_at = getattr(discovery, "found_at", None)  # only the channel model has patrols
    if not ranking_on(world) or found_at is None:
        return MonthlyDraws(u, None, None, None, None, None)
    mass = PatrolChannel.work_hours(world, inc, streams)
    willing, hours = PatrolChannel.settle_draws(world, inc, streams)
    return MonthlyDraws(u, found_at, discovery.delays, mass, willing, hours)  # type: ignore[attr-defined]


def _rows(arrays, keep: np.ndarray):
    """A copy of a dataclass of per-row arrays with only the rows ``keep``."""
    out = object.__new__(type(arrays))
    for f in fields(arrays):
        setattr(out, f.name, getattr(arrays, f.name)[keep])
    return out
