"""The incident stream: where, when, what and how bad.

Generated up front, as arrays, from purpose-keyed streams. Nothing here depends
on how enforcement is organised, so every deployment model and policy sees the
same incidents for the same seed and replication.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..scenario.schema import SEVERITIES
from ..world.build import World
from .streams import Streams


@dataclass
class Incidents:
    """Per-incident arrays; times in hours from the start of the run."""

    start_h: np.ndarray
    township: np.ndarray
    type: np.ndarray
    severity: np.ndarray  # index into SEVERITIES
    self_end_h: np.ndarray  # inf when the incident persists until enforced
    onsite_h: np.ndarray
    paperwork_h: np.ndarray
    discovered_h: np.ndarray = field(init=False)
    channel: np.ndarray = field(init=False)  # index into CHANNELS, -1 if undiscovered
    reported_h: np.ndarray = field(init=False)
    settled: np.ndarray = field(init=False)  # settled by the grid officer, never reported
    settle_end_h: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        n = len(self.start_h)
        self.discovered_h = np.full(n, np.nan)
        self.channel = np.full(n, -1, dtype=np.int64)
        self.reported_h = np.full(n, np.nan)
        self.settled = np.zeros(n, dtype=bool)
        self.settle_end_h = np.full(n, np.inf)

    def __len__(self) -> int:
        return len(self.start_h)


def generate_incidents(world: World, streams: Streams) -> Incidents:
    """Poisson arrivals over the horizon, placed by township weight and type rate."""
    sc = world.scenario
    types = list(sc.incident_types.values())
    rates = np.array([t.rate_per_day for t in types]) / 24.0
    # rate of each (township, type) cell, flattened township-major
    cell_rate = np.outer(world.township_weight, rates).ravel()
    total = float(cell_rate.sum())
    horizon = sc.horizon_hours

    arrivals = streams.rng("incidents.arrivals")
    n = int(arrivals.poisson(total * horizon)) if total > 0 else 0
    start = np.sort(arrivals.uniform(0.0, horizon, n))
    if n:
        cell = streams.rng("incidents.placement").choice(len(cell_rate), n, p=cell_rate / total)
    else:
        cell = np.zeros(0, dtype=np.int64)
    township, kind = np.divmod(cell, len(types))

    u = streams.rng("incidents.severity").random(n)
    severity = np.zeros(n, dtype=np.int64)
    self_end = np.full(n, np.inf)
    onsite = np.zeros(n)
    paperwork = np.zeros(n)
    for k, (name, spec) in enumerate(sc.incident_types.items()):
        idx = np.flatnonzero(kind == k)
        cum = np.cumsum([spec.severity_mix.get(s, 0.0) for s in SEVERITIES])
        severity[idx] = np.minimum(np.searchsorted(cum, u[idx], side="right"), len(SEVERITIES) - 1)
        if spec.duration_if_undiscovered_hours is not None:
            dur = spec.duration_if_undiscovered_hours.sample(
                streams.rng(f"incidents.duration.{name}"), len(idx)
            )
            self_end[idx] = start[idx] + dur
        onsite[idx] = spec.onsite_hours.sample(streams.rng(f"incidents.onsite.{name}"), len(idx))
        paperwork[idx] = spec.paperwork_hours.sample(
            streams.rng(f"incidents.paperwork.{name}"), len(idx)
        )
    return Incidents(
        start_h=start,
        township=township.astype(np.int64),
        type=kind.astype(np.int64),
        severity=severity,
        self_end_h=self_end,
        onsite_h=onsite,
        paperwork_h=paperwork,
    )
