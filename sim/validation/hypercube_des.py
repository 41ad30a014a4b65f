"""The hypercube against the simulation, on scenarios built to meet its assumptions.

Why: the placement search trusts the hypercube to rank moves; this shows where it is
the simulation's own answer and where, and by how much, it is not.

A case is an ordinary scenario, built the way ``sim.validation.cases`` builds the
textbook queues (reports the moment an incident starts, no paperwork, no
inspections or diverted work, officers on duty around the clock), but with several
townships (the atoms, of distinct weights) and one integrated unit posted at some of
them, so the dispatcher sends the nearest free officer. Where the hypercube holds
(one officer per post, travel negligible, exponential on-site time) the simulation
must agree with the exact hypercube within its replication interval. Two departures
are run the same way and only reported: two-person teams (the dispatcher pairs
officers of different posts, the hypercube has one server per post), and travel at
road speed inside the service time (distance-dependent, not exponential, and an
officer is away until back at the post).
"""

from __future__ import annotations

import math
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ..model import simulate
from ..scenario.load import from_mapping
from ..staffing.hypercube import HypercubeResult
from ..staffing.hypercube_world import county_queue
from ..world import World, build_world
from . import theory
from .checks import LEVEL

# six townships east of one another at distinct spacings (no ties in road km), weights
# chosen so that the posts' loads differ
TOWNS = (("A", 0.00, 1.0), ("B", 0.05, 0.6), ("C", 0.13, 1.4),
         ("D", 0.20, 0.8), ("E", 0.31, 1.2), ("F", 0.37, 0.5))  # fmt: skip
FAST_KMH = 1e6  # travel this fast is negligible (seconds per job) but keeps the order


@dataclass(frozen=True)
class HypercubeCase:
    """One integrated unit posted at ``posts``; ``holds``: the hypercube's assumptions do."""

    key: str
    title: str
    posts: dict[str, int]  # township -> officers posted there
    team_size: int
    arrivals_per_hour: float  # over all townships
    speed_kmh: float
    measure_days: float
    replications: int
    seed: int
    holds: bool

    @property
    def servers(self) -> list[str]:
        return [t for t, n in self.posts.items() for _ in range(max(1, n // self.team_size))]

    @property
    def warmup_days(self) -> float:
        tau = theory.relaxation_h(self.arrivals_per_hour, 1.0, len(self.servers))
        return math.ceil(5 * tau / 24)

    def scenario(self, csv: Path) -> dict[str, Any]:
        total = sum(w for _, _, w in TOWNS)
        return {
            "name": f"hypercube-{self.key}",
            "seed": self.seed,
            "replications": self.replications,
            "horizon_days": self.warmup_days + self.measure_days,
            "warmup_days": self.warmup_days,
            "region": {"townships_csv": str(csv)},
            "counties": {"Only": {"bureau_township": "A"}},
            "incident_types": {"any": {
                "rate_per_day": self.arrivals_per_hour * 24 / total,
                "onsite_hours": {"dist": "exponential", "mean": 1.0},
                "paperwork_hours": {"dist": "fixed", "value": 0},
            }},
            "discovery": {"model": "delay", "delay_hours": {"dist": "fixed", "value": 0},
                          "reporting_delay_hours": {"dist": "fixed", "value": 0}},
            "duty": {"always": True},
            "travel": {"min_trip_km": 0, "speed_kmh": self.speed_kmh},
            "enforcement": {"team_size": self.team_size, "diverted_share": 0},
            "inspections": {"rate_per_day": 0},
            "units": {"team": {"model": "integrated", "county": "Only", "officers":
                               sum(self.posts.values()), "posts": dict(self.posts)}},
        }  # fmt: skip


def cases() -> list[HypercubeCase]:
    """The stated case, then the two departures."""
    return [
        HypercubeCase("3-posts", "3 posts of one officer, negligible travel",
                      {"A": 1, "C": 1, "E": 1}, 1, 1.8, FAST_KMH, 60, 12, 9101, True),
        HypercubeCase("pairs", "pairs from posts of 3, 2 and 1 officers (one team per post)",
                      {"A": 3, "C": 2, "E": 1}, 2, 1.8, FAST_KMH, 60, 12, 9102, False),
        HypercubeCase("travel", "3 posts of one officer, travel at 40 km/h",
                      {"A": 1, "C": 1, "E": 1}, 1, 1.0, 40.0, 60, 12, 9103, False),
    ]  # fmt: skip


def build(case: HypercubeCase) -> World:
    with tempfile.TemporaryDirectory(prefix="hypercube-") as tmp:
        csv = Path(tmp) / "towns.csv"
        rows = [f"{n},Only,29.0,{120 + dx},{w}" for n, dx, w in TOWNS]
        csv.write_text("township,county,lat_deg,lon_deg,weight\n" + "\n".join(rows) + "\n")
        return build_world(from_mapping(case.scenario(csv)))


def hypercube(case: HypercubeCase, world: World) -> HypercubeResult:
    """The exact hypercube of the case; service time 1 h on site plus the mean round trip
    (which is what a modeller would plug in; negligible in the stated case)."""
    q = county_queue(world, "Only")
    index = {n: i for i, n in enumerate(world.township_names)}
    posts = [index[t] for t in case.servers]
    km = world.road_km[np.ix_(posts, list(q.townships))]
    first = km.min(axis=0) / case.speed_kmh  # mostly the nearest post goes
    service_h = 1.0 + 2 * float(q.arrivals_per_hour @ first / q.arrivals_per_hour.sum())
    return q.solve_posts(world, posts, service_h, method="exact")


def measure(world: World, case: HypercubeCase, seed: int, replication: int) -> dict[str, Any]:
    """One replication: each server's busy share, P(wait), mean wait and response, and
    each township's share served by its nearest post."""
    rec = simulate(world, seed, replication)
    lo, hi = world.scenario.warmup_hours, world.scenario.horizon_hours
    inc = rec.incidents[rec.incidents["reported_h"].notna() & ~rec.incidents["in_warmup"]]
    wait = (inc["team_formed_h"] - inc["reported_h"]).to_numpy(float)
    off = rec.officers
    off = off.assign(busy_h=off[["onsite_hours", "travel_hours", "paperwork_hours"]].sum(axis=1))
    busy = off.groupby("post", observed=True)["busy_h"].sum() / (hi - lo)
    per_post = {t: case.posts[t] // case.team_size or 1 for t in case.posts}
    a = rec.assignments
    a = a[a["kind"].astype(str) == "incident"]
    post_of = dict(zip(off["officer"].astype(str), off["post"].astype(str), strict=True))
    served = pd.DataFrame({"job": a["job"].to_numpy(), "post": a["officer"].map(post_of)})
    served = served.drop_duplicates("job").set_index("job")["post"]
    town = inc.set_index("incident_id")["township"].astype(str)
    got = pd.crosstab(town, served.reindex(town.index)).div(town.value_counts(), axis=0)
    out: dict[str, Any] = {
        "p_wait": float(np.mean(np.isnan(wait) | (wait > 1e-9))),
        "wait_h": float(np.nanmean(wait)),
        "response_h": float(np.nanmean(inc["arrived_h"] - inc["reported_h"])),
    }
    for t, n in per_post.items():
        out[f"busy {t}"] = float(busy.get(t, 0.0)) / case.team_size / n
    for t in got.index:
        out[f"share {t}"] = got.loc[t].to_dict()
    return out


def compare(case: HypercubeCase, workers: int = 1) -> list[dict[str, Any]]:
    """Rows of quantity, hypercube value, simulated mean and interval, and whether the
    hypercube lies inside the interval widened by the start/end allowance."""
    world = build(case)
    hc = hypercube(case, world)
    reps = [measure(world, case, case.seed, r) for r in range(case.replications)]
    names = list(world.township_names)
    q = county_queue(world, "Only")
    posts = list(dict.fromkeys(case.servers))
    expect: dict[str, float] = {"p_wait": hc.p_all_busy, "wait_h": hc.wait_h,
                                "response_h": hc.mean_response_h}  # fmt: skip
    values: dict[str, list[float]] = {k: [r[k] for r in reps] for k in expect}
    for t in posts:
        idx = [k for k, s in enumerate(case.servers) if s == t]
        expect[f"busy {t}"] = float(hc.utilisation[idx].mean())
        values[f"busy {t}"] = [r[f"busy {t}"] for r in reps]
    for j, town in enumerate(q.townships):
        nearest = case.servers[int(np.argmax(hc.served_share[:, j]))]
        key = f"share of {names[town]} served from {nearest}"
        expect[key] = float(hc.served_share[[k for k, s in enumerate(case.servers)
                                             if s == nearest], j].sum())  # fmt: skip
        values[key] = [r[f"share {names[town]}"].get(nearest, 0.0) for r in reps]
    tq = float(stats.t.ppf(0.5 + LEVEL / 2, case.replications - 1))
    t_h = case.measure_days * 24
    tau = theory.relaxation_h(case.arrivals_per_hour, 1.0, len(case.servers))
    rel = tau * math.exp(-case.warmup_days * 24 / tau) / t_h + len(case.servers) / (
        case.arrivals_per_hour * t_h
    )
    rows = []
    for key, exact in expect.items():
        x = np.asarray(values[key], float)
        mean, half = float(x.mean()), tq * float(x.std(ddof=1)) / math.sqrt(len(x))
        slack = half + rel * abs(exact)
        rows.append({"case": case.key, "quantity": key, "hypercube": exact, "simulated": mean,
                     "low": mean - half, "high": mean + half,
                     "passed": bool(abs(mean - exact) <= slack)})  # fmt: skip
    return rows


def markdown() -> str:
    """The tables of docs/validation.md's hypercube section (``python -m
    sim.validation.hypercube_des`` prints them)."""
    lines = []
    for c in cases():
        verdict = "assumptions hold: must agree" if c.holds else "departure: reported only"
        lines += [
            "",
            f"**{c.key}**: {c.title}; λ = {c.arrivals_per_hour:g}/h, {c.replications} "
            f"replications x {c.measure_days:g} days after a {c.warmup_days:g}-day warm-up; "
            f"{verdict}.",
            "",
            f"| Quantity | Hypercube (exact) | Simulated [{LEVEL:.1%} interval] | Within |",
            "|---|---|---|---|",
        ]
        for r in compare(c):
            lines.append(
                f"| {r['quantity']} | {r['hypercube']:.3g} | {r['simulated']:.3g} "
                f"[{r['low']:.3g}, {r['high']:.3g}] | {'yes' if r['passed'] else 'no'} |"
            )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown())
