"""Officers' hours, booked once at the end of a run from the log of their work.

Every piece of an officer's work — a job, the way back, a diverted task — is one row of
the work log (``EnforcementUnits.assignments``): the officer, its kind, its start, the
officer's arrival, the end of the work and the end of the stretch. Its shape is always
the same — travel until arrival, the work until its end, what follows until the end —
so the hours by activity and the busy stretches follow from the row alone, clipped to the
measured window. They were booked row by row during the run (65,000 calls a Jinhua year,
a tenth of it); here they are booked in bulk, to the same floats: each point clipped as
before, each leg the same difference, and each officer's hours of an activity added in the
order the rows were logged (``np.add.accumulate`` adds left to right, as ``+=`` did).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .officers import (  # fmt: skip
    ACTIVITIES,
    ASSIGNMENT_KINDS,
    DIVERTED_WORK,
    INSPECTING,
    ON_SITE,
    PAPERWORK,
    TRAVEL,
)

ITEMS = 8  # items a row of the log: see WorkLog
_ACT = {a: i for i, a in enumerate(ACTIVITIES)}
# by kind (ASSIGNMENT_KINDS order): the activity of the work, and of what follows it
_WORK = np.array([_ACT[ON_SITE], _ACT[INSPECTING], _ACT[TRAVEL], _ACT[DIVERTED_WORK]], np.int32)
_AFTER = np.array([_ACT[PAPERWORK], _ACT[INSPECTING], _ACT[TRAVEL], _ACT[DIVERTED_WORK]], np.int32)
assert len(_WORK) == len(ASSIGNMENT_KINDS)


@dataclass(frozen=True)
class WorkLog:
    """The flat log as columns, in the order logged: officer (index), kind (index into
    ASSIGNMENT_KINDS), job (-1 for none), start, end, callout, arrival (``there``) and
    the end of the work (``done``)."""

    officer: np.ndarray
    kind: np.ndarray
    job: np.ndarray
    start: np.ndarray
    end: np.ndarray
    callout: np.ndarray
    there: np.ndarray
    done: np.ndarray


def work_log(log: list) -> WorkLog:
    """The flat log (``EnforcementUnits.assignments``) as columns: each a strided slice."""
    n = len(log) // ITEMS
    ints, floats = (np.int64, n), (float, n)
    return WorkLog(
        officer=np.fromiter(log[0::ITEMS], *ints),
        kind=np.fromiter(log[1::ITEMS], *ints),
        job=np.fromiter(log[2::ITEMS], *ints),
        start=np.fromiter(log[3::ITEMS], *floats),
        end=np.fromiter(log[4::ITEMS], *floats),
        callout=np.fromiter(log[5::ITEMS], bool, n),
        there=np.fromiter(log[6::ITEMS], *floats),
        done=np.fromiter(log[7::ITEMS], *floats),
    )


@dataclass(frozen=True)
class Booked:
    """Per officer: hours by activity (columns in ACTIVITIES order) and the busy stretches,
    grouped by officer (``busy_from[at[k]:at[k + 1]]`` are officer k's, in order)."""

    hours: np.ndarray
    busy_from: np.ndarray
    busy_to: np.ndarray
    at: np.ndarray


def book(work: WorkLog, n_officers: int, window: tuple[float, float]) -> Booked:
    lo, hi = window
    start, there, done, end = (np.clip(x, lo, hi) for x in (work.start, work.there,
                                                             work.done, work.end))  # fmt: skip
    n_act = len(ACTIVITIES)
    # the three legs of every row, row by row in the order logged: travel, work, after;
    # only those that last are added (as ``Officer.book`` did), keyed by officer and activity
    kept = np.stack([there > start, done > there, end > done], axis=1)
    value = np.stack([there - start, done - there, end - done], axis=1)[kept]
    key = np.stack([np.full(len(start), _ACT[TRAVEL], dtype=np.int32), _WORK[work.kind],
                    _AFTER[work.kind]], axis=1)  # fmt: skip
    key += (work.officer * n_act).astype(np.int32)[:, None]
    key = key[kept]
    del kept
    order = np.argsort(key, kind="stable")  # each officer's activity, in the order logged
    key, value = key[order], value[order]
    del order
    hours = np.zeros(n_officers * n_act)
    bounds = np.flatnonzero(np.diff(key)) + 1
    for a, b in zip([0, *bounds.tolist()], [*bounds.tolist(), len(key)], strict=True):
        if b > a:
            hours[key[a]] = np.add.accumulate(value[a:b])[-1]
    busy = np.flatnonzero(end > start)
    by = busy[np.argsort(work.officer[busy], kind="stable")]
    at = np.searchsorted(work.officer[by], np.arange(n_officers + 1))
    return Booked(hours.reshape(n_officers, n_act), start[by], end[by], at)
