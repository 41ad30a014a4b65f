"""How incidents become reports: the seam for the discovery model.

A discovery model is started once per replication. It decides, for each
incident, when (if ever) it is found and by which channel, fills those columns
of ``Incidents``, and calls ``report(i)`` at the simulated moment the report
reaches the enforcement unit. ``DelayDiscovery`` (a single delay) lives here;
the channel model (patrols, citizens, sensors, inspections) in ``channels.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import numpy as np
import simpy

from ..registry import CHANNELS
from ..scenario.schema import Discovery
from .incidents import Incidents
from .streams import Streams

Report = Callable[[int], None]


class DiscoveryModel(Protocol):
    """Sets each incident's discovery columns up front (``draw``); the run then hands the
    reports over (``deliver``). ``start`` does both, for a model run on its own."""

    def draw(self, incidents: Incidents, streams: Streams) -> None: ...

    def start(
        self, env: simpy.Environment, incidents: Incidents, streams: Streams, report: Report
    ) -> None: ...


class DelayDiscovery:
    """Stand-in: each incident is found after a random delay, if it is still active then.

    An incident that ends by itself before its discovery delay has passed is
    never found. Draws are made for every incident, found or not, so the
    numbers each incident sees do not depend on the others.
    """

    def __init__(self, spec: Discovery) -> None:
        self.spec = spec

    def start(
        self, env: simpy.Environment, incidents: Incidents, streams: Streams, report: Report
    ) -> None:
        self.draw(incidents, streams)
        env.process(deliver(env, incidents.reported_h, report))

    def draw(self, incidents: Incidents, streams: Streams) -> None:
        """The discovery columns, with no SimPy (see ``ChannelDiscovery.draw``)."""
        n = len(incidents)
        delay = self.spec.delay_hours.sample(streams.rng("discovery.delay"), n)
        handover = self.spec.reporting_delay_hours.sample(streams.rng("discovery.handover"), n)
        found_at = incidents.start_h + delay
        found = found_at < incidents.self_end_h
        incidents.discovered_h = np.where(found, found_at, np.nan)
        incidents.channel = np.where(found, CHANNELS.index(self.spec.channel), -1)
        incidents.reported_h = incidents.discovered_h + handover


def deliver(env: simpy.Environment, reported_h: np.ndarray, report: Report):
    """One process hands every report over at its time: one event per report. It keeps
    its own copy of the times: a find during the run (``sim.model.finds``) may move an
    incident's report earlier, and the handler then skips the one scheduled here."""
    reported_h = np.array(reported_h, dtype=float)
    finite = np.flatnonzero(np.isfinite(reported_h))
    for i in finite[np.argsort(reported_h[finite], kind="stable")]:
        yield env.timeout(reported_h[i] - env.now)
        report(int(i))
