"""How a generated province scales: one year of Zhejiang, stage by stage (issue 21, item 3).

The country run (43,000 townships, about 700,000 incidents a year) is to be partitioned by
county; before designing it we need to know where one whole-province run spends its time
and memory today. This writes a starter scenario with ``enforcement-sim init`` (Zhejiang:
1,382 townships in 90 counties), then, in one process and on one core, times each stage of
one replication as the experiment layer runs it (``sim.experiment.experiment.run_tables``
and ``execute``): load the scenario, build the world, the SimPy model, its record tables,
the audit, the statistics, saving the run to the run store. Each stage is CPU time and also
a ratio to the time bare SimPy takes for as many events (the M/M/c reference of
``pipeline.py``, measured in the same minute), so a loaded machine reads the same. The
largest objects of the world and of the records are listed, with their sizes.

``--cli`` also runs ``enforcement-sim run SCENARIO --replications 1 --jobs 1`` under
``/usr/bin/time -v`` (wall time, peak resident memory: the whole command, parent and all,
including gathering and writing the results folder); ``--profile`` runs the same command
under cProfile and prints the top 25 functions by cumulative time.

    python benchmarks/scale.py [--area 浙江] [--scenario FILE.yaml] [--cli] [--profile]

Prints a table and writes ``benchmarks/results/scale.json``. No pass/fail: the targets of
issue 21 (Zhejiang year under 10 s on 2 cores; the country within 15 minutes, parent
under 2 GiB) are for the partitioned run, which does not exist yet.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import json
import platform
import pstats
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

import sim
from sim.experiment.store import RunStore
from sim.model import simulate
from sim.scenario import load_scenario
from sim.world import build_world

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from pipeline import RecordClock, bare_simpy_events_per_s, run_stages  # noqa: E402

CLI = Path(sys.executable).parent / "enforcement-sim"


def starter(area: str, folder: Path) -> Path:
    """Write the starter scenario of ``area`` with ``enforcement-sim init`` (as a user would)."""
    subprocess.run([str(CLI), "init", "--city", area, "--out", str(folder)], check=True,
                   capture_output=True)  # fmt: skip
    return folder / "scenario.yaml"


def stages(path: Path, store: RunStore) -> dict[str, float]:
    """CPU seconds of each stage of one replication, plus counts and sizes."""
    t: dict[str, float] = {}
    start = time.process_time()
    loaded = load_scenario(path)
    t["load"] = time.process_time() - start
    start = time.process_time()
    world = build_world(loaded)
    t["world"] = time.process_time() - start
    clock = RecordClock()
    try:
        timed, rec, summary = run_stages(world, world.scenario.seed, store, clock, "scale")
    finally:
        clock.close()
    t.update(timed)
    tables = {"incidents": rec.incidents, "inspections": rec.inspections,
              "officers": rec.officers, "assignments": rec.assignments, "grid": rec.grid,
              "summary": summary}  # fmt: skip
    sizes = {"world.road_km": world.road_km.nbytes}
    sizes.update({f"records.{k}": int(v.memory_usage(deep=True).sum()) for k, v in tables.items()})
    counts = {"townships": world.n_townships, "counties": len(world.county_names),
              "units": len(world.units), "officers": sum(u.officers for u in world.units),
              "points": world.road_km.shape[0], "events": rec.events,
              "incidents": len(rec.incidents), "inspections": len(rec.inspections),
              "assignments": len(rec.assignments), "summary_rows": len(summary)}  # fmt: skip
    return {"seconds": t, "sizes_bytes": sizes, "counts": counts}


def peak_python_mib(path: Path) -> float:
    """Peak of Python-allocated memory (tracemalloc, numpy included) over world + run."""
    tracemalloc.start()
    world = build_world(load_scenario(path))
    simulate(world, world.scenario.seed, 0)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def cli_run(path: Path, out: Path) -> dict[str, float]:
    """``enforcement-sim run`` on one process under ``/usr/bin/time -v``."""
    cmd = ["/usr/bin/time", "-v", str(CLI), "run", str(path), "--replications", "1", "--jobs",
           "1", "--out", str(out), "--quiet", "--force"]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", done.stderr)
    assert wall is not None, done.stderr
    h, m, s = int(wall[1] or 0), int(wall[2]), float(wall[3])
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    user = re.search(r"User time \(seconds\): ([\d.]+)", done.stderr)
    folder_mib = sum(f.stat().st_size for f in out.rglob("*") if f.is_file()) / 2**20
    return {"wall_s": 3600 * h + 60 * m + s, "user_s": float(user[1]) if user else float("nan"),
            "peak_rss_mib": int(rss[1]) / 1024 if rss else float("nan"),
            "results_folder_mib": folder_mib}  # fmt: skip


def profile(path: Path, out: Path, top: int = 25) -> str:
    """The CLI run in this process under cProfile: top functions by cumulative time."""
    from sim.cli import main as cli_main

    prof = cProfile.Profile()
    argv = ["run", str(path), "--replications", "1", "--jobs", "1", "--out", str(out),
            "--quiet", "--force"]  # fmt: skip
    prof.enable()
    with contextlib.suppress(SystemExit):
        cli_main(argv)
    prof.disable()
    text = io.StringIO()
    pstats.Stats(prof, stream=text).sort_stats("cumulative").print_stats(top)
    return text.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--area", default="浙江", help="what `init --city` is given")
    parser.add_argument("--scenario", type=Path, help="an existing scenario instead of init")
    parser.add_argument("--cli", action="store_true", help="also time `enforcement-sim run`")
    parser.add_argument("--profile", action="store_true", help="also cProfile the CLI run")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="scale-"))
    try:
        path = args.scenario or starter(args.area, work / "scenario")
        ref_before = bare_simpy_events_per_s()
        got = stages(path, RunStore(work / "store"))
        ref = (ref_before + bare_simpy_events_per_s()) / 2
        got["python_peak_mib"] = peak_python_mib(path)
        got["reference_events_per_s"] = ref
        bare = got["counts"]["events"] / ref
        secs = got["seconds"]
        secs["pipeline"] = sum(secs[s] for s in ("model", "records", "audit", "statistics"))
        c = got["counts"]
        print(f"{path}: {c['townships']:,} townships, {c['counties']} counties, {c['units']} "
              f"units, {c['officers']:,} officers; {c['incidents']:,} incidents, "
              f"{c['inspections']:,} inspections, {c['events']:,} SimPy events")  # fmt: skip
        print(f"bare SimPy {ref:,.0f} events/s: {bare:.2f} s for as many events")
        print(f"{'stage':<12} {'CPU s':>8} {'x bare':>8}")
        for stage, s in secs.items():
            print(f"{stage:<12} {s:8.3f} {s / bare:8.2f}")
        print("largest objects (MiB): " + ", ".join(
            f"{k} {v / 2**20:.1f}" for k, v in sorted(got["sizes_bytes"].items(),
                                                      key=lambda kv: -kv[1])))  # fmt: skip
        print(f"peak Python memory over world + simulate: {got['python_peak_mib']:.0f} MiB")
        if args.cli:
            got["cli"] = cli = cli_run(path, work / "cli")
            print(f"enforcement-sim run, --jobs 1: {cli['wall_s']:.1f} s wall, "
                  f"{cli['user_s']:.1f} s user, peak RSS {cli['peak_rss_mib']:.0f} MiB, "
                  f"results folder {cli['results_folder_mib']:.0f} MiB")  # fmt: skip
        if args.profile:
            got["profile"] = text = profile(path, work / "prof")
            print(text)
        record = {"when": datetime.now(UTC).isoformat(timespec="seconds"),
                  "version": sim.__version__, "python": platform.python_version(),
                  "numpy": np.__version__, "area": args.area, **got}  # fmt: skip
        (HERE / "results").mkdir(exist_ok=True)
        (HERE / "results" / "scale.json").write_text(json.dumps(record, indent=2) + "\n")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
