"""Enforcement policies: small swappable pieces chosen by name in the scenario.

A dispatch order ranks a unit's waiting jobs; a shortfall policy forms the team
for the job at the head of the queue, or says it must wait. New policies are new
entries in these registries, never an ``if`` in the dispatcher.

Order is strict: the first job the unit may serve now (off duty, only on-call
severities) blocks those behind it, so a two-officer report waiting for a
partner holds up a one-officer job behind it. This keeps "first come, first
served" honest and is what queueing theory's checks assume.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .enforcement import Enforcement, Officer

# job classes: reports of incidents come before planned inspections
INCIDENT, INSPECTION = 0, 1

OrderKey = Callable[[int, int, float], tuple]


def fifo_key(klass: int, severity: int, seq: float) -> tuple:
    return (klass, seq)


def severity_key(klass: int, severity: int, seq: float) -> tuple:
    return (klass, -severity, seq)


DISPATCH_ORDERS: dict[str, OrderKey] = {"fifo": fifo_key, "severity": severity_key}


class JobQueue:
    """A unit's waiting jobs, kept sorted by the dispatch order's key."""

    def __init__(self, key: OrderKey) -> None:
        self.key = key
        self._items: list[tuple[tuple, int]] = []

    def push(self, job: int, klass: int, severity: int, seq: float) -> None:
        bisect.insort(self._items, (self.key(klass, severity, seq), job))

    def first(self, eligible: Callable[[int], bool] | None = None) -> int | None:
        for _, job in self._items:
            if eligible is None or eligible(job):
                return job
        return None

    def remove(self, job: int) -> None:
        for i, (_, j) in enumerate(self._items):
            if j == job:
                del self._items[i]
                return

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[int]:
        return (j for _, j in self._items)


class ShortfallPolicy(Protocol):
    def form_team(self, enf: Enforcement, unit: int, job: int, need: int) -> list[Officer] | None:
        """The officers to send to ``job`` now, or ``None`` to keep it waiting."""
        ...


class Wait:
    """Never send fewer than the law requires."""

    def form_team(self, enf: Enforcement, unit: int, job: int, need: int) -> list[Officer] | None:
        free = enf.nearest_free(unit, job)
        return free[:need] if len(free) >= need else None


class GoAlone:
    """Send whoever is free, a recorded breach of the two-person rule if short."""

    def form_team(self, enf: Enforcement, unit: int, job: int, need: int) -> list[Officer] | None:
        free = enf.nearest_free(unit, job)
        return free[:need] if free else None


class Borrow:
    """Mutual aid: once a report has waited long enough, fill the team (or all of it)
    from the nearest units that have officers free and nothing of their own waiting."""

    def form_team(self, enf: Enforcement, unit: int, job: int, need: int) -> list[Officer] | None:
        free = enf.nearest_free(unit, job)
        if len(free) >= need:
            return free[:need]
        if not enf.may_borrow(job):
            return None
        extra = enf.borrowable(unit, job, need - len(free))
        return free + extra if len(free) + len(extra) >= need else None


SHORTFALL_POLICIES: dict[str, ShortfallPolicy] = {
    "wait": Wait(),
    "go_alone": GoAlone(),
    "borrow": Borrow(),
}
