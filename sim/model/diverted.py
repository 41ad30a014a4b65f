"""Diverted work: the routine grassroots management that officers are handed.

The article's burden shifting: where grid responsibility is weak, officers sunk
into the townships end up doing routine management. Two models of where the work
comes from:

- the share model (default): each officer receives single-officer tasks as a Poisson
  stream in *duty time* (so the expected diverted hours are ``share`` x duty hours);
- township demand (``enforcement.township_demand``): each township generates tasks as a
  Poisson stream in its unit's office hours, whether or not there are officers to take
  them; a task reaches an officer of the township's unit with the deployment model's
  exposure (drawn per task up front, so every variant sees the same tasks), and is
  otherwise left to the township.

Either way a task waits until its officer is free and on duty, and is taken before unit
work: the township's claim comes first, which is the article's complaint.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..world.build import World
from .officers import Officer
from .streams import Streams


@dataclass(frozen=True)
class TownshipTasks:
    """Every task the townships generated in a run, in generation order (township, then
    time)."""

    release_h: np.ndarray
    township: np.ndarray
    hours: np.ndarray
    absorbed: np.ndarray  # bool: reached an officer (else left to the township)
    pick: np.ndarray  # uniform [0, 1): which of the eligible officers takes it


def township_tasks(world: World, streams: Streams) -> TownshipTasks:
    """The townships' tasks, each township on its own stream: a variant that changes who
    is posted where or how many officers there are sees the same tasks and draws."""
    demand = world.demand
    assert demand is not None
    spec = world.scenario.enforcement.township_demand
    horizon = world.scenario.horizon_hours
    parts: list[tuple] = []
    for t, name in enumerate(world.township_names):
        office = world.units[world.unit_of_township[t]].office
        duty_h = office.duty_hours_between(0.0, horizon)
        rng = streams.rng(f"township_demand.{name}")
        n = int(rng.poisson(demand.hours_per_week[t] * horizon / 168.0 / spec.task_hours.mean))
        at = np.sort(rng.uniform(0.0, duty_h, n))
        hours = np.asarray(spec.task_hours.sample(rng, n), dtype=float)
        absorbed = rng.uniform(size=n) < demand.exposure[t]
        pick = rng.uniform(size=n)
        release = office.add_duty_hours_many(0.0, at) if n else np.zeros(0)
        parts.append((release, np.full(n, t, dtype=np.int64), hours, absorbed, pick))
    cols = [np.concatenate([p[i] for p in parts]) for i in range(5)]
    return TownshipTasks(*cols)


def township_demand_columns(world: World, streams: Streams) -> pd.DataFrame:
    """Per township, the hours of routine work generated in the measured window and of it
    those left to the township (grid-table columns, only when township demand is on)."""
    tasks = township_tasks(world, streams)
    lo, hi = world.scenario.warmup_hours, world.scenario.horizon_hours
    kept = (tasks.release_h >= lo) & (tasks.release_h < hi)
    n = world.n_townships
    demand = np.bincount(tasks.township[kept], weights=tasks.hours[kept], minlength=n)
    left = kept & ~tasks.absorbed
    return pd.DataFrame(
        {
            "township_demand_hours": demand,
            "diverted_hours_left": np.bincount(
                tasks.township[left], weights=tasks.hours[left], minlength=n
            ),
        }
    )


def _absorbed_tasks(
    world: World, officers: list[Officer], streams: Streams
) -> tuple[list[float], list[int], list[float]]:
    """The township tasks that reach an officer: one of the unit's officers posted in that
    township if it has any there, else any of the unit's officers."""
    tasks = township_tasks(world, streams)
    by_unit: dict[int, list[int]] = {}
    at_point: dict[tuple[int, int], list[int]] = {}
    for k, o in enumerate(officers):
        by_unit.setdefault(o.unit, []).append(k)
        at_point.setdefault((o.unit, o.home), []).append(k)
    keep = np.flatnonzero(tasks.absorbed)
    who = []
    for j in keep:
        t = int(tasks.township[j])
        u = int(world.unit_of_township[t])
        pool = at_point.get((u, t)) or by_unit[u]
        who.append(pool[int(tasks.pick[j] * len(pool))])
    t_, k_, h_ = tasks.release_h[keep], np.asarray(who, dtype=np.int64), tasks.hours[keep]
    order = np.lexsort((h_, k_, t_))
    return t_[order].tolist(), k_[order].tolist(), h_[order].tolist()


def diverted_tasks(
    world: World, officers: list[Officer], streams: Streams
) -> tuple[list[float], list[int], list[float]]:
    """``(release_h, officer index, hours)`` of every task of the run, as three lists in
    time order (then officer, then hours); under the share model each officer's tasks come
    in their own regular duty (``Officer.calendar``)."""
    if world.demand is not None:
        return _absorbed_tasks(world, officers, streams)
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
