"""A unit's free officers and its partner-wait clock, kept in one object.

The partner wait of a report is the on-duty time it waited while its unit had some
officers free but fewer than a legal team (1 <= free < team_size). The clock that
measures it must tick before every change of the free count, so the free list lives
here and changes only through ``take`` and ``give``: the clock cannot be forgotten.

Ticking only logs the interval since the last tick; the logs are turned into duty hours
once, at the end (``partner_waits``), one calendar call per calendar, and summed in the
order the ticks came — bit for bit what one calendar call per tick gave, at a fraction
of the cost (it was the top of the profile).
"""

from __future__ import annotations

from itertools import chain
from typing import TYPE_CHECKING

import numpy as np

from ..world.duty import DutyCalendar

if TYPE_CHECKING:
    from .officers import Officer


class FreeOfficers:
    __slots__ = ("officers", "team_size", "at", "log_from", "log_to")

    def __init__(self, officers: list[Officer], team_size: int) -> None:
        self.officers = officers  # read freely; change only by take and give
        self.team_size = team_size
        self.at = 0.0  # when the clock last ticked
        self.log_from: list[float] = []
        self.log_to: list[float] = []

    def tick(self, now: float) -> int:
        """Advance the clock to now; returns its position in the log.

        Outside 1 <= free < team_size the clock stands still: ``at`` is then never read
        before the next change of the free count sets it again.
        """
        if 0 < len(self.officers) < self.team_size and now > self.at:
            self.log_from.append(self.at)
            self.log_to.append(now)
        self.at = now
        return len(self.log_from)

    # take and give tick the clock as ``tick`` does, written out: they run for every
    # officer of every job and diverted task, and the call was a measurable share of a run

    def take(self, officer: Officer, now: float) -> None:
        officers = self.officers
        if 0 < len(officers) < self.team_size and now > self.at:
            self.log_from.append(self.at)
            self.log_to.append(now)
        self.at = now
        officer.free = False
        officers.remove(officer)

    def give(self, officer: Officer, now: float) -> None:
        officers = self.officers
        if 0 < len(officers) < self.team_size and now > self.at:
            self.log_from.append(self.at)
            self.log_to.append(now)
        self.at = now
        officer.free = True
        officer.free_since = now
        officers.append(officer)


def partner_waits(
    units: list[FreeOfficers],
    calendars: list[DutyCalendar],
    unit_of_job: list[int],
    log_at_queue: list[int],
    log_at_team: list[int],
    need: np.ndarray,
) -> np.ndarray:
    """Every job's partner-wait duty hours: its unit's clock when its team was formed (or
    the run ended) minus the clock when it was queued; 0 for a job one officer may do
    alone (it never waits for a partner), NaN for a job never queued.

    The clock is the running sum of the logged intervals' duty hours, added in the order
    the ticks logged them.
    """
    hours: list[np.ndarray] = [np.zeros(0)] * len(units)
    groups: dict[DutyCalendar, list[int]] = {}
    for u, cal in enumerate(calendars):
        groups.setdefault(cal, []).append(u)
    for cal, members in groups.items():
        n = sum(len(units[u].log_from) for u in members)
        each = cal.duty_hours_between_many(
            np.fromiter(chain.from_iterable(units[u].log_from for u in members), float, n),
            np.fromiter(chain.from_iterable(units[u].log_to for u in members), float, n),
        )
        start = 0
        for u in members:
            hours[u] = each[start : start + len(units[u].log_from)]
            start += len(units[u].log_from)
    clocks, offset = [], []
    start = 0
    for u in range(len(units)):
        clocks.append(np.concatenate([[0.0], np.cumsum(hours[u])]))
        offset.append(start)
        start += len(hours[u]) + 1
    clock = np.concatenate(clocks)
    team_at = np.asarray(log_at_team, dtype=np.int64)
    seen = team_at >= 0
    base = np.asarray(offset, dtype=np.int64)[np.asarray(unit_of_job, dtype=np.int64)]
    queued_at = np.asarray(log_at_queue, dtype=np.int64)
    at_team = clock[np.where(seen, base + team_at, 0)]
    waited = at_team - clock[np.where(seen, base + queued_at, 0)]
    return np.where(seen, np.where(need > 1, waited, 0.0), np.nan)
