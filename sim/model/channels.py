"""Discovery by channels: grid patrols, citizens, sensors, upper-level inspections.

Each channel's time to find an incident is drawn in closed form, per incident,
from its own purpose-keyed stream (so every deployment model sees the same
discoveries), and the first channel to find the incident while it is still
active wins. Nothing here needs a SimPy event per patrol step:

- **Patrols**: source-inspection visits in a township arrive at a rate set by the
  grid officers' and station staff's time; with ``random`` visits each picks one of
  the township's sites at random, so visits to the incident's site form a Poisson
  process and, thinned by the detection probability, the time to discovery is
  exponential *in working hours* — exactly what simulating every visit would give.
  With ``periodic`` visits the site is visited every T working hours at a random
  phase U, and the delay is U + T (G - 1), G geometric in the detection probability
  (mean T/2 + T(1-p)/p). Working hours map onto the calendar of the grid officers.
- **Citizens**: a report hazard while the incident is active, scaled by type,
  township weight, the reward scheme and the ease of the channel: exponential.
- **Sensors**: in covered townships and for the types they see, an alarm with the
  detection probability after the sensor delay.
- **Upper inspections**: campaigns every ``interval_days`` (first at half an
  interval) visit a random share of townships and find active incidents with the
  detection probability.

Patrol-found incidents may be settled by the grid officer (by severity); they are
never reported and their pollution stops when settling ends. Everything else found
is handed over to the enforcement unit after the channel's hand-over delay.
"""

from __future__ import annotations

import numpy as np
import simpy

from ..scenario.schema import CHANNELS
from ..world.build import World
from .discovery import Report, deliver
from .incidents import Incidents
from .streams import Streams


class ChannelDiscovery:
    def __init__(self, world: World) -> None:
        self.world = world

    def start(
        self, env: simpy.Environment, inc: Incidents, streams: Streams, report: Report
    ) -> None:
        found_at = np.vstack([
            self._patrol(inc, streams),
            self._citizens(inc, streams),
            self._sensors(inc, streams),
            self._upper(inc, streams),
        ])  # fmt: skip
        first = found_at.min(axis=0)
        found = first < inc.self_end_h
        channel = found_at.argmin(axis=0)
        inc.discovered_h = np.where(found, first, np.nan)
        inc.channel = np.where(found, channel, -1)
        self._settle(inc, streams, found & (channel == CHANNELS.index("patrol")))
        handover = self.world.scenario.discovery.handover_hours
        delay = np.zeros(len(inc))
        for k, name in enumerate(CHANNELS):
            mine = inc.channel == k
            draws = handover[name].sample(streams.rng(f"discovery.handover.{name}"), len(inc))
            delay[mine] = draws[mine]
        inc.reported_h = np.where(found & ~inc.settled, inc.discovered_h + delay, np.nan)
        env.process(deliver(env, inc.reported_h, report))

    def _patrol(self, inc: Incidents, streams: Streams) -> np.ndarray:
        g = self.world.grid
        n = len(inc)
        town = inc.township
        visit, p = g.visit_rate[town], g.detection[town]
        with np.errstate(divide="ignore", invalid="ignore"):
            random_work = streams.rng("discovery.patrol.random").exponential(1.0, n) / (visit * p)
            period = 1.0 / visit
            phase = streams.rng("discovery.patrol.phase").random(n) * period
            visits = streams.rng("discovery.patrol.visits").geometric(np.clip(p, 1e-12, 1.0))
            periodic_work = phase + period * (visits - 1)
        work = np.where(g.periodic[town], periodic_work, random_work)
        work = np.where((visit > 0) & (p > 0), work, np.inf)
        out = np.full(n, np.inf)
        calendar_of = g.calendar_of[town]
        for i in np.flatnonzero(np.isfinite(work)):
            out[i] = g.calendars[calendar_of[i]].add_duty_hours(inc.start_h[i], float(work[i]))
        return out

    def _citizens(self, inc: Incidents, streams: Streams) -> np.ndarray:
        sc = self.world.scenario
        c = sc.discovery.citizens
        mult = np.array([c.type_multipliers.get(t, 1.0) for t in sc.incident_types])
        rate = (
            c.report_rate_per_day / 24.0 * mult[inc.type] * self.world.township_weight[inc.township]
            * c.reward_multiplier * c.channel_ease_multiplier
        )  # fmt: skip
        e = streams.rng("discovery.citizen").exponential(1.0, len(inc))
        with np.errstate(divide="ignore"):
            return np.where(rate > 0, inc.start_h + e / rate, np.inf)

    def _sensors(self, inc: Incidents, streams: Streams) -> np.ndarray:
        g = self.world.grid
        s = self.world.scenario.discovery.sensors
        n = len(inc)
        hit = streams.rng("discovery.sensor.hit").random(n) < s.detection_probability
        delay = s.delay_hours.sample(streams.rng("discovery.sensor.delay"), n)
        seen = g.sensor_covered[inc.township] & g.sensor_sees[inc.type] & hit
        return np.where(seen, inc.start_h + delay, np.inf)

    def _upper(self, inc: Incidents, streams: Streams) -> np.ndarray:
        sc = self.world.scenario
        u = sc.discovery.upper_inspections
        out = np.full(len(inc), np.inf)
        if u.interval_days is None:
            return out
        step = u.interval_days * 24.0
        times = np.arange(step / 2, sc.horizon_hours, step)
        rng = streams.rng("discovery.upper")
        for t in times:
            visited = rng.random(self.world.n_townships) < u.township_share
            finds = rng.random(len(inc)) < u.detection_probability
            hit = (inc.start_h < t) & (inc.self_end_h > t) & visited[inc.township] & finds
            out = np.where(hit & np.isinf(out), t, out)
        return out

    def _settle(self, inc: Incidents, streams: Streams, patrol_found: np.ndarray) -> None:
        g = self.world.grid
        n = len(inc)
        share = g.settle_share[inc.township, inc.severity]
        settled = patrol_found & (streams.rng("discovery.settle").random(n) < share)
        hours = np.zeros(n)
        rng = streams.rng("discovery.settle.hours")
        spec_of = g.spec_of[inc.township]
        for k, spec in enumerate(g.specs):
            mine = spec_of == k
            if mine.any():
                hours[mine] = spec.settle_hours.sample(rng, int(mine.sum()))
        inc.settled = settled
        inc.settle_end_h = np.where(settled, inc.discovered_h + hours, np.inf)
