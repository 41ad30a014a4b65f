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
from .streams import Streams


def diverted_tasks(
    world: World, officer_ids: list[str], officer_units: list[int], streams: Streams
) -> list[tuple[float, int, float]]:
    """``(release_h, officer index, hours)`` for every task of the run, in time order."""
    sc = world.scenario
    horizon = sc.horizon_hours
    task = sc.enforcement.diverted_task_hours
    out: list[tuple[float, int, float]] = []
    for k, (ident, u) in enumerate(zip(officer_ids, officer_units, strict=True)):
        unit = world.units[u]
        if unit.diverted_share <= 0:
            continue
        cal = unit.calendar
        duty_total = cal.duty_hours_between(0.0, horizon)
        rng = streams.rng(f"diverted.{ident}")
        n = int(rng.poisson(unit.diverted_share * duty_total / task.mean))
        at = np.sort(rng.uniform(0.0, duty_total, n))
        hours = task.sample(rng, n)
        out.extend(
            (cal.add_duty_hours(0.0, float(x)), k, float(h)) for x, h in zip(at, hours, strict=True)
        )
    out.sort()
    return out
