"""A province's or the country's year, partitioned by county (issue 21, item 3).

Writes a starter scenario with ``enforcement-sim init`` (default: Zhejiang, 1,382
townships in 90 counties; ``--area country`` for all of mainland China, 42,950 townships)
and runs one replication of it through ``sim.run`` in a fresh Python process per setting:

- ``whole``: one process, no partitions (only for a region whose world fits);
- ``serial``: one process, the region cut into ``--partitions`` batches;
- ``pool``: the same batches on a process pool of ``--jobs`` workers;
- ``dask``: the same batches on a Dask ``LocalCluster`` of ``--jobs`` workers.

For each: wall time of ``sim.run`` (imports excluded, the results folder written), peak
resident memory of the parent (``getrusage(RUSAGE_SELF)``) and of the largest worker (its
own ``RUSAGE_SELF`` after each batch, kept in the batch's timing table), and from the run
store every batch's own wall time and SimPy events, from which the cost per county and
per township is read: the cluster size for a deadline is (country CPU seconds / deadline /
efficiency). Parallel efficiency is ``serial / (jobs x pool)`` for the same batches. The
machine's speed of the moment is the bare-SimPy reference of ``pipeline.py``, measured
before and after, so the seconds can be read as ratios.

    python benchmarks/partitioned.py [--area 浙江|country] [--scenario FILE] [--jobs 2]
        [--partitions 8] [--modes whole,serial,pool,dask]

Prints a table and writes ``benchmarks/results/partitioned-<area>.json``. No pass/fail.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from pipeline import bare_simpy_events_per_s  # noqa: E402

CLI = Path(sys.executable).parent / "enforcement-sim"

# what each setting runs, in a fresh interpreter so its memory is its own
DRIVER = r"""
import json, resource, sys, time
import sim
path, out, jobs, parts, dask = sys.argv[1:6]
kw = dict(replications=1, out=out, quiet=True, jobs=int(jobs), force=True)
if parts != "0":
    kw["partitions"] = int(parts)
if dask != "-":
    kw["dask"] = dask
start = time.perf_counter()
res = sim.run(path, **kw)
wall = time.perf_counter() - start
me = resource.getrusage(resource.RUSAGE_SELF)
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall_s": wall, "parent_rss_mib": me.ru_maxrss / 1024,
                  "worker_rss_mib": kids.ru_maxrss / 1024,
                  "cpu_s": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime,
                  "incidents": int(len(res.incidents)),
                  "events": int(res.manifest["simpy_events"])}))
"""


def starter(area: str, folder: Path) -> Path:
    flag = ["--country"] if area == "country" else ["--city", area]
    subprocess.run([str(CLI), "init", *flag, "--out", str(folder)], check=True,
                   capture_output=True)  # fmt: skip
    return folder / "scenario.yaml"


def setting(path: Path, out: Path, jobs: int, parts: int, dask: str | None) -> dict:
    cmd = [sys.executable, "-c", DRIVER, str(path), str(out), str(jobs), str(parts),
           dask or "-"]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[3:])}: {done.stderr.strip().splitlines()[-1]}")
    got = json.loads(done.stdout.strip().splitlines()[-1])
    got["batches"] = batch_costs(path, out)
    measured = [
        b["worker_rss_mib"] for b in got["batches"] if b["worker_rss_mib"] == b["worker_rss_mib"]
    ]
    if measured:  # in the worker itself: a forked child's rusage counts its parent's pages
        got["worker_rss_mib"] = max(measured)
    return got


def batch_costs(path: Path, out: Path) -> list[dict]:
    """Each stored batch: its counties, townships, wall seconds and events."""
    rows = []
    for run in sorted((out / "runs").iterdir()):
        if not (run / "units.parquet").exists():
            continue  # an unpartitioned run
        timing = pd.read_parquet(run / "timing.parquet")
        grid = pd.read_parquet(run / "grid.parquet", columns=["county"])
        rows.append({"townships": len(grid), "counties": int(grid["county"].nunique()),
                     "wall_s": float(timing["wall_s"].sum()),
                     "events": int(timing["events"].sum()),
                     "worker_rss_mib": float(timing["peak_rss_mib"].max())
                     if "peak_rss_mib" in timing else float("nan")})  # fmt: skip
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--area", default="浙江", help="`init --city` area, or `country`")
    parser.add_argument("--scenario", type=Path, help="an existing scenario instead of init")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--partitions", type=int, default=8)
    parser.add_argument("--modes", default="whole,serial,pool,dask")
    args = parser.parse_args()
    modes = args.modes.split(",")
    work = Path(tempfile.mkdtemp(prefix="partitioned-"))
    try:
        path = args.scenario or starter(args.area, work / "scenario")
        ref = [bare_simpy_events_per_s()]
        results: dict[str, dict] = {}
        plan = {
            "whole": (1, 0, None),
            "serial": (1, args.partitions, None),
            "pool": (args.jobs, args.partitions, None),
            "dask": (args.jobs, args.partitions, "local"),
        }
        for mode in modes:
            jobs, parts, dask = plan[mode]
            results[mode] = got = setting(path, work / mode, jobs, parts, dask)
            print(f"{mode:<7} jobs {jobs} partitions {parts or 1}: {got['wall_s']:7.1f} s "
                  f"wall, parent {got['parent_rss_mib']:6.0f} MiB, largest worker "
                  f"{got['worker_rss_mib']:6.0f} MiB, {got['events']:,} events",
                  flush=True)  # fmt: skip
        ref.append(bare_simpy_events_per_s())
        summary: dict = {"reference_events_per_s": sum(ref) / len(ref)}
        if "serial" in results and "pool" in results:
            summary["efficiency_pool"] = results["serial"]["wall_s"] / (
                args.jobs * results["pool"]["wall_s"]
            )
        if "serial" in results and "dask" in results:
            summary["efficiency_dask"] = results["serial"]["wall_s"] / (
                args.jobs * results["dask"]["wall_s"]
            )
        batches = results.get("serial", next(iter(results.values())))["batches"]
        if batches:
            b = pd.DataFrame(batches)
            summary["batch_s_per_township"] = float(b["wall_s"].sum() / b["townships"].sum())
            summary["batch_s_per_county"] = float(b["wall_s"].sum() / b["counties"].sum())
            summary["batch_wall_s_total"] = float(b["wall_s"].sum())
        for k, v in summary.items():
            print(f"{k}: {v:,.4g}")
        record = {"when": datetime.now(UTC).isoformat(timespec="seconds"),
                  "python": platform.python_version(), "area": args.area,
                  "jobs": args.jobs, "partitions": args.partitions,
                  "settings": results, **summary}  # fmt: skip
        name = "country" if args.area == "country" else "province"
        (HERE / "results").mkdir(exist_ok=True)
        (HERE / "results" / f"partitioned-{name}.json").write_text(
            json.dumps(record, indent=2, ensure_ascii=False) + "\n"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
