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
from .discovery import DiscoveryModel
from .finds import finds_drawn
from .incidents import Incidents, generate_incidents
from .inspections import PlannedInspections, generate_inspections
from .interference import interference_drawn
from .streams import Streams


@dataclass
class Upfront:
    incidents: Incidents  # with their discovery columns
    inspections: PlannedInspections
    finds_u: np.ndarray | None  # per incident: the ``inspections.finds`` uniform
    interference: tuple[np.ndarray, np.ndarray] | None  # per incident: uniform, hold hours

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
    )


def _rows(arrays, keep: np.ndarray):
    """A copy of a dataclass of per-row arrays with only the rows ``keep``."""
    out = object.__new__(type(arrays))
    for f in fields(arrays):
        setattr(out, f.name, getattr(arrays, f.name)[keep])
    return out
