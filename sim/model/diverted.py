"""Diverted work: the share of officers' duty time that grassroots management takes.

The article's burden shifting: where grid responsibility is weak, officers sunk
into the townships end up doing routine management. Each officer receives
single-officer tasks as a Poisson stream in *duty time* (so the expected
diverted hours are ``share`` x duty hours), mapped onto the calendar. A task
waits until its officer is free and on duty, and is taken before unit work: the
township's claim comes first, which is the article's complaint.
"""

from __future__ import annotations

import numpy as np

from ..world.build import World
from .officers import Officer
from .streams import Streams


def diverted_tasks(
    world: World, officers: list[Officer], streams: Streams
) -> tuple[list[float], list[int], list[float]]:
    """``(release_h, officer index, hours)`` of every task of the run, as three lists in
    time order (then officer, then hours); each officer's tasks come in their own regular
    duty (``Officer.calendar``)."""
    sc = world.scenario
    horizon = sc.horizon_hours
    task = sc.enforcement.diverted_task_hours
    # duty positions, officers and lengths by calendar: mapped onto each calendar at once
    by_cal: dict = {}
    duty_total = {}
    for k, officer in enumerate(officers):
        unit = world.units[officer.unit]
        if unit.diverted_share <= 0:
            continue
        cal = officer.calendar
        if cal not in duty_total:
            duty_total[cal] = cal.duty_hours_between(0.0, horizon)
        rng = streams.rng(f"diverted.{officer.id}")
        n = int(rng.poisson(unit.diverted_share * duty_total[cal] / task.mean))
        at = np.sort(rng.uniform(0.0, duty_total[cal], n))
        hours = task.sample(rng, n)
        group = by_cal.setdefault(cal, ([], [], []))
        group[0].append(at)
        group[1].append(np.full(n, k, dtype=np.int64))
        group[2].append(np.asarray(hours, dtype=float))
    if not by_cal:
        return [], [], []
    release, who, length = [], [], []
    for cal, (at, k, h) in by_cal.items():
        release.append(cal.add_duty_hours_many(0.0, np.concatenate(at)))
        who.extend(k)
        length.extend(h)
    t, k, h = np.concatenate(release), np.concatenate(who), np.concatenate(length)
    order = np.lexsort((h, k, t))  # as sorting (t, k, h) tuples
    return t[order].tolist(), k[order].tolist(), h[order].tolist()
