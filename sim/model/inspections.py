"""Planned inspections of registered pollution sources: work that competes with reports.

Dongyang made 5,495 inspections and filed 450 cases in 2019: planned checks
outnumber cases by an order of magnitude and need a legal team too. They are
generated up front from their own streams (so every deployment model faces the
same plan) and queue below incident reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..world.build import World
from .streams import Streams


@dataclass
class PlannedInspections:
    planned_h: np.ndarray
    township: np.ndarray
    onsite_h: np.ndarray
    paperwork_h: np.ndarray
    # the inspection's number in the whole region's plan (see ``Incidents.ident``)
    ident: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.ident = np.arange(len(self.planned_h), dtype=np.int64)

    def __len__(self) -> int:
        return len(self.planned_h)


def generate_inspections(world: World, streams: Streams) -> PlannedInspections:
    spec = world.scenario.inspections
    horizon = world.scenario.horizon_hours
    rate = world.township_weight * spec.rate_per_day / 24.0
    total = float(rate.sum())
    rng = streams.rng("inspections.plan")
    n = int(rng.poisson(total * horizon)) if total > 0 else 0
    planned = np.sort(rng.uniform(0.0, horizon, n))
    township = rng.choice(len(rate), n, p=rate / total) if n else np.zeros(0, dtype=np.int64)
    return PlannedInspections(
        planned_h=planned,
        township=np.asarray(township, dtype=np.int64),
        onsite_h=spec.onsite_hours.sample(streams.rng("inspections.onsite"), n),
        paperwork_h=spec.paperwork_hours.sample(streams.rng("inspections.paperwork"), n),
    )
