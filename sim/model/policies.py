"""Enforcement policies: small swappable pieces chosen by name in the scenario.

A dispatch order ranks a unit's waiting jobs; a shortfall policy forms the team
for the job at the head of the queue, or says it must wait. Each registers itself
(``sim.registry``) under the name a scenario uses, and the schema accepts exactly
the registered names: a new policy is one class here, never an ``if`` elsewhere.

Order is strict: the first job the unit may serve now (off duty, only on-call
severities) blocks those behind it, so a two-officer report waiting for a
partner holds up a one-officer job behind it. This keeps "first come, first
served" honest and is what queueing theory's checks assume.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Collection, Iterator
from typing import TYPE_CHECKING, Protocol

from ..registry import DISPATCH_ORDERS, SHORTFALL_POLICIES

if TYPE_CHECKING:
    from .enforcement import EnforcementUnits
    from .officers import Officer

# job classes: reports of incidents come before planned inspections
INCIDENT, INSPECTION = 0, 1

OrderKey = Callable[[int, int, float], tuple]


@DISPATCH_ORDERS.register_as("fifo")
def fifo_key(klass: int, severity: int, seq: float) -> tuple:
    return (klass, seq)


@DISPATCH_ORDERS.register_as("severity")
def severity_key(klass: int, severity: int, seq: float) -> tuple:
    """Major first, then first come."""
    return (klass, -severity, seq)


class JobQueue:
    """A unit's waiting jobs, kept sorted by the dispatch order's key, with a count of
    the waiting jobs of each severity (so an off-duty unit can tell at once whether
    anyone is to be called out)."""

    def __init__(self, key: OrderKey) -> None:
        self.key = key
        # (key, job) pairs in dispatch order; read them freely, change them only by methods
        self.items: list[tuple[tuple, int]] = []
        self._severity: dict[int, int] = {}
        self._severity_of: dict[int, int] = {}

    def push(self, job: int, klass: int, severity: int, seq: float) -> None:
        bisect.insort(self.items, (self.key(klass, severity, seq), job))
        self._severity[severity] = self._severity.get(severity, 0) + 1
        self._severity_of[job] = severity

    def first(self, eligible: Callable[[int], bool] | None = None) -> int | None:
        if eligible is None:
            return self.items[0][1] if self.items else None
        for _, job in self.items:
            if eligible(job):
                return job
        return None

    def holds_any(self, severities: Collection[int]) -> bool:
        """Whether a job of one of these severities is waiting."""
        count = self._severity
        return any(count.get(s, 0) for s in severities)

    def remove(self, job: int) -> None:
        for i, (_, j) in enumerate(self.items):
            if j == job:
                del self.items[i]
                self._severity[self._severity_of.pop(job)] -= 1
                return

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[int]:
        return (j for _, j in self.items)


class ShortfallPolicy(Protocol):
    """What the rest of the code may ask of a shortfall policy, so that nothing outside
    this module compares its name: whether it may send fewer than the law requires
    (``allows_short_team``), whether it may take officers of another unit
    (``crosses_units``), the fewest free officers of its own with which a unit may send
    anyone (``min_free``) and the fewest a unit must have to act at all (``least_staff``).
    """

    name: str
    allows_short_team: bool
    crosses_units: bool

    def min_free(self, need: int) -> int:
        """Below this many free officers of its own (no job needing fewer than ``need``)
        a dispatch can only find that no team can be formed, so it is skipped."""
        ...

    def least_staff(self, largest_team: int, team_size: int) -> int:
        """The fewest officers a unit (or county) needs to act at all, when the largest
        team a job needs is ``largest_team`` and the law's is ``team_size``."""
        ...

    def form_team(
        self, enf: EnforcementUnits, unit: int, job: int, need: int
    ) -> list[Officer] | None:
        """The officers to send to ``job`` now, or ``None`` to keep it waiting."""
        ...


class _OwnUnit:
    """Teams from the unit's own free officers, nearest first: sent once at least
    ``min_free(need)`` of them are free (by default the whole team)."""

    allows_short_team = False
    crosses_units = False

    @staticmethod
    def min_free(need: int) -> int:
        return need

    @staticmethod
    def least_staff(largest_team: int, team_size: int) -> int:
        return team_size

    def form_team(
        self, enf: EnforcementUnits, unit: int, job: int, need: int
    ) -> list[Officer] | None:
        free = enf.nearest_free(unit, job)
        return free[:need] if len(free) >= self.min_free(need) else None


@SHORTFALL_POLICIES.register
class Wait(_OwnUnit):
    """Never send fewer than the law requires."""

    name = "wait"

    @staticmethod
    def least_staff(largest_team: int, team_size: int) -> int:
        return max(largest_team, team_size)


@SHORTFALL_POLICIES.register
class GoAlone(_OwnUnit):
    """Send whoever is free, a recorded breach of the two-person rule if short."""

    name = "go_alone"
    allows_short_team = True

    @staticmethod
    def min_free(need: int) -> int:
        return 1


@SHORTFALL_POLICIES.register
class Borrow(_OwnUnit):
    """Mutual aid: once a report has waited long enough, fill the team (or all of it)
    from the nearest units that have officers free and nothing of their own waiting."""

    name = "borrow"
    crosses_units = True

    @staticmethod
    def min_free(need: int) -> int:
        return 0  # a unit with no one free may still be lent a whole team

    def form_team(
        self, enf: EnforcementUnits, unit: int, job: int, need: int
    ) -> list[Officer] | None:
        free = enf.nearest_free(unit, job)
        if len(free) >= need:
            return free[:need]
        if not enf.may_borrow(job):
            return None
        extra = enf.borrowable(unit, job, need - len(free))
        return free + extra if len(free) + len(extra) >= need else None
