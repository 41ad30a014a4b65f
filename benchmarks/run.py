"""Time the project against bare SimPy in the same run; report ratios, targets, scaling.

The machine's speed of the moment is measured by a minimal M/M/c queue written
directly in SimPy (lambda = 9/h, mu = 1/h, c = 10); the project's timings are given
as ratios to it, so figures from noisy, shared machines can be compared. Medians of
``--repeat`` runs. Writes ``benchmarks/results/latest.json`` and appends one line to
``benchmarks/history.jsonl`` (kept in git, so regressions show in review).

    python benchmarks/run.py [--repeat 3] [--quick]
"""

from __future__ import annotations

import argparse
import copy
import json
import platform
import statistics
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import simpy

import sim
from sim.model import simulate
from sim.scenario import load_scenario
from sim.scenario.load import from_mapping
from sim.world import build_world

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
EXAMPLE = ROOT / "scenarios" / "examples" / "pujiang_squadrons.yaml"
BASELINE = ROOT / "scenarios" / "jinhua" / "baseline.yaml"  # calibrated, inspections + diverted
CITY = ROOT / "scenarios" / "examples" / "jinhua_models.yaml"  # generated units: for scaling
COMPARE_CITY = ROOT / "scenarios" / "jinhua" / "deployment_models.yaml"

TARGETS = {
    "event_cost_ratio": 3.0,  # model cost per SimPy event / bare SimPy's, at most
    "city_year_s": 2.0,  # whole-city year on one core, at most
    "city_peak_mib": 100.0,  # memory of one whole-city run, at most
    "parallel_efficiency": 0.85,  # 2 processes, at least
}


def bare_simpy_mmc(customers: int = 50_000, lam: float = 9.0, mu: float = 1.0, c: int = 10):
    """The reference: customers and events per second through a bare SimPy M/M/c."""
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
    events = 0
    start = time.perf_counter()
    while env.peek() < float("inf"):
        env.step()
        events += 1
    wall = time.perf_counter() - start
    return customers / wall, events / wall


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cold(fn, *args, **kwargs):
    """Call with the layout cache empty, so every timing pays for building its worlds."""
    from sim.world import build

    build._cached_units.cache_clear()
    return fn(*args, **kwargs)


def model_run(world, repeat: int) -> dict:
    """Wall time, events, jobs and peak Python memory of one replication."""
    rec = simulate(world, 1, 0)
    wall = median_time(lambda: simulate(world, 1, 0), repeat)
    tracemalloc.start()
    simulate(world, 1, 0)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    jobs = len(rec.incidents) + len(rec.inspections)
    return {
        "wall_s": wall,
        "events": rec.events,
        "incidents": len(rec.incidents),
        "jobs": jobs,
        "events_per_s": rec.events / wall,
        "incidents_per_s": len(rec.incidents) / wall,
        "peak_mib": peak,
    }


def city_raw(copies: int = 1, officers: float = 1.0, years: float = 1.0) -> tuple[dict, Path]:
    """The whole-city example as a mapping, optionally with its region copied ``copies``
    times (as new counties) and its head counts scaled."""
    loaded = load_scenario(CITY)
    raw = loaded.scenario.model_dump(mode="json", by_alias=True, exclude_none=True)
    raw["units"] = {}
    raw["horizon_days"] = 365 * years
    region = ROOT / "scenarios" / "jinhua" / "townships.csv"
    rows = region.read_text(encoding="utf-8").splitlines()
    out = [rows[0]]
    counties = {}
    for k in range(copies):
        for line in rows[1:]:
            parts = line.split(",")
            parts[0] = f"{parts[0]}~{k}" if k else parts[0]
            parts[2] = f"{parts[2]}~{k}" if k else parts[2]
            out.append(",".join(parts))
        for name, spec in raw["counties"].items():
            spec = copy.deepcopy(spec)
            spec["bureau_township"] = (
                f"{spec['bureau_township']}~{k}" if k else spec["bureau_township"]
            )
            spec["deployment"]["officers"] = max(
                2, round(spec["deployment"]["officers"] * officers)
            )
            counties[f"{name}~{k}" if k else name] = spec
    raw["counties"] = counties
    folder = Path(tempfile.mkdtemp())
    (folder / "region.csv").write_text("\n".join(out) + "\n", encoding="utf-8")
    raw["region"] = {"townships_csv": "region.csv"}
    return raw, folder


def world_of(raw: dict, folder: Path):
    return build_world(from_mapping(raw, base_dir=folder))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="skip the scaling table")
    args = parser.parse_args()
    r = args.repeat
    few = max(1, r // 2)

    ref = [bare_simpy_mmc() for _ in range(r)]
    ref_customers = statistics.median(x[0] for x in ref)
    ref_events = statistics.median(x[1] for x in ref)
    example = model_run(build_world(load_scenario(EXAMPLE)), r)
    city = model_run(build_world(load_scenario(BASELINE)), r)
    t_run = median_time(lambda: sim.run(EXAMPLE, replications=1, jobs=1), r)
    t_cs = median_time(lambda: cold(sim.compare, [COMPARE_CITY], replications=4, jobs=1), few)
    t_cp = median_time(lambda: cold(sim.compare, [COMPARE_CITY], replications=4, jobs=2), few)
    efficiency = t_cs / (2 * t_cp)
    event_ratio = ref_events / city["events_per_s"]
    job_ratio = (city["wall_s"] / city["jobs"]) / (1 / ref_customers)

    figures = {
        "reference_customers_per_s": ref_customers,
        "reference_events_per_s": ref_events,
        "example_year": example,
        "example_run_with_statistics_s": t_run,
        "city_year": city,
        "city_event_cost_ratio": event_ratio,
        "city_job_cost_ratio": job_ratio,
        "compare_jinhua_5x4_serial_s": t_cs,
        "compare_jinhua_5x4_2proc_s": t_cp,
        "parallel_efficiency": efficiency,
    }
    checks = [
        ("model cost per SimPy event / bare SimPy's", event_ratio, "<=",
         TARGETS["event_cost_ratio"]),
        ("Jinhua baseline year, one core (s)", city["wall_s"], "<=", TARGETS["city_year_s"]),
        ("Jinhua baseline run, peak memory (MiB)", city["peak_mib"], "<=",
         TARGETS["city_peak_mib"]),
        ("parallel efficiency, 2 processes", efficiency, ">=", TARGETS["parallel_efficiency"]),
    ]  # fmt: skip
    print(f"reference: bare SimPy M/M/c  {ref_customers:,.0f} customers/s, "
          f"{ref_events:,.0f} events/s")  # fmt: skip
    for name, run in (("example county, one year", example), ("Jinhua baseline, one year", city)):
        print(
            f"{name:<28} {run['wall_s']:.3f} s  {run['incidents']:,} incidents "
            f"({run['incidents_per_s']:,.0f}/s)  {run['events']:,} events "
            f"({run['events_per_s']:,.0f}/s)  peak {run['peak_mib']:.1f} MiB"
        )
    print(f"example county, sim.run with statistics: {t_run:.3f} s")
    print(
        f"Jinhua deployment models, 5 variants x 4 replications: serial {t_cs:.2f} s, "
        f"2 processes {t_cp:.2f} s"
    )
    print(f"Jinhua baseline, cost per job / bare SimPy per customer: {job_ratio:.1f}x")
    print("\ntargets:")
    verdicts = {}
    for name, value, op, target in checks:
        ok = value <= target if op == "<=" else value >= target
        verdicts[name] = ok
        print(f"  {'PASS' if ok else 'FAIL'}  {name}: {value:.3g} (target {op} {target:g})")

    if not args.quick:
        print("\nscaling (the uncalibrated whole-city example, one replication, model only):")
        scaling = []
        cases = [(f"horizon {y} year(s)", city_raw(years=y)) for y in (1, 5, 10)]
        cases += [("one county (Pujiang example)", None)]
        cases += [(f"city x{k} townships", city_raw(copies=k)) for k in (1, 4)]
        cases += [(f"city, officers x{m}", city_raw(officers=m)) for m in (2, 4)]
        for label, made in cases:
            world = build_world(load_scenario(EXAMPLE)) if made is None else world_of(*made)
            run = model_run(world, 1)
            scaling.append({"case": label, **run})
            print(
                f"  {label:<30} {run['wall_s']:7.3f} s  {run['jobs']:>8,} jobs  "
                f"{run['events']:>9,} events  {run['wall_s'] / max(run['jobs'], 1) * 1e6:6.1f} "
                f"us/job  peak {run['peak_mib']:6.1f} MiB"
            )
        figures["scaling"] = scaling

    record = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "version": sim.__version__,
        "python": platform.python_version(),
        "figures": figures,
        "targets": {k: bool(v) for k, v in verdicts.items()},
    }
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "latest.json").write_text(json.dumps(record, indent=2) + "\n")
    line = {k: record[k] for k in ("when", "version")} | {
        "city_year_s": round(city["wall_s"], 4),
        "event_cost_ratio": round(event_ratio, 2),
        "job_cost_ratio": round(job_ratio, 2),
        "parallel_efficiency": round(efficiency, 3),
        "city_peak_mib": round(city["peak_mib"], 1),
    }
    with (HERE / "history.jsonl").open("a") as fh:
        fh.write(json.dumps(line) + "\n")


if __name__ == "__main__":
    main()
