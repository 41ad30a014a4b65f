"""Discovery by channels: grid patrols, citizens, sensors, upper-level inspections.

Each channel is one registered class (``sim.registry.CHANNELS``) that owns its name,
its label and colour in reports, its default hand-over time and its time to find an
incident, drawn in closed form, per incident, from its own purpose-keyed stream (so
every deployment model sees the same discoveries). The first channel to find an
incident while it is still active wins; ties go to the channel registered first, and
the registration order is the channel code the records store. Nothing here needs a
SimPy event per patrol step. What is found and not settled on the spot is handed
over to the enforcement unit after the channel's hand-over delay.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import simpy

from ..registry import CHANNELS
from ..scenario.distributions import Distribution, Fixed, Lognormal
from ..world.build import World
from .discovery import Report, deliver
from .hazard import ClockHazard
from .incidents import Incidents
from .streams import Streams


class Channel:
    """A way incidents are found. A new channel subclasses this, sets its facts and
    ``find_hours`` (``settle`` if it acts on what it finds) and registers itself with
    ``@CHANNELS.register``: it is then drawn, recorded, reported and accepted in
    ``discovery.handover_hours`` and ``discovery.channel`` without another edit."""

    name: ClassVar[str]  # in scenarios (`discovery.handover_hours.<name>`) and records
    label: ClassVar[str]  # plain language, plural: "found by <label>"
    colour: ClassVar[str]  # of its bars in figures
    handover_hours: ClassVar[Distribution]  # default time from discovery to the report
    better: ClassVar[str] = "neither"  # is a larger share found by it "higher" better?
    found_up_front: ClassVar[bool] = True  # False: it finds incidents only during the run,
    # so the single-delay discovery model (`discovery.channel`) cannot stand for it

    def find_hours(self, world: World, inc: Incidents, streams: Streams) -> np.ndarray:
        """When this channel would find each incident (hours; ``inf`` never), whether or
        not it is still active then."""
        raise NotImplementedError

    def settle(self, world: World, inc: Incidents, streams: Streams, found: np.ndarray) -> None:
        """Act on the incidents this channel found first (``found``), before hand-over."""


class ChannelDiscovery:
    def __init__(self, world: World) -> None:
        self.world = world

    def start(
        self, env: simpy.Environment, inc: Incidents, streams: Streams, report: Report
    ) -> None:
        self.draw(inc, streams)
        env.process(deliver(env, inc.reported_h, report))

    def draw(self, inc: Incidents, streams: Streams) -> None:
        """Every channel's find time and hand-over, and so each incident's discovery
        columns: no SimPy, so it can be drawn over the whole region once and sliced."""
        channels = CHANNELS.items()
        found_at = np.vstack([c.find_hours(self.world, inc, streams) for _, c in channels])
        first = found_at.min(axis=0)
        found = first < inc.self_end_h
        channel = found_at.argmin(axis=0)
        inc.discovered_h = np.where(found, first, np.nan)
        inc.channel = np.where(found, channel, -1)
        for k, (_, c) in enumerate(channels):
            c.settle(self.world, inc, streams, found & (channel == k))
        handover = self.world.scenario.discovery.handover_hours
        delay = np.zeros(len(inc))
        delays = np.empty_like(found_at)
        for k, (name, c) in enumerate(channels):
            mine = inc.channel == k
            spec = handover.get(name, c.handover_hours)
            delays[k] = draws = spec.sample(streams.rng(f"discovery.handover.{name}"), len(inc))
            delay[mine] = draws[mine]
        inc.reported_h = np.where(found & ~inc.settled, inc.discovered_h + delay, np.nan)
        # every channel's find time and hand-over draw, kept for a later search at another
        # effort (the monthly ranking: ``sim.model.effort``)
        self.found_at, self.delays = found_at, delays


@CHANNELS.register
class PatrolChannel(Channel):
    """Grid patrols. Source-inspection visits in a township arrive at a rate set by the
    grid officers' and station staff's time; with ``random`` visits each picks one of the
    township's sites at random, so visits to the incident's site form a Poisson process
    and, thinned by the detection probability, the time to discovery is exponential *in
    working hours* — exactly what simulating every visit would give. With ``periodic``
    visits the site is visited every T working hours at a random phase U, and the delay
    is U + T (G - 1), G geometric in the detection probability (mean T/2 + T(1-p)/p).
    Working hours map onto the calendar of the grid officers.

    Patrol-found incidents may be settled by the grid officer (by severity); they are
    never reported and their pollution stops when settling ends."""

    name, label, colour = "patrol", "grid patrols", "#2ca02c"
    better = "higher"  # found early, on the spot, and often settled
    handover_hours = Lognormal(dist="lognormal", mean=24.0, cv=1.0)

    def find_hours(self, world: World, inc: Incidents, streams: Streams) -> np.ndarray:
        g = world.grid
        work = self.work_hours(world, inc, streams)
        out = np.full(len(inc), np.inf)
        calendar_of = g.calendar_of[inc.township]
        finite = np.isfinite(work)
        for c in np.unique(calendar_of[finite]).tolist():  # each calendar in bulk
            mine = finite & (calendar_of == c)
            out[mine] = g.calendars[c].add_duty_hours_each(inc.start_h[mine], work[mine])
        return out

    @staticmethod
    def work_hours(world: World, inc: Incidents, streams: Streams) -> np.ndarray:
        """The grid's working hours, at effort 1, from each incident's start until a patrol
        finds it (``inf`` never): the "search mass" a changed effort spends faster or
        slower (``sim.model.effort``)."""
        g = world.grid
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
        return np.where((visit > 0) & (p > 0), work, np.inf)

    def settle(self, world: World, inc: Incidents, streams: Streams, found: np.ndarray) -> None:
        """The grid officer settles a share of what the patrol found (by severity)."""
        willing, hours = self.settle_draws(world, inc, streams)
        settled = found & willing
        inc.settled = settled
        inc.settle_end_h = np.where(settled, inc.discovered_h + hours, np.inf)

    @staticmethod
    def settle_draws(
        world: World, inc: Incidents, streams: Streams
    ) -> tuple[np.ndarray, np.ndarray]:
        """Per incident: would the grid officer settle it if a patrol found it first, and
        in how many hours; drawn for every incident, so a later find keeps them."""
        g = world.grid
        n = len(inc)
        share = g.settle_share[inc.township, inc.severity]
        willing = streams.rng("discovery.settle").random(n) < share
        hours = np.zeros(n)
        rng = streams.rng("discovery.settle.hours")
        spec_of = g.spec_of[inc.township]
        for k, spec in enumerate(g.specs):
            mine = spec_of == k
            if mine.any():
                hours[mine] = spec.settle_hours.sample(rng, int(mine.sum()))
        return willing, hours


@CHANNELS.register
class CitizenChannel(Channel):
    """Citizens' reports (12369, rewarded reporting): a hazard while the incident is
    active, scaled by type, township weight, the reward scheme and the ease of the
    channel, so the time to a report is exponential; with ``hour_of_day`` or
    ``day_of_week`` the hazard also follows the clock (people report when they are
    awake), and the same Exp(1) draw is read against the cumulative hazard
    (``sim.model.hazard``)."""

    name, label, colour = "citizen", "citizens", "#1f77b4"
    handover_hours = Fixed(dist="fixed", value=2.0)

    def find_hours(self, world: World, inc: Incidents, streams: Streams) -> np.ndarray:
        sc = world.scenario
        c = sc.discovery.citizens
        mult = np.array([c.type_multipliers.get(t, 1.0) for t in sc.incident_types])
        rate = (
            c.report_rate_per_day / 24.0 * mult[inc.type] * world.township_weight[inc.township]
            * c.reward_multiplier * c.channel_ease_multiplier
        )  # fmt: skip
        e = streams.rng("discovery.citizen").exponential(1.0, len(inc))
        with np.errstate(divide="ignore"):
            if c.hour_of_day is None and c.day_of_week is None:
                return np.where(rate > 0, inc.start_h + e / rate, np.inf)
            clock = ClockHazard.of(c.hour_of_day, c.day_of_week, sc.calendar, sc.horizon_hours)
            mass_h = np.where(rate > 0, e / rate, np.inf)
            return clock.first_passage_h(inc.start_h, mass_h)


@CHANNELS.register
class SensorChannel(Channel):
    """Micro monitoring points: in covered townships and for the types they see, an
    alarm with the detection probability after the sensor delay."""

    name, label, colour = "sensor", "sensors", "#9467bd"
    better = "higher"
    handover_hours = Fixed(dist="fixed", value=1.0)

    def find_hours(self, world: World, inc: Incidents, streams: Streams) -> np.ndarray:
        g = world.grid
        s = world.scenario.discovery.sensors
        n = len(inc)
        hit = streams.rng("discovery.sensor.hit").random(n) < s.detection_probability
        delay = s.delay_hours.sample(streams.rng("discovery.sensor.delay"), n)
        seen = g.sensor_covered[inc.township] & g.sensor_sees[inc.type] & hit
        return np.where(seen, inc.start_h + delay, np.inf)


@CHANNELS.register
class InspectionChannel(Channel):
    """Upper-level inspections: campaigns every ``interval_days`` (the first at half an
    interval) visit a random share of townships and find the active incidents there with
    the detection probability; the hand-over is slow (a campaign's findings travel down
    through the city bureau)."""

    name, label, colour = "inspection", "upper-level inspections", "#8c564b"
    handover_hours = Fixed(dist="fixed", value=24.0)

    def find_hours(self, world: World, inc: Incidents, streams: Streams) -> np.ndarray:
        u = world.scenario.discovery.upper_inspections
        out = np.full(len(inc), np.inf)
        if u.interval_days is None:
            return out
        step = u.interval_days * 24.0
        times = np.arange(step / 2, world.scenario.horizon_hours, step)
        rng = streams.rng("discovery.upper")
        for t in times:
            visited = rng.random(world.n_townships) < u.township_share
            finds = rng.random(len(inc)) < u.detection_probability
            hit = (inc.start_h < t) & (inc.self_end_h > t) & visited[inc.township] & finds
            out = np.where(hit & np.isinf(out), t, out)
        return out


@CHANNELS.register
class PlannedInspectionChannel(Channel):
    """The enforcement side's own planned inspections (``inspections.find_probability``).
    Nothing is found up front: a planned inspection finds incidents only during the run,
    when its team is on site (``sim.model.finds``), and records them under this channel.
    Registered last, so the codes of the channels above never change."""

    name, label, colour = "planned_inspection", "planned inspections", "#e377c2"
    better = "higher"  # found by the enforcers themselves, reported at once
    found_up_front = False
    handover_hours = Fixed(dist="fixed", value=0.0)

    def find_hours(self, world: World, inc: Incidents, streams: Streams) -> np.ndarray:
        return np.full(len(inc), np.inf)
