"""Officers' hours booked in bulk from the work log (``sim.model.bookings``) are, to the
bit, what booking each piece of work as it happened gave: the reference below is that
booking, row by row (each point clipped to the window, three legs, ``+=`` per activity)."""

from __future__ import annotations

import numpy as np

from sim.model.bookings import ITEMS, book, work_log
from sim.model.officers import (
    ACTIVITIES,
    DIVERTED_WORK,
    INSPECTING,
    ON_SITE,
    PAPERWORK,
    TRAVEL,  # fmt: skip
)

WORK = (ON_SITE, INSPECTING, TRAVEL, DIVERTED_WORK)  # by kind: the work, and what follows
AFTER = (PAPERWORK, INSPECTING, TRAVEL, DIVERTED_WORK)


def _by_row(rows, n_officers, window):
    """Officer.book as it was, one row at a time."""
    lo, hi = window
    hours = [dict.fromkeys(ACTIVITIES, 0.0) for _ in range(n_officers)]
    busy = [[] for _ in range(n_officers)]
    for officer, kind, _job, start, end, _flag, there, done in rows:
        if not (lo <= start and end <= hi):
            start, there, done, end = [
                lo if t < lo else hi if t > hi else t for t in (start, there, done, end)
            ]
        h = hours[officer]
        if there > start:
            h[TRAVEL] += there - start
        if done > there:
            h[WORK[kind]] += done - there
        if end > done:
            h[AFTER[kind]] += end - done
        if end > start:
            busy[officer].append((start, end))
    return hours, busy


def test_bulk_booking_is_booking_row_by_row():
    rng = np.random.default_rng(7)
    n_officers, window, rows = 5, (100.0, 900.0), []
    for _ in range(3000):
        kind = int(rng.integers(4))
        start = float(rng.uniform(0, 1000))
        there = start + float(rng.exponential(0.7)) * (kind < 2)
        done = there + float(rng.exponential(2.0)) * (kind != 2)
        end = done + float(rng.exponential(1.0)) * (kind < 2)
        if kind == 2:  # the way back: all travel
            there = done = end = start + float(rng.exponential(0.5))
        rows.append((int(rng.integers(n_officers)), kind, -1, start, end, False, there, done))
    hours, busy = _by_row(rows, n_officers, window)
    booked = book(work_log([x for row in rows for x in row]), n_officers, window)
    assert len(rows[0]) == ITEMS
    for k in range(n_officers):
        assert booked.hours[k].tolist() == [hours[k][a] for a in ACTIVITIES]
        mine = slice(booked.at[k], booked.at[k + 1])
        frm, to = booked.busy_from[mine].tolist(), booked.busy_to[mine].tolist()
        got = list(zip(frm, to, strict=True))
        assert got == busy[k]
    assert booked.hours.sum() > 0 and any(busy)
