"""Grid patrols searching at the month's effort: the patrol side of the monthly ranking.

The patrol channel draws, per incident, a *search mass*: the grid's working hours at
effort 1 from the incident's start until a patrol finds it (``PatrolChannel.work_hours``;
Exp(1) / (visit rate x detection) for random visits). When the ranking multiplies a
township's source-inspection visit rate by an effort E(t), the find comes when the
effort-weighted working hours, the integral of E over the grid's duty time, reach that
mass: exact for random visits (a Poisson process of rate E x visit x detection). For
periodic visits it is an approximation: the period is read as 1/E of its length in the
months E applies, keeping the phase and the number of visits drawn up front.

An incident whose township's effort has been exactly 1 in every month since it started
keeps its up-front find time to the bit (so a ranking of strength 0 changes nothing);
the others are searched again at each month's end, from the mass still left, and their
discovery columns are decided again with the up-front draws of every channel (find
times, hand-over delays, the grid officer's settling): the first channel still wins.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..registry import CHANNELS
from ..world.build import World
from .channels import PatrolChannel
from .incidents import Incidents

if TYPE_CHECKING:
    from .upfront import MonthlyDraws


class PatrolSearch:
    """Per incident: the patrol's search mass, what of it is spent, and whether its
    township's effort has ever left 1 since it started."""

    def __init__(self, world: World, inc: Incidents, drawn: MonthlyDraws) -> None:
        self.world, self.inc = world, inc
        # the patrol's own draws (``PatrolChannel.work_hours``, ``settle_draws``) and every
        # channel's find times and hand-overs, made up front with discovery
        self.mass, self.willing, self.settle_hours = drawn.mass, drawn.willing, drawn.settle_hours
        self.found_at, self.delays = drawn.found_at, drawn.delays
        self.spent = np.zeros(len(inc))
        self.touched = np.zeros(len(inc), dtype=bool)
        self.patrol = CHANNELS.index(PatrolChannel.name)

    def month_end(
        self, lo_h: float, now_h: float, next_h: float, e_cur: np.ndarray, e_next: np.ndarray
    ) -> np.ndarray:
        """At the end (``now_h``) of the month begun at ``lo_h``, with effort ``e_cur`` per
        township in it and ``e_next`` in the month to ``next_h``: spend the month's search
        and search again where the effort left 1. Returns the incidents whose report time
        changed (the caller reschedules them)."""
        inc, g = self.inc, self.world.grid
        town = inc.township
        pending = (
            np.isfinite(self.mass)
            & (inc.start_h < next_h)
            & ~(inc.discovered_h <= now_h)
            & (inc.self_end_h > now_h)
            & ~inc.deterred
        )
        began = np.flatnonzero(pending & (inc.start_h < now_h))
        cal_of = g.calendar_of[town]
        for c, cal in enumerate(g.calendars):  # the month's search, at its effort
            k = began[cal_of[began] == c]
            hours = cal.duty_hours_between_many(
                np.maximum(inc.start_h[k], lo_h), np.full(len(k), now_h)
            )
            self.spent[k] += e_cur[town[k]] * hours
        self.touched |= pending & (e_next[town] != 1.0)
        redo = np.flatnonzero(pending & self.touched)
        if not len(redo):
            return redo
        for i in redo.tolist():
            e = float(e_next[town[i]])
            cal = g.calendars[cal_of[i]]
            if inc.start_h[i] >= now_h:
                t = cal.add_duty_hours(float(inc.start_h[i]), float(self.mass[i]) / e)
            else:
                t = cal.add_duty_hours(now_h, max(float(self.mass[i] - self.spent[i]), 0.0) / e)
            self.found_at[self.patrol, i] = t
        return self._decide(redo)

    def _decide(self, idx: np.ndarray) -> np.ndarray:
        """Discovery columns of ``idx`` from the channels' find times, as
        ``ChannelDiscovery.start`` decides them; the incidents whose report time moved."""
        inc = self.inc
        at = self.found_at[:, idx]
        first = at.min(axis=0)
        channel = at.argmin(axis=0)
        found = first < inc.self_end_h[idx]
        discovered = np.where(found, first, np.nan)
        settled = found & (channel == self.patrol) & self.willing[idx]
        delay = self.delays[channel, idx]
        reported = np.where(found & ~settled, discovered + delay, np.nan)
        old = inc.reported_h[idx]
        inc.discovered_h[idx] = discovered
        inc.channel[idx] = np.where(found, channel, -1)
        inc.settled[idx] = settled
        inc.settle_end_h[idx] = np.where(settled, discovered + self.settle_hours[idx], np.inf)
        inc.reported_h[idx] = reported
        same = (old == reported) | (np.isnan(old) & np.isnan(reported))
        return idx[~same]
