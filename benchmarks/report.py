"""How long the HTML report of a comparison takes to build, as a ratio to one replication.

``write_report`` (``sim/report/html.py``) draws every figure of a compare folder, saves each
as PNG and SVG and writes ``report.html``; policy staff wait for it after every comparison,
and ``enforcement-sim report DIR`` redoes it alone. This times it in rounds, each round one
replication of the folder's reference variant (world built from its saved scenario, then
the SimPy run: the unit every other benchmark counts in) and one report, so a busy minute
on a shared machine slows both alike. CPU time of the process (``process_time``) and wall
time, minimum and median over ``--repeat`` rounds.

    python benchmarks/report.py [--folder RESULTS_DIR] [--repeat 3]

``--folder`` is a compare folder already run (e.g. the default comparison,
``enforcement-sim compare --out DIR``); it is copied first (without its run store), so the
folder itself is never written. Without it, the quick Pujiang comparison
(``scenarios/compare_models.yaml``, 3 replications) is run into a temporary folder.
Prints a table and writes ``benchmarks/results/report.json``; measurement only, no target,
not part of the tests.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import sim
from sim.model import simulate
from sim.report import write_report
from sim.scenario import load_scenario
from sim.world import build_world

HERE = Path(__file__).resolve().parent
QUICK = HERE.parent / "scenarios" / "compare_models.yaml"
SKIP = ("runs", "figures", "report.html", "report.pdf")  # the store, and what is rebuilt


def one_replication(scenario: Path) -> tuple[float, float]:
    """CPU and wall seconds of one replication: its world, then the model."""
    cpu, wall = time.process_time(), time.perf_counter()
    simulate(build_world(load_scenario(scenario)), 1, 0)
    return time.process_time() - cpu, time.perf_counter() - wall


def one_report(folder: Path) -> tuple[float, float]:
    """CPU and wall seconds of ``write_report`` on ``folder``."""
    cpu, wall = time.process_time(), time.perf_counter()
    write_report(folder)
    return time.process_time() - cpu, time.perf_counter() - wall


def reference_scenario(folder: Path) -> Path:
    """The saved scenario of the folder's first variant (the reference of its differences)."""
    manifest = json.loads((folder / "manifest.json").read_text())
    return folder / "variants" / f"{manifest['variants'][0]}.yaml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, help="a compare folder (copied, never written)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "compare"
        if args.folder:
            top = args.folder.resolve()
            shutil.copytree(top, folder, ignore=lambda d, names: [
                n for n in names if Path(d).resolve() == top and n in SKIP])  # fmt: skip
        else:
            sim.compare([QUICK], replications=3, jobs=1, out=folder, quiet=True)
        manifest = json.loads((folder / "manifest.json").read_text())
        scenario = reference_scenario(folder)
        one_replication(scenario)  # warm: imports, caches, fonts
        rounds = []
        for _ in range(args.repeat):
            rounds.append((*one_replication(scenario), *one_report(folder)))
        pages = (folder / "report.html").stat().st_size
    rep_cpu, rep_wall, cpu, wall = (list(x) for x in zip(*rounds, strict=True))
    ratios = [c / r for c, r in zip(cpu, rep_cpu, strict=True)]
    table = {
        "replication_cpu_s": {"min": min(rep_cpu), "median": statistics.median(rep_cpu)},
        "report_cpu_s": {"min": min(cpu), "median": statistics.median(cpu)},
        "report_wall_s": {"min": min(wall), "median": statistics.median(wall)},
        "report_per_replication": {"min": min(ratios), "median": statistics.median(ratios)},
    }
    source = args.folder or QUICK
    print(f"{source}: {len(manifest['variants'])} variants x {manifest['replications']} "
          f"replications; report.html {pages / 1e6:.1f} MB; reference replication: "
          f"{scenario.stem}")  # fmt: skip
    print(f"{'':<26} {'min':>9} {'median':>9}")
    for name, row in table.items():
        print(f"{name:<26} {row['min']:9.2f} {row['median']:9.2f}")
    record = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "version": sim.__version__,
        "python": platform.python_version(),
        "folder": str(source),
        "variants": len(manifest["variants"]),
        "replications": manifest["replications"],
        "report_bytes": pages,
        "rounds": args.repeat,
        "figures": table,
    }
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "report.json").write_text(json.dumps(record, indent=2) + "\n")


if __name__ == "__main__":
    main()
