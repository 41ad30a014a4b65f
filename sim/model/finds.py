"""Planned inspections that find violations: what a team on site sees besides its check.

A planned inspection of a township can come upon an ongoing violation there that nobody
has reported yet. Each incident gets one uniform, drawn up front on its own stream
(``inspections.finds``), whatever the deployment model: it is *findable* when the draw
falls below ``inspections.find_probability``, and is then found by the first planned
inspection in its township to finish its time on site while the incident is active
(started, not ended by itself, not settled by a grid officer, not yet reported to the
unit, not deterred: ``sim.model.monthly``). A found incident is reported to its unit at
that moment; one nobody had discovered is recorded as found by the
``planned_inspection`` channel, one already found but still being handed over keeps its
channel and is only reported sooner. Its up-front report, still scheduled for later, is
then skipped. A lower probability only removes findable incidents (common random
numbers), and with 0 nothing is drawn and nothing changes.
"""

from __future__ import annotations

import numpy as np

from ..registry import CHANNELS
from ..world.build import World
from .incidents import Incidents
from .streams import Streams

CHANNEL = "planned_inspection"


class InspectionFinds:
    """The findable incidents of each township, and which have been found."""

    def __init__(self, incidents: Incidents, findable: np.ndarray, n_townships: int) -> None:
        self.inc = incidents
        idx = np.flatnonzero(findable)
        self.by_township = [idx[incidents.township[idx] == k] for k in range(n_townships)]
        # per incident: found by an inspection, so its up-front report is skipped
        self.found = np.zeros(len(incidents), dtype=bool)
        self.code = CHANNELS.index(CHANNEL)

    def find(self, township: int, t_h: float) -> list[int]:
        """The incidents an inspection finishing on site in ``township`` at ``t_h`` finds;
        their discovery columns are updated here (the caller reports them)."""
        cand = self.by_township[township]
        if not len(cand):
            return []
        inc = self.inc
        discovered = inc.discovered_h[cand]
        reported = inc.reported_h[cand]
        settled = inc.settled[cand] & (discovered <= t_h)  # the grid officer has it
        active = (inc.start_h[cand] <= t_h) & (inc.self_end_h[cand] > t_h) & ~settled
        active &= ~inc.deterred[cand]  # deterred by the monthly step: it never happened
        unreported = ~(reported <= t_h)  # later, or never (nan)
        hit = cand[active & unreported & ~self.found[cand]]
        if not len(hit):
            return hit.tolist()
        new = ~(inc.discovered_h[hit] <= t_h)  # nobody had found it yet
        inc.channel[hit[new]] = self.code
        inc.discovered_h[hit[new]] = t_h
        # a patrol that would have found (and settled) it later no longer does
        inc.settled[hit] = False
        inc.settle_end_h[hit] = np.inf
        inc.reported_h[hit] = t_h
        self.found[hit] = True
        return hit.tolist()


def finds_drawn(world: World, n: int, streams: Streams) -> np.ndarray | None:
    """One uniform per incident on ``inspections.finds``; None (nothing drawn) when the
    probability is 0 or there are no planned inspections."""
    spec = world.scenario.inspections
    if spec.find_probability <= 0 or spec.rate_per_day <= 0:
        return None
    return streams.rng("inspections.finds").random(n)


def draw_finds(
    world: World, incidents: Incidents, streams: Streams, u: np.ndarray | None = None
) -> InspectionFinds | None:
    """The findable incidents, from ``u`` when drawn already (over the whole region, for
    a run of some of its counties: ``sim.model.upfront``)."""
    if u is None:
        u = finds_drawn(world, len(incidents), streams)
    if u is None:
        return None
    return InspectionFinds(incidents, u < world.scenario.inspections.find_probability,
                           world.n_townships)  # fmt: skip
