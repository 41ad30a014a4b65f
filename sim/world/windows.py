"""Duty as an explicit list of windows over the run, for what a weekly pattern cannot say.

A public holiday, a weekend team that changes every week or an on-call team that changes
every night breaks the weekly tiling of ``DutyCalendar``. This calendar holds every window
of the run instead — sorted starts and ends and the duty hours before each window — and
answers the same questions with the same interface (``on_duty``, ``next_start``,
``next_end``, ``cumulative``, ``duty_hours_between[_many]``, ``add_duty_hours[_many]``,
``always``), so every caller works unchanged. Beyond the last window there is no duty.

Compared by identity: a rota builds each distinct list of windows once and shares the
object (``WindowCalendar.interned``), so grouping officers or units by calendar stays a
dictionary look-up, never a comparison of thousands of floats.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

Window = tuple[float, float]


def merged(windows: Iterable[Window]) -> list[Window]:
    """Sorted windows with those that overlap or touch joined (duty that does not stop
    has no start or end there, so a dispatcher woken at such a "start" would find nothing
    changed); empty windows dropped."""
    a = np.array(list(windows), dtype=float).reshape(-1, 2)
    a = a[a[:, 1] > a[:, 0]]
    if not len(a):
        return []
    a = a[np.lexsort((a[:, 1], a[:, 0]))]
    reach = np.maximum.accumulate(a[:, 1])  # the latest end so far
    new = np.ones(len(a), dtype=bool)
    new[1:] = a[1:, 0] > reach[:-1]
    first = np.flatnonzero(new)
    last = np.append(first[1:] - 1, len(a) - 1)
    return list(zip(a[first, 0].tolist(), reach[last].tolist(), strict=True))


def minus(a: list[Window], b: list[Window]) -> list[Window]:
    """The parts of merged windows ``a`` outside merged windows ``b``."""
    out: list[Window] = []
    j = 0
    for lo, hi in a:
        while j < len(b) and b[j][1] <= lo:
            j += 1
        k = j
        while lo < hi and k < len(b) and b[k][0] < hi:
            if b[k][0] > lo:
                out.append((lo, b[k][0]))
            lo = max(lo, b[k][1])
            k += 1
        if lo < hi:
            out.append((lo, hi))
    return out


@dataclass(frozen=True, eq=False)
class WindowCalendar:
    """Duty in the given windows (merged, sorted), none outside them; t in hours."""

    starts: tuple[float, ...]
    ends: tuple[float, ...]
    always: bool = field(default=False, init=False)
    # duty hours before each window, and up to each window's end
    before: tuple[float, ...] = field(init=False)
    upto: tuple[float, ...] = field(init=False)

    def __post_init__(self) -> None:
        before, upto, total = [], [], 0.0
        for lo, hi in zip(self.starts, self.ends, strict=True):
            before.append(total)
            total += hi - lo
            upto.append(total)
        set_ = object.__setattr__
        set_(self, "before", tuple(before))
        set_(self, "upto", tuple(upto))
        set_(self, "_s", np.asarray(self.starts, dtype=float))
        set_(self, "_e", np.asarray(self.ends, dtype=float))
        set_(self, "_b", np.asarray(before, dtype=float))
        set_(self, "_u", np.asarray(self.upto, dtype=float))
        set_(self, "_last", (0.0, 0.0, False))  # see on_duty

    @classmethod
    def of(cls, windows: Iterable[Window]) -> WindowCalendar:
        w = merged(windows)
        return cls(tuple(lo for lo, _ in w), tuple(hi for _, hi in w))

    @classmethod
    def interned(cls, windows: Iterable[Window], cache: dict) -> WindowCalendar:
        """The calendar of these windows, the same object for the same windows."""
        w = tuple(merged(windows))
        if w not in cache:
            cache[w] = cls(tuple(lo for lo, _ in w), tuple(hi for _, hi in w))
        return cache[w]

    def windows(self) -> list[Window]:
        return list(zip(self.starts, self.ends, strict=True))

    def on_duty(self, t: float) -> bool:
        """Asked very often, mostly about nearly the same time: the answer holds over the
        stretch ``[lo, hi)`` around the last time asked, kept to answer again at once."""
        lo, hi, state = self._last  # type: ignore[attr-defined]
        if lo <= t < hi:
            return state
        i = bisect_right(self.starts, t) - 1
        if i >= 0 and t < self.ends[i]:
            stretch = (self.starts[i], self.ends[i], True)
        else:
            lo = self.ends[i] if i >= 0 else -math.inf
            stretch = (lo, self.starts[i + 1] if i + 1 < len(self.starts) else math.inf, False)
        object.__setattr__(self, "_last", stretch)
        return stretch[2]

    def on_duty_many(self, t: np.ndarray) -> np.ndarray:
        t = np.asarray(t, dtype=float)
        if not len(self.starts):
            return np.zeros(t.shape, dtype=bool)
        i = np.searchsorted(self._s, t, side="right") - 1  # type: ignore[attr-defined]
        return (i >= 0) & (t < self._e[np.maximum(i, 0)])  # type: ignore[attr-defined]

    def next_start(self, t: float) -> float:
        """The first window start strictly after ``t`` (inf if none)."""
        i = bisect_right(self.starts, t)
        return self.starts[i] if i < len(self.starts) else math.inf

    def next_end(self, t: float) -> float:
        """End of the window holding ``t``, else of the next one (inf if none)."""
        i = bisect_right(self.starts, t) - 1
        if i >= 0 and t < self.ends[i]:
            return self.ends[i]
        return self.ends[i + 1] if i + 1 < len(self.ends) else math.inf

    def _at(self, t: float) -> float:
        """Duty hours in [0, t]."""
        i = bisect_right(self.starts, t) - 1
        if i < 0:
            return 0.0
        return self.before[i] + min(t - self.starts[i], self.ends[i] - self.starts[i])

    def cumulative(self, t: np.ndarray) -> np.ndarray:
        """Duty hours in [0, t] for an array of times."""
        t = np.asarray(t, dtype=float)
        if not len(self.starts):
            return np.zeros(t.shape)
        s, e = self._s, self._e  # type: ignore[attr-defined]
        i = np.searchsorted(s, t, side="right") - 1
        k = np.maximum(i, 0)
        into = np.clip(t - s[k], 0.0, e[k] - s[k])
        return np.where(i < 0, 0.0, self._b[k] + into)  # type: ignore[attr-defined]

    def duty_hours_between(self, a: float, b: float) -> float:
        """Hours of duty inside [a, b]; 0 if ``b <= a``."""
        if b <= a:
            return 0.0
        return max(self._at(b) - self._at(a), 0.0)

    def duty_hours_between_many(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
        hours = np.maximum(self.cumulative(b) - self.cumulative(a), 0.0)
        return np.where(b > a, hours, 0.0)

    def add_duty_hours(self, t: float, hours: float) -> float:
        """The earliest time by which ``hours`` of duty have passed since ``t``: inside a
        window (at its end at the latest), inf when the windows run out first."""
        if hours < 0:
            raise ValueError(f"hours must be >= 0, got {hours}")
        if hours == 0:
            return t
        target = self._at(t) + hours
        i = bisect_left(self.upto, target)  # upto[i - 1] < target <= upto[i]
        if i == len(self.starts):
            return math.inf
        return self.starts[i] + (target - self.before[i])

    def add_duty_hours_many(self, t: float, hours: np.ndarray) -> np.ndarray:
        """:meth:`add_duty_hours` from one time ``t`` for an array of amounts."""
        hours = np.asarray(hours, dtype=float)
        if (hours < 0).any():
            raise ValueError(f"hours must be >= 0, got {hours.min()}")
        if not len(self.starts):
            return np.where(hours == 0, t, math.inf)
        target = self._at(t) + hours
        i = np.searchsorted(self._u, target, side="left")  # type: ignore[attr-defined]
        inside = i < len(self.starts)
        k = np.where(inside, i, 0)
        out = np.where(inside, self._s[k] + (target - self._b[k]), math.inf)  # type: ignore[attr-defined]
        return np.where(hours == 0, t, out)
