"""Time the project against bare SimPy in the same run, and report ratios.

The machine's speed of the moment is measured by a minimal M/M/c queue written
directly in SimPy (lambda = 9/h, mu = 1/h, c = 10, as in the performance issue);
the project's timings are then given as ratios to it, so figures from noisy,
shared machines can be compared. Medians of ``--repeat`` runs.

    python benchmarks/run.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np
import simpy

import sim
from sim.model import simulate
from sim.scenario import load_scenario
from sim.world import build_world

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "scenarios" / "examples" / "pujiang_squadrons.yaml"
CITY = ROOT / "scenarios" / "examples" / "jinhua_models.yaml"
COMPARE_CITY = ROOT / "benchmarks" / "compare_city.yaml"


def bare_simpy_mmc(customers: int = 50_000, lam: float = 9.0, mu: float = 1.0, c: int = 10):
    """The reference: customers per second through a bare SimPy M/M/c."""
    rng = np.random.default_rng(1)
    env = simpy.Environment()
    servers = simpy.Resource(env, capacity=c)

    def customer(service: float):
        with servers.request() as req:
            yield req
            yield env.timeout(service)

    def source():
        for _ in range(customers):
            yield env.timeout(rng.exponential(1 / lam))
            env.process(customer(rng.exponential(1 / mu)))

    env.process(source())
    start = time.perf_counter()
    env.run()
    return customers / (time.perf_counter() - start)


def cold(fn, *args, **kwargs):
    """Call with the layout cache empty, so every timing pays for building its worlds."""
    from sim.world import build

    build._cached_units.cache_clear()
    return fn(*args, **kwargs)


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    ref = statistics.median(bare_simpy_mmc() for _ in range(args.repeat))
    world = build_world(load_scenario(EXAMPLE))
    rec = simulate(world, 1, 0)
    n_inc = len(rec.incidents)
    t_model = median_time(lambda: simulate(world, 1, 0), args.repeat)
    t_rep = median_time(lambda: sim.run(EXAMPLE, replications=1), args.repeat)
    t_8 = median_time(lambda: sim.run(EXAMPLE, replications=8), max(1, args.repeat // 2))
    t_8p = median_time(lambda: sim.run(EXAMPLE, replications=8, jobs=2), max(1, args.repeat // 2))
    few = max(1, args.repeat // 2)
    t_cs = median_time(lambda: cold(sim.compare, [COMPARE_CITY], replications=8, jobs=1), few)
    t_cp = median_time(lambda: cold(sim.compare, [COMPARE_CITY], replications=8, jobs=2), few)
    ref_equiv = n_inc / ref  # seconds bare SimPy needs for as many customers
    city = build_world(load_scenario(CITY))
    city_rec = simulate(city, 1, 0)
    n_city = len(city_rec.incidents) + len(city_rec.inspections)
    t_city = median_time(lambda: simulate(city, 1, 0), max(1, args.repeat // 2))

    rows = [
        ("reference: bare SimPy M/M/c, customers/s", f"{ref:,.0f}", "1"),
        (
            f"example county, one year, model only ({n_inc} incidents, {rec.events} events)",
            f"{t_model:.3f} s",
            f"{t_model / ref_equiv:.1f}x reference per incident",
        ),
        (
            "example county, one year, sim.run (model + statistics)",
            f"{t_rep:.3f} s",
            f"{t_rep / ref_equiv:.1f}x reference per incident",
        ),
        (
            f"whole city (147 townships, {city_rec.events} events), one year, model only",
            f"{t_city:.3f} s",
            f"{t_city / (n_city / ref):.1f}x reference per job",
        ),
        ("example county, 8 replications, serial", f"{t_8:.3f} s", f"{8 / t_8:.1f} rep/s"),
        (
            "example county, 8 replications, 2 processes",
            f"{t_8p:.3f} s",
            f"{8 / t_8p:.1f} rep/s, parallel efficiency {t_8 / (2 * t_8p):.0%}",
        ),
        (
            "whole city, 4 models x 8 replications, serial",
            f"{t_cs:.3f} s",
            f"{32 / t_cs:.1f} rep/s",
        ),
        (
            "whole city, 4 models x 8 replications, 2 processes",
            f"{t_cp:.3f} s",
            f"{32 / t_cp:.1f} rep/s, parallel efficiency {t_cs / (2 * t_cp):.0%}",
        ),
    ]
    width = max(len(r[0]) for r in rows)
    for label, value, ratio in rows:
        print(f"{label:<{width}}  {value:>12}  {ratio}")


if __name__ == "__main__":
    main()
