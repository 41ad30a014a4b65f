"""Runaway guards: size estimates before running, a wall-clock limit while running,
and result folders that stay where they were asked to be."""

from __future__ import annotations

import dataclasses
import math
import subprocess
import sys
import tracemalloc

import numpy as np
import pytest
import yaml
from conftest import EXAMPLES, ROOT
from helpers import example_raw, simulate_raw
from hypothesis import given, settings
from hypothesis import strategies as st

import sim
from sim.cli import main
from sim.errors import ScenarioError
from sim.experiment import guards
from sim.experiment.guards import (
    MAX_EVENTS,
    MAX_HORIZON_DAYS,
    MAX_LAYOUT_TOWNSHIPS,
    MAX_RUNS,
    MAX_SWEEP_POINTS,
    MAX_WORLD_MIB,
    check_points,
    check_size,
    estimate_size,
)
from sim.scenario import load_scenario
from sim.scenario.load import from_mapping
from sim.world import build_world

EXAMPLE = EXAMPLES / "pujiang_squadrons.yaml"


def test_the_estimate_is_close_to_what_a_run_makes():
    raw = example_raw()
    raw["inspections"] = {"rate_per_day": 0.05}
    raw["enforcement"]["diverted_share"] = 0.2
    world = build_world(from_mapping(raw, base_dir=EXAMPLES))
    est = estimate_size(world)
    rec = simulate_raw(raw, seed=1)
    assert est.incidents == pytest.approx(len(rec.incidents), rel=0.15)
    assert est.inspections == pytest.approx(len(rec.inspections), rel=0.1)
    diverted = (rec.assignments["kind"] == "diverted").sum()
    assert est.diverted_tasks == pytest.approx(diverted, rel=0.1)
    # events are estimated as if every incident were found and served: on the safe side
    # for a guard, but not wildly so
    assert rec.events <= est.events <= 1.5 * rec.events


def test_a_runaway_scenario_is_refused_with_its_estimate(tmp_path, capsys):
    argv = ["run", str(EXAMPLE), "--out", str(tmp_path / "o"), "--set", "horizon_days=80000000"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "horizon_days" in err and "--force" in err
    assert f"{MAX_EVENTS:,} events" in err
    assert not (tmp_path / "o" / "runs").exists()


def test_a_run_past_its_time_limit_is_stopped_and_recorded():
    res = sim.run(EXAMPLE, replications=1, jobs=1, max_run_seconds=1e-6,
                  overrides=["inspections.rate_per_day=1"])  # fmt: skip
    (failure,) = res.manifest["failures"]
    assert "RunTimeout" in failure["traceback"]


def test_a_scenario_name_cannot_escape_the_results_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["run", str(EXAMPLE), "--set", "name=../../escaped", "--quiet"]) == 2
    assert "name: must be a plain name" in capsys.readouterr().err
    assert not (tmp_path.parent.parent / "escaped").exists()
    assert not (tmp_path / "results").exists()


# --- issue 23: every quantity that multiplies work, checked before it is used ----------


def test_twenty_thousand_townships_are_refused_before_the_distance_matrix(tmp_path, capsys):
    """An n x n matrix over 20,000 townships is 3 GiB (and its temporaries more): the guard
    refuses it from the township count, so validating allocates a small part of that."""
    path = _one_county(tmp_path, 20_000, {"model": "central", "officers": 9}, step=1e-5)
    tracemalloc.start()
    try:
        rc = main(["validate", str(path)])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    err = capsys.readouterr().err
    assert rc == 2 and err.count("\n") == 1
    assert f"error: {path}: region.townships_csv: 20,000 townships" in err
    assert f"limit of {MAX_WORLD_MIB:,} MiB" in err and "--force" in err
    assert peak < 300 * 2**20  # the matrix alone would be 3,052 MiB


def test_force_is_the_way_past_the_soft_limits(capsys):
    idle = ["horizon_days=400000", "discovery.upper_inspections.interval_days=null"]
    idle += [f"incident_types.{t}.rate_per_day=0" for t in example_raw()["incident_types"]]
    args = ["validate", str(EXAMPLE), *[a for s in idle for a in ("--set", s)]]
    assert main(args) == 2
    assert f"limit of {MAX_HORIZON_DAYS:,} days; pass --force" in capsys.readouterr().err
    assert main([*args, "--force"]) == 0
    check_points(MAX_SWEEP_POINTS + 1, "grid", force=True)
    with pytest.raises(ScenarioError, match="sweep points"):
        check_points(MAX_SWEEP_POINTS + 1, "grid", force=False)


def test_replications_are_refused_before_the_runs_are_listed(tmp_path):
    with pytest.raises(ScenarioError, match=f"limits of {MAX_RUNS:,} runs"):
        sim.run(EXAMPLE, replications=MAX_RUNS + 1, out=tmp_path / "o")
    assert not (tmp_path / "o" / "runs").exists()


def _with(world, horizon_days: float, rate: float, interval: float | None, weight: float):
    sc = world.scenario
    up = sc.discovery.upper_inspections.model_copy(update={"interval_days": interval})
    disc = sc.discovery.model_copy(update={"upper_inspections": up})
    types = {k: t.model_copy(update={"rate_per_day": rate}) for k, t in sc.incident_types.items()}
    sc = sc.model_copy(
        update={"horizon_days": horizon_days, "discovery": disc, "incident_types": types}
    )
    weights = np.full(world.n_townships, weight)
    return dataclasses.replace(world, scenario=sc, township_weight=weights)


WORLD = build_world(from_mapping(example_raw(), base_dir=EXAMPLES))
EXTREME = st.sampled_from([0.0, 5e-324, 1e-300, 1e-6, 1.0, 365.0, 1e9, 1e300, 1.7e308])


@settings(max_examples=60, deadline=None)
@given(horizon=EXTREME.filter(bool), rate=EXTREME, interval=st.none() | EXTREME.filter(bool),
       weight=EXTREME)  # fmt: skip
def test_the_guard_never_crashes_and_never_lets_nan_through(horizon, rate, interval, weight):
    """Whatever finite numbers the schema lets through, the estimate is a number >= 0 (inf
    when it overflows, never nan, which compares false with every limit) and the check
    either passes or refuses with a ScenarioError."""
    world = _with(WORLD, horizon, rate, interval, weight)
    est = estimate_size(world)
    for value in dataclasses.astuple(est):
        assert value >= 0 and not math.isnan(value)
    try:
        check_size(world, force=False)
    except ScenarioError as err:
        assert err.path in ("horizon_days", "discovery.upper_inspections.interval_days")
    if horizon > 1e6:
        with pytest.raises(ScenarioError):
            check_size(world, force=False)


@pytest.mark.slow
def test_the_memory_estimate_is_an_upper_bound_of_the_measured_growth(tmp_path):
    """Peak RSS of one Jinhua replication over one and over five years (a subprocess each):
    the estimated record memory must grow at least as much as the measured peak."""
    jinhua = ROOT / "scenarios" / "jinhua" / "baseline.yaml"
    peak, est = {}, {}
    for days in (365, 1825):
        over = [f"horizon_days={days}"]
        code = (
            "import resource, sys; from sim.cli import main; "
            f"main(['run', {str(jinhua)!r}, '--set', {over[0]!r}, '--replications', '1', "
            f"'--jobs', '1', '--quiet', '--out', {str(tmp_path / str(days))!r}]); "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True).stdout  # fmt: skip
        peak[days] = int(out.split()[-1]) / 1024  # KiB -> MiB
        est[days] = estimate_size(build_world(load_scenario(jinhua, overrides=over))).record_mib
    assert est[1825] - est[365] >= peak[1825] - peak[365] > 0


# --- issue 23, the rest: layouts, parallel memory, worlds that cannot work --------------


def _one_county(tmp_path, n: int, deployment: dict, step: float = 1e-3):
    """The example's county with ``n`` townships on a small grid and generated units."""
    rows = ["township,county,lat_deg,lon_deg,weight"]
    rows += [f"T{k},Pujiang,{29 + k * step:.5f},{119 + (k % 7) * step:.5f},1" for k in range(n)]
    (tmp_path / "towns.csv").write_text("\n".join(rows) + "\n")
    raw = example_raw()
    raw["region"]["townships_csv"] = "towns.csv"
    raw["counties"]["Pujiang"]["bureau_township"] = "T0"
    raw["counties"]["Pujiang"]["deployment"] = deployment
    del raw["units"]
    path = tmp_path / "big.yaml"
    path.write_text(yaml.safe_dump(raw))
    return path


def test_a_county_too_large_to_zone_is_refused_before_its_layout(tmp_path, capsys):
    """The zoning search of a generated layout grows faster than the cube of the county's
    townships (200 took 37 s and 1.1 GiB): refused from the count, in well under a second.
    A central unit is one zone, no search: the same county is accepted for it."""
    n = MAX_LAYOUT_TOWNSHIPS + 1
    path = _one_county(tmp_path, n, {"model": "squadron", "officers": 20})
    assert main(["validate", str(path)]) == 2
    assert capsys.readouterr().err == (
        f"error: {path}: counties.Pujiang.deployment: {n} townships are too many to zone for "
        f"generated units (the limit is {MAX_LAYOUT_TOWNSHIPS}; the zoning search grows faster "
        "than the cube of the count); write the units by hand, or pass --force to run it "
        "anyway\n"
    )
    path = _one_county(tmp_path, n, {"model": "central", "officers": 20})
    assert main(["validate", str(path)]) == 0


def _estimate(record_mib: float, world_mib: float = 0.0):
    return guards.SizeEstimate(0, 0, 0, 10.0, record_mib, world_mib=world_mib)


def test_memory_counts_every_replication_that_runs_at_once(monkeypatch):
    """Four jobs each hold a replication's records and a copy of the world: 4 x (300 + 20)
    MiB is above a 1,000 MiB limit, where one job (or two runs only) is not."""
    monkeypatch.setattr(guards, "memory_limit_mib", lambda: 1000.0)
    est = [_estimate(300.0, 20.0)]
    guards.check_runs(est, 10, force=False, jobs=1, keep_records=False)
    guards.check_runs(est, 3, force=False, jobs=4, keep_records=False)  # three at once at most
    guards.check_runs(est, 10, force=True, jobs=4, keep_records=False)
    with pytest.raises(ScenarioError) as caught:
        guards.check_runs(est, 10, force=False, jobs=4, keep_records=False)
    assert caught.value.path == "--jobs"
    assert "4 replication(s) at once, each holding about 320 MiB" in caught.value.message
    assert "use --jobs 3 or fewer" in caught.value.message


def test_memory_counts_the_records_kept_of_every_run(monkeypatch):
    """The parent keeps every run's record tables (a quarter of a run's estimate) until
    the results are gathered: many replications of one variant add up, on one job too."""
    monkeypatch.setattr(guards, "memory_limit_mib", lambda: 1000.0)
    est = [_estimate(100.0)]
    guards.check_runs(est, 30, force=False)  # 100 running + 30 x 25 kept = 850 MiB
    guards.check_runs(est, 1000, force=False, keep_records=False)  # a sweep keeps none
    with pytest.raises(ScenarioError) as caught:
        guards.check_runs(est, 40, force=False)  # 100 + 1,000 MiB
    assert caught.value.path == "replications"
    assert "record tables of 40 run(s) (about 1,000 MiB) need 1,100 MiB" in caught.value.message


def test_a_run_with_too_many_jobs_for_the_memory_is_one_line(tmp_path, monkeypatch, capsys):
    """A limit that one replication at a time fits, and two do not."""
    est = estimate_size(build_world(load_scenario(EXAMPLE, overrides=["horizon_days=60"])))
    each, kept = est.record_mib + est.world_mib, 2 * est.record_mib * guards.KEPT_SHARE
    monkeypatch.setattr(guards, "memory_limit_mib", lambda: 1.5 * each + kept)
    argv = ["run", str(EXAMPLE), "--out", str(tmp_path / "o"), "--replications", "2",
            "--jobs", "2", "--quiet", "--set", "horizon_days=60"]  # fmt: skip
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"error: {EXAMPLE}: --jobs: 2 replication(s) at once" in err
    assert "use --jobs 1 or fewer" in err
    assert not (tmp_path / "o" / "runs").exists() or not any((tmp_path / "o" / "runs").iterdir())
    argv[argv.index("--jobs") + 1] = "1"
    assert main(argv) == 0


def test_the_memory_limit_is_a_share_of_the_machine():
    assert guards.memory_limit_mib() >= guards.MAX_RECORD_MIB


def test_a_world_that_cannot_work_is_refused_even_with_force():
    """Patrols faster than the clock are not a size (``--force`` is for sizes): they end in
    out-of-order records, so no flag lets them run."""
    loaded = load_scenario(EXAMPLE, overrides=["discovery.patrol.sites_per_grid=1e-300"])
    world = build_world(loaded)
    for force in (False, True):
        with pytest.raises(ScenarioError, match="times a working hour"):
            check_size(world, force=force)
