"""The placement search's moves, and the hypercube screen that ranks them.

Why a module of its own: ``place`` judges moves on common random numbers, which costs a
simulation each; this one only says which layouts are one move away and how the
hypercube ranks them, so the search simulates the few the screen likes best.

A layout is one county's units in the scenario's own ``units:`` form (what
``enforcement-sim layout`` prints), keyed by unit name. Moves, as issue 18 lists them:

- move a base: an integrated team's post to a township with no post; a stationed
  office to another of its own townships (a squadron or central pool sits at the
  bureau by definition and has no base to move);
- move a border township to a neighbouring unit (stationed offices and squadrons):
  a township goes to a unit that holds one of its ``NEIGHBOURS`` nearest townships,
  so zones stay contiguous by distance; a unit keeps at least one township and a
  stationed office keeps its base;
- move officers: one officer from one unit to another, or ``team_size`` officers (a
  team) from one post of an integrated team to another, the giver keeping a team.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from ..world.build import World
from .hypercube_world import CountyQueue

NEIGHBOURS = 3  # a township borders the units holding any of its 3 nearest townships
Layout = dict[str, dict]


@dataclass(frozen=True)
class Move:
    """One candidate: what changed, in words, and the layout after it."""

    text: str
    layout: Layout


def moves(layout: Layout, world: World, team_size: int) -> Iterator[Move]:
    """Every layout one move away from ``layout`` (deterministic order)."""
    names = world.township_names
    for name, unit in layout.items():
        if unit.get("posts"):
            posts = unit["posts"]
            for town in unit["townships"]:
                for post in posts:
                    if town not in posts:
                        new = copy.deepcopy(layout)
                        new[name]["posts"] = {town if p == post else p: n
                                              for p, n in posts.items()}  # fmt: skip
                        yield Move(f"{name}: post {post} -> {town}", new)
            for a in posts:
                for b in posts:
                    if a != b and posts[a] - team_size >= team_size:
                        new = copy.deepcopy(layout)
                        new[name]["posts"][a] -= team_size
                        new[name]["posts"][b] += team_size
                        yield Move(f"{name}: {team_size} officer(s) {a} -> {b}", new)
        elif unit.get("base_township"):
            for town in unit["townships"]:
                if town != unit["base_township"]:
                    new = copy.deepcopy(layout)
                    new[name]["base_township"] = town
                    yield Move(f"{name}: base {unit['base_township']} -> {town}", new)
    if len(layout) < 2:
        return
    owner = {t: n for n, u in layout.items() for t in u["townships"]}
    index = {t: i for i, t in enumerate(names)}
    for town, a in owner.items():
        unit = layout[a]
        if len(unit["townships"]) < 2 or unit.get("base_township") == town:
            continue
        near = np.argsort(world.road_km[index[town], : len(names)])[1 : NEIGHBOURS + 1]
        for b in dict.fromkeys(owner.get(names[j]) for j in near):
            if b is None or b == a:
                continue
            new = copy.deepcopy(layout)
            new[a]["townships"] = [t for t in unit["townships"] if t != town]
            new[b]["townships"] = [*layout[b]["townships"], town]
            yield Move(f"{town}: {a} -> {b}", new)
    for a, ua in layout.items():
        for b in layout:
            if a != b and ua["officers"] - 1 >= team_size:
                new = copy.deepcopy(layout)
                new[a]["officers"] -= 1
                new[b]["officers"] += 1
                yield Move(f"1 officer {a} -> {b}", new)


def unit_points(unit: dict, world: World, bureau: int) -> list[int]:
    """The points of a unit's servers, one per team: its posts, its base, or (squadrons,
    a central pool) the county ``bureau`` point."""
    size = world.scenario.enforcement.team_size
    index = {t: i for i, t in enumerate(world.township_names)}
    if unit.get("posts"):
        return [index[p] for p, n in unit["posts"].items() for _ in range(max(1, n // size))]
    point = index[unit["base_township"]] if unit.get("base_township") else bureau
    return [point] * max(1, unit["officers"] // size)


def screen_h(
    layout: Layout, world: World, queue: CountyQueue, bureau: int, mean_service_h: float
) -> float:
    """Mean response the hypercube predicts for ``layout``: each unit a queue of its own
    over its townships (an integrated team: one over the county), a server per team at
    its post (squadrons: at the county ``bureau`` point), weighted by arrival rates.
    Infinity when a unit cannot clear its calls."""
    index = {t: i for i, t in enumerate(world.township_names)}
    atom = {t: k for k, t in enumerate(queue.townships)}
    total, weight = 0.0, 0.0
    for unit in layout.values():
        mine = [atom[index[t]] for t in unit["townships"]]
        lam = queue.arrivals_per_hour[mine]
        sub = CountyQueue(tuple(queue.townships[k] for k in mine), lam)
        try:
            res = sub.solve_posts(world, unit_points(unit, world, bureau), mean_service_h)
        except ValueError:  # more calls than the unit's servers can clear
            return float("inf")
        total += float(lam.sum()) * res.mean_response_h
        weight += float(lam.sum())
    return total / weight if weight else float("inf")
