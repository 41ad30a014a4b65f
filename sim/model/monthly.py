"""The monthly loop: at each calendar month's end, look at the run so far and set the next
month's levers of every township — the ranking's grid effort and deterrence's rate.

**Ranking (proposal 2).** Each township's month is scored on what monitoring would see:
its pollution-hours in the month (all of them where micro monitoring points cover it,
``unmonitored_visibility`` of them elsewhere) plus ``complaint_weight_hours`` per citizen
complaint (an incident found by the citizen channel in the month: the public's
evaluation). Townships are ranked, in the city or in each county; the worst
``bottom_share`` of those with a score above 0 get their grid effort multiplier raised by
``strength`` for the next month (capped at ``max_effort_multiplier``); the others lose
``decay_per_month`` of their effort above 1. The effort multiplies the township's
source-inspection visit rate, and the patrol search follows it (``sim.model.effort``).

**General deterrence (proposal 4).** At each month's end, per township, p is the share
of the violations that started in the last ``memory_months`` months (the current one
included) that were found and penalised by then: a legal team on site, and the case not
softened by township interference. A case settled on the spot by a grid officer is not
penalised, nor is one still open at the month's end. Townships see about one violation a
month, so p is shrunk toward its county's: (penalised + w p_county) / (violations + w),
w = ``prior_weight``. Next month's rate multiplier is clip((p / p_ref)^-elasticity,
``floor``, 1). The evidence that expected penalties deter environmental violations, and
spill over to firms not themselves inspected, is reviewed by Gray & Shimshack (2011),
"The effectiveness of environmental monitoring and enforcement: a review of the
empirical evidence", Rev. Environ. Econ. Policy 5(1): 3-24; Shimshack & Ward (2008),
"Enforcement and over-compliance", J. Environ. Econ. Manage. 55(1): 90-105, measure the
general-deterrence response to fines. The elasticity of a Jinhua township's violations
is not published: an assumption (docs/calibration.md).

It is applied by *thinning*: each incident has one uniform on ``incidents.deterrence``
and an incident starting next month in the township is deterred when the draw is at or
above the multiplier. A deterred incident never happened: never found, never reported,
not counted by the ranking and dropped from the records (the others keep their
``incident_id``, so variants stay paired).

With both mechanisms off nothing here runs and nothing is drawn.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import simpy

from ..registry import CHANNELS
from ..world.build import World
from ..world.dates import run_day
from .effort import PatrolSearch
from .incidents import Incidents
from .interference import SOFTENED
from .jobs import Jobs
from .streams import Streams

if TYPE_CHECKING:
    from .upfront import MonthlyDraws


def ranking_on(world: World) -> bool:
    """Does the ranking feed back into grid effort?"""
    r = world.scenario.ranking
    return r is not None and r.strength > 0


def deterrence_on(world: World) -> bool:
    """Does deterrence thin next month's violations?"""
    d = world.scenario.deterrence
    return d is not None and d.elasticity > 0


def monthly_measured(world: World) -> bool:
    """Is there a months table? Whenever either block is present, even at strength or
    elasticity 0: such a variant scores, ranks and measures penalty probabilities without
    acting on them (every other table bit-identical to the run without the block), so a
    comparison has a reference for the ranking's and deterrence's indicators."""
    sc = world.scenario
    return sc.ranking is not None or sc.deterrence is not None


def month_starts_h(world: World) -> list[float]:
    """Start (hours) of each calendar month of the run, the first at 0 (day 0 may fall
    mid-month: its month is then a partial one, as may be the last)."""
    sc = world.scenario
    first = sc.calendar.start_date
    out, y, m = [0.0], first.year, first.month
    while True:
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        t = run_day(sc.calendar, dt.date(y, m, 1)) * 24.0
        if t >= sc.horizon_hours:
            return out
        out.append(t)


class Monthly:
    """The month-end step and what it recorded, one row per township and month."""

    def __init__(
        self, env: simpy.Environment, world: World, inc: Incidents, jobs: Jobs,
        streams: Streams, drawn: MonthlyDraws, report_moved: Callable[[int], None],
    ) -> None:  # fmt: skip
        self.env, self.world, self.inc, self.jobs = env, world, inc, jobs
        self.report_moved = report_moved
        n_town, n = world.n_townships, len(inc)
        self.starts = month_starts_h(world)
        self.effort = np.ones(n_town)  # in the current month
        self.rate = np.ones(n_town)
        self.version = np.zeros(n, dtype=np.int64)  # 0: the up-front report is current
        # drawn up front, over the whole region when this is one batch of it
        self.u = drawn.deterrence_u
        self.search = None
        if drawn.found_at is not None:  # the ranking feeds back, and patrols find
            self.search = PatrolSearch(world, inc, drawn)
        self.rows: list[dict] = []

    def start(self) -> None:
        for k, t in enumerate(self.starts[1:], start=1):
            simpy.Timeout(self.env, t).callbacks.append(lambda _e, k=k: self._month_end(k))

    def skip(self, i: int) -> bool:
        """Is the up-front report of ``i`` void (deterred, or moved by the search)?"""
        return bool(self.inc.deterred[i]) or self.version[i] != 0

    # --- the month end --------------------------------------------------------------

    def _month_end(self, k: int) -> None:
        """End of month ``k - 1``, start of month ``k``: score, rank, deter, search."""
        lo, now = self.starts[k - 1], self.starts[k]
        hi = self.starts[k + 1] if k + 1 < len(self.starts) else self.world.scenario.horizon_hours
        row = self._score(k - 1, lo, now)
        e_next = self._rank(row) if self.world.scenario.ranking is not None else self.effort
        rate_next, p = self._deter(k, now, hi) if self.u is not None else (self.rate, None)
        row["penalty_probability"] = p
        self.rows.append(row)
        if self.search is not None:
            for i in self.search.month_end(lo, now, hi, self.effort, e_next).tolist():
                self._reschedule(i)
        self.effort, self.rate = e_next, rate_next

    def finish(self) -> pd.DataFrame:
        """The last month's row (scored to the horizon) and the months table."""
        k = len(self.starts)
        row = self._score(k - 1, self.starts[-1], self.world.scenario.horizon_hours)
        row["penalty_probability"] = None
        self.rows.append(row)
        return self._table()

    def _score(self, month: int, lo: float, hi: float) -> dict:
        """Pollution-hours and complaints of each township in [lo, hi), what monitoring
        sees of them (the score) and the month's counts."""
        inc, world = self.inc, self.world
        n_town = world.n_townships
        arrived = np.array(self.jobs.arrived_h[: len(inc)], dtype=float)
        end = np.fmin(np.fmin(inc.self_end_h, inc.settle_end_h), np.nan_to_num(arrived, nan=np.inf))
        live = ~inc.deterred
        hours = np.clip(np.minimum(end, hi) - np.maximum(inc.start_h, lo), 0.0, None)
        town = inc.township
        polluted = np.bincount(town[live], weights=hours[live], minlength=n_town)
        citizen = (inc.channel == CHANNELS.index("citizen")) & (inc.discovered_h >= lo)
        complaints = np.bincount(town[citizen & (inc.discovered_h < hi)], minlength=n_town)
        started = (inc.start_h >= lo) & (inc.start_h < hi)
        r = world.scenario.ranking
        seen, weight = 1.0, 0.0
        if r is not None:
            seen = np.where(world.grid.sensor_covered, 1.0, r.unmonitored_visibility)
            weight = r.complaint_weight_hours
        return {
            "month": month, "effort_multiplier": self.effort, "rate_multiplier": self.rate,
            "incidents": np.bincount(town[started & live], minlength=n_town),
            "deterred": np.bincount(town[started & ~live], minlength=n_town),
            "pollution_hours": polluted, "complaints": complaints,
            "score": polluted * seen + weight * complaints,
        }  # fmt: skip

    def _rank(self, row: dict) -> np.ndarray:
        """Rank (1: the lowest score) within the scope; next month's effort."""
        r, world = self.world.scenario.ranking, self.world
        score = row["score"]
        groups = world.township_county if r.scope == "county" else np.zeros_like(score, int)
        rank = np.zeros(len(score), dtype=np.int64)
        bottom = np.zeros(len(score), dtype=bool)
        for g in np.unique(groups):
            mine = np.flatnonzero(groups == g)
            order = mine[np.argsort(score[mine], kind="stable")]
            rank[order] = np.arange(1, len(mine) + 1)
            n_bottom = math.ceil(r.bottom_share * len(mine))
            worst = order[::-1][:n_bottom]
            bottom[worst[score[worst] > 0]] = True
        row["rank"], row["bottom"] = rank, bottom
        raised = np.minimum(self.effort + r.strength, r.max_effort_multiplier)
        decayed = 1.0 + (self.effort - 1.0) * (1.0 - r.decay_per_month)
        return np.where(bottom, raised, decayed)

    def _deter(self, k: int, now: float, hi: float) -> tuple[np.ndarray, np.ndarray]:
        """The penalty probability of each township over the memory, and next month's
        rate multiplier; the incidents of next month it deters are thinned out now."""
        d, inc, world = self.world.scenario.deterrence, self.inc, self.world
        n_town = world.n_townships
        since = self.starts[max(k - d.memory_months, 0)]
        seen = (inc.start_h >= since) & (inc.start_h < now) & ~inc.deterred
        arrived = np.array(self.jobs.arrived_h[: len(inc)], dtype=float)
        penalised = seen & (arrived <= now)
        if self.jobs.interference is not None:
            penalised &= self.jobs.interference != SOFTENED
        n = np.bincount(inc.township[seen], minlength=n_town).astype(float)
        pen = np.bincount(inc.township[penalised], minlength=n_town).astype(float)
        county = world.township_county
        n_c = np.bincount(county, weights=n)[county]
        pen_c = np.bincount(county, weights=pen)[county]
        ref = d.reference_probability
        p_c = np.where(n_c > 0, pen_c / np.maximum(n_c, 1.0), np.nan if ref is None else ref)
        w = d.prior_weight
        p = np.where(n + w > 0, (pen + w * p_c) / np.maximum(n + w, 1e-12), p_c)
        if not deterrence_on(world):  # measured only: nothing is thinned
            return np.ones(n_town), p
        with np.errstate(divide="ignore"):
            mult = np.clip((p / ref) ** -d.elasticity, d.floor, 1.0)
        nxt = (inc.start_h > now) & (inc.start_h < hi)
        gone = nxt & (self.u >= mult[inc.township])
        inc.deterred |= gone
        inc.discovered_h[gone] = np.nan
        inc.channel[gone] = -1
        inc.reported_h[gone] = np.nan
        inc.settled[gone] = False
        inc.settle_end_h[gone] = np.inf
        return mult, p

    def _reschedule(self, i: int) -> None:
        """The search moved ``i``'s report: void the one scheduled, schedule the new one."""
        self.version[i] += 1
        t = self.inc.reported_h[i]
        if np.isfinite(t):
            v = int(self.version[i])
            simpy.Timeout(self.env, float(t) - self.env.now).callbacks.append(
                lambda _e: self.version[i] == v and self.report_moved(i)
            )

    def _table(self) -> pd.DataFrame:
        world = self.world
        n_town = world.n_townships
        parts = []
        for row in self.rows:
            part = {c: np.broadcast_to(row.get(c), n_town) for c in COLUMNS if c in row}
            part["rank"] = row.get("rank", np.zeros(n_town, dtype=np.int64))
            part["bottom"] = row.get("bottom", np.zeros(n_town, dtype=bool))
            p = row.get("penalty_probability")
            part["penalty_probability"] = np.full(n_town, np.nan) if p is None else p
            part["township_index"] = np.arange(n_town)
            parts.append(pd.DataFrame(part))
        df = pd.concat(parts, ignore_index=True)
        town = df.pop("township_index").to_numpy()
        df.insert(
            1,
            "county",
            pd.Categorical.from_codes(
                world.township_county[town], categories=list(world.county_names)
            ),
        )
        df.insert(2, "township", pd.Categorical.from_codes(
            town, categories=list(world.township_names)))  # fmt: skip
        df.insert(1, "month_start_h", np.asarray(self.starts)[df["month"].to_numpy()])
        return df


COLUMNS = (
    "month", "effort_multiplier", "score", "rate_multiplier", "incidents", "deterred",
    "pollution_hours", "complaints",
)  # fmt: skip
"""The months table's own columns, besides rank, bottom, county, township and
penalty_probability (see ``Monthly``)."""
