"""Officers and the one way their hours are booked.

Every piece of an officer's work — a job, the way back, a diverted task — is one
stretch (travel, work, what follows the work) and is booked by ``Officer.book``: its
hours by activity and the whole stretch as busy, clipped to the measured window, so
that activity hours and busy hours can never disagree. Busy stretches are only logged
here; their duty hours are counted in bulk by the records (``records._busy_hours``),
since calendar arithmetic per stretch was once the top of the profile.
"""

from __future__ import annotations

from ..world.duty import DutyCalendar
from ..world.rota import OfficerDuty
from ..world.windows import WindowCalendar

ACTIVITIES = ("onsite", "travel", "paperwork", "inspection", "diverted")
ON_SITE, TRAVEL, PAPERWORK, INSPECTING, DIVERTED_WORK = ACTIVITIES
# kinds of officer assignments, logged by their index (see EnforcementUnits.assignments)
ASSIGNMENT_KINDS = ("incident", "inspection", "return", "diverted")
INCIDENT_JOB, INSPECTION_JOB, RETURN, DIVERTED = range(4)


class Officer:
    __slots__ = (
        "id", "unit", "home", "loc", "free", "free_since", "pending", "hours",
        "busy_from", "busy_to", "calendar", "duty", "callouts", "rest_until", "week",
        "week_callouts",
    )  # fmt: skip

    def __init__(
        self,
        ident: str,
        unit: int,
        home: int,
        calendar: DutyCalendar | WindowCalendar,
        duty: OfficerDuty | None = None,
    ) -> None:
        self.id = ident
        self.unit = unit
        self.home = home
        self.loc = home
        self.free = True
        self.free_since = 0.0
        self.pending: list[float] = []  # diverted tasks waiting for this officer
        self.hours = dict.fromkeys(ACTIVITIES, 0.0)
        self.busy_from: list[float] = []  # busy stretches inside the measured window,
        self.busy_to: list[float] = []  # turned into duty hours once, at the end
        self.calendar = calendar  # own regular duty
        self.duty = duty  # own rota (on call, limits); None: the unit's default rota
        self.callouts = 0  # call-outs gone on, teams formed in the measured window
        self.rest_until = 0.0  # inf while out on a call-out that is followed by rest
        self.week = -1  # run week of the call-outs counted in week_callouts
        self.week_callouts = 0

    def book(
        self,
        start: float,
        there: float,
        done: float,
        end: float,
        work: str,
        after: str,
        window: tuple[float, float],
    ) -> None:
        """Book a stretch of work: travel from ``start`` until ``there``, ``work`` until
        ``done``, ``after`` until ``end``, and the whole stretch as busy, clipped to the
        measured window. Every piece of work has this shape, some legs empty (the way
        back is all travel; a diverted task has no travel).

        One fixed shape rather than a list of legs, and nothing to clip when the stretch
        lies inside the window: this runs for every officer of every job, and a loop over
        legs cost 2% of a run. Clipping each point into the window gives the same floats
        as clipping each leg.
        """
        lo, hi = window
        if not (lo <= start and end <= hi):
            start, there, done, end = [
                lo if t < lo else hi if t > hi else t for t in (start, there, done, end)
            ]
        hours = self.hours
        if there > start:
            hours[TRAVEL] += there - start
        if done > there:
            hours[work] += done - there
        if end > done:
            hours[after] += end - done
        if end > start:
            self.busy_from.append(start)
            self.busy_to.append(end)

    def book_all(
        self, start: float, end: float, activity: str, window: tuple[float, float]
    ) -> None:
        """Book a stretch that is all one activity (a diverted task, the way back):
        ``book(start, start, end, end, activity, activity, window)`` — the same floats —
        without its legs: a third of all bookings, and most lie inside the window."""
        if window[0] <= start and end <= window[1]:
            if end > start:
                self.hours[activity] += end - start
                self.busy_from.append(start)
                self.busy_to.append(end)
        else:
            self.book(start, start, end, end, activity, activity, window)
