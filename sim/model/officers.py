"""Officers: where they are, whether they are free, and their duty.

Their hours are not booked here: every piece of their work is a row of the work log
(``EnforcementUnits.assignments``), and the hours by activity and the busy stretches are
booked from it once, at the end (``bookings.book``).
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
        "id", "index", "unit", "home", "loc", "free", "free_since", "pending", "calendar",
        "duty", "callouts", "rest_until", "week", "week_callouts",
    )  # fmt: skip

    def __init__(
        self,
        ident: str,
        unit: int,
        home: int,
        calendar: DutyCalendar | WindowCalendar,
        duty: OfficerDuty | None = None,
        index: int = 0,
    ) -> None:
        self.id = ident
        self.index = index  # position among the run's officers: the work log's officer
        self.unit = unit
        self.home = home
        self.loc = home
        self.free = True
        self.free_since = 0.0
        self.pending: list[float] = []  # diverted tasks waiting for this officer
        self.calendar = calendar  # own regular duty
        self.duty = duty  # own rota (on call, limits); None: the unit's default rota
        self.callouts = 0  # call-outs gone on, teams formed in the measured window
        self.rest_until = 0.0  # inf while out on a call-out that is followed by rest
        self.week = -1  # run week of the call-outs counted in week_callouts
        self.week_callouts = 0
