"""Enforcement policies: small swappable pieces chosen by name in the scenario.

A shortfall policy says how many officers to send when the free officers are
counted; a dispatch order says which waiting report is served next. New
policies (severity first, mutual aid) are new classes in these registries.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from typing import Protocol


class ShortfallPolicy(Protocol):
    def team_count(self, free: int, team_size: int) -> int | None:
        """Officers to send now, or ``None`` to keep the report waiting."""
        ...


class Wait:
    """Never send fewer than the law requires."""

    def team_count(self, free: int, team_size: int) -> int | None:
        return team_size if free >= team_size else None


class GoAlone:
    """Send whoever is free, a recorded breach of the two-person rule if short."""

    def team_count(self, free: int, team_size: int) -> int | None:
        return min(free, team_size) if free >= 1 else None


SHORTFALL_POLICIES: dict[str, ShortfallPolicy] = {"wait": Wait(), "go_alone": GoAlone()}


class DispatchQueue(Protocol):
    def push(self, incident: int) -> None: ...

    def pop(self) -> int: ...

    def __len__(self) -> int: ...

    def __iter__(self) -> Iterator[int]: ...


class Fifo:
    """Strictly first come, first served within a unit."""

    def __init__(self) -> None:
        self._q: deque[int] = deque()

    def push(self, incident: int) -> None:
        self._q.append(incident)

    def pop(self) -> int:
        return self._q.popleft()

    def __len__(self) -> int:
        return len(self._q)

    def __iter__(self) -> Iterator[int]:
        return iter(self._q)


DISPATCH_ORDERS: dict[str, type[DispatchQueue]] = {"fifo": Fifo}
