"""The incident stream: where, when, what and how bad.

Generated up front, as arrays, from purpose-keyed streams. Nothing here depends
on how enforcement is organised, so every deployment model and policy sees the
same incidents for the same seed and replication.

Incidents are numbered in order of start time. Without arrival profiles the draws are
those of every earlier release (one pooled stream for times, one for places, one for
severities); with any profile each type draws its times, places and severities on
streams of its own (``incidents.arrivals.<type>`` and so on, see ``arrivals``), and
the types are merged by start time. Either way the durations are drawn per type, in the
type's time order, on ``incidents.duration.<type>``, ``.onsite.`` and ``.paperwork.``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..scenario.schema import SEVERITIES
from ..world.build import World
from .arrivals import draw_arrivals, education_factor, rate_shapes
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
    # never happened: thinned by general deterrence during the run (``sim.model.monthly``);
    # never reported, never found, dropped from the records
    deterred: np.ndarray = field(init=False)
    # the incident's number in the whole region's draws: ``arange`` here, kept through
    # ``Upfront.select`` so a run of some counties numbers its incidents as the whole run
    ident: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        n = len(self.start_h)
        self.ident = np.arange(n, dtype=np.int64)
        self.discovered_h = np.full(n, np.nan)
        self.channel = np.full(n, -1, dtype=np.int64)
        self.reported_h = np.full(n, np.nan)
        self.settled = np.zeros(n, dtype=bool)
        self.settle_end_h = np.full(n, np.inf)
        self.deterred = np.zeros(n, dtype=bool)

    def __len__(self) -> int:
        return len(self.start_h)


def generate_incidents(world: World, streams: Streams) -> Incidents:
    """Arrivals over the horizon, placed by township weight, with their severity and
    times. Without arrival profiles all types share one homogeneous Poisson stream (the
    draws of every earlier release); with any profile each type has its own process."""
    sc = world.scenario
    if any(t.arrival_profile is not None for t in sc.incident_types.values()):
        start, township, kind, u = _by_type(world, streams)
    else:
        start, township, kind, u = _pooled(world, streams)
    n = len(start)
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
    keep = _educated(world, streams, start, kind)
    return Incidents(
        start_h=start[keep],
        township=township[keep].astype(np.int64),
        type=kind[keep].astype(np.int64),
        severity=severity[keep],
        self_end_h=self_end[keep],
        onsite_h=onsite[keep],
        paperwork_h=paperwork[keep],
    )


def _educated(
    world: World, streams: Streams, start: np.ndarray, kind: np.ndarray
) -> slice | np.ndarray:
    """Which incidents still start under the education programme (all without one).

    Thinning: each incident of the stream drawn as without the programme is kept with
    probability equal to the programme's factor at its start, one uniform per incident on
    ``incidents.education``. Kept incidents are exactly those of the run without education
    (same times, places, severities and durations), and a weaker programme keeps a superset
    of a stronger one's, so comparisons stay paired; thinning a Poisson process by
    ``f(t)`` is exactly a Poisson process of rate ``rate(t) * f(t)``."""
    if world.scenario.education is None:
        return slice(None)
    u = streams.rng("incidents.education").random(len(start))
    return u < education_factor(world.scenario, start, kind)


Draws = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # start, township, type, u


def _pooled(world: World, streams: Streams) -> Draws:
    """One Poisson stream of every (township, type) cell, uniform in time; ``u`` decides
    the severity."""
    sc = world.scenario
    rates = np.array([t.rate_per_day for t in sc.incident_types.values()]) / 24.0
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
    township, kind = np.divmod(cell, len(rates))
    return start, township, kind, streams.rng("incidents.severity").random(n)


def _by_type(world: World, streams: Streams) -> Draws:
    """Each type's own (possibly non-homogeneous) Poisson process, merged in time. Every
    draw of a type is on a stream named for the purpose and the type (arrival times, then
    townships and severity uniforms in the type's time order), so changing one type's
    profile leaves every other type's incidents as they were."""
    sc = world.scenario
    weight = np.asarray(world.township_weight, dtype=float)
    total_weight = float(weight.sum())
    shapes = rate_shapes(sc)  # refuses a profile that cannot be normalised
    parts = []
    for k, (name, spec) in enumerate(sc.incident_types.items()):
        shape = shapes[name]
        normalise = spec.arrival_profile is None or spec.arrival_profile.normalise
        rate_per_hour = spec.rate_per_day / 24.0 * total_weight
        start = draw_arrivals(
            streams.rng(f"incidents.arrivals.{name}"), rate_per_hour, shape, normalise
        )
        n = len(start)
        town = np.zeros(0, dtype=np.int64)
        if n:
            place = streams.rng(f"incidents.placement.{name}")
            town = place.choice(len(weight), n, p=weight / total_weight)
        u = streams.rng(f"incidents.severity.{name}").random(n)
        parts.append((start, town, np.full(n, k, dtype=np.int64), u))
    start, town, kind, u = (np.concatenate(col) for col in zip(*parts, strict=True))
    order = np.argsort(start, kind="stable")
    return start[order], town[order], kind[order], u[order]
